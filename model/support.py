"""Who helps whom: the hook through which helpers act on a person's state.

A *provider* (probation supervision here; buddies and professionals in
:mod:`agents`) reports, each week, the people it is attached to and those it
contacts. :class:`Support` merges the providers into per-person arrays that the
rest of the model reads:

* ``grade``: the best help a person has for applications (alone, buddy or
  professional: BrugBinnenBuiten2023 §3.3.2, §4.4.5);
* ``has_helper``: someone keeps in touch, a safety net during waits
  (BrugBinnenBuiten2023 §4.2.4) that also catches escalations early
  (BrugBinnenBuiten2023 §3.3.1.2, §4.2.2).

A proactive contact discovers every current need whether or not the person
asks (BrugBinnenBuiten2023 §3.3.1.1; Leiden2024 §4.6, §6.1.1) and leads to a
referral to the next step the person can actually take. A contact that was
promised but not kept lowers trust (Leiden2024 §4.6); a helper who also reports
to the justice system costs a little trust (Leiden2024 §7.4.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .bundles import KeepsBundles
from .declare import param
from .population import ALONE

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass(frozen=True)
class SupportParameters:
    """What every helper's contact does: kept or missed, and catching escalations early."""

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


@dataclass
class Contacts:
    """Contacts one provider promises this week (arrays align with ``ids``).

    Attributes:
        ids: People to be contacted.
        grade: Help grade the provider brings (WITH_BUDDY or WITH_PROFESSIONAL).
        relief: Stress taken off per kept contact.
        trust_change: Trust change per kept contact (negative for a dual role or a
            rushed, box-ticking contact).
        keep_probability: Chance each promised contact actually takes place.
    """

    ids: np.ndarray
    grade: int
    relief: np.ndarray | float
    trust_change: np.ndarray | float
    keep_probability: np.ndarray | float

    def per_person(self) -> Contacts:
        """The same contacts with every field as an array aligned with ``ids``."""
        n = len(self.ids)

        def column(v: np.ndarray | float) -> np.ndarray:
            return np.full(n, v, dtype=float) if np.ndim(v) == 0 else np.asarray(v, dtype=float)

        return Contacts(
            self.ids,
            self.grade,
            column(self.relief),
            column(self.trust_change),
            column(self.keep_probability),
        )


class Provider(Protocol):
    """Anything that attaches helpers to people and contacts them."""

    def step(self, m: ReentryModel) -> None:
        """Update who is attached: intake, matching, endings, the helpers' own state."""
        ...

    def attach(self, m: ReentryModel) -> tuple[np.ndarray, int]:
        """Released people with this kind of helper now, and the help grade it brings."""
        ...

    def contacts(self, m: ReentryModel) -> Contacts:
        """Contacts due this week."""
        ...

    def contacted(self, m: ReentryModel, ids: np.ndarray) -> None:
        """Told which promised contacts took place (for workload and signalling)."""
        ...

    def weekly_stats(self) -> dict[str, float]:
        """Figures for this week's row of the weekly table."""
        ...

    def on_release(self, m: ReentryModel, ids: np.ndarray) -> None:
        """The day people ``ids`` are released: what this provider does for them then."""
        ...

    def on_detention(self, m: ReentryModel, ids: np.ndarray) -> None:
        """People ``ids`` enter detention (again) this week."""
        ...

    def start_measuring(self) -> None:
        """The warm-up is over: counters of what the provider did start again."""
        ...


class Helper:
    """A provider's defaults: nothing to update, no counters, nothing on release day.

    A new kind of helper subclasses it and writes only ``attach`` and ``contacts``, and
    whichever hooks it needs (see :class:`Provider`).
    """

    def step(self, m: ReentryModel) -> None:
        """Nothing to update each week."""

    def contacted(self, m: ReentryModel, ids: np.ndarray) -> None:
        """No workload counted per contact."""

    def weekly_stats(self) -> dict[str, float]:
        return {}

    def on_release(self, m: ReentryModel, ids: np.ndarray) -> None:
        """Nothing to do on release day."""

    def on_detention(self, m: ReentryModel, ids: np.ndarray) -> None:
        """Nothing to do when a person is detained; a trajectory that must end on
        re-detention can also see it in the person's release week."""

    def start_measuring(self) -> None:
        """No counters to restart."""


class Support(KeepsBundles):
    """Per-person view of all help, rebuilt every week from the providers."""

    def __init__(self, providers: list[Provider]) -> None:
        self.providers = providers
        self.grade = np.zeros(0, dtype=np.int8)
        self.has_helper = np.zeros(0, dtype=bool)

    def step(self, m: ReentryModel) -> None:
        for provider in self.providers:
            provider.step(m)

    def refresh(self, m: ReentryModel) -> None:
        n = m.pop.n
        self.grade = np.full(n, ALONE, dtype=np.int8)
        self.has_helper = np.zeros(n, dtype=bool)
        for provider in self.providers:
            ids, grade = provider.attach(m)
            self.has_helper[ids] = True
            self.grade[ids] = np.maximum(self.grade[ids], grade)

    def weekly_stats(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for provider in self.providers:
            out.update(provider.weekly_stats())
        return out

    def on_release(self, m: ReentryModel, ids: np.ndarray) -> None:
        for provider in self.providers:
            provider.on_release(m, ids)

    def on_detention(self, m: ReentryModel, ids: np.ndarray) -> None:
        for provider in self.providers:
            provider.on_detention(m, ids)

    def start_measuring(self) -> None:
        for provider in self.providers:
            provider.start_measuring()
