"""Mesa agents: the person after detention, the volunteer buddy and the professional."""

from .buddy import Buddy
from .person import Person
from .professional import Professional

__all__ = ["Buddy", "Person", "Professional"]
