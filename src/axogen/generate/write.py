"""The one place that writes generated files: compare, stage, atomically replace, roll back."""

from __future__ import annotations

import dataclasses
import enum
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from axogen.errors import GenerateError, TargetError
from axogen.generate.plan import PlannedFile, check_target_path

if TYPE_CHECKING:
    from axogen.console import Progress
    from axogen.generate.fork import Child


class Action(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MODE = "mode changed"


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    file: PlannedFile
    action: Action
    # the written file's (inode, size, mtime_ns, mode) when it was written now
    identity: tuple[int, int, int, int] | None = None


@dataclasses.dataclass(slots=True)
class _Change:
    file: PlannedFile
    old_content: bytes | None
    old_mode: int | None
    new_mode: int
    temp: str | None = None
    identity: tuple[int, int, int, int] | None = None


_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0)
        os.umask(_UMASK)
    return _UMASK


def compare(
    files: Sequence[PlannedFile], root: Path, folders: Folders | None = None
) -> list[tuple[PlannedFile, Action, _Change | None]]:
    """Decide for every file whether it is created, updated or unchanged; check its path.

    `folders` are the folders made ahead by `make_folders` for this plan. Raises
    GenerateError naming every unsafe path. Reads files, writes nothing.
    """
    checked_dirs: set[str] = set(folders.usable) if folders else set()
    new_dirs = frozenset(folders.created) if folders else frozenset()
    missing_dirs: set[str] = set()
    failures: list[TargetError] = []
    result: list[tuple[PlannedFile, Action, _Change | None]] = []
    root_str = str(root)
    for file in files:
        if file.content is None:
            # the render cache vouched for this file: it holds what the target produces
            result.append((file, Action.UNCHANGED, None))
            continue
        if new_dirs and os.path.dirname(file.path) in new_dirs:
            result.append(_created(file))  # its folder was made empty by this run
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


def write_plan(
    files: Sequence[PlannedFile], root: Path, folders: Folders | None = None
) -> list[Outcome]:
    """Write every changed file, all or nothing. Returns what happened to each file.

    `folders` (from `make_folders`) are removed again, with every folder made here, when
    the write fails.
    """
    created_dirs: list[str] = list(folders.created) if folders else []
    try:
        decisions = compare(files, root, folders)
        changes = [
            change
            for _, action, change in decisions
            if change is not None and action is not Action.MODE
        ]
    except BaseException:
        remove_folders(created_dirs)
        raise
    from axogen import console
    from axogen.generate.fork import parent_share

    steps = parent_share(len(changes)) + len(changes)
    try:
        with console.get().progress(f"writing {len(changes)} files", steps) as progress:
            _stage(changes, created_dirs, folders.usable if folders else frozenset(), progress)
            _save_backups(changes, root)
            _commit(changes, progress)
    except BaseException:
        for change in changes:
            if change.temp is not None:
                _silent_unlink(change.temp)
        remove_folders(created_dirs)
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
    return [
        Outcome(file, action, change.identity if change is not None else None)
        for file, action, change in decisions
    ]


def _stage(
    changes: list[_Change],
    created_dirs: list[str],
    known_dirs: frozenset[str] = frozenset(),
    progress: Progress | None = None,
) -> None:
    """Write every new content to a temp file beside its target; nothing is replaced yet.

    Large plans stage half of the files in a second process, which ignores Ctrl-C and
    always reports what it made. Every temp file and folder made is recorded (in
    `change.temp` and `created_dirs`) even when staging fails or is interrupted, so the
    caller can remove them all.
    """
    from axogen.generate.fork import can_fork, start

    half = len(changes) // 2 if can_fork(len(changes)) else len(changes)
    mine, theirs = changes[:half], changes[half:]
    child = None
    if theirs:

        def stage_theirs() -> _ChildReport:
            created: list[str] = []
            failures = _stage_part(theirs, known_dirs, created)
            return [(c.temp, c.identity) for c in theirs], created, failures

        child = start(stage_theirs, ignore_interrupts=True)
    failures: list[tuple[str, str]] = []
    try:
        failures += _stage_part(mine, known_dirs, created_dirs, progress)
    finally:
        if child is not None:
            failures += _take_report(child, theirs, created_dirs)
    if failures:
        raise GenerateError([TargetError(message, hint=hint) for message, hint in failures])


# the second process's staging: (temp file, identity) per change, folders made, failures
_ChildReport = tuple[
    list[tuple[str | None, tuple[int, int, int, int] | None]], list[str], list[tuple[str, str]]
]


def _take_report(
    child: Child, changes: Sequence[_Change], created_dirs: list[str]
) -> list[tuple[str, str]]:
    """Wait for the staging child (through Ctrl-C) and record what it made; a Ctrl-C that
    came meanwhile is raised once that is recorded."""
    try:
        (staged, created, failures), interrupted = child.report()
    except RuntimeError as e:
        return [(f"staging failed in the second process: {e}", "run again")]
    created_dirs.extend(created)
    for change, (temp, identity) in zip(changes, staged, strict=True):
        change.temp = temp
        change.identity = identity
    if interrupted:
        raise KeyboardInterrupt
    failures_out: list[tuple[str, str]] = failures
    return failures_out


def _stage_part(
    changes: Sequence[_Change],
    usable: frozenset[str],
    created: list[str],
    progress: Progress | None = None,
) -> list[tuple[str, str]]:
    """Stage `changes`: sets each one's `temp` and `identity` the moment its temp file
    exists, and appends each folder made to `created`. Returns the failures.

    Folders in `usable` are known to exist already. A temp file's identity (inode, size,
    mtime, mode) is the target's once the temp file replaces it: the render cache keeps it.
    """
    failures: list[tuple[str, str]] = []
    suffix = f".axogen-{os.getpid()}.tmp"
    known_dirs: set[str] = set(usable)
    umask = _umask()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for change in changes:
        file = change.file
        assert file.content is not None
        folder, name = os.path.split(file.path)
        try:
            if folder not in known_dirs:
                _make_dirs(folder, created)
                known_dirs.add(folder)
            path = os.path.join(folder, f".{name}{suffix}")
            # recorded before it exists: Ctrl-C right after the open must not lose it
            change.temp = path
            # created with its final mode: the umask only removes bits, so a secret file
            # (0600) is never readable by others, even while it is being written
            try:
                fd = os.open(path, flags, change.new_mode)
            except OSError:
                change.temp = None
                raise
            try:
                _write_all(fd, file.content)
                if change.new_mode & ~umask != change.new_mode:
                    os.fchmod(fd, change.new_mode)
                st = os.fstat(fd)
                change.identity = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode)
            finally:
                os.close(fd)
        except OSError as e:
            failures.append(
                (
                    f"target {file.name!r} ({file.rel_path}): cannot write: {e.strerror or e}",
                    "check that the folder exists and is writable",
                )
            )
        if progress is not None:
            progress.advance()
    return failures


@dataclasses.dataclass(frozen=True, slots=True)
class Folders:
    """Folders made ahead of the files, while the targets render.

    `created` lists the folders made, parents first; `usable` every folder known to be a
    real directory (made, or found and checked: no symlink, no file in the way).
    """

    created: tuple[str, ...]
    usable: frozenset[str]


def start_folders(paths: Sequence[str], root: Path) -> Child | None:
    """Make the folders of the target `paths` in a second process; None if not worth it.

    Creating thousands of folders is mostly time in the kernel, serialised on the parent
    folder; in a second process it runs while the targets render. The child ignores
    Ctrl-C so that its report of what it made is never lost: `finish_folders` waits for it.
    """
    from axogen.generate.fork import can_fork, start

    if not can_fork(len(paths)):
        return None
    root_str = str(root)
    return start(lambda: make_folders(paths, root_str), ignore_interrupts=True)


def finish_folders(child: Child | None, *, cleanup: bool = False) -> Folders | None:
    """Wait for `start_folders`'s process; its report, or None if it made nothing known.

    A Ctrl-C that came while waiting is raised (the report stays with `child`, so the
    caller's clean-up gets it with `cleanup=True`, which never raises it).
    """
    if child is None:
        return None
    try:
        folders, interrupted = child.report()
    except RuntimeError:
        return None
    if interrupted and not cleanup:
        raise KeyboardInterrupt
    return folders if isinstance(folders, Folders) else None


def make_folders(paths: Iterable[str], root: str) -> Folders:
    """Create the missing folders of the target `paths` (relative to `root`).

    Never goes through a symlink or past a file: such a path, or one that leaves the
    project, is skipped here and reported by the writer. Stops early, keeping what it
    made, if the file system refuses.
    """
    created: list[str] = []
    made: set[str] = set()
    usable: dict[str, bool] = {}
    try:
        for raw in paths:
            try:
                rel = check_target_path("", raw)
            except TargetError:
                continue
            current = root
            for part in rel.split("/")[:-1]:
                parent, current = current, os.path.join(current, part)
                if current not in usable:
                    found = _ensure_folder(current, new_parent=parent in made)
                    if found is None:
                        made.add(current)
                        created.append(current)
                    usable[current] = found is not False
                if not usable[current]:
                    break
    except Exception:
        pass  # the writer meets the same problem and reports it
    return Folders(tuple(created), frozenset(k for k, ok in usable.items() if ok))


def _ensure_folder(path: str, *, new_parent: bool) -> bool | None:
    """None when `path` was made now; True when it is a real directory; False otherwise."""
    if not new_parent:  # in a folder made a moment ago, nothing can be there yet
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            pass
        except OSError:
            return False
        else:
            return stat.S_ISDIR(st.st_mode) and not stat.S_ISLNK(st.st_mode)
    try:
        os.mkdir(path)
    except OSError:
        return False
    return None


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


def remove_folders(folders: Sequence[str]) -> None:
    """Remove folders this run made (listed parents first), where they are still empty."""
    for folder in reversed(folders):
        try:
            os.rmdir(folder)
        except OSError:
            pass


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
        created.append(path)  # before it exists: Ctrl-C right after the mkdir must not lose it
        try:
            os.mkdir(path)
        except OSError as e:
            created.pop()
            if isinstance(e, FileExistsError):
                continue  # made meanwhile by the other staging process: not ours to remove
            raise


def _commit(changes: list[_Change], progress: Progress | None = None) -> None:
    """Replace every target with its temp file; on failure put back what was replaced."""
    done: list[_Change] = []
    try:
        for change in changes:
            assert change.temp is not None
            done.append(change)  # before the rename: Ctrl-C right after it must not lose it
            try:
                os.replace(change.temp, change.file.path)
            except OSError:
                done.pop()
                raise
            change.temp = None
            if progress is not None:
                progress.advance()
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
