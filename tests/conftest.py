"""Shared fixtures: small runs reused across tests (each run is deterministic)."""

from __future__ import annotations

import functools

import pytest

from model import ReentryModel

# Ample capacity everywhere: queues never bind, so people do not interact through them.
AMPLE = {
    **{
        f"capacity_{s}": 1000.0
        for s in (
            "id_office",
            "shelter",
            "benefit_office",
            "addiction_care",
            "mental_health_care",
            "debt_counselling",
            "housing",
            "employment_support",
        )
    },
    **{
        f"prison_capacity_{s}": 100.0
        for s in ("caw_support", "prison_mh_therapy", "vocational_training")
    },
}


@functools.cache
def cohort(persons: int = 2000, weeks: int = 156, seed: int = 1, **params) -> ReentryModel:
    """A finished cohort run (cached: tests must not mutate it)."""
    return ReentryModel(mode="cohort", persons=persons, weeks=weeks, seed=seed, params=params).run()


@pytest.fixture(scope="session")
def baseline_cohort() -> ReentryModel:
    return cohort()
