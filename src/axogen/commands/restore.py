"""`axogen restore TARGET`: bring back a backup of a target's file (see `backup=`)."""

from __future__ import annotations

import os
from pathlib import Path

from axogen import console
from axogen.commands import Options
from axogen.config.loader import load_config, locate
from axogen.errors import TargetError, UsageError


def run_restore(
    opts: Options, *, target: str, list_only: bool = False, which: str | None = None
) -> int:
    from axogen.generate.backup import Backup, list_backups, save_backup
    from axogen.generate.plan import check_target_path

    out = console.get()
    loaded = load_config(locate(opts.config_file, opts.directory))
    targets = loaded.config.targets
    if target not in targets:
        import difflib

        close = difflib.get_close_matches(target, list(targets), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"unknown target {target!r}{hint}")
    spec = targets[target]
    rel = check_target_path(target, spec.path)
    backup: Backup = spec.backup if spec.backup is not None else Backup()
    backups = list_backups(loaded.root, backup, rel)
    if list_only:
        if not backups:
            out.data(f"no backups of {rel} in {backup.folder}")
        for i, path in enumerate(backups, 1):
            out.data(f"{i:>3}  {path.name}  {path.stat().st_size} bytes")
        return 0
    if not backups:
        raise TargetError(
            f"target {target!r} ({rel}): no backups in {backup.folder}",
            hint="backups are kept for targets with backup=True",
        )
    chosen = _choose(backups, which, rel)
    content = chosen.read_bytes()
    dest = loaded.root / rel
    if dest.is_symlink():
        raise TargetError(f"target {target!r} ({rel}): the file is a symlink; not restoring")
    try:
        current = dest.read_bytes()
        mode = dest.stat().st_mode & 0o777
    except FileNotFoundError:
        current, mode = None, 0o600
    if current == content:
        out.out(f"{rel} already holds {chosen.name}")
        return 0
    if current is not None:
        # restoring is undoable: the content it replaces becomes the newest backup
        save_backup(loaded.root, backup, rel, current)
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = dest.with_name(f".{dest.name}.axogen-{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        temp.chmod(mode)
        temp.replace(dest)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    out.status("restored", f"{rel} ({target}) from {chosen.name}", "33")
    return 0


def _choose(backups: list[Path], which: str | None, rel: str) -> Path:
    if which is None:
        return backups[0]
    if which.isdigit() and 1 <= int(which) <= len(backups):
        return backups[int(which) - 1]
    for path in backups:
        if path.name == which or path.name.startswith(which):
            return path
    raise UsageError(f"no backup {which!r} of {rel}; see `axogen restore TARGET --list`")
