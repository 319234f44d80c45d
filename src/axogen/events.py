"""What the core tells the rim while it works: progress, warnings, verbose notes.

The pipeline's stages (plan, guard, write) print nothing. They report through an `Events`
object their caller passes down: at the CLI that is the console; anywhere else (tests, a
library caller) `QUIET`, which shows nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Steps of one piece of work; a context manager that ends the display on exit."""

    def __enter__(self) -> Progress: ...

    def __exit__(self, *exc: object) -> None: ...

    def advance(self, steps: int = 1) -> None: ...


class Events(Protocol):
    def progress(self, label: str, total: int) -> Progress: ...

    def warn(self, text: str) -> None: ...

    def verbose(self, text: str) -> None: ...


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def advance(self, steps: int = 1) -> None:
        return None


class _Quiet:
    """Events nobody watches."""

    def progress(self, label: str, total: int) -> Progress:
        return _NoProgress()

    def warn(self, text: str) -> None:
        return None

    def verbose(self, text: str) -> None:
        return None


QUIET: Events = _Quiet()
