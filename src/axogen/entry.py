"""The program's one error boundary, and the commands that run without the CLI module.

`guarded` turns whatever a run raises into one line on stderr and an exit code; `cli.main`
runs every command line through it. The command lines run most often, `axogen generate`
and `axogen check` with nothing else (pre-commit hooks, CI, an editor on save), are run by
`quick` without importing click or `axogen.cli`: a tenth of the instructions of a small
project's run. They call the same functions with the options click would give them.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from axogen.runcontext import Run

# the command lines `quick` runs: `axogen generate`, `axogen gen`, `axogen check`
QUICK = (["generate"], ["gen"], ["check"])


def quick(command: str) -> None:
    """Run `axogen COMMAND` (one of QUICK) as the CLI would, without the CLI."""
    from axogen.options import Options
    from axogen.runcontext import Run

    def invoke() -> None:
        opts = Options()
        try:
            if command == "check":
                from axogen.commands.check import run_check

                code = run_check(opts)
            else:
                from axogen.commands.generate import run_generate

                code = run_generate(opts)
        except (EOFError, KeyboardInterrupt) as e:
            # as click does: end the line the terminal echoed ^C on, then stop as Ctrl-C
            _stderr("\n")
            raise KeyboardInterrupt from e
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise
            # as click does: the reader of the output went away (`axogen generate | head`);
            # exit 1 without a word, and without another error when the streams are flushed
            sys.stdout = _Pacified(sys.stdout)
            sys.stderr = _Pacified(sys.stderr)
            sys.exit(1)
        if code:
            sys.exit(code)

    with Run() as run:
        guarded(run, invoke)


def guarded(run: Run, invoke: Callable[[], None]) -> None:
    """Call `invoke` with SIGTERM and SIGHUP stopping it as Ctrl-C does, and exit: 0 when
    it returns, else the code of what it raised, said in one line (a bug: its traceback)."""
    from axogen.signals import terminating

    _hide_warnings()
    try:
        # SIGTERM and SIGHUP stop a run as Ctrl-C does: what was half written is undone
        with terminating():
            invoke()
    except BaseException as e:
        _fail(run, e)
    sys.exit(0)


def _fail(run: Run, e: BaseException) -> None:
    import signal

    from axogen.errors import AxogenError, Interrupted
    from axogen.secrets.mask import hide
    from axogen.signals import described

    # click's exceptions can only come from click, and then it is imported
    click: Any = sys.modules.get("click")
    if isinstance(e, (Interrupted, KeyboardInterrupt)) or (
        click is not None and isinstance(e, click.Abort)
    ):
        # click turns a KeyboardInterrupt into Abort, after ending the line the terminal
        # echoed ^C on; an Interrupted passes through it
        cause = e.__cause__ if not isinstance(e, (Interrupted, KeyboardInterrupt)) else None
        stopped = described(cause if cause is not None else e)
        if isinstance(e, Interrupted) and e.signum == signal.SIGINT:
            _stderr("\n")  # end the ^C line, as click does
        try:
            run.console.error(str(stopped))
        except OSError:
            pass  # SIGHUP: the terminal is gone
        sys.exit(stopped.exit_code)
    if click is not None and isinstance(e, click.exceptions.Exit):
        sys.exit(e.exit_code)
    if click is not None and isinstance(e, click.ClickException):
        import io

        shown = io.StringIO()
        e.show(file=shown)
        sys.stderr.write(hide(shown.getvalue()))
        sys.exit(e.exit_code)
    if not isinstance(e, Exception):
        raise e  # SystemExit (an exit code already chosen), GeneratorExit
    if isinstance(e, AxogenError):
        run.console.error(str(e))
        sys.exit(e.exit_code)
    import traceback

    run.console.error(
        f"unexpected {type(e).__name__}: {e}\n"
        "This is a bug in axogen; please report it with the traceback below.\n"
        + "".join(traceback.format_exception(e))
    )
    sys.exit(3)


def _hide_warnings() -> None:
    """Python warnings (a config's own `warnings.warn`) pass through the secret filter too."""
    import warnings

    from axogen.secrets.mask import hide

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        text = warnings.formatwarning(message, category, filename, lineno, line)
        stream = file if file is not None else sys.stderr
        try:
            stream.write(hide(text))
        except (OSError, ValueError):
            pass

    warnings.showwarning = show


class _Pacified:
    """A stream whose reader is gone: flushing it no longer fails."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _stderr(text: str) -> None:
    try:
        sys.stderr.write(text)
    except OSError:
        pass
