"""Moved to `axogen.usercommands.session`; re-exported until its importers move."""

from axogen.usercommands.session import exec, live_exec

__all__ = ["exec", "live_exec"]
