"""What the everyday commands skip at start-up answers as what they used to run: English
messages and findings printed without kam.messages (its ``localise`` and
``finding_line`` are the reference), kam.values' patterns compiled on first use, and
internal records that were dataclasses made plain (dataclass twins are the reference)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

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


_PATTERNS = [("kam.values", n) for n in ("_NUMBER", "_GROUPED", "_ISO", "_DATETIME")] + [
    ("kam.json_text", "_C1"), ("kam.column_text", "_UNPRINTABLE"), ("kam.column_text", "_FORMULA")]


@given(text=st.text(st.sampled_from("0123456789-+.,:eETZ =@\n\t\x85\x7f\x1b"), max_size=30),
       where=st.sampled_from(_PATTERNS))
@example(text="1,234,567.89", where=("kam.values", "_GROUPED"))
@example(text="2026-11-22T09:30:00+00:00", where=("kam.values", "_DATETIME"))
@example(text="a\n=1", where=("kam.column_text", "_FORMULA"))
def test_a_lazy_pattern_matches_as_its_compiled_pattern(text: str,
                                                        where: tuple[str, str]) -> None:
    import importlib

    module = importlib.import_module(where[0])
    pattern = getattr(module, where[1])
    compiled = re.compile(pattern.pattern, pattern.flags)
    assert bool(pattern.fullmatch(text)) == bool(compiled.fullmatch(text))
    assert bool(pattern.search(text)) == bool(compiled.search(text))
    assert getattr(module, where[1]) == compiled  # compiled in the module's place


def test_a_lazy_pattern_takes_its_place_on_first_use() -> None:
    space: dict[str, object] = {}
    space["_P"] = values.lazy_pattern(space, "_P", r"a+", re.I)
    assert not isinstance(space["_P"], re.Pattern)
    assert space["_P"].fullmatch("AaA")  # type: ignore[attr-defined]
    assert space["_P"] == re.compile(r"a+", re.I)


# --- internal records made plain (not kam.api's: those stay dataclasses) -------------

@dataclasses.dataclass
class _Mutation:
    kind: str
    record_id: str
    payload: dict[str, Any]
    refs: list[str]
    after: list[Any] = dataclasses.field(default_factory=list)
    event: dict[str, Any] | None = None


@dataclasses.dataclass(frozen=True)
class _FieldSpec:
    parse: Any
    label: str = ""
    label_en: str = ""
    required_from: str | None = None
    plugin: str = ""


@given(kind=_TEXT, rid=_TEXT, payload=st.dictionaries(_TEXT, _TEXT, max_size=2),
       refs=st.lists(_TEXT, max_size=2), event=st.none() | st.just({"id": "EV1"}))
@example(kind="opportunity.advanced", rid="OP1", payload={}, refs=[], event=None)
def test_a_mutation_behaves_as_its_dataclass_twin(kind: str, rid: str,
                                                  payload: dict[str, Any],
                                                  refs: list[str],
                                                  event: dict[str, Any] | None) -> None:
    from kam.workspace import Mutation

    m, twin = Mutation(kind, rid, payload, refs), _Mutation(kind, rid, payload, refs)
    assert repr(m) == repr(twin)[1:]
    assert m == Mutation(kind, rid, dict(payload), list(refs)) and m != twin
    assert [f.name for f in dataclasses.fields(_Mutation)] == list(Mutation._FIELDS)
    m.event, twin.event = event, event
    m.after.append(print)
    twin.after.append(print)
    assert repr(m) == repr(twin)[1:] and Mutation(kind, rid, payload, refs).after == []
    with pytest.raises(TypeError):
        hash(m)
    with pytest.raises(TypeError):
        hash(twin)


@given(label=_TEXT, label_en=_TEXT, required_from=st.none() | _TEXT, plugin=_TEXT)
@example(label="行业", label_en="industry", required_from="proposal", plugin="acme")
def test_a_field_spec_behaves_as_its_dataclass_twin(label: str, label_en: str,
                                                    required_from: str | None,
                                                    plugin: str) -> None:
    from kam.custom_fields import FieldSpec

    spec = FieldSpec(str, label, label_en, required_from, plugin)
    twin = _FieldSpec(str, label, label_en, required_from, plugin)
    assert repr(spec) == repr(twin)[1:]
    assert hash(spec) == hash(twin)
    assert spec == FieldSpec(str, label, label_en, required_from, plugin)
    assert FieldSpec(str) == FieldSpec(str, "", "", None, "")
    assert [f.name for f in dataclasses.fields(_FieldSpec)] == list(FieldSpec._FIELDS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.label = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del spec.plugin  # type: ignore[misc]
