"""Run limits: sizes and seeds checked in one place, and memory checked before allocating."""

from __future__ import annotations

import pytest

from model import limits
from model.parameters import ParameterError

GB = 2**30


@pytest.fixture
def container(monkeypatch, tmp_path):
    """A fake cgroup v2 folder and a machine with plenty of memory; returns a setter."""
    (tmp_path / "meminfo").write_text("MemAvailable:   99999999999 kB\n")
    monkeypatch.setattr(limits, "MEMINFO", tmp_path / "meminfo")
    monkeypatch.setattr(limits, "CGROUP", tmp_path)

    def set_free(free: float) -> None:
        (tmp_path / "memory.max").write_text(f"{int(4 * GB)}\n")
        (tmp_path / "memory.current").write_text(f"{int(4 * GB - free)}\n")

    return set_free


def test_the_estimate_grows_with_people_and_weeks():
    for mode in limits.MODES:
        small = limits.memory_needed(mode, 10_000, 156)
        assert limits.memory_needed(mode, 20_000, 156) == pytest.approx(2 * small, rel=1e-6)
        assert limits.memory_needed(mode, 10_000, 520) > small


def test_a_container_limit_below_the_need_refuses_the_run(container):
    container(1 * GB)
    fits = int(0.9 * GB / limits.memory_needed("cohort", 1, 156))
    limits.check_memory("cohort", fits, 156)  # no error
    with pytest.raises(
        ParameterError, match=r"needs about 1\.8 GB of memory, but 1\.0 GB is left under the"
    ):
        limits.check_memory("cohort", 2 * fits, 156)


def test_workers_at_once_need_memory_each(container):
    container(3 * GB)
    persons = int(1 * GB / limits.memory_needed("flow", 1, 156))
    limits.check_memory("flow", persons, 156, workers=2)  # 2 x (1 + 0.3) GB fits in 3
    with pytest.raises(ParameterError, match=r"with 4 workers at once.*or workers"):
        limits.check_memory("flow", persons, 156, workers=4)


def test_without_a_limit_a_machine_with_room_refuses_nothing(container):
    # the fake cgroup folder has no memory.max until the test sets one
    limits.check_memory("cohort", limits.MAX_PERSONS, limits.MAX_WEEKS, workers=64)


def test_the_model_refuses_before_it_allocates(container):
    from model import ReentryModel

    container(0.1 * GB)
    with pytest.raises(ParameterError, match="left under the container's memory limit"):
        ReentryModel(mode="cohort", persons=1_000_000, weeks=156)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stream", 10, 10, 1), "mode must be one of cohort, flow"),
        (("flow", 0, 10, 1), "persons must be an integer in [1, 10000000]"),
        (("flow", 10, 2081, 1), "weeks must be an integer in [1, 2080]"),
        (("flow", 10.0, 10, 1), "persons must be an integer"),
        (("flow", True, 10, 1), "persons must be an integer"),
        (("flow", 10, 10, -1), "seed must be a non-negative integer up to 2**62"),
        (("flow", 10, 10, 2**62 + 1), "seed must be a non-negative integer up to 2**62"),
    ],
)
def test_run_settings_out_of_range_are_named(args, message):
    with pytest.raises(ParameterError) as err:
        limits.check_run(*args)
    assert message in str(err.value)
