"""Record kinds: their id prefixes and stored fields (the storage contract's schema).

Every backend stores exactly these fields per kind, so data round-trips between
backends. Field types: text, int, bool, money (Decimal, two places), decimal,
date, datetime, json (lists/dicts). ``fields`` holds plugin-declared custom fields.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "text"
    index: bool = False
    #: kind this field references by id (a foreign key where the backend has them)
    ref: str | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    prefix: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def type_of(self, name: str) -> str:
        """The type of a field known to exist (``KeyError`` names one that does not)."""
        found = self.field(name)
        if found is None:
            raise KeyError(f"{self.name} has no field {name!r}")
        return found.type

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _f(spec: str) -> tuple[Field, ...]:
    """Parse ``"name:type:index:>kind name2 ..."`` (type defaults to text, ``>kind`` = ref)."""
    out = []
    for item in spec.split():
        parts = item.split(":")
        ftype = parts[1] if len(parts) > 1 and parts[1] else "text"
        ref = next((p[1:] for p in parts[2:] if p.startswith(">")), None)
        out.append(Field(parts[0], ftype, "index" in parts or ref is not None, ref))
    return tuple(out)


_STAMPS = " created_at:datetime updated_at:datetime"

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "customer",
            "CU",
            _f(
                "id name:text:index grade matrix purchase_type relationship industry region"
                " scope intel:json potential:money potential_drivers:json currency"
                " owner:text:index flags:json fields:json" + _STAMPS
            ),
        ),
        Kind(
            "contact",
            "CT",
            _f(
                "id customer_id:text:index:>customer name title roles:json coach stance style level"
                " phone email note fields:json" + _STAMPS
            ),
        ),
        Kind(
            "lead",
            "LD",
            _f(
                "id customer_id:text:index:>customer title source scenario status:text:index"
                " budget_confirmed:bool budget_amount:money currency authority_contact_id"
                " need timeline:date spin:json follow_ups:json opportunity_id drop_reason"
                " owner:text:index fields:json" + _STAMPS
            ),
        ),
        Kind(
            "opportunity",
            "OP",
            _f(
                "id customer_id:text:index:>customer lead_id number title owner:text:index"
                " amount:money currency margin:decimal expense_budget:money category"
                " close_date:date importance probability:int forecast_category"
                " pipeline stage:text:index status:text:index forced:bool"
                " customer_owner budget_confirmed:bool budget_amount:money"
                " authority_contact_id need timeline:date competition decision_process"
                " checklist:json approvals:json bids:json stage_history:json"
                " stage_entered_at:date reason summary closed_at:date"
                " completed_at:date renews_contract_id fields:json" + _STAMPS
            ),
        ),
        Kind(
            "activity",
            "AC",
            _f(
                "id opportunity_id:text:index:>opportunity customer_id:text:index:>customer"
                " lead_id type"
                " date:date:index owner:text:index contact_ids:json outcome note"
                " next_step next_due:date created_at:datetime"
            ),
        ),
        # 合同: plan = payment-plan spec [{kind, share, offset}]; terms = delivery and
        # legal clauses; approvals/amendments/handover/review are the audit trail.
        Kind(
            "contract",
            "CO",
            _f(
                "id opportunity_id:text:index:>opportunity customer_id:text:index:>customer"
                " number:text:index title owner:text:index amount:money currency"
                " tax_rate:decimal discount:decimal lines:json gifts status:text:index"
                " plan:json warranty_months:int acceptance_criteria change_cost"
                " service_end:date:index terms:json version:int approvals:json review:json"
                " amendments:json pending_amendment:json handover:json"
                " signed_on:date:index delivered_on:date initial_accepted_on:date"
                " final_accepted_on:date closed_on:date terminated_on:date reason"
                " fields:json" + _STAMPS
            ),
        ),
        # 回款节点: one payment milestone; state and days overdue are computed for
        # "today" (kam.models.receivable_state.receivable_view), never stored.
        Kind(
            "receivable",
            "RC",
            _f(
                "id contract_id:text:index:>contract customer_id:text:index:>customer"
                " seq:int kind share due_offset amount:money currency trigger_on:date"
                " due_date:date:index paid:money paid_on:date written_off:money"
                " written_off_on:date written_off_by write_off_reason" + _STAMPS
            ),
        ),
        Kind(
            "payment",
            "PY",
            _f(
                "id contract_id:text:index:>contract customer_id:text:index:>customer"
                " amount:money currency date:date:index ref allocations:json note"
                " created_at:datetime"
            ),
        ),
        Kind(
            "invoice",
            "IV",
            _f(
                "id contract_id:text:index:>contract customer_id:text:index:>customer"
                " receivable_id:text:index:>receivable number:text:index amount:money"
                " currency date:date:index created_at:datetime"
            ),
        ),
        Kind(
            "attachment",
            "AT",
            _f(
                "id contract_id:text:index:>contract kind name path sha256 size:int"
                " attached_on:date created_at:datetime"
            ),
        ),
        Kind(
            "target",
            "TG",
            _f("id owner:text:index period:text:index amount:money currency note" + _STAMPS),
        ),
        # 投递: one event-hook delivery to one plugin (the outbox, kam.outbox): written
        # with the change, kept until delivered; retried, then dead after max tries.
        Kind(
            "outbox",
            "OB",
            _f(
                "id hook plugin:text:index event_id:text:index args:json status:text:index"
                " tries:int error next_at:datetime" + _STAMPS
            ),
        ),
    )
}

EVENT = Kind(
    "event",
    "EV",
    _f("id at:datetime actor kind:text:index record_id:text:index payload:json refs:json"),
)

_BY_PREFIX = {k.prefix: k for k in KINDS.values()} | {EVENT.prefix: EVENT}


def kind_of_id(record_id: str) -> Kind | None:
    """The kind a record id belongs to, by its prefix (``OP12`` → opportunity)."""
    prefix = record_id.rstrip("0123456789").upper()
    return _BY_PREFIX.get(prefix)
