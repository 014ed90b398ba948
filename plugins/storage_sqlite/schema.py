"""Tables for the record kinds, and the ordered migrations (sqlite-utils Migrations).

Each migration and its record of being applied run in one transaction. The
kind-sync step is additive and idempotent (create missing tables, columns and
indexes), so a later migration that adds kinds or fields only calls it again.
``PRAGMA user_version`` mirrors the number of applied migrations, so opening an
up-to-date database needs neither sqlite-utils nor a query of the migrations table.
"""

from __future__ import annotations

from typing import Any

from kam.kinds import EVENT, KINDS, Kind

COLUMN_TYPES: dict[str, type] = {
    "text": str,
    "int": int,
    "bool": int,
    "money": int,  # cents: exact, and summable in SQL
    "decimal": str,
    "date": str,
    "datetime": str,
    "json": str,
}

MIGRATION_NAMES = ("0001_foundation", "0002_contracts", "0003_targets", "0004_read_indexes")
SCHEMA_VERSION = len(MIGRATION_NAMES)


def _sync_kind(db: Any, k: Kind) -> None:
    table = db[k.name]
    columns = {f.name: COLUMN_TYPES[f.type] for f in k.fields}
    if not table.exists():
        fks = [(f.name, f.ref, "id") for f in k.fields if f.ref]
        table.create(columns, pk="id", foreign_keys=fks or None)
    else:
        table.add_missing_columns([columns])
    existing = {tuple(ix.columns) for ix in table.indexes}
    for f in k.fields:
        if f.index and f.name != "id" and (f.name,) not in existing:
            table.create_index([f.name], find_unique_name=True)


def sync_kinds(db: Any) -> None:
    for k in KINDS.values():
        _sync_kind(db, k)
    _sync_kind(db, EVENT)
    db.execute(
        "CREATE TABLE IF NOT EXISTS kam_sequence (kind TEXT PRIMARY KEY, value INTEGER NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS event_ref (event_id TEXT NOT NULL, ref TEXT NOT NULL,"
        " PRIMARY KEY (ref, event_id)) WITHOUT ROWID"
    )


def migrate(conn: Any) -> None:
    """Apply pending migrations with sqlite-utils (imported only when needed)."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    db = Database(conn)
    migrations = Migrations("kam")

    @migrations(name="0001_foundation")
    def foundation(db: Any) -> None:
        sync_kinds(db)

    @migrations(name="0002_contracts")
    def contracts(db: Any) -> None:
        sync_kinds(db)

    @migrations(name="0003_targets")
    def targets(db: Any) -> None:
        sync_kinds(db)

    @migrations(name="0004_read_indexes")
    def read_indexes(db: Any) -> None:
        # renewals look deals up by the contract they renew; the battle map and the
        # account plan read milestones in plan order per contract
        db.execute("CREATE INDEX IF NOT EXISTS idx_opportunity_renews_contract_id"
                   " ON opportunity (renews_contract_id)")
        db.execute("CREATE INDEX IF NOT EXISTS idx_receivable_contract_id_seq"
                   " ON receivable (contract_id, seq)")

    migrations.apply(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
