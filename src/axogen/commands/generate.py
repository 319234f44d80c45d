"""`axogen generate`: load, plan every target, guard secrets, then write all or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from axogen import console
from axogen.commands import Options, finding_rows, load_and_plan
from axogen.generate.write import Action, compare, write_plan
from axogen.values import format_key_path

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig

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


def run_generate(
    opts: Options,
    *,
    targets: Sequence[str] = (),
    dry_run: bool = False,
    on_loaded: Callable[[LoadedConfig], None] | None = None,
) -> int:
    """Generate; `on_loaded` sees the config as soon as it has run, even if a later step fails."""
    from axogen.secrets.guard import guard, warn_unignored_env_files

    out = console.get()
    started = time.perf_counter()
    loaded, plan, cache = load_and_plan(opts, targets, on_loaded=on_loaded)
    warn_unignored_env_files(loaded)
    guard(plan.files, loaded.root)
    for file in plan.files:
        for path, reason in file.unsafe_paths.items():
            out.verbose(f"unsafe    {file.rel_path}: {format_key_path(path)} allowed: {reason}")
    if dry_run:
        decisions = [(file, action) for file, action, _ in compare(plan.files, loaded.root)]
    else:
        decisions = [(o.file, o.action) for o in write_plan(plan.files, loaded.root)]
        for file, _ in decisions:
            if file.content is not None:
                cache.record(file.name, file.fingerprint, file.path, finding_rows(file))
        cache.save()

    counts: dict[Action, int] = dict.fromkeys(Action, 0)
    for file, action in decisions:
        counts[action] += 1
        word, color = _STYLE[action]
        if dry_run:
            word = _DRY[action]
        line = f"{file.rel_path} ({file.name})"
        if action is not Action.UNCHANGED or opts.verbose:
            out.status(word, line, color)
    if opts.verbose:
        for name in plan.skipped:
            skipped_path = loaded.config.targets[name].path
            out.status("skipped", f"{skipped_path} ({name}: condition is false)", "2")

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
