"""Moved to `axogen.usercommands.model`; re-exported until its importers move."""

from axogen.usercommands.model import (
    CommandContext,
    arg,
    cmd,
    describe_commands,
    group,
    option,
    parallel,
)

__all__ = ["CommandContext", "arg", "cmd", "describe_commands", "group", "option", "parallel"]
