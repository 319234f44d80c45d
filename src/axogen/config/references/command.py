"""`ref+exec://CMD[/ARG…][?args=A,B&trim=false][#/json/path]`: a command's output.

vals' exec syntax: the command, then its arguments as path segments and/or the
comma-separated `args` parameter (path segments first). `ref+exec:///usr/bin/tool` names a
command by its absolute path (then only `args` gives arguments). Segments and parameters
are URL-decoded: `%2F` for a `/` inside a path argument, `%2C` for a comma inside `args`,
`%20` or `+` for a space. Examples:

    ref+exec://pass?args=show,shop/db            pass show shop/db
    ref+exec://op?args=read,op://shop/db/password
    ref+exec://vault?args=kv,get,-field=password,secret/db
    ref+exec://aws?args=ssm,get-parameter,--name,/shop/db,--with-decryption,--query,Parameter.Value,--output,text

No shell is involved: the words are passed to the command as they are. It runs in the env
file's folder, with axogen's environment and no standard input; trailing spaces and
newlines of its output are removed unless `trim=false`. A command that exits non-zero, is
missing, or does not finish within the timeout fails the reference (with the last line of
what it printed to stderr).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from urllib.parse import unquote

from axogen.config.references import (
    TIMEOUT_VARIABLE,
    Reference,
    Unresolved,
    dig,
    flag,
    options,
    split_body,
    trimmed,
)


def run(words: list[str], ref: Reference, timeout: float, what: str) -> str:
    """Run a command (no shell) and return its standard output; Unresolved on failure."""
    exe = shutil.which(words[0]) if os.sep not in words[0] else words[0]
    if exe is None:
        raise Unresolved(f"{words[0]!r} is not installed (not on PATH)")
    try:
        done = subprocess.run(
            [exe, *words[1:]],
            cwd=ref.base if ref.base.is_dir() else None,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Unresolved(
            f"{what} did not finish within {timeout:g}s ({TIMEOUT_VARIABLE} sets the limit)"
        ) from None
    except OSError as e:
        raise Unresolved(f"{what} could not be started: {e.strerror}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        last = lines[-1].strip()[:200] if lines else ""
        raise Unresolved(f"{what} exited with {done.returncode}" + (f": {last}" if last else ""))
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise Unresolved(f"{what} printed something that is not UTF-8 text") from None


@dataclasses.dataclass(frozen=True, slots=True)
class CommandProvider:
    scheme: str = "exec"

    def resolve(self, ref: Reference, timeout: float) -> str:
        body, query, fragment = split_body(ref.body)
        opts = options(query, ["args", "trim"])
        trim = flag(opts, "trim", True)
        body = body.rstrip("/") if not body.startswith("/") else body
        if body.startswith("/"):
            words = [unquote(body)]
        else:
            words = [unquote(part) for part in body.split("/")] if body else []
        if opts.get("args"):
            words.extend(opts["args"].split(","))
        if not words or not words[0]:
            raise Unresolved("no command named (ref+exec://COMMAND?args=A,B)")
        output = run(words, ref, timeout, f"{words[0]!r}")
        return trimmed(dig(output, fragment), trim)


PROVIDER = CommandProvider()
