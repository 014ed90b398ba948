"""The deal team (铁三角, 售前项目组): members with roles on an opportunity.

The owner stays the one accountable account manager; members (presales/PPTL, product,
delivery, finance, more account managers) work the deal beside them, see it on a shared
database (docs/team.md) and find it with ``--member``.
"""

from __future__ import annotations

from typing import Any

from kam import vocab
from kam.errors import InputError, RefusedError
from kam.models.deal_team import LINE_OF, members
from kam.services.common import atomic
from kam.workspace import Workspace


def _user(user: str) -> str:
    name = (user or "").strip()
    if not name:
        raise InputError("USER: a team member needs a name")
    return name


@atomic
def add(ws: Workspace, opp_id: str, user: str, role: str) -> dict[str, Any]:
    """Put ``user`` on the deal's team in ``role``; a member already on it changes role."""
    opp = ws.get("opportunity", opp_id)
    name, key = _user(user), vocab.parse("deal_role", role)
    if key == "owner":
        raise InputError("--role: the owner is set with kam opp edit --owner; "
                         "choose a member's role")
    team = list(opp.get("team") or [])
    found = next((m for m in team if m.get("user") == name), None)
    if found is not None and found.get("role") == key:
        raise RefusedError(f"{name} is already on the team of {opp['id']} as "
                           f"{vocab.label('deal_role', key, ws.lang)}")
    entry = {"user": name, "role": key, "since": ws.today.isoformat(), "by": ws.actor}
    team = [m for m in team if m.get("user") != name] + [entry]
    payload = {"user": name, "role": key, "line": LINE_OF[key],
               "was": found.get("role") if found else None}
    with ws.mutation("opportunity.team_added", opp["id"], payload, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"], {"team": team, "updated_at": ws.now()})
    return {**opp, "team": team}


@atomic
def remove(ws: Workspace, opp_id: str, user: str) -> dict[str, Any]:
    """Take ``user`` off the deal's team (the event keeps who was on it, and as what)."""
    opp = ws.get("opportunity", opp_id)
    name = _user(user)
    team = list(opp.get("team") or [])
    found = next((m for m in team if m.get("user") == name), None)
    if found is None:
        raise RefusedError(f"{name} is not on the team of {opp['id']}")
    team = [m for m in team if m.get("user") != name]
    with ws.mutation("opportunity.team_removed", opp["id"],
                     {"user": name, "role": found.get("role")}, refs=[opp["customer_id"]]):
        ws.storage.update("opportunity", opp["id"], {"team": team, "updated_at": ws.now()})
    return {**opp, "team": team}


def list_(ws: Workspace, opp_id: str) -> list[dict[str, Any]]:
    """The team, the owner first (as account manager, customer line), then the members."""
    opp = ws.get("opportunity", opp_id)
    rows = [{"user": opp.get("owner"), "role": "owner", "line": "customer",
             "since": None, "by": None}] if opp.get("owner") else []
    return rows + [{k: m.get(k) for k in ("user", "role", "line", "since", "by")}
                   for m in members(opp)]
