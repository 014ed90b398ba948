"""kam's optional fast paths for the deal reports' (商机: forecast, funnel, win-loss,
targets): deal sums, stage moves and reach; and whom a deal team's member works for.

Loaded by :mod:`kam.storage` when one of them is first named (see :mod:`kam.fast_paths`)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from kam.storage import DealSum, Where


@runtime_checkable
class DealSums(Protocol):
    """Opportunities (商机) summed by the database for the pipeline (管道) and forecast
    (销售预测) reports instead of streaming every deal through Python.

    ``deal_sums``: the opportunities ``where`` selects, grouped by the values of ``keys``
    (opportunity fields, valued as records give them), each group with how many deals,
    Σ amount and Σ weighted amount — each deal's amount × probability ÷ 100 to the cent,
    half up (kam.reports.common.weighted); a missing amount or probability counts 0.
    kam.reports.aggregates.PythonAggregates is the reference.
    """

    def deal_sums(self, keys: Sequence[str], where: Where | None = None
                  ) -> Iterator[DealSum]: ...


#: one deal of :class:`StageMoves`: (deal id, first stage of its history, the day
#: it was entered, the deal's ``created_at``)
StageStart = tuple[str, Any, Any, Any]


#: one event of :class:`StageMoves`: (record id, event kind, ``at``, and its payload's
#: ``from``, ``to``, ``stage``, ``on``, ``reason``)
StageMove = tuple[str, str, Any, Any, Any, Any, Any, Any]


@runtime_checkable
class StageMoves(Protocol):
    """What the funnel (销售漏斗) reads of the stage history, picked out by the database
    instead of decoding every deal's history and every event's payload in Python.

    ``stage_starts``: per opportunity ``where`` selects, its id, the ``stage`` and ``on``
    of the first entry of its ``stage_history`` (None when it has none) and its
    ``created_at``, in id order.

    ``stage_moves``: per event of one of ``kinds``, in event order: its ``record_id``,
    ``kind`` and ``at``, and the ``from``, ``to``, ``stage``, ``on`` and ``reason`` of its
    payload (None when absent).

    kam.reports.aggregates.PythonAggregates is the reference.
    """

    def stage_starts(self, where: Where | None = None) -> Iterator[StageStart]: ...

    def stage_moves(self, kinds: Sequence[str]) -> Iterator[StageMove]: ...


#: one group of :class:`StageReach`: (pipeline, status, index of the furthest stage its
#: deals reached, how many deals)
StageReachCount = tuple[str, str, int, int]


@runtime_checkable
class StageReach(Protocol):
    """How far deals got (阶段到达), counted by the database for the stage conversion
    (阶段赢单率) of the targets report instead of reading every stage event in Python.

    ``stage_reach``: the opportunities ``where`` selects whose pipeline is a key of
    ``order`` (pipeline → its stage keys in order), grouped by (pipeline, status, reach)
    with how many deals. A won deal reaches its pipeline's last stage; any other the
    furthest of its first ``stage_history`` stage (index 0 when it has none or it is not
    one of the pipeline's) and the ``to`` of each ``opportunity.advanced`` event about it
    (ignored when not one of the pipeline's stages).
    kam.reports.aggregates.PythonAggregates is the reference.
    """

    def stage_reach(self, order: Mapping[str, Sequence[str]], where: Where | None = None
                    ) -> Iterator[StageReachCount]: ...


# --- ``kam report targets`` (issue 15, reports3) -----------------------------------------

#: one group of :class:`DealMonthSums`: (owner, "" for none; currency; month ``YYYY-MM``
#: of the deal's business day; customer id; category; pipeline; stage; Σ amount)
DealMonthSum = tuple[str, Any, str, Any, Any, Any, Any, Decimal]


@runtime_checkable
class DealMonthSums(Protocol):
    """Opportunities (商机) summed per month for the targets report (目标完成, 漏斗裕量)
    instead of reading every won and open deal (80k on a big team) one by one.

    ``deal_month_sums(won, where, customers, products)``: the deals ``where`` selects
    that have their business day — when ``won``, ``closed_at`` or else ``close_date``
    (the day it was won), otherwise ``close_date`` (when it should close) — grouped by
    the fields of :data:`DealMonthSum`, each group with Σ amount (a missing amount
    counts 0), in no particular order. The customer id is kept only when it is one of
    ``customers`` and the category only when one of ``products`` (else None): a target
    names a customer or product line or adds up all of them, so the groups stay few.
    Won deals are not grouped by pipeline and stage (both None): what a target won
    needs neither.
    Reference: ``kam.reports.targets_sums.PythonDealMonthSums``."""

    def deal_month_sums(self, won: bool, where: Where | None = None,
                        customers: Collection[str] = (), products: Collection[str] = ()
                        ) -> Iterator[DealMonthSum]: ...


@runtime_checkable
class WorkedBy(Protocol):
    """Whom a member works for (铁三角), for ``--member`` and ``kam today --owner``,
    without reading every deal's team and every contract (100k and 50k rows on a big
    team, ~0.7 s of each such command).

    ``deals_worked_by(member)``: the ids of the deals ``member`` owns or is on the team of
    (a member object whose ``user`` is ``member``); ``contracts_worked_by(member)``: the
    ids of the contracts ``member`` owns or whose deal is one of those. Each in no
    particular order. Reference: ``kam.models.deal_team.python_deals_worked_by`` and
    ``python_contracts_worked_by``."""

    def deals_worked_by(self, member: str) -> list[str]: ...

    def contracts_worked_by(self, member: str) -> list[str]: ...
