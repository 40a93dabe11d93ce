"""How much of the need each service outside meets (``reentry size``).

No source gives how many places a week ID offices, shelters, benefit offices,
care, debt counselling, housing and employment support offer people after
detention. The status-quo capacities are therefore inferred by the calibration
(the design's ``status_quo`` list; docs/ODD.md section 8), and this module
reports what they mean:

* **Demand.** Run the steady-state flow with every service unlimited, and count
  how many people a week join each service's list, per 100 releases a week: what
  the released population would ask of each service without waiting lists.
* **Share met.** A service's capacity over its demand. Below 1, its list grows
  until giving up balances it; the share says how scarce a service is.

Capacity stays a fixed number of places a week per 100 releases a week, sized
on the reference release volume (``flow_releases_per_entry``), whatever a
scenario does to re-detention.
"""

from __future__ import annotations

import numpy as np

from model.parameters import SERVICES, Parameters

UNLIMITED = 1000.0
"""Places per 100 releases used as 'no limit' (the top of the levers' allowed range)."""


def demand(
    params: Parameters, persons: int, weeks: int, warmup: int | None, seeds: list[int]
) -> dict[str, float]:
    """People a week joining each service's list, per 100 releases a week, with no limits.

    The mean over ``seeds`` of steady-state flow runs (after the warm-up).
    """
    from model import ReentryModel

    unlimited = params.from_dict({f"capacity_{s}": UNLIMITED for s in SERVICES}, base=params)
    rates = []
    for seed in seeds:
        m = ReentryModel(
            mode="flow", persons=persons, weeks=weeks, seed=seed, params=unlimited, warmup=warmup
        ).run()
        w = m.weekly_table()
        releases = w.loc[w["week"] >= 0, "releases"].sum()
        process = m.process_table()
        joined = process[process["event"].isin(["admitted", "abandoned"])]
        counts = joined.groupby("service", observed=False).size()
        rates.append([100 * counts.get(s, 0) / releases for s in SERVICES])
    return dict(zip(SERVICES, np.mean(rates, axis=0).tolist(), strict=True))


def share_met(params: Parameters, demands: dict[str, float]) -> dict[str, float]:
    """Each service's capacity over its steady-state demand."""
    return {s: getattr(params, f"capacity_{s}") / d if d else np.inf for s, d in demands.items()}
