"""kam check — the daily collection run for cron."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

import typer
from kam.cli.common import AsOfOpt, FormatOpt, emit, open_ws, output_lang, say


def write_json(data: dict[str, object]) -> None:
    """``data`` as ``emit`` prints it in JSON, written 64k characters at a time as it is
    encoded instead of held whole (kam.check_json)."""
    from kam.check_json import chunks

    parts: list[str] = []
    size = 0
    for piece in chunks(data):
        parts.append(piece)
        size += len(piece)
        if size > 65536:
            typer.echo("".join(parts), nl=False)
            parts, size = [], 0
    parts.append("\n")
    typer.echo("".join(parts), nl=False)


def write_lines(lang: str | None, new: Iterable[dict[str, Any]],
                renewals: Iterable[dict[str, Any]],
                flagged: Iterable[dict[str, Any]] = ()) -> None:
    """The reminders, renewal reminders and anomaly flags of a run, a line each in
    ``lang`` as ``say`` prints them, filled from their template by column (~100k lines
    and ~10k flags on a big team's first run: no line matched against the catalogue
    again; a flag's note, itself a message, translated once per distinct note) and
    written 64k characters at a time."""
    from kam.cli.common import echo
    from kam.messages import fill_rows

    reminders = fill_rows(
        "{what:<12} {n['receivable_id']:<7} {n['contract_id']:<7} {n['customer_id']:<7} "
        "{n['kind']:<14} due {n['due_date']}  outstanding {n['outstanding']} "
        "{n['currency']}  ({n['days_overdue']} days overdue)",
        (("due" if n["action"] == "due" else f"overdue {n['level']}d", n["receivable_id"],
          n["contract_id"], n["customer_id"], n["kind"], n["due_date"], n["outstanding"],
          n["currency"], n["days_overdue"]) for n in new), lang)
    renewing = fill_rows(
        "{'renewal':<12} {n['contract_id']:<7} {n['customer_id']:<7} "
        "service ends {n['service_end']} ({n['days_left']} days)",
        (("renewal", n["contract_id"], n["customer_id"], n["service_end"], n["days_left"])
         for n in renewals), lang)
    flags = fill_rows("{'flagged':<12} {n['customer_id']:<7} {n['type']}: {n['note']}",
                      (("flagged", n["customer_id"], n["type"], n["note"]) for n in flagged),
                      lang)
    parts: list[str] = []
    size = 0
    for line in chain(reminders, renewing, flags):
        parts.append(line)
        size += len(line) + 1
        if size > 65536:
            echo("\n".join(parts))
            parts, size = [], 0
    if parts:
        echo("\n".join(parts))


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(ctx: typer.Context, as_of: str = AsOfOpt, fmt: str = FormatOpt) -> None:
        """Fire due/overdue events once per level, renewal reminders once per service end,
        anomaly flags (low_credit) once while open, and complaint escalations once; print
        what is new (in the user's language; JSON keeps English); exit 1 if anything is
        overdue."""
        from kam.check_json import ROW_INDENT, JsonTexts, TextRows, reminder_texts
        from kam.services import check as service

        ws = open_ws(ctx, as_of)
        r = service.run_with_retries(ws)
        if fmt == "json":  # streamed: a first run on a big team fires ~100k reminders
            overdue, new = r["overdue"], r["new"]  # flat rows: a page per encoder call
            # the reminder lines from their milestones' fields, each encoded once
            lines = (JsonTexts(len(new), lambda: reminder_texts(new.reminders()), ())
                     if isinstance(new, service.FiredLines)
                     else TextRows(len(new), new.produce, ()))
            write_json({**r, "new": lines,
                        "overdue": JsonTexts(len(overdue),
                                             lambda: service.overdue_json(ws, ROW_INDENT),
                                             ("collection_notes",)),
                        "renewals": TextRows.of(r["renewals"]),
                        "flagged": TextRows.of(r["flagged"])})
        elif fmt != "table":
            emit(ctx, r, fmt)
        else:
            write_lines(output_lang(ctx), r["new"], r["renewals"], r["flagged"])
            for c in r["escalated"]:
                say(ctx, f"{'escalated':<12} {c['complaint_id']:<7} {c['customer_id']:<7} "
                    f"{c['severity']} complaint of {c['owner']} to {c['escalated_to']}")
            if not (r["new"] or r["renewals"] or r["flagged"] or r["escalated"]):
                say(ctx, f"nothing new as of {r['as_of']}")
            if r["preview"]:
                say(ctx, f"preview: {r['as_of']} is after today; nothing was recorded and "
                    "no notification was sent")
            totals = ", ".join(f"{v} {c}" for c, v in r["overdue_outstanding"].items())
            overdue = len(r["overdue"])
            say(ctx, f"{overdue} milestone(s) overdue: {totals}" if totals
                else f"{overdue} milestone(s) overdue")
            d = r.get("deliveries") or {}
            if d.get("tried") or d.get("pending") or d.get("dead"):
                say(ctx, f"event deliveries: {d['delivered']} delivered, {d['pending']} "
                    f"pending, {d['dead']} dead")
        if r["overdue"]:
            raise typer.Exit(1)
