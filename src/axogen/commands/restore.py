"""`axogen restore TARGET`: bring back a backup of a target's file (see `backup=`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from axogen.commands import Options
from axogen.config.loader import load_config, locate
from axogen.errors import TargetError, UsageError


def run_restore(
    opts: Options, *, target: str, list_only: bool = False, which: str | None = None
) -> int:
    from axogen.generate.backup import Backup, BackupError, list_backups, read_verified
    from axogen.generate.plan import PlannedFile, check_target_path
    from axogen.generate.write import write_plan
    from axogen.signals import settle

    out = opts.run.console
    loaded = load_config(locate(opts.config_file, opts.directory), opts.run)
    targets = loaded.config.targets
    if target not in targets:
        from axogen.errors import close_names, did_you_mean

        raise UsageError(f"unknown target {target!r}{did_you_mean(close_names(target, targets))}")
    spec = targets[target]
    rel = check_target_path(target, spec.path)
    backup: Backup = spec.backup if spec.backup is not None else Backup()
    where = f"target {target!r} ({rel})"
    try:
        backups = list_backups(loaded.root, backup, rel)
    except BackupError as e:
        raise TargetError(f"{where}: {e.message}", hint=e.hint) from None
    if list_only:
        if not backups:
            out.data(f"no backups of {rel} in {backup.folder}")
        for i, path in enumerate(backups, 1):
            out.data(f"{i:>3}  {path.name}  {path.stat().st_size} bytes{_state(path)}")
        return 0
    if not backups:
        raise TargetError(
            f"{where}: no backups in {backup.folder}",
            hint="backups are kept for targets with backup=True",
        )
    chosen = _choose(backups, which, rel)
    # a backup that is not exactly what was saved would silently lose data: refuse it
    try:
        content = read_verified(chosen)
    except BackupError as e:
        raise TargetError(f"{where}: {e.message}", hint=e.hint) from None
    dest = loaded.root / rel
    current = _current(dest, target, rel)
    if current == content:
        out.out(f"{rel} already holds {chosen.name}")
        return 0
    # the generate writer: atomic, keeps the file's mode (a missing file comes back 0600),
    # and, with `backup` set, first keeps the content it replaces, so a restore is undoable
    restored = PlannedFile(
        name=target,
        rel_path=rel,
        path=str(dest),
        content=content,
        mode=0o600 if current is None else None,
        backup=backup,
    )
    write_plan([restored], loaded.root)
    settle("the backup was restored")  # a signal from here on changes nothing
    out.status("restored", f"{rel} ({target}) from {chosen.name}", "33")
    return 0


def _state(path: Path) -> str:
    from axogen.generate.backup import BackupError, has_checksum, read_verified

    if not has_checksum(path):
        return "  (no checksum: cannot be checked)"
    try:
        read_verified(path)
    except BackupError:
        return "  DAMAGED"
    return ""


def _current(dest: Path, target: str, rel: str) -> bytes | None:
    """What the target's file holds now (None: no file); refuses what is not a plain file."""
    where = f"target {target!r} ({rel})"
    try:
        st = os.lstat(dest)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise TargetError(f"{where}: cannot inspect the file: {e.strerror}") from None
    if stat.S_ISLNK(st.st_mode):
        raise TargetError(f"{where}: the file is a symlink; not restoring")
    if stat.S_ISDIR(st.st_mode):
        raise TargetError(
            f"{where}: a folder now stands where the file was; not restoring",
            hint=f"move the folder {rel} away, then restore again",
        )
    if not stat.S_ISREG(st.st_mode):
        raise TargetError(f"{where}: exists and is not a regular file; not restoring")
    try:
        return dest.read_bytes()
    except OSError as e:
        raise TargetError(f"{where}: cannot read the file: {e.strerror}") from None


def _choose(backups: list[Path], which: str | None, rel: str) -> Path:
    if which is None:
        return backups[0]
    if which.isdigit() and 1 <= int(which) <= len(backups):
        return backups[int(which) - 1]
    for path in backups:
        if path.name == which or path.name.startswith(which):
            return path
    raise UsageError(f"no backup {which!r} of {rel}; see `axogen restore TARGET --list`")
