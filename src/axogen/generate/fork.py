"""Split CPU- or syscall-heavy work over two processes (large plans only).

The child is forked, so it sees the loaded config and every rendered file without copying
them; it returns its result pickled through a file in memory and exits without running any
cleanup of the parent's. Only used on Linux with more than one CPU.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
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
        import pickle

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
    import pickle  # noqa: F401  (the child's report: imported once, before the fork)

    from axogen.signals import HANDLED, held

    sys.stdout.flush()
    sys.stderr.flush()
    spool = _spool()
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


def _spool() -> Any:
    """A file in memory that the child writes its report to: no pipe to fill and block on."""
    try:
        # fork runs only on Linux, which has memfd; the tempfile module costs 5 ms to import
        return os.fdopen(os.memfd_create("axogen-report", os.MFD_CLOEXEC), "w+b")
    except (AttributeError, OSError):
        import tempfile

        return tempfile.TemporaryFile()


def share(
    items: Sequence[T],
    work: Callable[[Sequence[T]], list[R]],
    *,
    encode: Callable[[list[R]], Any] | None = None,
    decode: Callable[[int, Any], R] | None = None,
) -> list[R] | None:
    """`work(items)`, one result per item in order, with a forked child doing a share.

    The two processes take the items chunk by chunk (`Chunks`). The child sends back
    `encode(results of a chunk)` for each of its chunks, and `decode` turns each of those
    items back into a result with its index.

    Returns None (the caller does the work itself) when forking is not worth it. An
    exception in the parent's work propagates after the child has finished; one in the
    child's becomes a RuntimeError carrying the child's traceback.
    """
    if not can_fork(len(items)):
        return None
    chunks = Chunks(len(items))

    def theirs() -> dict[int, Any]:
        done: dict[int, Any] = {}
        for k, part in chunks.take():
            result = work(items[part])
            done[k] = result if encode is None else encode(result)
        return done

    try:
        child = start(theirs)
        results: list[Any] = [None] * len(items)
        try:
            for _, part in chunks.take():
                results[part] = work(items[part])
        except BaseException:
            chunks.drain()  # the child stops after its current chunk
            try:
                child.result()  # reap it; the parent's own exception is the one to report
            except RuntimeError:
                pass
            raise
        for k, encoded in child.result().items():
            part = chunks.part(k)
            results[part] = (
                encoded
                if decode is None
                else [decode(part.start + i, e) for i, e in enumerate(encoded)]
            )
    finally:
        chunks.close()
    return results


_MAX_CHUNKS = 255  # one byte per chunk number


class Chunks:
    """`count` items cut into at most 255 chunks, for two processes to share: each takes the
    next chunk as soon as it is free, until none is left, so neither waits for the other at
    the end because its part happened to cost more (a child pays for the memory it copies
    as it writes). Made before the fork; both processes call `take`."""

    def __init__(self, count: int) -> None:
        self.size = max(1, -(-count // _MAX_CHUNKS))  # ceiling: at most _MAX_CHUNKS chunks
        self.count = count
        # the chunks' numbers, one byte each, read by both processes: a read of one byte
        # from a pipe takes it from the other reader's reach (the write end is closed here)
        self._tokens, feed = os.pipe()
        try:
            os.write(feed, bytes(range(-(-count // self.size))))
        finally:
            os.close(feed)

    def part(self, k: int) -> slice:
        """The items of chunk `k`."""
        return slice(k * self.size, min((k + 1) * self.size, self.count))

    def take(self) -> Iterator[tuple[int, slice]]:
        """The chunks this process takes, one at a time, with their numbers."""
        while chunk := os.read(self._tokens, 1):
            yield chunk[0], self.part(chunk[0])

    def drain(self) -> None:
        """Take every chunk left, so that the other process stops after its current one."""
        while os.read(self._tokens, _MAX_CHUNKS):
            pass

    def close(self) -> None:
        os.close(self._tokens)


def _child(spool: Any, run: Callable[[], Any]) -> None:
    """Run in the child with the signals still held; never returns."""
    import pickle

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
