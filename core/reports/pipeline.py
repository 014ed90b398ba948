"""Pipeline by stage (管道): open opportunities — count, amount, weighted amount.

Weighted amount is Σ amount × probability, each deal to the cent. Streams
opportunities from storage; never sums different currencies together. Deals
moved past a gate by force are counted and listed (forcing lowers the odds).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kam.errors import KamError
from kam.i18n import pick
from kam.models.deal_team import worked_by
from kam.reports import Chart, Report, Series, Table
from kam.reports.common import ZERO, new_report, scan, stage_display, tr
from kam.storage import PIPELINE_KEYS, DealSum, PipelineSums, scope

#: what the forced deals' table shows of each
FIELDS = ("id", "title", "owner", "stage", "currency", "amount", "probability")


def build(ws: Any, owner: str | None = None, currency: str | None = None,
          customer: str | None = None, pipeline: str | None = None, member: str | None = None,
          **_: Any) -> Report:
    """Every open deal counts. Without ``--pipeline`` the deals of other stage models
    (a ``dragon_six`` deal in a ``six_stage`` workspace) are grouped by their own stages
    after the workspace's, and included in the totals, so the totals reconcile with
    ``kam opp list --status open``; ``--pipeline KEY`` keeps only that model's deals."""
    model = ws.pipeline(pipeline)
    where: dict[str, Any] = {"status": "open"}
    if pipeline:
        where["pipeline"] = model.key
    where.update(scope(owner=owner, currency=currency, customer=customer))
    where.update(worked_by(ws, member, "opportunity"))
    cells: dict[tuple[str, str, str], dict[str, Any]] = {}
    where["completed_at__isnull"] = True  # a won deal still open for delivery is not
    sums, forced_deals = pipeline_sums(ws, where, FIELDS)
    for (pipe, stage, cur, forced), count, amount, weighted_sum in sums:
        key = (pipe or model.key, stage, cur)
        c = cells.setdefault(key, {"count": 0, "amount": ZERO, "weighted": ZERO, "forced": 0})
        c["count"] += count
        c["amount"] += amount
        c["weighted"] += weighted_sum
        if forced:
            c["forced"] += count
    forced_rows = [{"id": opp["id"], "title": opp["title"], "owner": opp.get("owner"),
                    "stage": opp["stage"], "amount": opp.get("amount") or ZERO,
                    "currency": opp["currency"], "probability": opp.get("probability")}
                   for opp in forced_deals]
    currencies = sorted({cur for _, _, cur in cells})
    others = sorted({pipe for pipe, _, _ in cells} - {model.key})
    # (pipeline key, its stages in order as (key, probability, label)) — the workspace's first
    groups = [(model.key, _stages(ws, model.key, cells))]
    groups += [(pipe, _stages(ws, pipe, cells)) for pipe in others]
    rows = []
    for pipe, stages in groups:
        for stage_key, probability, _label in stages:
            for cur in currencies:
                found = cells.get((pipe, stage_key, cur))
                if found is None:
                    continue
                row = {"stage": stage_key, "probability": probability, "currency": cur,
                       **found}
                if others:
                    row = {"pipeline": pipe, **row}
                rows.append(row)
    totals = []
    for cur in currencies:
        mine = [r for r in rows if r["currency"] == cur]
        totals.append({"stage": "total", "currency": cur,
                       "count": sum(r["count"] for r in mine),
                       "amount": sum((r["amount"] for r in mine), ZERO),
                       "weighted": sum((r["weighted"] for r in mine), ZERO),
                       "forced": sum(r["forced"] for r in mine)})
    meta: dict[str, Any] = {"pipeline": model.key}
    if others:
        meta["other_pipelines"] = {
            pipe: sum(c["count"] for (p, _, _), c in cells.items() if p == pipe)
            for pipe in others}
    report = new_report(ws, "pipeline", "管道（按阶段）", "Pipeline by stage", **meta,
                        filters=_filters(owner=owner, currency=currency, customer=customer))
    stage_labels = stage_display(ws, model)
    for _pipe, group in groups[1:]:
        for stage_key, _probability, label in group:
            stage_labels.setdefault(stage_key, label)
    columns = ["stage", "currency", "count", "amount", "weighted", "forced"]
    if others:
        columns = ["pipeline", *columns]
        for pipe in others:
            report.notes.append(_note(ws, model.key, pipe, meta["other_pipelines"][pipe]))
    report.tables.append(Table(
        "by_stage", columns, rows, totals,
        title=tr(ws, "在途商机（按阶段）", "Open opportunities by stage"),
        headers={"pipeline": tr(ws, "阶段模型", "Stage model")} if others else {},
        display={"stage": stage_labels,
                 "pipeline": {p: _pipeline_label(ws, p) for p in [model.key, *others]}}))
    if forced_rows:
        report.tables.append(Table(
            "forced", ["id", "title", "owner", "stage", "probability", "amount", "currency"],
            forced_rows, title=tr(ws, "强制推进的商机（赢率已调低）",
                                  "Forced advances (odds lowered)"),
            display={"stage": stage_labels}))
    for cur in currencies:
        present = [(pipe, key, label) for pipe, group in groups for key, _p, label in group
                   if (pipe, key, cur) in cells]
        report.charts.append(Chart(
            tr(ws, f"各阶段金额与加权金额（{cur}）", f"Amount and weighted by stage ({cur})"),
            [label for _pipe, _key, label in present],
            [Series(tr(ws, "金额", "amount"),
                    [cells[(pipe, key, cur)]["amount"] for pipe, key, _l in present]),
             Series(tr(ws, "加权金额", "weighted"),
                    [cells[(pipe, key, cur)]["weighted"] for pipe, key, _l in present])],
            y_label=cur))
    return report


def pipeline_sums(ws: Any, where: dict[str, Any], fields: Sequence[str]
                  ) -> tuple[list[DealSum], Iterator[dict[str, Any]]]:
    """The deal sums by PIPELINE_KEYS and the forced deals' ``fields``: in one walk when
    the backend has kam.storage.PipelineSums, else :func:`pipeline_sums_reference`."""
    if isinstance(ws.storage, PipelineSums):
        return ws.storage.pipeline_sums(where, fields)
    return pipeline_sums_reference(ws, where, fields)


def pipeline_sums_reference(ws: Any, where: dict[str, Any], fields: Sequence[str]
                            ) -> tuple[list[DealSum], Iterator[dict[str, Any]]]:
    """Over the plain protocol (and DealSums): the sums, then — only when some deal is
    forced — the forced deals read again, in id order."""
    from kam.reports.aggregates import deal_aggregates  # the reference path only

    sums = list(deal_aggregates(ws).deal_sums(PIPELINE_KEYS, where))
    if not any(key[-1] for key, *_rest in sums):
        return sums, iter(())
    return sums, iter(scan(ws, "opportunity", fields, where | {"forced": True},
                           order_by=("id",)))


def _stages(ws: Any, pipe: str, cells: dict[tuple[str, str, str], Any]
            ) -> list[tuple[str, int | None, str]]:
    """A stage model's stages as (key, probability, label), in the model's order; stages
    the model does not know (a plugin switched off, a renamed stage) follow by key."""
    try:
        known = [(s.key, s.probability, s.label(ws.lang)) for s in ws.pipeline(pipe).stages]
    except KamError:
        known = []
    keys = {k for k, _, _ in known}
    extra = sorted({stage for p, stage, _ in cells if p == pipe and stage not in keys})
    return known + [(stage, None, stage) for stage in extra]


def _pipeline_label(ws: Any, pipe: str) -> str:
    try:
        model = ws.pipeline(pipe)
    except KamError:
        return pipe
    return pick(ws.lang, model.zh, model.en)


def _note(ws: Any, main: str, other: str, count: int) -> str:
    return tr(
        ws,
        f"{count} 个在途商机使用阶段模型 {_pipeline_label(ws, other)}（{other}），"
        f"按其自身阶段列在 {_pipeline_label(ws, main)} 各阶段之后，并计入合计",
        f"{count} open deal(s) follow the {other} stage model: listed by their own stages "
        f"after the {main} stages, and included in the totals")


def _filters(**given: Any) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v}
