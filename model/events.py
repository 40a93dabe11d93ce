"""The process log: every application, admission, refusal and early stop.

One row per person-event, so waiting times, abandonment and early stops can be
broken down by service, typology and detention-length group afterwards. Rows
are buffered as arrays per call and turned into one table at the end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .mechanisms import EVENT_KINDS, EVENT_OFFSET, EVENT_SERVICES

KINDS = EVENT_KINDS
"""Every event kind, as the mechanisms declare them (``EVENTS`` in each module)."""
ALL_SERVICES = EVENT_SERVICES
"""The services events refer to: outside, inside and the buddy programme."""


class ProcessLog:
    """Buffers process events; :meth:`table` returns them as a DataFrame."""

    def __init__(self) -> None:
        self._chunks: list[tuple] = []

    def record(self, kind: str, ids: np.ndarray, service=0, week: int = 0, wait=0) -> None:
        """Log ``kind`` for people ``ids`` at ``service`` (index or per-id indices)."""
        if len(ids) == 0:
            return
        self._chunks.append(
            (KINDS.index(kind), ids, np.add(service, EVENT_OFFSET[kind]), week, wait)
        )

    def table(self) -> pd.DataFrame:
        # an empty log still has categorical columns, so summaries need no special case
        kinds, ids, services, weeks, waits = list(zip(*self._chunks, strict=True)) or [()] * 5
        counts = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        df = pd.DataFrame(
            {
                "week": np.repeat(np.asarray(weeks, dtype=np.int32), counts),
                "person": np.concatenate([*ids, np.empty(0, np.int32)]).astype(np.int32),
                "event": np.repeat(np.asarray(kinds, dtype=np.int8), counts),
                "service": _spread(services, counts, np.int8),
                "wait_weeks": _spread(waits, counts, np.int32),
            }
        )
        df["event"] = pd.Categorical.from_codes(df["event"], KINDS)
        df["service"] = pd.Categorical.from_codes(df["service"], ALL_SERVICES)
        return df


def _spread(values: tuple, counts: np.ndarray, dtype: type) -> np.ndarray:
    """One column from per-chunk values that are scalars or arrays (one per person).

    Thousands of small chunks make per-chunk numpy calls the cost, so the scalars
    are repeated in one call and only the array-valued chunks are copied in.
    """
    scalar = np.array([np.ndim(v) == 0 for v in values], dtype=bool)
    base = np.array([v if one else 0 for v, one in zip(values, scalar, strict=True)], dtype=dtype)
    out = np.repeat(base, counts)
    ends = np.cumsum(counts)
    for i in np.flatnonzero(~scalar):
        out[ends[i] - counts[i] : ends[i]] = values[i]
    return out
