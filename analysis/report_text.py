"""A readable plain-text summary of one run for the terminal."""

from __future__ import annotations

from typing import Any

from model.parameters import PRISON_SERVICES, SERVICES


def _pct(x: float | None) -> str:
    return "   -" if x is None else f"{100 * x:4.0f}%"


def format_summary(s: dict[str, Any]) -> str:
    """Key outcomes, the state over time, process figures and equity breakdowns."""
    lines = [
        f"Scenario {s.get('scenario', '?')}"
        + "".join(f" {k}={v}" for k, v in (s.get("overrides") or {}).items())
        + f"  mode={s['mode']}  persons={s['persons']}  "
        f"weeks={s['weeks']}  warmup={s['warmup']}  seed={s['seed']}",
        f"{s['release_events']} release events counted; {s['person_weeks']:,} person-weeks "
        f"in {s['seconds']:.1f} s",
        "",
        "Recidivism (release events observed for 2 years)",
        f"  justice contact within 2 years   {_pct(s['reconviction_2y'])}",
        f"  re-detention within 2 years      {_pct(s['redetention_2y'])}",
        f"  median weeks to first offence    {s['median_weeks_to_first_offence'] or 'not reached'}",
        "",
        "State after release          at release  3 months  6 months  12 months",
    ]
    rows = (
        ("housing", "housing (any)"),
        ("income", "income (any)"),
        ("work", "income from work"),
        ("benefit", "income from benefit"),
        ("stable", "stable (all 5 in order)"),
        ("detained", "back in detention"),
    )
    for key, label in rows:
        at = s["at_release"].get(key, 0.0 if key == "detained" else None)
        cells = [_pct(at)] + [_pct(s[st].get(key)) for st in ("month3", "month6", "month12")]
        lines.append(f"  {label:<26}{cells[0]:>10}{cells[1]:>10}{cells[2]:>10}{cells[3]:>11}")
    a = s["at_release"]
    lines += [
        f"  at release: valid ID {_pct(a['valid_id'])}, debts {_pct(a['debt'])}, two or more "
        f"basic conditions missing {_pct(a['two_plus_missing'])}",
        "",
        "Services              admitted  mean wait  p90 wait  gave up",
    ]
    proc = s["process"]
    for name in SERVICES:
        r = proc[name]
        mean = "-" if r["wait_mean_weeks"] is None else f"{r['wait_mean_weeks']:.1f} wk"
        p90 = "-" if r["wait_p90_weeks"] is None else f"{r['wait_p90_weeks']:.0f} wk"
        lines.append(
            f"  {name:<20}{r['admitted']:>8}{mean:>11}{p90:>10}{_pct(r['abandonment']):>9}"
        )
    lines.append("In prison             admitted  completed  stopped early  released before turn")
    for name in PRISON_SERVICES:
        r = proc[name]
        lines.append(
            f"  {name:<20}{r['admitted']:>8}{r['completed']:>11}{r['stopped_early']:>15}"
            f"{r['released_before_turn']:>22}"
        )
    lines.append(f"Hidden needs (need-weeks nobody knew about): {_pct(proc['hidden_needs_share'])}")
    if s.get("buddy_trajectories"):
        t = s["buddy_trajectories"]
        wait = s["buddy_wait_weeks_mean"]
        lines += [
            "",
            "Buddy programme",
            f"  utilisation {_pct(s['buddy_utilisation'])}, waiting list "
            f"{s['buddy_waitlist_mean']:.0f} people on average, wait for a match "
            + (f"{wait:.1f} weeks" if wait is not None else "-"),
            f"  turnover {_pct(s['buddy_turnover_per_year'])} a year, mean strain "
            f"{s['buddy_strain_mean']:.2f}, three-way talks {t['three_way_talks']}",
            f"  trajectories: {t['matches']} matched, {t['completed']} completed, "
            f"{t['completed_early']} closed early (questions answered), {t['dropped']} dropped out,"
            f" {t['ended_by_detention']} ended by detention",
        ]
    if s.get("professional_load_mean") is not None:
        lines.append(f"Professional load: {s['professional_load_mean']:.2f} (1 = full caseload)")
    for title, key in (("By typology", "by_typology"), ("By detention length", "by_length_group")):
        lines += ["", f"{title:<22}     n  stable 6m  contact 2y  re-det. 2y  prison services"]
        for group, r in s[key].items():
            ps = "-" if r["prison_services"] is None else f"{r['prison_services']:.2f}"
            lines.append(
                f"  {group:<20}{r['n']:>6}{_pct(r['month6_stable']):>11}"
                f"{_pct(r['justice_contact_2y']):>12}{_pct(r['redetention_2y']):>12}{ps:>17}"
            )
    return "\n".join(lines)
