"""`axogen list`: the targets and commands a config defines."""

from __future__ import annotations

from axogen import console
from axogen.commands import Options
from axogen.config.loader import load_config, locate
from axogen.invocation import Project
from axogen.runner import describe_commands


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
    # groups are followed by their members ("db migrate"); secrets in shell strings are masked
    rows = describe_commands(config.commands)
    project = Project.of(loaded)
    width = max((len(path) for path, _ in rows), default=0)
    for path, description in rows:
        lines.append(f"  {path:<{width}}  {project.mask(description)}".rstrip())
    out.data("\n".join(lines))
    return 0
