"""Who may approve what (审批权限): separation of duties for deal and contract approvals.

- The approver is the acting user (``KAM_USER`` or kam.toml's ``user``). ``--by`` may
  name them again, but naming someone else is refused (exit 2).
- Nobody approves their own deal or contract: the owner is refused (exit 1).
- Only a role that is required may approve (exit 1 otherwise).
- With a ``[roles]`` table in kam.toml (user = ["role", ...]), the approver must hold
  the role (exit 1 otherwise). Without one (a small team) anyone but the owner may.

Rejections go through the same checks: whoever may approve may also reject.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kam.errors import InputError, RefusedError

#: the role that approves an important deal (kam opp approve) at initiation (立项)
MANAGEMENT = "management"
#: importance grades whose deals need management approval before leaving initiation
IMPORTANT = ("I", "VI")


def _norm(name: Any) -> str:
    return " ".join(str(name or "").split()).casefold()


def _role(name: Any) -> str:
    """A role name as compared: its vocabulary key when it is one of the approval roles'
    labels in any language (销售经理 = 銷售經理 = sales manager = sales_manager), else the
    name itself, trimmed and case-insensitive (company rules may name their own roles)."""
    text = _norm(name)
    from kam.i18n import simplified
    from kam.vocab import VOCAB

    plain = simplified(text)
    for key, (zh, en) in VOCAB.get("approval_role", {}).items():
        if plain == zh or text == en.casefold():
            return key
    return text


def same_person(a: str | None, b: str | None) -> bool:
    """Names compare trimmed and case-insensitively (``Li Na`` is `` li na ``)."""
    return bool(_norm(a)) and _norm(a) == _norm(b)


def approver(ws: Any, by: str | None) -> str:
    """The acting user, who is the approver; ``--by`` must name them (exit 2)."""
    actor = " ".join(str(ws.actor or "").split())
    if not actor:
        raise InputError("no acting user: set KAM_USER or `user` in kam.toml")
    if by is not None and by.strip() and not same_person(by, actor):
        raise InputError(f"--by: {by.strip()} is not the acting user {actor}; an approval "
                         f"is recorded as whoever runs it (KAM_USER={by.strip()} kam ...)")
    return actor


def role_table(ws: Any) -> dict[str, set[str]] | None:
    """kam.toml's ``[roles]`` (user → roles, names normalised), or None without one."""
    table = ws.config.get("roles")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise InputError('kam.toml roles: must be a table, e.g. [roles] "张伟" = '
                         '["sales_manager"]')
    out: dict[str, set[str]] = {}
    for user, roles in table.items():
        if isinstance(roles, str):
            roles = [roles]
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InputError(f"kam.toml roles.{user}: must be a list of role names, e.g. "
                             '["sales_manager"]')
        out.setdefault(_norm(user), set()).update(_role(r) for r in roles if r.strip())
    return out


def roles_of(ws: Any, user: str) -> set[str] | None:
    """The roles ``user`` holds per ``[roles]``; None when kam.toml declares no roles."""
    table = role_table(ws)
    return None if table is None else table.get(_norm(user), set())


def match_role(role: str, required: Iterable[str]) -> str | None:
    """The required role ``role`` names (case-insensitive, or by its label in any
    language), in its stored spelling."""
    return next((r for r in required if _role(r) == _role(role)), None)


def check(ws: Any, who: str, role: str, *, owners: Iterable[str | None], what: str) -> None:
    """Refuse (exit 1) the owner deciding on their own ``what``, and, with ``[roles]``,
    an approver who does not hold ``role``. ``role`` must already be a required one."""
    for owner in owners:
        if same_person(who, owner):
            raise RefusedError(f"{who} owns {what} and may not approve it (separation of "
                               "duties): another person must decide")
    held = roles_of(ws, who)
    if held is not None and _role(role) not in held:
        mine = ", ".join(sorted(held)) or "no role"
        raise RefusedError(f"{who} does not hold the role {role} (kam.toml [roles] gives "
                           f"{who}: {mine}); only a holder of {role} may decide on {what}")


def latest_decision(approvals: Iterable[dict[str, Any]], role: str | None = None
                    ) -> dict[str, Any] | None:
    """The latest decision (for ``role``, if given): a later rejection revokes."""
    found = None
    for a in approvals or ():
        if role is None or _role(a.get("role") or MANAGEMENT) == _role(role):
            found = a
    return found
