"""The aging report's sums (应收账龄): outstanding money per customer, contract owner,
currency and aging bucket, from the backend's :class:`kam.storage.AgingSums` when it has
them, else from :class:`kam.storage.ReceivableSums` (the reference: the same groups
summed over their state, the ones owing nothing left out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from kam.reports.aggregates import aggregates
from kam.storage import AgingSum, AgingSums, ReceivableSums, Where


def aging_sums(ws: Any, as_of: dt.date, ends: Sequence[int], where: Where | None = None,
               contract_where: Where | None = None) -> Iterator[AgingSum]:
    """(customer id, owner, currency, bucket, Σ outstanding > 0) of the receivables
    ``where`` selects on the contracts ``contract_where`` selects."""
    if isinstance(ws.storage, AgingSums):
        return ws.storage.aging_sums(as_of, ends, where, contract_where)
    return reference(aggregates(ws), as_of, ends, where, contract_where)


def reference(sums: ReceivableSums, as_of: dt.date, ends: Sequence[int],
              where: Where | None = None, contract_where: Where | None = None
              ) -> Iterator[AgingSum]:
    """:func:`aging_sums` over ``receivable_sums``."""
    out: dict[tuple[str, str, str, int], Decimal] = {}
    for customer_id, owner, currency, _state, bucket, _n, outstanding in sums.receivable_sums(
            as_of, ends, where, contract_where):
        if outstanding > 0:
            key = (customer_id, owner, currency, bucket)
            out[key] = out[key] + outstanding if key in out else outstanding
    return iter([(*key, total) for key, total in out.items()])
