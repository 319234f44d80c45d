"""`axogen generate`: load, plan every target, guard secrets, then write all or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from axogen.commands import Options, load_and_plan
from axogen.console import NORMAL
from axogen.errors import Interrupted
from axogen.generate.write import (
    Action,
    compare,
    finish_folders,
    remove_folders,
    start_folders,
)
from axogen.paths import namer, shown
from axogen.pipeline import paused_gc
from axogen.signals import held, is_interruption, settle, stopped
from axogen.values import format_key_path

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig
    from axogen.generate.fork import Child
    from axogen.generate.plan import Plan, PlannedFile

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
    with paused_gc():
        return _generate(opts, targets, dry_run, on_loaded)


def _generate(
    opts: Options,
    targets: Sequence[str],
    dry_run: bool,
    on_loaded: Callable[[LoadedConfig], None] | None,
) -> int:
    from axogen import pipeline

    out = opts.run.console
    started = time.perf_counter()
    folders_job: Child | None = None
    written = False

    def make_folders_meanwhile(loaded: LoadedConfig, rels: list[str]) -> None:
        # a fresh tree: its folders are made by a second process while the targets render
        # (only now: the render cache's look-ups would queue behind every mkdir)
        nonlocal folders_job
        if not dry_run:
            folders_job = _start_folders(loaded, rels)

    try:
        prepared = load_and_plan(
            opts, targets, guard_secrets=True, on_loaded=on_loaded, on_render=make_folders_meanwhile
        )
        loaded, plan = prepared.loaded, prepared.plan
        for file in plan.files:
            for path, reason in file.unsafe_paths.items():
                where = shown(file.rel_path, loaded.root)
                out.verbose(f"unsafe    {where}: {format_key_path(path)} allowed: {reason}")
        if dry_run:
            decisions = [(file, action) for file, action, _ in compare(plan.files, loaded.root)]
        else:
            folders = finish_folders(folders_job)
            # the writer removes the folders if it fails (removing them twice is harmless:
            # only empty folders this run made are removed)
            outcomes = pipeline.write(prepared, folders, out)
            written = True
            # from here to the exit, a signal changes nothing: it says so
            settle("every file was written")
            folders_job = None
            decisions = [(o.file, o.action) for o in outcomes]
    except BaseException as exc:
        # a second signal must not cut the clean-up short
        with held(drop=is_interruption(exc)):
            made = finish_folders(folders_job, cleanup=True)
            if made is not None:
                remove_folders(made.created)
        outcome = _outcome(exc, written=written, folders_made=made is not None)
        if outcome is not None:
            raise stopped(exc, outcome) from None
        raise
    if dry_run:
        _report(opts, loaded, plan, decisions, dry_run, time.perf_counter() - started)
        return 0
    pipeline.remember_written(prepared, outcomes)
    _report(opts, loaded, plan, decisions, dry_run, time.perf_counter() - started)
    return 0


def _outcome(exc: BaseException, *, written: bool, folders_made: bool) -> str | None:
    """What to say about the files when a signal stopped the run; None: nothing to add
    (not a signal, the writer said it already, or nothing had begun to change)."""
    if not is_interruption(exc) or (isinstance(exc, Interrupted) and exc.detail is not None):
        return None
    if written:
        return "every file was written"
    # folders were being made: they are gone again
    return "nothing was written" if folders_made else None


def _report(
    opts: Options,
    loaded: LoadedConfig,
    plan: Plan,
    decisions: list[tuple[PlannedFile, Action]],
    dry_run: bool,
    seconds: float,
) -> None:
    out = opts.run.console
    if out.level < NORMAL:
        return  # --quiet: every line below is silent
    name = namer(loaded.root)
    lines: list[tuple[str, str, str]] = []
    # an Action hashes in Python: looked up once per run of equal actions, counted by
    # list.count (10,000 lines: 5 ms less)
    last: Action | None = None
    word = color = ""
    shows = False
    for file, action in decisions:
        if action is not last:
            last = action
            word, color = _STYLE[action]
            if dry_run:
                word = _DRY[action]
            shows = action is not Action.UNCHANGED or opts.verbose
        if shows:
            lines.append((word, f"{name(file.rel_path)} ({file.name})", color))
    if opts.verbose:
        for skipped in plan.skipped:
            skipped_path = shown(loaded.config.targets[skipped].path, loaded.root)
            lines.append(("skipped", f"{skipped_path} ({skipped}: condition is false)", "2"))
    out.statuses(lines)

    actions = [action for _, action in decisions]
    updated = actions.count(Action.UPDATED) + actions.count(Action.MODE)
    parts = [
        f"{actions.count(Action.CREATED)} created",
        f"{updated} updated",
        f"{actions.count(Action.UNCHANGED)} unchanged",
    ]
    if plan.skipped:
        parts.append(f"{len(plan.skipped)} skipped")
    prefix = "dry run, nothing written: " if dry_run else ""
    out.out(f"{prefix}{', '.join(parts)} ({seconds:.2f}s)")


def _start_folders(loaded: LoadedConfig, rels: list[str]) -> Child | None:
    """Make the targets' folders in a second process, when a sample says many are missing."""
    sample = rels[:: max(1, len(rels) // 8)]
    if all((loaded.root / p).parent.is_dir() for p in sample):
        return None  # the tree is there already: the writer makes the odd missing folder
    return start_folders(rels, loaded.root)
