"""Split CPU- or syscall-heavy work over two processes (large plans only).

The child is forked, so it sees the loaded config and every rendered file without copying
them; it returns its result pickled through a temporary file and exits without running any
cleanup of the parent's. Only used on Linux with more than one CPU.
"""

from __future__ import annotations

import os
import pickle
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
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def split(items: Sequence[T], work: Callable[[Sequence[T]], R]) -> tuple[R, R] | None:
    """`(work(first half), work(second half))`, the second half in a forked child.

    Returns None (the caller does the work itself) when forking is not worth it. An
    exception in the parent's half propagates after the child has finished; one in the
    child's half becomes a RuntimeError carrying the child's traceback.
    """
    if not can_fork(len(items)):
        return None
    import tempfile

    half = len(items) // 2
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as spool:
        pid = os.fork()
        if pid == 0:
            _child(spool, lambda: work(items[half:]))
        try:
            first = work(items[:half])
        finally:
            _, status = os.waitpid(pid, 0)
        spool.seek(0)
        data = spool.read()
    payload: Any = pickle.loads(data) if data else None
    if os.waitstatus_to_exitcode(status) != 0 or not isinstance(payload, tuple):
        detail = payload if isinstance(payload, str) else "it exited without a result"
        raise RuntimeError(f"the second axogen process failed:\n{detail}")
    return first, payload[0]


def _child(spool: Any, run: Callable[[], Any]) -> None:
    code = 1
    try:
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
