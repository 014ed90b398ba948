"""Generate a realistic kam workspace for benchmarks, deterministic from a seed.

    python benchmarks/generate.py large --path /tmp/kam-bench/sqlite-large-1 [--seed 1]
                                        [--backend sqlite|csv]

Sizes: ``tiny`` (a CI smoke test), ``medium`` and ``large`` (quality.md). Records go
through the storage protocol into a workspace made by ``kam.services.admin.init``,
in one transaction, using a backend's optional bulk fast paths when it has them
(``insert_many``, ``append_events``, ``advance_sequence``) and the plain protocol
otherwise. Every record has an event naming it, so ``kam doctor`` passes.

The data hangs together the way the services would have left it: contracts are
signed only for won deals (drafts in review hang off open deals in negotiation),
milestones add up to the contract amount exactly, payments are allocated within
what is owed, overdue receivables fall in every aging bucket, amounts are skewed
(a few big deals, many small ones), names are Chinese and English, and customers
deal in several currencies. "Today" for the data set is :data:`TODAY`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

#: bump when the data changes, so cached workspaces are generated again
VERSION = 3  # 3: stage-change events (the funnel's history)
TODAY = dt.date(2026, 6, 30)
START = dt.date(2023, 7, 1)  # three years of history
BATCH = 5000
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

SIZES: dict[str, dict[str, int]] = {
    "tiny": dict(customers=30, contacts=90, opportunities=150, activities=1500,
                 contracts=60, milestones=250, payments=160),
    "medium": dict(customers=2_000, contacts=6_000, opportunities=10_000, activities=100_000,
                   contracts=5_000, milestones=20_000, payments=15_000),
    "large": dict(customers=20_000, contacts=60_000, opportunities=100_000,
                  activities=1_000_000, contracts=50_000, milestones=200_000,
                  payments=150_000),
}

# --- vocabulary for names ---------------------------------------------------------------

REGIONS_ZH = ["华东", "华南", "华北", "西南", "东北", "上海", "深圳", "北京", "杭州", "成都",
              "武汉", "苏州", "南京", "重庆", "天津", "西安", "青岛", "厦门", "长沙", "合肥"]
WORDS_ZH = ["电力", "智造", "新能源", "精密", "数码", "医药", "物流", "化工", "钢铁", "汽车",
            "信息", "通信", "建设", "环保", "食品", "纺织", "材料", "半导体", "水务", "燃气"]
SUFFIX_ZH = ["集团", "科技有限公司", "股份有限公司", "实业有限公司", "工业公司", "控股集团"]
INDUSTRIES = ["电力", "制造", "医药", "物流", "化工", "汽车", "金融", "零售", "能源", "通信"]
CITIES = ["上海", "深圳", "北京", "杭州", "成都", "武汉", "苏州", "南京", "Singapore",
          "Frankfurt", "Hong Kong", "Tokyo"]
EN_FIRST = ["Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Acme",
            "Stark", "Wayne", "Tyrell", "Cyberdyne", "Vandelay", "Hooli", "Soylent", "Wonka"]
EN_SECOND = ["Logistics", "Energy", "Foods", "Systems", "Pharma", "Motors", "Retail",
             "Networks", "Materials", "Robotics"]
EN_SUFFIX = ["Ltd", "GmbH", "Inc.", "Pte Ltd", "AG", "Co."]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "强", "建国", "秀英",
         "志强", "丽华", "海燕", "晓明", "文博", "思远"]
EN_NAMES = ["Emily", "James", "Olivia", "Liam", "Sophia", "Noah", "Mia", "Lucas", "Anna",
            "Daniel", "Grace", "Henry"]
EN_LAST = ["Chen", "Smith", "Müller", "Wong", "Tanaka", "Brown", "Schmidt", "Lee", "Garcia",
           "Nguyen"]
TITLES_ZH = ["智能变电站监控平台", "配网自动化", "MES 系统升级", "仓储自动化", "数据中心扩容",
             "ERP 实施", "安全生产监测", "能耗管理平台", "质量追溯系统", "视频会议系统"]
TITLES_EN = ["Warehouse scanners", "Plant analytics", "Fleet telematics", "Cold-chain sensors",
             "Network refresh", "Cloud migration", "Quality inspection", "Energy dashboards"]
JOB_TITLES = ["总经理", "信息中心主任", "采购经理", "设备部长", "财务总监", "CIO", "Head of IT",
              "Procurement Lead", "Plant Manager"]
NOTES = ["与客户沟通需求和方案", "演示产品功能", "讨论商务条款", "技术交流", "回访客户",
         "Discussed scope and timeline", "Site survey", "Price negotiation"]

# Currency mix: most business in CNY, some in USD, EUR, HKD; amounts scale per currency.
CURRENCIES = [("CNY", 70, 1.0), ("USD", 15, 0.14), ("EUR", 10, 0.13), ("HKD", 5, 1.1)]
STAGES = ["development", "initiation", "proposal", "bidding", "negotiation", "implementation"]
PROBABILITY = dict(zip(STAGES, (10, 20, 40, 60, 80, 100), strict=True))
KINDS_3 = [("down_payment", "30%", "+10d"), ("on_delivery", "60%", "+30d"),
           ("warranty", "10%", "")]
KINDS_4 = [("down_payment", "30%", "+10d"), ("on_delivery", "30%", "+30d"),
           ("on_acceptance", "30%", "+30d"), ("warranty", "10%", "")]
KINDS_5 = [("down_payment", "10%", "+15d"), ("fixed_date", "20%", None),
           ("on_delivery", "30%", "+30d"), ("on_acceptance", "30%", "+45d"),
           ("warranty", "10%", "")]


def _stamp(day: dt.date, rng: random.Random) -> str:
    return f"{day.isoformat()}T{rng.randrange(1, 11):02d}:{rng.randrange(60):02d}:00+00:00"


def _day(rng: random.Random, start: dt.date = START, end: dt.date = TODAY,
         recent: float = 1.6) -> dt.date:
    """A day in [start, end], more of them recent (``recent`` > 1 skews towards end)."""
    span = (end - start).days
    if span <= 0:
        return start
    return start + dt.timedelta(days=int(span * rng.random() ** (1 / recent)))


def _skewed(rng: random.Random, scale: float) -> Decimal:
    """A deal size: log-normal (median ~300k CNY), whole thousands, ≥ 10k."""
    value = max(10_000.0, rng.lognormvariate(12.6, 1.1)) * scale
    return Decimal(int(value) // 1000 * 1000 or 1000)


def _weighted(rng: random.Random, items: list[tuple[Any, int]]) -> Any:
    return rng.choices([i for i, _ in items], [w for _, w in items])[0]


def person(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(SURNAMES) + rng.choice(GIVEN)
    return f"{rng.choice(EN_NAMES)} {rng.choice(EN_LAST)}"


# --- writing ------------------------------------------------------------------------------


class Writer:
    """Batches records and their events into the storage, using fast paths if present."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        self.insert_many: Callable[[str, list[dict]], None] | None = getattr(
            storage, "insert_many", None)
        self.append_events: Callable[[list[dict]], list[dict]] | None = getattr(
            storage, "append_events", None)
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self.counts: dict[str, int] = {}
        self.top: dict[str, int] = {}

    def add(self, kind: str, record: dict[str, Any], event: dict[str, Any] | None) -> None:
        self.records.setdefault(kind, []).append(record)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.top[kind] = max(self.top.get(kind, 0), int(record["id"].lstrip(LETTERS)))
        if event is not None:
            self.event(event)
        if len(self.records[kind]) >= BATCH:
            self.flush(kind)

    def event(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if len(self.events) >= BATCH:
            self.flush_events()

    def flush(self, kind: str) -> None:
        batch = self.records.pop(kind, [])
        if not batch:
            return
        if self.insert_many is not None:
            self.insert_many(kind, batch)
        else:
            for record in batch:
                self.storage.insert(kind, record)

    def flush_events(self) -> None:
        if not self.events:
            return
        if self.append_events is not None:
            self.append_events(self.events)
        else:
            for event in self.events:
                self.storage.append_event(event)
        self.counts["event"] = self.counts.get("event", 0) + len(self.events)
        self.events = []

    def finish_kind(self, kind: str) -> None:
        """Write what is buffered of a kind (and its events: they name its records)."""
        self.flush(kind)
        self.flush_events()
        top = self.top.get(kind, 0)
        advance = getattr(self.storage, "advance_sequence", None)
        if top and advance is not None:
            advance(kind, top)
        elif top:
            from kam.storage import id_number

            while id_number(self.storage.next_id(kind)) < top:
                pass


def ev(kind: str, record_id: str, at: str, actor: str, payload: dict[str, Any],
       refs: Iterable[str] = ()) -> dict[str, Any]:
    return {"at": at, "actor": actor, "kind": kind, "record_id": record_id,
            "payload": payload, "refs": sorted({r for r in refs if r and r != record_id})}


def stage_events(opp: dict[str, Any]) -> list[dict[str, Any]]:
    """The events the services would have written as the deal moved: one
    ``opportunity.advanced`` per step of its stage history (payload as ``kam opp
    advance`` writes it), then ``opportunity.lost``/``abandoned`` for a closed one (as
    ``kam opp close``). The funnel reads these."""
    out = []
    refs = [opp["customer_id"]]
    history = opp["stage_history"]
    for before, step in zip(history, history[1:], strict=False):
        out.append(ev("opportunity.advanced", opp["id"], f"{step['on']}T12:00:00+00:00",
                      opp["owner"], {"from": before["stage"], "to": step["stage"],
                                     "on": step["on"], "forced": step["forced"],
                                     "reason": step["reason"], "overridden": []}, refs))
    if opp["status"] in ("lost", "abandoned") and opp.get("closed_at"):
        on = opp["closed_at"].isoformat()
        out.append(ev(f"opportunity.{opp['status']}", opp["id"], f"{on}T18:00:00+00:00",
                      opp["owner"], {"status": opp["status"], "reason": opp.get("reason") or "",
                                     "stage": opp["stage"], "on": on}, refs))
    return out


# --- the data set -------------------------------------------------------------------------


@dataclass
class Deal:
    """What later kinds need to know about an opportunity."""

    id: str
    customer: int
    owner: str
    amount: Decimal
    currency: str
    title: str
    status: str
    closed_at: dt.date | None
    created: dt.date
    contract: str | None = None  # contract id planned for it
    contract_status: str | None = None


@dataclass
class Milestone:
    id: str
    seq: int
    kind: str
    share: str
    offset: str
    amount: Decimal
    trigger_on: dt.date | None
    due_date: dt.date | None
    paid: Decimal = Decimal("0.00")
    paid_on: dt.date | None = None
    written_off: Decimal | None = None
    written_off_on: dt.date | None = None
    payments: list[tuple[dt.date, Decimal]] = field(default_factory=list)


def generate(storage: Any, size: str | dict[str, int], seed: int = 1,
             progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write a whole data set into ``storage`` (in one transaction). Returns the counts."""
    from kam.services.contract_plan import add_months, split

    n = SIZES[size] if isinstance(size, str) else size
    rng = random.Random(seed)
    say = progress or (lambda _msg: None)
    w = Writer(storage)
    n_owners = max(4, n["customers"] // 100)
    owners = []
    for i in range(n_owners):
        name = person(rng)
        owners.append(name if name not in owners else f"{name}{i}")
    supervisor = ["销售经理 陈静", "销售总监 刘洋", "Sales Director Anna Brown"]

    with storage.transaction():
        # customers ---------------------------------------------------------------------
        say("customers")
        cust_owner: list[str] = []
        cust_currency: list[str] = []
        for i in range(1, n["customers"] + 1):
            cur = _weighted(rng, [(c, wgt) for c, wgt, _ in CURRENCIES])
            if cur == "CNY" or rng.random() < 0.3:
                name = (rng.choice(REGIONS_ZH) + rng.choice(WORDS_ZH) + rng.choice(SUFFIX_ZH))
            else:
                name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_SECOND)} {rng.choice(EN_SUFFIX)}"
            owner = rng.choice(owners)
            created = _day(rng, START, TODAY - dt.timedelta(days=30), recent=1.0)
            at = _stamp(created, rng)
            rid = f"CU{i}"
            w.add("customer", {
                "id": rid, "name": name, "grade": _weighted(rng, [("A", 10), ("B", 30),
                                                                   ("C", 40), ("D", 20)]),
                "matrix": rng.choice(["core", "growth", "traction", "problem"]),
                "purchase_type": rng.choice(["continuous", "occasional"]),
                "relationship": rng.choice(["acquainted", "dating", "trust", "alliance"]),
                "industry": rng.choice(INDUSTRIES), "region": rng.choice(CITIES),
                "scope": None, "intel": {}, "potential": _skewed(rng, 3.0), "potential_drivers": [],
                "currency": cur, "owner": owner,
                "flags": [] if rng.random() < 0.97 else [
                    {"type": "churn_risk", "note": "采购转向竞品", "by": owner,
                     "on": created.isoformat()}],
                "fields": {}, "created_at": at, "updated_at": at,
            }, ev("customer.added", rid, at, owner, {"name": name}))
            cust_owner.append(owner)
            cust_currency.append(cur)
        w.finish_kind("customer")

        # contacts ------------------------------------------------------------------------
        say("contacts")
        contacts_of: list[list[str]] = [[] for _ in range(n["customers"])]
        for i in range(1, n["contacts"] + 1):
            c = (i - 1) % n["customers"] if i <= n["customers"] else rng.randrange(n["customers"])
            rid = f"CT{i}"
            name = person(rng)
            at = _stamp(_day(rng), rng)
            roles = rng.sample(["decision_maker", "selector", "purchaser", "user", "evaluator",
                                "acceptor"], rng.choice([1, 1, 2]))
            w.add("contact", {
                "id": rid, "customer_id": f"CU{c + 1}", "name": name,
                "title": rng.choice(JOB_TITLES), "roles": roles,
                "coach": rng.choice(["none", "intel", "advise", "intervene"]),
                "stance": rng.choice(["supporter", "neutral", "opponent"]),
                "style": rng.choice(["controller", "analyzer", "promoter", "supporter_style"]),
                "level": rng.choice(["operational", "management", "executive"]),
                "phone": f"1{rng.randrange(30, 99)}{rng.randrange(10**8):08d}",
                "email": f"contact{i}@example.com", "note": None, "fields": {},
                "created_at": at, "updated_at": at,
            }, ev("contact.added", rid, at, cust_owner[c], {"customer_id": f"CU{c + 1}",
                                                            "name": name}, [f"CU{c + 1}"]))
            contacts_of[c].append(rid)
        w.finish_kind("contact")

        # opportunities: decide who wins, which get contracts --------------------------------
        say("opportunities")
        n_opp, n_con = n["opportunities"], n["contracts"]
        n_unsigned = max(3, n_con // 25)  # drafts, in review, approved: open deals
        n_signed = n_con - n_unsigned
        n_won = min(n_opp, n_signed + n_opp // 20)
        n_lost = (n_opp - n_won) * 35 // 100
        n_abandoned = (n_opp - n_won) * 10 // 100
        statuses = (["won"] * n_won + ["lost"] * n_lost + ["abandoned"] * n_abandoned)
        statuses += ["open"] * (n_opp - len(statuses))
        rng.shuffle(statuses)
        deals: list[Deal] = []
        won_idx = [i for i, s in enumerate(statuses) if s == "won"]
        open_idx = [i for i, s in enumerate(statuses) if s == "open"]
        signed_for = set(rng.sample(won_idx, n_signed))
        negotiating = set(open_idx[:n_unsigned])  # open deals in negotiation with a draft
        renewals_planned = []
        for i, status in enumerate(statuses):
            c = rng.randrange(n["customers"]) if i >= n["customers"] else i
            cur = cust_currency[c]
            scale = next(s for code, _, s in CURRENCIES if code == cur)
            amount = _skewed(rng, scale)
            title = (rng.choice(TITLES_ZH) if cur == "CNY" else rng.choice(TITLES_EN))
            if rng.random() < 0.4:
                title = f"{title} {rng.choice(['一期', '二期', '三期', 'phase 2'])}"
            created = _day(rng, START, TODAY - dt.timedelta(days=20), recent=1.3)
            deal = Deal(f"OP{i + 1}", c, cust_owner[c] if rng.random() < 0.8 else
                        rng.choice(owners), amount, cur, title, status, None, created)
            deals.append(deal)
        # contract ids follow opportunity order: CO1.. for the deals that have one
        con_no = 0
        for i, d in enumerate(deals):
            if i in signed_for or i in negotiating:
                con_no += 1
                d.contract = f"CO{con_no}"
        signed_ids = [d.contract for i, d in enumerate(deals) if i in signed_for]
        for i in open_idx[n_unsigned:]:
            if signed_ids and rng.random() < 0.08:
                renewals_planned.append(i)
        for i, d in enumerate(deals):
            record = _opportunity(rng, d, i, statuses[i], i in negotiating,
                                  i in renewals_planned, signed_ids, contacts_of, supervisor)
            w.add("opportunity", record,
                  ev("opportunity.added", d.id, _stamp(d.created, rng), d.owner,
                     {"title": d.title, "amount": f"{d.amount:.2f}", "currency": d.currency},
                     [f"CU{d.customer + 1}"]))
            for event in stage_events(record):
                w.event(event)
        w.finish_kind("opportunity")

        # activities --------------------------------------------------------------------------
        say("activities")
        types = [("visit", 30), ("call", 30), ("meeting", 12), ("demo", 8), ("proposal", 5),
                 ("bid", 3), ("negotiation", 5), ("service", 5), ("other", 2)]
        outcomes = [("advance", 50), ("continuance", 30), ("order", 8), ("no_sale", 12)]
        for i in range(1, n["activities"] + 1):
            rid = f"AC{i}"
            d = deals[rng.randrange(n_opp)]
            opp_id = d.id if rng.random() < 0.9 else None
            day = _day(rng, d.created, TODAY, recent=2.0)
            met = contacts_of[d.customer]
            contact_ids = rng.sample(met, min(len(met), rng.choice([0, 1, 1, 2])))
            at = _stamp(day, rng)
            kind = _weighted(rng, types)
            outcome = _weighted(rng, outcomes)
            links = [f"CU{d.customer + 1}", opp_id]
            w.add("activity", {
                "id": rid, "opportunity_id": opp_id, "customer_id": f"CU{d.customer + 1}",
                "lead_id": None, "type": kind, "date": day, "owner": d.owner,
                "contact_ids": contact_ids, "outcome": outcome, "note": rng.choice(NOTES),
                "next_step": "准备下一次拜访" if rng.random() < 0.5 else None,
                "next_due": day + dt.timedelta(days=7) if rng.random() < 0.5 else None,
                "created_at": at,
            }, ev("activity.logged", rid, at, d.owner, {"type": kind, "outcome": outcome},
                  [x for x in links if x]))
        w.finish_kind("activity")

        # contracts with their milestones (planned together) ------------------------------------
        say("contracts")
        plans = _plan_mix(n_signed, n["milestones"], rng)
        contract_rows: list[tuple[dict[str, Any], list[Milestone], Deal]] = []
        rc_no = 0
        plan_i = 0
        drafts = 0
        for i, d in enumerate(deals):
            if d.contract is None:
                continue
            signed = i in signed_for
            record, milestones = _contract(rng, d, signed, plans[plan_i] if signed else None,
                                           rc_no if signed else drafts, split, add_months,
                                           supervisor)
            if signed:
                plan_i += 1
                rc_no += len(milestones)
            else:
                drafts += 1
            contract_rows.append((record, milestones, d))
        _pay(rng, contract_rows, n["payments"])
        for record, milestones, d in contract_rows:
            created = record["created_at"]
            w.add("contract", record, ev(
                "contract.created", record["id"], created, d.owner,
                {"amount": f"{record['amount']:.2f}", "currency": record["currency"],
                 "number": record["number"]}, [d.id, record["customer_id"]]))
            if record.get("signed_on"):
                w.event(ev("contract.signed", record["id"], _stamp(record["signed_on"], rng),
                           d.owner, {"signed_on": record["signed_on"].isoformat(),
                                     "amount": f"{record['amount']:.2f}",
                                     "currency": record["currency"],
                                     "milestones": len(milestones)},
                           [d.id, record["customer_id"], *(m.id for m in milestones)]))
        w.finish_kind("contract")

        say("receivables")
        for record, milestones, _d in contract_rows:
            for m in milestones:
                stamp = record["updated_at"]
                w.add("receivable", {
                    "id": m.id, "contract_id": record["id"],
                    "customer_id": record["customer_id"], "seq": m.seq, "kind": m.kind,
                    "share": m.share, "due_offset": m.offset, "amount": m.amount,
                    "currency": record["currency"], "trigger_on": m.trigger_on,
                    "due_date": m.due_date, "paid": m.paid,
                    "paid_on": m.paid_on, "written_off": m.written_off,
                    "written_off_on": m.written_off_on,
                    "written_off_by": supervisor[1] if m.written_off_on else None,
                    "write_off_reason": "合同终止，无法收回" if m.written_off_on else None,
                    "created_at": _stamp(record["signed_on"], rng), "updated_at": stamp,
                }, None)
                if m.written_off_on:
                    w.event(ev("receivable.written_off", m.id, _stamp(m.written_off_on, rng),
                               supervisor[1], {"amount": f"{m.written_off:.2f}",
                                               "currency": record["currency"],
                                               "by": supervisor[1],
                                               "reason": "合同终止，无法收回"},
                               [record["id"], record["customer_id"]]))
        w.finish_kind("receivable")

        say("payments")
        py_no = 0
        payments: list[tuple[dt.date, str, Decimal, dict[str, Any], Deal]] = []
        for record, milestones, d in contract_rows:
            for m in milestones:
                for on, amount in m.payments:
                    payments.append((on, m.id, amount, record, d))
        payments.sort(key=lambda p: (p[0], p[1]))
        for on, rc, amount, record, d in payments:
            py_no += 1
            rid = f"PY{py_no}"
            at = _stamp(on, rng)
            allocations = [{"amount": f"{amount:.2f}", "receivable_id": rc}]
            ref = (f"招行回单 {py_no:06d}" if record["currency"] == "CNY"
                   else f"Wire {on.isoformat()}-{py_no}")
            w.add("payment", {
                "id": rid, "contract_id": record["id"], "customer_id": record["customer_id"],
                "amount": amount, "currency": record["currency"], "date": on, "ref": ref,
                "allocations": allocations, "note": None, "created_at": at,
            }, ev("payment.recorded", rid, at, d.owner,
                  {"amount": f"{amount:.2f}", "currency": record["currency"],
                   "date": on.isoformat(), "ref": ref, "allocations": allocations},
                  [record["id"], record["customer_id"], rc]))
        w.finish_kind("payment")

        # targets: one per owner and quarter of this year ------------------------------------
        tg = 0
        for owner in owners:
            for q in (1, 2, 3, 4):
                tg += 1
                rid = f"TG{tg}"
                at = _stamp(dt.date(2026, 1, 5), rng)
                amount = Decimal(rng.randrange(20, 80) * 100_000)
                w.add("target", {"id": rid, "owner": owner, "period": f"2026-Q{q}",
                                 "amount": amount, "currency": "CNY", "note": None,
                                 "created_at": at, "updated_at": at},
                      ev("target.set", rid, at, supervisor[1],
                         {"owner": owner, "period": f"2026-Q{q}",
                          "amount": f"{amount:.2f}", "currency": "CNY"}))
        w.finish_kind("target")
    return {k: v for k, v in w.counts.items()}


def _opportunity(rng: random.Random, d: Deal, i: int, status: str, negotiating: bool,
                 renewal: bool, signed_ids: list[str], contacts_of: list[list[str]],
                 supervisor: list[str]) -> dict[str, Any]:
    created = d.created
    forced = False
    completed_at = None
    reason = summary = None
    if status == "won":
        stage = "implementation"
        probability = 100
        category = "closed"
        closed = _day(rng, created, TODAY - dt.timedelta(days=1), recent=0.8)
        d.closed_at = closed
        if rng.random() < 0.3 and (TODAY - closed).days > 200:
            completed_at = closed + dt.timedelta(days=rng.randrange(120, 200))
        close_date = closed
    elif status == "open":
        stage = "negotiation" if negotiating else _weighted(
            rng, [("development", 30), ("initiation", 25), ("proposal", 20), ("bidding", 15),
                  ("negotiation", 10)])
        probability = PROBABILITY[stage]
        if rng.random() < 0.04:
            forced = True
            probability //= 2
        category = {"development": "pipeline", "initiation": "pipeline", "proposal": "best_case",
                    "bidding": "best_case", "negotiation": "commit"}[stage]
        if rng.random() < 0.05:
            category = "omitted"
        close_date = TODAY + dt.timedelta(days=rng.randrange(-30, 540))
        closed = None
    else:
        stage = rng.choice(STAGES[:5])
        probability = PROBABILITY[stage]
        category = "omitted"
        closed = _day(rng, created, TODAY - dt.timedelta(days=1), recent=0.8)
        close_date = closed
        reason = rng.choice(["价格过高", "竞品中标", "预算取消", "Lost on price",
                             "Project cancelled"])
        summary = "复盘：需更早接触决策者" if rng.random() < 0.5 else None
    d.closed_at = closed
    history = []
    on = created
    for s in STAGES[:STAGES.index(stage) + 1]:
        history.append({"stage": s, "on": on.isoformat(), "forced": False, "reason": None})
        on = min(on + dt.timedelta(days=rng.randrange(3, 40)), closed or TODAY)
    if forced:
        history[-1]["forced"] = True
        history[-1]["reason"] = "客户要求加快"
    if completed_at:
        history.append({"stage": "completed", "on": completed_at.isoformat(), "forced": False,
                        "reason": None})
    contacts = contacts_of[d.customer]
    importance = _weighted(rng, [("N", 60), ("I", 25), ("VI", 8), ("NI", 7)])
    at = _stamp(created, rng)
    return {
        "id": d.id, "customer_id": f"CU{d.customer + 1}", "lead_id": None,
        "number": f"PRJ-{created.year}-{i + 1:06d}", "title": d.title, "owner": d.owner,
        "amount": d.amount, "currency": d.currency,
        "margin": Decimal(rng.randrange(8, 45)),
        "expense_budget": (d.amount * Decimal("0.03")).quantize(Decimal("0.01")),
        "category": rng.choice(["解决方案", "软件", "硬件", "服务"]),
        "close_date": close_date, "importance": importance, "probability": probability,
        "forecast_category": category, "pipeline": "six_stage", "stage": stage,
        "status": status, "forced": forced, "customer_owner": None,
        "budget_confirmed": stage != "development", "budget_amount": d.amount,
        "authority_contact_id": contacts[0] if contacts and stage != "development" else None,
        "need": f"{d.title}：提升效率、降低成本", "timeline": close_date,
        "competition": "两家同行竞争" if rng.random() < 0.5 else None,
        "decision_process": None, "checklist": [],
        "approvals": [{"by": supervisor[1], "on": created.isoformat(), "decision": "approved",
                       "comment": "同意立项"}] if importance in ("I", "VI") else [],
        "bids": [], "stage_history": history,
        "stage_entered_at": dt.date.fromisoformat(history[-1]["on"]) if not completed_at
        else dt.date.fromisoformat(history[-2]["on"]),
        "reason": reason, "summary": summary, "closed_at": closed,
        "completed_at": completed_at,
        "renews_contract_id": rng.choice(signed_ids) if renewal else None,
        "fields": {}, "created_at": at, "updated_at": at,
    }


def _plan_mix(n_signed: int, n_milestones: int, rng: random.Random) -> list[list[tuple]]:
    """One plan per signed contract, mixing 3-, 4- and 5-milestone plans so the total
    number of milestones is ``n_milestones`` (as near as the contract count allows)."""
    extra = n_milestones - 4 * n_signed
    n5 = max(0, min(n_signed, extra))
    n3 = max(0, min(n_signed, -extra))
    plans = [KINDS_5] * n5 + [KINDS_3] * n3 + [KINDS_4] * (n_signed - n5 - n3)
    rng.shuffle(plans)
    return plans


def _contract(rng: random.Random, d: Deal, signed: bool, plan: list[tuple] | None,
              rc_no: int, split: Any, add_months: Any, supervisor: list[str]
              ) -> tuple[dict[str, Any], list[Milestone]]:
    from kam.services.contract_plan import due_date

    warranty = rng.choice([12, 12, 24, 36])
    if signed and d.closed_at and (TODAY - d.closed_at).days > 600:
        warranty = 12  # old enough to have run its course: closed contracts exist
    if not signed:
        status = ("draft", "in_review", "approved")[rc_no % 3]  # rc_no: drafts so far
        created = _day(rng, max(d.created, TODAY - dt.timedelta(days=60)), TODAY, recent=1.0)
        signed_on = delivered = accepted = closed_on = terminated_on = service_end = None
        plan = KINDS_4
    else:
        status = _weighted(rng, [("signed", 15), ("executing", 58), ("closed", 22),
                                 ("terminated", 5)])
        signed_on = d.closed_at or d.created
        created = max(d.created, signed_on - dt.timedelta(days=rng.randrange(5, 30)))
        delivered = accepted = closed_on = terminated_on = None
        age = (TODAY - signed_on).days
        if status == "closed" and age < 200:
            status = "executing"
        if status in ("executing", "closed", "terminated") and age > 20:
            delivered = signed_on + dt.timedelta(days=rng.randrange(15, min(age, 120) + 1))
            if delivered > TODAY:
                delivered = None
        if delivered and (status == "closed" or rng.random() < 0.6):
            lag = rng.randrange(20, 150)
            if delivered + dt.timedelta(days=lag) <= TODAY:
                accepted = delivered + dt.timedelta(days=lag)
        if status == "closed" and not (delivered and accepted):
            status = "executing"
        service_end = add_months(signed_on, rng.choice([12, 24, 36]))
        if rng.random() < 0.06:  # some end within the renewal window
            service_end = TODAY + dt.timedelta(days=rng.randrange(1, 90))
        if status == "terminated":
            terminated_on = min(TODAY, signed_on + dt.timedelta(days=rng.randrange(60, 400)))
    plan = plan or KINDS_4
    specs = []
    for kind, share, offset in plan:
        if kind == "fixed_date":
            fixed = (signed_on or TODAY) + dt.timedelta(days=60)
            offset = fixed.isoformat()
        specs.append({"kind": kind, "share": share, "offset": offset})
    amounts = split(specs, d.amount)
    milestones: list[Milestone] = []
    if signed:
        triggers = {"down_payment": signed_on, "fixed_date": signed_on,
                    "on_delivery": delivered, "on_acceptance": accepted, "warranty": accepted}
        for seq, (spec, amount) in enumerate(zip(specs, amounts, strict=True), start=1):
            trig = triggers[spec["kind"]]
            due = (due_date(spec["kind"], spec["offset"], trig, warranty)
                   if trig is not None else None)
            milestones.append(Milestone(f"RC{rc_no + seq}", seq, spec["kind"], spec["share"],
                                        spec["offset"], amount, trig, due))
        if status == "closed":
            last_due = max(m.due_date for m in milestones if m.due_date)
            if any(m.due_date is None for m in milestones) or last_due > TODAY:
                status = "executing"
            else:
                closed_on = min(TODAY, last_due + dt.timedelta(days=rng.randrange(5, 60)))
    d.contract_status = status
    at = _stamp(created, rng)
    updated = _stamp(max(x for x in (created, signed_on, delivered, accepted, closed_on,
                                     terminated_on) if x is not None), rng)
    approvals = [] if status in ("draft", "in_review") else [
        {"at": at, "by": supervisor[0], "comment": "同意", "decision": "approved",
         "on": created.isoformat(), "role": "sales_manager", "version": 0}]
    record = {
        "id": d.contract, "opportunity_id": d.id, "customer_id": f"CU{d.customer + 1}",
        "number": f"HT-{created.year}-{int(d.contract[2:]):06d}", "title": d.title,
        "owner": d.owner, "amount": d.amount, "currency": d.currency,
        "tax_rate": Decimal("13"), "discount": None, "lines": [], "gifts": None,
        "status": status, "plan": specs, "warranty_months": warranty,
        "acceptance_criteria": "按技术协议逐项验收，出具验收证书",
        "change_cost": "需求变更按 2000 元/人天计费", "service_end": service_end,
        "terms": {"delivery_place": "客户现场"}, "version": 0, "approvals": approvals,
        "review": {} if status == "draft" else {"blocked": False, "by": d.owner,
                                                 "findings": [], "on": created.isoformat(),
                                                 "version": 0},
        "amendments": [], "pending_amendment": None, "handover": {},
        "signed_on": signed_on, "delivered_on": delivered, "initial_accepted_on": accepted,
        "final_accepted_on": accepted, "closed_on": closed_on,
        "terminated_on": terminated_on,
        "reason": "客户项目取消" if terminated_on else None, "fields": {},
        "created_at": at, "updated_at": updated,
    }
    return record, milestones


def _pay(rng: random.Random, contracts: list[tuple[dict, list[Milestone], Deal]],
         n_payments: int) -> None:
    """Decide payments: closed contracts fully paid; of the rest, most due milestones paid
    (some in two instalments), some partly, the others outstanding — overdue ones spread
    over every aging bucket by their due dates; terminated contracts' overdue milestones
    written off."""
    must: list[Milestone] = []
    may: list[tuple[Milestone, dict]] = []
    for record, milestones, _d in contracts:
        for m in milestones:
            if m.due_date is None:
                continue
            if record["status"] == "closed":
                must.append(m)
            elif m.due_date <= TODAY + dt.timedelta(days=30):
                may.append((m, record))
    rng.shuffle(may)
    budget = n_payments - len(must)
    for m in must:
        _settle(rng, m, m.amount, 1, late=4)
    unpaid = int(len(may) * 0.22)
    candidates = may[unpaid:]
    n_paid = min(len(candidates), max(budget, 0))
    extra = max(0, budget - n_paid)
    for j, (m, _record) in enumerate(candidates[:n_paid]):
        if j < extra:  # two instalments
            _settle(rng, m, m.amount, 2)
        elif j % 9 == 0:  # partly paid
            part = (m.amount * Decimal(rng.randrange(20, 80)) / 100).quantize(Decimal("0.01"))
            _settle(rng, m, max(part, Decimal("0.01")), 1)
        else:
            _settle(rng, m, m.amount, 1)
    for m, record in may[:unpaid] + candidates[n_paid:]:
        if record["status"] == "terminated" and m.due_date < TODAY and rng.random() < 0.7:
            m.written_off = m.amount
            m.written_off_on = min(TODAY, max(m.due_date, record["terminated_on"])
                                   + dt.timedelta(days=30))


def _settle(rng: random.Random, m: Milestone, amount: Decimal, parts: int,
            late: int = 45) -> None:
    """Pay ``amount`` of ``m`` in ``parts`` payments, around the due date, never later
    than today nor before its trigger."""
    start = m.trigger_on or m.due_date
    base = m.due_date + dt.timedelta(days=rng.randrange(-8, late))
    first = min(TODAY, max(start, base))
    if parts == 2 and amount >= Decimal("0.02"):
        one = (amount / 2).quantize(Decimal("0.01"))
        second = min(TODAY, first + dt.timedelta(days=rng.randrange(5, 40)))
        m.payments = [(first, one), (second, amount - one)]
    else:
        m.payments = [(first, amount)]
    m.paid = sum((p for _, p in m.payments), Decimal("0.00"))
    if m.paid >= m.amount:
        m.paid_on = max(on for on, _ in m.payments)


# --- workspaces -----------------------------------------------------------------------------


def create_workspace(path: Path, size: str, seed: int = 1, backend: str = "sqlite",
                     progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """``kam init`` a new workspace at ``path`` and fill it; returns counts and seconds."""
    from kam.plugin_manager import Plugins
    from kam.services import admin
    from kam.workspace import Workspace

    plugins = Plugins()
    admin.init(path, plugins, backend=backend, currency="CNY", lang="zh",
               extra={"name": f"bench-{size}"})
    # the data must not depend on which company rule plugins happen to be installed where
    # it is generated (a required plugin that is disabled refuses every change)
    admin.config_set(path, "plugins.required", "[]")
    ws = Workspace.open(path, plugins=plugins, as_of=TODAY)
    started = time.perf_counter()
    try:
        counts = generate(ws.storage, size, seed, progress)
    finally:
        ws.close()
    return {"counts": counts, "seconds": round(time.perf_counter() - started, 1)}


def cached(root: Path, size: str, seed: int = 1, backend: str = "sqlite",
           progress: Callable[[str], None] | None = None) -> Path:
    """The workspace for (backend, size, seed) under ``root``, generated once."""
    path = Path(root) / f"{backend}-{size}-seed{seed}-v{VERSION}"
    done = path / ".generated.json"
    if done.is_file():
        return path
    tmp = Path(root) / f".{path.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    Path(root).mkdir(parents=True, exist_ok=True)
    info = create_workspace(tmp, size, seed, backend, progress)
    (tmp / ".generated.json").write_text(json.dumps(
        {"size": size, "seed": seed, "backend": backend, "today": TODAY.isoformat(), **info},
        indent=2), encoding="utf-8")
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--path", required=True, help="new workspace folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", default="sqlite")
    args = parser.parse_args(argv)
    info = create_workspace(Path(args.path), args.size, args.seed, args.backend,
                            progress=lambda m: print(f"  {m}…", file=sys.stderr))
    print(json.dumps(info, indent=2))
    print(f"as-of date for this data: KAM_TODAY={TODAY.isoformat()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
