"""`axogen restore TARGET`: bring back a backup of a target's file (see `backup=`)."""

from __future__ import annotations

from pathlib import Path

from axogen import console
from axogen.commands import Options
from axogen.config.loader import load_config, locate
from axogen.errors import TargetError, UsageError


def run_restore(
    opts: Options, *, target: str, list_only: bool = False, which: str | None = None
) -> int:
    from axogen.generate.backup import Backup, list_backups
    from axogen.generate.plan import PlannedFile, check_target_path
    from axogen.generate.write import write_plan

    out = console.get()
    loaded = load_config(locate(opts.config_file, opts.directory))
    targets = loaded.config.targets
    if target not in targets:
        from axogen.errors import close_names, did_you_mean

        raise UsageError(f"unknown target {target!r}{did_you_mean(close_names(target, targets))}")
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
        current: bytes | None = dest.read_bytes()
    except FileNotFoundError:
        current = None
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
