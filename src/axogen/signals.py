"""SIGINT, SIGTERM and SIGHUP: each stops axogen the way Ctrl-C does.

Ctrl-C raises KeyboardInterrupt (Python's own handler); `terminating()` makes SIGTERM (what
`timeout`, `docker stop` and CI cancellation send) and SIGHUP (a closed terminal) raise
`Interrupted`. Both are BaseExceptions, so no `except Exception` swallows them, and the
writer's clean-up (`except BaseException`) undoes a half-done write for all three alike: the
run ends with every file old, or every file new, and no temporary file left. `held()`
keeps the three signals back while such clean-up runs, so a second signal cannot cut it
short.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from axogen.errors import Interrupted

# the signals a user or a supervisor sends to stop a program; SIGHUP does not exist on Windows
HANDLED: frozenset[int] = frozenset(
    s
    for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
    if s is not None
)
_TERMINATING = tuple(sorted(HANDLED - {signal.SIGINT}))


def settle(outcome: str | None) -> None:
    """Record what a signal from now on, in the run in progress, must say about the files,
    once that can no longer change (every file was written); None: nothing."""
    from axogen.runcontext import current

    current().settled = outcome


def described(exc: BaseException) -> Interrupted:
    """The interruption `exc` with what became of the files (as the run in progress has
    settled it), if it does not say already."""
    from axogen.runcontext import current

    if isinstance(exc, Interrupted) and exc.detail is not None:
        return exc
    signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
    return Interrupted(signum, current().settled)


def is_interruption(exc: BaseException) -> bool:
    return isinstance(exc, KeyboardInterrupt | Interrupted)


def stopped(exc: BaseException, detail: str) -> Interrupted:
    """The interruption `exc` (Ctrl-C or another signal), saying what became of the files."""
    signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
    return Interrupted(signum, detail)


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def terminating() -> Iterator[None]:
    """While the body runs, SIGTERM and SIGHUP raise `Interrupted` (then the old handlers
    are back: a program or a test calling the CLI in-process keeps its own).

    A signal that was ignored when axogen started stays ignored: `nohup axogen generate`
    must survive the terminal closing.
    """
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in _TERMINATING:
            old = signal.getsignal(signum)
            if old is not signal.SIG_IGN:
                previous[signum] = signal.signal(signum, _raise)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler installed outside Python, which cannot be put back
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


@contextlib.contextmanager
def held(*, drop: bool = False) -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP while the body runs; they arrive after it.

    With `drop`, those that came meanwhile are discarded instead: the run is already
    stopping because of a signal, and a second one (Ctrl-C pressed twice) must not replace
    the message about what became of the files. A no-op where signals cannot be blocked.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED)
    try:
        yield
    finally:
        if drop and hasattr(signal, "sigtimedwait"):
            pending = signal.sigpending() & HANDLED
            while pending:
                signal.sigtimedwait(pending, 0)  # takes one pending signal without a handler
                pending = signal.sigpending() & HANDLED
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
