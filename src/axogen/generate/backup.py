"""Backups of generated files: a copy of the old content before axogen replaces it.

Copies go to `<root>/<folder>/<target path>/<UTC timestamp>-<size>-<hash>.bak` (default
folder `.axogen/backups`). The name records the content's size in bytes and the first 32
hex digits of its SHA-256: `restore` checks both and refuses a backup that does not match
(cut short, edited, damaged), since restoring it would silently lose data. Names hold only
digits, letters, `-` and `.`, so they are valid on Windows too.

A backup is written as a hidden temp file in its folder, then renamed into place: a full
disk, a crash or a signal never leaves a truncated `.bak`. Backups are created 0600; the
oldest beyond `keep` are removed once the run has written its files. The backup folder
itself gets a `.gitignore` that ignores the backups (they may hold secrets and are never
committed), written if missing and completed if it lacks the rule; no folder on the way to
a backup may be a symlink (axogen refuses rather than write through it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from axogen.errors import AxogenError
from axogen.lazyre import LazyPattern

if TYPE_CHECKING:
    from axogen.generate.plan import PlannedFile

DEFAULT_FOLDER = ".axogen/backups"
SUFFIX = ".bak"
_STAMP = r"[0-9]{8}T[0-9]{6}-[0-9]{6}Z"
# `<stamp>-<size>-<hash>.bak`, and `<stamp>[-n].bak` of older versions of axogen (no checksum)
_NAME = LazyPattern(rf"{_STAMP}-([0-9]+)-([0-9a-f]{{32}})\.bak")
_OLD_NAME = LazyPattern(rf"{_STAMP}(?:-[0-9]+)?\.bak")
# a backup being written: `write.temp_name` of its name
_TEMP = LazyPattern(rf"\.({_STAMP}-[0-9]+-[0-9a-f]{{32}}\.bak)\.axogen-([1-9][0-9]{{0,9}})\.\1")
IGNORE_TEXT = (
    "# written by axogen: backups may hold secrets, never commit them\n*.bak\n/.gitignore\n"
)


class BackupError(AxogenError):
    """A backup cannot be saved or restored safely: a symlink on its path, a damaged copy."""


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


def _folder_parts(backup: Backup) -> list[str]:
    return os.path.normpath(backup.folder.replace("\\", "/")).replace("\\", "/").split("/")


def backup_dir(root: Path, backup: Backup, rel_path: str) -> Path:
    return root.joinpath(*_folder_parts(backup), *rel_path.split("/"))


def _walk(root: Path, parts: list[str], *, create: bool) -> Path | None:
    """`root/parts...`, checking every folder on the way: none may be a symlink or a file.

    Missing folders are made (0700) with `create`; without it, None when one is missing.
    """
    from axogen.generate.write import UnsafeFolder, walk_folders

    try:
        found = walk_folders(str(root), parts, create=0o700 if create else None)
    except UnsafeFolder as e:
        if e.symlink:
            raise BackupError(
                f"backup folder {e.where} is a symlink; axogen never writes or reads backups "
                "through symlinks",
                hint="replace the symlink with a real folder, or choose another Backup(folder=...)",
            ) from None
        if e.error:
            raise BackupError(f"cannot inspect backup folder {e.where}: {e.error}") from None
        raise BackupError(f"backup folder {e.where} exists and is not a folder") from None
    return root.joinpath(*parts) if found else None


def list_backups(root: Path, backup: Backup, rel_path: str) -> list[Path]:
    """The backups of one target's file, newest first. Raises BackupError when a folder on
    the way is a symlink."""
    folder = _walk(root, [*_folder_parts(backup), *rel_path.split("/")], create=False)
    if folder is None:
        return []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [folder / name for name in names if _NAME.fullmatch(name) or _OLD_NAME.fullmatch(name)]
    return sorted((p for p in found if p.is_file() and not p.is_symlink()), reverse=True)


def has_checksum(path: Path) -> bool:
    """Whether the backup's name records its size and hash (every backup axogen saves now)."""
    return _NAME.fullmatch(path.name) is not None


def read_verified(path: Path) -> bytes:
    """The content of the backup `path`, once checked against the size and hash its name
    records. Raises BackupError for a backup that does not match, or has no record."""
    match = _NAME.fullmatch(path.name)
    if match is None:
        raise BackupError(
            f"backup {path.name} has no recorded size and checksum (saved by an older "
            "axogen), so it cannot be checked; not restoring it",
            hint=f"if you trust it, copy it by hand: {path}",
        )
    try:
        content = path.read_bytes()
    except OSError as e:
        raise BackupError(f"cannot read backup {path.name}: {e.strerror}") from None
    size, digest = int(match[1]), match[2]
    if len(content) != size:
        raise BackupError(
            f"backup {path.name} is damaged: it holds {len(content)} bytes, {size} were "
            "saved; not restoring it",
            hint="choose another backup (`axogen restore TARGET --list`)",
        )
    if hashlib.sha256(content).hexdigest()[:32] != digest:
        raise BackupError(
            f"backup {path.name} is damaged: its content does not match the checksum saved "
            "with it; not restoring it",
            hint="choose another backup (`axogen restore TARGET --list`)",
        )
    return content


def save_backup(
    root: Path, backup: Backup, rel_path: str, content: bytes, saved: list[Path] | None = None
) -> Path:
    """Write a new backup of `content`, atomically (`write.write_file_atomically`: a full
    disk or a signal leaves no truncated backup and no temp file); `saved` gets its path
    before it exists, for a caller that must remove it if the run fails. The oldest backups
    are pruned by `prune_backups`."""
    from axogen.generate.write import write_file_atomically

    parts = _folder_parts(backup)
    top = _walk(root, parts, create=True)
    assert top is not None
    _ensure_ignore(top, "/".join(parts))
    folder = _walk(top, rel_path.split("/"), create=True)
    assert folder is not None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S-%fZ")
    path = folder / f"{stamp}-{len(content)}-{hashlib.sha256(content).hexdigest()[:32]}{SUFFIX}"
    if os.path.lexists(path):
        return path  # the same content, saved within the same microsecond
    if saved is not None:
        saved.append(path)
    # only a complete copy gets the backup's name
    write_file_atomically(path, content, 0o600, durable=False)
    return path


def _ensure_ignore(folder: Path, where: str) -> None:
    """Make `folder/.gitignore` ignore the backups: written if missing, completed if it
    lacks the rule (an existing file is otherwise left as it is); idempotent."""
    from axogen.generate.write import umask, write_file_atomically

    ignore = folder / ".gitignore"
    try:
        st = os.lstat(ignore)
    except FileNotFoundError:
        mode = 0o644 & ~umask()
        write_file_atomically(ignore, IGNORE_TEXT.encode(), new_mode=mode, durable=False)
        return
    if not stat.S_ISREG(st.st_mode):
        raise BackupError(
            f"{where}/.gitignore is not a regular file; axogen cannot make git ignore the "
            "backups there",
            hint="replace it with a regular file, or choose another Backup(folder=...)",
        )
    raw = ignore.read_bytes()
    if _ignores_backups(raw.decode("utf-8", errors="replace")):
        return
    addition = ("" if not raw or raw.endswith(b"\n") else "\n") + "# axogen backups\n*.bak\n"
    write_file_atomically(ignore, raw + addition.encode(), durable=False)


def _ignores_backups(text: str) -> bool:
    """True when `text` has a `*.bak` or `*` rule that no later `!` rule may undo."""
    lines = [line.strip() for line in text.splitlines()]
    rules = [line for line in lines if line and not line.startswith("#")]
    for i, rule in enumerate(rules):
        if rule in ("*.bak", "*") and not any(r.startswith("!") for r in rules[i + 1 :]):
            return True
    return False


def prune_backups(root: Path, files: Iterable[PlannedFile]) -> None:
    """Remove the oldest backups beyond each target's `keep`, and the temp files of
    backups a killed run left. Best effort: a backup that cannot be removed stays."""
    from axogen.generate.write import _writer_gone

    seen: set[tuple[str, str]] = set()
    for file in files:
        backup = file.backup
        if backup is None or (backup.folder, file.rel_path) in seen:
            continue
        seen.add((backup.folder, file.rel_path))
        try:
            kept = list_backups(root, backup, file.rel_path)
        except BackupError:
            continue
        for old in kept[backup.keep :]:
            try:
                old.unlink()
            except OSError:
                pass
        folder = backup_dir(root, backup, file.rel_path)
        try:
            entries = [e for e in os.listdir(folder) if e.startswith(".") and ".axogen-" in e]
        except OSError:
            continue
        for entry in entries:
            match = _TEMP.fullmatch(entry)
            if match is None:
                continue
            try:
                if _writer_gone(int(match[2]), os.lstat(folder / entry).st_mtime):
                    os.unlink(folder / entry)
            except OSError:
                pass
