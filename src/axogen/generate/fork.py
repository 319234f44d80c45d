"""Split CPU- or syscall-heavy work over two processes (large plans only).

The child is forked, so it sees the loaded config and every rendered file without copying
them; it returns its result pickled through a temporary file and exits without running any
cleanup of the parent's. Only used on Linux with more than one CPU.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# below this many items a second process costs more than it saves
MIN_ITEMS = 400


def can_fork(count: int) -> bool:
    if count < MIN_ITEMS or os.environ.get("AXOGEN_NO_PARALLEL") or not hasattr(os, "fork"):
        return False
    # fork is safe on Linux; elsewhere (macOS system libraries) it is not worth the risk
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return False
    return _single_threaded()


def _single_threaded() -> bool:
    """True when this process runs one thread: a fork copies only the calling thread, so
    with others (a file watcher's, a library's) a lock they hold could never be released
    in the child."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def parent_share(count: int) -> int:
    """How many of `count` items `split` leaves to the calling process."""
    return count // 2 if can_fork(count) else count


class Child:
    """A forked child at work; `result()` waits for it and returns what it returned."""

    def __init__(self, pid: int, spool: Any) -> None:
        self.pid = pid
        self.spool = spool
        self._done = False
        self._value: Any = None
        self._failure: RuntimeError | None = None
        # a signal that stopped the parent while it forked; raised once the child is reaped
        self.interruption: BaseException | None = None

    def result(self) -> Any:
        """Wait for the child. A failure in it becomes a RuntimeError with its traceback.

        A signal cannot lose the child's report: SIGINT, SIGTERM and SIGHUP are held back
        while the child is reaped and its report read, and only then stop the caller
        (KeyboardInterrupt or Interrupted); a later call returns the report.
        """
        from axogen.signals import held

        if not self._done:
            with held():
                self._reap()
        if self.interruption is not None:
            interruption, self.interruption = self.interruption, None
            raise interruption
        if self._failure is not None:
            raise self._failure
        return self._value

    def report(self) -> tuple[Any, BaseException | None]:
        """`result()`, waiting through signals; and the interruption (Ctrl-C, SIGTERM,
        SIGHUP) that came meanwhile, if any, for the caller to raise once it has recorded
        what the child did."""
        from axogen.signals import is_interruption

        interrupted: BaseException | None = None
        while True:
            try:
                return self.result(), interrupted
            except BaseException as e:
                if not is_interruption(e):
                    raise
                interrupted = e  # reaped now: the next call returns the report

    def _reap(self) -> None:
        try:
            _, status = os.waitpid(self.pid, 0)
            self.spool.seek(0)
            data = self.spool.read()
        finally:
            self.spool.close()
            self._done = True
        payload: Any = pickle.loads(data) if data else None
        if os.waitstatus_to_exitcode(status) != 0 or not isinstance(payload, tuple):
            detail = payload if isinstance(payload, str) else "it exited without a result"
            self._failure = RuntimeError(f"the second axogen process failed:\n{detail}")
        else:
            self._value = payload[0]


def start(work: Callable[[], R], *, ignore_interrupts: bool = False) -> Child:
    """Run `work()` in a forked child; the caller goes on at once. Call `can_fork` first.

    With `ignore_interrupts`, SIGINT, SIGTERM and SIGHUP do not stop the child: work whose
    effects the parent must undo runs to its end and reports everything it did (the
    parent, stopped by the same signal, waits for that report before it cleans up).
    """
    import tempfile

    from axogen.signals import HANDLED, held

    sys.stdout.flush()
    sys.stderr.flush()
    spool = tempfile.TemporaryFile()
    # signals are held across the fork: a handler of the parent's must never run in the
    # child before it is inside `_child` (it would go on with the parent's code), and the
    # parent must get its Child back even when a signal comes right after the fork
    child: Child | None = None
    try:
        with held():
            pid = os.fork()
            if pid == 0:
                if ignore_interrupts:
                    for signum in HANDLED:
                        signal.signal(signum, signal.SIG_IGN)
                _child(spool, work)
            child = Child(pid, spool)
    except BaseException as e:
        if child is None:
            spool.close()
            raise
        child.interruption = e  # a signal that came while forking: raised by result()
    return child


def split(
    items: Sequence[T],
    work: Callable[[Sequence[T]], R],
    *,
    encode: Callable[[R], Any] | None = None,
) -> tuple[R, Any] | None:
    """`(work(first half), work(second half))`, the second half in a forked child, which
    sends back `encode(its result)` when `encode` is given (a cheaper form to pickle).

    Returns None (the caller does the work itself) when forking is not worth it. An
    exception in the parent's half propagates after the child has finished; one in the
    child's half becomes a RuntimeError carrying the child's traceback.
    """
    if not can_fork(len(items)):
        return None
    half = len(items) // 2

    def second() -> Any:
        result = work(items[half:])
        return result if encode is None else encode(result)

    child = start(second)
    try:
        first = work(items[:half])
    except BaseException:
        try:
            child.result()  # reap it; the parent's own exception is the one to report
        except RuntimeError:
            pass
        raise
    return first, child.result()


def _child(spool: Any, run: Callable[[], Any]) -> None:
    """Run in the child with the signals still held; never returns."""
    code = 1
    try:
        from axogen.signals import HANDLED

        signal.pthread_sigmask(signal.SIG_UNBLOCK, HANDLED)
        result = run()
        pickle.dump((result,), spool, protocol=pickle.HIGHEST_PROTOCOL)
        spool.flush()
        code = 0
    except BaseException:
        import traceback

        try:
            spool.seek(0)
            spool.truncate()
            pickle.dump(traceback.format_exc(), spool)
            spool.flush()
        except BaseException:
            pass
    finally:
        os._exit(code)
