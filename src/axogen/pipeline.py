"""One generate run, stage by stage: load → select → plan → guard → write (DESIGN §4).

Each stage is a function here; `generate`, `generate --dry-run`, `check`, `diff` and
`watch` (which runs generate again and again) call them in this order and stop where they
need. Nothing here prints: stages return values, and tell their progress and notes to the
`events` their caller passes (the console, at the CLI). The report of what happened is the
caller's too.

A run that fails says everything at once: every target that could not render, and every
secret the guard refused in the targets that did (`fail_on`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from axogen.events import QUIET, Events

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig
    from axogen.generate.cache import RenderCache
    from axogen.generate.plan import Plan, PlannedFile
    from axogen.generate.write import Folders, Outcome
    from axogen.runcontext import Run
    from axogen.secrets.guard import SecretCheck


class Prepared(NamedTuple):
    """A run planned (and, for generate, guarded): all that writing or comparing needs."""

    loaded: LoadedConfig
    plan: Plan
    cache: RenderCache
    warnings: tuple[str, ...] = ()


def load(
    config_file: str | None,
    directory: str | None,
    events: Events = QUIET,
    *,
    run: Run | None = None,
) -> LoadedConfig:
    """Stage 1: find and run the config, inside `run` (by default the run in progress)."""
    from axogen.config.loader import load_config, locate

    started = time.perf_counter()
    loaded = load_config(locate(config_file, directory), run)
    events.verbose(f"config {loaded.file} ran in {time.perf_counter() - started:.3f}s")
    return loaded


def select(loaded: LoadedConfig, patterns: Sequence[str] = ()) -> list[str]:
    """Stage 2: the names of the targets asked for (names or globs), all when none are."""
    from axogen.generate.plan import select_targets

    return select_targets(loaded.config, patterns)


def plan(
    loaded: LoadedConfig,
    names: Sequence[str],
    events: Events = QUIET,
    *,
    on_render: Callable[[list[str]], None] | None = None,
    run: Run | None = None,
) -> tuple[Plan, RenderCache]:
    """Stage 3 (pure but for the render cache's look-ups): render the selected targets.

    Targets that fail are in `Plan.failures`; the secrets of every planned file go to the
    masker of `run` (by default the run in progress), so that no line printed from now on
    shows one.
    """
    from axogen.generate.cache import RenderCache
    from axogen.generate.plan import plan_targets
    from axogen.runcontext import current

    started = time.perf_counter()
    formats = {target.format for target in loaded.config.targets.values()}
    cache = RenderCache.open(loaded.root, loaded.file, formats)
    planned = plan_targets(
        loaded.config,
        loaded.root,
        names,
        loaded.file.name,
        cache=cache,
        on_render=on_render,
        inputs=_inputs(loaded),
        declared=declared_secrets(loaded),
        events=events,
    )
    masker = (run if run is not None else current()).masker
    for file in planned.files:
        for value in file.secret_values:  # declared and detected: never printed
            masker.add(value)
    rendered = sum(1 for f in planned.files if f.content is not None)
    events.verbose(
        f"{len(planned.files)} targets planned ({rendered} rendered, "
        f"{len(planned.files) - rendered} known unchanged) in {time.perf_counter() - started:.3f}s"
    )
    return planned, cache


def guard(loaded: LoadedConfig, planned: Plan, events: Events = QUIET) -> SecretCheck:
    """Stage 4: may each secret go where it is bound? One git process for the whole run."""
    from axogen.secrets.guard import check_secrets

    started = time.perf_counter()
    check = check_secrets(loaded, planned.files)
    events.verbose(
        f"secret guard checked {len(planned.files)} files in {time.perf_counter() - started:.3f}s"
    )
    return check


def fail_on(planned: Plan, check: SecretCheck | None = None) -> None:
    """Raise one report of every render failure and every refused secret, if there is any."""
    from axogen.errors import GenerateError

    leak = None if check is None else check.refusal
    if planned.failures:
        raise GenerateError(list(planned.failures), leak=leak)
    if leak is not None:
        raise leak


def prepare(
    config_file: str | None,
    directory: str | None,
    patterns: Sequence[str] = (),
    events: Events = QUIET,
    *,
    guard_secrets: bool = False,
    on_loaded: Callable[[LoadedConfig], None] | None = None,
    on_render: Callable[[LoadedConfig, list[str]], None] | None = None,
    run: Run | None = None,
) -> Prepared:
    """Stages 1-4 in order, failing with the whole report; `guard_secrets` for a run that
    writes (or says what it would write). `run` is the run they belong to (by default the
    run in progress).

    `on_loaded` sees the config as soon as it has run, even if a later stage fails;
    `on_render` the relative paths of the targets about to render (those the render cache
    cannot vouch for).
    """
    with paused_gc():
        loaded = load(config_file, directory, events, run=run)
        if on_loaded is not None:
            on_loaded(loaded)
        names = select(loaded, patterns)
        render_hook = None if on_render is None else (lambda rels: on_render(loaded, rels))
        planned, cache = plan(loaded, names, events, on_render=render_hook, run=run)
        check = guard(loaded, planned, events) if guard_secrets else None
        fail_on(planned, check)
        return Prepared(loaded, planned, cache, () if check is None else check.warnings)


def write(
    prepared: Prepared, folders: Folders | None = None, events: Events = QUIET
) -> list[Outcome]:
    """Stage 5: write every changed file, all or nothing (see `write_plan`)."""
    from axogen.generate.write import write_plan

    started = time.perf_counter()
    outcomes = write_plan(prepared.plan.files, prepared.loaded.root, folders, events)
    events.verbose(f"written in {time.perf_counter() - started:.3f}s")
    return outcomes


def remember_written(prepared: Prepared, outcomes: Sequence[Outcome]) -> None:
    """After the write: the render cache learns what each rendered target wrote."""
    cache = prepared.cache
    if cache.file is None:
        return  # no cache file (AXOGEN_NO_CACHE): nothing to remember
    record = cache.record
    for o in outcomes:
        file = o.file
        if file.content is not None:
            rows = finding_rows(file) if file.findings else []
            record(file.name, file.fingerprint, file.path, rows, o.identity, file.inputs)
    cache.save()


def declared_secrets(loaded: LoadedConfig) -> frozenset[str]:
    """The values of the env models' secrets, and every value decrypted or resolved from a
    reference in the env files: a string containing one holds a secret."""
    if not loaded.env_models and not loaded.env_secrets:
        return frozenset()
    from axogen.config.env import secret_strings
    from axogen.secrets.mask import MIN_HIDDEN

    found = [s for model in loaded.env_models for s in secret_strings(model)]
    return frozenset(s for s in (*found, *loaded.env_secrets) if len(s) >= MIN_HIDDEN)


def _inputs(loaded: LoadedConfig) -> list[str]:
    """The config file and the env files it read, relative to the project (those inside it)."""
    import os
    from pathlib import Path

    root = str(loaded.root)
    found = []
    for path in (loaded.file, *loaded.env_files):
        rel = os.path.relpath(Path(path).absolute(), root)
        if not rel.startswith(".."):
            found.append(rel.replace(os.sep, "/"))
    return found


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for one pipeline run.

    A run builds many small containers and keeps nearly all of them to the end, so each
    collection walks them all for nothing; a forked child would also copy every page the
    collector touches. Nothing a run makes depends on cycles being freed early.

    When the pause ends, what is alive is frozen (`gc.freeze`): the collection at the
    interpreter's exit would walk it all once more (45 ms of a 10,000-target no-op run).
    The next pause unfreezes it, so a process that runs again (`watch`, tests) still
    collects what earlier runs left.
    """
    import gc

    global _froze
    if not gc.isenabled():
        yield
        return
    if _froze:
        # a later run in the same process (watch): what the last one left behind is freed
        gc.unfreeze()
        gc.collect()
        _froze = False
    gc.disable()
    try:
        yield
    finally:
        # everything the run made is set aside rather than walked by the first collection
        # after it (15-20 ms at 100 targets); the next run here collects it (above)
        gc.freeze()
        _froze = True
        gc.enable()


_froze = False  # paused_gc froze the heap when it ended


def finding_rows(file: PlannedFile) -> list[list[object]]:
    """A file's findings as the render cache stores them (masked previews, no values)."""
    return [[[*f.key_path], f.kind, f.rule, f.preview] for f in file.findings]
