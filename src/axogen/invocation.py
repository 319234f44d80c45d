"""Moved to `axogen.usercommands.project`; re-exported until its importers move."""

from axogen.usercommands.project import Project

__all__ = ["Project"]
