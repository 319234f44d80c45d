"""`axogen list`: the targets and commands a config defines."""

from __future__ import annotations

from typing import Any

from axogen import console
from axogen.commands import Options
from axogen.config.loader import load_config, locate


def run_list(opts: Options) -> int:
    out = console.get()
    loaded = load_config(locate(opts.config_file, opts.directory))
    config = loaded.config
    lines = ["targets:"]
    if not config.targets:
        lines.append("  (none)")
    width = max((len(n) for n in config.targets), default=0)
    for name, target in config.targets.items():
        note = "" if target.condition else "  (skipped: condition is false)"
        lines.append(f"  {name:<{width}}  {target.format:<5} {target.path}{note}")
    lines.append("commands:")
    if not config.commands:
        lines.append("  (none)")
    width = max((len(n) for n in config.commands), default=0)
    for name, command in config.commands.items():
        lines.append(f"  {name:<{width}}  {_describe(command)}".rstrip())
    out.data("\n".join(lines))
    return 0


def _describe(command: Any) -> str:
    if isinstance(command, str):
        return command
    help_text = getattr(command, "help", None)
    if isinstance(help_text, str) and help_text:
        return help_text.strip().splitlines()[0]
    return ""
