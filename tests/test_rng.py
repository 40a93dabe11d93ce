"""Keyed random numbers: the basis of common random numbers."""

import numpy as np
import pytest

from model.mechanisms import PURPOSES
from model.rng import KeyedRNG


def test_a_draw_depends_only_on_its_key_not_on_who_else_is_drawn():
    rng = KeyedRNG(7)
    everyone = rng.uniform(np.arange(1000), 5, PURPOSES["offending.OFFENCE"])
    some = np.array([3, 500, 999])
    assert np.array_equal(rng.uniform(some, 5, PURPOSES["offending.OFFENCE"]), everyone[some])


def test_purpose_week_and_seed_each_change_the_stream():
    ids = np.arange(10_000)
    base = KeyedRNG(7).uniform(ids, 5, PURPOSES["offending.OFFENCE"])
    for other in (
        KeyedRNG(7).uniform(ids, 5, PURPOSES["offending.DETECTION"]),
        KeyedRNG(7).uniform(ids, 6, PURPOSES["offending.OFFENCE"]),
        KeyedRNG(8).uniform(ids, 5, PURPOSES["offending.OFFENCE"]),
        KeyedRNG(7).uniform(ids, -5, PURPOSES["offending.OFFENCE"]),
    ):
        assert abs(np.corrcoef(base, other)[0, 1]) < 0.05
        assert not np.array_equal(base, other)


def test_uniforms_are_uniform_and_neighbouring_ids_uncorrelated():
    u = KeyedRNG(1).uniform(np.arange(200_000), 0, PURPOSES["community.ASK_HELP"])
    assert u.min() >= 0 and u.max() < 1
    counts, _ = np.histogram(u, bins=20, range=(0, 1))
    assert counts.min() > 0.95 * 10_000 and counts.max() < 1.05 * 10_000
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01


def test_normal_draws_have_unit_variance():
    z = KeyedRNG(3).normal(np.arange(100_000), 0, PURPOSES["population.TIES"])
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1) < 0.02


def test_negative_seed_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        KeyedRNG(-1)


def test_a_week_per_id_gives_the_same_draws_as_one_call_per_week():
    rng = KeyedRNG(11)
    ids = np.arange(300)
    weeks = np.repeat(np.array([-5, 0, 7]), 100)
    length = PURPOSES["population.DETENTION_LENGTH"]
    by_week = np.concatenate([rng.uniform(ids[weeks == w], int(w), length) for w in (-5, 0, 7)])
    assert np.array_equal(rng.uniform(ids, weeks, length), by_week)
    # and the week matters
    assert not np.array_equal(rng.uniform(ids, 0, length), by_week)


def test_a_kernel_draw_equals_the_vectorised_draw():
    # compiled kernels draw with unit(stream_key(...), person); the rest with KeyedRNG
    from numba import njit

    from model.rng import stream_key, unit

    @njit
    def kernel_draws(seed, week, purpose, people):
        key = stream_key(seed, week, purpose)
        return [unit(key, i) for i in people]

    for seed in (5, 2**40 + 3):
        rng = KeyedRNG(seed)
        people = np.array([0, 1, 17, 123_456, 2**31 + 5])
        for week in (-104, 0, 55):
            vectorised = rng.uniform(people, week, PURPOSES["offending.OFFENCE"])
            drawn = kernel_draws(seed, week, int(PURPOSES["offending.OFFENCE"]), people)
            assert list(drawn) == vectorised.tolist()
