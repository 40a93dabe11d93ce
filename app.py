"""The teaching dashboard: detention damage and a buddy programme, live in the browser.

Start it with ``make dashboard`` (or ``reentry dashboard [--port N]``). It follows one
class-sized cohort (500-2,000 people) through detention, release and the two years
after, in cohort mode: the mode for following one group (see the README). Every
control is a model parameter with its real range; a preset loads a shipped scenario.
Each browser session gets its own model.
"""

from __future__ import annotations

import html
from dataclasses import fields

import numpy as np
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from analysis.story import StoryRecorder, timeline
from model import ReentryModel
from model.parameters import SERVICES, Parameters
from model.population import DETAINED, NO_HOUSING, NO_INCOME, TYPOLOGY
from scenarios.loader import load

PRESETS = (
    "baseline", "buddy_antwerp", "buddy_caseload_3", "buddy_reactive", "buddy_start_release",
    "gating_off", "benefit_advance", "more_professionals", "more_housing",
)  # fmt: skip
DEFAULTS = Parameters()
_META = {f.name: f.metadata for f in fields(Parameters)}
WEEKS_AFTER_RELEASE = 104


class DashboardModel(ReentryModel):
    """A cohort run with each classroom control as a keyword, as SolaraViz's Reset needs.

    The preset's scenario is applied first; a control moved away from the baseline
    default then overrides it.

    Args:
        persons: Class size: people in the cohort.
        seed: Seed of every random draw (the same seed gives the same people).
        preset: A shipped scenario to start from.
        detention_share_short: Share of stays shorter than 1 month.
        detention_share_medium: Share of stays of 1 to 3 months.
        living_climate: Detention damage multiplier (1 = today).
        gating_inside: Behaviour-gated regime inside.
        buddy_start: When people are offered a buddy ("none" switches buddies off).
        buddy_caseload: Clients per buddy.
        buddy_contact_interval: Weeks between a buddy's proactive contacts, or "reactive".
        benefit_advance: A benefit advance at release.
        buddies_per_1000_releases: Size of the buddy pool.
        professionals_per_1000_releases: Number of professionals.
    """

    def __init__(
        self,
        persons: int = 1000,
        seed: int = 1,
        preset: str = "baseline",
        detention_share_short: float = DEFAULTS.detention_share_short,
        detention_share_medium: float = DEFAULTS.detention_share_medium,
        living_climate: float = DEFAULTS.living_climate,
        gating_inside: bool = DEFAULTS.gating_inside,
        buddy_start: str = DEFAULTS.buddy_start,
        buddy_caseload: int = DEFAULTS.buddy_caseload,
        buddy_contact_interval: str = str(DEFAULTS.buddy_contact_interval),
        benefit_advance: bool = DEFAULTS.benefit_advance,
        buddies_per_1000_releases: float = DEFAULTS.buddies_per_1000_releases,
        professionals_per_1000_releases: float = DEFAULTS.professionals_per_1000_releases,
    ) -> None:
        interval = buddy_contact_interval
        controls = {
            "detention_share_short": detention_share_short,
            "detention_share_medium": detention_share_medium,
            "living_climate": living_climate,
            "gating_inside": gating_inside,
            "buddy_start": buddy_start,
            "buddy_caseload": int(buddy_caseload),
            "buddy_contact_interval": str(interval),
            "benefit_advance": benefit_advance,
            "buddies_per_1000_releases": buddies_per_1000_releases,
            "professionals_per_1000_releases": professionals_per_1000_releases,
        }
        kept = {"persons": persons, "seed": seed, **controls}
        controls["buddy_contact_interval"] = (
            interval if interval == "reactive" else int(interval)
        )  # fmt: skip
        moved = {k: v for k, v in controls.items() if v != getattr(DEFAULTS, k)}
        params = {**load(preset).overrides, **moved}
        super().__init__(
            mode="cohort", persons=int(persons), weeks=WEEKS_AFTER_RELEASE, seed=int(seed),
            params=params,
        )  # fmt: skip
        self.preset = preset
        self.controls = kept  # to build a twin under another preset
        self.story = StoryRecorder()

    def step(self) -> None:
        super().step()
        self.story.record(self)

    def twin(self, preset: str) -> DashboardModel:
        """The same class, seed and controls under another preset: common random numbers,
        so the same people meet the other policy."""
        return DashboardModel(**self.controls, preset=preset)

    def catch_up(self, week: int) -> None:
        while self.week < week and self.running:
            self.step()

    def weeks_so_far(self):
        import pandas as pd

        if not self.weekly:
            return None
        if getattr(self, "_weeks_cache", (None, None))[0] != self.week:
            self._weeks_cache = (self.week, pd.DataFrame(self.weekly))
        return self._weeks_cache[1]


def model_params() -> dict:
    """The controls, each with its parameter's real range."""

    def slider(name: str, label: str, step: float, integer: bool = False) -> dict:
        lo, hi = _META[name]["allowed"]
        return {
            "type": "SliderInt" if integer else "SliderFloat",
            "value": getattr(DEFAULTS, name),
            "label": label,
            "min": lo,
            "max": hi,
            "step": step,
        }

    return {
        "preset": {"type": "Select", "value": "baseline", "values": list(PRESETS),
                   "label": "Preset (a shipped scenario)"},
        "persons": {"type": "SliderInt", "value": 1000, "label": "Class size (people)",
                    "min": 500, "max": 2000, "step": 100},
        "seed": {"type": "SliderInt", "value": 1, "label": "Seed", "min": 1, "max": 100,
                 "step": 1},
        "detention_share_short": slider("detention_share_short", "Stays < 1 month (share)", 0.01),
        "detention_share_medium": slider("detention_share_medium", "Stays 1-3 months (share)",
                                         0.01),
        "living_climate": slider("living_climate", "Living climate (damage x)", 0.05),
        "gating_inside": {"type": "Checkbox", "value": DEFAULTS.gating_inside,
                          "label": "Behaviour gating inside"},
        "buddy_start": {"type": "Select", "value": DEFAULTS.buddy_start,
                        "values": ["none", "inside", "at_release"], "label": "Buddy start"},
        "buddy_caseload": slider("buddy_caseload", "Buddy caseload", 1, integer=True),
        "buddy_contact_interval": {"type": "Select", "value": str(DEFAULTS.buddy_contact_interval),
                                   "values": ["1", "2", "4", "reactive"],
                                   "label": "Buddy contact every (weeks)"},
        "benefit_advance": {"type": "Checkbox", "value": DEFAULTS.benefit_advance,
                            "label": "Benefit advance at release"},
        "buddies_per_1000_releases": {"type": "SliderFloat", "label": "Buddies per 1,000 releases",
                                      "value": DEFAULTS.buddies_per_1000_releases, "min": 0.0,
                                      "max": 400.0, "step": 10.0},
        "professionals_per_1000_releases": {
            "type": "SliderFloat", "label": "Professionals per 1,000 releases",
            "value": DEFAULTS.professionals_per_1000_releases, "min": 0.0, "max": 40.0,
            "step": 1.0},
    }  # fmt: skip


# ---------------------------------------------------------------- views
def _figure(title: str, model: DashboardModel) -> tuple[Figure, object]:
    # fixed margins and a screen resolution: constrained layout and print DPI double the
    # time each redraw takes (benchmarks/README.md, dashboard)
    fig = Figure(figsize=(6, 3.2), dpi=80)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.16)
    ax = fig.subplots()
    ax.set_title(title, fontsize=10)
    ax.set_xlim(model.start_week, max(model.week, model.start_week + 26))
    ax.axvline(0, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("week (0 = first releases; negative = inside)", fontsize=8)
    ax.tick_params(labelsize=8)
    return fig, ax


def _weeks(model: DashboardModel):
    """The weekly table so far, built once a week and shared by every view."""
    return model.weeks_so_far()


def status(model: DashboardModel) -> str:
    """One line on what is running: the week, the preset and the settings that matter."""
    p = model.p
    buddies = (
        "no buddies"
        if p.buddy_start == "none"
        else (f"buddies from {p.buddy_start.replace('_', ' ')}, caseload {p.buddy_caseload}")
    )
    return (
        f"Week {model.week} | preset {model.preset} | {model.persons} people, seed "
        f"{model.seed} | living climate {p.living_climate:g} | gating "
        f"{'on' if p.gating_inside else 'off'} | {buddies} | benefit advance "
        f"{'on' if p.benefit_advance else 'off'}"
    )  # fmt: skip


@solara.component
def Status(model: DashboardModel):
    update_counter.get()
    solara.Text(status(model), style="font-size: 14px; font-weight: 500")


def _draw_conditions(ax, w, model: DashboardModel) -> None:
    for name, label, colour in (
        ("valid_id", "valid ID", "C0"), ("housing", "housing", "C1"),
        ("income", "income", "C2"), ("debt", "debts above the threshold", "C3"),
        ("care_met", "care in place (of those in need)", "C4"),
    ):  # fmt: skip
        ax.plot(w["week"], w[f"inside_share_{name}"], color=colour, ls="--", lw=1)
        ax.plot(w["week"], w[f"share_{name}"], color=colour, label=label, lw=1.5)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of people", fontsize=8)


def _draw_stability(ax, w, model: DashboardModel) -> None:
    ax.plot(w["week"], w["share_stable"], label="all five conditions in order", color="C2")
    ax.plot(w["week"], w["stability_index"], label="stability index", color="C0")
    ax.set_ylim(0, 1)


def _draw_justice(ax, w, model: DashboardModel) -> None:
    per = 100 / model.persons
    ax.plot(w["week"], w["justice_contacts"].cumsum() * per, label="justice contacts")
    ax.plot(w["week"], w["redetentions"].cumsum() * per, label="re-detentions")
    ax.set_ylabel("per 100 people", fontsize=8)


def _draw_waiting(ax, w, model: DashboardModel) -> None:
    for s in SERVICES:
        ax.plot(w["week"], w[f"waiting_{s}"], label=s.replace("_", " "), lw=1)
    ax.set_ylabel("people waiting", fontsize=8)


def _draw_buddies(ax, w, model: DashboardModel) -> None:
    if "buddy_clients" not in w:
        ax.text(0.5, 0.5, "no buddy programme (Buddy start: none)", ha="center",
                transform=ax.transAxes)  # fmt: skip
        return
    ax.plot(w["week"], w["buddy_clients"], label="clients with a buddy")
    ax.plot(w["week"], w["buddies_active"] * model.p.buddy_caseload, ls="--",
            label="places (buddies x caseload)")  # fmt: skip
    ax.plot(w["week"], w["buddy_waitlist"], label="waiting for a buddy")
    ax.set_ylabel("people", fontsize=8)


VIEWS = {
    "Basic conditions: inside (dashed) and after release (solid)": _draw_conditions,
    "Stability after release": _draw_stability,
    "Cumulative justice contact and re-detention": _draw_justice,
    "Waiting lists outside": _draw_waiting,
    "Buddies: clients and waiting list": _draw_buddies,
}
"""Page 0's plots: title and how to draw it from the weekly table so far."""


def _view(title: str):
    """A Solara component that redraws one of VIEWS after every step."""

    @solara.component
    def View(model: DashboardModel):
        update_counter.get()
        fig, ax = _figure(title, model)
        w = _weeks(model)
        if w is not None:
            VIEWS[title](ax, w, model)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=6 if title.startswith("Waiting") else 7, ncol=1)
        solara.FigureMatplotlib(fig, format="png")

    return View


def pick_person(model: DashboardModel, who: str) -> int:
    """A person of the chosen type, or an id.

    Of each type, the one who enters detention first: the longest stay of that type, so
    the story starts with the first step and shows the most detention damage.
    """
    if who.isdigit():
        return min(int(who), model.persons - 1)
    typology = TYPOLOGY.index(who.split()[-1])
    matches = np.flatnonzero(model.pop.typology[: model.persons] == typology)
    if not len(matches):
        return 0
    return int(matches[np.argmin(model.pop.entry_week[matches])])


@solara.component
def PersonStory(model: DashboardModel):
    """One person's domains and states week by week, and their events in plain words."""
    update_counter.get()
    who, set_who = solara.use_state("a typical shy")
    with solara.Column():
        solara.Select(
            "Follow", value=who, on_value=set_who,
            values=["a typical shy", "a typical unsure", "a typical rational",
                    "a typical demanding", "0", "1", "2", "3", "4"],
        )  # fmt: skip
        i = pick_person(model, who)
        states = model.story.person(i, model.p.debt_problem_threshold)
        fig, ax = _figure(f"Person {i} ({TYPOLOGY[model.pop.typology[i]]})", model)
        if len(states):
            for column, label in (
                ("trust", "trust"), ("stress", "stress"), ("self_reliance", "self-reliance"),
                ("ties_prosocial", "prosocial ties"), ("ties_criminogenic", "criminal ties"),
            ):  # fmt: skip
                ax.plot(states["week"], states[column], label=label, lw=1.2)
            ax.set_ylim(0, 1)
            ax.legend(fontsize=7, ncol=2)
        solara.FigureMatplotlib(fig, format="png")
        if len(states):
            solara.FigureMatplotlib(_domain_strip(states, model), format="png")
        StoryText(model, i, "", "font-size: 13px; max-height: 320px; overflow-y: auto")


def _domain_strip(states, model: DashboardModel) -> Figure:
    """The person's basic conditions week by week: green in place, red missing; the weeks
    inside are marked on the top row."""
    from matplotlib.colors import ListedColormap

    rows = {
        "inside": (states["phase"] == DETAINED).to_numpy(),
        "valid ID": states["has_id"].to_numpy(dtype=bool),
        "housing": (states["housing"] != NO_HOUSING).to_numpy(),
        "income": (states["income"] != NO_INCOME).to_numpy(),
        "debts in hand": ~states["debt_problem"].to_numpy(dtype=bool),
    }
    grid = np.vstack(
        [3 - rows["inside"], *(v.astype(int) for k, v in rows.items() if k != "inside")]
    )
    fig = Figure(figsize=(6, 1.6), dpi=80)
    fig.subplots_adjust(left=0.17, right=0.98, top=0.85, bottom=0.28)
    ax = fig.subplots()
    weeks = states["week"].to_numpy()
    ax.imshow(grid, aspect="auto", interpolation="nearest",
              cmap=ListedColormap(["#d9534f", "#5cb85c", "#999999", "#ffffff"]), vmin=0, vmax=3,
              extent=(weeks[0] - 0.5, weeks[-1] + 0.5, len(rows) - 0.5, -0.5))  # fmt: skip
    ax.set_yticks(range(len(rows)), list(rows), fontsize=7)
    ax.set_xlim(model.start_week, max(model.week, model.start_week + 26))
    ax.set_title("Week by week: green in place, red missing; grey = inside", fontsize=9)
    ax.tick_params(labelsize=7)
    return fig


@solara.component
def StoryText(model: DashboardModel, i: int, heading: str, style: str):
    """Person ``i``'s timeline in plain words, the latest events last."""
    states = model.story.person(i, model.p.debt_problem_threshold)
    events = model.events.table()
    lines = timeline(states, events[events["person"] == i]) if len(states) else []
    text = "<br>".join(html.escape(line) for line in lines[-40:])
    solara.HTML(
        tag="div",
        unsafe_innerHTML=(f"<b>{html.escape(heading)}</b><br>" if heading else "")
        + (text or "Press Step or Play to follow this person."),
        style=style,
    )


@solara.component
def SideBySide(model: DashboardModel):
    """The same people under a second preset, on the same seed, kept at the same week."""
    update_counter.get()
    other, set_other = solara.use_state("buddy_antwerp")
    twin = solara.use_memo(lambda: model.twin(other), [model, other])
    twin.catch_up(model.week)
    with solara.Column():
        solara.Select("Compare with", value=other, on_value=set_other, values=list(PRESETS))
        fig, ax = _figure(f"Solid: {model.preset}; dashed: {other}", model)
        mine, theirs = _weeks(model), _weeks(twin)
        if mine is not None:
            for column, label, colour in (
                ("share_housing", "housing", "C1"), ("share_income", "income", "C2"),
                ("share_stable", "stable", "C0"),
            ):  # fmt: skip
                ax.plot(mine["week"], mine[column], color=colour, label=label)
                ax.plot(theirs["week"], theirs[column], color=colour, ls="--")
            per = 100 / model.persons
            ax.plot(mine["week"], mine["justice_contacts"].cumsum() * per / 100, color="C3",
                    label="justice contacts (per person)")  # fmt: skip
            ax.plot(theirs["week"], theirs["justice_contacts"].cumsum() * per / 100,
                    color="C3", ls="--")  # fmt: skip
            ax.set_ylim(0, 1)
            ax.legend(fontsize=7)
        solara.FigureMatplotlib(fig, format="png")
        i = pick_person(model, "a typical shy")
        with solara.Row():
            for m in (model, twin):
                style = "font-size: 12px; width: 48%; max-height: 300px; overflow-y: auto"
                StoryText(m, i, f"{m.preset}: person {i}", style)


INFO = """
<h3>What it is</h3>
<p>An agent-based model of the months around release from prison. A class-sized group of
people goes through detention, release and the two years after. They differ in
self-reliance and in how readily they ask for help. Volunteer buddies with limited time,
professionals, and services with waiting lists and entry conditions meet them.</p>
<h3>How it works</h3>
<p>Each step is one week. Inside, detention damage builds up: housing, work, a benefit and
an ID can be lost, and debts grow. The living climate sets how fast. The basic regime
limits access when behaviour gating is on. After release, people need a chain of things
in order: an ID before a benefit, an address before registration, income before a lease.
Services have waiting lists, and people give up as they wait. Buddies go along, keep in
contact and catch problems early. Offending is more likely without income or housing,
and with stress and criminal ties. A justice contact can send someone back inside.</p>
<h3>Things to try</h3>
<ul>
<li>Press Play and watch the dashed lines: what happens to housing and income inside?</li>
<li>Set the living climate to 2 and Reset. How does release day change?</li>
<li>Load the preset buddy_antwerp. Follow "a typical shy" person: who finds their needs?</li>
<li>Raise the buddy caseload to 3. Who gains, and what happens to the buddies?</li>
<li>Turn behaviour gating off. Who gets help inside now?</li>
</ul>
<h3>Where the numbers come from</h3>
<p>The mechanisms follow a Flemish buddy project and a Leiden follow-up study of 100
people after release; national Dutch figures set the 2-year recidivism. Every parameter
has a source or is marked an assumption (docs/ODD.md, and <code>reentry params</code>).
The cohort here is for teaching: its levels are illustrations. Policy comparisons are
made in the calibrated flow mode (the README).</p>
"""


@solara.component
def Info(model: DashboardModel):
    solara.HTML(tag="div", unsafe_innerHTML=INFO, style="font-size: 14px; max-width: 60em")


COMPONENTS = [
    (Status, 0), *((_view(title), 0) for title in VIEWS),
    (PersonStory, 1), (SideBySide, 2), (Info, 3),
]  # fmt: skip


@solara.component
def Page():
    # one model per browser session: built here, not at import
    model = solara.use_memo(lambda: DashboardModel(), [])
    SolaraViz(
        model,
        components=COMPONENTS,
        model_params=model_params(),
        name="Support after release: detention damage and buddies",
        play_interval=150,
    )
