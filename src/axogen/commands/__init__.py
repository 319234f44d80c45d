"""One module per CLI subcommand; each exposes `run_<name>(opts, ...) -> exit code`."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, slots=True)
class Options:
    """Global command-line options every subcommand receives."""

    config_file: str | None = None
    directory: str | None = None
    verbose: bool = False
    quiet: bool = False
    no_color: bool = False
