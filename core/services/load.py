"""``kam load``: a team's existing records from its own files, into a workspace that
may already have data, all or nothing.

Each row goes through the same service as the command that adds such a record (its
validation, its rules, its event), inside one write transaction; a row that fails is
undone alone and named with its row number and reason, and if any row fails nothing is
kept. ``--dry-run`` runs the very same load and rolls it back. With ``--key COLUMN``
the column's value is kept as the record's custom field ``source_key``, and a later
load of a row with the same key updates that record (or leaves it as it is).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kam import values, vocab
from kam.errors import InputError, KamError
from kam.kinds import KINDS, Field
from kam.services.load_columns import (
    PRESETS,
    Column,
    kind_of,
    map_columns,
    norm,
    parse_pairs,
    value_maps,
)
from kam.services.load_files import read
from kam.workspace import Workspace

KEY_FIELD = "source_key"


@dataclass
class RowResult:
    row: int
    action: str  # create, update, unchanged, skip, refuse
    id: str | None = None
    reason: str | None = None


@dataclass
class LoadResult:
    kind: str
    file: str
    dry_run: bool
    written: bool = False
    columns: list[dict[str, Any]] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def as_dict(self) -> dict[str, Any]:
        counts = {a: self.count(a) for a in ("create", "update", "unchanged", "skip",
                                             "refuse")}
        return {"kind": self.kind, "file": self.file, "dry_run": self.dry_run,
                "written": self.written, "counts": counts, "columns": self.columns,
                "rows": [asdict(r) for r in self.rows]}


class _RollBack(Exception):
    """Ends a dry run, or a load with a refused row, with nothing kept."""


def load(ws: Workspace, kind_word: str, path: Path, *, sheet: str | None = None,
         encoding: str | None = None, maps: list[str] | None = None,
         map_values: list[str] | None = None, key: str | None = None,
         preset: str | None = None, dry_run: bool = False,
         progress: Callable[[int, int], None] | None = None) -> LoadResult:
    kind = kind_of(kind_word)
    if key is not None and kind in ("activity", "target", "payment"):
        raise InputError(f"--key: {kind} records are not keyed by a column"
                         + ("; a target is already one per owner and period"
                            if kind == "target" else "; load each file once"))
    chosen = None
    if preset is not None:
        chosen = PRESETS.get(preset.strip().casefold())
        if chosen is None:
            raise InputError(f"--preset: {preset!r} is not one of {', '.join(PRESETS)}")
    sheet_data = read(path, sheet=sheet, encoding=encoding)
    columns = map_columns(kind, sheet_data.headers, parse_pairs("--map", maps or []), chosen)
    _needs(kind, columns)
    key_col = None
    if key is not None:
        key_col = next((c for c in columns if norm(c.header) == norm(key)
                        or norm(c.header.split(" / ")[-1]) == norm(key)), None)
        if key_col is None:
            raise InputError(f"--key: the file has no column {key!r}")
    result = LoadResult(kind, path.name, dry_run, columns=[
        {"column": c.header, "field": c.field, "how": c.how} if c is not key_col
        else {"column": c.header, "field": f"fields.{KEY_FIELD}", "how": "--key"}
        for c in columns])
    loader = _Loader(ws, kind, path.name, value_maps(map_values or [], chosen))
    try:
        with ws.writing():
            keyed = loader.keyed() if key_col is not None else {}
            for done, (number, cells) in enumerate(sheet_data.rows, start=1):
                row = {c.field: cells[c.index] for c in columns
                       if c.field is not None and c.index < len(cells)}
                source_key = _text(cells[key_col.index]) if key_col is not None else None
                try:
                    with ws.attempt():
                        result.rows.append(loader.row(number, row, source_key, keyed))
                except KamError as exc:
                    result.rows.append(RowResult(number, "refuse",
                                                 reason=str(exc).splitlines()[0]))
                if progress is not None:
                    progress(done, len(sheet_data.rows))
            if dry_run or result.count("refuse"):
                raise _RollBack
    except _RollBack:
        if dry_run:
            ws.warnings.clear()  # warnings of changes that were not kept
        return result
    result.written = True
    return result


def _needs(kind: str, columns: list[Column]) -> None:
    have = {c.field for c in columns if c.field}
    need = {f for f in KINDS[kind].required if f != "id"}
    if kind == "contact" and {"first_name", "last_name"} & have:
        have.add("name")
    if kind == "opportunity":
        need.discard("stage")  # a deal without one starts in the first stage
    if kind == "activity" and "opportunity_id" in have:
        need.discard("customer_id")
    if kind == "payment":
        need.discard("customer_id")  # the contract's
    if kind == "contract":
        need |= {"signed_on"}  # kam loads contracts already signed (存量合同)
        need.discard("opportunity_id")  # a contract without its deal gets one
        if "opportunity_id" in have:
            need.discard("customer_id")
    missing = sorted(need - have)
    if missing:
        labels = ", ".join(f"{m} ({KINDS[kind].header(m, 'zh')})" for m in missing)
        raise InputError(f"no column for {labels}; name it with --map HEADER=FIELD")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number or code Excel keeps as a number
    if isinstance(value, dt.datetime):
        value = value.date()
    text = str(value).strip()
    return text or None


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value: Any, name: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if text is None:
        return None
    m = _DATE.match(text.split(" ")[0] if "T" not in text else text.split("T")[0])
    if m is None:
        raise InputError(f"{name}: {text!r} is not a date (2026-03-02, 2026/3/2 or "
                         "2026年3月2日)")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InputError(f"{name}: {text!r} is not a date") from None


def _number_text(value: Any) -> str | None:
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return _text(value)


class _Loader:
    """Turns one mapped row into the service call that makes or updates its record."""

    def __init__(self, ws: Workspace, kind: str, file: str,
                 words: dict[str, dict[str, str]]) -> None:
        self.ws, self.kind, self.file, self.words = ws, kind, file, words
        self.declared = KINDS[kind]

    def keyed(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for record in self.ws.storage.find(self.kind):
            found = (record.get("fields") or {}).get(KEY_FIELD)
            if found is not None:
                out[str(found)] = record
        return out

    # --- values -------------------------------------------------------------------

    def value(self, name: str, raw: Any) -> Any:
        """A cell as the field's declared type wants it (kam.kinds)."""
        f = self.declared.field(name)
        if f is None or raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        word = self.words.get(name, {}).get(norm(str(raw)))
        if word is not None:
            raw = word
        return _convert(f, raw, f"{name} ({f.label[0]})")

    # --- rows ---------------------------------------------------------------------

    def row(self, number: int, row: dict[str, Any], source_key: str | None,
            keyed: dict[str, dict[str, Any]]) -> RowResult:
        build = getattr(self, f"_{self.kind}")
        existing = keyed.get(source_key) if source_key else None
        action, record_id, reason = build(row, existing, source_key)
        if source_key and action == "create" and record_id:
            keyed[source_key] = self.ws.get(self.kind, record_id)
        return RowResult(number, action, record_id, reason)

    def _attrs(self, row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
        out = {}
        for name in names:
            if name in row:
                converted = self.value(name, row[name])
                if converted is not None:
                    out[name] = converted
        return out

    def _custom(self, source_key: str | None) -> list[str]:
        return [f"{KEY_FIELD}={source_key}"] if source_key else []

    def _update(self, existing: dict[str, Any], attrs: dict[str, Any],
                edit: Callable[..., Any]) -> tuple[str, str | None, str | None]:
        changed = {k: v for k, v in attrs.items() if existing.get(k) != v}
        if not changed:
            return "unchanged", existing["id"], None
        edit(self.ws, existing["id"], **changed)
        return "update", existing["id"], "changed: " + ", ".join(sorted(changed))

    def _customer_ref(self, raw: Any) -> str:
        text = _text(raw)
        if text is None:
            raise InputError("customer: the row names no customer")
        if re.fullmatch(r"(?i)CU\d+", text) and self.ws.storage.get("customer", text.upper()):
            return text.upper()
        found = [str(c["id"]) for c in self.ws.storage.find("customer", {"name": text})]
        if not found:
            raise InputError(f"customer {text!r}: no such customer; load customers first")
        if len(found) > 1:
            raise InputError(f"customer {text!r} is ambiguous: {', '.join(found)}; "
                             "use the id")
        return found[0]

    def _customer(self, row: dict[str, Any], existing: dict[str, Any] | None,
                  source_key: str | None) -> tuple[str, str | None, str | None]:
        from kam.services import customers

        attrs = self._attrs(row, ("name", "grade", "matrix", "purchase_type", "relationship",
                                  "industry", "region", "scope", "potential", "currency",
                                  "owner"))
        if existing is not None:
            return self._update(existing, attrs, customers.edit)
        name = attrs.pop("name", None)
        if name is None:
            raise InputError("name (客户名称): empty")
        record = customers.add(self.ws, name, fields=self._custom(source_key), **attrs)
        return "create", record["id"], None

    def _contact(self, row: dict[str, Any], existing: dict[str, Any] | None,
                 source_key: str | None) -> tuple[str, str | None, str | None]:
        from kam.services import contacts

        attrs = self._attrs(row, ("name", "title", "roles", "coach", "stance", "style",
                                  "level", "phone", "email", "note"))
        if "name" not in attrs:
            parts = [_text(row.get("last_name")), _text(row.get("first_name"))]
            given = [p for p in parts if p]
            cjk = any(ord(ch) > 0x2E80 for p in given for ch in p)
            attrs["name"] = ("".join(given) if cjk else " ".join(reversed(given))) or None
        if existing is not None:
            attrs.pop("name") if attrs.get("name") is None else None
            return self._update(existing, attrs, contacts.edit)
        name = attrs.pop("name", None)
        if name is None:
            raise InputError("name (姓名): empty")
        record = contacts.add(self.ws, self._customer_ref(row.get("customer_id")), name,
                              fields=self._custom(source_key), **attrs)
        return "create", record["id"], None

    def _lead(self, row: dict[str, Any], existing: dict[str, Any] | None,
              source_key: str | None) -> tuple[str, str | None, str | None]:
        from kam.services import leads

        attrs = self._attrs(row, ("title", "source", "scenario", "budget_confirmed",
                                  "budget_amount", "currency", "need", "timeline", "owner"))
        if existing is not None:
            return self._update(existing, attrs, leads.edit)
        title = attrs.pop("title", None)
        if title is None:
            raise InputError("title (名称): empty")
        record = leads.add(self.ws, self._customer_ref(row.get("customer_id")), title,
                           fields=self._custom(source_key), **attrs)
        return "create", record["id"], None

    def _opportunity(self, row: dict[str, Any], existing: dict[str, Any] | None,
                     source_key: str | None) -> tuple[str, str | None, str | None]:
        from kam.services import opportunities

        attrs = self._attrs(row, ("title", "number", "owner", "amount", "currency", "margin",
                                  "expense_budget", "category", "close_date", "importance",
                                  "customer_owner", "need", "competition",
                                  "decision_process"))
        stage, status = self._stage(row.get("stage"))
        if existing is not None:
            return self._update(existing, attrs, opportunities.edit)
        if status == "won":
            return ("skip", None, "a won deal comes in with its signed contract, not as a "
                    "deal: kam load skips it")
        title = attrs.pop("title", None)
        if title is None:
            raise InputError("title (项目名称): empty")
        record = opportunities.add(self.ws, self._customer_ref(row.get("customer_id")), title,
                                   fields=self._custom(source_key), **attrs)
        why = f"loaded from {self.file}"
        if stage is not None and stage != record["stage"]:
            opportunities.advance(self.ws, record["id"], to=stage, force=True,
                                  reason=f"{why}: the stage the file gives")
        if status in ("lost", "abandoned"):
            opportunities.close(self.ws, record["id"], status, why)
        return "create", record["id"], None

    def _stage(self, raw: Any) -> tuple[str | None, str | None]:
        text = _text(raw)
        if text is None:
            return None, None
        word = self.words.get("stage", {}).get(norm(text), text).removeprefix("@")
        try:  # a closed deal's status (Closed Lost → @lost, 丢单) stands where a stage would
            status = vocab.parse("opp_status", word)
        except InputError:
            return self.ws.pipeline().parse_stage(word), None
        return None, (None if status == "open" else status)

    def _activity(self, row: dict[str, Any], existing: dict[str, Any] | None,
                  source_key: str | None) -> tuple[str, str | None, str | None]:
        from kam.services import activities

        target = self._activity_target(row)
        attrs = self._attrs(row, ("type", "outcome", "note", "next_step", "owner"))
        when = self.value("date", row.get("date"))
        due = self.value("next_due", row.get("next_due"))
        record = activities.log(
            self.ws, target, type=attrs.pop("type", None) or "other",
            date=when.isoformat() if when else None,
            next_due=due.isoformat() if due else None, **attrs)
        return "create", record["id"], None

    def _activity_target(self, row: dict[str, Any]) -> str:
        text = _text(row.get("opportunity_id"))
        if text:
            if re.fullmatch(r"(?i)OP\d+", text) and self.ws.storage.get("opportunity",
                                                                       text.upper()):
                return text.upper()
            found = [str(o["id"]) for o in self.ws.storage.find("opportunity",
                                                                {"title": text})] or \
                [str(o["id"]) for o in self.ws.storage.find("opportunity", {"number": text})]
            if len(found) == 1:
                return found[0]
            if found:
                raise InputError(f"opportunity {text!r} is ambiguous: {', '.join(found)}")
            raise InputError(f"opportunity {text!r}: no such deal")
        return self._customer_ref(row.get("customer_id"))

    def _contract(self, row: dict[str, Any], existing: dict[str, Any] | None,
                  source_key: str | None) -> tuple[str, str | None, str | None]:
        """A contract signed before kam (存量合同): its deal (found, or made for it), the
        contract, its carried-over signing, what was collected, delivery and final
        acceptance, each through its service."""
        from kam.services import contract_lifecycle, contracts, payments
        from kam.services.contract_carry_over import carry_over

        if existing is not None:
            return "unchanged", existing["id"], None  # later changes are kam's own events
        attrs = self._attrs(row, ("number", "title", "owner", "amount", "currency", "tax_rate",
                                  "discount", "warranty_months", "acceptance_criteria",
                                  "change_cost", "service_end"))
        number = attrs.get("number")
        if number and list(self.ws.storage.find("contract", {"number": number})):
            raise InputError(f"number {number!r}: a contract with that number exists")
        signed_on = self.value("signed_on", row.get("signed_on"))
        if signed_on is None:
            raise InputError("signed_on (签订日期): empty")
        paid = _convert(Field("paid", "money"), row.get("paid"), "paid (已回款)") \
            if _text(row.get("paid")) else None
        paid_on = _date(row.get("paid_on"), "paid_on (回款日期)")
        if paid and paid_on is None:
            raise InputError("paid (已回款) needs paid_on (回款日期): a payment has a date")
        why = f"loaded from {self.file}"
        opp_id = self._deal(row, attrs)
        plan = _text(row.get("plan"))
        record = contracts.create(self.ws, opp_id, fields=self._custom(source_key),
                                  **attrs, **({"plan": plan} if plan else {}))
        carry_over(self.ws, record["id"], signed_on, why)
        if paid:
            payments.record(self.ws, record["id"], str(paid), date=paid_on.isoformat()
                            if paid_on else None, note=why)
        delivered = self.value("delivered_on", row.get("delivered_on"))
        if delivered is not None:
            contract_lifecycle.deliver(self.ws, record["id"], delivered.isoformat())
        accepted = self.value("final_accepted_on", row.get("final_accepted_on"))
        if accepted is not None:
            contract_lifecycle.accept(self.ws, record["id"], accepted.isoformat(), "final")
        return "create", record["id"], None

    def _payment(self, row: dict[str, Any], existing: dict[str, Any] | None,
                 source_key: str | None) -> tuple[str, str | None, str | None]:
        """Cash received against a contract (named by id or number), allocated as
        ``kam pay record`` allocates it."""
        from kam.services import payments

        text = _text(row.get("contract_id"))
        if text is None:
            raise InputError("contract_id (合同编号): empty")
        found = self.ws.storage.get("contract", text.upper()) if re.fullmatch(
            r"(?i)CO\d+", text) else None
        ids = [found["id"]] if found else [
            str(c["id"]) for c in self.ws.storage.find("contract", {"number": text})]
        if len(ids) != 1:
            raise InputError(f"contract {text!r}: " + ("no such contract" if not ids else
                                                        "ambiguous: " + ", ".join(ids)))
        amount = self.value("amount", row.get("amount"))
        on = self.value("date", row.get("date"))
        if amount is None or on is None:
            raise InputError("a payment needs amount (金额) and date (日期)")
        record = payments.record(self.ws, ids[0], str(amount), date=on.isoformat(),
                                 ref=_text(row.get("ref")), note=_text(row.get("note")))
        return "create", record["id"], None

    def _deal(self, row: dict[str, Any], attrs: dict[str, Any]) -> str:
        """The contract's deal: named in the file (id, number or title), else a new one
        made for it, at the contract's amount."""
        from kam.services import opportunities

        text = _text(row.get("opportunity_id"))
        if text:
            return self._activity_target({"opportunity_id": text})
        customer = self._customer_ref(row.get("customer_id"))
        title = attrs.get("title") or attrs.get("number") or "contract"
        deal = opportunities.add(self.ws, customer, str(title),
                                 **{k: attrs[k] for k in ("amount", "currency", "owner")
                                    if k in attrs})
        return str(deal["id"])

    def _target(self, row: dict[str, Any], existing: dict[str, Any] | None,
                source_key: str | None) -> tuple[str, str | None, str | None]:
        from kam.services import targets

        owner, period = _text(row.get("owner")), _text(row.get("period"))
        amount = self.value("amount", row.get("amount"))
        if owner is None or period is None or amount is None:
            raise InputError("a target needs owner (负责人), period (期间) and amount (金额)")
        currency = _text(row.get("currency"))
        before = {(t["owner"], t["period"], t["currency"]): t["amount"]
                  for t in self.ws.storage.find("target", {"owner": owner})}
        record = targets.set_target(self.ws, owner, period, str(amount), currency,
                                    _text(row.get("note")))
        was = before.get((record["owner"], record["period"], record["currency"]))
        if was is None:
            return "create", record["id"], None
        return ("unchanged" if was == record["amount"] else "update"), record["id"], None


def _convert(f: Field, raw: Any, name: str) -> Any:
    if f.vocab and f.type == "json":
        items = re.split(r"[,，;；、/]", str(raw))
        return [vocab.parse(f.vocab, i) for i in items if i.strip()]
    if f.vocab:
        return vocab.parse(f.vocab, str(raw))
    if f.type in ("money", "decimal"):
        text = _number_text(raw)
        if text is None:
            return None
        text = text.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        return values.money(text, name) if f.type == "money" else Decimal(text)
    if f.type == "int":
        text = _number_text(raw)
        try:
            return int(text) if text is not None else None
        except ValueError:
            raise InputError(f"{name}: {text!r} is not a whole number") from None
    if f.type == "date":
        return _date(raw, name)
    if f.type == "bool":
        text = norm(str(raw))
        if text in ("1", "true", "yes", "y", "是", "对", "已确认"):
            return True
        if text in ("0", "false", "no", "n", "否", "未确认"):
            return False
        raise InputError(f"{name}: {raw!r} is not yes/no")
    return _text(raw)


def refused(result: LoadResult) -> InputError | None:
    """The one line a refused load ends with (exit 2: the file is bad input)."""
    bad = [r for r in result.rows if r.action == "refuse"]
    if not bad:
        return None
    first = bad[0]
    return InputError(f"{len(bad)} of {len(result.rows)} rows refused, nothing loaded; "
                        f"row {first.row}: {first.reason}")
