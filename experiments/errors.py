"""The errors a user can cause; the command line prints each as one line, exit 2."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input: a flag, a value or a file."""


class StoreError(ValueError):
    """A results folder that cannot be used."""
