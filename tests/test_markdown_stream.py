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
