"""Keyed random numbers for common random numbers (CRN).

Every draw that concerns a person is a pure function of
``(seed, person id, week, purpose)``: a counter-based generator built on the
SplitMix64 finaliser, compiled with numba. Two consequences matter for users:

* Two scenarios run with the same seed differ only where the policy makes them
  differ, so paired scenario differences have far less noise.
* Results do not depend on execution order, process count or executor.

No global ``random`` or ``np.random`` state is ever used.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from scipy.special import ndtri, pdtr, pdtrik

from .limits import MAX_SEED

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = (np.uint64(k) for k in (30, 27, 31, 11))
_TO_UNIT = 2.0**-53
# Weeks may be negative (the cohort's detention phase runs before release at week 0).
_WEEK_OFFSET = 1 << 20


@njit(cache=True, inline="always")
def mix64(x: np.uint64) -> np.uint64:
    """SplitMix64 finaliser: a bijective, well-avalanched 64-bit mix."""
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


@njit(cache=True, inline="always")
def unit(key: np.uint64, person: int) -> float:
    """The uniform [0, 1) draw of one person in the stream ``key``.

    A Weyl sequence over person ids, then one finalising mix. Compiled kernels
    call this directly, so a person's draw is the same whichever code path asks.
    """
    # uint64 throughout: a signed key would promote the sum to float
    return float(mix64(np.uint64(person) * _GOLDEN + np.uint64(key)) >> _S11) * _TO_UNIT


@njit(cache=True, inline="always")
def stream_key(seed: int, week: int, purpose: int) -> np.uint64:
    """One 64-bit stream key per (seed, week, purpose), mixed twice so nearby
    inputs give unrelated keys."""
    k = mix64(np.uint64(seed) ^ (np.uint64(purpose) << np.uint64(48)))
    return mix64(k ^ np.uint64(week + _WEEK_OFFSET))


@njit(cache=True)
def _uniforms_by_week(ids: np.ndarray, seed: int, weeks: np.ndarray, purpose: int) -> np.ndarray:
    out = np.empty(ids.shape[0])
    for i in range(ids.shape[0]):
        out[i] = unit(stream_key(seed, weeks[i], purpose), ids[i])
    return out


@njit(cache=True)
def _uniforms(ids: np.ndarray, seed: int, week: int, purpose: int) -> np.ndarray:
    key = stream_key(seed, week, purpose)
    out = np.empty(ids.shape[0])
    for i in range(ids.shape[0]):
        out[i] = unit(key, ids[i])
    return out


class KeyedRNG:
    """Counter-based uniform and derived draws keyed by person, week and purpose.

    Args:
        seed: The run's seed, an integer in [0, 2**62].
    """

    def __init__(self, seed: int) -> None:
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be a non-negative integer up to 2**62, got {seed}")
        self.seed = int(seed)

    def uniform(self, ids: np.ndarray, week: int | np.ndarray, purpose: int) -> np.ndarray:
        """Uniform [0, 1) draws, one per id, the same whoever else is drawn."""
        if isinstance(week, np.ndarray):  # a week per id
            return _uniforms_by_week(ids, self.seed, week, int(purpose))
        return _uniforms(ids, self.seed, week, int(purpose))

    def bernoulli(self, ids: np.ndarray, week: int, purpose: int, p) -> np.ndarray:
        """True with probability ``p`` (scalar or per-id array)."""
        return self.uniform(ids, week, purpose) < p

    def normal(self, ids: np.ndarray, week: int, purpose: int) -> np.ndarray:
        """Standard normal draws (inverse-CDF, so one uniform per id)."""
        u = self.uniform(ids, week, purpose)
        return ndtri(np.clip(u, 1e-12, 1 - 1e-12))

    def poisson(self, mean: float, first: int, weeks: int, purpose: int) -> np.ndarray:
        """One Poisson count per week first..first+weeks-1 (arrivals), each keyed by its
        week only."""
        u = self.uniform(np.zeros(weeks, dtype=np.int64), np.arange(first, first + weeks), purpose)
        if mean <= 0:
            return np.zeros(weeks, dtype=np.int64)
        # the inverse CDF as scipy.stats.poisson.ppf computes it, without importing
        # scipy.stats (a second of start-up for every process)
        count = np.ceil(pdtrik(u, mean))
        below = np.maximum(count - 1, 0)
        return np.where(pdtr(below, mean) >= u, below, count).astype(np.int64)
