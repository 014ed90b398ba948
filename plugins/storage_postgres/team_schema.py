"""Migration 0006: a team on one database, with access enforced by PostgreSQL itself.

- Group roles ``kam_sales kam_manager kam_director kam_finance kam_admin`` (all members
  of ``kam_member``, which holds the table privileges: no DELETE anywhere, and the
  event log is append-only). A person is
  a LOGIN role in one group and a row of ``kam_team`` (name, role, manager), made by
  ``kam_team_add`` (``kam team add``; admins and the workspace owner only).
- Row-level security on every record table. Owned records (customers, leads, deals,
  activities, contracts, targets) are seen and changed by their owner, their owner's
  manager, and the director, finance and admin; contacts follow their customer;
  milestones, payments, invoices and attachments follow their contract. Only finance
  inserts payments and invoices, and changes what is paid or written off.
- Approvals (the ``approvals`` list of a contract or deal): each new entry must be by
  the connected user, who must hold its role (``kam_approval_role``) and may not own
  the record. Events are stamped with ``session_user``: the client cannot forge the
  actor.
- The workspace owner (who ran the migrations) is not subject to RLS, as PostgreSQL
  has it for table owners: single-user workspaces, ``kam import`` and repairs use it.
"""

from __future__ import annotations

OWNED = ("customer", "lead", "opportunity", "activity", "contract", "target")
BY_CONTRACT = ("receivable", "attachment")
FINANCE_ONLY = ("payment", "invoice")
TABLES = ("customer", "contact", "lead", "opportunity", "activity", "contract", "receivable",
          "payment", "invoice", "attachment", "target", "kam_sequence")
#: the audit trail: appended and read, never changed
APPEND_ONLY = ("event", "event_ref")
GROUPS = ("kam_sales", "kam_manager", "kam_director", "kam_finance", "kam_admin")

_ROLES = """DO $$ DECLARE r text; BEGIN
  FOREACH r IN ARRAY ARRAY['kam_member', 'kam_sales', 'kam_manager', 'kam_director',
                           'kam_finance', 'kam_admin'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$"""

_TEAM = (
    'CREATE TABLE kam_team (name TEXT COLLATE "C" PRIMARY KEY, role TEXT NOT NULL CHECK '
    "(role IN ('sales', 'manager', 'director', 'finance', 'admin')), "
    'manager TEXT COLLATE "C" REFERENCES kam_team (name))'
)

_APPROVAL_ROLES = (
    "CREATE TABLE kam_approval_role (team_role TEXT NOT NULL, approval_role TEXT NOT NULL, "
    "PRIMARY KEY (team_role, approval_role))",
    "INSERT INTO kam_approval_role VALUES ('manager', 'sales_manager'), "
    "('director', 'sales_manager'), ('director', 'sales_director'), "
    "('director', 'general_manager'), ('director', 'management'), ('finance', 'finance')",
)

_FUNCTIONS = (
    """CREATE FUNCTION kam_role() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
       SET search_path FROM CURRENT
       AS $$ SELECT role FROM kam_team WHERE name = session_user::text $$""",
    """CREATE FUNCTION kam_stamp_actor() RETURNS trigger LANGUAGE plpgsql
       SECURITY DEFINER SET search_path FROM CURRENT AS $$
       BEGIN
         IF kam_role() IS NOT NULL THEN NEW.actor := session_user::text; END IF;
         RETURN NEW;
       END $$""",
    """CREATE FUNCTION kam_guard_money() RETURNS trigger LANGUAGE plpgsql
       SECURITY DEFINER SET search_path FROM CURRENT AS $$
       BEGIN
         IF coalesce(kam_role(), 'finance') = 'finance' THEN RETURN NEW; END IF;
         IF (TG_OP = 'INSERT' AND (coalesce(NEW.paid, 0) <> 0
                                   OR coalesce(NEW.written_off, 0) <> 0))
            OR (TG_OP = 'UPDATE' AND (NEW.paid IS DISTINCT FROM OLD.paid
                OR NEW.paid_on IS DISTINCT FROM OLD.paid_on
                OR NEW.written_off IS DISTINCT FROM OLD.written_off
                OR NEW.written_off_by IS DISTINCT FROM OLD.written_off_by)) THEN
           RAISE EXCEPTION 'only finance records payments and write-offs (% is %)',
             session_user, kam_role() USING ERRCODE = 'insufficient_privilege';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE FUNCTION kam_guard_approvals() RETURNS trigger LANGUAGE plpgsql
       SECURITY DEFINER SET search_path FROM CURRENT AS $$
       DECLARE
         me text := session_user::text;
         mine text := kam_role();
         before jsonb := '[]';
         e jsonb;
         owners text[];
       BEGIN
         IF mine IS NULL THEN RETURN NEW; END IF;
         IF TG_OP = 'UPDATE' THEN before := coalesce(OLD.approvals::jsonb, '[]'); END IF;
         owners := ARRAY[NEW.owner];
         IF TG_TABLE_NAME = 'contract' THEN
           owners := owners || (SELECT owner FROM opportunity WHERE id = NEW.opportunity_id);
         END IF;
         FOR e IN SELECT value FROM jsonb_array_elements(coalesce(NEW.approvals::jsonb, '[]'))
         LOOP
           CONTINUE WHEN before @> jsonb_build_array(e);
           IF e->>'by' IS DISTINCT FROM me THEN
             RAISE EXCEPTION 'an approval by % cannot be recorded by %', e->>'by', me
               USING ERRCODE = 'insufficient_privilege';
           END IF;
           IF me = ANY (owners) THEN
             RAISE EXCEPTION '% owns % %: nobody approves their own', me, TG_TABLE_NAME,
               NEW.id USING ERRCODE = 'insufficient_privilege';
           END IF;
           IF NOT EXISTS (SELECT 1 FROM kam_approval_role WHERE team_role = mine
                          AND approval_role = lower(e->>'role')) THEN
             RAISE EXCEPTION '% (%) does not hold the approval role %', me, mine,
               e->>'role' USING ERRCODE = 'insufficient_privilege';
           END IF;
         END LOOP;
         RETURN NEW;
       END $$""",
    """CREATE FUNCTION kam_team_add(member text, team_role text, manager text)
       RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
       DECLARE g text;
       BEGIN
         IF coalesce(kam_role(), '') <> 'admin' AND session_user::text <> current_user::text
            AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user::text) THEN
           RAISE EXCEPTION 'only an admin adds team members (% is %)', session_user,
             coalesce(kam_role(), 'not in the team') USING ERRCODE = 'insufficient_privilege';
         END IF;
         IF team_role NOT IN ('sales', 'manager', 'director', 'finance', 'admin') THEN
           RAISE EXCEPTION 'unknown team role %', team_role USING ERRCODE = 'check_violation';
         END IF;
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = member) THEN
           EXECUTE format('CREATE ROLE %I LOGIN', member);
         END IF;
         FOREACH g IN ARRAY ARRAY['kam_sales', 'kam_manager', 'kam_director', 'kam_finance',
                                  'kam_admin'] LOOP
           IF g <> 'kam_' || team_role AND pg_has_role(member, g, 'MEMBER') THEN
             EXECUTE format('REVOKE %I FROM %I', g, member);
           END IF;
         END LOOP;
         EXECUTE format('GRANT %I TO %I', 'kam_' || team_role, member);
         INSERT INTO kam_team (name, role, manager) VALUES (member, team_role, manager)
           ON CONFLICT (name) DO UPDATE SET role = excluded.role, manager = excluded.manager;
       END $$""",
)


def _grants() -> tuple[str, ...]:
    return (
        "GRANT kam_member TO " + ", ".join(GROUPS),
        "DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO kam_member', "
        "current_schema()); END $$",
        f"GRANT SELECT, INSERT, UPDATE ON {', '.join(TABLES)} TO kam_member",
        f"GRANT SELECT, INSERT ON {', '.join(APPEND_ONLY)} TO kam_member",
        "GRANT SELECT, UPDATE ON kam_writer TO kam_member",
        "GRANT SELECT ON kam_migrations, kam_team, kam_approval_role TO kam_member",
        "REVOKE EXECUTE ON FUNCTION kam_team_add(text, text, text) FROM PUBLIC",
        "GRANT EXECUTE ON FUNCTION kam_team_add(text, text, text) TO kam_admin",
    )


def _sees(column: str) -> str:
    """Who may see a row owned by ``column``: its owner, the owner's manager, and the
    director, finance and admin. ``(SELECT kam_role())`` is evaluated once per query,
    not per row (a function call per row made a 200k-row scan 40× slower)."""
    return (f"({column} = session_user::text"
            " OR (SELECT kam_role()) IN ('director', 'finance', 'admin')"
            " OR ((SELECT kam_role()) = 'manager' AND "
            f"{column} IN (SELECT name FROM kam_team WHERE manager = session_user::text)))")


def _policies() -> tuple[str, ...]:
    visible_contract = "contract_id IN (SELECT id FROM contract)"
    out: list[str] = []
    for table in (*OWNED, "contact", *BY_CONTRACT, *FINANCE_ONLY, "event"):
        out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for table in OWNED:
        out.append(f"CREATE POLICY kam_owner ON {table} USING {_sees('owner')}"
                   f" WITH CHECK {_sees('owner')}")
    out.append("CREATE POLICY kam_customer ON contact USING (customer_id IN "
               "(SELECT id FROM customer)) WITH CHECK (customer_id IN (SELECT id FROM customer))")
    for table in BY_CONTRACT:
        out.append(f"CREATE POLICY kam_contract ON {table} USING ({visible_contract})"
                   f" WITH CHECK ({visible_contract})")
    for table in FINANCE_ONLY:
        out += [
            f"CREATE POLICY kam_read ON {table} FOR SELECT USING ({visible_contract})",
            f"CREATE POLICY kam_finance ON {table} FOR INSERT WITH CHECK "
            f"((SELECT kam_role()) = 'finance' AND {visible_contract})",
            f"CREATE POLICY kam_finance_change ON {table} FOR UPDATE USING "
            "((SELECT kam_role()) = 'finance')",
        ]
    out += [
        f"CREATE POLICY kam_read ON event FOR SELECT USING ({_sees('actor')} OR record_id IN ("
        "SELECT id FROM customer UNION ALL SELECT id FROM opportunity UNION ALL "
        "SELECT id FROM contract UNION ALL SELECT id FROM lead))",
        "CREATE POLICY kam_append ON event FOR INSERT WITH CHECK (actor = session_user::text)",
        "CREATE TRIGGER kam_actor BEFORE INSERT ON event FOR EACH ROW "
        "EXECUTE FUNCTION kam_stamp_actor()",
        "CREATE TRIGGER kam_money BEFORE INSERT OR UPDATE ON receivable FOR EACH ROW "
        "EXECUTE FUNCTION kam_guard_money()",
        "CREATE TRIGGER kam_approvals BEFORE INSERT OR UPDATE OF approvals ON contract "
        "FOR EACH ROW EXECUTE FUNCTION kam_guard_approvals()",
        "CREATE TRIGGER kam_approvals BEFORE INSERT OR UPDATE OF approvals ON opportunity "
        "FOR EACH ROW EXECUTE FUNCTION kam_guard_approvals()",
    ]
    return tuple(out)


#: the step, frozen once released (built from the constants above, which are too)
TEAM_RLS: tuple[str, ...] = (_ROLES, _TEAM, *_APPROVAL_ROLES, *_FUNCTIONS, *_grants(),
                             *_policies())


# --- 0011_deal_team: the deal team (铁三角) sees its deal; scored evaluations ---------

#: the opportunity's ``team`` holds the connected user (``[{"user": ..., "role": ...}]``)
_ON_TEAM = ("(coalesce(team, '[]')::jsonb @> "
            "jsonb_build_array(jsonb_build_object('user', session_user::text)))")
_ON_A_TEAM = f"(SELECT id FROM opportunity WHERE {_ON_TEAM})"


def _deal_team() -> tuple[str, ...]:
    """Members of a deal's team see and work the deal, its contracts (and so their
    milestones and attachments), its activities and its customer (and so the contacts),
    beside everyone who saw them before. Subqueries read ``opportunity`` under its own
    policy, which reads no other table: no policy recursion."""
    widened = {
        "opportunity": _ON_TEAM,
        "contract": f"opportunity_id IN {_ON_A_TEAM}",
        "activity": f"opportunity_id IN {_ON_A_TEAM}",
        "customer": (f"id IN (SELECT customer_id FROM opportunity WHERE {_ON_TEAM})"),
    }
    out = ['ALTER TABLE opportunity ADD COLUMN team TEXT',
           'ALTER TABLE opportunity ADD COLUMN evaluations TEXT',
           'ALTER TABLE opportunity ADD COLUMN concessions TEXT',
           'ALTER TABLE opportunity ADD COLUMN trials TEXT',
           'ALTER TABLE contact ADD COLUMN tier TEXT',
           'ALTER TABLE activity ADD COLUMN signals TEXT',
           'ALTER TABLE activity ADD COLUMN closing TEXT',
           'ALTER TABLE receivable ADD COLUMN collection_notes TEXT']
    for table, member in widened.items():
        check = f"({_sees('owner')} OR {member})"
        out += [f"DROP POLICY kam_owner ON {table}",
                f"CREATE POLICY kam_owner ON {table} USING {check} WITH CHECK {check}"]
    # 拜访计划: an owned record, seen like a target (owner, their manager, director...)
    out += [
        ('CREATE TABLE "visit_plan" ("id" TEXT COLLATE "C" PRIMARY KEY, '
         '"owner" TEXT COLLATE "C", "period" TEXT COLLATE "C", '
         '"customer_id" TEXT COLLATE "C" REFERENCES "customer"("id"), "count" BIGINT, '
         '"note" TEXT COLLATE "C", "created_at" TEXT COLLATE "C", '
         '"updated_at" TEXT COLLATE "C")'),
        'CREATE INDEX "idx_visit_plan_owner" ON "visit_plan" ("owner")',
        'CREATE INDEX "idx_visit_plan_period" ON "visit_plan" ("period")',
        'CREATE INDEX "idx_visit_plan_customer_id" ON "visit_plan" ("customer_id")',
        "GRANT SELECT, INSERT, UPDATE ON visit_plan TO kam_member",
        "ALTER TABLE visit_plan ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY kam_owner ON visit_plan USING {_sees('owner')}"
        f" WITH CHECK {_sees('owner')}",
    ]
    return tuple(out)


#: the step (unreleased: grows with the deal-team work until released)
DEAL_TEAM: tuple[str, ...] = _deal_team()
