"""`axogen run`: list the config's commands, or run one (the tree is `axogen.usercommands`)."""

from __future__ import annotations

from axogen import console
from axogen.commands import Options

# `axogen.cli` declares `run` with this group: its members are the config's commands
from axogen.usercommands.click_tree import RunGroup as RunGroup


def run_list_commands(opts: Options) -> int:
    """`axogen run` alone: the whole command tree with help texts."""
    from axogen.commands.list import note_env_issues
    from axogen.usercommands.click_tree import listing
    from axogen.usercommands.project import load_project

    project = load_project(opts, inspect=True)
    name = project.loaded.file.name
    note_env_issues(project.loaded)
    if not project.commands:
        console.get().data(
            f"{name} defines no commands\n  hint: add commands={{...}} to ax.define_config(...)"
        )
        return 0
    console.get().data(f"commands in {name} (axogen run NAME --help):\n" + listing(project))
    return 0
