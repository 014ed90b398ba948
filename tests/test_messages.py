"""Messages users read (refusals, errors, warnings, findings, kam check's lines) speak
zh, zh-Hant and en: every message written in the code has a catalogue entry, the CLI
prints it translated with the same exit code, and JSON keeps English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import Kam
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.message_sites import missing, sites, template
from kam.messages import _FIELD, localise
from kam.messages_zh import ZH
from kam.messages_zh_hant import ZH_HANT


def _fields(text: str) -> set[str]:
    return {m.group(1) for m in _FIELD.finditer(text) if m.group(1)}


def test_every_message_written_in_the_code_has_a_translation() -> None:
    todo = missing()
    assert not todo, (
        f"{len(todo)} message(s) without a catalogue entry in core/messages_zh.py "
        "(python -m kam.message_sites prints stubs to paste and translate): "
        + "; ".join(f"{s.path}:{s.line} {s.template!r}" for s in todo[:10]))


def test_the_sites_are_found_however_the_message_is_written() -> None:
    """f-strings, plain and implicitly concatenated constants, ``+``; a message built in
    a variable is listed apart (no template)."""
    code = ('raise InputError(f"--x: {v!r} is " "bad")\n'
            'raise NotFoundError("a" + f"{b}")\n'
            'raise StorageError(problem)\n'
            'out.append(block("c", f"no {what:<3} here"))\n')
    calls = [n.exc.args[0] for n in ast.walk(ast.parse(code))
             if isinstance(n, ast.Raise) and isinstance(n.exc, ast.Call)]
    assert [template(c) for c in calls] == ["--x: {v!r} is bad", "a{b}", None]
    found = {s.template for s in sites()}
    assert "{kind} {record_id} not found{hint}" in found  # a raise in core
    assert "final acceptance not recorded (工程验收)" in found  # a finding in a plugin
    assert "nothing new as of {r['as_of']}" in found  # a notice: say(ctx, …)


def test_each_translation_keeps_the_placeholders_and_has_its_traditional_form() -> None:
    for english, zh in ZH.items():
        assert _fields(zh) <= _fields(english), (english, zh)
        assert zh in ZH_HANT, f"no Traditional form (scripts/draft_messages_zh_hant.py): {zh}"
        assert _fields(ZH_HANT[zh]) == _fields(zh), zh
    assert set(ZH_HANT) == set(ZH.values())


def _filled(english: str) -> tuple[str, dict[str, str]]:
    """The template with each placeholder filled with its own token (``V0``, …)."""
    tokens: dict[str, str] = {}

    def token(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return m.group()[0]
        value = tokens.setdefault(m.group(1), f"V{len(tokens)}")
        width = re.search(r":<(\d+)$", m.group(1))  # {rid:<7}: padded as f-strings pad
        return value.ljust(int(width.group(1))) if width else value

    return _FIELD.sub(token, english), tokens


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_every_catalogued_message_reads_in_chinese(lang: str) -> None:
    """Each template, filled in, is translated (none is shadowed by another) and the
    values it keeps reach the Chinese text."""
    for english, zh in ZH.items():
        message, tokens = _filled(english)
        shown = localise(message, lang)
        if re.search("[\u4e00-\u9fff]", zh):
            assert shown != message, english
        kept = [t for f, t in tokens.items() if f in _fields(zh)]
        assert all(t in shown for t in kept), (english, shown)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
@example("opportunity {x} not found")
@example("{path}: {exc}")
@example("  - ")
def test_any_text_is_shown_never_raising(text: str) -> None:
    assert localise(text, "en") == text
    assert isinstance(localise(text, "zh"), str)
    assert isinstance(localise(text, "zh-Hant"), str)


def test_keys_read_as_labels_and_joined_findings_each_translated() -> None:
    message = ("opportunity OP3 cannot leave proposal: no decision maker (决策者) in the "
               "decision chain; no coach (向导) in the decision chain")
    assert localise(message, "zh") == (
        "商机 OP3 不能离开提案阶段：决策链中没有决策者；决策链中没有向导")
    assert localise(message, "zh-Hant") == (
        "商機 OP3 不能離開提案階段：決策鏈中沒有決策者；決策鏈中沒有嚮導")
    assert localise("contract CO1 is signed: it cannot be amended", "zh") == \
        "合同 CO1 为已签订：不能变更"
    # a message inside another, whole; a placeholder glued to the next is one word
    assert localise("grade: unknown grade 'Z'; use one of: A, B", "zh") == \
        "grade: 未知的客户级别 'Z'；请用以下之一：A, B"
    assert localise("lead LD1 is already converted to OP1", "zh-Hant") == \
        "線索 LD1 已經是已轉商機（商機 OP1）"
    assert localise("no such thing: a message kam never wrote", "zh") == \
        "no such thing: a message kam never wrote"


@pytest.fixture
def en(tmp_path: Path) -> Kam:
    k = Kam(tmp_path / "ws")
    k.ok("init", "--lang", "en")
    return k


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "kam: 未找到商机 OP99"),
    ("zh-Hant", "kam: 未找到商機 OP99"),
    ("en", "kam: opportunity OP99 not found"),
])
def test_a_missing_record_is_named_in_the_users_language(
        kam: Kam, lang: str, line: str) -> None:
    r = kam("--lang", lang, "opp", "show", "OP99")
    assert (r.exit_code, r.stderr.strip()) == (3, line)


def test_a_gate_refusal_and_its_findings_in_each_language(en: Kam) -> None:
    cu = en.id("customer", "add", "华东电力", "--grade", "A")
    opp = en.id("opp", "add", cu, "监控平台", "--amount", "100000")
    zh = en("--lang", "zh", "opp", "advance", opp)
    hant = en("--lang", "zh-Hant", "opp", "advance", opp)
    eng = en("opp", "advance", opp)
    assert zh.exit_code == hant.exit_code == eng.exit_code == 1
    assert f"kam: 商机 {opp} 不能离开客户开发阶段：" in zh.stderr
    assert "  阻止：未说明需求（--need） [rules_standard]" in zh.stderr
    assert f"kam: 商機 {opp} 不能離開客戶開發階段：" in hant.stderr
    assert "  阻止：未說明需求（--need） [rules_standard]" in hant.stderr
    assert f"kam: opportunity {opp} cannot leave development:" in eng.stderr
    assert "  block: need not stated (--need) [rules_standard]" in eng.stderr
    # JSON keeps English whatever the language: scripts read it
    card = en("--lang", "zh", "opp", "show", opp, "--format", "json").json()
    assert "need not stated (--need)" in [f["message"] for f in card["gate"]]


def test_bad_input_and_a_missing_workspace_in_chinese(en: Kam, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    r = en("--lang", "zh", "opp", "list", "--stage", "nowhere")
    assert r.exit_code == 2
    assert r.stderr.startswith("kam: 未知阶段 'nowhere'；六阶段 的阶段有：客户开发、立项、")
    monkeypatch.setenv("KAM_LANG", "zh-Hant")  # no kam.toml to read the language from
    gone = Kam(tmp_path / "nowhere")("opp", "list")
    assert (gone.exit_code, gone.stderr.strip()) == (
        4, f"kam: {tmp_path / 'nowhere'} 沒有 kam 工作區（請先運行 `kam init`）")


def test_kam_check_lines_in_chinese(en: Kam, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TODAY", "2026-03-02")
    cu = en.id("customer", "add", "深圳智造", "--grade", "A")
    opp = en.id("opp", "add", cu, "MES 升级", "--amount", "1000000")
    co = en.id("contract", "create", opp, "--plan", "down_payment:30%:+10d,warranty:70%:+12m")
    en.ok("contract", "review", co)
    en.ok("contract", "approve", co, "--by", "李经理", env={"KAM_USER": "李经理"})
    en.ok("contract", "sign", co, "--force", "--reason", "框架协议")
    r = en("--lang", "zh", "check", "--as-of", "2026-03-13")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith("到期") and "首付款" in lines[0] and "到期日 2026-03-12" in lines[0]
    assert lines[1].startswith("逾期 1 天") and "未回款 300000.00 CNY  （逾期 1 天）" in lines[1]
    assert "1 个回款节点逾期：300000.00 CNY" in lines
    again = en("check", "--as-of", "2026-03-13")
    assert "nothing new as of 2026-03-13" in again.stdout


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "kam: 缺少选项 '--reason'"),
    ("zh-Hant", "kam: 缺少選項 '--reason'"),
])
def test_a_usage_error_is_one_line_in_chinese(en: Kam, lang: str, line: str) -> None:
    r = en("--lang", lang, "opp", "abandon", "OP1")
    assert (r.exit_code, r.stderr.strip()) == (2, line)
    bogus = en("--lang", lang, "opp", "list", "--bogus")
    assert bogus.exit_code == 2 and bogus.stderr.strip() in (
        "kam: 没有选项 --bogus", "kam: 沒有選項 --bogus")
    assert "Usage:" not in r.stderr + bogus.stderr


def test_a_usage_error_in_english_keeps_clicks_usage_block(en: Kam) -> None:
    r = en("opp", "abandon", "OP1")
    assert r.exit_code == 2
    assert "opp abandon [OPTIONS]" in r.stderr and "Missing option '--reason'" in r.stderr


@pytest.mark.parametrize(("english", "zh", "hant"), [
    ("Missing argument 'ID'.", "缺少参数 'ID'", "缺少參數 'ID'"),
    ("No such option: --bogu Did you mean --bogus?", "没有选项 --bogu；是不是 --bogus？",
     "沒有選項 --bogu；是不是 --bogus？"),
    ("No such command 'nosuch'.", "没有命令 'nosuch'", "沒有命令 'nosuch'"),
    ("Option '--limit' requires an argument.", "选项 '--limit' 需要一个值",
     "選項 '--limit' 需要一個值"),
    ("Got unexpected extra argument (y)", "多余的参数（y）", "多餘的參數（y）"),
    ("Invalid value for '--n': 'x' is not a valid integer.", "'--n' 的值无效：'x' 不是整数",
     "'--n' 的值無效：'x' 不是整數"),
    ("Invalid value for 'FILE': Path 'a.csv' does not exist.",
     "'FILE' 的值无效：'a.csv' 不存在", "'FILE' 的值無效：'a.csv' 不存在"),
    ("Something click may say one day.", "Something click may say one day.",
     "Something click may say one day."),
])
def test_clicks_usage_templates_in_each_language(english: str, zh: str, hant: str) -> None:
    from kam.usage_errors import usage_message

    assert usage_message(english, "zh") == zh
    assert usage_message(english, "zh-Hant") == hant
    assert usage_message(english, "en") == english


#: catalogue entries that are no message site's template: words and phrases a template's
#: placeholder is filled with, and the shapes of messages built in pieces, each with the
#: file that writes it
FRAGMENTS: dict[str, str] = {
    "plugin {plugin!r} failed in {hook}: {error}": "core/plugin_results.py",
    "required plugin {name!r} {why}": "core/plugin_manager.py",  # {why}{more}
    "required plugin {name!r} {why} (and {n} more)": "core/plugin_manager.py",
    "failed to load: {error}": "core/plugin_required.py",  # a why_missing reason
    "disabled (KAM_DISABLE_PLUGINS or [plugins] disabled)": "core/plugin_required.py",
    "not installed": "core/plugin_required.py",
    " (required)": "core/cli/everyday.py",
    " (forced)": "core/cli/everyday.py",
    "due": "core/cli/check.py",  # kam check's {what}
    "overdue {level}d": "core/cli/check.py",
    "escalated": "core/cli/check.py",
    "delivered": "core/services/contract_lifecycle.py",  # a contract's step, in warnings
    "accepted": "core/services/contract_lifecycle.py",
    "closed": "core/services/contract_lifecycle.py",
    "handed over": "core/services/contract_lifecycle.py",
    "the signing": "core/services/contract_lifecycle.py",
    "the delivery": "core/services/contract_lifecycle.py",
    "the earlier acceptance": "core/services/contract_lifecycle.py",
    "the final acceptance": "core/services/contract_lifecycle.py",
    "down payment {id} ({amount} {cur}, {outstanding} outstanding) is {days} days overdue":
        "core/services/contract_lifecycle.py",  # _describe, joined with "; "
    "{missing}: changes are refused until it loads": "core/workspace.py",
    "contract {id}": "core/services/contracts.py",  # what = f"contract {…}" + …
    "contract {id} (its pending amendment)": "core/services/contracts.py",
    "opportunity {id}": "core/services/contracts.py",
    " to {id}": "core/services/leads.py",  # extra = f" to {…}"
    "an amount": "core/values.py",  # what a value should be
    "a number": "core/values.py",
    "a whole number": "core/values.py",
    "project number (--number)": "plugins/rules_standard/gates.py",  # the missing fields
    "customer-side owner (--customer-owner)": "plugins/rules_standard/gates.py",
    "expected amount (--amount)": "plugins/rules_standard/gates.py",
    "gross-margin estimate (--margin)": "plugins/rules_standard/gates.py",
    "sales expense budget (--expense-budget)": "plugins/rules_standard/gates.py",
    "category (--category)": "plugins/rules_standard/gates.py",
    "expected signing date (--close-date)": "plugins/rules_standard/gates.py",
    "importance grade (--importance)": "plugins/rules_standard/gates.py",
    "no such contract": "core/services/load.py",
    "ambiguous: {ids}": "core/services/load.py",
    "renewal": "core/cli/check.py",
    "flagged": "core/cli/check.py",
    "a month rolls up into its quarter and a quarter into its year": "core/services/targets.py",
    "the members' targets are parts of their team's": "core/services/targets.py",
    "customer targets are parts of their owner's": "core/services/targets.py",
    "product-line targets are parts of their owner's": "core/services/targets.py",
    "nothing": "core/cli/customer.py",  # {r['rule'] or 'nothing'}
    "contract {contract_id} signed": "core/services/opportunities.py",  # a passage's note
}


def test_no_stale_catalogue_entries() -> None:
    """Every entry of core/messages_zh.py is a template some code writes, or a listed
    fragment whose fixed text is still in the file that builds it: an entry no code
    uses is deleted, not kept."""
    templates = {s.template for s in sites()}
    stale = [k for k in ZH if k not in templates and k not in FRAGMENTS]
    assert not stale, f"no code writes these (delete them, or list a fragment): {stale}"
    root = Path(__file__).resolve().parents[1]
    for fragment, path in FRAGMENTS.items():
        assert fragment in ZH, f"listed but not catalogued: {fragment!r}"
        assert fragment not in templates, f"a template at a site, not a fragment: {fragment!r}"
        source = (root / path).read_text(encoding="utf-8")
        pieces = [p for p in re.split(r"\{[^{}]*\}", fragment) if p.strip()]
        assert all(p in source for p in pieces), (fragment, path)


def _filled_with(english: str, value: str) -> str:
    return _FIELD.sub(lambda m: m.group()[0] if m.group(1) is None else value, english)


@pytest.mark.parametrize("value", ["CU1", "due", "2026-06-30", "a b; c d", ""])
def test_the_template_index_answers_as_the_linear_scan_does(
        value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates are found by a message's first characters and their longest fixed text;
    every catalogued message (placeholders filled several ways, and a few that match
    nothing) translates exactly as trying every template in order would."""
    from kam import messages
    from kam.messages_zh import ZH

    texts = [_filled_with(e, value) for e in ZH] + ["nothing kam says", "CU1: ", "x"]
    for lang in ("zh", "zh-Hant"):
        indexed = [messages.localise(t, lang) for t in texts]
        scan = [("", rx, names, english) for rx, names, english in messages._compiled()]
        monkeypatch.setattr(messages, "_candidates", lambda _m, scan=scan: scan)
        assert [messages.localise(t, lang) for t in texts] == indexed
        monkeypatch.undo()
