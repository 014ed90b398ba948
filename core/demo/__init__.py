"""``kam demo``: a realistic sample workspace, built through the services (so every
record has its events), then the pipeline printed and how to explore it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

from kam.demo import deals, planning
from kam.demo.after_signing import contracts_after_signing
from kam.demo.service import after_sales
from kam.demo.story import VICE_PRESIDENT, Story
from kam.errors import InputError

MARKER = ".kam-demo"


def _check_target(path: Path) -> None:
    if path.exists() and any(path.iterdir()) and not (path / MARKER).exists():
        raise InputError(f"{path} exists and is not an earlier kam demo; choose another --path")


def build_demo(path: Path, plugins: Any, *, backend: str | None = None,
               lang: str | None = None) -> str:
    from kam.i18n import from_locale, normalise
    from kam.services import admin

    path = Path(path).expanduser().resolve()
    _check_target(path)
    if path.exists():
        shutil.rmtree(path)
    given = lang or os.environ.get("KAM_LANG")
    story = Story((normalise(given) if given else None) or from_locale())
    admin.init(path, plugins, backend=backend, lang=lang, extra={
        "roles": story.roles, "service": {"vice_president": story.t(VICE_PRESIDENT)}})
    fd = os.open(path / MARKER, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    _populate(path, plugins, story)
    return _summary(path, plugins, lang)


def _populate(path: Path, plugins: Any, story: Story) -> None:
    """The story, chapter by chapter, each on the business dates it happened."""
    from kam.services import contacts, customers
    from kam.workspace import Workspace

    today = dt.date.today()
    start = today - dt.timedelta(days=120)
    ws = Workspace.open(path, plugins=plugins, as_of=start)
    ws.actor = "demo"
    try:
        cust_ids, contact_ids = [], {}
        for i, (name, grade, matrix, ptype, rel, industry, region, potential) in enumerate(
            story.customers
        ):
            c = customers.add(ws, name, grade=grade, matrix=matrix, purchase_type=ptype,
                              relationship=rel, industry=industry, region=region,
                              potential=potential, currency="CNY")
            cust_ids.append(c["id"])
            contact_ids[i] = [
                contacts.add(ws, c["id"], n, title=t, roles=r, coach=coach, stance=stance,
                             level=level)["id"]
                for n, t, r, coach, stance, level in story.contacts[i]
            ]
        opp_ids = [deals.deal(ws, story, n, start, today, cust_ids, contact_ids)
                   for n in range(len(story.deals))]
        contracts_after_signing(ws, story, today, opp_ids)
        after_sales(ws, story, today, opp_ids)
        deals.negotiation(ws, story, opp_ids[1])
        deals.trial(ws, story, opp_ids[2], today)
        deals.tender(ws, story, opp_ids[2])
        planning.visit_plans(ws, story, today, cust_ids)
        ws.today = today
        planning.targets(ws, story, today, cust_ids)
        _flags(ws, story)
    finally:
        ws.close()


def _flags(ws: Any, story: Story) -> None:
    """异常客户: the rule ``kam check`` runs raises ``low_credit`` today for the customer whose
    framework agreement is 90+ days overdue, left open for someone to review; its note in
    the demo's language, as the rest of the demo's data."""
    from kam.services import check_anomalies

    ws.actor = "demo"
    check_anomalies.raise_anomaly_flags(ws, lang=story.lang)


def _summary(path: Path, plugins: Any, lang: str | None) -> str:
    """The pipeline and aging reports of the new workspace, and where to go next."""
    from kam.services import reports
    from kam.workspace import Workspace

    ws = Workspace.open(path, plugins=plugins, lang=lang)
    try:
        shown = [reports.render_table(reports.build(ws, name)).rstrip("\n")
                 for name in ("pipeline", "aging")]
        counts = {plural: ws.storage.count(kind) for kind, plural in (
            ("customer", "customers"), ("opportunity", "opportunities"),
            ("activity", "activities"), ("contract", "contracts"),
            ("receivable", "payment milestones"), ("payment", "payments"))}
    finally:
        ws.close()
    totals = ", ".join(f"{n} {plural}" for plural, n in counts.items())
    return (
        f"kam demo workspace built at {path}\n{totals}\n\n"
        + "\n\n".join(shown)
        + "\n\nExplore it:\n"
        f"  kam --workspace {path} opp list\n"
        f"  kam --workspace {path} opp show OP3          # what its next gate still needs\n"
        f"  kam --workspace {path} receivable list --overdue\n"
        f"  kam --workspace {path} report battle-map --format md\n"
        f"  kam --workspace {path} check                 # due/overdue, as cron would run it\n"
        f"  kam --workspace {path} history OP1\n"
        f"  kam --workspace {path} customer list --flagged   # 异常客户, raised by the rule\n"
        f"  kam --workspace {path} report service        # satisfaction, complaints, cost\n"
        f"  export KAM_HOME={path}   # then plain `kam opp list`\n"
    )
