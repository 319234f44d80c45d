"""One module per CLI subcommand; each exposes `run_<name>(opts, ...) -> exit code`."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from axogen.options import Options as Options  # re-exported: every subcommand takes one

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig
    from axogen.generate.cache import RenderCache
    from axogen.generate.plan import Plan, PlannedFile


def load_and_plan(
    opts: Options,
    targets: Sequence[str] = (),
    *,
    on_loaded: Callable[[LoadedConfig], None] | None = None,
    on_render: Callable[[LoadedConfig, list[str]], None] | None = None,
) -> tuple[LoadedConfig, Plan, RenderCache]:
    """Find and run the config, then render the selected targets (nothing is written).

    `on_loaded` sees the config as soon as it has run; `on_render` the relative paths of
    the targets about to render (those the render cache cannot vouch for).
    """
    from axogen import console
    from axogen.config.loader import load_config, locate
    from axogen.generate.cache import RenderCache
    from axogen.generate.plan import plan_targets, select_targets

    with paused_gc():
        out = console.get()
        started = time.perf_counter()
        loaded = load_config(locate(opts.config_file, opts.directory))
        out.verbose(f"config {loaded.file} ran in {time.perf_counter() - started:.3f}s")
        if on_loaded is not None:
            on_loaded(loaded)
        names = select_targets(loaded.config, targets)
        cache = RenderCache.open(loaded.root, loaded.file)
        plan = plan_targets(
            loaded.config,
            loaded.root,
            names,
            loaded.file.name,
            cache=cache,
            on_render=None if on_render is None else lambda rels: on_render(loaded, rels),
            inputs=_inputs(loaded),
            declared=_declared(loaded),
        )
        from axogen.secrets.mask import remember

        for file in plan.files:
            for value in file.secret_values:  # declared and detected: never printed
                remember(value)
        rendered = sum(1 for f in plan.files if f.content is not None)
        out.verbose(
            f"{len(plan.files)} targets planned ({rendered} rendered, "
            f"{len(plan.files) - rendered} known unchanged) in {time.perf_counter() - started:.3f}s"
        )
    return loaded, plan, cache


def _declared(loaded: LoadedConfig) -> frozenset[str]:
    """The values of the env models' secrets: a string containing one holds a secret."""
    if not loaded.env_models:
        return frozenset()
    from axogen.config.env import secret_strings
    from axogen.secrets.mask import MIN_HIDDEN

    return frozenset(
        s for model in loaded.env_models for s in secret_strings(model) if len(s) >= MIN_HIDDEN
    )


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
    """
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def finding_rows(file: PlannedFile) -> list[list[object]]:
    """A file's findings as the render cache stores them (masked previews, no values)."""
    # (no `list(...)` here: the submodule commands.list shadows the builtin in this package)
    return [[[*f.key_path], f.kind, f.rule, f.preview] for f in file.findings]
