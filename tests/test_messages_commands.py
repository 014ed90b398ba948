"""The notices, summaries and status columns of admin and data commands (kam load,
config set, plugins trust|require|list, events list, doctor, contract verify) read in
zh, zh-Hant and en; JSON keeps the English keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Kam


@pytest.fixture
def en(tmp_path: Path) -> Kam:
    k = Kam(tmp_path / "ws")
    k.ok("init", "--lang", "en")
    return k


@pytest.mark.parametrize(("lang", "summary"), [
    ("zh", "试运行，未保存任何记录：2 新建；忽略的列：颜色"),
    ("zh-Hant", "試運行，未保存任何記錄：2 新建；忽略的列：颜色"),
    ("en", "dry run, nothing kept: 2 create; columns ignored: 颜色"),
])
def test_load_summary_and_actions(en: Kam, tmp_path: Path, lang: str, summary: str) -> None:
    f = tmp_path / "c.csv"
    f.write_text("name,grade,颜色\n华东电力,A,红\n深圳智造,B,蓝\n", encoding="utf-8")
    r = en("--lang", lang, "load", "customers", str(f), "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.strip().splitlines()[-1] == summary
    assert ("新建" in r.stdout) == (lang != "en") and ("create" in r.stdout) == (lang == "en")
    rows = en.json("--lang", lang, "load", "customers", str(f), "--dry-run")["rows"]
    assert {row["action"] for row in rows} == {"create"}


@pytest.mark.parametrize(("lang", "config", "trusted", "required"), [
    ("zh", "已设置 rules.margin_floor = 12", "已信任：", "必需的插件（plugins.required）= "),
    ("zh-Hant", "已設置 rules.margin_floor = 12", "已信任：", "必需的插件（plugins.required）= "),
    ("en", "rules.margin_floor = 12", "trusted: ", "plugins.required = "),
])
def test_config_and_plugin_echoes(en: Kam, lang: str, config: str, trusted: str,
                                  required: str) -> None:
    assert en.ok("--lang", lang, "config", "set", "rules.margin_floor", "12").stdout.strip() \
        == config
    assert en.ok("--lang", lang, "plugins", "trust").stdout.startswith(trusted)
    untrust = en.ok("--lang", lang, "plugins", "trust", "--remove").stdout
    assert untrust.startswith({"zh": "已撤销信任：", "zh-Hant": "已撤銷信任：",
                               "en": "no longer trusted: "}[lang])
    r = en.ok("--lang", lang, "plugins", "require", "rules_standard")
    assert r.stdout.startswith(required) and "rules_standard" in r.stdout
    listed = en.ok("--lang", lang, "plugins", "list").stdout
    assert ("loaded" in listed) == (lang == "en")
    assert {"zh": "已加载", "zh-Hant": "已加載", "en": "loaded"}[lang] in listed
    assert en.json("--lang", lang, "plugins", "list")[0]["status"] == "loaded"


def test_attachment_statuses_and_doctor_problems(en: Kam, tmp_path: Path) -> None:
    opp = en.ready_deal()
    co = en.id("contract", "create", opp, "--plan", "down_payment:30%:+10d,warranty:70%:+12m")
    doc = tmp_path / "合同.pdf"
    doc.write_bytes(b"v1")
    at = en.json("contract", "attach", co, str(doc), "--kind", "contract")["id"]
    doc.write_bytes(b"v2")
    seen = {lang: en("--lang", lang, "contract", "verify", co)
            for lang in ("zh", "zh-Hant", "en")}
    assert {r.exit_code for r in seen.values()} == {1}
    assert "已被改动" in seen["zh"].stdout and "changed" not in seen["zh"].stdout
    assert "已被改動" in seen["zh-Hant"].stdout and f"{at} 已被改動" in seen["zh-Hant"].stderr
    assert "changed" in seen["en"].stdout and f"{at} changed" in seen["en"].stderr
    rows = json.loads(en("--lang", "zh", "contract", "verify", co, "-f", "json").stdout)
    assert rows[0]["status"] == "changed"
    doctor = {lang: en("--lang", lang, "doctor") for lang in ("zh", "zh-Hant", "en")}
    assert {r.exit_code for r in doctor.values()} == {1}
    assert f"附件 {at}：" in doctor["zh"].stdout and "已被改动（SHA-256 与记录不符）" in \
        doctor["zh"].stdout
    assert "已被改動（SHA-256 與記錄不符）" in doctor["zh-Hant"].stdout
    assert f"attachment {at}: " in doctor["en"].stdout
    problems = json.loads(en("--lang", "zh", "doctor", "-f", "json").stdout)["problems"]
    assert any(p["problem"].startswith(f"attachment {at}: ") for p in problems)


def test_events_list_and_retry_in_each_language(en: Kam, tmp_path: Path) -> None:
    from test_outbox import _env

    env = _env(tmp_path, fails=99)
    en.ok("customer", "add", "华东电力", "-q", env=env)
    status = {"zh": "待投递", "zh-Hant": "待投遞", "en": "pending"}
    retried = {"zh": "尝试投递 1 个：成功 0 个，失败 1 个；剩余待投递 1 个，已放弃 0 个",
               "zh-Hant": "嘗試投遞 1 個：成功 0 個，失敗 1 個；剩餘待投遞 1 個，已放棄 0 個",
               "en": "1 tried: 0 delivered, 1 failed; left: 1 pending, 0 dead"}
    for lang in ("zh", "zh-Hant", "en"):
        listed = en.ok("--lang", lang, "events", "list", env=env).stdout
        assert status[lang] in listed and ("pending" in listed) == (lang == "en")
        r = en("--lang", lang, "events", "retry", env=env)
        assert r.exit_code == 1 and r.stdout.strip() == retried[lang], r.stdout
    assert en.json("--lang", "zh", "events", "list", env=env)[0]["status"] == "pending"
    empty = Kam(tmp_path / "empty")
    empty.ok("init", "--lang", "zh-Hant")
    assert empty.ok("events", "list").stdout.strip() == "（無）"
    assert empty.ok("--lang", "en", "events", "list").stdout.strip() == "(none)"


def test_customer_classify_notices_in_each_language(en: Kam) -> None:
    cu = en.id("customer", "add", "华东电力集团", "--potential", "5000000",
               "--relationship", "trust")
    said = {lang: en.ok("--lang", lang, "customer", "classify", cu).stdout.strip()
            for lang in ("zh", "zh-Hant", "en")}
    assert said == {"zh": f"{cu} 客户矩阵：核心客户（按规则）",
                    "zh-Hant": f"{cu} 客戶矩陣：核心客戶（按規則）",
                    "en": f"{cu} matrix core (by rule)"}
    en.ok("customer", "edit", cu, "--matrix", "growth")
    manual = en.ok("--lang", "zh", "customer", "classify", cu).stdout
    assert "手工设定；规则给出：核心客户" in manual and "growth" not in manual
