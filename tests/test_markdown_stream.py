"""The md format streams its lines: the pieces join to the text the whole-string
renderer gave ("\\n".join(lines).rstrip("\\n") + "\\n"), whatever the lines end with."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from kam.plugins.report_md.markdown import joined


@given(st.lists(st.sampled_from(["", "\n", "a", "a\n", "\nb", "| x |", "\n\n"]), min_size=1))
@example(["# t", "", "note\n", ""])
def test_streamed_lines_join_like_the_whole_text(lines: list[str]) -> None:
    assert "".join(joined(iter(lines))) == "\n".join(lines).rstrip("\n") + "\n"


@given(st.lists(st.text(alphabet=st.sampled_from(list("a1 -=+@\t\r\n|\\\0.中")), max_size=5),
                max_size=8))
@example(["x|y", "a\\b", "c\r\nd", "e\rf\ng"])
@example(["a", "=1+1", "-5.00"])
@example(["a\0b", "c"])
@example(["=1", "b"])  # the first cell: judged apart from the pattern's NUL
@example(["", "+x"])
@example(["\t"])
def test_a_column_escaped_at_once_is_each_cell_escaped(cells: list[str]) -> None:
    from kam.plugins.report_md.markdown import escape, escaped_column

    assert escaped_column(cells) == [escape(c) for c in cells]
