"""The one place that writes generated files: compare, stage, atomically replace, roll back."""

from __future__ import annotations

import dataclasses
import enum
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from axogen.errors import GenerateError, TargetError
from axogen.generate.plan import PlannedFile


class Action(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MODE = "mode changed"


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    file: PlannedFile
    action: Action


@dataclasses.dataclass(slots=True)
class _Change:
    file: PlannedFile
    old_content: bytes | None
    old_mode: int | None
    new_mode: int
    temp: str | None = None


_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0)
        os.umask(_UMASK)
    return _UMASK


def compare(
    files: Sequence[PlannedFile], root: Path
) -> list[tuple[PlannedFile, Action, _Change | None]]:
    """Decide for every file whether it is created, updated or unchanged; check its path.

    Raises GenerateError naming every unsafe path. Reads files, writes nothing.
    """
    checked_dirs: set[str] = set()
    missing_dirs: set[str] = set()
    failures: list[TargetError] = []
    result: list[tuple[PlannedFile, Action, _Change | None]] = []
    root_str = str(root)
    for file in files:
        if file.content is None:
            # the render cache vouched for this file: it holds what the target produces
            result.append((file, Action.UNCHANGED, None))
            continue
        try:
            if _check_path(file, root_str, checked_dirs, missing_dirs):
                result.append(_created(file))
            else:
                result.append(_compare_one(file))
        except TargetError as e:
            failures.append(e)
    if failures:
        raise GenerateError(failures)
    return result


def _check_path(
    file: PlannedFile, root: str, checked_dirs: set[str], missing_dirs: set[str]
) -> bool:
    """Refuse a path that goes through a symlink or a non-directory under the root.

    Returns True when a folder on the path does not exist yet (so neither does the file).
    """
    parts = file.rel_path.split("/")
    current = root
    for i, part in enumerate(parts[:-1]):
        current = os.path.join(current, part)
        if current in checked_dirs:
            continue
        if current in missing_dirs:
            return True
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            missing_dirs.add(current)
            return True  # the rest will be created as plain directories
        except OSError as e:
            raise TargetError(
                f"target {file.name!r} ({file.rel_path}): cannot inspect {current}: {e.strerror}"
            ) from None
        where = "/".join(parts[: i + 1])
        if stat.S_ISLNK(st.st_mode):
            raise TargetError(
                f"target {file.name!r} ({file.rel_path}): {where} is a symlink; axogen never "
                "writes through symlinks",
                hint="replace the symlink with a real directory, or change the target path",
            )
        if not stat.S_ISDIR(st.st_mode):
            raise TargetError(f"target {file.name!r} ({file.rel_path}): {where} is not a directory")
        checked_dirs.add(current)
    return False


def _created(file: PlannedFile) -> tuple[PlannedFile, Action, _Change | None]:
    if file.mode is not None:
        mode = file.mode
    else:
        mode = 0o600 if file.has_secrets else 0o666 & ~_umask()
    return file, Action.CREATED, _Change(file, None, None, mode)


def _compare_one(file: PlannedFile) -> tuple[PlannedFile, Action, _Change | None]:
    path = file.path
    assert file.content is not None
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return _created(file)
    except OSError as e:
        raise TargetError(
            f"target {file.name!r} ({file.rel_path}): cannot inspect the file: {e.strerror}"
        ) from None
    if stat.S_ISLNK(st.st_mode):
        raise TargetError(
            f"target {file.name!r} ({file.rel_path}): the file is a symlink; axogen never writes "
            "through symlinks",
            hint="delete the symlink (axogen will write a regular file), or change the target path",
        )
    if not stat.S_ISREG(st.st_mode):
        raise TargetError(
            f"target {file.name!r} ({file.rel_path}): exists and is not a regular file"
        )
    old_mode = stat.S_IMODE(st.st_mode)
    new_mode = file.mode if file.mode is not None else old_mode
    old_content = None
    if st.st_size == len(file.content):
        try:
            with open(path, "rb") as fh:
                old_content = fh.read()
        except OSError as e:
            raise TargetError(
                f"target {file.name!r} ({file.rel_path}): cannot read the file: {e.strerror}"
            ) from None
        if old_content == file.content:
            if new_mode != old_mode:
                return file, Action.MODE, _Change(file, old_content, old_mode, new_mode)
            return file, Action.UNCHANGED, None
    if old_content is None:
        try:
            with open(path, "rb") as fh:
                old_content = fh.read()
        except OSError as e:
            raise TargetError(
                f"target {file.name!r} ({file.rel_path}): cannot read the file: {e.strerror}"
            ) from None
    return file, Action.UPDATED, _Change(file, old_content, old_mode, new_mode)


def write_plan(files: Sequence[PlannedFile], root: Path) -> list[Outcome]:
    """Write every changed file, all or nothing. Returns what happened to each file."""
    decisions = compare(files, root)
    changes = [
        change
        for _, action, change in decisions
        if change is not None and action is not Action.MODE
    ]
    created_dirs: list[str] = []
    try:
        _stage(changes, created_dirs)
        _save_backups(changes, root)
        _commit(changes)
    except BaseException:
        for change in changes:
            if change.temp is not None:
                _silent_unlink(change.temp)
        for folder in reversed(created_dirs):
            try:
                os.rmdir(folder)
            except OSError:
                pass
        raise
    for _, action, mode_change in decisions:
        if action is Action.MODE and mode_change is not None:
            change = mode_change
            try:
                os.chmod(change.file.path, change.new_mode)
            except OSError as e:
                raise GenerateError(
                    [
                        TargetError(
                            f"target {change.file.name!r} ({change.file.rel_path}): cannot change its mode: {e.strerror}"
                        )
                    ]
                ) from None
    return [Outcome(file, action) for file, action, _ in decisions]


def _stage(changes: list[_Change], created_dirs: list[str]) -> None:
    """Write every new content to a temp file beside its target; nothing is replaced yet.

    Large plans stage half of the files in a second process. Every temp file and folder
    made is recorded (in `change.temp` and `created_dirs`) even when staging fails, so the
    caller can remove them all.
    """
    from axogen.generate.fork import split

    halves = split(changes, _stage_part)
    parts = [_stage_part(changes)] if halves is None else list(halves)
    failures: list[TargetError] = []
    temps: list[str | None] = []
    for part_temps, part_dirs, part_failures in parts:
        temps.extend(part_temps)
        created_dirs.extend(part_dirs)
        failures.extend(TargetError(message, hint=hint) for message, hint in part_failures)
    for change, temp in zip(changes, temps, strict=True):
        change.temp = temp
    if failures:
        raise GenerateError(failures)


_StageResult = tuple[list[str | None], list[str], list[tuple[str, str]]]


def _stage_part(changes: Sequence[_Change]) -> _StageResult:
    """Stage `changes`; returns (temp file per change, folders created, failures)."""
    temps: list[str | None] = []
    created: list[str] = []
    failures: list[tuple[str, str]] = []
    suffix = f".axogen-{os.getpid()}.tmp"
    known_dirs: set[str] = set()
    umask = _umask()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for change in changes:
        file = change.file
        assert file.content is not None
        folder, name = os.path.split(file.path)
        temp = None
        try:
            if folder not in known_dirs:
                _make_dirs(folder, created)
                known_dirs.add(folder)
            path = os.path.join(folder, f".{name}{suffix}")
            # created with its final mode: the umask only removes bits, so a secret file
            # (0600) is never readable by others, even while it is being written
            fd = os.open(path, flags, change.new_mode)
            temp = path
            try:
                _write_all(fd, file.content)
                if change.new_mode & ~umask != change.new_mode:
                    os.fchmod(fd, change.new_mode)
            finally:
                os.close(fd)
        except OSError as e:
            failures.append(
                (
                    f"target {file.name!r} ({file.rel_path}): cannot write: {e.strerror or e}",
                    "check that the folder exists and is writable",
                )
            )
        temps.append(temp)
    return temps, created, failures


def _save_backups(changes: list[_Change], root: Path) -> None:
    """Keep a copy of every file about to be replaced whose target asks for backups."""
    failures: list[TargetError] = []
    for change in changes:
        file = change.file
        if file.backup is None or change.old_content is None:
            continue
        from axogen.generate.backup import save_backup

        try:
            save_backup(root, file.backup, file.rel_path, change.old_content)
        except OSError as e:
            failures.append(
                TargetError(
                    f"target {file.name!r} ({file.rel_path}): cannot back up the old file: "
                    f"{e.strerror or e}",
                    hint=f"check that {file.backup.folder} is writable, or turn backup off",
                )
            )
    if failures:
        raise GenerateError(failures)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _make_dirs(folder: str, created: list[str]) -> None:
    missing = []
    current = folder
    while not os.path.isdir(current):
        missing.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except FileExistsError:
            continue  # made meanwhile by the other staging process: not ours to remove
        created.append(path)


def _commit(changes: list[_Change]) -> None:
    """Replace every target with its temp file; on failure put back what was replaced."""
    done: list[_Change] = []
    try:
        for change in changes:
            assert change.temp is not None
            os.replace(change.temp, change.file.path)
            change.temp = None
            done.append(change)
    except OSError as e:
        failed = changes[len(done)].file
        _restore(done)
        raise GenerateError(
            [
                TargetError(
                    f"target {failed.name!r} ({failed.rel_path}): cannot replace the file: {e.strerror or e}; every file was restored"
                )
            ]
        ) from None
    except BaseException:
        _restore(done)
        raise


def _restore(done: list[_Change]) -> None:
    for change in reversed(done):
        path = change.file.path
        if change.old_content is None:
            _silent_unlink(path)
            continue
        temp = f"{path}.axogen-restore.tmp"
        _silent_unlink(temp)
        try:
            # created private and exclusive: the old content may hold secrets
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                _write_all(fd, change.old_content)
                if change.old_mode is not None:
                    os.fchmod(fd, change.old_mode)
            finally:
                os.close(fd)
            os.replace(temp, path)
        except OSError:
            _silent_unlink(temp)


def _silent_unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
