"""Summaries of one run: the key outcomes, process figures and equity breakdowns.

Which release events count: in cohort mode, each member's own release (later
re-releases of the same people are the revolving door, reported in the
release table but not mixed into the cohort figures); in flow mode, every
release event from week 0 on, after the warm-up. An outcome at a fixed time
after release counts only the events that reach that time within the run, and
that the person did not leave the system before.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from model.events import ALL_SERVICES, KINDS
from model.parameters import PRISON_SERVICES, SERVICES

if TYPE_CHECKING:
    from model.model import ReentryModel

AT_RELEASE = (
    "housing",
    "housing_independent",
    "income",
    "work",
    "benefit",
    "valid_id",
    "debt",
    "care_met",
    "daytime",
    "two_plus_missing",
    "stable",
)
LATER = ("housing", "income", "work", "benefit", "detained", "stable")
SURVIVAL_WEEKS = tuple(range(0, 105, 4))
"""Weeks since release at which the survival curve is kept per run (two years)."""
CONTACT_PROFILE_WEEKS = (1, 13, 26, 52)
"""When the 2-year justice contacts come: the share of them within the release week,
3 months, 6 months and the first year."""
GROUP_OUTCOMES = {
    "release_stable": "stable at release",
    "month6_stable": "stable at 6 months",
    "justice_contact_2y": "justice contact within 2 years",
    "redetention_2y": "re-detention within 2 years",
    "prison_services": "in-prison services completed",
    "regime_plus": "on plus regime at release",
}


def events_in_scope(releases: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The release events that the headline figures describe (see module doc)."""
    if mode == "cohort":
        return releases[releases["release_number"] == 1]
    return releases[releases["release_week"] >= 0]


def persons_in_scope(persons: pd.DataFrame) -> pd.DataFrame:
    """People in the system at some time from week 0 on: entered, and not gone before."""
    gone_before = (persons["left_week"] < 0).fillna(False)
    return persons[(persons["phase"] != "pre_entry") & ~gone_before]


def _mean_of_known(v: np.ndarray) -> float | None:
    """Mean of the non-missing values (None if there are none)."""
    v = v[~np.isnan(v)]
    return float(v.mean()) if len(v) else None


def _share(series: pd.Series) -> float | None:
    return _mean_of_known(series.to_numpy(dtype="float64", na_value=np.nan))


def summarise(m: ReentryModel) -> dict[str, Any]:
    """The run's key outcomes as plain JSON-ready values (fractions in [0, 1])."""
    ev = events_in_scope(m.release_table(), m.mode)
    process = m.process_table()
    persons = persons_in_scope(m.person_table())
    out: dict[str, Any] = {
        "mode": m.mode,
        "persons": m.persons,
        "weeks": m.weeks,
        "warmup": m.warmup,
        "seed": m.seed,
        "release_events": len(ev),
        "reconviction_2y": _share(ev["justice_contact_2y"]),
        "redetention_2y": _share(ev["redetention_2y"]),
        "offence_2y": _share(ev["offence_2y"]),
        "stable_6m": _share(ev["month6_stable"]),
        "prior_detention_share": _share(ev["priors"] > 0),
        "at_release": {k: _share(ev[f"release_{k}"]) for k in AT_RELEASE},
    }
    for stage in ("month3", "month6", "month12", "month24"):
        out[stage] = {k: _share(ev[f"{stage}_{k}"]) for k in LATER}
        out[stage]["n"] = int(ev[f"{stage}_housing"].notna().sum())
    curve = survival_curve(ev)
    out["median_weeks_to_first_offence"] = median_survival(curve)
    out["survival_no_offence"] = survival_at(curve, SURVIVAL_WEEKS)
    out["contacts_within"] = contact_profile(ev)
    weekly = m.weekly_table()
    measured = weekly[weekly["week"] >= 0]  # after the warm-up
    out["process"] = process_summary(process, persons, m.service_rate * m.weeks)
    out["advances_used"] = advances_used(m, measured)
    out["hidden_needs_share"] = out["process"]["hidden_needs_share"]
    out.update(programme_summary(m, persons, process, measured))
    out["by_typology"] = by_group(ev, "typology")
    out["by_length_group"] = by_group(ev, "length_group")
    out["person_weeks"] = int(m.person_weeks)
    out["seconds"] = round(m.seconds, 3)
    return _clean(out)


def contact_profile(ev: pd.DataFrame) -> dict[str, float | None]:
    """The share of the 2-year justice contacts that came within each of CONTACT_PROFILE_WEEKS.

    Counted on release events followed for the whole two years, as the 2-year figure is.
    """
    followed = ev[ev["justice_contact_2y"].notna()]
    weeks = (followed["first_contact_week"] - followed["release_week"])[
        followed["justice_contact_2y"].astype(bool)
    ]
    return {
        f"week{k}": (float((weeks < k).mean()) if len(weeks) else None)
        for k in CONTACT_PROFILE_WEEKS
    }


def median_survival(curve: pd.DataFrame) -> float | None:
    """Kaplan-Meier median weeks to first new offence (None if not reached)."""
    below = curve[curve["survival"] <= 0.5]
    return float(below["week"].iloc[0]) if len(below) else None


def survival_curve(ev: pd.DataFrame) -> pd.DataFrame:
    """Kaplan-Meier share without a new offence, by week since release."""
    t = ev["weeks_to_first_offence"].to_numpy(dtype=float)
    event = ~np.isnan(t)
    time = np.where(event, t, ev["weeks_observed"].to_numpy(dtype=float))
    time = time.astype(np.int64)  # whole weeks
    n_weeks = int(time.max(initial=0)) + 1
    weeks = np.arange(n_weeks)
    # at risk in week w: observed for at least w weeks (a reverse cumulative count)
    at_risk = np.bincount(time, minlength=n_weeks)[::-1].cumsum()[::-1].astype(float)
    events = np.bincount(time[event], minlength=n_weeks).astype(float)
    hazard = np.divide(events, at_risk, out=np.zeros_like(events), where=at_risk > 0)
    return pd.DataFrame({"week": weeks, "at_risk": at_risk, "survival": np.cumprod(1 - hazard)})


def survival_at(curve: pd.DataFrame, weeks: tuple[int, ...]) -> dict[str, float | None]:
    """The survival curve at fixed weeks, keyed ``w004``; None beyond the observed span."""
    survival = curve["survival"].to_numpy()  # row w is week w
    return {f"w{w:03d}": (float(survival[w]) if w < len(survival) else None) for w in weeks}


def advances_used(m: ReentryModel, measured: pd.DataFrame) -> float | None:
    """The share of the benefit advances on offer that were given (None with none on offer)."""
    offered = m.advance_rate * m.weeks if m.p.benefit_advance else 0.0
    return float(measured["advances"].sum() / offered) if offered else None


def process_summary(
    process: pd.DataFrame, persons: pd.DataFrame, offered: np.ndarray
) -> dict[str, Any]:
    """Waiting times, abandonment and early stops per service; hidden needs.

    ``offered`` is each outside service's places over the measured weeks, so that
    ``places_used`` says how much of its capacity a service filled.
    """
    out: dict[str, Any] = {}
    event = process["event"].cat.codes.to_numpy()
    service = process["service"].cat.codes.to_numpy()
    wait = process["wait_weeks"].to_numpy()
    # counts[kind, service]: one pass instead of a filter per service and kind
    counts = np.bincount(
        event.astype(np.int64) * len(ALL_SERVICES) + service,
        minlength=len(KINDS) * len(ALL_SERVICES),
    ).reshape(len(KINDS), len(ALL_SERVICES))
    count = {kind: counts[k] for k, kind in enumerate(KINDS)}
    admitted = event == KINDS.index("admitted")
    by_service = np.argsort(service[admitted], kind="stable")
    waits = np.split(wait[admitted][by_service], np.cumsum(count["admitted"])[:-1])
    for j, name in enumerate(SERVICES):
        s = ALL_SERVICES.index(name)
        n_quit = int(count["abandoned"][s])
        joined = len(waits[s]) + n_quit
        out[name] = {
            "admitted": len(waits[s]),
            "wait_mean_weeks": float(waits[s].mean()) if len(waits[s]) else None,
            "wait_p90_weeks": float(np.percentile(waits[s], 90.0)) if len(waits[s]) else None,
            "abandonment": n_quit / joined if joined else None,
            "refused": int(count["refused"][s]),
            "places_used": len(waits[s]) / offered[j] if offered[j] else None,
        }
    for name in PRISON_SERVICES:
        s = ALL_SERVICES.index(name)
        out[name] = {
            "admitted": int(count["prison_admitted"][s]),
            "completed": int(count["prison_completed"][s]),
            "stopped_early": int(
                count["prison_stopped_early"][s] + count["prison_released_during"][s]
            ),
            "released_before_turn": int(count["prison_released_before_turn"][s]),
        }
    # share of need-weeks in which nobody (the person included) had raised the need
    total = persons["need_weeks"].sum()
    out["hidden_needs_share"] = float(persons["hidden_need_weeks"].sum() / total) if total else None
    hidden = persons.groupby("typology", observed=False)[["hidden_need_weeks", "need_weeks"]].sum()
    out["hidden_needs_by_typology"] = {
        str(t): (float(r.hidden_need_weeks / r.need_weeks) if r.need_weeks else None)
        for t, r in hidden.iterrows()
    }
    return out


def programme_summary(
    m: ReentryModel, persons: pd.DataFrame, process: pd.DataFrame, measured: pd.DataFrame
) -> dict[str, Any]:
    """Buddy programme and professional figures (None where the programme is off), from
    the weekly rows after the warm-up (``measured``).

    Utilisation, waiting list and strain are averaged over the weeks in which
    the programme had anyone matched or waiting, so that a cohort's idle
    years after the last trajectory do not dilute them.
    """
    w = measured
    out: dict[str, Any] = {
        "professional_load_mean": float(w["professional_load"].mean())
        if "professional_load" in w and w["professional_load"].notna().any()
        else None,
    }
    b = m.buddies
    busy = w[(w.get("buddy_clients", 0) > 0) | (w.get("buddy_waitlist", 0) > 0)] if b.on else w[:0]
    years = len(w) / 52
    mean_active = float(w["buddies_active"].mean()) if b.on else 0.0
    waits = process.loc[process["event"] == "buddy_matched", "wait_weeks"]
    out.update(
        {
            "buddy_utilisation": float(busy["buddy_utilisation"].mean()) if len(busy) else None,
            "buddy_waitlist_mean": float(busy["buddy_waitlist"].mean()) if len(busy) else None,
            "buddy_wait_weeks_mean": float(waits.mean()) if len(waits) else None,
            "buddy_strain_mean": float(busy["mean_buddy_strain"].mean()) if len(busy) else None,
            "buddy_turnover_per_year": b.totals["exits"] / mean_active / years
            if mean_active
            else None,
            "buddy_trajectories": dict(b.totals) if b.on else None,
        }
    )
    out["buddy_ever_share"] = float(persons["buddy_ever"].mean()) if b.on and len(persons) else None
    out["professional_ever_share"] = float(persons["pro_ever"].mean()) if len(persons) else None
    by_type = persons.groupby("typology", observed=False)
    out["reach_by_typology"] = {
        str(t): {
            "buddy": float(g["buddy_ever"].mean()),
            "professional": float(g["pro_ever"].mean()),
            "buddy_support_per_served": float(g.loc[g["buddy_ever"], "buddy_support"].mean())
            if g["buddy_ever"].any()
            else None,
        }
        for t, g in by_type
        if len(g)
    }
    client_weeks = persons["client_need_weeks"].sum()
    out["hidden_needs_share_buddy_clients"] = (
        float(persons["client_hidden_need_weeks"].sum() / client_weeks) if client_weeks else None
    )
    needs = by_type[["need_weeks", "hidden_need_weeks"]].sum()
    out["needs_by_typology"] = {
        str(t): {
            "known_need_weeks": int(r.need_weeks - r.hidden_need_weeks),
            "hidden_need_weeks": int(r.hidden_need_weeks),
        }
        for t, r in needs.iterrows()
    }
    return out


def by_group(ev: pd.DataFrame, column: str) -> dict[str, dict[str, Any]]:
    """Key outcomes per typology or detention-length group (the equity view)."""
    codes = ev[column].cat.codes.to_numpy()
    values = {k: ev[k].to_numpy(dtype="float64", na_value=np.nan) for k in GROUP_OUTCOMES}
    out: dict[str, dict[str, Any]] = {}
    for g, group in enumerate(ev[column].cat.categories):
        rows = codes == g
        out[str(group)] = {
            "n": int(rows.sum()),
            **{k: _mean_of_known(v[rows]) for k, v in values.items()},
        }
    return out


def _clean(x: Any) -> Any:
    """NaN -> None, numpy scalars -> Python, recursively (valid JSON)."""
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and math.isnan(x):
        return None
    return x
