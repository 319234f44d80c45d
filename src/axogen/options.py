"""The global command-line options (`-c`, `-C`, `-q`, `-v`, `--no-color`) as one record."""

from __future__ import annotations

from typing import Any, Final

from axogen.runcontext import Run, current


# here, not in the CLI's `commands` package, so the core (the user-commands package) can take
# them without depending on the CLI layer; `axogen.commands` re-exports the record
class Options:
    """Global command-line options every subcommand receives (read-only: `replace` makes
    a changed copy)."""

    __slots__ = ("config_file", "directory", "no_color", "quiet", "run", "verbose")

    def __init__(
        self,
        config_file: str | None = None,
        directory: str | None = None,
        verbose: bool = False,
        quiet: bool = False,
        no_color: bool = False,
        run: Run | None = None,
    ) -> None:
        self.config_file: Final = config_file
        self.directory: Final = directory
        self.verbose: Final = verbose
        self.quiet: Final = quiet
        self.no_color: Final = no_color
        # this invocation's run (its console, the secrets to hide): the run in progress when
        # the options were made, which `cli.main` opened
        self.run: Final = run if run is not None else current()

    def replace(self, **change: Any) -> Options:
        """A copy with the fields in `change` changed."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        return Options(**{**fields, **change})

    def __repr__(self) -> str:
        return (
            f"Options(config_file={self.config_file!r}, directory={self.directory!r}, "
            f"verbose={self.verbose}, quiet={self.quiet}, no_color={self.no_color})"
        )
