"""The exceptions a user can see. Each carries the exit code the CLI returns for it.

When axogen cannot be sure (of a value, a path, a file it reads, what the config did), it
refuses with one of these: one clear line saying why and what to do, exit 1. Any other
exception reaching the CLI is a bug in axogen (exit 3, with a traceback to report).
"""

from __future__ import annotations

from collections.abc import Iterable


class AxogenError(Exception):
    """Base of every error axogen reports to a user; `str(err)` is the whole message."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class UsageError(AxogenError):
    """Bad command-line usage: unknown target, conflicting flags."""

    exit_code = 2


class ConfigError(AxogenError):
    """The config file is missing, does not run, or does not define a valid `config`."""


class EnvError(AxogenError):
    """`.env.axogen` is malformed or the environment does not validate against the model."""


class TargetError(AxogenError):
    """A target cannot be rendered or written."""


class GenerateError(AxogenError):
    """One or more targets failed; every failure is listed, and with them every secret the
    guard refused in the targets that did render (`leak`), so that one run shows it all.

    `outcome` says what became of the files: nothing was written, unless putting back
    what a failed write had replaced failed too.
    """

    def __init__(
        self,
        failures: list[TargetError],
        *,
        outcome: str = "nothing was written",
        leak: SecretLeak | None = None,
    ) -> None:
        self.failures = failures
        self.leak = leak
        count = len(failures)
        lines = [f"{count} target{'s' if count != 1 else ''} failed; {outcome}:"]
        lines.extend(f"  - {str(f).replace(chr(10), chr(10) + '    ')}" for f in failures)
        if leak is not None:
            lines.append(f"and {leak.message[0].lower()}{leak.message[1:]}")
        super().__init__("\n".join(lines), hint=None if leak is None else leak.hint)


class Interrupted(BaseException):
    """A signal stopped axogen: SIGINT (Ctrl-C), SIGTERM or SIGHUP. Exits 128 + its number.

    A BaseException, as KeyboardInterrupt is, so that no `except Exception` swallows it.
    `detail` says what became of the files (e.g. "nothing was written").
    """

    def __init__(self, signum: int, detail: str | None = None) -> None:
        super().__init__(signum, detail)
        self.signum = signum
        self.detail = detail
        self.exit_code = 128 + signum

    def __str__(self) -> str:
        import signal

        if self.signum == signal.SIGINT:
            text = "interrupted"
        else:
            try:
                text = f"terminated by {signal.Signals(self.signum).name}"
            except ValueError:
                text = f"terminated by signal {self.signum}"
        return f"{text}; {self.detail}" if self.detail else text


class SecretLeak(AxogenError):
    """A secret would be written to a file git commits."""


class CommandFailed(AxogenError):
    """A command exited with a non-zero code; axogen exits with the same code."""

    def __init__(self, command: str, returncode: int) -> None:
        super().__init__(f"command failed with exit code {returncode}: {command}")
        self.command = command
        self.returncode = returncode
        self.exit_code = returncode


def close_names(word: str, names: Iterable[str]) -> list[str]:
    """Up to three of `names` that look like a misspelling of `word`, closest first."""
    import difflib

    return difflib.get_close_matches(word, list(names), n=3, cutoff=0.6)


def did_you_mean(candidates: Iterable[str]) -> str:
    """`"; did you mean 'a' or 'b'?"`, or "" when there is no candidate."""
    quoted = [repr(c) for c in dict.fromkeys(candidates)]
    return f"; did you mean {' or '.join(quoted)}?" if quoted else ""
