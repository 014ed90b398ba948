"""The PostgreSQL schema: the SQLite backend's migrations, step for step, in PostgreSQL SQL.

Each step has the name of its SQLite twin (``plugins/storage_sqlite/schema.py``) and
creates the same tables, columns, foreign keys and indexes; only the column types are
PostgreSQL's own: money ``NUMERIC(20,2)`` (exact), decimals ``NUMERIC``, dates ``DATE``,
booleans ``BOOLEAN``, ints ``BIGINT``; text and time stamps ``TEXT COLLATE "C"`` (code
point order, as SQLite compares text, whatever the database's locale); json as text
(written with sorted keys, read back as written). Steps are frozen once released: a
database records the names it applied in ``kam_migrations``, and the schema version is
``len(MIGRATIONS)``. Steps after the SQLite list are PostgreSQL's own (roles, row-level
security).
"""

from __future__ import annotations

from typing import Any

from kam.errors import StorageError
from kam.plugins.storage_postgres.team_schema import DEAL_TEAM, TEAM_RLS

# --- kam 0.1.0's schema, as the SQLite steps 0001-0004 (frozen) ----------------------

_FOUNDATION: tuple[str, ...] = (
    ('CREATE TABLE "customer" ("id" TEXT COLLATE "C" PRIMARY KEY, "name" TEXT COLLATE "C", '
     '"grade" TEXT COLLATE "C", "matrix" TEXT COLLATE "C", '
     '"purchase_type" TEXT COLLATE "C", "relationship" TEXT COLLATE "C", '
     '"industry" TEXT COLLATE "C", "region" TEXT COLLATE "C", "scope" TEXT COLLATE "C", '
     '"intel" TEXT, "potential" NUMERIC(20,2), "potential_drivers" TEXT, '
     '"currency" TEXT COLLATE "C", "owner" TEXT COLLATE "C", "flags" TEXT, "fields" TEXT, '
     '"created_at" TEXT COLLATE "C", "updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_customer_name" ON "customer" ("name")',
    'CREATE INDEX "idx_customer_owner" ON "customer" ("owner")',
    ('CREATE TABLE "contact" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), "name" TEXT COLLATE "C", '
     '"title" TEXT COLLATE "C", "roles" TEXT, "coach" TEXT COLLATE "C", '
     '"stance" TEXT COLLATE "C", "style" TEXT COLLATE "C", "level" TEXT COLLATE "C", '
     '"phone" TEXT COLLATE "C", "email" TEXT COLLATE "C", "note" TEXT COLLATE "C", '
     '"fields" TEXT, "created_at" TEXT COLLATE "C", "updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_contact_customer_id" ON "contact" ("customer_id")',
    ('CREATE TABLE "lead" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), '
     '"title" TEXT COLLATE "C", "source" TEXT COLLATE "C", "scenario" TEXT COLLATE "C", '
     '"status" TEXT COLLATE "C", "budget_confirmed" BOOLEAN, '
     '"budget_amount" NUMERIC(20,2), "currency" TEXT COLLATE "C", '
     '"authority_contact_id" TEXT COLLATE "C", "need" TEXT COLLATE "C", "timeline" DATE, '
     '"spin" TEXT, "follow_ups" TEXT, "opportunity_id" TEXT COLLATE "C", '
     '"drop_reason" TEXT COLLATE "C", "owner" TEXT COLLATE "C", "fields" TEXT, '
     '"created_at" TEXT COLLATE "C", "updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_lead_customer_id" ON "lead" ("customer_id")',
    'CREATE INDEX "idx_lead_status" ON "lead" ("status")',
    'CREATE INDEX "idx_lead_owner" ON "lead" ("owner")',
    ('CREATE TABLE "opportunity" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), '
     '"lead_id" TEXT COLLATE "C", "number" TEXT COLLATE "C", "title" TEXT COLLATE "C", '
     '"owner" TEXT COLLATE "C", "amount" NUMERIC(20,2), "currency" TEXT COLLATE "C", '
     '"margin" NUMERIC, "expense_budget" NUMERIC(20,2), "category" TEXT COLLATE "C", '
     '"close_date" DATE, "importance" TEXT COLLATE "C", "probability" BIGINT, '
     '"forecast_category" TEXT COLLATE "C", "pipeline" TEXT COLLATE "C", '
     '"stage" TEXT COLLATE "C", "status" TEXT COLLATE "C", "forced" BOOLEAN, '
     '"customer_owner" TEXT COLLATE "C", "budget_confirmed" BOOLEAN, '
     '"budget_amount" NUMERIC(20,2), "authority_contact_id" TEXT COLLATE "C", '
     '"need" TEXT COLLATE "C", "timeline" DATE, "competition" TEXT COLLATE "C", '
     '"decision_process" TEXT COLLATE "C", "checklist" TEXT, "approvals" TEXT, '
     '"bids" TEXT, "stage_history" TEXT, "stage_entered_at" DATE, '
     '"reason" TEXT COLLATE "C", "summary" TEXT COLLATE "C", "closed_at" DATE, '
     '"completed_at" DATE, "renews_contract_id" TEXT COLLATE "C", "fields" TEXT, '
     '"created_at" TEXT COLLATE "C", "updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_opportunity_customer_id" ON "opportunity" ("customer_id")',
    'CREATE INDEX "idx_opportunity_owner" ON "opportunity" ("owner")',
    'CREATE INDEX "idx_opportunity_stage" ON "opportunity" ("stage")',
    'CREATE INDEX "idx_opportunity_status" ON "opportunity" ("status")',
    ('CREATE TABLE "activity" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"opportunity_id" TEXT COLLATE "C" REFERENCES "opportunity"("id"), '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), '
     '"lead_id" TEXT COLLATE "C", "type" TEXT COLLATE "C", "date" DATE, '
     '"owner" TEXT COLLATE "C", "contact_ids" TEXT, "outcome" TEXT COLLATE "C", '
     '"note" TEXT COLLATE "C", "next_step" TEXT COLLATE "C", "next_due" DATE, '
     '"created_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_activity_opportunity_id" ON "activity" ("opportunity_id")',
    'CREATE INDEX "idx_activity_customer_id" ON "activity" ("customer_id")',
    'CREATE INDEX "idx_activity_date" ON "activity" ("date")',
    'CREATE INDEX "idx_activity_owner" ON "activity" ("owner")',
    ('CREATE TABLE "event" ("id" TEXT COLLATE "C" PRIMARY KEY, "at" TEXT COLLATE "C", '
     '"actor" TEXT COLLATE "C", "kind" TEXT COLLATE "C", "record_id" TEXT COLLATE "C", '
     '"payload" TEXT, "refs" TEXT)'),
    'CREATE INDEX "idx_event_kind" ON "event" ("kind")',
    'CREATE INDEX "idx_event_record_id" ON "event" ("record_id")',
    'CREATE TABLE kam_sequence (kind TEXT COLLATE "C" PRIMARY KEY, value BIGINT NOT NULL)',
    ('CREATE TABLE event_ref (event_id TEXT COLLATE "C" NOT NULL, '
     'ref TEXT COLLATE "C" NOT NULL, PRIMARY KEY (ref, event_id))'),
)

_CONTRACTS: tuple[str, ...] = (
    ('CREATE TABLE "contract" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"opportunity_id" TEXT COLLATE "C" REFERENCES "opportunity"("id"), '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), '
     '"number" TEXT COLLATE "C", "title" TEXT COLLATE "C", "owner" TEXT COLLATE "C", '
     '"amount" NUMERIC(20,2), "currency" TEXT COLLATE "C", "tax_rate" NUMERIC, '
     '"discount" NUMERIC, "lines" TEXT, "gifts" TEXT COLLATE "C", '
     '"status" TEXT COLLATE "C", "plan" TEXT, "warranty_months" BIGINT, '
     '"acceptance_criteria" TEXT COLLATE "C", "change_cost" TEXT COLLATE "C", '
     '"service_end" DATE, "terms" TEXT, "version" BIGINT, "approvals" TEXT, "review" TEXT, '
     '"amendments" TEXT, "pending_amendment" TEXT, "handover" TEXT, "signed_on" DATE, '
     '"delivered_on" DATE, "initial_accepted_on" DATE, "final_accepted_on" DATE, '
     '"closed_on" DATE, "terminated_on" DATE, "reason" TEXT COLLATE "C", "fields" TEXT, '
     '"created_at" TEXT COLLATE "C", "updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_contract_opportunity_id" ON "contract" ("opportunity_id")',
    'CREATE INDEX "idx_contract_customer_id" ON "contract" ("customer_id")',
    'CREATE INDEX "idx_contract_number" ON "contract" ("number")',
    'CREATE INDEX "idx_contract_owner" ON "contract" ("owner")',
    'CREATE INDEX "idx_contract_status" ON "contract" ("status")',
    'CREATE INDEX "idx_contract_service_end" ON "contract" ("service_end")',
    'CREATE INDEX "idx_contract_signed_on" ON "contract" ("signed_on")',
    ('CREATE TABLE "receivable" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"contract_id" TEXT COLLATE "C" REFERENCES "contract"("id"), '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), "seq" BIGINT, '
     '"kind" TEXT COLLATE "C", "share" TEXT COLLATE "C", "due_offset" TEXT COLLATE "C", '
     '"amount" NUMERIC(20,2), "currency" TEXT COLLATE "C", "trigger_on" DATE, '
     '"due_date" DATE, "paid" NUMERIC(20,2), "paid_on" DATE, "written_off" NUMERIC(20,2), '
     '"written_off_on" DATE, "written_off_by" TEXT COLLATE "C", '
     '"write_off_reason" TEXT COLLATE "C", "created_at" TEXT COLLATE "C", '
     '"updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_receivable_contract_id" ON "receivable" ("contract_id")',
    'CREATE INDEX "idx_receivable_customer_id" ON "receivable" ("customer_id")',
    'CREATE INDEX "idx_receivable_due_date" ON "receivable" ("due_date")',
    ('CREATE TABLE "payment" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"contract_id" TEXT COLLATE "C" REFERENCES "contract"("id"), '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), "amount" NUMERIC(20,2), '
     '"currency" TEXT COLLATE "C", "date" DATE, "ref" TEXT COLLATE "C", '
     '"allocations" TEXT, "note" TEXT COLLATE "C", "created_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_payment_contract_id" ON "payment" ("contract_id")',
    'CREATE INDEX "idx_payment_customer_id" ON "payment" ("customer_id")',
    'CREATE INDEX "idx_payment_date" ON "payment" ("date")',
    ('CREATE TABLE "invoice" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"contract_id" TEXT COLLATE "C" REFERENCES "contract"("id"), '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), '
     '"receivable_id" TEXT COLLATE "C" REFERENCES "receivable"("id"), '
     '"number" TEXT COLLATE "C", "amount" NUMERIC(20,2), "currency" TEXT COLLATE "C", '
     '"date" DATE, "created_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_invoice_contract_id" ON "invoice" ("contract_id")',
    'CREATE INDEX "idx_invoice_customer_id" ON "invoice" ("customer_id")',
    'CREATE INDEX "idx_invoice_receivable_id" ON "invoice" ("receivable_id")',
    'CREATE INDEX "idx_invoice_number" ON "invoice" ("number")',
    'CREATE INDEX "idx_invoice_date" ON "invoice" ("date")',
    ('CREATE TABLE "attachment" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"contract_id" TEXT COLLATE "C" REFERENCES "contract"("id"), "kind" TEXT COLLATE "C", '
     '"name" TEXT COLLATE "C", "path" TEXT COLLATE "C", "sha256" TEXT COLLATE "C", '
     '"size" BIGINT, "attached_on" DATE, "created_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_attachment_contract_id" ON "attachment" ("contract_id")',
)

_TARGETS: tuple[str, ...] = (
    ('CREATE TABLE "target" ("id" TEXT COLLATE "C" PRIMARY KEY, "owner" TEXT COLLATE "C", '
     '"period" TEXT COLLATE "C", "amount" NUMERIC(20,2), "currency" TEXT COLLATE "C", '
     '"note" TEXT COLLATE "C", "created_at" TEXT COLLATE "C", '
     '"updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_target_owner" ON "target" ("owner")',
    'CREATE INDEX "idx_target_period" ON "target" ("period")',
)

_READ_INDEXES: tuple[str, ...] = (
    ('CREATE INDEX IF NOT EXISTS idx_opportunity_renews_contract_id'
     ' ON opportunity (renews_contract_id)'),
    'CREATE INDEX IF NOT EXISTS idx_receivable_contract_id_seq ON receivable (contract_id, seq)',
)

# --- PostgreSQL's own steps ----------------------------------------------------------

# one row every write transaction locks first (FOR UPDATE): writers queue as SQLite's
# IMMEDIATE transactions do, so a service's reads, checks and writes see no concurrent
# change at READ COMMITTED; a plain row lock, so Postgres-compatible distributed
# engines have it too (no advisory locks)
_WRITER_LOCK: tuple[str, ...] = (
    "CREATE TABLE kam_writer (id INTEGER PRIMARY KEY CHECK (id = 1))",
    "INSERT INTO kam_writer (id) VALUES (1)",
)

# event deliveries to plugins (SQLite's 0005_outbox); a team member sees and retries the
# deliveries of the events they may see, since ``args`` carry copies of records
_OUTBOX: tuple[str, ...] = (
    ('CREATE TABLE "outbox" ("id" TEXT COLLATE "C" PRIMARY KEY, "hook" TEXT COLLATE "C", '
     '"plugin" TEXT COLLATE "C", "event_id" TEXT COLLATE "C", "args" TEXT, '
     '"status" TEXT COLLATE "C", "tries" BIGINT, "error" TEXT COLLATE "C", '
     '"next_at" TEXT COLLATE "C", "created_at" TEXT COLLATE "C", '
     '"updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_outbox_plugin" ON "outbox" ("plugin")',
    'CREATE INDEX "idx_outbox_event_id" ON "outbox" ("event_id")',
    'CREATE INDEX "idx_outbox_status" ON "outbox" ("status")',
    "GRANT SELECT, INSERT, UPDATE ON outbox TO kam_member",
    "ALTER TABLE outbox ENABLE ROW LEVEL SECURITY",
    ("CREATE POLICY kam_event ON outbox USING (event_id IN (SELECT id FROM event))"
     " WITH CHECK (event_id IN (SELECT id FROM event))"),
)

# after-sales service (SQLite's 0006_service); service records and complaints follow
# their customer, surveys their service record, as contacts do
_SERVICE: tuple[str, ...] = (
    ('CREATE TABLE "service" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), '
     '"contract_id" TEXT COLLATE "C" REFERENCES "contract"("id"), "type" TEXT COLLATE "C", '
     '"engineer" TEXT COLLATE "C", "date" DATE, "hours" NUMERIC, "cost" NUMERIC(20,2), '
     '"currency" TEXT COLLATE "C", "voucher" TEXT COLLATE "C", "remote" BOOLEAN, '
     '"note" TEXT COLLATE "C", "created_at" TEXT COLLATE "C", '
     '"updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_service_customer_id" ON "service" ("customer_id")',
    'CREATE INDEX "idx_service_contract_id" ON "service" ("contract_id")',
    'CREATE INDEX "idx_service_engineer" ON "service" ("engineer")',
    'CREATE INDEX "idx_service_date" ON "service" ("date")',
    ('CREATE TABLE "survey" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"service_id" TEXT COLLATE "C" REFERENCES "service"("id"), '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), '
     '"attitude" TEXT COLLATE "C", "skill" TEXT COLLATE "C", "arrival" TEXT COLLATE "C", '
     '"promises" TEXT COLLATE "C", "date" DATE, "respondent" TEXT COLLATE "C", '
     '"surveyed_by" TEXT COLLATE "C", "note" TEXT COLLATE "C", '
     '"created_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_survey_service_id" ON "survey" ("service_id")',
    'CREATE INDEX "idx_survey_customer_id" ON "survey" ("customer_id")',
    'CREATE INDEX "idx_survey_date" ON "survey" ("date")',
    ('CREATE TABLE "complaint" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), '
     '"contract_id" TEXT COLLATE "C" REFERENCES "contract"("id"), '
     '"severity" TEXT COLLATE "C", "owner" TEXT COLLATE "C", "date" DATE, '
     '"note" TEXT COLLATE "C", "reply" TEXT COLLATE "C", "status" TEXT COLLATE "C", '
     '"escalated_to" TEXT COLLATE "C", "escalated_on" DATE, "replied_on" DATE, '
     '"closed_on" DATE, "created_at" TEXT COLLATE "C", "updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_complaint_customer_id" ON "complaint" ("customer_id")',
    'CREATE INDEX "idx_complaint_contract_id" ON "complaint" ("contract_id")',
    'CREATE INDEX "idx_complaint_owner" ON "complaint" ("owner")',
    'CREATE INDEX "idx_complaint_date" ON "complaint" ("date")',
    'CREATE INDEX "idx_complaint_status" ON "complaint" ("status")',
    "GRANT SELECT, INSERT, UPDATE ON service, survey, complaint TO kam_member",
    "ALTER TABLE service ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE survey ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE complaint ENABLE ROW LEVEL SECURITY",
    ("CREATE POLICY kam_customer ON service USING (customer_id IN (SELECT id FROM customer))"
     " WITH CHECK (customer_id IN (SELECT id FROM customer))"),
    ("CREATE POLICY kam_customer ON complaint USING (customer_id IN "
     "(SELECT id FROM customer)) WITH CHECK (customer_id IN (SELECT id FROM customer))"),
    ("CREATE POLICY kam_service ON survey USING (service_id IN (SELECT id FROM service))"
     " WITH CHECK (service_id IN (SELECT id FROM service))"),
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
    'ALTER TABLE "contract" ADD COLUMN "recognised_revenue" NUMERIC(20,2)',
    ('CREATE TABLE "expense" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"opportunity_id" TEXT COLLATE "C" REFERENCES "opportunity"("id"), '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), "type" TEXT COLLATE "C", '
     '"amount" NUMERIC(20,2), "currency" TEXT COLLATE "C", "date" DATE, '
     '"stage" TEXT COLLATE "C", "owner" TEXT COLLATE "C", "receipt" TEXT, '
     '"note" TEXT COLLATE "C", "created_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_expense_opportunity_id" ON "expense" ("opportunity_id")',
    'CREATE INDEX "idx_expense_customer_id" ON "expense" ("customer_id")',
    'CREATE INDEX "idx_expense_date" ON "expense" ("date")',
    'CREATE INDEX "idx_expense_owner" ON "expense" ("owner")',
    "GRANT SELECT, INSERT, UPDATE ON expense TO kam_member",
    "ALTER TABLE expense ENABLE ROW LEVEL SECURITY",
    ("CREATE POLICY kam_opportunity ON expense USING (opportunity_id IN "
     "(SELECT id FROM opportunity)) WITH CHECK (opportunity_id IN (SELECT id FROM opportunity))"),
    ('CREATE TABLE "delivery" ("id" TEXT COLLATE "C" PRIMARY KEY, '
     '"contract_id" TEXT COLLATE "C" REFERENCES "contract"("id"), '
     '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), "lines" TEXT, '
     '"status" TEXT COLLATE "C", "requested_by" TEXT COLLATE "C", "requested_on" DATE, '
     '"approvals" TEXT, "shipped_on" DATE, "confirmed_on" DATE, "confirmation" TEXT, '
     '"note" TEXT COLLATE "C", "created_at" TEXT COLLATE "C", '
     '"updated_at" TEXT COLLATE "C")'),
    'CREATE INDEX "idx_delivery_contract_id" ON "delivery" ("contract_id")',
    'CREATE INDEX "idx_delivery_customer_id" ON "delivery" ("customer_id")',
    'CREATE INDEX "idx_delivery_status" ON "delivery" ("status")',
    'CREATE INDEX "idx_delivery_requested_on" ON "delivery" ("requested_on")',
    'CREATE INDEX "idx_delivery_confirmed_on" ON "delivery" ("confirmed_on")',
    "GRANT SELECT, INSERT, UPDATE ON delivery TO kam_member",
    "ALTER TABLE delivery ENABLE ROW LEVEL SECURITY",
    ("CREATE POLICY kam_contract ON delivery USING (contract_id IN (SELECT id FROM contract))"
     " WITH CHECK (contract_id IN (SELECT id FROM contract))"),
    'ALTER TABLE "payment" ADD COLUMN "status" TEXT COLLATE "C"',
    'ALTER TABLE "payment" ADD COLUMN "receivable_id" TEXT COLLATE "C"',
    'ALTER TABLE "payment" ADD COLUMN "requested_by" TEXT COLLATE "C"',
    'ALTER TABLE "payment" ADD COLUMN "confirmed_by" TEXT COLLATE "C"',
    'ALTER TABLE "payment" ADD COLUMN "confirmed_on" DATE',
    'CREATE INDEX "idx_payment_status" ON "payment" ("status")',
    # sales request a payment (收款申请单); only finance confirms it (kam_finance_change)
    ("CREATE POLICY kam_request ON payment FOR INSERT WITH CHECK (status = 'requested' "
     "AND contract_id IN (SELECT id FROM contract))"),
    'ALTER TABLE "invoice" ADD COLUMN "status" TEXT COLLATE "C"',
    'ALTER TABLE "invoice" ADD COLUMN "requested_by" TEXT COLLATE "C"',
    'ALTER TABLE "invoice" ADD COLUMN "approvals" TEXT',
    'CREATE INDEX "idx_invoice_status" ON "invoice" ("status")',
    # sales request an invoice (开票申请单); only finance issues it (kam_finance_change)
    ("CREATE POLICY kam_request ON invoice FOR INSERT WITH CHECK (status = 'requested' "
     "AND contract_id IN (SELECT id FROM contract))"),
)

# target plans (计划): a target per customer and product line, a team it is part of, its
# 责任人, floor (保底) and stretch
_TARGET_PLAN: tuple[str, ...] = (
    'ALTER TABLE "target" ADD COLUMN "customer_id" TEXT COLLATE "C" REFERENCES "customer"("id")',
    'ALTER TABLE "target" ADD COLUMN "product" TEXT COLLATE "C"',
    'ALTER TABLE "target" ADD COLUMN "team" TEXT COLLATE "C"',
    'ALTER TABLE "target" ADD COLUMN "responsible" TEXT COLLATE "C"',
    'ALTER TABLE "target" ADD COLUMN "floor" NUMERIC(20,2)',
    'ALTER TABLE "target" ADD COLUMN "stretch" NUMERIC(20,2)',
    'CREATE INDEX "idx_target_customer_id" ON "target" ("customer_id")',
    'CREATE INDEX "idx_target_team" ON "target" ("team")',
    # the customer matrix set by hand (an override of the rule) names who set it
    'ALTER TABLE "customer" ADD COLUMN "matrix_set_by" TEXT COLLATE "C"',
)

# the case-analysis report (案例分析报告) of an I/VI deal after its win or loss
_CASE_ANALYSIS: tuple[str, ...] = (
    'ALTER TABLE "opportunity" ADD COLUMN "case_analysis" TEXT',
)

# 招投标评分表: the customer's scoring sheet of a tender, on the deal (kam opp tender);
# the deal's row-level security covers it
_TENDER_SHEET: tuple[str, ...] = (
    'ALTER TABLE "opportunity" ADD COLUMN "tender_sheet" TEXT',
)

# the battle map's 情 (a call in the last 30 days): the customers called in a window of
# dates from the index alone (the same index as SQLite's 0015); the activity's
# row-level security is unchanged
_ACTIVITY_DATE_CUSTOMER: tuple[str, ...] = (
    'CREATE INDEX IF NOT EXISTS "idx_activity_date_customer" ON "activity"'
    ' ("date", "customer_id")',
)

# --- the migrations, in order: append only ------------------------------------------

MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("0001_foundation", _FOUNDATION),
    ("0002_contracts", _CONTRACTS),
    ("0003_targets", _TARGETS),
    ("0004_read_indexes", _READ_INDEXES),
    ("0005_pg_writer_lock", _WRITER_LOCK),
    ("0006_pg_team_rls", TEAM_RLS),
    ("0007_outbox", _OUTBOX),
    ("0008_service", _SERVICE),
    ("0009_target_plan", _TARGET_PLAN),
    ("0010_project_money", _PROJECT_MONEY),
    ("0011_deal_team", DEAL_TEAM),
    ("0012_case_analysis", _CASE_ANALYSIS),
    ("0013_tender_sheet", _TENDER_SHEET),
    ("0014_activity_date_customer", _ACTIVITY_DATE_CUSTOMER),
)

#: the schema version this kam writes: derived from the list, never kept by hand
SCHEMA_VERSION = len(MIGRATIONS)

#: where applied steps are recorded (created by the first migration run)
_LEDGER = ("CREATE TABLE IF NOT EXISTS kam_migrations ("
           'name TEXT COLLATE "C" PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())')


def too_new(found: int, where: object, latest: int = SCHEMA_VERSION) -> StorageError:
    return StorageError(
        f"{where} was written by a newer kam (schema version {found}; this kam knows "
        f"up to {latest}): upgrade kam to open it"
    )


def migrate(conn: Any, where: object,
            migrations: tuple[tuple[str, tuple[str, ...]], ...] = MIGRATIONS) -> list[str]:
    """Apply the pending steps in the caller's transaction; return their names.

    The ledger table is locked first, so one process migrates and the others then find
    the work done. A database that recorded a step this kam does not know is refused.
    """
    conn.execute(_LEDGER)
    conn.execute("LOCK TABLE kam_migrations IN SHARE ROW EXCLUSIVE MODE")
    applied = [row[0] for row in conn.execute("SELECT name FROM kam_migrations")]
    known = {name for name, _ in migrations}
    if any(name not in known for name in applied):
        raise too_new(len(applied), where, len(migrations))
    pending = [(name, step) for name, step in migrations if name not in applied]
    for name, step in pending:
        for statement in step:
            conn.execute(statement)
        conn.execute("INSERT INTO kam_migrations (name) VALUES (%s)", (name,))
    return [name for name, _ in pending]
