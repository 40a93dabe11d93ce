"""The errors the command line prints as one line (exit status 2), with no traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input: a flag, a value or a file."""


class StoreError(ValueError):
    """A results folder that cannot be used."""


class ExecutorLostError(Exception):
    """The executor failed under the runs (a lost scheduler, no workers left).

    The runs stored so far are kept; the message says how to continue.
    """
