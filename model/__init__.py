"""The reentry model: clock, population state, services and queues, outcomes."""

from .model import ReentryModel
from .parameters import ParameterError, Parameters

__all__ = ["ParameterError", "Parameters", "ReentryModel"]
