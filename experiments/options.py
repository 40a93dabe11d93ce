"""Argument types and option groups that several ``reentry`` commands share.

Every type turns a bad value into a one-line error naming the flag and what it allows
(argparse reports it through the command line's parser, with exit status 2).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from model.limits import (
    DEFAULT_WARMUP_WEEKS,
    MAX_PERSONS,
    MAX_SEED,
    MAX_WARMUP_WEEKS,
    MAX_WEEKS,
    MODES,
)

from .executors import DASK_TIMEOUT, EXECUTORS, default_workers


def integer(name: str, lo: int, hi: int, unit: str = ""):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer, got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{name} must be in [{lo}, {hi}]{unit}, got {value}")
        return value

    return parse


def seed_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--seed must be a non-negative integer, got {text!r}"
        ) from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"--seed must be a non-negative integer up to 2**62, got {value}"
        )
    return value


def number(name: str, hi: float, unit: str = "", zero: bool = False):
    """A number in (0, hi], or [0, hi] when ``zero`` is allowed; nan and inf are refused."""
    shown = f"{'[' if zero else '('}0, {hi:g}]{unit}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, got {text!r}") from None
        if not (value >= 0 if zero else value > 0) or not value <= hi:  # False for nan
            raise argparse.ArgumentTypeError(f"{name} must be in {shown}, got {text}")
        return value

    return parse


def scheduler(text: str) -> str:
    """'local', or tcp://HOST:PORT with a port in 1-65535."""
    if text == "local":
        return text
    host, _, port = text.removeprefix("tcp://").rpartition(":")
    if not text.startswith("tcp://") or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(
            f"--scheduler must be 'local' or tcp://HOST:PORT with a port in 1-65535, got {text!r}"
        )
    return text


def assignment(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--set takes NAME=VALUE, got {text!r}")
    key, raw = text.split("=", 1)
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word such as fcfs
    return key.strip(), value


def add_size_options(p: argparse.ArgumentParser, mode: str) -> None:
    p.add_argument(
        "--mode",
        choices=MODES,
        default=mode,
        help=f"flow: a steady stream of entries in steady state, for policy (calibrated); "
        f"cohort: N people released over 26 weeks, for teaching (default: {mode})",
    )
    p.add_argument(
        "--persons",
        type=integer("--persons", 1, MAX_PERSONS),
        default=2000,
        metavar="N",
        help="cohort size, or in flow mode the expected entries over the measured weeks "
        "(default: 2000)",
    )
    p.add_argument(
        "--weeks",
        type=integer("--weeks", 1, MAX_WEEKS),
        default=156,
        metavar="W",
        help="weeks measured: from the first release (cohort) or after the warm-up (flow) "
        "(default: 156)",
    )
    p.add_argument(
        "--warmup",
        type=integer("--warmup", 0, MAX_WARMUP_WEEKS, " weeks"),
        metavar="WEEKS",
        help="flow mode: weeks simulated before the measured weeks and left out of every "
        f"outcome (default: {DEFAULT_WARMUP_WEEKS}; a cohort has none)",
    )
    p.add_argument(
        "--seed", type=seed_number, default=1, metavar="S", help="random seed (default: 1)"
    )


def add_design_overrides(p: argparse.ArgumentParser) -> None:
    """Flags that override the design file's size, warm-up, seed and replications."""
    p.add_argument(
        "--persons",
        type=integer("--persons", 1, MAX_PERSONS),
        metavar="N",
        help="override the design's persons (cohort size, or flow entries)",
    )
    p.add_argument(
        "--weeks",
        type=integer("--weeks", 1, MAX_WEEKS),
        metavar="W",
        help="override the design's measured weeks",
    )
    p.add_argument(
        "--warmup",
        type=integer("--warmup", 0, MAX_WARMUP_WEEKS, " weeks"),
        metavar="WEEKS",
        help="override the design's warm-up (flow mode)",
    )
    p.add_argument(
        "--replications",
        type=integer("--replications", 1, 10_000),
        metavar="R",
        help="override the design's replications per point",
    )
    p.add_argument("--seed", type=seed_number, metavar="S", help="override the design's first seed")


def add_set(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--set",
        type=assignment,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"override one parameter on top of {what} (repeatable); see 'reentry params'",
    )


def add_workers(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers",
        type=integer("--workers", 1, 4096),
        default=default_workers(),
        metavar="K",
        help=f"parallel workers (default: all {default_workers()} cores)",
    )


def add_execution_options(p: argparse.ArgumentParser, default_out: str) -> None:
    p.add_argument(
        "--out",
        type=Path,
        default=Path(default_out),
        metavar="DIR",
        help=f"results folder (default: {default_out})",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted experiment in --out, skipping the runs already stored",
    )
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="process",
        help="serial, a local process pool, or Dask (default: process)",
    )
    add_workers(p)
    p.add_argument(
        "--scheduler",
        type=scheduler,
        metavar="local|tcp://HOST:PORT",
        help="run on Dask: 'local' starts a LocalCluster, tcp://HOST:PORT uses an existing "
        "cluster (implies --executor dask)",
    )
    p.add_argument(
        "--dask-timeout",
        type=number("--dask-timeout", 86_400, " seconds"),
        default=DASK_TIMEOUT,
        metavar="SECONDS",
        help="Dask: how long to wait for the scheduler to answer, or for a worker when the "
        "cluster has none left, before stopping with the stored runs kept "
        f"(default: {DASK_TIMEOUT:g})",
    )
    p.add_argument(
        "--chunk-size",
        type=integer("--chunk-size", 1, 100_000),
        default=25,
        metavar="N",
        help="runs per Parquet chunk; a crash loses at most the runs not yet in a chunk "
        "(default: 25)",
    )
    p.add_argument(
        "--no-progress", dest="progress", action="store_false", help="hide the progress bar"
    )


def with_scheduler(command):
    """--scheduler implies the Dask executor."""

    def run(args: argparse.Namespace) -> None:
        if args.scheduler:
            args.executor = "dask"
        command(args)

    return run


def loading(show: bool) -> None:
    """Say what the first seconds are for (Mesa, pandas and the model load); the progress
    bar then writes over the line."""
    if show:
        print("Loading the model and its analysis...", end="\r", file=sys.stderr, flush=True)
