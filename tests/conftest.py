"""Shared fixtures: small runs reused across tests (each run is deterministic)."""

from __future__ import annotations

import functools

import pytest

from model import ReentryModel
from model.parameters import PRISON_SERVICES, SERVICES

# Ample capacity everywhere: queues never bind, so people do not interact through them.
AMPLE = {
    **{f"capacity_{s}": 1000.0 for s in SERVICES},
    **{f"prison_capacity_{s}": 100.0 for s in PRISON_SERVICES},
}


@functools.cache
def cohort(persons: int = 2000, weeks: int = 156, seed: int = 1, **params) -> ReentryModel:
    """A finished cohort run (cached: tests must not mutate it)."""
    return ReentryModel(mode="cohort", persons=persons, weeks=weeks, seed=seed, params=params).run()


@pytest.fixture(scope="session")
def baseline_cohort() -> ReentryModel:
    return cohort()
