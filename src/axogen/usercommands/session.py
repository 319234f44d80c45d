"""The child processes of `axogen run`: `live_exec`, `exec`, parallel runs, signals, masked echoes."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import IO, Any, NamedTuple

from axogen import console
from axogen.errors import AxogenError, CommandFailed

Command = str | Sequence[str]
# output lines of concurrent children must not interleave mid-line
_output_lock = threading.Lock()


class ExecResult(NamedTuple):
    """What `exec` captured."""

    stdout: str
    stderr: str
    returncode: int


class Terminated(AxogenError):
    """axogen received SIGTERM (or SIGHUP) while running commands."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"terminated by {signal.Signals(signum).name}")
        self.exit_code = 128 + signum


@dataclasses.dataclass(slots=True)
class _Child:
    proc: subprocess.Popen[bytes]
    shown: str
    capture: bool
    pumps: list[threading.Thread]


class Session:
    """Where and how the children of one `axogen run` run: folder, environment, masking, signals.

    Output passes through unchanged: without a prefix a child writes to axogen's own stdout
    and stderr; with one, each line is copied byte for byte after the prefix. Signals: when
    axogen is in the foreground of a terminal its children share its process group, so Ctrl-C
    reaches them once, from the terminal, and interactive programs keep the terminal.
    Otherwise each child gets a process group of its own and axogen forwards SIGINT, SIGTERM
    and SIGHUP to it. Either way axogen waits for its children and then exits 130 (143, 129).
    """

    def __init__(self, *, root: Path, env: Mapping[str, str], secrets: Sequence[str] = ()) -> None:
        self.root = root
        self.env = dict(env)
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        from axogen.secrets.mask import Masker

        self._masker = Masker(self.secrets)
        # in a terminal's foreground, children share our process group (see the class doc)
        self.shared_group = _in_terminal_foreground()
        self.received: int | None = None
        self._children: dict[int, subprocess.Popen[bytes]] = {}
        self._spawning = 0
        self._lock = threading.Lock()

    def mask(self, text: str) -> str:
        """`text` with every secret value replaced by a mask."""
        return self._masker.hide(text)

    @contextlib.contextmanager
    def active(self) -> Iterator[Session]:
        """Make this the session live_exec/exec use, and handle SIGINT/SIGTERM/SIGHUP."""
        from axogen.runcontext import current

        run = current()
        previous_session, run.session = run.session, self
        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for handled in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                previous[handled] = signal.signal(handled, self._on_signal)
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                # None: a handler installed outside Python, which cannot be put back
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
            run.session = previous_session
            self._stop_leftovers()

    def start(
        self,
        command: Command,
        *,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str | None] | None = None,
        prefix: str | None = None,
        capture: bool = False,
        stdin: int | None = None,
    ) -> _Child:
        """Start `command`; its output is inherited, prefixed per line, or captured."""
        if self.received is not None and not self.shared_group:
            raise _interruption(self.received)
        argv, shown = _argv(command)
        # shown, never run: a NUL (which Popen refuses below) is not printed raw
        shown = self.mask(shown.replace("\0", "\\0"))
        console.get().verbose(f"$ {shown}")
        workdir = self.root / cwd if cwd is not None else self.root
        child_env = dict(self.env)
        for key, value in (env or {}).items():
            if value is None:
                child_env.pop(key, None)
            else:
                child_env[key] = str(value)
        piped = capture or prefix is not None
        sys.stdout.flush()
        sys.stderr.flush()
        proc = None
        with self._lock:
            self._spawning += 1
        try:
            proc = subprocess.Popen(
                argv,
                cwd=workdir,
                env=child_env,
                stdin=stdin,
                stdout=subprocess.PIPE if piped else None,
                stderr=subprocess.PIPE if piped else None,
                process_group=None if self.shared_group else 0,
            )
        except OSError as e:
            # the codes a shell gives: 127 not found, 126 found but not runnable
            failure = CommandFailed(shown, 127 if isinstance(e, FileNotFoundError) else 126)
            where = "" if workdir.is_dir() else f" (no folder {workdir})"
            failure.message = f"cannot run {shown}{where}: {e.strerror}"
            raise failure from None
        except ValueError as e:
            # Popen refuses a NUL in an argument or a variable, or an `=` in a variable's
            # name, before anything runs; its message names the problem, never the value
            raise AxogenError(
                f"cannot run {shown}: {e}",
                hint="an argument or an environment variable of the command holds a NUL "
                "byte (or a variable name holds '=')",
            ) from None
        finally:
            with self._lock:
                # registered before the count drops, so a signal never finds neither
                if proc is not None:
                    self._children[proc.pid] = proc
                self._spawning -= 1
        if self.received is not None:
            self._forward(proc, self.received)
        pumps = []
        if prefix is not None and not capture:
            head = prefix.encode()
            assert proc.stdout is not None and proc.stderr is not None
            pumps = [
                threading.Thread(target=_pump, args=(proc.stdout, "stdout", head), daemon=True),
                threading.Thread(target=_pump, args=(proc.stderr, "stderr", head), daemon=True),
            ]
            for pump in pumps:
                pump.start()
        return _Child(proc, shown, capture, pumps)

    def wait(self, child: _Child, input: bytes | None = None) -> tuple[int, bytes, bytes]:
        """Wait for `child` (and its copied output); returns its code and what was captured."""
        proc = child.proc
        out = err = b""
        try:
            if child.capture:
                out, err = proc.communicate(input)
            else:
                proc.wait()
        except KeyboardInterrupt:
            # no handler of ours is installed (live_exec called outside `axogen run`)
            self._forward(proc, signal.SIGINT)
            proc.wait()
            raise
        finally:
            for pump in child.pumps:
                pump.join()
            with self._lock:
                self._children.pop(proc.pid, None)
        return proc.returncode, out, err

    def check_interrupted(self, *codes: int) -> None:
        """Raise if a signal stopped the run: a child killed by SIGINT, or one we forwarded."""
        if self.received in (signal.SIGTERM, signal.SIGHUP):
            raise Terminated(self.received)
        if -signal.SIGINT in codes or (self.received is not None and not self.shared_group):
            raise KeyboardInterrupt

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None or signum != signal.SIGINT:
            self.received = signum
        active = list(self._children.values())
        if not active and not self._spawning:
            # only Python code is running: stop it, as the default handler would
            raise _interruption(signum)
        for proc in active:
            self._forward(proc, signum)

    def stop(self, child: _Child) -> None:
        """Ask a child to stop (SIGTERM), as when a sibling could not be started."""
        self._forward(child.proc, signal.SIGTERM)

    def _forward(self, proc: subprocess.Popen[bytes], signum: int) -> None:
        try:
            if not self.shared_group:
                os.killpg(proc.pid, signum)
            elif signum == signal.SIGTERM:
                # the terminal sends SIGINT and SIGHUP to the whole group already; not SIGTERM
                proc.send_signal(signum)
        except (ProcessLookupError, PermissionError):
            pass

    def _stop_leftovers(self) -> None:
        """Children still running when the session ends (after an error) are stopped."""
        for proc in list(self._children.values()):
            self._forward(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def current_session() -> Session:
    """The session of the running `axogen run`, or one for the current folder and environment."""
    from axogen.runcontext import current

    session = current().session
    if session is not None:
        return session
    return Session(root=Path.cwd(), env=os.environ)


def live_exec(
    command: Command,
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str | None] | None = None,
    prefix: str | None = None,
    check: bool = True,
) -> int:
    """Run a shell command (or an argv list), its output streamed unchanged; return its code.

    With `prefix`, each line of output is written after it. A non-zero exit raises
    CommandFailed (with `check=False`, the code is returned instead). `env` adds variables
    (None removes one); `cwd` is relative to the config's folder.
    """
    session = current_session()
    child = session.start(command, cwd=cwd, env=env, prefix=prefix)
    code, _, _ = session.wait(child)
    session.check_interrupted(code)
    if code and check:
        raise _failure(child.shown, code)
    return code


def exec(
    command: Command,
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
    check: bool = True,
) -> ExecResult:
    """Run a shell command (or an argv list) and capture its output as text.

    Its standard input is `input` (or nothing). A non-zero exit raises CommandFailed unless
    `check=False`.
    """
    session = current_session()
    child = session.start(command, cwd=cwd, env=env, capture=True, stdin=subprocess.PIPE)
    code, out, err = session.wait(child, input.encode() if input is not None else b"")
    session.check_interrupted(code)
    if code and check:
        raise _failure(child.shown, code)
    return ExecResult(out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), code)


def run_parallel(commands: Mapping[str, str]) -> None:
    """Start every command at once, labelled; wait for all; fail naming those that failed."""
    session = current_session()
    width = max(len(label) for label in commands)
    started: list[tuple[str, _Child]] = []
    try:
        for label, command in commands.items():
            prefix = f"{label:<{width}} | "
            started.append((label, session.start(command, prefix=prefix, stdin=subprocess.DEVNULL)))
    except BaseException:
        for _, child in started:
            session.stop(child)
            session.wait(child)
        raise
    codes = [(label, child, session.wait(child)[0]) for label, child in started]
    session.check_interrupted(*(code for _, _, code in codes))
    failed = [(label, child, code) for label, child, code in codes if code]
    if failed:
        names = ", ".join(f"{label} (exit {_exit_code(code)})" for label, _, code in failed)
        error = _failure(failed[0][1].shown, failed[0][2])
        error.message = f"{len(failed)} of {len(codes)} parallel commands failed: {names}"
        raise error


def _argv(command: Command) -> tuple[list[str], str]:
    if isinstance(command, str):
        if not command.strip():
            raise TypeError("live_exec/exec: the command is an empty string")
        return ["/bin/sh", "-c", command], command
    argv = [os.fspath(word) for word in command]
    if not argv or not all(isinstance(word, str) for word in argv):
        raise TypeError(
            f"live_exec/exec: a command is a shell string or a non-empty list of strings, "
            f"got {command!r}"
        )
    return argv, shlex.join(argv)


def _pump(source: IO[bytes], stream: str, prefix: bytes) -> None:
    target = getattr(sys, stream)
    # a command's output passes through unchanged, also when a Python command (whose own
    # prints are filtered) starts it
    target = target.target if isinstance(target, console.MaskedStream) else target
    sink = getattr(target, "buffer", None)
    with source:
        for line in iter(source.readline, b""):
            with _output_lock:
                if sink is not None:
                    sink.write(prefix + line)
                    sink.flush()
                else:  # a text stream without bytes underneath (embedding, tests)
                    target.write((prefix + line).decode("utf-8", "replace"))
                    target.flush()


def _exit_code(code: int) -> int:
    return 128 - code if code < 0 else code


def _failure(shown: str, code: int) -> CommandFailed:
    error = CommandFailed(shown, _exit_code(code))
    if code < 0:
        error.message = f"command killed by {signal.Signals(-code).name}: {shown}"
    return error


def _interruption(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


def _in_terminal_foreground() -> bool:
    """True when axogen has a controlling terminal and is in its foreground process group."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    try:
        return os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(fd)
