"""The teaching dashboard: detention damage and a buddy programme, live in the browser.

Start it with ``make dashboard`` (or ``reentry dashboard [--port N]``). It follows one
class-sized cohort (500-2,000 people) through detention, release and the two years
after, in cohort mode: the mode for following one group (see the README). Every
control is a model parameter with its real range; a preset loads a shipped scenario.
Each browser session gets its own model.
"""

from __future__ import annotations

import html
import json
from dataclasses import fields

import ipyvuetify as v
import numpy as np
import solara
import traitlets
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
        """The weekly table so far, or None before the first step (each redraw reads
        it once: only the open tab is drawn)."""
        return self.weekly_table() if self.weekly else None


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
# The charts are Vega-Lite specifications drawn by the browser (with the vega bundle
# that solara ships): the server only sends the numbers. Drawing them here with
# matplotlib took 150-250 ms a chart, over the 300 ms a step may take (benchmarks/).
CHART_WIDTH = 440  # two charts side by side in a laptop's browser
X_TITLE = "week (0 = first releases; negative = inside)"


def series(weeks, lines: dict[str, object], **fields) -> list[dict]:
    """Chart rows, one a week for each named line (``{label: values}``); gaps left out.

    ``fields`` are added to every row, for example the dash style of a group of lines.
    """
    weeks = np.asarray(weeks, dtype=int)
    rows = []
    for label, values in lines.items():
        values = np.asarray(values, dtype=float)
        ok = np.isfinite(values)
        rows += [
            {"week": int(k), "value": round(float(y), 4), "line": label, **fields}
            for k, y in zip(weeks[ok], values[ok], strict=True)
        ]
    return rows


def shown_weeks(model: DashboardModel) -> list[int]:
    """The x axis: the whole run, from the first entry to two years after release. The
    lines fill it in week by week; a fixed axis means the browser never lays a chart out
    again as the model steps."""
    return [model.start_week, model.end_week]


def line_chart(
    title: str,
    model: DashboardModel,
    rows: list[dict],
    y_title: str = "share of people",
    y_max: float | None = 1.0,
    dash: dict[str, str] | None = None,
    empty: str = "no one released yet",
) -> dict:
    """A Vega-Lite line chart of ``rows`` on an axis of the whole run's weeks.

    Args:
        title: Chart title.
        model: The running model (sets the weeks shown).
        rows: From :func:`series`.
        y_title: Title of the y axis.
        y_max: Top of the y axis, or None to fit the data.
        dash: ``{"field": name, "solid": value, "dashed": value}``: lines whose field
            has the second value are dashed, and the legend says which is which.
        empty: What the chart says while it has no rows.
    """
    weeks = shown_weeks(model)
    if not rows:
        # without rows there is no y extent and no legend, and Vega would draw nothing
        y_max = y_max or 1.0
    encoding = {
        "x": {"field": "week", "type": "quantitative", "title": X_TITLE,
              "scale": {"domain": weeks, "nice": False}},
        "y": {"field": "value", "type": "quantitative", "title": y_title,
              "scale": {"domain": [0, y_max]} if y_max is not None else {}},
    }  # fmt: skip
    if rows:
        encoding["color"] = {
            "field": "line", "type": "nominal", "title": None,
            "sort": list(dict.fromkeys(r["line"] for r in rows)),
            "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260},
        }  # fmt: skip
    if rows and dash:
        encoding["strokeDash"] = {
            "field": dash["field"], "type": "nominal", "title": None,
            "scale": {"domain": [dash["solid"], dash["dashed"]], "range": [[1, 0], [5, 3]]},
            "legend": {"orient": "bottom"},
        }  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "fontSize": 13},
        "width": CHART_WIDTH,
        "height": 190,
        "layer": [
            {"data": {"name": "rows", "values": rows}, "mark": {"type": "line", "clip": True},
             "encoding": encoding},
            {"data": {"values": [{"week": 0}]},
             "mark": {"type": "rule", "color": "#999", "strokeDash": [2, 2], "clip": True},
             "encoding": {"x": {"field": "week", "type": "quantitative"}}},
            *([] if rows else [
                {"data": {"values": [{"week": sum(weeks) / 2, "value": y_max / 2}]},
                 "mark": {"type": "text", "text": empty, "fontSize": 13, "color": "#666"},
                 "encoding": {"x": {"field": "week", "type": "quantitative"},
                              "y": {"field": "value", "type": "quantitative"}}},
            ]),
        ],
    }  # fmt: skip


CHART_VUE = """
<template><div ref="plot"></div></template>
<script>
module.exports = {
    mounted() { this.draw(); },
    watch: { spec() { this.draw(); }, rows() { this.fill(); } },
    methods: {
        async draw() {
            const spec = this.spec, rows = this.rows;
            const embed = await this.vegaEmbed();
            if (spec !== this.spec) return;  // a newer chart is already on its way
            // drawn with its data: a legend of no lines stops Vega from drawing at all
            const full = JSON.parse(JSON.stringify(spec));
            (full.layer ? full.layer[0] : full).data = {name: 'rows', values: JSON.parse(rows)};
            const old = this.view;
            this.view = (await embed(this.$refs.plot, full, {actions: false})).view;
            if (old) old.finalize();
            if (rows !== this.rows) this.fill(); else this.drawn();
        },
        async fill() {
            // new weeks only: the drawn chart takes its new data, without a new layout
            if (!this.view) return;
            await this.view.data('rows', JSON.parse(this.rows)).runAsync();
            this.drawn();
        },
        drawn() {
            // a count of draws on the page, for tests and benchmarks to wait on
            const plot = this.$refs.plot;
            plot.dataset.drawn = String(Number(plot.dataset.drawn || 0) + 1);
        },
        vegaEmbed() {
            // the Vega bundle that solara serves (reentry dashboard links it), loaded once
            if (!window.reentryVegaEmbed) {
                const cdn = (window.solara && window.solara.cdn) || '_solara/cdn';
                require.config({map: {'*': {
                    'vega': `${cdn}/vega@5/build/vega.min.js`,
                    'vega-lite': `${cdn}/vega-lite@5/build/vega-lite.min.js`,
                    'vega-embed': `${cdn}/vega-embed@6/build/vega-embed.min.js`,
                }}});
                window.reentryVegaEmbed = new Promise((ok, fail) =>
                    require(['vega', 'vega-lite', 'vega-embed'], (v, l, e) => ok(e), fail));
            }
            return window.reentryVegaEmbed;
        },
    },
}
</script>
"""


class Chart(v.VuetifyTemplate):
    """A Vega-Lite chart drawn by the browser; a new week sends only the new data.

    solara's own chart widget waits 100 ms for further changes and then lays the whole
    chart out again, together most of the time a step may take
    (benchmarks/bench_dashboard.py --browser).
    """

    template = traitlets.Unicode(CHART_VUE).tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    rows = traitlets.Unicode("[]").tag(sync=True)


def chart(spec: dict):
    """Show a Vega-Lite spec whose (first layer's) data is named ``rows``.

    The rows travel apart, as one JSON string: solara's renderer walks every value of a
    widget's properties (thousands of small dicts cost it 100 ms a step), and the
    browser takes new rows without laying the chart out again.
    """
    layered = "layer" in spec
    holder = spec["layer"][0] if layered else spec
    rows = json.dumps(holder["data"]["values"], separators=(",", ":"))
    holder = {**holder, "data": {"name": "rows"}}
    spec = {**spec, "layer": [holder, *spec["layer"][1:]]} if layered else holder
    return Chart.element(spec=spec, rows=rows)


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


CONDITIONS = {
    "valid_id": "valid ID", "housing": "housing", "income": "income",
    "debt": "debts in hand (below the threshold)", "care_met": "care in place (of those in need)",
}  # fmt: skip
WHERE = {"field": "where", "solid": "after release", "dashed": "inside"}


def in_order(w, prefix: str, condition: str):
    """Share with a basic condition in order, so that higher is better on every line
    (the weekly table counts debts above the threshold)."""
    share = w[f"{prefix}share_{condition}"]
    return 1 - share if condition == "debt" else share


def conditions_chart(model: DashboardModel, w) -> dict:
    rows = []
    for prefix, where in (("inside_", "inside"), ("", "after release")):
        lines = {label: in_order(w, prefix, c) for c, label in CONDITIONS.items()}
        rows += series(w["week"], lines, where=where)
    title = "Basic conditions in order: inside (dashed) and after release (solid)"
    return line_chart(title, model, rows, dash=WHERE)


def stability_chart(model: DashboardModel, w) -> dict:
    rows = series(w["week"], {"all five conditions in order": w["share_stable"],
                              "stability index": w["stability_index"]})  # fmt: skip
    return line_chart("Stability after release", model, rows)


def justice_chart(model: DashboardModel, w) -> dict:
    per = 100 / model.persons
    rows = series(w["week"], {"justice contacts": w["justice_contacts"].cumsum() * per,
                              "re-detentions": w["redetentions"].cumsum() * per})  # fmt: skip
    return line_chart("Cumulative justice contact and re-detention", model, rows,
                      "per 100 people", None)  # fmt: skip


def waiting_chart(model: DashboardModel, w) -> dict:
    rows = series(w["week"], {s.replace("_", " "): w[f"waiting_{s}"] for s in SERVICES})
    return line_chart("Waiting lists outside", model, rows, "people waiting", None)


def buddy_chart(model: DashboardModel, w) -> dict:
    title = "Buddies: clients and waiting list"
    if "buddy_clients" not in w:
        return line_chart(title, model, [], "people", None,
                          empty="no buddy programme (Buddy start: none)")  # fmt: skip
    rows = series(w["week"], {
        "clients with a buddy": w["buddy_clients"],
        "places (buddies x caseload)": w["buddies_active"] * model.p.buddy_caseload,
        "waiting for a buddy": w["buddy_waitlist"],
    })  # fmt: skip
    return line_chart(title, model, rows, "people", None)


CLASS_CHARTS = (conditions_chart, stability_chart, justice_chart, waiting_chart, buddy_chart)
"""The whole class's charts, each drawn from the weekly table so far."""


@solara.component
def WholeClass(model: DashboardModel):
    update_counter.get()
    w = model.weeks_so_far()
    if w is None:
        solara.Text("Press Step or Play: the charts fill in week by week.")
        return
    for pair in range(0, len(CLASS_CHARTS), 2):
        with solara.Columns([1, 1]):
            for make in CLASS_CHARTS[pair : pair + 2]:
                chart(make(model, w))


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


STATES = {
    "trust": "trust", "stress": "stress", "self_reliance": "self-reliance",
    "ties_prosocial": "prosocial ties", "ties_criminogenic": "criminal ties",
}  # fmt: skip


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
        rows = series(states["week"], {label: states[c] for c, label in STATES.items()})
        chart(line_chart(f"Person {i} ({TYPOLOGY[model.pop.typology[i]]})", model, rows,
                         "level (0-1)"))  # fmt: skip
        chart(domain_strip(states, model))
        StoryText(model, i, "", "font-size: 13px; max-height: 320px; overflow-y: auto")


def domain_strip(states, model: DashboardModel) -> dict:
    """The person's basic conditions week by week: green in place, red missing; the weeks
    inside are grey on the top row."""
    inside = (states["phase"] == DETAINED).to_numpy()
    rows = {
        "inside": np.where(inside, "inside", "outside"),
        "valid ID": states["has_id"].to_numpy(dtype=bool),
        "housing": (states["housing"] != NO_HOUSING).to_numpy(),
        "income": (states["income"] != NO_INCOME).to_numpy(),
        "debts in hand": ~states["debt_problem"].to_numpy(dtype=bool),
    }
    cells = [
        {"w0": int(k) - 0.5, "w1": int(k) + 0.5, "row": name,
         "state": str(v) if name == "inside" else ("in place" if v else "missing")}
        for name, values in rows.items()
        for k, v in zip(states["week"], values, strict=True)
    ]  # fmt: skip
    weeks = shown_weeks(model)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": "Week by week: green in place, red missing; grey = inside",
                  "fontSize": 12},
        "width": CHART_WIDTH, "height": 100,
        "data": {"name": "rows", "values": cells},
        "mark": {"type": "rect", "clip": True},
        "encoding": {
            "x": {"field": "w0", "type": "quantitative", "title": X_TITLE,
                  "scale": {"domain": weeks, "nice": False}},
            "x2": {"field": "w1"},
            "y": {"field": "row", "type": "nominal", "sort": list(rows), "title": None},
            "color": {"field": "state", "type": "nominal", "legend": None,
                      "scale": {"domain": ["in place", "missing", "inside", "outside"],
                                "range": ["#5cb85c", "#d9534f", "#999999", "#ffffff"]}},
        },
    }  # fmt: skip


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


SIDE_BY_SIDE = {"share_housing": "housing", "share_income": "income", "share_stable": "stable"}


@solara.component
def SideBySide(model: DashboardModel):
    """The same people under a second preset, on the same seed, kept at the same week."""
    update_counter.get()
    other, set_other = solara.use_state("buddy_antwerp")
    twin = solara.use_memo(lambda: model.twin(other), [model, other])
    twin.catch_up(model.week)
    with solara.Column():
        solara.Select("Compare with", value=other, on_value=set_other, values=list(PRESETS))
        rows = []
        for m in (model, twin):
            w = m.weeks_so_far()
            if w is not None:
                lines = {label: w[c] for c, label in SIDE_BY_SIDE.items()}
                lines["justice contacts (per person)"] = w["justice_contacts"].cumsum() / m.persons
                rows += series(w["week"], lines, preset=m.preset)
        dash = {"field": "preset", "solid": model.preset, "dashed": other}
        chart(line_chart(f"Solid: {model.preset}; dashed: {other}", model, rows, dash=dash))
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


TABS = {
    "Whole class": WholeClass, "One person": PersonStory, "Side by side": SideBySide,
    "About this model": Info,
}  # fmt: skip
"""The dashboard's tabs; only the open one is drawn as the model steps."""


@solara.component
def Views(model: DashboardModel):
    Status(model)
    with solara.lab.Tabs(lazy=True):
        for name, view in TABS.items():
            with solara.lab.Tab(name):
                view(model)


@solara.component
def Page():
    # one model per browser session: built here, not at import. SolaraViz gets the
    # controls; the views are our own, so that the tabs can have names.
    model = solara.use_reactive(solara.use_memo(DashboardModel, []))
    SolaraViz(
        model,
        components=[],
        model_params=model_params(),
        name="Support after release: detention damage and buddies",
        play_interval=150,
    )
    Views(model.value)
