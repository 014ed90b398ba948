"""What the everyday commands skip at start-up answers as what they used to run: English
messages and findings printed without kam.messages (its ``localise`` and
``finding_line`` are the reference), kam.values' patterns compiled on first use."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kam import messages, values
from kam.cli.common import print_findings, say
from kam.findings import SEVERITIES, Finding, english_line

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


class _Root:
    """What say() reads of typer's context: the CLI state, its language."""

    def __init__(self, lang: str | None) -> None:
        from kam.cli.common import State

        self.obj = State(None, lang=lang)
        self.params: dict[str, str] = {}

    def find_root(self) -> _Root:
        return self


@given(severity=st.sampled_from(SEVERITIES), code=_TEXT, message=_TEXT, plugin=_TEXT)
@example(severity="block", code="x", message="budget not confirmed", plugin="")
@example(severity="warn", code="", message="{x} {{y}}", plugin="rules_standard")
def test_an_english_finding_line_is_kam_messages_line(severity: str, code: str, message: str,
                                                      plugin: str) -> None:
    f = Finding(severity, code, message, plugin)
    assert english_line(f) == messages.finding_line(f, "en")


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=_TEXT, lang=st.sampled_from(["en", "zh", "zh-Hant"]))
@example(message="gate open: ready to advance to proposal", lang="zh")
@example(message="", lang="zh")
def test_say_prints_what_localise_gives(message: str, lang: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    say(_Root(lang), message)
    assert capsys.readouterr().out == messages.localise(message, lang) + "\n"


@pytest.mark.parametrize("lang", ["en", "zh", "zh-Hant"])
def test_print_findings_prints_kam_messages_lines(lang: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    found = [Finding("block", "b", "budget not confirmed (--budget-confirmed)",
                     "rules_standard"), Finding("warn", "w", "no decision maker named"),
             Finding("info", "i", "")]
    capsys.readouterr()
    print_findings(_Root(lang), found)
    assert capsys.readouterr().out == "".join(
        messages.finding_line(f, lang) + "\n" for f in found)


def test_english_output_does_not_import_the_catalogue(tmp_path: object) -> None:
    """The point of the above: ``say`` in English leaves kam.messages unloaded."""
    import subprocess
    import sys

    code = ("import sys\nfrom kam.cli.common import say\n"
            "class R:\n    params = {}\n    def find_root(self): return self\n"
            "from kam.cli.common import State\nr = R(); r.obj = State(None, lang='en')\n"
            "say(r, 'hello')\nprint('kam.messages' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines() == ["hello", "False"]


_PATTERNS = ("_NUMBER", "_GROUPED", "_ISO", "_DATETIME")


@given(text=st.text(st.sampled_from("0123456789-+.,:eETZ "), max_size=30),
       name=st.sampled_from(_PATTERNS))
@example(text="1,234,567.89", name="_GROUPED")
@example(text="2026-11-22T09:30:00+00:00", name="_DATETIME")
def test_a_lazy_pattern_matches_as_its_compiled_pattern(text: str, name: str) -> None:
    pattern = getattr(values, name)
    compiled = re.compile(pattern.pattern, pattern.flags)
    assert bool(pattern.fullmatch(text)) == bool(compiled.fullmatch(text))
    assert getattr(values, name) == compiled  # compiled in the module's place


def test_a_lazy_pattern_takes_its_place_on_first_use() -> None:
    space: dict[str, object] = {}
    space["_P"] = values.lazy_pattern(space, "_P", r"a+", re.I)
    assert not isinstance(space["_P"], re.Pattern)
    assert space["_P"].fullmatch("AaA")  # type: ignore[attr-defined]
    assert space["_P"] == re.compile(r"a+", re.I)
