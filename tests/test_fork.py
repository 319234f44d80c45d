"""generate.fork.share: a forked child takes chunks of the work as it is free (real forks)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from axogen.generate import fork


def _doubled(part: Sequence[int]) -> list[tuple[int, int]]:
    time.sleep(0.0005)  # long enough that both processes get chunks
    return [(x * 2, os.getpid()) for x in part]


def test_share_returns_every_result_in_order_and_both_processes_work() -> None:
    items = list(range(3000))
    results = fork.share(items, _doubled)
    assert results is not None
    assert [value for value, _ in results] == [x * 2 for x in items]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids
    assert len(pids) == 2


def test_share_encodes_the_childs_results_and_decodes_them_with_their_index() -> None:
    items = list(range(1000))
    seen: list[int] = []

    def decode(index: int, packed: object) -> tuple[int, int]:
        seen.append(index)
        assert isinstance(packed, int)
        return (packed, -1)

    results = fork.share(items, _doubled, encode=lambda part: [v for v, _ in part], decode=decode)
    assert results is not None
    assert [value for value, _ in results] == [x * 2 for x in items]
    # exactly the items the child did were decoded, each with its own index
    assert sorted(seen) == [i for i, (_, pid) in enumerate(results) if pid == -1]
    assert seen


def test_small_work_is_not_shared() -> None:
    assert fork.share(list(range(fork.MIN_ITEMS - 1)), _doubled) is None


def test_a_failure_in_the_child_is_a_runtime_error_with_its_traceback() -> None:
    parent = os.getpid()

    def work(part: Sequence[int]) -> list[int]:
        time.sleep(0.0005)
        if os.getpid() != parent:
            raise ValueError("the child's own failure")
        return list(part)

    with pytest.raises(RuntimeError, match="the child's own failure"):
        fork.share(list(range(2000)), work)


def test_a_failure_in_the_parent_propagates_once_the_child_is_reaped() -> None:
    parent = os.getpid()

    def work(part: Sequence[int]) -> list[int]:
        time.sleep(0.0005)
        if os.getpid() == parent:
            raise KeyError("the parent's")
        return list(part)

    with pytest.raises(KeyError, match="the parent's"):
        fork.share(list(range(2000)), work)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


def test_a_failure_in_the_parent_stops_the_child_after_its_current_chunk(
    tmp_path: Path,
) -> None:
    parent = os.getpid()
    log = tmp_path / "chunks"

    def work(part: Sequence[int]) -> list[int]:
        if os.getpid() == parent:
            time.sleep(0.05)  # the child is well into the work meanwhile
            raise KeyError("the parent's")
        with open(log, "a") as fh:
            fh.write(f"{part[0]}\n")
        time.sleep(0.001)
        return list(part)

    with pytest.raises(KeyError):
        fork.share(list(range(255 * 4)), work)
    # 255 chunks; without the parent, the child would have done all but the parent's one
    done = len(log.read_text().splitlines())
    assert 0 < done < 200
