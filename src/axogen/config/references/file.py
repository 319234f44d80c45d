"""`ref+file://PATH[?trim=false][#/json/path]`: a file's content (Docker and Kubernetes
mount secrets as files: `ref+file:///run/secrets/db_password`).

A relative PATH is relative to the env file's folder. Trailing newlines are removed unless
`trim=false`; with a fragment the file is read as JSON or YAML and the value at that path
is taken. `%XX` escapes in PATH are decoded (`%23` for a `#` in a file name).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import unquote

from axogen.config.references import (
    Reference,
    Unresolved,
    dig,
    flag,
    options,
    split_body,
    trimmed,
    within,
)


@dataclasses.dataclass(frozen=True, slots=True)
class FileProvider:
    scheme: str = "file"

    def resolve(self, ref: Reference, timeout: float) -> str:
        body, query, fragment = split_body(ref.body)
        opts = options(query, ["trim"])
        trim = flag(opts, "trim", True)
        if not body:
            raise Unresolved("no file named (ref+file:///absolute/path or ref+file://relative)")
        path = ref.base / Path(unquote(body))

        def read() -> bytes:
            return path.read_bytes()

        try:
            data = within(timeout, f"reading {path}", read)
        except FileNotFoundError:
            raise Unresolved(f"no such file: {path}") from None
        except IsADirectoryError:
            raise Unresolved(f"{path} is a folder, not a file") from None
        except PermissionError:
            raise Unresolved(f"no permission to read {path}") from None
        except OSError as e:
            raise Unresolved(f"cannot read {path}: {e.strerror}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise Unresolved(f"{path} is not UTF-8 text") from None
        return trimmed(dig(text, fragment), trim)


PROVIDER = FileProvider()
