"""The evidence chain (证据链): documents kept by path and SHA-256, so it can later be
shown they were not changed (signed contract, configuration list, bid documents,
delivery notes, acceptance certificates)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kam import vocab
from kam.errors import InputError
from kam.services.common import atomic, dump, validate
from kam.workspace import Workspace


def sha256_of(path: Path) -> str:
    import hashlib  # here: it loads OpenSSL (~2-3 ms), and opp show imports this module

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def kept_file(file: str, option: str) -> dict[str, Any]:
    """A receipt, confirmation or report file kept by path, size and SHA-256 (the file
    stays where it is); ``option`` names it in the error."""
    path = Path(file).expanduser()
    try:
        if not path.is_file():
            raise InputError(f"{option}: {file} is not a readable file")
        path = path.resolve()
        return {"name": path.name, "path": str(path), "sha256": sha256_of(path),
                "size": path.stat().st_size}
    except OSError as exc:
        raise InputError(f"{option}: {file}: {exc.strerror}") from None


@atomic
def attach(ws: Workspace, contract_id: str, file: str, kind: str = "other") -> dict[str, Any]:
    """Record a document by its absolute path, size and SHA-256 (the file stays where it is)."""
    from kam.models.contracts import Attachment

    contract = ws.get("contract", contract_id)
    kind = vocab.parse("attachment_kind", kind or "other")
    path = Path(file).expanduser()
    try:
        if not path.is_file():
            raise InputError(f"FILE: {file} is not a readable file")
        path = path.resolve()
        digest, size = sha256_of(path), path.stat().st_size
    except OSError as exc:
        raise InputError(f"FILE: {file}: {exc.strerror}") from None
    record = dump(validate(Attachment, {
        "id": "AT0", "contract_id": contract["id"], "kind": kind, "name": path.name,
        "path": str(path), "sha256": digest, "size": size, "attached_on": ws.today,
        "created_at": ws.now()}))
    with ws.mutation("contract.attached", refs=[contract["customer_id"]]) as m:
        record["id"] = ws.storage.next_id("attachment")
        ws.storage.insert("attachment", record)
        m.record_id = record["id"]
        m.refs.append(contract["id"])
        m.payload = {"contract_id": contract["id"], "kind": kind, "path": record["path"],
                     "sha256": digest, "size": size}
    return record


def check_file(record: dict[str, Any]) -> dict[str, Any]:
    """``ok``, ``changed`` or ``missing`` for one attachment (used by verify and doctor)."""
    path = Path(record["path"])
    try:
        now = sha256_of(path) if path.is_file() else None
    except OSError:
        now = None
    status = "missing" if now is None else ("ok" if now == record["sha256"] else "changed")
    return {"id": record["id"], "contract_id": record["contract_id"], "kind": record["kind"],
            "path": record["path"], "status": status, "sha256": record["sha256"],
            "sha256_now": now}


def verify(ws: Workspace, contract_id: str) -> list[dict[str, Any]]:
    """Recompute every attachment's SHA-256; the CLI exits 1 unless all are ``ok``."""
    contract = ws.get("contract", contract_id)
    return [check_file(a) for a in ws.storage.find("attachment",
                                                   {"contract_id": contract["id"]})]
