"""The global command-line options (`-c`, `-C`, `-q`, `-v`, `--no-color`) as one record."""

from __future__ import annotations

import dataclasses

from axogen.runcontext import Run, current


# here, not in the CLI's `commands` package, so the core (the user-commands package) can take
# them without depending on the CLI layer; `axogen.commands` re-exports the record
@dataclasses.dataclass(frozen=True, slots=True)
class Options:
    """Global command-line options every subcommand receives."""

    config_file: str | None = None
    directory: str | None = None
    verbose: bool = False
    quiet: bool = False
    no_color: bool = False
    # this invocation's run (its console, the secrets to hide): the run in progress when
    # the options were made, which `cli.main` opened
    run: Run = dataclasses.field(default_factory=current, compare=False, repr=False)
