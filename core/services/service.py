"""After-sales service (客户服务): the service register (服务记录) of the four types —
有偿 A paid, 合同 B under contract, 免费 C free, 内务 D internal — and one satisfaction
survey (满意度调查) per service on four dimensions at four levels.

A service's cost is money in the currency of its contract (else the customer's), so
cost per contract and per type add up to the register in each currency.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kam import values
from kam.errors import InputError, RefusedError
from kam.services.common import atomic, clean_changes, dump, validate
from kam.storage import scope
from kam.workspace import Workspace

#: the four dimensions of a survey: 态度, 技术, 到达时间, 答应事项
DIMENSIONS = ("attitude", "skill", "arrival", "promises")


def _contract_of(ws: Workspace, contract_id: str | None, customer_id: str) -> dict[str, Any] | None:
    if not contract_id:
        return None
    contract = ws.get("contract", contract_id.strip())
    if contract["customer_id"] != customer_id:
        raise InputError(f"--contract: {contract['id']} is a contract of "
                         f"{contract['customer_id']}, not of {customer_id}")
    return contract


@atomic
def log(ws: Workspace, customer_id: str, *, type: str, contract: str | None = None,
        engineer: str | None = None, date: str | None = None, hours: str | None = None,
        cost: str | None = None, currency: str | None = None, voucher: str | None = None,
        remote: bool = False, note: str | None = None) -> dict[str, Any]:
    """Register one service call on a customer (optionally under one of its contracts)."""
    from kam.models.service import Service

    customer = ws.get("customer", customer_id.strip())
    linked = _contract_of(ws, contract, customer["id"])
    cur = currency or (linked or {}).get("currency") or customer.get("currency") \
        or ws.config.get("currency") or "CNY"
    now = ws.now()
    draft = validate(Service, {
        "id": "SV0", "customer_id": customer["id"],
        "contract_id": linked["id"] if linked else None, "type": type,
        "engineer": engineer or ws.actor,
        "date": values.date(date, "--date") if date else ws.today,
        "hours": values.number(hours, "--hours", lo=0, hi=99999) if hours else None,
        "cost": values.money(cost, "--cost") if cost else None, "currency": cur,
        "remote": remote, "created_at": now, "updated_at": now,
        **clean_changes({"voucher": voucher, "note": note}),
    })
    with ws.mutation("service.logged", refs=[customer["id"], draft.contract_id or ""]) as m:
        record = in_declared_order("service",
                                   dump(draft) | {"id": ws.storage.next_id("service")})
        ws.storage.insert("service", record)
        m.record_id = record["id"]
        m.payload = {"type": record["type"], "engineer": record["engineer"],
                     "date": record["date"].isoformat(),
                     "cost": values.fmt_money(record["cost"]) or None,
                     "currency": record["currency"]}
    ws.fire("kam_service_event", record=record, action="logged", event=m.event)
    return record


def in_declared_order(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """A new record's keys in the kind's declared order (as a list or show prints them)."""
    from kam.kinds import KINDS

    return {name: record.get(name) for name in KINDS[kind].names}


def list_(ws: Workspace, *, customer: str | None = None, engineer: str | None = None,
          type: str | None = None, contract: str | None = None,
          limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The service register, oldest first."""
    from kam.vocab import parse

    where: dict[str, Any] = scope(customer=customer)
    if engineer:
        where["engineer"] = engineer.strip()
    if type:
        where["type"] = parse("service_type", type)
    if contract:
        where["contract_id"] = contract.strip().upper()
    return ws.storage.find("service", where, order_by=("date", "id"), limit=limit)


@atomic
def survey(ws: Workspace, service_id: str, *, attitude: str, skill: str, arrival: str,
           promises: str, date: str | None = None, respondent: str | None = None,
           note: str | None = None) -> dict[str, Any]:
    """Record the customer's satisfaction with one service; one survey per service."""
    from kam.models.service import Survey

    service = ws.get("service", service_id.strip())
    done = ws.storage.find("survey", {"service_id": service["id"]}, order_by=("id",), limit=1)
    earlier = next(iter(done), None)
    if earlier is not None:
        raise RefusedError(f"service {service['id']} was surveyed already ({earlier['id']} on "
                           f"{earlier['date']}): one survey per service")
    when = values.date(date, "--date") if date else ws.today
    if when < service["date"]:
        raise InputError(f"--date: {when} is before the service itself ({service['date']})")
    draft = validate(Survey, {
        "id": "SY0", "service_id": service["id"], "customer_id": service["customer_id"],
        "attitude": attitude, "skill": skill, "arrival": arrival, "promises": promises,
        "date": when, "surveyed_by": ws.actor, "created_at": ws.now(),
        **clean_changes({"respondent": respondent, "note": note}),
    })
    with ws.mutation("survey.recorded", refs=[service["id"], service["customer_id"]]) as m:
        record = dump(draft) | {"id": ws.storage.next_id("survey")}
        ws.storage.insert("survey", record)
        m.record_id = record["id"]
        m.payload = {"service_id": service["id"], **{d: record[d] for d in DIMENSIONS}}
    ws.fire("kam_service_event", record=record, action="surveyed", event=m.event)
    return record


def surveys(ws: Workspace, *, customer: str | None = None,
            limit: int | None = None) -> Iterator[dict[str, Any]]:
    return ws.storage.find("survey", scope(customer=customer), order_by=("date", "id"),
                           limit=limit)
