"""Shared fixtures: small runs reused across tests (each run is deterministic)."""

from __future__ import annotations

import functools

import pytest

from model import ReentryModel
from model.compile import compile_kernels
from model.parameters import PRISON_SERVICES, SERVICES

# Ample capacity everywhere: queues never bind, so people do not interact through them.
AMPLE = {
    **{f"capacity_{s}": 1000.0 for s in SERVICES},
    **{f"prison_capacity_{s}": 100.0 for s in PRISON_SERVICES},
}


def pytest_configure(config: pytest.Config) -> None:
    # The controlling process compiles the kernels before the xdist workers and the
    # CLI processes that tests start need them; otherwise each compiles its own copy.
    if not hasattr(config, "workerinput"):
        compile_kernels()


@functools.cache
def cohort(persons: int = 2000, weeks: int = 156, seed: int = 1, **params) -> ReentryModel:
    """A finished cohort run (cached: tests must not mutate it)."""
    return ReentryModel(mode="cohort", persons=persons, weeks=weeks, seed=seed, params=params).run()


@pytest.fixture(scope="session")
def baseline_cohort() -> ReentryModel:
    return cohort()
