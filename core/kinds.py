"""Record kinds: the one declaration of every stored field (the storage contract's schema).

Every backend stores exactly these fields per kind, so data round-trips between
backends. Everything else about a field is declared here too and derived from here:
its zh/en label (table headers, cards, docs/json.md), whether it is required, the
enumeration (``kam.vocab``) its values come from, and which fields a kind's ``list``
table shows. The pydantic models that validate input are checked against this by
tests/test_schema_once.py; docs/json.md's key tables are generated from it
(``python -m kam.schema_doc --write``).

Field types: text, int, bool, money (Decimal, two places), decimal, date, datetime,
json (lists/dicts). ``fields`` holds plugin-declared custom fields.
"""

from __future__ import annotations

from kam.kind_labels import LABELS as LABELS
from kam.kind_labels import Label as Label
from kam.plain import FrozenRecord


class Field(FrozenRecord):
    """One stored field of a kind (or a view the CLI computes beside them): a frozen
    record with a dataclass's repr, equality and hash (kam.plain; tested against a
    dataclass twin), made ~300 times at every start."""

    _FIELDS = ("name", "type", "index", "ref", "required", "vocab", "label", "shape")
    name: str
    type: str
    index: bool
    #: kind this field references by id (a foreign key where the backend has them)
    ref: str | None
    #: a record of the kind cannot exist without it
    required: bool
    #: the enumeration (a ``kam.vocab.VOCAB`` name) its values are keys of
    vocab: str | None
    label: Label
    #: a json field's shape: ``[{}]`` records, ``[str]`` texts/ids, ``{}`` an object,
    #: ``{str}`` an object of texts (checked on import, kam.cell_check)
    shape: str

    def __init__(self, name: str, type: str = "text", index: bool = False,
                 ref: str | None = None, required: bool = False, vocab: str | None = None,
                 label: Label = ("", ""), shape: str = "") -> None:
        self.__dict__.update(name=name, type=type, index=index, ref=ref, required=required,
                             vocab=vocab, label=label, shape=shape)

    def label_in(self, lang: str) -> str:
        from kam.i18n import pick

        return pick(lang, *self.label)


class Kind(FrozenRecord):
    """A record kind: its id prefix, stored fields, list columns, views and label."""

    _FIELDS = ("name", "prefix", "fields", "columns", "views", "label")
    name: str
    prefix: str
    fields: tuple[Field, ...]
    #: the columns of the kind's ``list`` table (stored fields or ``views``)
    columns: tuple[str, ...]
    #: keys the CLI computes for "today" and shows beside the stored ones (never stored)
    views: tuple[Field, ...]
    #: what the kind is called (zh, en)
    label: Label

    def __init__(self, name: str, prefix: str, fields: tuple[Field, ...],
                 columns: tuple[str, ...] = (), views: tuple[Field, ...] = (),
                 label: Label = ("", "")) -> None:
        self.__dict__.update(name=name, prefix=prefix, fields=fields, columns=columns,
                             views=views, label=label)

    def field(self, name: str) -> Field | None:
        return next((f for f in (*self.fields, *self.views) if f.name == name), None)

    def type_of(self, name: str) -> str:
        """The type of a stored field known to exist (``KeyError`` names one that does not)."""
        found = next((f for f in self.fields if f.name == name), None)
        if found is None:
            raise KeyError(f"{self.name} has no field {name!r}")
        return found.type

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def vocab_of(self) -> dict[str, str]:
        """Field name → enumeration, for showing keys as labels."""
        return {f.name: f.vocab for f in (*self.fields, *self.views) if f.vocab}

    def header(self, name: str, lang: str) -> str:
        """A column's header: the field's label, or the name itself for anything else."""
        found = self.field(name)
        if found is None:
            from kam.i18n import pick

            return pick(lang, *LABELS.get(name, (name, name)))
        return found.label_in(lang)


def _f(spec: str, labels: dict[str, Label] | None = None) -> tuple[Field, ...]:
    """Parse ``"name:type:index:>kind:=vocab:!:@shape ..."``: type defaults to text,
    ``index`` indexes it, ``>kind`` references a kind by id, ``=vocab`` names its
    enumeration, ``!`` makes it required, ``@shape`` is a json field's shape. A label
    comes from ``labels`` or from ``LABELS``."""
    out = []
    named = labels or {}
    for item in spec.split():
        name, _, rest = item.partition(":")
        ftype, index, required = "text", False, name == "id"
        ref: str | None = None
        vocab: str | None = None
        shape: str | None = None
        if rest:
            ftype, *flags = rest.split(":")
            ftype = ftype or "text"
            for flag in flags:  # the first of each kind counts
                mark = flag[:1]
                if mark == ">" and ref is None:
                    ref = flag[1:]
                elif mark == "=" and vocab is None:
                    vocab = flag[1:]
                elif mark == "@" and shape is None:
                    shape = flag[1:]
                elif flag == "index":
                    index = True
                elif flag == "!":
                    required = True
        out.append(Field(name, ftype, index or ref is not None, ref, required, vocab,
                         named.get(name) or LABELS[name], shape or ""))
    return tuple(out)


_STAMPS = " created_at:datetime updated_at:datetime"

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "customer",
            "CU",
            _f(
                "id name:text:index:! grade:text::=grade matrix:text::=matrix"
                " purchase_type:text::=purchase_type relationship:text::=relationship"
                " industry region scope intel:json::@{} potential:money"
                " potential_drivers:json::@[{}]"
                " currency owner:text:index flags:json::@[{}] fields:json::@{} matrix_set_by"
                + _STAMPS,
                {"name": ("客户名称", "Name")},
            ),
            ("id", "name", "grade", "matrix", "relationship", "industry", "region", "owner"),
            label=("客户", "customer"),
        ),
        Kind(
            "contact",
            "CT",
            _f(
                "id customer_id:text:index:>customer:! name:text::! title roles:json::=role:@[str]"
                " coach:text::=coach stance:text::=stance style:text::=style"
                " level:text::=level tier:text::=relationship_tier phone email note"
                " fields:json::@{}" + _STAMPS,
                {"name": ("姓名", "Name"), "title": ("职务", "Job title")},
            ),
            ("id", "customer_id", "name", "title", "roles", "coach", "stance", "level"),
            label=("联系人", "contact"),
        ),
        Kind(
            "lead",
            "LD",
            _f(
                "id customer_id:text:index:>customer:! title:text::! source"
                " scenario:text::=purchase_type status:text:index:=lead_status"
                " budget_confirmed:bool budget_amount:money currency authority_contact_id"
                " need timeline:date spin:json::@{str} follow_ups:json::@[{}] opportunity_id"
                " drop_reason"
                " owner:text:index fields:json::@{}" + _STAMPS,
            ),
            ("id", "customer_id", "title", "status", "source", "scenario", "opportunity_id",
             "owner"),
            label=("线索", "lead"),
        ),
        Kind(
            "opportunity",
            "OP",
            _f(
                "id customer_id:text:index:>customer:! lead_id number title:text::!"
                " owner:text:index amount:money currency margin:decimal expense_budget:money"
                " category close_date:date importance:text::=importance probability:int"
                " forecast_category:text::=forecast_category pipeline stage:text:index:!"
                " status:text:index:=opp_status forced:bool"
                " customer_owner budget_confirmed:bool budget_amount:money"
                " authority_contact_id need timeline:date competition decision_process"
                " checklist:json::@[str] approvals:json::@[{}] bids:json::@[{}]"
                " stage_history:json::@[{}]"
                " stage_entered_at:date reason summary closed_at:date"
                " completed_at:date renews_contract_id budget_split:json::@[{}]"
                " budget_adjustments:json::@[{}] withdrawal_criteria:json::@[{}]"
                " team:json::@[{}] evaluations:json::@[{}] concessions:json::@[{}]"
                " trials:json::@[{}] case_analysis:json::@{}"
                " tender_sheet:json::@{}"
                " fields:json::@{}" + _STAMPS,
                {"number": ("项目编号", "Project number"), "title": ("项目名称", "Project name"),
                 "owner": ("销售负责人", "Sales owner"),
                 "amount": ("预计合同金额", "Expected amount"),
                 "approvals": ("管理层审批", "Management approval"),
                 "team": ("项目团队", "Deal team")},
            ),
            ("id", "customer_id", "title", "stage", "status", "amount", "currency",
             "probability", "importance", "owner", "close_date"),
            label=("商机", "opportunity"),
        ),
        Kind(
            "activity",
            "AC",
            _f(
                "id opportunity_id:text:index:>opportunity customer_id:text:index:>customer:!"
                " lead_id type:text::=activity_type:!"
                " date:date:index:! owner:text:index contact_ids:json::@[str]"
                " outcome:text::=outcome note next_step next_due:date"
                " signals:json::=buying_signal:@[str] closing:text::=closing_method"
                " created_at:datetime",
            ),
            ("id", "date", "type", "opportunity_id", "customer_id", "owner", "outcome",
             "next_step", "next_due"),
            label=("拜访", "activity"),
        ),
        # 合同: plan = payment-plan spec [{kind, share, offset}]; terms = delivery and
        # legal clauses; approvals/amendments/handover/review are the audit trail.
        Kind(
            "contract",
            "CO",
            _f(
                "id opportunity_id:text:index:>opportunity:! customer_id:text:index:>customer:!"
                " number:text:index:! title owner:text:index amount:money:! currency"
                " tax_rate:decimal discount:decimal lines:json::@[{}] gifts"
                " status:text:index:=contract_status"
                " plan:json::@[{}] warranty_months:int acceptance_criteria change_cost"
                " service_end:date:index terms:json::@{} version:int approvals:json::@[{}]"
                " review:json::@{}"
                " amendments:json::@[{}] pending_amendment:json::@{} handover:json::@{}"
                " signed_on:date:index delivered_on:date initial_accepted_on:date"
                " final_accepted_on:date closed_on:date terminated_on:date reason"
                " cost_lines:json::@[{}] recognised_revenue:money"
                " fields:json::@{}" + _STAMPS,
            ),
            ("id", "number", "opportunity_id", "customer_id", "amount", "currency", "status",
             "owner", "signed_on"),
            label=("合同", "contract"),
        ),
        # 回款节点: one payment milestone; state and days overdue are computed for
        # "today" (kam.models.receivable_state.receivable_view), never stored.
        Kind(
            "receivable",
            "RC",
            _f(
                "id contract_id:text:index:>contract:! customer_id:text:index:>customer:!"
                " seq:int:! kind:text::=milestone_kind:! share due_offset amount:money:!"
                " currency trigger_on:date"
                " due_date:date:index paid:money paid_on:date written_off:money"
                " written_off_on:date written_off_by write_off_reason"
                " collection_notes:json::@[{}]" + _STAMPS,
            ),
            ("id", "contract_id", "customer_id", "kind", "amount", "currency", "due_date",
             "paid", "outstanding", "state", "days_overdue"),
            views=_f("outstanding:money state:text::=receivable_state days_overdue:int"),
            label=("回款节点", "payment milestone"),
        ),
        Kind(
            "payment",
            "PY",
            _f(
                "id contract_id:text:index:>contract:! customer_id:text:index:>customer:!"
                " amount:money:! currency date:date:index:! ref allocations:json::@[{}] note"
                " created_at:datetime status:text:index:=payment_status receivable_id"
                " requested_by confirmed_by confirmed_on:date",
                {"status": ("回款状态", "Payment status"),
                 "receivable_id": ("指定回款节点", "Milestone named"),
                 "confirmed_on": ("财务确认日期", "Confirmed on")},
            ),
            ("id", "contract_id", "customer_id", "date", "amount", "currency", "status", "ref",
             "allocations"),
            label=("回款", "payment"),
        ),
        Kind(
            "invoice",
            "IV",
            _f(
                "id contract_id:text:index:>contract:! customer_id:text:index:>customer:!"
                " receivable_id:text:index:>receivable number:text:index amount:money:!"
                " currency:text::! date:date:index:! created_at:datetime"
                " status:text:index:=invoice_status requested_by approvals:json::@[{}]",
                {"number": ("发票号", "Invoice number"),
                 "status": ("开票状态", "Invoice status"),
                 "approvals": ("开票审批", "Approval")},
            ),
            ("id", "number", "contract_id", "receivable_id", "amount", "currency", "date",
             "status"),
            label=("发票", "invoice"),
        ),
        Kind(
            "attachment",
            "AT",
            _f(
                "id contract_id:text:index:>contract:! kind:text::=attachment_kind name:text::!"
                " path:text::! sha256:text::! size:int:! attached_on:date:! created_at:datetime",
            ),
            ("id", "kind", "name", "sha256"),
            label=("附件", "attachment"),
        ),
        # 售前费用: one presales expense against a deal's budget (kam expense add); the
        # stage is the deal's milestone it is booked to, the receipt a file kept by hash.
        Kind(
            "expense",
            "EX",
            _f(
                "id opportunity_id:text:index:>opportunity:! customer_id:text:index:>customer:!"
                " type:text::=expense_type:! amount:money:! currency:text::! date:date:index:!"
                " stage owner:text:index receipt:json::@{} note created_at:datetime",
                {"owner": ("报销人", "Spent by"), "stage": ("预算节点", "Milestone"),
                 "type": ("费用类型", "Expense type")},
            ),
            ("id", "date", "opportunity_id", "type", "amount", "currency", "stage", "owner"),
            label=("售前费用", "expense"),
        ),
        # 发货: one delivery of a contract's subject lines, 需货申请单 → 审核 → 销售出库单 →
        # 客户确认单; the customer's confirmation date is the delivery date.
        Kind(
            "delivery",
            "DL",
            _f(
                "id contract_id:text:index:>contract:! customer_id:text:index:>customer:!"
                " lines:json::@[{}] status:text:index:=delivery_status:! requested_by"
                " requested_on:date:index approvals:json::@[{}] shipped_on:date"
                " confirmed_on:date:index confirmation:json::@{} note" + _STAMPS,
                {"lines": ("发货明细", "Delivery lines"), "approvals": ("审核", "Review")},
            ),
            ("id", "contract_id", "status", "requested_on", "shipped_on", "confirmed_on",
             "lines"),
            label=("发货", "delivery"),
        ),
        Kind(
            "target",
            "TG",
            _f("id owner:text:index:! period:text:index:! amount:money:! currency note"
               " customer_id:text:index:>customer product team:text:index responsible"
               " floor:money stretch:money" + _STAMPS),
            ("id", "owner", "period", "customer_id", "product", "amount", "floor", "stretch",
             "currency", "note"),
            label=("目标", "target"),
        ),
        # 服务记录: one after-sales service call of type A–D (有偿/合同/免费/内务)
        Kind(
            "service",
            "SV",
            _f(
                "id customer_id:text:index:>customer:! contract_id:text:index:>contract"
                " type:text::=service_type:! engineer:text:index date:date:index:!"
                " hours:decimal cost:money currency voucher remote:bool note" + _STAMPS,
                {"type": ("服务类型", "Service type"), "date": ("服务日期", "Service date")},
            ),
            ("id", "date", "customer_id", "contract_id", "type", "engineer", "hours", "cost",
             "currency", "voucher", "remote"),
            label=("服务记录", "service record"),
        ),
        # 满意度调查: one per service record, four dimensions at four levels
        Kind(
            "survey",
            "SY",
            _f(
                "id service_id:text:index:>service:! customer_id:text:index:>customer:!"
                " attitude:text::=satisfaction:! skill:text::=satisfaction:!"
                " arrival:text::=satisfaction:! promises:text::=satisfaction:!"
                " date:date:index:! respondent surveyed_by note created_at:datetime",
                {"date": ("调查日期", "Survey date")},
            ),
            ("id", "service_id", "customer_id", "date", "attitude", "skill", "arrival",
             "promises", "respondent"),
            label=("满意度调查", "satisfaction survey"),
        ),
        # 投诉: a customer's complaint, answered (reply) before it may close; serious ones
        # are escalated once by the rule hook kam_escalate_complaint
        Kind(
            "complaint",
            "CP",
            _f(
                "id customer_id:text:index:>customer:! contract_id:text:index:>contract"
                " severity:text::=complaint_severity:! owner:text:index date:date:index:!"
                " note:text::! reply status:text:index:=complaint_status escalated_to"
                " escalated_on:date replied_on:date closed_on:date" + _STAMPS,
                {"date": ("投诉日期", "Filed on"), "note": ("投诉内容", "Complaint"),
                 "closed_on": ("关闭日期", "Closed on")},
            ),
            ("id", "date", "customer_id", "contract_id", "severity", "status", "owner",
             "escalated_to", "replied_on", "closed_on"),
            label=("投诉", "complaint"),
        ),
        # 拜访计划: how many visits an owner plans to a customer in a month (2026-03), an
        # ISO week (2026-W10) or a day (2026-03-02); checked against the visits logged
        Kind(
            "visit_plan",
            "VP",
            _f("id owner:text:index:! period:text:index:! customer_id:text:index:>customer:!"
               " count:int:! note" + _STAMPS),
            ("id", "owner", "period", "customer_id", "count", "note"),
            label=("拜访计划", "visit plan"),
        ),
        # 投递: one event-hook delivery to one plugin (the outbox, kam.outbox): written
        # with the change, kept until delivered; retried, then dead after max tries.
        Kind(
            "outbox",
            "OB",
            _f(
                "id hook:text:! plugin:text:index:! event_id:text:index args:json::@{}"
                " status:text:index tries:int error next_at:datetime" + _STAMPS,
                {"status": ("投递状态", "Delivery status")},
            ),
            ("id", "hook", "plugin", "event_id", "status", "tries", "next_at", "error"),
            label=("投递", "event delivery"),
        ),
    )
}

EVENT = Kind(
    "event",
    "EV",
    _f("id at:datetime:! actor kind:text:index:! record_id:text:index:! payload:json::@{}"
       " refs:json::@[str]", {"kind": ("事件", "Event")}),
    ("id", "at", "actor", "kind", "record_id", "payload"),
    label=("事件", "event"),
)

_BY_PREFIX = {k.prefix: k for k in KINDS.values()} | {EVENT.prefix: EVENT}


def kind_of_id(record_id: str) -> Kind | None:
    """The kind a record id belongs to, by its prefix (``OP12`` → opportunity)."""
    prefix = record_id.rstrip("0123456789").upper()
    return _BY_PREFIX.get(prefix)
