"""A deal's recorded evaluations (商机评估) as data: which one is current.

Apart from kam.scoring (the evaluation models, three dataclasses made at import): ``kam
opp show`` and the stage gates read a deal's latest score on every run, and need no
model for it. kam.scoring and kam.api name the same function.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def latest_evaluation(opp: Mapping[str, Any]) -> dict[str, Any] | None:
    """The deal's current evaluation: the last recorded (by its date, then by order)."""
    found = list(opp.get("evaluations") or [])
    if not found:
        return None
    return dict(max(enumerate(found), key=lambda p: (p[1].get("on") or "", p[0]))[1])
