"""Who helps whom: the hook through which helpers act on a person's state.

A *provider* (probation supervision here; buddies and professionals in
:mod:`agents`) reports, each week, the people it is attached to and those it
contacts. :class:`Support` merges the providers into per-person arrays that the
rest of the model reads:

* ``grade``: the best help a person has for applications (alone, buddy or
  professional: 000 M14);
* ``has_helper``: someone keeps in touch, a safety net during waits
  (000 l.2009) that also catches escalations early (000 M15).

A proactive contact discovers every current need whether or not the person
asks (000 l.1494-1526; 004 M5) and leads to a referral to the next step the
person can actually take. A contact that was promised but not kept lowers
trust (004 l.5745); a helper who also reports to the justice system costs a
little trust (004 l.8423).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .population import ALONE
from .rng import Purpose

if TYPE_CHECKING:
    from .model import ReentryModel


@dataclass
class Contacts:
    """Contacts one provider makes this week.

    Attributes:
        ids: People contacted.
        grade: Help grade the provider brings (WITH_BUDDY or WITH_PROFESSIONAL).
        relief: Stress taken off per kept contact.
        trust_change: Trust change per kept contact (negative for a dual role).
        keep_probability: Chance a promised contact actually takes place.
    """

    ids: np.ndarray
    grade: int
    relief: float
    trust_change: float
    keep_probability: float


class Provider(Protocol):
    """Anything that attaches helpers to people and contacts them."""

    def attach(self, m: ReentryModel) -> tuple[np.ndarray, int]:
        """People with this kind of helper now, and the help grade it brings."""
        ...

    def contacts(self, m: ReentryModel) -> Contacts:
        """Proactive contacts due this week."""
        ...


class Support:
    """Per-person view of all help, rebuilt every week from the providers."""

    def __init__(self, providers: list[Provider]) -> None:
        self.providers = providers
        self.grade = np.zeros(0, dtype=np.int8)
        self.has_helper = np.zeros(0, dtype=bool)

    def refresh(self, m: ReentryModel) -> None:
        n = m.pop.n
        self.grade = np.full(n, ALONE, dtype=np.int8)
        self.has_helper = np.zeros(n, dtype=bool)
        for provider in self.providers:
            ids, grade = provider.attach(m)
            self.has_helper[ids] = True
            self.grade[ids] = np.maximum(self.grade[ids], grade)

    def due_contacts(self, m: ReentryModel) -> list[Contacts]:
        return [provider.contacts(m) for provider in self.providers]


def kept(m: ReentryModel, c: Contacts, salt: int) -> tuple[np.ndarray, np.ndarray]:
    """Split promised contacts into kept and broken ones."""
    ok = m.crn.bernoulli(c.ids, m.week * 8 + salt, Purpose.CONTACT_KEPT, c.keep_probability)
    return c.ids[ok], c.ids[~ok]
