"""The SQL and CSV backends' one-pass pipeline sums (kam.storage.PipelineSums: the deal sums and the
forced deals, 强制推进, from one walk over the deals) answer exactly what the reference
over the plain protocol computes (kam.reports.pipeline.pipeline_sums_reference: the
deal sums, then the forced deals read again), on random deals."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from kam.reports.pipeline import FIELDS, pipeline_sums_reference
from kam.storage import PipelineSums
from test_aggregates import (  # noqa: F401  (store: the fixture)
    DEAL,
    WITH_CSV,
    insert_deals,
    opened,
    per_store,
    readers,
    store,
)

WHERE = st.sampled_from([{}, {"status": "open", "completed_at__isnull": True},
                         {"status": "open", "pipeline": "dragon_six", "currency": "USD"}])


@WITH_CSV
@per_store(40)
@given(st.lists(DEAL, max_size=25), WHERE)
@example([("open", None, "lead", "CNY", None, 50, True, None, None),
          ("open", "six_stage", "lead", "CNY", None, None, False, None, None),
          ("open", "six_stage", "proposal", "USD", None, None, True, None, None)],
         {"status": "open", "completed_at__isnull": True})
def test_pipeline_sums_equal_the_reference(store: str,  # noqa: F811
                                           deals: list[tuple[Any, ...]],
                                           where: dict[str, Any]) -> None:
    with opened(store) as storage:
        insert_deals(storage, deals)
        for s in readers(storage):  # CSV: the writing handle, then one streaming
            assert isinstance(s, PipelineSums)
            sums, forced = s.pipeline_sums(where, FIELDS)
            ref_sums, ref_forced = pipeline_sums_reference(SimpleNamespace(storage=s),
                                                           where, FIELDS)
            assert repr(sorted(sums, key=repr)) == repr(sorted(ref_sums, key=repr))
            listed = list(forced)
            assert repr(listed) == repr(list(ref_forced))
            # the forced deals listed are the ones the forced groups count, in id order
            assert len(listed) == sum(n for key, n, _a, _w in sums if key[-1])
            assert [d["id"] for d in listed] == sorted((d["id"] for d in listed),
                                                       key=lambda i: int(i[2:]))
