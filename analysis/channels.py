"""Through which channel a scenario moves offending: a breakdown on the log-odds scale.

The weekly offending hazard is the logistic of a weighted sum of risk factors
(:mod:`model.offending`). So a scenario's change in the mean of one factor over
the released person-weeks, times that factor's weight, is the change it makes
in the log-odds of offending in an average week, through that channel alone.
The channels add up to a first-order account of the whole change; factors the
weekly table does not hold (relapse, idleness, motivation, priors, age) are
left out and the sum says how much the listed channels explain.

Supervision does not change the hazard: it raises the chance that an offence is
detected. Its channel is the change in the share of offences that led to justice
contact.

Every figure is a paired difference from the reference scenario on common
random numbers, averaged over replications, with a 95% Student's t interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .intervals import FEW, FEW_WARNING, UNIT, difference_interval

# channel: (weekly column of the released population, sign of the exposure, weight)
CHANNELS: dict[str, tuple[str, int, str]] = {
    "income": ("share_income", -1, "w_no_income"),
    "housing": ("share_housing", -1, "w_no_housing"),
    "criminogenic ties": ("mean_ties_criminogenic", 1, "w_criminogenic"),
    "prosocial ties": ("mean_ties_prosocial", -1, "w_prosocial"),
    "stress": ("mean_stress", 1, "w_stress"),
    "stability": ("share_stable", -1, "w_stable"),
}


def exposures(weeks: pd.DataFrame) -> pd.DataFrame:
    """Per run: each channel's mean exposure over the measured released person-weeks.

    Exposure is the risk factor as it enters the hazard (no income, not stable...),
    weighted by the number of people released each week. Also the share of offences
    detected.
    """
    measured = weeks[weeks["week"] >= 0]
    rows = {}
    for run_id, w in measured.groupby("run_id", sort=False, observed=True):
        people = w["released"].to_numpy(dtype=float)
        row = {}
        for channel, (column, sign, _) in CHANNELS.items():
            share = np.average(w[column].fillna(0), weights=people) if people.sum() else np.nan
            row[channel] = share if sign > 0 else 1 - share
        offences = w["offences"].sum()
        row["supervision"] = w["justice_contacts"].sum() / offences if offences else np.nan
        rows[run_id] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("run_id")


def channel_table(
    runs: pd.DataFrame, weeks: pd.DataFrame, scenarios: list[str], weights: dict[str, float]
) -> pd.DataFrame:
    """One row per scenario and channel: exposure, paired change, and its log-odds share.

    ``weights`` are the hazard weights of the reference scenario (``w_no_income``...).
    """
    exposed = exposures(weeks).join(runs.set_index("run_id")[["scenario", "replication"]])
    reference = exposed[exposed["scenario"] == scenarios[0]].set_index("replication")
    rows = []
    for scenario in scenarios[1:]:
        mine = exposed[exposed["scenario"] == scenario].set_index("replication")
        for channel in [*CHANNELS, "supervision"]:
            diff = (mine[channel] - reference[channel].reindex(mine.index)).to_numpy(float)
            d_mean, d_low, d_high = difference_interval(diff, UNIT)
            weight = weights[CHANNELS[channel][2]] if channel in CHANNELS else np.nan
            rows.append(
                {
                    "scenario": scenario,
                    "channel": channel,
                    "reference_exposure": float(reference[channel].mean()),
                    "change": d_mean,
                    "change_ci_low": d_low,
                    "change_ci_high": d_high,
                    "log_odds": weight * d_mean,
                    "warning": FEW_WARNING if np.isfinite(diff).sum() < FEW else "",
                }
            )
    return pd.DataFrame(rows)
