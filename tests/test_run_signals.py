"""Ctrl-C and SIGTERM during `axogen run`: the child is stopped and waited for, axogen exits 130/143.

axogen runs in a session of its own here (no controlling terminal), so its children get their
own process group and axogen forwards the signal to it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import AXOGEN, build_tree, subprocess_env

CONFIG = """\
import axogen as ax

config = ax.define_config(
    commands={
        # the inner shell execs sleep, so sleep.pid names the sleep; the outer shell waits for it
        "sleep": "sh -c 'echo $$ > sleep.pid; exec sleep 30'; echo after > after.txt",
        "py": lambda: __import__("time").sleep(30),
        "both": ax.parallel({"a": "sh -c 'echo $$ > sleep.pid; exec sleep 30'", "b": "sleep 30"}),
    }
)
"""


def wait_for(predicate: object, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start(root: Path, command: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(AXOGEN), "run", command],
        cwd=root,
        env=subprocess_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.parametrize("command", ["sleep", "both"])
def test_signal_stops_the_child_and_axogen_exits_128_plus_n(
    tmp_path: Path, signum: int, code: int, command: str
) -> None:
    build_tree(tmp_path, {"axogen.config.py": CONFIG})
    proc = start(tmp_path, command)
    pid_file = tmp_path / "sleep.pid"
    try:
        assert wait_for(lambda: pid_file.exists() and pid_file.read_text().strip())
        sleep_pid = int(pid_file.read_text())

        os.kill(proc.pid, signum)
        _, stderr = proc.communicate(timeout=10)

        assert proc.returncode == code, stderr
        assert wait_for(lambda: not alive(sleep_pid), timeout=5)
        assert not (tmp_path / "after.txt").exists()
        expected = "interrupted" if signum == signal.SIGINT else "terminated by SIGTERM"
        assert stderr.strip().endswith(expected)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_ctrl_c_stops_a_python_command(tmp_path: Path) -> None:
    build_tree(tmp_path, {"axogen.config.py": CONFIG})
    proc = start(tmp_path, "py")
    try:
        time.sleep(0.5)  # the config has loaded and the callable sleeps (a late signal also works)
        os.kill(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=10)
        assert proc.returncode == 130, stderr
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
