"""How a path is named in what axogen prints: from where the user stands.

The config runs in its own folder (`-C DIR`, or a config found in a parent folder), but
every message names a file as the user would reach it from the folder axogen was started
in: relative to it when the file is inside it, else absolute. Every command's output goes
through `shown`.
"""

from __future__ import annotations

import os
from pathlib import Path


def started_in() -> Path:
    """The folder axogen was started in (while a config runs, not the config's folder)."""
    from axogen.config import context

    ctx = context.current()
    return ctx.cwd if ctx is not None and ctx.cwd is not None else Path.cwd()


def shown(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> str:
    """`path` as printed; a relative `path` is taken from `root` (the config's folder)."""
    base = started_in()
    p = Path(path)
    if not p.is_absolute():
        p = Path(root if root is not None else base) / p
    p = Path(os.path.normpath(p))
    try:
        rel = p.relative_to(base)
    except ValueError:
        return str(p)
    text = rel.as_posix() if os.sep == "/" else str(rel)
    return text if text not in ("", ".") else "."
