"""Opportunity evaluation models (商机评估模型) as data: criteria, weights, scales.

001 asks that a new opportunity be judged "在事先建立好的评估模型中": the project's own
factors and the competition's, each scored on a scale and weighted. A model is
registered by a plugin (``kam_register_evaluation_models``; the standard one by the
built-in rules plugin); ``kam opp score`` records an evaluation against one.

The score is ``Σ weight × points / top points of its scale``, over the sum of the
weights, times 100: 0–100 whatever the weights add up to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kam.errors import InputError
from kam.models.evaluations import latest_evaluation as latest_evaluation  # its home

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Level:
    """One step of a criterion's scale: its key, points and labels."""

    key: str
    points: int
    zh: str
    en: str


@dataclass(frozen=True)
class Criterion:
    """One thing scored (评估要素), its weight and scale; ``group`` says whose factor it is
    (``project``: the customer's project; ``competition``: ours against competitors')."""

    key: str
    zh: str
    en: str
    weight: Decimal
    scale: tuple[Level, ...]
    group: str = "project"

    def level(self, value: str) -> Level:
        """The level ``value`` names: its key, its points or either label."""
        text = str(value).strip()
        for lv in self.scale:
            if text.casefold() in (lv.key.casefold(), str(lv.points), lv.zh, lv.en.casefold()):
                return lv
        from kam.i18n import simplified

        found = next((lv for lv in self.scale if lv.zh == simplified(text)), None)
        if found is None:
            allowed = ", ".join(f"{lv.key} ({lv.zh}/{lv.en})" for lv in self.scale)
            raise InputError(f"--criterion {self.key}: {value!r} is not on its scale; use "
                             f"one of: {allowed}")
        return found

    @property
    def top(self) -> int:
        return max(lv.points for lv in self.scale)


@dataclass(frozen=True)
class EvaluationModel:
    key: str
    zh: str
    en: str
    criteria: tuple[Criterion, ...]

    def criterion(self, name: str) -> Criterion:
        text = name.strip()
        for c in self.criteria:
            if text.casefold() in (c.key.casefold(), c.zh, c.en.casefold()):
                return c
        known = ", ".join(c.key for c in self.criteria)
        raise InputError(f"--criterion: {name!r} is no criterion of the evaluation model "
                         f"{self.key}; its criteria: {known}")

    def evaluate(self, values: Mapping[str, str]) -> dict[str, Any]:
        """The levels, points and score of a complete set of ``criterion → value``."""
        levels: dict[str, Level] = {}
        for name, value in values.items():
            c = self.criterion(name)
            if c.key in levels:
                raise InputError(f"--criterion {c.key}: given twice")
            levels[c.key] = c.level(value)
        missing = [c.key for c in self.criteria if c.key not in levels]
        if missing:
            raise InputError(f"evaluation model {self.key}: score every criterion; missing "
                             + ", ".join(missing))
        return {"values": {k: lv.key for k, lv in levels.items()},
                "points": {k: lv.points for k, lv in levels.items()},
                "score": self.score({k: lv.points for k, lv in levels.items()})}

    def breakdown(self, evaluation: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
        """One row per criterion of a recorded evaluation: label, weight, rating, points."""
        from kam.i18n import pick

        levels = evaluation.get("values") or {}
        rows = []
        for c in self.criteria:
            lv = next((x for x in c.scale if x.key == levels.get(c.key)), None)
            rows.append({"criterion": pick(lang, c.zh, c.en), "weight": c.weight,
                         "rating": pick(lang, lv.zh, lv.en) if lv else None,
                         "points": lv.points if lv else None, "top": c.top})
        return rows

    def score(self, points: Mapping[str, int]) -> str:
        """0–100 to one decimal (half up), as a string like money: exact."""
        total = sum((c.weight for c in self.criteria), Decimal(0))
        if total <= 0:
            raise InputError(f"evaluation model {self.key}: weights add up to {total}")
        got = sum((c.weight * Decimal(points[c.key]) / Decimal(c.top)
                   for c in self.criteria), Decimal(0))
        from decimal import ROUND_HALF_UP

        return f"{(got * HUNDRED / total).quantize(Decimal('0.1'), ROUND_HALF_UP)}"
