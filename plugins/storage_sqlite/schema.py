"""The SQLite schema as an ordered list of frozen migrations (sqlite-utils Migrations).

Each migration is a step that never changes once released: a tuple of SQL statements
(or a function of the sqlite-utils ``Database``). A fresh database runs them all in
order; an older one runs only the steps it has not recorded in ``_sqlite_migrations``.
The schema version is the number of steps, ``len(MIGRATIONS)``; ``PRAGMA user_version``
mirrors it, so opening an up-to-date database reads one pragma and needs neither
sqlite-utils nor a query of the migrations table.

The first four steps are the schema of kam 0.1.0, as it left a fresh database (0.1.0
recorded these names, so its databases count them as applied). They are frozen copies:
editing ``core/kinds.py`` does not change what they create. A field or kind added to
``core/kinds.py`` later needs a new step at the end of ``MIGRATIONS``;
tests/test_migrations.py compares the replayed schema with ``core/kinds.py`` and names
what is missing (docs/storage.md, "Adding a field").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kam.errors import StorageError
from kam.plugins.storage_sqlite import check_mark, deal_sums, summaries

#: one step: SQL statements run in order, or a function of the sqlite-utils Database
Step = tuple[str, ...] | Callable[[Any], None]

#: the SQL column type of each field type (money as integer cents: exact, summable)
COLUMN_TYPES: dict[str, str] = {
    "text": "TEXT",
    "int": "INTEGER",
    "bool": "INTEGER",
    "money": "INTEGER",
    "decimal": "TEXT",
    "date": "TEXT",
    "datetime": "TEXT",
    "json": "TEXT",
}

# --- kam 0.1.0 (frozen) -------------------------------------------------------------

# customers, contacts, leads, opportunities, activities; the event log, its index by
# record and the id sequences
_FOUNDATION: tuple[str, ...] = (
    ('CREATE TABLE "customer" ('
     '"id" TEXT PRIMARY KEY, "name" TEXT, "grade" TEXT, "matrix" TEXT, '
     '"purchase_type" TEXT, "relationship" TEXT, "industry" TEXT, "region" TEXT, '
     '"scope" TEXT, "intel" TEXT, "potential" INTEGER, "potential_drivers" TEXT, '
     '"currency" TEXT, "owner" TEXT, "flags" TEXT, "fields" TEXT, '
     '"created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_customer_name" ON "customer" ("name")',
    'CREATE INDEX "idx_customer_owner" ON "customer" ("owner")',
    ('CREATE TABLE "contact" ('
     '"id" TEXT PRIMARY KEY, "customer_id" TEXT REFERENCES "customer"("id"), '
     '"name" TEXT, "title" TEXT, "roles" TEXT, "coach" TEXT, "stance" TEXT, '
     '"style" TEXT, "level" TEXT, "phone" TEXT, "email" TEXT, "note" TEXT, '
     '"fields" TEXT, "created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_contact_customer_id" ON "contact" ("customer_id")',
    ('CREATE TABLE "lead" ('
     '"id" TEXT PRIMARY KEY, "customer_id" TEXT REFERENCES "customer"("id"), '
     '"title" TEXT, "source" TEXT, "scenario" TEXT, "status" TEXT, '
     '"budget_confirmed" INTEGER, "budget_amount" INTEGER, "currency" TEXT, '
     '"authority_contact_id" TEXT, "need" TEXT, "timeline" TEXT, "spin" TEXT, '
     '"follow_ups" TEXT, "opportunity_id" TEXT, "drop_reason" TEXT, "owner" TEXT, '
     '"fields" TEXT, "created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_lead_customer_id" ON "lead" ("customer_id")',
    'CREATE INDEX "idx_lead_status" ON "lead" ("status")',
    'CREATE INDEX "idx_lead_owner" ON "lead" ("owner")',
    ('CREATE TABLE "opportunity" ('
     '"id" TEXT PRIMARY KEY, "customer_id" TEXT REFERENCES "customer"("id"), '
     '"lead_id" TEXT, "number" TEXT, "title" TEXT, "owner" TEXT, "amount" INTEGER, '
     '"currency" TEXT, "margin" TEXT, "expense_budget" INTEGER, "category" TEXT, '
     '"close_date" TEXT, "importance" TEXT, "probability" INTEGER, '
     '"forecast_category" TEXT, "pipeline" TEXT, "stage" TEXT, "status" TEXT, '
     '"forced" INTEGER, "customer_owner" TEXT, "budget_confirmed" INTEGER, '
     '"budget_amount" INTEGER, "authority_contact_id" TEXT, "need" TEXT, '
     '"timeline" TEXT, "competition" TEXT, "decision_process" TEXT, '
     '"checklist" TEXT, "approvals" TEXT, "bids" TEXT, "stage_history" TEXT, '
     '"stage_entered_at" TEXT, "reason" TEXT, "summary" TEXT, "closed_at" TEXT, '
     '"completed_at" TEXT, "renews_contract_id" TEXT, "fields" TEXT, '
     '"created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_opportunity_customer_id" ON "opportunity" ("customer_id")',
    'CREATE INDEX "idx_opportunity_owner" ON "opportunity" ("owner")',
    'CREATE INDEX "idx_opportunity_stage" ON "opportunity" ("stage")',
    'CREATE INDEX "idx_opportunity_status" ON "opportunity" ("status")',
    ('CREATE TABLE "activity" ('
     '"id" TEXT PRIMARY KEY, "opportunity_id" TEXT REFERENCES "opportunity"("id"), '
     '"customer_id" TEXT REFERENCES "customer"("id"), "lead_id" TEXT, "type" TEXT, '
     '"date" TEXT, "owner" TEXT, "contact_ids" TEXT, "outcome" TEXT, "note" TEXT, '
     '"next_step" TEXT, "next_due" TEXT, "created_at" TEXT)'),
    'CREATE INDEX "idx_activity_opportunity_id" ON "activity" ("opportunity_id")',
    'CREATE INDEX "idx_activity_customer_id" ON "activity" ("customer_id")',
    'CREATE INDEX "idx_activity_date" ON "activity" ("date")',
    'CREATE INDEX "idx_activity_owner" ON "activity" ("owner")',
    ('CREATE TABLE "event" ('
     '"id" TEXT PRIMARY KEY, "at" TEXT, "actor" TEXT, "kind" TEXT, '
     '"record_id" TEXT, "payload" TEXT, "refs" TEXT)'),
    'CREATE INDEX "idx_event_kind" ON "event" ("kind")',
    'CREATE INDEX "idx_event_record_id" ON "event" ("record_id")',
    'CREATE TABLE kam_sequence (kind TEXT PRIMARY KEY, value INTEGER NOT NULL)',
    ("CREATE TABLE event_ref (event_id TEXT NOT NULL, ref TEXT NOT NULL,"
     " PRIMARY KEY (ref, event_id)) WITHOUT ROWID"),
)

# contracts and what hangs on them: payment milestones, payments, invoices, attachments
_CONTRACTS: tuple[str, ...] = (
    ('CREATE TABLE "contract" ('
     '"id" TEXT PRIMARY KEY, "opportunity_id" TEXT REFERENCES "opportunity"("id"), '
     '"customer_id" TEXT REFERENCES "customer"("id"), "number" TEXT, "title" TEXT, '
     '"owner" TEXT, "amount" INTEGER, "currency" TEXT, "tax_rate" TEXT, '
     '"discount" TEXT, "lines" TEXT, "gifts" TEXT, "status" TEXT, "plan" TEXT, '
     '"warranty_months" INTEGER, "acceptance_criteria" TEXT, "change_cost" TEXT, '
     '"service_end" TEXT, "terms" TEXT, "version" INTEGER, "approvals" TEXT, '
     '"review" TEXT, "amendments" TEXT, "pending_amendment" TEXT, "handover" TEXT, '
     '"signed_on" TEXT, "delivered_on" TEXT, "initial_accepted_on" TEXT, '
     '"final_accepted_on" TEXT, "closed_on" TEXT, "terminated_on" TEXT, '
     '"reason" TEXT, "fields" TEXT, "created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_contract_opportunity_id" ON "contract" ("opportunity_id")',
    'CREATE INDEX "idx_contract_customer_id" ON "contract" ("customer_id")',
    'CREATE INDEX "idx_contract_number" ON "contract" ("number")',
    'CREATE INDEX "idx_contract_owner" ON "contract" ("owner")',
    'CREATE INDEX "idx_contract_status" ON "contract" ("status")',
    'CREATE INDEX "idx_contract_service_end" ON "contract" ("service_end")',
    'CREATE INDEX "idx_contract_signed_on" ON "contract" ("signed_on")',
    ('CREATE TABLE "receivable" ('
     '"id" TEXT PRIMARY KEY, "contract_id" TEXT REFERENCES "contract"("id"), '
     '"customer_id" TEXT REFERENCES "customer"("id"), "seq" INTEGER, "kind" TEXT, '
     '"share" TEXT, "due_offset" TEXT, "amount" INTEGER, "currency" TEXT, '
     '"trigger_on" TEXT, "due_date" TEXT, "paid" INTEGER, "paid_on" TEXT, '
     '"written_off" INTEGER, "written_off_on" TEXT, "written_off_by" TEXT, '
     '"write_off_reason" TEXT, "created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_receivable_contract_id" ON "receivable" ("contract_id")',
    'CREATE INDEX "idx_receivable_customer_id" ON "receivable" ("customer_id")',
    'CREATE INDEX "idx_receivable_due_date" ON "receivable" ("due_date")',
    ('CREATE TABLE "payment" ('
     '"id" TEXT PRIMARY KEY, "contract_id" TEXT REFERENCES "contract"("id"), '
     '"customer_id" TEXT REFERENCES "customer"("id"), "amount" INTEGER, '
     '"currency" TEXT, "date" TEXT, "ref" TEXT, "allocations" TEXT, "note" TEXT, '
     '"created_at" TEXT)'),
    'CREATE INDEX "idx_payment_contract_id" ON "payment" ("contract_id")',
    'CREATE INDEX "idx_payment_customer_id" ON "payment" ("customer_id")',
    'CREATE INDEX "idx_payment_date" ON "payment" ("date")',
    ('CREATE TABLE "invoice" ('
     '"id" TEXT PRIMARY KEY, "contract_id" TEXT REFERENCES "contract"("id"), '
     '"customer_id" TEXT REFERENCES "customer"("id"), '
     '"receivable_id" TEXT REFERENCES "receivable"("id"), "number" TEXT, '
     '"amount" INTEGER, "currency" TEXT, "date" TEXT, "created_at" TEXT)'),
    'CREATE INDEX "idx_invoice_contract_id" ON "invoice" ("contract_id")',
    'CREATE INDEX "idx_invoice_customer_id" ON "invoice" ("customer_id")',
    'CREATE INDEX "idx_invoice_receivable_id" ON "invoice" ("receivable_id")',
    'CREATE INDEX "idx_invoice_number" ON "invoice" ("number")',
    'CREATE INDEX "idx_invoice_date" ON "invoice" ("date")',
    ('CREATE TABLE "attachment" ('
     '"id" TEXT PRIMARY KEY, "contract_id" TEXT REFERENCES "contract"("id"), '
     '"kind" TEXT, "name" TEXT, "path" TEXT, "sha256" TEXT, "size" INTEGER, '
     '"attached_on" TEXT, "created_at" TEXT)'),
    'CREATE INDEX "idx_attachment_contract_id" ON "attachment" ("contract_id")',
)

# sales targets
_TARGETS: tuple[str, ...] = (
    ('CREATE TABLE "target" ('
     '"id" TEXT PRIMARY KEY, "owner" TEXT, "period" TEXT, "amount" INTEGER, '
     '"currency" TEXT, "note" TEXT, "created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_target_owner" ON "target" ("owner")',
    'CREATE INDEX "idx_target_period" ON "target" ("period")',
)

# renewals look deals up by the contract they renew; the battle map and the account
# plan read milestones in plan order per contract
_READ_INDEXES: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS idx_opportunity_renews_contract_id"
    " ON opportunity (renews_contract_id)",
    "CREATE INDEX IF NOT EXISTS idx_receivable_contract_id_seq ON receivable (contract_id, seq)",
)

# the outbox of event-hook deliveries (kam.outbox)
_OUTBOX: tuple[str, ...] = (
    ('CREATE TABLE "outbox" ('
     '"id" TEXT PRIMARY KEY, "hook" TEXT, "plugin" TEXT, "event_id" TEXT, "args" TEXT, '
     '"status" TEXT, "tries" INTEGER, "error" TEXT, "next_at" TEXT, '
     '"created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_outbox_plugin" ON "outbox" ("plugin")',
    'CREATE INDEX "idx_outbox_event_id" ON "outbox" ("event_id")',
    'CREATE INDEX "idx_outbox_status" ON "outbox" ("status")',
)

# after-sales service (客户服务): service records, satisfaction surveys, complaints
_SERVICE: tuple[str, ...] = (
    ('CREATE TABLE "service" ('
     '"id" TEXT PRIMARY KEY, "customer_id" TEXT REFERENCES "customer"("id"), '
     '"contract_id" TEXT REFERENCES "contract"("id"), "type" TEXT, "engineer" TEXT, '
     '"date" TEXT, "hours" TEXT, "cost" INTEGER, "currency" TEXT, "voucher" TEXT, '
     '"remote" INTEGER, "note" TEXT, "created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_service_customer_id" ON "service" ("customer_id")',
    'CREATE INDEX "idx_service_contract_id" ON "service" ("contract_id")',
    'CREATE INDEX "idx_service_engineer" ON "service" ("engineer")',
    'CREATE INDEX "idx_service_date" ON "service" ("date")',
    ('CREATE TABLE "survey" ('
     '"id" TEXT PRIMARY KEY, "service_id" TEXT REFERENCES "service"("id"), '
     '"customer_id" TEXT REFERENCES "customer"("id"), "attitude" TEXT, "skill" TEXT, '
     '"arrival" TEXT, "promises" TEXT, "date" TEXT, "respondent" TEXT, '
     '"surveyed_by" TEXT, "note" TEXT, "created_at" TEXT)'),
    'CREATE INDEX "idx_survey_service_id" ON "survey" ("service_id")',
    'CREATE INDEX "idx_survey_customer_id" ON "survey" ("customer_id")',
    'CREATE INDEX "idx_survey_date" ON "survey" ("date")',
    ('CREATE TABLE "complaint" ('
     '"id" TEXT PRIMARY KEY, "customer_id" TEXT REFERENCES "customer"("id"), '
     '"contract_id" TEXT REFERENCES "contract"("id"), "severity" TEXT, "owner" TEXT, '
     '"date" TEXT, "note" TEXT, "reply" TEXT, "status" TEXT, "escalated_to" TEXT, '
     '"escalated_on" TEXT, "replied_on" TEXT, "closed_on" TEXT, "created_at" TEXT, '
     '"updated_at" TEXT)'),
    'CREATE INDEX "idx_complaint_customer_id" ON "complaint" ("customer_id")',
    'CREATE INDEX "idx_complaint_contract_id" ON "complaint" ("contract_id")',
    'CREATE INDEX "idx_complaint_owner" ON "complaint" ("owner")',
    'CREATE INDEX "idx_complaint_date" ON "complaint" ("date")',
    'CREATE INDEX "idx_complaint_status" ON "complaint" ("status")',
)

# the money of a project: a deal's presales budget split by milestone, its
# adjustments (调整表) and withdrawal criteria (撤出标准); the presales expenses booked
# against it (售前费用); a contract's cost lines from 概算 to 决算 with its recognised
# revenue; deliveries (发货: request, review, outbound, customer confirmation); payments
# requested by sales and confirmed by finance (kam.toml finance.confirm_payments), and
# invoices requested and approved (finance.approve_invoices)
_PROJECT_MONEY: tuple[str, ...] = (
    'ALTER TABLE "opportunity" ADD COLUMN "budget_split" TEXT',
    'ALTER TABLE "opportunity" ADD COLUMN "budget_adjustments" TEXT',
    'ALTER TABLE "opportunity" ADD COLUMN "withdrawal_criteria" TEXT',
    'ALTER TABLE "contract" ADD COLUMN "cost_lines" TEXT',
    'ALTER TABLE "contract" ADD COLUMN "recognised_revenue" INTEGER',
    ('CREATE TABLE "expense" ('
     '"id" TEXT PRIMARY KEY, "opportunity_id" TEXT REFERENCES "opportunity"("id"), '
     '"customer_id" TEXT REFERENCES "customer"("id"), "type" TEXT, "amount" INTEGER, '
     '"currency" TEXT, "date" TEXT, "stage" TEXT, "owner" TEXT, "receipt" TEXT, '
     '"note" TEXT, "created_at" TEXT)'),
    'CREATE INDEX "idx_expense_opportunity_id" ON "expense" ("opportunity_id")',
    'CREATE INDEX "idx_expense_customer_id" ON "expense" ("customer_id")',
    'CREATE INDEX "idx_expense_date" ON "expense" ("date")',
    'CREATE INDEX "idx_expense_owner" ON "expense" ("owner")',
    ('CREATE TABLE "delivery" ('
     '"id" TEXT PRIMARY KEY, "contract_id" TEXT REFERENCES "contract"("id"), '
     '"customer_id" TEXT REFERENCES "customer"("id"), "lines" TEXT, "status" TEXT, '
     '"requested_by" TEXT, "requested_on" TEXT, "approvals" TEXT, "shipped_on" TEXT, '
     '"confirmed_on" TEXT, "confirmation" TEXT, "note" TEXT, "created_at" TEXT, '
     '"updated_at" TEXT)'),
    'CREATE INDEX "idx_delivery_contract_id" ON "delivery" ("contract_id")',
    'CREATE INDEX "idx_delivery_customer_id" ON "delivery" ("customer_id")',
    'CREATE INDEX "idx_delivery_status" ON "delivery" ("status")',
    'CREATE INDEX "idx_delivery_requested_on" ON "delivery" ("requested_on")',
    'CREATE INDEX "idx_delivery_confirmed_on" ON "delivery" ("confirmed_on")',
    'ALTER TABLE "payment" ADD COLUMN "status" TEXT',
    'ALTER TABLE "payment" ADD COLUMN "receivable_id" TEXT',
    'ALTER TABLE "payment" ADD COLUMN "requested_by" TEXT',
    'ALTER TABLE "payment" ADD COLUMN "confirmed_by" TEXT',
    'ALTER TABLE "payment" ADD COLUMN "confirmed_on" TEXT',
    'CREATE INDEX "idx_payment_status" ON "payment" ("status")',
    'ALTER TABLE "invoice" ADD COLUMN "status" TEXT',
    'ALTER TABLE "invoice" ADD COLUMN "requested_by" TEXT',
    'ALTER TABLE "invoice" ADD COLUMN "approvals" TEXT',
    'CREATE INDEX "idx_invoice_status" ON "invoice" ("status")',
)

# target plans (计划): a target per customer and product line, a team it is part of, its
# 责任人, floor (保底) and stretch
_TARGET_PLAN: tuple[str, ...] = (
    'ALTER TABLE "target" ADD COLUMN "customer_id" TEXT REFERENCES "customer"("id")',
    'ALTER TABLE "target" ADD COLUMN "product" TEXT',
    'ALTER TABLE "target" ADD COLUMN "team" TEXT',
    'ALTER TABLE "target" ADD COLUMN "responsible" TEXT',
    'ALTER TABLE "target" ADD COLUMN "floor" INTEGER',
    'ALTER TABLE "target" ADD COLUMN "stretch" INTEGER',
    'CREATE INDEX "idx_target_customer_id" ON "target" ("customer_id")',
    'CREATE INDEX "idx_target_team" ON "target" ("team")',
    # the customer matrix set by hand (an override of the rule) names who set it
    'ALTER TABLE "customer" ADD COLUMN "matrix_set_by" TEXT',
)

# selling as a team: the deal team (铁三角), scored evaluations, the negotiation log and
# trials (POC) of each opportunity; collection notes (催收说明) on payment milestones; visit
# plans (拜访计划)
_DEAL_TEAM: tuple[str, ...] = (
    'ALTER TABLE "opportunity" ADD COLUMN "team" TEXT',
    'ALTER TABLE "opportunity" ADD COLUMN "evaluations" TEXT',
    'ALTER TABLE "opportunity" ADD COLUMN "concessions" TEXT',
    'ALTER TABLE "opportunity" ADD COLUMN "trials" TEXT',
    'ALTER TABLE "contact" ADD COLUMN "tier" TEXT',
    'ALTER TABLE "activity" ADD COLUMN "signals" TEXT',
    'ALTER TABLE "activity" ADD COLUMN "closing" TEXT',
    ('CREATE TABLE "visit_plan" ('
     '"id" TEXT PRIMARY KEY, "owner" TEXT, "period" TEXT, '
     '"customer_id" TEXT REFERENCES "customer"("id"), "count" INTEGER, "note" TEXT, '
     '"created_at" TEXT, "updated_at" TEXT)'),
    'CREATE INDEX "idx_visit_plan_owner" ON "visit_plan" ("owner")',
    'CREATE INDEX "idx_visit_plan_period" ON "visit_plan" ("period")',
    'CREATE INDEX "idx_visit_plan_customer_id" ON "visit_plan" ("customer_id")',
    'ALTER TABLE "receivable" ADD COLUMN "collection_notes" TEXT',
)

# the case-analysis report (案例分析报告) of an I/VI deal after its win or loss
_CASE_ANALYSIS: tuple[str, ...] = (
    'ALTER TABLE "opportunity" ADD COLUMN "case_analysis" TEXT',
)

# 招投标评分表: the customer's scoring sheet of a tender, on the deal (kam opp tender)
_TENDER_SHEET: tuple[str, ...] = (
    'ALTER TABLE "opportunity" ADD COLUMN "tender_sheet" TEXT',
)

# the battle map's 情 (a call in the last 30 days): SELECT DISTINCT customer_id over a
# window of dates is answered from the index alone, not a row look-up per call
_ACTIVITY_DATE_CUSTOMER: tuple[str, ...] = (
    'CREATE INDEX IF NOT EXISTS "idx_activity_date_customer" ON "activity"'
    ' ("date", "customer_id")',
)

# ``kam today`` lists the first rows of each table and counts the rest (issue 15): the
# next steps due are counted from an index alone (a due step's call date, whether it is
# on a deal, the deal), the live deals they may be on listed from one (a deal's status,
# completion, id); the promised payments are found among the few milestones with
# collection notes (the open terms word for word, so the planner takes it); the case
# analyses owed are counted and the first found among the deals with none, and the few
# deals with one are read apart
_TODAY_HEADS: tuple[str, ...] = (
    'CREATE INDEX IF NOT EXISTS "idx_call_last_due" ON "call_last"'
    ' ("next_due", "date", "deal", "key")',
    'CREATE INDEX IF NOT EXISTS "idx_opportunity_live" ON "opportunity"'
    ' ("status", "completed_at", "id")',
    'CREATE INDEX IF NOT EXISTS "idx_receivable_noted" ON "receivable" ("id")'
    f" WHERE {summaries.NOTED_TERM} AND {' AND '.join(summaries.OPEN_TERMS)}",
    'CREATE INDEX IF NOT EXISTS "idx_opportunity_case_owed" ON "opportunity"'
    ' ("importance", "status", "closed_at", "id") WHERE "case_analysis" IS NULL',
    'CREATE INDEX IF NOT EXISTS "idx_opportunity_case_written" ON "opportunity" ("id")'
    ' WHERE "case_analysis" IS NOT NULL',
)

# --- the migrations, in order: append only ------------------------------------------

MIGRATIONS: tuple[tuple[str, Step], ...] = (
    ("0001_foundation", _FOUNDATION),
    ("0002_contracts", _CONTRACTS),
    ("0003_targets", _TARGETS),
    ("0004_read_indexes", _READ_INDEXES),
    ("0005_outbox", _OUTBOX),
    ("0006_service", _SERVICE),
    ("0007_target_plan", _TARGET_PLAN),
    ("0008_project_money", _PROJECT_MONEY),
    ("0009_deal_team", _DEAL_TEAM),
    ("0010_case_analysis", _CASE_ANALYSIS),
    ("0011_tender_sheet", _TENDER_SHEET),
    ("0012_today_summaries", summaries.MIGRATION),
    ("0013_check_open_receivables", summaries.OPEN_RECEIVABLES_INDEX),
    ("0014_check_fired_reminders", summaries.REMINDER_INDEX),
    ("0015_activity_date_customer", _ACTIVITY_DATE_CUSTOMER),
    ("0016_today_heads", _TODAY_HEADS),
    ("0017_check_mark", check_mark.MIGRATION),
    ("0018_pipeline_sums", deal_sums.MIGRATION + deal_sums.FILL),
)

#: the schema version this kam writes: derived from the list, never kept by hand
SCHEMA_VERSION = len(MIGRATIONS)

#: the schema version of kam 0.1.0's databases
V0_1_0 = 4


def too_new(found: int, where: object, latest: int = SCHEMA_VERSION) -> StorageError:
    return StorageError(
        f"{where} was written by a newer kam (schema version {found}; this kam knows "
        f"up to {latest}): upgrade kam to open it"
    )


def _run(step: Step) -> Callable[[Any], None]:
    if callable(step):
        return step

    def run_sql(db: Any) -> None:
        for statement in step:
            db.execute(statement)

    return run_sql


def migrate(conn: Any, migrations: tuple[tuple[str, Step], ...] | None = None,
            where: object = "the workspace database") -> list[str]:
    """Apply the pending steps (default :data:`MIGRATIONS`) with sqlite-utils (imported
    only here); return their names.

    The caller holds the write transaction. A database that recorded a step this kam
    does not know was written by a newer kam and is refused (nothing is changed).
    """
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    if migrations is None:
        migrations = MIGRATIONS
    db = Database(conn)
    steps = Migrations("kam")
    for name, step in migrations:
        steps(name=name)(_run(step))
    known = {name for name, _ in migrations}
    applied = [m.name for m in steps.applied(db)]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise too_new(len(applied), where, len(migrations))
    pending = [m.name for m in steps.pending(db)]
    steps.apply(db)
    conn.execute(f"PRAGMA user_version = {len(migrations)}")
    return pending
