"""Every model parameter, in one typed and documented place.

Each parameter has a default, a unit, an allowed range and a source: a place in
one of the four source documents, cited by a short key and a chapter, section,
table, figure or page (``Leiden2024 §6.2.3`` means section 6.2.3 of the Leiden
study, ``BrugBinnenBuiten2023 p.121`` page 121 of the Antwerp book), or
``assumption``. docs/references.md gives the full reference behind each key, and
docs/sources.md quotes each passage.
An assumption is a number that no source gives; its range is the plausible span for
sensitivity analysis, never a finding. ``kind`` separates policy ``lever``
parameters (never calibrated) from ``calibrated`` free parameters and ``fixed``
numbers read off a source.

Parameters are set from a dict (``Parameters.from_dict``) or a TOML file; a bad
name or value raises :class:`ParameterError` with a one-line message naming the
field and the allowed values.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

SERVICES: tuple[str, ...] = (
    "id_office",
    "shelter",
    "benefit_office",
    "addiction_care",
    "mental_health_care",
    "debt_counselling",
    "housing",
    "employment_support",
)
"""Services outside, in the order a helper works through the chain of prerequisites."""

PRISON_SERVICES: tuple[str, ...] = ("caw_support", "prison_mh_therapy", "vocational_training")
"""In-prison services with their own waiting lists (Leiden2024 §3.4, §6.2.1; sizes are
assumptions)."""


class ParameterError(ValueError):
    """A bad parameter name or value. The message is one line meant for users."""


def param(
    default: Any,
    unit: str,
    allowed: tuple,
    source: str,
    doc: str,
    kind: str = "calibrated",
) -> Any:
    """Declare one parameter.

    Args:
        default: Default value.
        unit: Unit of measurement ("share", "weeks", "per week", ...).
        allowed: ``(low, high)`` for numbers, or a tuple of allowed values for
            choices (strings and booleans).
        source: Citation such as ``"Leiden2024 §6.2.3 (8-12 weeks)"`` (a key of
            docs/references.md and a section) or ``"assumption"``.
        doc: One sentence on what it does.
        kind: ``lever`` (a policy choice, never fitted), ``calibrated`` (a free
            assumption that calibration may fit) or ``fixed`` (taken from a source).
    """
    return field(
        default=default,
        metadata={"unit": unit, "allowed": allowed, "source": source, "doc": doc, "kind": kind},
    )


def _choice(*values: Any) -> tuple:
    return ("choice", *values)


@dataclass(frozen=True)
class Parameters:
    """All parameters of :class:`model.ReentryModel`.

    Field metadata holds unit, allowed range, source and kind; see
    :func:`parameter_table` for a printable table.
    """

    # ---------------------------------------------------------------- population
    detention_share_short: float = param(
        0.48,
        "share",
        (0.0, 1.0),
        "Leiden2024 Fig. 1.1 (47-50%)",
        "Share of detention episodes shorter than 1 month.",
        "lever",
    )
    detention_share_medium: float = param(
        0.22,
        "share",
        (0.0, 1.0),
        "Leiden2024 Fig. 1.1 (22%)",
        "Share of detention episodes of 1 to 3 months (the rest last longer).",
        "lever",
    )
    detention_long_median_weeks: float = param(
        30.0,
        "weeks",
        (14.0, 104.0),
        "Leiden2024 Appendix 4 (long-stay men median about 7 months)",
        "Median length of detention episodes longer than 3 months.",
        "fixed",
    )
    detention_long_max_weeks: int = param(
        104,
        "weeks",
        (14, 520),
        "assumption",
        "Cap on one detention episode, to keep the cohort's pre-release phase bounded.",
    )
    share_prior_detention: float = param(
        0.624,
        "share",
        (0.0, 1.0),
        "assumption, fitted so that 72% of releases follow an earlier detention (Leiden2024 "
        "Table 2.1); re-detentions within the run add to the new entrants' own",
        "Share of people entering the system (not re-detained within it) with at least one "
        "earlier detention.",
    )
    share_female: float = param(
        0.08,
        "share",
        (0.0, 1.0),
        "assumption (range 0.04-0.12)",
        "Share of women among people entering detention.",
    )
    share_addiction: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "Leiden2024 Table 4.1 (care need 58% of known); the split between addiction and mental "
        "health is an assumption (range 0.2-0.5)",
        "Share with an addiction care need.",
    )
    share_mental_health: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "Leiden2024 Table 4.1 (care need 58% of known); the split between addiction and mental "
        "health is an assumption (range 0.2-0.5)",
        "Share with a mental-health care need.",
    )
    self_reliance_mean: float = param(
        0.55,
        "score 0-1",
        (0.2, 0.8),
        "BrugBinnenBuiten2023 §2.3.1 (grip op het eigen leven); assumption (range 0.4-0.7)",
        "Mean self-reliance at entry before LVB and addiction penalties.",
    )
    self_reliance_sd: float = param(
        0.18,
        "score 0-1",
        (0.0, 0.4),
        "assumption (range 0.1-0.25)",
        "Spread of self-reliance at entry.",
    )
    help_seeking_mean: float = param(
        0.5,
        "score 0-1",
        (0.2, 0.8),
        "BrugBinnenBuiten2023 §2.3.1; assumption (range 0.35-0.65)",
        "Mean help-seeking (initiative towards services) at entry.",
    )
    help_seeking_sd: float = param(
        0.2,
        "score 0-1",
        (0.0, 0.4),
        "assumption (range 0.1-0.3)",
        "Spread of help-seeking at entry.",
    )
    lvb_self_reliance_penalty: float = param(
        0.15,
        "score 0-1",
        (0.0, 0.5),
        "Leiden2024 §1.2 (LVB); size assumption (range 0.05-0.3)",
        "Self-reliance lost with a mild intellectual disability.",
    )
    share_lvb: float = param(
        0.2,
        "share",
        (0.0, 0.6),
        "assumption (range 0.1-0.4)",
        "Share with a mild intellectual disability (LVB); lowers self-reliance.",
    )
    # the rugzak: problems before detention, Pasma 2022 cited in Leiden2024 §1.2
    rugzak_no_work: float = param(
        0.42,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.2 (Pasma 2022)",
        "Share entering without work.",
        "fixed",
    )
    rugzak_debt: float = param(
        0.27,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.2 (Pasma 2022)",
        "Share entering with financial problems (debt).",
        "fixed",
    )
    rugzak_housing: float = param(
        0.23,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.2 (Pasma 2022)",
        "Share entering with housing problems (no housing).",
        "fixed",
    )
    rugzak_no_id: float = param(
        0.11,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.2 (Pasma 2022)",
        "Share entering without a valid ID.",
        "fixed",
    )
    share_benefit_if_no_work: float = param(
        0.748,
        "share",
        (0.0, 1.0),
        "assumption (range 0.3-0.8); ABC fit (ODD s.8)",
        "Of those entering without work, the share with a benefit.",
    )
    share_debt_managed_at_entry: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "Leiden2024 §4.4 (many under administration before and "
        "after detention); size assumption (range 0.2-0.5)",
        "Of those entering with debt problems, the share under a payment plan or administration.",
    )
    share_in_care_at_entry: float = param(
        0.543,
        "share",
        (0.0, 1.0),
        "Leiden2024 Tables 4.1/4.2 (46% of care need had help); assumption; ABC fit (ODD s.8)",
        "Of those with a care need, the share in care when entering.",
    )
    rugzak_correlation: float = param(
        0.631,
        "correlation",
        (0.0, 0.95),
        "assumption (range 0.2-0.8); ABC fit (ODD s.8)",
        "Correlation of rugzak problems through a shared vulnerability (Gaussian copula); "
        "the same vulnerability lowers self-reliance.",
    )
    share_housed_with_family: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "assumption (range 0.2-0.5)",
        "Of those housed at entry, the share living with family or friends.",
    )
    # ------------------------------------------------------------ detention damage
    damage_self_reliance_per_week: float = param(
        0.004,
        "self-reliance per week",
        (0.0, 0.05),
        "BrugBinnenBuiten2023 introduction (loss of autonomy); size assumption (range 0.001-0.01)",
        "Erosion of self-reliance per week inside.",
    )
    self_reliance_recovery_per_week: float = param(
        0.02,
        "share of the gap per week",
        (0.0, 0.2),
        "assumption (range 0.005-0.05): autonomy lost inside (BrugBinnenBuiten2023 "
        "introduction) comes back "
        "outside, half of it in about 8 months at the default",
        "Weekly share of the self-reliance lost in detention that returns outside.",
    )
    damage_lose_housing_per_week: float = param(
        0.0104,
        "probability per week",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.1.1 (even short stays cost the home); size assumption "
        "(range 0.01-0.08); "
        "ABC fit (ODD s.8)",
        "Weekly hazard of losing independent housing while inside (rent unpaid).",
    )
    damage_lose_family_housing_per_week: float = param(
        0.01,
        "probability per week",
        (0.0, 0.5),
        "assumption (range 0.0-0.03)",
        "Weekly hazard that family or friends stop offering a place while inside.",
    )
    damage_lose_job_per_week: float = param(
        0.12,
        "probability per week",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 introduction; size assumption (range 0.05-0.3)",
        "Weekly hazard of losing a job while inside.",
    )
    damage_lose_id_per_week: float = param(
        0.0115,
        "probability per week",
        (0.0, 0.2),
        "Leiden2024 §1.1-1.2 (15% leave without ID); size assumption; ABC fit (ODD s.8)",
        "Weekly hazard that an ID is lost or expires while inside.",
    )
    damage_lose_care_per_week: float = param(
        0.02,
        "probability per week",
        (0.0, 0.5),
        "assumption (range 0.01-0.1)",
        "Weekly hazard that care in place before detention is lost while inside.",
    )
    benefit_kept_weeks: int = param(
        4,
        "weeks",
        (0, 52),
        "assumption (range 0-8)",
        "A benefit is stopped when a stay inside lasts longer than this.",
    )
    housing_loss_to_family: float = param(
        0.501,
        "share",
        (0.0, 1.0),
        "assumption (range 0.2-0.7); ABC fit (ODD s.8)",
        "Of those who lose their home inside, the share who can go to family or friends.",
    )
    damage_prosocial_fade_per_week: float = param(
        0.01,
        "fraction per week",
        (0.0, 0.2),
        "BrugBinnenBuiten2023 §2.1.3 (ties fade inside); size assumption (range 0.005-0.03)",
        "Fraction of prosocial ties that fades per week inside.",
    )
    damage_criminogenic_growth_per_week: float = param(
        0.012,
        "fraction of gap per week",
        (0.0, 0.2),
        "Leiden2024 §5.3.1 (short stays as leerschool); size assumption",
        "Growth of criminogenic ties per week inside.",
    )
    damage_debt_per_week: float = param(
        0.0774,
        "k EUR per week",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 introduction (debt rose for 81%); size assumption "
        "(range 0.02-0.2); ABC fit (ODD s.8)",
        "Debt growth per week inside (court costs, fines, arrears).",
    )
    debt_problem_threshold: float = param(
        1.94,
        "k EUR",
        (0.0, 20.0),
        "assumption (range 0.5-3); ABC fit (ODD s.8)",
        "Debt above this level counts as a debt problem unless under a payment plan.",
    )
    living_climate: float = param(
        1.0,
        "multiplier",
        (0.25, 3.0),
        "Leiden2024 §4.2 (about 20 hours a day in the cell); assumption",
        "Scales all detention damage (teaching lever).",
        "lever",
    )
    basic_regime_damage_multiplier: float = param(
        1.4,
        "multiplier",
        (1.0, 3.0),
        "Leiden2024 §4.2; size assumption (range 1.1-2.0)",
        "Extra damage on the basic regime compared with the plus regime.",
    )
    # ---------------------------------------------------------------- regime gating
    gating_inside: bool = param(
        True,
        "on/off",
        _choice(True, False),
        "Leiden2024 summary, §3.4.2, §7.2.4",
        "Behaviour-gated regime: the basic regime has no trainings and 6-weekly staff "
        "contact only.",
        "lever",
    )
    promotion_good_weeks: int = param(
        6,
        "weeks",
        (1, 26),
        "Leiden2024 §3.4.2 (6 weeks of good behaviour)",
        "Weeks of good behaviour before promotion to the plus regime (also the "
        "re-assessment delay after demotion).",
        "fixed",
    )
    staff_contact_interval_basic: int = param(
        6,
        "weeks",
        (1, 26),
        "Leiden2024 §3.4.2 (6-weekly contact on the basic regime)",
        "Interval of staff contact on the basic regime when gating is on.",
        "fixed",
    )
    misconduct_base_per_week: float = param(
        0.04,
        "probability per week",
        (0.0, 0.5),
        "assumption (range 0.01-0.1)",
        "Weekly chance of undesired behaviour at average motivation and stress.",
    )
    misconduct_motivation_weight: float = param(
        2.0,
        "log-odds per unit",
        (0.0, 6.0),
        "Leiden2024 summary, §7.2.4; size assumption (range 1-3)",
        "Weight of low motivation on the weekly chance of misconduct (the vicious loop).",
    )
    frustration_per_week: float = param(
        0.015,
        "motivation per week",
        (0.0, 0.2),
        "Leiden2024 summary, §7.2.4 (vicious loop); size assumption",
        "Motivation lost per week on the basic regime (the vicious loop).",
    )
    # in-prison services (Leiden2024 §3.4, §6.2.1; sizes are assumptions)
    prison_capacity_caw_support: float = param(
        3.0,
        "places per week per 100 detained",
        (0.0, 100.0),
        "assumption (range 0.5-10)",
        "Weekly intake of CAW trajectory support.",
        "lever",
    )
    prison_capacity_prison_mh_therapy: float = param(
        1.0,
        "places per week per 100 detained",
        (0.0, 100.0),
        "assumption (range 0.2-5)",
        "Weekly intake of mental-health therapy inside.",
        "lever",
    )
    prison_capacity_vocational_training: float = param(
        1.5,
        "places per week per 100 detained",
        (0.0, 100.0),
        "assumption (range 0.2-8)",
        "Weekly intake of vocational training.",
        "lever",
    )
    prison_duration_weeks: int = param(
        8,
        "weeks",
        (1, 52),
        "assumption (range 4-16)",
        "Length of an in-prison trajectory; release before the end loses it.",
    )
    prison_dropout_per_week: float = param(
        0.03,
        "probability per week",
        (0.0, 0.5),
        "assumption (range 0.01-0.08): many in-prison trajectories stop early",
        "Weekly chance that an in-prison trajectory stops early.",
    )
    prison_apply_per_week: float = param(
        0.15,
        "probability per week",
        (0.0, 1.0),
        "assumption (range 0.05-0.4)",
        "Weekly chance of asking for an in-prison service at average help-seeking.",
    )
    # ------------------------------------------------------------- leaving the system
    reentry_period_weeks: int = param(
        104,
        "weeks after the last release",
        (104, 520),
        "assumption (range 104-260): the period in which reentry support is concerned "
        "with a person; at least the 2 years over which recidivism is measured "
        "(Leiden2024 §1.1-1.2)",
        "A released person not detained again leaves the simulated system this long after "
        "release; a later detention enters as a new person with priors.",
        "fixed",
    )
    leave_other_per_year: float = param(
        0.01,
        "probability per year",
        (0.0, 0.1),
        "Binswanger et al. 2007 (mortality after release 0.78% a year, United States) "
        "plus moving away; assumption (range 0.005-0.03)",
        "Yearly chance that a released person dies or moves out of the area.",
        "fixed",
    )
    # ------------------------------------------------------------- release, supervision
    share_supervised: float = param(
        0.2,
        "share",
        (0.0, 1.0),
        "Leiden2024 §1.6 (about 20% supervised)",
        "Share of releases under probation supervision.",
        "lever",
    )
    supervision_weeks: int = param(
        52, "weeks", (4, 260), "assumption (range 26-104)", "Length of supervision."
    )
    supervision_contact_interval: int = param(
        2,
        "weeks",
        (1, 13),
        "assumption (range 1-4)",
        "Interval of probation contacts during supervision.",
    )
    supervision_stress_burden: float = param(
        0.02,
        "stress per contact",
        (0.0, 0.2),
        "Leiden2024 §5.3.2 (travel money and time); size assumption",
        "Stress added by each supervision contact.",
    )
    contact_kept_probability: float = param(
        0.9,
        "probability",
        (0.0, 1.0),
        "Leiden2024 §4.6 (broken promises); size assumption",
        "Chance that a promised proactive contact actually takes place.",
    )
    early_catch_effect: float = param(
        0.5,
        "fraction",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.3.1.2, §4.2.2 (escalation caught early); size assumption",
        "Reduction of eviction and job loss while a helper keeps in touch.",
    )
    release_motivation_boost: float = param(
        0.25,
        "motivation",
        (0.0, 1.0),
        "Leiden2024 §5.3.1 (hope high at release); size assumption (range 0.1-0.4)",
        "Motivation gained on the day of release (then fragile).",
    )
    benefit_advance: bool = param(
        False,
        "on/off",
        _choice(True, False),
        "Leiden2024 §6.2.3",
        "An advance on the benefit at release bridges the 8-12 week delay.",
        "lever",
    )
    benefit_advance_places: float = param(
        100.0,
        "advances per week per 100 releases per week",
        (0.0, 1000.0),
        "a policy choice (assumption): at 100, one for every release, more than the people "
        "released without income need; a funded scheme may offer fewer",
        "With benefit_advance on, the advances a week at release, relative to the release "
        "flow; people released without income beyond them wait for their benefit.",
        "lever",
    )
    advance_on_application_share: float = param(
        0.512,
        "share of claims",
        (0.0, 1.0),
        "Leiden2024 §6.2.3 (an advance 'is certainly not always used'); size assumption "
        "(range 0.1-0.6); ABC fit (ODD s.8)",
        "Of benefit claims lodged after release, the share that gets an advance at once.",
        "calibrated",
    )
    benefit_delay_min_weeks: int = param(
        8,
        "weeks",
        (0, 26),
        "Leiden2024 §6.2.3 (8-12 weeks)",
        "Shortest benefit decision delay.",
        "fixed",
    )
    benefit_delay_max_weeks: int = param(
        12,
        "weeks",
        (0, 26),
        "Leiden2024 §6.2.3 (8-12 weeks)",
        "Longest benefit decision delay.",
        "fixed",
    )
    # ------------------------------------------------------ services outside (levers)
    capacity_id_office: float = param(
        21.0,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "its steady-state demand (reentry size): no shortage described; assumption",
        "Weekly intake of the ID office, relative to the release flow.",
        "lever",
    )
    capacity_shelter: float = param(
        60.2,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of shelter or supported housing.",
        "lever",
    )
    capacity_benefit_office: float = param(
        150.0,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "its steady-state demand (reentry size): no shortage described; assumption",
        "Weekly intake of benefit applications.",
        "lever",
    )
    capacity_addiction_care: float = param(
        24.0,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of addiction care.",
        "lever",
    )
    capacity_mental_health_care: float = param(
        17.6,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of mental-health care.",
        "lever",
    )
    capacity_debt_counselling: float = param(
        48.3,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of debt counselling.",
        "lever",
    )
    capacity_housing: float = param(
        43.7,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly allocation of independent rented homes.",
        "lever",
    )
    capacity_employment_support: float = param(
        134.0,
        "places per week per 100 releases per week",
        (0.0, 1000.0),
        "status quo inferred by calibration round 5 (ODD s.8); assumption",
        "Weekly intake of employment support.",
        "lever",
    )
    cohort_release_weeks: int = param(
        26,
        "weeks",
        (1, 156),
        "assumption (range 13-52)",
        "In cohort mode the cohort is released evenly over this many weeks from week 0, "
        "and services are sized for that stream.",
    )
    flow_releases_per_entry: float = param(
        1.37,
        "releases per entry",
        (1.0, 4.0),
        "1 / (1 - 0.27): every entry is released once, and once more for each "
        "re-detention within the 2-year reentry period, at the national 2-year rate of "
        "27% (Leiden2024 §1.1-1.2); the calibrated baseline's own ratio is checked by a test",
        "In flow mode, services, professionals and the buddy pool are sized for this "
        "many releases per entry: a fixed number, whatever a scenario does to re-detention.",
        "fixed",
    )
    queue_policy: str = param(
        "fcfs",
        "policy",
        _choice("fcfs", "priority"),
        "a policy choice; first come first served is today's practice (assumption)",
        "Waiting-list order: first come first served, or the least self-reliant first.",
        "lever",
    )
    gating_outside: bool = param(
        False,
        "on/off",
        _choice(True, False),
        "BrugBinnenBuiten2023 §2.2.4-2.2.5 (extension beyond sources)",
        "Sobriety condition for shelter and care: active use leads to refusal.",
        "lever",
    )
    service_weeks: int = param(
        3,
        "weeks",
        (1, 26),
        "assumption (range 1-8)",
        "Processing time of a service once a place is taken.",
    )
    success_alone: float = param(
        0.757,
        "probability",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.3.2 (graded); size assumption; ABC fit (ODD s.8)",
        "Chance an application succeeds for a person alone.",
    )
    success_buddy: float = param(
        0.75,
        "probability",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.4.5 (buddy goes along); size assumption",
        "Chance an application succeeds with a buddy who goes along.",
    )
    success_professional: float = param(
        0.85,
        "probability",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.3.2 (professional advocates); size assumption",
        "Chance an application succeeds with a professional who advocates.",
    )
    abandon_base_per_week: float = param(
        0.02,
        "probability per week",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.2.3; size assumption",
        "Weekly chance of giving up a waiting list at the start of the wait.",
    )
    readiness_window_weeks: float = param(
        12.0,
        "weeks",
        (1.0, 104.0),
        "Leiden2024 §6.2.1 (a 6-month wait); assumption (range 4-26)",
        "Wait after which the chance of giving up has doubled.",
    )
    safety_net_effect: float = param(
        0.6,
        "fraction",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.2.4; size assumption",
        "Reduction of giving up while a helper keeps in contact during the wait.",
    )
    # ------------------------------------------------------------ help-seeking
    ask_base_per_week: float = param(
        0.524,
        "probability per week",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §3.3.1.1; size assumption; ABC fit (ODD s.8)",
        "Weekly chance of asking for help with an unmet need, at average traits.",
    )
    ask_trait_weight: float = param(
        2.5,
        "log-odds per unit",
        (0.0, 10.0),
        "BrugBinnenBuiten2023 §2.3.1; size assumption",
        "Weight of help-seeking, trust and self-reliance on asking for help.",
    )
    ask_stress_weight: float = param(
        2.0,
        "log-odds per unit",
        (0.0, 10.0),
        "BrugBinnenBuiten2023 introduction (denkruimte); size assumption",
        "Weight of stress against asking for help.",
    )
    # ------------------------------------------------------------ states with memory
    memory_weeks: float = param(
        8.0,
        "weeks",
        (1.0, 52.0),
        "Leiden2024 §5.3.1 (memory of successes and setbacks); assumption (range 4-26)",
        "Time scale on which stress and trust follow their targets.",
    )
    trust_success_gain: float = param(
        0.06, "trust", (0.0, 0.5), "Leiden2024 §5.3.1; size assumption", "Trust gained per success."
    )
    trust_setback_loss: float = param(
        0.08,
        "trust",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.2.5; size assumption",
        "Trust lost per refusal or abandoned wait.",
    )
    help_seeking_refusal_loss: float = param(
        0.04,
        "help-seeking",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §2.2.5 (responsibilisation loop); size assumption",
        "Help-seeking lost per refusal.",
    )
    trust_dual_role_loss: float = param(
        0.01,
        "trust per contact",
        (0.0, 0.2),
        "Leiden2024 §7.4.3; size assumption",
        "Trust lost per contact with a helper who also reports (probation).",
    )
    motivation_decay_per_week: float = param(
        0.02,
        "motivation per week",
        (0.0, 0.2),
        "Leiden2024 §5.3.1 (fragile); size assumption",
        "Weekly erosion of motivation while problems stay unresolved or a wait drags on.",
    )
    motivation_success_gain: float = param(
        0.05,
        "motivation",
        (0.0, 0.5),
        "Leiden2024 §5.3.1; size assumption",
        "Motivation gained per success.",
    )
    stress_per_missing_domain: float = param(
        0.17,
        "stress per domain",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 introduction, §2.1.3; size assumption",
        "Stress target per basisvoorwaarde not in order.",
    )
    # ------------------------------------------------------------ life after release
    family_breakdown_per_week: float = param(
        0.01,
        "probability per week",
        (0.0, 0.2),
        "assumption (range 0.0-0.03)",
        "Weekly chance that a place with family or friends ends.",
    )
    eviction_per_week: float = param(
        0.015,
        "probability per week",
        (0.0, 0.3),
        "BrugBinnenBuiten2023 §4.2.2 (evictions); size assumption",
        "Weekly eviction hazard with no income or an unmanaged debt.",
    )
    job_loss_per_week: float = param(
        0.01,
        "probability per week",
        (0.0, 0.3),
        "Leiden2024 §3.6 (keeping a job matters); assumption",
        "Weekly job loss at average stress.",
    )
    job_find_alone_per_week: float = param(
        0.0399,
        "probability per week",
        (0.0, 0.3),
        "assumption (range 0.0-0.05); ABC fit (ODD s.8)",
        "Weekly chance of finding work without employment support.",
    )
    vog_required_share: float = param(
        0.5,
        "share of jobs",
        (0.0, 1.0),
        "Leiden2024 §7.2.3 (employers ask a VOG); size assumption",
        "Share of jobs that ask for a certificate of conduct (VOG).",
    )
    vog_window_weeks: int = param(
        208,
        "weeks",
        (0, 520),
        "Leiden2024 §7.2.3 (a time barrier effort cannot shorten); assumption (range 104-520)",
        "Weeks after the last conviction during which a VOG is refused.",
    )
    relapse_per_week: float = param(
        0.04,
        "probability per week",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 introduction, §2.1.3; size assumption",
        "Weekly chance of substance relapse for an addiction without care, at average stress.",
    )
    care_relapse_reduction: float = param(
        0.7,
        "fraction",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §2.1.3; size assumption (range 0.4-0.9)",
        "Reduction of the relapse hazard with care in place.",
    )
    debt_paydown_per_week: float = param(
        0.03,
        "k EUR per week",
        (0.0, 0.5),
        "assumption (range 0.01-0.1)",
        "Debt repaid per week under a payment plan or administration.",
    )
    recovery_per_week: float = param(
        0.05,
        "probability per week",
        (0.0, 0.5),
        "assumption",
        "Weekly chance that a relapse ends with care in place.",
    )
    criminogenic_no_income_growth: float = param(
        0.02,
        "fraction of gap per week",
        (0.0, 0.3),
        "Leiden2024 §4.4.1 (no income, criminal network); size assumption",
        "Growth of criminogenic ties per week without income.",
    )
    ties_drift_per_week: float = param(
        0.01,
        "fraction per week",
        (0.0, 0.2),
        "BrugBinnenBuiten2023 §2.1.3, Leiden2024 §5.1.2; assumption",
        "Weekly drift of ties towards what daily life supports.",
    )
    # ------------------------------------------------------------ offending
    offence_base_per_week: float = param(
        0.0116,
        "probability per week",
        (0.0, 0.2),
        "calibrated to Leiden2024 §1.1 (47% in 2 y); ABC fit (ODD s.8)",
        "Weekly offending hazard of a person with all domains in order and no risk factors.",
    )
    # weights in the logit of the weekly offending hazard; each risk factor is in [0, 1]
    w_no_income: float = param(
        0.6,
        "log-odds",
        (0.0, 4.0),
        "Leiden2024 §4.4.1 (income above all); size assumption",
        "Offending weight of having no income.",
    )
    w_no_housing: float = param(
        0.3,
        "log-odds",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 introduction, §2.1.3; size assumption",
        "Offending weight of having no housing.",
    )
    w_criminogenic: float = param(
        0.72,
        "log-odds per unit",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 §2.1.3, Leiden2024 §5.3.1; size assumption",
        "Offending weight of criminogenic ties.",
    )
    w_stress: float = param(
        0.48,
        "log-odds per unit",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 introduction, §3.2; size assumption",
        "Offending weight of stress.",
    )
    w_relapse: float = param(
        0.48,
        "log-odds",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 introduction, §2.1.3; size assumption",
        "Offending weight of a substance relapse.",
    )
    w_idle: float = param(
        0.18,
        "log-odds",
        (0.0, 4.0),
        "Leiden2024 §1.1-1.2 (85% no daytime activity); size assumption",
        "Offending weight of having no daytime activity.",
    )
    w_low_motivation: float = param(
        0.36,
        "log-odds per unit",
        (0.0, 4.0),
        "Leiden2024 §5.3.1; size assumption",
        "Offending weight of low motivation (1 - motivation).",
    )
    w_priors: float = param(
        0.09,
        "log-odds per prior detention",
        (0.0, 1.0),
        "Leiden2024 Table 2.1; size assumption",
        "Offending weight per earlier detention (counted up to 5).",
    )
    w_young: float = param(
        0.3,
        "log-odds",
        (0.0, 4.0),
        "the age-crime curve (Farrington 1986); size assumption (range 0.1-0.6)",
        "Offending weight of being under 25.",
    )
    w_age_per_decade: float = param(
        0.7,
        "log-odds per 10 years over 25",
        (0.0, 2.0),
        "the age-crime curve: offending falls with age after the early twenties, roughly "
        "halving each decade (Farrington 1986); size assumption (range 0.3-1.0)",
        "Fall in the offending weight for every ten years of age above 25 (desistance).",
    )
    w_prosocial: float = param(
        0.48,
        "log-odds per unit",
        (0.0, 4.0),
        "BrugBinnenBuiten2023 §3.3.1.1, Leiden2024 §5.1.2; size assumption",
        "Protective weight of prosocial ties.",
    )
    w_stable: float = param(
        0.24,
        "log-odds",
        (0.0, 4.0),
        "size assumption (range 0.1-0.6): stability protects",
        "Protective weight of being stable (all five basic conditions in order).",
    )
    w_time_since_release: float = param(
        0.3,
        "log-odds per year",
        (0.0, 2.0),
        "size assumption (range 0.1-0.6): re-arrest is highest early (Durose et al. 2014)",
        "Protective weight per year since release (capped at 2 years).",
    )
    detection_probability: float = param(
        0.6,
        "probability",
        (0.0, 1.0),
        "assumption (range 0.3-0.9)",
        "Chance an offence leads to justice contact (higher under supervision).",
    )
    supervision_detection_boost: float = param(
        0.2,
        "probability",
        (0.0, 1.0),
        "Leiden2024 §1.5.2; assumption",
        "Extra chance of detection under supervision.",
    )
    redetention_probability: float = param(
        0.432,
        "probability",
        (0.0, 1.0),
        "Leiden2024 §1.1 (27% of 47%); assumption; ABC fit (ODD s.8)",
        "Chance that a justice contact leads to re-detention.",
    )
    # ------------------------------------------------------------ buddy programme
    buddy_start: str = param(
        "none",
        "choice",
        _choice("inside", "at_release", "none"),
        "BrugBinnenBuiten2023 §5.4 (start inside before release)",
        "When people are referred to the buddy programme; none switches it off.",
        "lever",
    )
    buddies_per_1000_releases: float = param(
        130.0,
        "buddies per 1,000 releases a year",
        (0.0, 2000.0),
        "assumption (range 10-200): about the size at which recruitment (30 a year) balances "
        "turnover (about 20% a year) and burnout at the default caseload, so that the pool "
        "starts near its steady state",
        "Size of the buddy pool at the start, relative to the yearly release volume; "
        "recruitment and departures set its size later.",
        "lever",
    )
    buddy_recruitment_per_1000_releases: float = param(
        30.0,
        "new buddies a year per 1,000 releases a year",
        (0.0, 2000.0),
        "BrugBinnenBuiten2023 preface, ch.5 (recruitment depends on funding); assumption "
        "(range 10-60)",
        "Recruitment of new buddies, relative to the yearly release volume.",
        "lever",
    )
    buddy_caseload: int = param(
        1,
        "clients per buddy",
        (1, 10),
        "BrugBinnenBuiten2023 p.121 (one client per volunteer)",
        "Most clients a buddy supports at once; above 1 is a lever beyond the sources.",
        "lever",
    )
    buddy_contact_interval: int | str = param(
        1,
        "weeks",
        _choice(1, 2, 4, "reactive"),
        "BrugBinnenBuiten2023 §3.3.1.1 (at least weekly)",
        "Proactive contact every 1, 2 or 4 weeks, or reactive only (when the client asks).",
        "lever",
    )
    buddy_trajectory_weeks: int = param(
        26,
        "weeks",
        (4, 104),
        "BrugBinnenBuiten2023 p.121 (about six months)",
        "Length of a buddy trajectory after release, then closure and handover.",
        "lever",
    )
    buddy_intake_weeks_before_release: int = param(
        8,
        "weeks",
        (1, 52),
        "BrugBinnenBuiten2023 §5.4 (release date must be near); assumption",
        "With a start inside, referral happens this many weeks before release.",
    )
    buddy_offer_lapse_weeks: int = param(
        13,
        "weeks after release",
        (1, 104),
        "BrugBinnenBuiten2023 §5.4 (a late start has much less chance), "
        "BrugBinnenBuiten2023 p.121 (a trajectory "
        "of about 26 weeks after release); assumption (range 4-26)",
        "An offer of a buddy lapses when no buddy is free this many weeks after release.",
    )
    buddy_uptake: float = param(
        0.6,
        "share",
        (0.0, 1.0),
        "assumption (range 0.3-0.9)",
        "Share of people offered a buddy who accept.",
    )
    buddy_uptake_after_release: float = param(
        0.35,
        "share",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §5.4 (starting only after release has much "
        "less chance of success); size assumption (range 0.2-0.6)",
        "Share who accept and engage when the offer only comes at release.",
    )
    buddy_pool_diversity: float = param(
        0.5,
        "score 0-1",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §5.2.1.1 (diversity helps matching); assumption",
        "Diversity of the buddy pool; a diverse pool gives better matches.",
    )
    buddy_hours_per_week: float = param(
        4.0,
        "hours per week",
        (1.0, 20.0),
        "BrugBinnenBuiten2023 §5.1 (at least four hours)",
        "Hours a buddy gives per week, shared among their clients.",
        "fixed",
    )
    buddy_relief: float = param(
        0.06,
        "stress per contact",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §3.2 (a buddy calms); size assumption",
        "Stress taken off by a full buddy contact.",
    )
    buddy_trust_gain: float = param(
        0.03,
        "trust per contact",
        (0.0, 0.3),
        "Leiden2024 §7.4.3 (volunteers trusted more); size assumption",
        "Trust gained from a full buddy contact.",
    )
    buddy_dropout_per_week: float = param(
        0.01,
        "probability per week",
        (0.0, 0.3),
        "assumption (range 0.003-0.03)",
        "Weekly chance a match breaks off, at average match quality and trust.",
    )
    buddy_signal_probability: float = param(
        0.62,
        "probability",
        (0.0, 1.0),
        "HU2020 p.2 (62% of respondents name signalling risk); as a chance per "
        "risky contact an assumption (range 0.3-0.8)",
        "Chance a buddy signals a client's risky situation to the professional.",
    )
    buddy_strain_per_contact: float = param(
        0.02,
        "strain per contact",
        (0.0, 0.5),
        "BrugBinnenBuiten2023 §3.1, §4.4.1; size assumption",
        "Strain a contact adds for an ordinary client.",
    )
    demanding_strain_extra: float = param(
        1.0,
        "multiplier",
        (0.0, 5.0),
        "BrugBinnenBuiten2023 §2.3.2.4 (demanding type); size assumption",
        "Extra strain from a demanding client (1 doubles it).",
    )
    complexity_strain_weight: float = param(
        1.0,
        "multiplier per missing domain share",
        (0.0, 5.0),
        "assumption",
        "Extra strain per share of basic conditions the client misses.",
    )
    buddy_strain_recovery_per_week: float = param(
        0.01,
        "strain per week",
        (0.0, 0.5),
        "assumption (range 0.005-0.05)",
        "Strain that fades each week on its own.",
    )
    coaching: bool = param(
        True,
        "on/off",
        _choice(True, False),
        "BrugBinnenBuiten2023 p.121, §5.2.2",
        "Professionals coach buddies (group supervision and follow-up).",
        "lever",
    )
    coaching_interval_weeks: int = param(
        4,
        "weeks",
        (1, 26),
        "BrugBinnenBuiten2023 p.121 (monthly supervision)",
        "Interval of coaching sessions.",
        "lever",
    )
    coaching_relief: float = param(
        0.06,
        "strain per session",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §5.2.2; size assumption",
        "Strain taken off a buddy by one coaching session.",
    )
    burnout_threshold: float = param(
        0.5,
        "strain",
        (0.0, 1.0),
        "assumption (range 0.3-0.8)",
        "Strain above which burnout makes buddies leave.",
    )
    burnout_hazard: float = param(
        0.2,
        "probability per week per unit strain",
        (0.0, 1.0),
        "assumption",
        "Weekly chance of leaving per unit of strain above the threshold.",
    )
    buddy_turnover_per_week: float = param(
        0.004,
        "probability per week",
        (0.0, 0.1),
        "assumption (about 20% a year)",
        "Weekly chance a buddy leaves for other reasons.",
    )
    substitution_strain_factor: float = param(
        1.0,
        "multiplier per unit overload",
        (0.0, 5.0),
        "BrugBinnenBuiten2023 §3.1, §4.5; size assumption",
        "Extra buddy strain per unit of professional overload (substitution).",
    )
    # ------------------------------------------------------------ professionals
    professionals_per_1000_releases: float = param(
        8.0,
        "FTE per 1,000 releases a year",
        (0.0, 500.0),
        "assumption (range 2-30)",
        "Generalist social workers (CAW) who take cases, advocate and coach buddies.",
        "lever",
    )
    professional_caseload: int = param(
        20,
        "clients per FTE",
        (1, 200),
        "Leiden2024 §6.3 (high caseloads); assumption",
        "Clients one professional can hold before contacts get short.",
        "lever",
    )
    professional_max_overload: float = param(
        1.5,
        "multiple of the caseload",
        (1.0, 3.0),
        "Leiden2024 §6.3 (high caseloads); assumption (range 1.2-2.0)",
        "Urgent cases (signalled by a buddy, or above the complexity threshold) are taken up "
        "to this multiple of the caseload; the overload makes every contact rushed.",
    )
    professional_buddies_coached: int = param(
        15,
        "buddies per FTE",
        (1, 200),
        "BrugBinnenBuiten2023 p.121; assumption",
        "Buddies one professional can coach besides the caseload.",
    )
    professional_outreach: str = param(
        "reactive",
        "choice",
        _choice("proactive", "reactive"),
        "Leiden2024 §4.6, §6.1.1; BrugBinnenBuiten2023 §3.3.1.1",
        "Proactive: professionals reach out at release to people with complex needs; "
        "reactive: they take those who ask.",
        "lever",
    )
    professional_contact_interval: int = param(
        2,
        "weeks",
        (1, 13),
        "assumption (range 1-4)",
        "Interval of professional contacts with their clients.",
    )
    professional_case_weeks: int = param(
        26, "weeks", (4, 104), "assumption (range 13-52)", "Length of a professional case."
    )
    complexity_threshold: int = param(
        3,
        "missing basic conditions",
        (1, 5),
        "BrugBinnenBuiten2023 §4.4.5 (multi-problem cases); assumption",
        "A professional takes over a case with at least this many missing.",
    )
    professional_relief: float = param(
        0.03,
        "stress per contact",
        (0.0, 0.5),
        "assumption",
        "Stress taken off by a professional contact.",
    )
    professional_trust_gain: float = param(
        0.01,
        "trust per contact",
        (0.0, 0.3),
        "Leiden2024 §7.4.3 (distrust of professionals); assumption",
        "Trust gained from a professional contact that is not rushed.",
    )
    box_ticking_trust_loss: float = param(
        0.03,
        "trust per contact",
        (0.0, 0.3),
        "Leiden2024 §6.3, §4.6; size assumption",
        "Trust lost per rushed contact when professionals are overloaded.",
    )
    three_way_strain_trigger: float = param(
        0.6,
        "strain",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.4.4; assumption",
        "Buddy strain at which the professional holds a three-way talk.",
    )
    three_way_relief: float = param(
        0.25,
        "strain",
        (0.0, 1.0),
        "BrugBinnenBuiten2023 §4.4.4; size assumption",
        "Strain taken off the buddy by a three-way talk.",
    )

    # -------------------------------------------------------------------------
    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            _check(f.name, value, f.metadata, f.type)
            # TOML and samplers give 6.0 for 6; store each value in its declared type.
            if f.type in ("int", "float") and not isinstance(value, bool):
                object.__setattr__(self, f.name, int(value) if f.type == "int" else float(value))
        if self.benefit_delay_min_weeks > self.benefit_delay_max_weeks:
            raise ParameterError(
                "benefit_delay_min_weeks must be <= benefit_delay_max_weeks "
                f"(got {self.benefit_delay_min_weeks} > {self.benefit_delay_max_weeks})"
            )
        if self.detention_share_short + self.detention_share_medium > 1:
            raise ParameterError(
                "detention_share_short + detention_share_medium must be <= 1 "
                f"(got {self.detention_share_short + self.detention_share_medium:.3f})"
            )

    @classmethod
    def from_dict(cls, values: dict[str, Any], base: Parameters | None = None) -> Parameters:
        """Build parameters from a dict, on top of ``base`` (defaults if None).

        Raises:
            ParameterError: unknown name (with a suggestion) or a bad value.
        """
        names = {f.name for f in fields(cls)}
        for key in values:
            if key not in names:
                hint = difflib.get_close_matches(key, sorted(names), n=1)
                did = f"; did you mean '{hint[0]}'?" if hint else ""
                raise ParameterError(f"unknown parameter '{key}'{did}")
        return replace(base or cls(), **values)

    @classmethod
    def from_toml(cls, path: str | Path) -> Parameters:
        """Read parameters from a TOML file with a ``[parameters]`` table or flat keys."""
        try:
            data = tomllib.loads(Path(path).read_text())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ParameterError(f"cannot read parameter file {path}: {exc}") from None
        return cls.from_dict(data.get("parameters", data))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(name: str, value: Any, meta: Any, typ: Any) -> None:
    allowed = meta["allowed"]
    if allowed and allowed[0] == "choice":
        choices = allowed[1:]
        if not any(value is c or (type(value) is type(c) and value == c) for c in choices):
            shown = ", ".join(repr(c).lower() if isinstance(c, bool) else repr(c) for c in choices)
            raise ParameterError(f"{name} must be one of {shown} (got {value!r})")
        return
    lo, hi = allowed
    want_int = typ in ("int", int)
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "an integer" if want_int else "a number"
        raise ParameterError(f"{name} must be {kind} in [{lo}, {hi}] (got {value!r})")
    if want_int and float(value) != int(value):
        raise ParameterError(f"{name} must be an integer in [{lo}, {hi}] (got {value!r})")
    if not lo <= value <= hi:
        raise ParameterError(f"{name} must be in [{lo}, {hi}] {meta['unit']} (got {value!r})")


def parameter_table() -> list[dict[str, Any]]:
    """One row per parameter: name, default, unit, allowed, kind, source, doc."""
    rows = []
    for f in fields(Parameters):
        m = f.metadata
        allowed = m["allowed"]
        shown = (
            " | ".join(str(v) for v in allowed[1:])
            if allowed[0] == "choice"
            else f"{allowed[0]} to {allowed[1]}"
        )
        default = f.default if f.default is not MISSING else None
        rows.append(
            {
                "name": f.name,
                "default": default,
                "unit": m["unit"],
                "allowed": shown,
                "kind": m["kind"],
                "source": m["source"],
                "doc": m["doc"],
            }
        )
    return rows
