"""商机评估: a weighted evaluation gives the score a sales manager computes by hand, a
company's own model comes by hook, and rules.min_score gates 立项."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Kam
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kam.plugins.rules_standard.evaluation import STANDARD

COMPANY_MODEL = '''
from decimal import Decimal
from kam.api import hookimpl, EvaluationModel, Criterion, Level

SCALE = (Level("high", 10, "高", "high"), Level("mid", 5, "中", "medium"),
         Level("low", 0, "低", "low"))

@hookimpl
def kam_register_evaluation_models(register):
    register("acme", EvaluationModel("acme", "公司模型", "company model", (
        Criterion("budget", "预算", "budget", Decimal(50), SCALE),
        Criterion("fit", "匹配度", "fit", Decimal(30), SCALE),
        Criterion("access", "高层接触", "access", Decimal(20), SCALE, "competition"),
    )))
'''

#: a standard evaluation and its score by hand: 15·5/5 + 15·4/5 + 10·3/5 + 15·4/5
#: + 10·4/5 + 10·3/5 + 10·2/5 + 10·4/5 + 5·5/5 = 15+12+6+12+8+6+4+8+5 = 76 (of 100)
STANDARD_VALUES = ("project_grade=5", "资金状况=较好", "technical=3", "relationship=good",
                   "credit=4", "product=一般", "price=poor", "solution=4", "service=很好")


def _deal(kam: Kam) -> str:
    cu = kam.id("customer", "add", "华东电力", "--grade", "A")
    ct = kam.id("contact", "add", cu, "王建国", "--role", "decision_maker")
    opp = kam.id("opp", "add", cu, "监控平台", "--amount", "300000", "--owner", "李娜")
    kam.ok("opp", "edit", opp, "--budget-confirmed", "--authority", ct, "--need", "升级",
           "--timeline", "2026-09-30", "--competition", "两家", "--decision-process", "办公会")
    return opp


def _score(kam: Kam, opp: str, values: tuple[str, ...], *extra: str) -> dict:
    args = [a for v in values for a in ("--criterion", v)]
    return dict(kam.json("opp", "score", opp, *args, *extra))


def test_the_standard_model_gives_the_hand_computed_score_shown_everywhere(
        kam: Kam) -> None:
    opp = _deal(kam)
    recorded = _score(kam, opp, STANDARD_VALUES, "--note", "初评", "--date", "2026-01-10")
    assert recorded["score"] == "76.0" and recorded["model"] == "standard"
    assert recorded["points"] == {"project_grade": 5, "funding": 4, "technical": 3,
                                  "relationship": 4, "credit": 4, "product": 3, "price": 2,
                                  "solution": 4, "service": 5}
    assert recorded["by"] == "tester" and recorded["on"] == "2026-01-10"
    # a later re-evaluation becomes the score; the first stays in the history
    _score(kam, opp, tuple(f"{c.key}=5" for c in STANDARD.criteria))
    shown = kam.json("opp", "show", opp)
    assert shown["score"] == "100.0"
    assert [e["score"] for e in shown["evaluations"]] == ["76.0", "100.0"]
    report = kam.json("report", "scoring")["tables"]
    assert [(r["id"], r["score"], r["evaluations"]) for r in report["latest"]["rows"]] == [
        (opp, "100.0", 2)]
    assert [r["score"] for r in report["history"]["rows"]] == ["76.0", "100.0"]
    assert "opportunity.scored" in [e["kind"] for e in kam.json("history", opp)]
    card = kam.ok("opp", "show", opp).stdout  # the model by its label, not its key
    assert "76.0" in card and "(standard evaluation, by tester)" in card
    assert "（标准评估模型，评估人 tester）" in kam.ok("--lang", "zh", "opp", "show", opp).stdout


def test_a_company_model_by_hook_and_the_minimum_score_gate(kam: Kam, tmp_path: Path) -> None:
    folder = tmp_path / "company_plugins"
    folder.mkdir()
    (folder / "acme_model.py").write_text(textwrap.dedent(COMPANY_MODEL), encoding="utf-8")
    env = {"KAM_PLUGINS_DIR": str(folder)}
    opp = _deal(kam)
    kam.ok("config", "set", "rules.min_score", "70")
    refused = kam("opp", "advance", opp)
    assert refused.exit_code == 1 and "no evaluation" in refused.stderr
    # (50·10 + 30·5 + 20·0) / 10 = 65 of 100: below 70
    r = kam("opp", "score", opp, "--model", "acme", "--criterion", "budget=high",
            "--criterion", "匹配度=中", "--criterion", "access=low", "--format", "json",
            env=env)
    assert r.exit_code == 0, r.stderr
    assert r.json()["score"] == "65.0"
    refused = kam("opp", "advance", opp)
    assert refused.exit_code == 1
    assert "score 65.0" in refused.stderr and "minimum 70" in refused.stderr
    r = kam("opp", "score", opp, "--model", "acme", "--criterion", "budget=high",
            "--criterion", "fit=high", "--criterion", "access=low", env=env)
    assert r.exit_code == 0 and "80.0" in r.stdout  # 50 + 30 = 80
    kam.ok("opp", "advance", opp)
    assert kam.json("opp", "show", opp)["stage"] == "initiation"


@pytest.mark.parametrize(("args", "says"), [
    ((), "--criterion KEY=VALUE for each criterion of standard"),
    (("--criterion", "project_grade=9"), "not on its scale"),
    (("--criterion", "weather=5"), "no criterion"),
    (("--criterion", "project_grade"), "KEY=VALUE"),
    (("--criterion", "project_grade=5"), "missing funding"),
    (("--model", "nope", "--criterion", "a=1"), "unknown evaluation model"),
])
def test_a_bad_evaluation_is_one_line_and_changes_nothing(
        tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    kam = Kam(tmp_path / "ws")
    kam.ok("init", "--lang", "en")
    opp = kam.id("opp", "add", kam.id("customer", "add", "华东电力"), "平台", "--amount", "1")
    r = kam("opp", "score", opp, *args)
    assert r.exit_code == 2 and says in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert kam.json("opp", "show", opp)["evaluations"] == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=len(STANDARD.criteria),
                max_size=len(STANDARD.criteria)))
@example([1] * len(STANDARD.criteria))
def test_the_score_is_the_weighted_share_of_the_top_points(points: list[int]) -> None:
    values = {c.key: str(p) for c, p in zip(STANDARD.criteria, points, strict=True)}
    got = Decimal(STANDARD.evaluate(values)["score"])
    by_hand = sum(c.weight * p / 5 for c, p in zip(STANDARD.criteria, points, strict=True))
    assert abs(got - by_hand) <= Decimal("0.05") and Decimal(20) <= got <= Decimal(100)
