"""The only module that prints. Knows the verbosity and whether to use colour."""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from axogen.secrets.mask import hide, hide_head

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

    def reveal(self, text: str) -> None:
        """A secret a user asked to see (`axogen env get`): the one output not filtered."""
        print(text, file=sys.stdout)

    def verbose(self, text: str) -> None:
        if self.level >= VERBOSE:
            print(self._style(hide(text), sys.stderr, "2"), file=sys.stderr)

    def status(self, word: str, text: str, code: str = "32") -> None:
        """A result line like `created  path (target)`; `code` is the ANSI colour."""
        if self.level >= NORMAL:
            print(f"{self._style(f'{word:<9}', sys.stdout, code)} {hide(text)}", file=sys.stdout)

    def statuses(self, lines: Sequence[tuple[str, str, str]]) -> None:
        """Many result lines, each `(word, text, code)`: what `status` prints for each, in
        one write and one pass of the secret filter (10,000 lines: 2 ms instead of 16 ms)."""
        if self.level < NORMAL or not lines:
            return
        stream = sys.stdout
        out = []
        last_word = last_code = head = ""
        for (word, _, code), text in zip(lines, _hide_each([t for _, t, _ in lines]), strict=True):
            if word != last_word or code != last_code or not head:
                last_word, last_code = word, code
                head = self._style(f"{word:<9}", stream, code)
            out.append(f"{head} {text}")
        out.append("")
        stream.write("\n".join(out))

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


# above this many forms to hide, one search per form through the joined lines costs more
# than the look-up at each place of each short line that `hide` makes for many forms
# (10,000 lines: 22 ms against 50 ms at 100 forms, 218 ms against 59 ms at 1,000)
_JOINED_FORMS = 100


def _hide_each(texts: list[str]) -> list[str]:
    """`[hide(t) for t in texts]`, by one `hide` of the texts joined by newlines when that
    is the same: no text holds a newline and no secret's form does, so no form found in the
    joined text can cross from one text into the next."""
    from axogen.runcontext import current

    masker = current().masker
    if not masker:
        return texts
    forms = masker.forms
    joined = "\n".join(texts)
    if (
        len(forms) > _JOINED_FORMS
        or joined.count("\n") != len(texts) - 1
        or any("\n" in form for form in forms)
    ):
        return [masker.hide(text) for text in texts]
    return masker.hide(joined).split("\n")


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


# --- the output of code axogen runs: the config, Python commands ---------------------------


class MaskedStream(io.TextIOBase):
    """A stand-in for sys.stdout or sys.stderr while the config (or a Python command) runs:
    what it prints passes through the same secret filter as axogen's own lines.

    Text is shown as soon as it is written, except a tail that may be the beginning of a
    secret: it waits for what follows (a secret printed in two pieces is still hidden).
    `close_out()` shows the rest; after it, each write is filtered on its own (a logging
    handler may have kept this stream). Bytes written to `.buffer` go through the same filter
    and come out unchanged otherwise (decoded with surrogateescape, encoded back).
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target
        self._held = ""
        self._open = True
        self._lock = threading.RLock()
        self._decoder: codecs.IncrementalDecoder | None = None
        if getattr(target, "buffer", None) is not None:
            self.buffer = _MaskedBytes(self)

    # what code may ask of a text stream
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.target, "errors", None)

    @property
    def name(self) -> Any:
        return getattr(self.target, "name", "<masked>")

    @property
    def line_buffering(self) -> bool:
        return bool(getattr(self.target, "line_buffering", False))

    def reconfigure(self, **options: Any) -> None:
        self.target.reconfigure(**options)  # type: ignore[attr-defined]

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()  # what is written to it directly is not filtered

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        with self._lock:
            self._flush_decoder()
            self._feed(text)
        return len(text)

    def flush(self) -> None:
        # the held tail stays held: showing it could show half a secret
        with self._lock:
            try:
                self.target.flush()
            except (OSError, ValueError):
                pass

    def close_out(self) -> None:
        """The code has finished: show what was held, filter each write alone from now on."""
        with self._lock:
            self._flush_decoder()
            self._open = False
            held, self._held = self._held, ""
            self._emit(hide(held))
            self.flush()

    def _feed(self, text: str) -> None:
        if not self._open:
            self._emit(hide(text))
            return
        shown, self._held = hide_head(self._held + text)
        self._emit(shown)

    def _feed_bytes(self, data: bytes) -> None:
        with self._lock:
            if self._decoder is None:
                self._decoder = codecs.getincrementaldecoder(self.encoding)("surrogateescape")
            self._feed(self._decoder.decode(data))

    def _flush_decoder(self) -> None:
        # text written after bytes: an unfinished character of the bytes ends here
        if self._decoder is not None:
            rest = self._decoder.decode(b"", final=True)
            self._decoder.reset()
            if rest:
                self._feed(rest)

    def _emit(self, text: str) -> None:
        if not text:
            return
        try:
            self.target.write(text)
        except UnicodeEncodeError:
            raw = getattr(self.target, "buffer", None)
            if raw is None:
                raise
            # bytes written to .buffer that are not text: they go out as they came
            self.target.flush()
            raw.write(text.encode(self.encoding, "surrogateescape"))


class _MaskedBytes(io.RawIOBase):
    """`.buffer` of a MaskedStream: bytes through the same filter."""

    def __init__(self, owner: MaskedStream) -> None:
        super().__init__()
        self._owner = owner

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raw = bytes(data)
        self._owner._feed_bytes(raw)
        return len(raw)

    def flush(self) -> None:
        self._owner.flush()

    def fileno(self) -> int:
        return self._owner.fileno()

    def isatty(self) -> bool:
        return self._owner.isatty()


@contextlib.contextmanager
def masked_output() -> Iterator[None]:
    """While the block runs, sys.stdout and sys.stderr pass what is written to them through
    the secret filter; afterwards they are what they were before."""
    saved = sys.stdout, sys.stderr
    if any(isinstance(stream, MaskedStream) for stream in saved):
        yield  # already filtered (a command calling another)
        return
    wrapped = [MaskedStream(s) if s is not None else None for s in saved]
    sys.stdout, sys.stderr = wrapped
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        for stream in wrapped:
            if stream is not None:
                try:
                    stream.close_out()
                except (OSError, ValueError):
                    pass


def get() -> Console:
    """The console of the run in progress (`runcontext.current().console`)."""
    from axogen.runcontext import current

    return current().console
