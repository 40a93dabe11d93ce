"""The reentry model: clock, population state, services and queues, outcomes."""

from .parameters import ParameterError, Parameters

__all__ = ["ParameterError", "Parameters", "ReentryModel"]


def __getattr__(name: str):
    # ReentryModel pulls in Mesa and the compiled kernels (seconds of start-up), so it
    # is imported on first use: reading parameters or scenarios stays instant
    if name == "ReentryModel":
        from .model import ReentryModel

        return ReentryModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
