"""One module per CLI subcommand; each exposes `run_<name>(opts, ...) -> exit code`.

`opts.run` is the invocation's run (`axogen.runcontext`): its console prints.
"""

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
    """The pipeline's stages up to the guard, in the run of `opts`, reporting to its
    console; warnings shown."""
    from axogen.pipeline import prepare

    out = opts.run.console
    prepared = prepare(
        opts.config_file,
        opts.directory,
        targets,
        out,
        guard_secrets=guard_secrets,
        on_loaded=on_loaded,
        on_render=on_render,
        run=opts.run,
    )
    for warning in prepared.warnings:
        out.warn(warning)
    return prepared
