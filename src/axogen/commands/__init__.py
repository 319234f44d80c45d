"""One module per CLI subcommand; each exposes `run_<name>(opts, ...) -> exit code`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from axogen.options import Options as Options  # re-exported: every subcommand takes one

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig
    from axogen.pipeline import Prepared


def load_and_plan(
    opts: Options,
    targets: Sequence[str] = (),
    *,
    guard_secrets: bool = False,
    on_loaded: Callable[[LoadedConfig], None] | None = None,
    on_render: Callable[[LoadedConfig, list[str]], None] | None = None,
) -> Prepared:
    """The pipeline's stages up to the guard, reporting to the console; warnings shown."""
    from axogen import console
    from axogen.pipeline import prepare

    out = console.get()
    prepared = prepare(
        opts.config_file,
        opts.directory,
        targets,
        out,
        guard_secrets=guard_secrets,
        on_loaded=on_loaded,
        on_render=on_render,
    )
    for warning in prepared.warnings:
        out.warn(warning)
    return prepared
