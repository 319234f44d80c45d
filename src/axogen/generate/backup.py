"""Backups of generated files: a copy of the old content before axogen replaces it.

Copies go to `<root>/<folder>/<target path>/<UTC timestamp>.bak` (default folder
`.axogen/backups`, which gets a `.gitignore` of `*`: backups may hold secrets and are never
committed). Names hold only digits, letters, `-` and `.`, so they are valid on Windows too.
Backups are created 0600; the oldest beyond `keep` are removed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

DEFAULT_FOLDER = ".axogen/backups"
SUFFIX = ".bak"


@dataclasses.dataclass(frozen=True, slots=True)
class Backup:
    """`backup=Backup(folder=".axogen/backups", keep=5)` on a target."""

    folder: str = DEFAULT_FOLDER
    keep: int = 5

    def __post_init__(self) -> None:
        if isinstance(self.keep, bool) or not isinstance(self.keep, int) or self.keep < 1:
            raise TypeError(f"Backup(keep=...) must be a positive int, got {self.keep!r}")
        if not isinstance(self.folder, str) or not self.folder.strip():
            raise TypeError(f"Backup(folder=...) must be a non-empty path, got {self.folder!r}")
        norm = os.path.normpath(self.folder.replace("\\", "/"))
        if os.path.isabs(norm) or norm == ".." or norm.startswith("../") or norm == ".":
            raise TypeError(f"Backup(folder={self.folder!r}) must be a folder inside the project")


def as_backup(value: object) -> Backup | None:
    """Normalise a target's `backup=` keyword: False/None, True, or a Backup."""
    if value is None or value is False:
        return None
    if value is True:
        return Backup()
    if isinstance(value, Backup):
        return value
    raise TypeError(f"backup must be True, False or ax.Backup(...), got {value!r}")


def backup_dir(root: Path, backup: Backup, rel_path: str) -> Path:
    return root / backup.folder / rel_path


def list_backups(root: Path, backup: Backup, rel_path: str) -> list[Path]:
    """The backups of one target's file, newest first."""
    folder = backup_dir(root, backup, rel_path)
    try:
        found = [p for p in folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def save_backup(root: Path, backup: Backup, rel_path: str, content: bytes) -> Path:
    """Write a new backup of `content` and prune the oldest beyond `keep`."""
    folder = backup_dir(root, backup, rel_path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    ignore = (root / backup.folder.split("/")[0]) / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# axogen backups may hold secrets: never commit them\n*\n")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S-%fZ")
    path = folder / f"{stamp}{SUFFIX}"
    n = 1
    while path.exists():  # two backups in one microsecond: keep both
        path = folder / f"{stamp}-{n}{SUFFIX}"
        n += 1
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    for old in list_backups(root, backup, rel_path)[backup.keep :]:
        try:
            old.unlink()
        except OSError:
            pass
    return path
