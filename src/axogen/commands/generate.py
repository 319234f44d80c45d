"""`axogen generate`: load, plan every target, then write them all or nothing."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from axogen import console
from axogen.commands import Options
from axogen.config.loader import load_config, locate
from axogen.generate.plan import plan_targets, select_targets
from axogen.generate.write import Action, compare, write_plan

_STYLE = {
    Action.CREATED: ("created", "32"),
    Action.UPDATED: ("updated", "33"),
    Action.MODE: ("mode", "33"),
    Action.UNCHANGED: ("unchanged", "2"),
}
_DRY = {
    Action.CREATED: "would create",
    Action.UPDATED: "would update",
    Action.MODE: "would chmod",
    Action.UNCHANGED: "unchanged",
}


def run_generate(opts: Options, *, targets: Sequence[str] = (), dry_run: bool = False) -> int:
    out = console.get()
    started = time.perf_counter()
    loaded = load_config(locate(opts.config_file, opts.directory))
    config_name = os.path.relpath(loaded.file, loaded.root)
    names = select_targets(loaded.config, targets)
    out.verbose(f"config {loaded.file} loaded in {time.perf_counter() - started:.3f}s")
    plan = plan_targets(loaded.config, loaded.root, names, config_name)
    out.verbose(f"{len(plan.files)} targets rendered in {time.perf_counter() - started:.3f}s")
    if dry_run:
        decisions = [(file, action) for file, action, _ in compare(plan.files, loaded.root)]
    else:
        decisions = [(o.file, o.action) for o in write_plan(plan.files, loaded.root)]

    counts: dict[Action, int] = dict.fromkeys(Action, 0)
    for file, action in decisions:
        counts[action] += 1
        word, color = _STYLE[action]
        if dry_run:
            word = _DRY[action]
        line = f"{file.rel_path} ({file.name})"
        if action is Action.UNCHANGED:
            if opts.verbose:
                out.status(word, line, color)
        else:
            out.status(word, line, color)
    for name in plan.skipped:
        if opts.verbose:
            out.status(
                "skipped", f"{loaded.config.targets[name].path} ({name}: condition is false)", "2"
            )

    parts = [
        f"{counts[Action.CREATED]} created",
        f"{counts[Action.UPDATED] + counts[Action.MODE]} updated",
        f"{counts[Action.UNCHANGED]} unchanged",
    ]
    if plan.skipped:
        parts.append(f"{len(plan.skipped)} skipped")
    prefix = "dry run, nothing written: " if dry_run else ""
    out.out(f"{prefix}{', '.join(parts)} ({time.perf_counter() - started:.2f}s)")
    return 0
