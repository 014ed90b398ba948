"""Traditional Chinese (zh-Hant): every label kam shows exists in it, a zh-Hant demo and
its reports read Traditional only, and input takes all three languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import Kam
from kam.i18n import from_locale, hant, normalise
from kam.i18n_labels import labels
from kam.zh_hant import CHARS, PHRASES

#: characters only Simplified writing uses, among those of kam's labels (准 and 斗 stay:
#: Traditional writes 批准 and 漏斗 too)
SIMPLIFIED_ONLY = {s for s, t in CHARS.items() if s != t} - set("".join(PHRASES.values()))
REPORTS = ["pipeline", "funnel", "forecast", "aging", "battle-map", "win-loss", "activity",
           "renewals", "targets", "contract-pnl"]
ONE_RECORD = {"opportunity": "OP1", "account": "CU1", "handover": "CO1", "war-room": "OP1"}


def test_every_label_has_its_traditional_form() -> None:
    missing = [t for t in labels()
               if t not in PHRASES and any(ch in SIMPLIFIED_ONLY for ch in t)]
    assert not missing, ("no Traditional form (run scripts/draft_zh_hant.py and review): "
                         f"{missing[:5]}")
    leftover = [t for t in labels() if set(hant(t)) & SIMPLIFIED_ONLY]
    assert not leftover, leftover[:5]


def test_the_trades_terms_read_as_the_traditional_sources_write_them() -> None:
    assert [hant(t) for t in ("报价", "签约", "发票", "商务谈判", "回款", "应收账龄")] == [
        "報價", "簽約", "發票", "商務談判", "回款", "應收賬齡"]


@pytest.mark.parametrize(("locale", "lang"), [
    ("zh_TW.UTF-8", "zh-Hant"), ("zh_HK.UTF-8", "zh-Hant"), ("zh_CN.UTF-8", "zh"),
    ("en_US.UTF-8", "en"), ("C.UTF-8", "zh"), ("", "zh")])
def test_the_locale_chooses_the_language(locale: str, lang: str) -> None:
    assert from_locale({"LANG": locale}) == lang
    assert normalise("zh_TW") == normalise("ZH-HANT") == "zh-Hant"


@pytest.fixture(scope="module", params=["zh-Hant", "zh"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Kam:
    root = tmp_path_factory.mktemp("lang")
    Kam(root / "unused").ok("--lang", request.param, "demo", "--path", str(root / "ws"))
    kam = Kam(root / "ws")
    kam.lang = request.param  # type: ignore[attr-defined]
    return kam


def _simplified(text: str) -> list[str]:
    return sorted({ch for ch in text if ch in SIMPLIFIED_ONLY})


#: enumeration keys that are also what a table shows for another reason, each with why
ORDINARY = {
    "A": "grade keys A–D: the labels are A级…; a bare letter is a customer's short name",
    "B": "as A", "C": "as A", "D": "as A",
    "demo": "an activity type, and the demo workspace's user name (owner, set by)",
    "logistics": "a cost category, and an English customer's industry as the demo types it",
    "integrity": "a doctor check, and a word of an English deal's title in the demo",
}


def _keys() -> re.Pattern[str]:
    """Every enumeration key of every vocabulary (kam.vocab) and every stage key of the
    built-in stage models, as one regex (a whole word, not part of a dotted task key)."""
    from kam.plugin_manager import Plugins
    from kam.vocab import VOCAB

    keys = {k for labels in VOCAB.values() for k in labels}
    for key, model in Plugins().pipelines().items.items():
        keys |= {key, *(s.key for s in model.stages)}
    keys -= set(ORDINARY)
    words = "|".join(sorted((re.escape(k) for k in keys), key=len, reverse=True))
    return re.compile(rf"(?<![\w.\-/])({words})(?![\w.\-/])")


def _list_commands() -> list[tuple[str, ...]]:
    """Every kind's list command (tests/test_schema_meta.py) and the other lists."""
    from test_schema_meta import LISTS

    return [*dict.fromkeys(LISTS.values()), ("events", "list"), ("plugins", "list"),
            ("check",), ("doctor",)]


def test_a_chinese_demo_and_its_reports_show_labels_never_keys(
        demo: Kam, monkeypatch: pytest.MonkeyPatch) -> None:
    """zh and zh-Hant: no enumeration or stage key in any table; zh-Hant: Traditional
    characters only."""
    monkeypatch.setenv("KAM_TODAY", "2026-11-30")
    keys = _keys()
    outputs = {name: demo.ok("report", name).stdout for name in REPORTS}
    outputs |= {name: demo.ok("report", name, rid).stdout for name, rid in ONE_RECORD.items()}
    outputs |= {f"md {name}": demo.ok("report", name, "-f", "md").stdout
                for name in ("pipeline", "aging")}
    for command in (*_list_commands(), ("today",), ("opp", "show", "OP1"),
                    ("opp", "show", "OP4"), ("contract", "show", "CO1"),
                    ("customer", "show", "CU1"), ("lead", "show", "LD1"),
                    ("contact", "show", "CT1")):
        r = demo(*command)
        assert r.exit_code in (0, 1), (command, r.stderr)  # kam check: 1 while overdue
        outputs[" ".join(command)] = r.stdout
    for name, text in outputs.items():
        if demo.lang == "zh-Hant":  # type: ignore[attr-defined]
            assert not _simplified(text), (name, _simplified(text))
        # checklist task keys (implementation.acceptance) are what a user types: kept;
        # a plugin's hook names (plugins list) are code names
        shown = re.sub(r"\bkam_\w+", "", text.split("```mermaid")[0])
        found = sorted({m.group(1) for m in keys.finditer(shown)})
        assert not found, (name, found)
    if demo.lang == "zh-Hant":  # type: ignore[attr-defined]
        assert "商務談判" in outputs["opp list"] or "工程實施" in outputs["opp list"]


def test_input_takes_all_three_languages(kam: Kam) -> None:
    for grade, matrix in (("A级", "核心客户"), ("A級", "核心客戶"), ("A", "core")):
        cu = kam.json("customer", "add", "X", "--grade", grade, "--matrix", matrix)
        assert (cu["grade"], cu["matrix"]) == ("A", "core")
    for stage in ("商务谈判", "商務談判", "negotiation"):
        assert kam("opp", "list", "--stage", stage).exit_code == 0
    r = kam("--lang", "zh-Hant", "customer", "list")
    assert r.exit_code == 0 and "客戶級別" in r.stdout and "核心客戶" in r.stdout
    assert kam.json("--lang", "zh-Hant", "customer", "list")[0]["matrix"] == "core"


def test_json_and_csv_keep_the_keys_in_every_language(kam: Kam, tmp_path: Path) -> None:
    kam.ok("customer", "add", "X", "--grade", "A", "--matrix", "core")
    for lang in ("zh", "zh-Hant", "en"):
        assert kam.json("--lang", lang, "customer", "list")[0]["matrix"] == "core"
        assert "core" in kam.ok("--lang", lang, "customer", "list", "-f", "csv").stdout
