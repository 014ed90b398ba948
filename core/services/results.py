"""What the services that do more than write one record return: named, typed results
(plain dicts at run time, so the CLI prints them as JSON unchanged)."""

from __future__ import annotations

from typing import Any, TypedDict

from kam.findings import Finding

Record = dict[str, Any]

#: an opportunity's move: ``from`` is a Python keyword, hence the functional form
Moved = TypedDict("Moved", {"opportunity": Record, "from": str, "to": str, "forced": bool})
Advanced = TypedDict("Advanced", {"opportunity": Record, "from": str, "to": str,
                                  "forced": bool, "findings": list[Finding]})


class Qualified(TypedDict):
    """A lead that passed qualification, and the opportunity it became."""

    verdict: str
    lead: Record
    opportunity: Record
    findings: list[Finding]


class Reviewed(TypedDict):
    """A contract review (合同评审): its findings and whether a block stops signing."""

    contract: Record
    findings: list[Finding]
    blocked: bool


class Signed(TypedDict):
    """A signing: the contract, its scheduled milestones, the deal it won."""

    contract: Record
    milestones: list[Record]
    opportunity: Record
    signing_checklist: list[Record]
    findings: list[Finding]


class Stepped(TypedDict):
    """A contract's delivery or acceptance, and the milestones it started."""

    contract: Record
    due: list[Record]


class Delivered(Stepped):
    warnings: list[str]
