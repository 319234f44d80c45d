"""One run of axogen: the state that lives exactly as long as one CLI invocation.

`cli.main` makes one `Run` per invocation (`generate --watch`, one per generate it runs)
and passes it down: subcommands receive it as `opts.run`, the pipeline's stages as `run=`.
It holds:

- `console`: where output goes, at the verbosity of `-q`/`-v` (made on first use);
- `masker`: the secret values nothing printed in this run may show;
- `load`: the context of the config being executed (its folder, the env files it read);
- `session`: the child processes of the `axogen run` in progress;
- `settled`: what a signal must say about the files once they can no longer change.

Code that axogen does not call with arguments of its own choosing — a config calling
`ax.load_env()` while it is executed, a user's command calling `ax.exec`, the filter of
what they print, Python's warnings hook — finds the run with `current()`: the run whose
`with run:` block is open in this context. That one `ContextVar` is the only place the run
is kept; nothing here needs resetting between runs, a new run simply starts empty. (What
one template render reads is not the run's: `templates.recording` keeps it per render.)

A thread started without a copy of the context (`threading.Thread` before Python 3.14)
sees the innermost run open in the process, so that what it prints is masked too. Outside
any run (axogen used as a library, a test calling a function directly), `current()` is a
run of the process's own, with the default console.

This module imports neither the console nor the processes' session at load time: the core
may import it.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from axogen.config.context import LoadContext
    from axogen.console import Console
    from axogen.secrets.mask import Masker
    from axogen.usercommands.session import Session


class Run:
    """The console, the secrets to hide, the load context and the command session of a run."""

    __slots__ = ("_console", "_tokens", "load", "masker", "session", "settled")

    def __init__(self, *, console: Console | None = None, masker: Masker | None = None) -> None:
        if masker is None:
            from axogen.secrets.mask import Masker

            masker = Masker()
        self._console = console
        self.masker: Masker = masker
        self.load: LoadContext | None = None
        self.session: Session | None = None
        # what a signal from now on must say about the files (`signals.settle`)
        self.settled: str | None = None
        self._tokens: list[contextvars.Token[Run | None]] = []

    @property
    def console(self) -> Console:
        """The console of this run (the default one until `-q`, `-v` or `--no-color`)."""
        if self._console is None:
            from axogen.console import Console

            self._console = Console()
        return self._console

    @console.setter
    def console(self, value: Console) -> None:
        self._console = value

    def next(self) -> Run:
        """A new run for the next round of a loop (`generate --watch`): a load and a session
        of its own, the same console, and the same masker (a secret seen in one round stays
        hidden in the rounds after it)."""
        return Run(console=self._console, masker=self.masker)

    def __enter__(self) -> Run:
        self._tokens.append(_CURRENT.set(self))
        _OPEN.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _CURRENT.reset(self._tokens.pop())
        # its innermost entry (runs close in the reverse order they opened)
        for i in range(len(_OPEN) - 1, -1, -1):
            if _OPEN[i] is self:
                del _OPEN[i]
                break


_CURRENT: contextvars.ContextVar[Run | None] = contextvars.ContextVar("axogen_run", default=None)
# the runs open in the process, innermost last: what a thread without the context sees
_OPEN: list[Run] = []
_OUTSIDE: list[Run] = []  # the process's own run, made on first use outside any run


def current() -> Run:
    """The run in progress (see the module's doc)."""
    run = _CURRENT.get()
    if run is not None:
        return run
    if _OPEN:
        return _OPEN[-1]
    if not _OUTSIDE:
        _OUTSIDE.append(Run())
    return _OUTSIDE[0]
