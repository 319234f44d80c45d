"""The only module that prints. Knows the verbosity and whether to use colour."""

from __future__ import annotations

import os
import sys
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2


class Console:
    def __init__(self, *, level: int = NORMAL, color: bool | None = None) -> None:
        self.level = level
        self._color = color

    def _use_color(self, stream: TextIO) -> bool:
        if self._color is not None:
            return self._color
        if os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        return stream.isatty() and os.environ.get("TERM") != "dumb"

    def _style(self, text: str, stream: TextIO, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self._use_color(stream) else text

    def out(self, text: str = "") -> None:
        """Normal output (results); silent under --quiet."""
        if self.level >= NORMAL:
            print(text, file=sys.stdout)

    def data(self, text: str) -> None:
        """Output a user asked for explicitly (list, dry-run content): printed even when quiet."""
        print(text, file=sys.stdout)

    def verbose(self, text: str) -> None:
        if self.level >= VERBOSE:
            print(self._style(text, sys.stderr, "2"), file=sys.stderr)

    def status(self, word: str, text: str, code: str = "32") -> None:
        """A result line like `created  path (target)`; `code` is the ANSI colour."""
        if self.level >= NORMAL:
            print(f"{self._style(f'{word:<9}', sys.stdout, code)} {text}", file=sys.stdout)

    def warn(self, text: str) -> None:
        if self.level >= NORMAL:
            print(f"{self._style('warning:', sys.stderr, '33;1')} {text}", file=sys.stderr)

    def error(self, text: str) -> None:
        print(f"{self._style('error:', sys.stderr, '31;1')} {text}", file=sys.stderr)


_console = Console()


def get() -> Console:
    return _console


def configure(*, level: int, color: bool | None) -> Console:
    global _console
    _console = Console(level=level, color=color)
    return _console
