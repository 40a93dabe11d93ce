"""Mesa agents: the person (now), buddy and professional (with the buddy programme)."""

from .person import Person

__all__ = ["Person"]
