"""The only module that prints. Knows the verbosity and whether to use colour."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from axogen.secrets.mask import hide

QUIET, NORMAL, VERBOSE = 0, 1, 2


class Console:
    def __init__(self, *, level: int = NORMAL, color: bool | None = None) -> None:
        self.level = level
        self._color = color
        self._decided: tuple[TextIO, bool] | None = None  # the last stream asked about

    def _use_color(self, stream: TextIO) -> bool:
        if self._color is not None:
            return self._color
        # asked once per line of output: remember the answer for the stream last asked about
        if self._decided is not None and self._decided[0] is stream:
            return self._decided[1]
        if os.environ.get("NO_COLOR"):
            use = False
        elif os.environ.get("FORCE_COLOR"):
            use = True
        else:
            use = stream.isatty() and os.environ.get("TERM") != "dumb"
        self._decided = (stream, use)
        return use

    def _style(self, text: str, stream: TextIO, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self._use_color(stream) else text

    # every line passes through `hide`: a secret axogen has seen (a SecretStr of load_env, a
    # value the detector flagged) is never printed, whatever message it ends up in

    def out(self, text: str = "") -> None:
        """Normal output (results); silent under --quiet."""
        if self.level >= NORMAL:
            print(hide(text), file=sys.stdout)

    def data(self, text: str) -> None:
        """Output a user asked for explicitly (list, dry-run content): printed even when quiet."""
        print(hide(text), file=sys.stdout)

    def verbose(self, text: str) -> None:
        if self.level >= VERBOSE:
            print(self._style(hide(text), sys.stderr, "2"), file=sys.stderr)

    def status(self, word: str, text: str, code: str = "32") -> None:
        """A result line like `created  path (target)`; `code` is the ANSI colour."""
        if self.level >= NORMAL:
            print(f"{self._style(f'{word:<9}', sys.stdout, code)} {hide(text)}", file=sys.stdout)

    def warn(self, text: str) -> None:
        if self.level >= NORMAL:
            print(f"{self._style('warning:', sys.stderr, '33;1')} {hide(text)}", file=sys.stderr)

    def error(self, text: str) -> None:
        print(f"{self._style('error:', sys.stderr, '31;1')} {hide(text)}", file=sys.stderr)

    def progress(self, label: str, total: int) -> Progress:
        """A progress line for `total` steps of work, on a terminal's stderr only.

        Nothing shows under --quiet, when stderr is not a terminal, or when the work ends
        within half a second. `close()` (or leaving the `with` block) clears the line.
        """
        stream = sys.stderr
        try:
            live = self.level >= NORMAL and stream.isatty() and os.environ.get("TERM") != "dumb"
        except (AttributeError, ValueError):
            live = False
        return Progress(label, total, stream if live else None)


class Progress:
    """`label  ████░░░░  42%` on one line, redrawn at most ten times a second.

    Only the process that made it draws: a forked child sharing it stays silent.
    """

    DELAY = 0.5
    WIDTH = 24

    def __init__(self, label: str, total: int, stream: TextIO | None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream
        self.done = 0
        self.shown = False
        self._pid = os.getpid()
        self._next = time.monotonic() + self.DELAY
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        self._marks = "█░" if encoding in ("utf8", "utf16", "utf32") else "#-"

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.stream is None:
            return
        now = time.monotonic()
        if now < self._next or os.getpid() != self._pid:
            return
        self._next = now + 0.1
        part = min(self.done / self.total, 1.0)
        filled = round(part * self.WIDTH)
        bar = self._marks[0] * filled + self._marks[1] * (self.WIDTH - filled)
        self._write(f"\r\033[K{self.label}  {bar} {part:4.0%}")
        self.shown = True

    def close(self) -> None:
        if self.shown and os.getpid() == self._pid:
            self._write("\r\033[K")
            self.shown = False

    def _write(self, text: str) -> None:
        assert self.stream is not None
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.stream = None  # a closed terminal: stop drawing


_console = Console()


def get() -> Console:
    return _console


def configure(*, level: int, color: bool | None) -> Console:
    global _console
    _console = Console(level=level, color=color)
    return _console
