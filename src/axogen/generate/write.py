"""The one place that writes generated files: compare, stage, atomically replace, roll back.

When axogen cannot be sure, it refuses: a run ends with every file new, or every file as it
was (content and mode), and no temporary file left, whether it fails or a signal stops it.
"""

from __future__ import annotations

import enum
import functools
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from axogen.errors import GenerateError, Interrupted, TargetError
from axogen.generate.plan import PlannedFile, check_target_path
from axogen.lazyre import LazyPattern
from axogen.signals import held, is_interruption, stopped

if TYPE_CHECKING:
    import mmap

    from axogen.events import Events, Progress
    from axogen.generate.fork import Child


class Action(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MODE = "mode changed"


class Outcome(NamedTuple):
    file: PlannedFile
    action: Action
    # the written file's (inode, size, mtime_ns, mode) when it was written now
    identity: tuple[int, int, int, int] | None = None


class _Change:
    """One file's change in a write: staged (`temp`), then committed or undone."""

    __slots__ = (
        "file",
        "identity",
        "mode_only",
        "new_mode",
        "old_content",
        "old_folder",
        "old_mode",
        "placed",
        "temp",
    )

    def __init__(
        self,
        file: PlannedFile,
        old_content: bytes | None,
        old_mode: int | None,
        new_mode: int,
        *,
        mode_only: bool = False,
        old_folder: bool = True,
    ) -> None:
        self.file = file
        self.old_content = old_content
        self.old_mode = old_mode
        self.new_mode = new_mode
        self.temp: str | None = None
        self.identity: tuple[int, int, int, int] | None = None
        # a new file's temp file was put in its place as it was staged (see `_stage_part`);
        # set before the rename: while `temp` still exists, the rename has not happened
        self.placed = False
        # only the mode changes: done in place (same inode, same mtime), undone by a rollback
        self.mode_only = mode_only
        # its folder was there before this run: a killed run may have left temp files in it
        self.old_folder = old_folder


# --- temporary files ---------------------------------------------------------------------
#
# A file is staged as `.NAME.axogen-PID.NAME` beside its target NAME (leading dots of NAME
# taken off: `.env` -> `.env.axogen-PID.env`, `app.env` -> `.app.env.axogen-PID.app.env`).
# Why this shape:
# - it ends in the target's own name, so a git ignore rule that matches the target by its
#   end (`*.env`, `*.pem`, `*.secret.json`) matches the temp file too, and a rule that
#   ignores the folder does anyway; for a target whose name starts with a dot, rules that
#   match by the start (`.env*`, `.env.*`) match as well. An exact-name rule (`.env`,
#   `/auth/.env`, `secret.json`) can match no other name: for those, see docs/safety.md;
# - it starts with a dot: hidden from `ls` and from the globs programs read folders with
#   (nginx `include conf.d/*.conf`, shell `*.yaml`), which skip dot files, so nothing picks
#   up a half-written file;
# - it names the process that wrote it: a later run removes the temp files of a process
#   that is gone (see `_sweep`), and never those of a run still writing.
# A name too long for that shape becomes `.axogen-PID.` and the end of NAME.

_MAX_NAME = 255  # bytes in a file name, on every file system axogen writes to
_PID = LazyPattern(r"\.axogen-([1-9][0-9]{0,9})\.")


@functools.lru_cache(maxsize=1024)
def temp_name(name: str, pid: int) -> str:
    """The name under which process `pid` stages (or puts back) the file `name`."""
    # cached: the same few names (`.env`, `config.json`) come back in folder after folder
    core = name.lstrip(".") or name
    if len(core) <= 29 or len(os.fsencode(core)) <= (_MAX_NAME - 19) // 2:
        return f".{core}.axogen-{pid}.{core}"
    return f".axogen-{pid}.{_short_tail(core)}"


def _short_tail(core: str) -> str:
    # room for the longest pid (ten digits), whatever this one is: the name can be matched
    tail = core
    while len(os.fsencode(tail)) > _MAX_NAME - 19:
        tail = tail[1:]
    return tail


def _temp_path(path: str, pid: int) -> str:
    folder, name = os.path.split(path)
    return os.path.join(folder, temp_name(name, pid))


def _temp_owner(entry: str, names: set[str]) -> int | None:
    """The pid in `entry` when it is, exactly, the temp file's name of one of the files
    `names` (of one folder); also the `.NAME.axogen-PID.tmp` older versions of axogen used."""
    for match in _PID.finditer(entry):
        pid = int(match[1])
        head, tail = entry[: match.start()], entry[match.end() :]
        if head:  # `.CORE.axogen-PID.CORE` of NAME = CORE or .CORE; `.NAME.axogen-PID.tmp`
            candidates = [name for name in (tail, f".{tail}", head[1:]) if name in names]
        else:  # a long name's `.axogen-PID.END-OF-NAME`
            candidates = [name for name in names if len(name) > 29 and name.endswith(tail)]
        for name in candidates:
            if entry == temp_name(name, pid) or entry == f".{name}.axogen-{pid}.tmp":
                return pid
    return None


def _sweep(changes: Sequence[_Change], reserved: frozenset[str]) -> list[tuple[str, int, bool]]:
    """Remove the temp files a killed axogen left beside the files about to be written.

    Only files named exactly as axogen names the temp files of these targets, which are
    regular files and no target of this plan (`reserved`), and only when the process named
    in them cannot have written them (`_writer_gone`): a run writing at this moment keeps
    its own. One folder listing per folder that existed before this run (a folder made now
    is empty). Returns (path, pid, removed) for every such file found; a file of a process
    still running is left (removed False), unless it is one of ours.
    """
    by_folder: dict[str, set[str]] = {}
    for change in changes:
        if change.old_folder:
            folder, name = os.path.split(change.file.path)
            names = by_folder.get(folder)
            if names is None:
                by_folder[folder] = {name}
            else:
                names.add(name)
    found: list[tuple[str, int, bool]] = []
    ours = {os.getpid(), os.getppid()}
    for folder, names in by_folder.items():
        _sweep_folder(folder, names, reserved, ours, found)
    return found


def _sweep_folder(
    folder: str,
    names: set[str],
    reserved: frozenset[str],
    ours: set[int],
    found: list[tuple[str, int, bool]],
) -> None:
    try:
        entries = os.listdir(folder)
    except OSError:
        return  # staging meets the same problem and reports it
    for entry in entries:
        if ".axogen-" not in entry:
            continue
        pid = _temp_owner(entry, names)
        path = os.path.join(folder, entry)
        if pid is None or path in reserved:
            continue
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if not _writer_gone(pid, st.st_mtime):
            if pid not in ours:
                found.append((path, pid, False))
            continue
        try:
            os.unlink(path)
        except FileNotFoundError:
            continue  # the other staging process removed it
        except OSError:
            found.append((path, pid, False))
            continue
        found.append((path, pid, True))


def _writer_gone(pid: int, mtime: float) -> bool:
    """True when process `pid` cannot have written a file last changed at `mtime`: there is
    no such process, it has exited (a zombie its parent has not reaped yet), or the one now
    holding that number started after the change (the number was reused). When unsure (no
    /proc, another user's process), False."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass  # it exists, and belongs to another user
    found = _proc_stat(pid)
    if found is None:
        return False
    state, started = found
    # /proc gives the boot time in whole seconds: a margin, so a writer is never mistaken
    return state in ("Z", "X") or started > mtime + 2


_BOOT: list[float] = []


def _proc_stat(pid: int) -> tuple[str, float] | None:
    """Process `pid`'s state letter and start time (seconds since the epoch), from Linux's
    /proc; None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            # the fields after the command name (field 2, in parentheses, may hold spaces)
            fields = fh.read().rsplit(b")", 1)[1].split()
        if not _BOOT:
            with open("/proc/stat", "rb") as fh:
                for line in fh:
                    if line.startswith(b"btime "):
                        _BOOT.append(float(line.split()[1]))
        # field 3 is the state, field 22 the start time in clock ticks after boot
        started = _BOOT[0] + int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return fields[0].decode("ascii", "replace"), started
    except (OSError, IndexError, ValueError):
        return None


_UMASK: int | None = None


def umask() -> int:
    """The process's umask (asked once)."""
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
            result.append(_created(file, old_folder=False))  # its folder was made empty now
            continue
        try:
            if _check_path(file, root_str, checked_dirs, missing_dirs):
                result.append(_created(file, old_folder=False))
            else:
                result.append(_compare_one(file))
        except TargetError as e:
            failures.append(e)
    if failures:
        raise GenerateError(failures)
    return result


class UnsafeFolder(Exception):
    """A folder on the way to a file is a symlink, or not a folder, or cannot be inspected."""

    def __init__(self, where: str, path: str, *, symlink: bool = False, error: str = "") -> None:
        super().__init__(where)
        self.where = where  # the folder, relative to where the walk began
        self.path = path
        self.symlink = symlink
        self.error = error  # why it cannot be inspected, when that is the problem


def walk_folders(
    root: str,
    parts: Sequence[str],
    *,
    create: int | None = None,
    checked: set[str] | None = None,
    missing: set[str] | None = None,
) -> bool:
    """Check the folders `root/parts[0]`, `root/parts[0]/parts[1]`, …: each must be a real
    folder, never a symlink (axogen neither writes nor reads through one) nor a file.

    With `create` (a mode), missing folders are made; without it, the walk stops at the
    first missing one and returns False (the rest will be made as plain folders). `checked`
    and `missing` remember folders already known, across calls. Raises UnsafeFolder.
    """
    current = root
    for i, part in enumerate(parts):
        current = os.path.join(current, part)
        if checked is not None and current in checked:
            continue
        if missing is not None and current in missing:
            return False
        where = "/".join(parts[: i + 1])
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            if create is None:
                if missing is not None:
                    missing.add(current)
                return False
            try:
                os.mkdir(current, create)
            except FileExistsError:
                pass  # made meanwhile: checked below
            st = os.lstat(current)
        except OSError as e:
            raise UnsafeFolder(where, current, error=e.strerror or str(e)) from None
        if stat.S_ISLNK(st.st_mode):
            raise UnsafeFolder(where, current, symlink=True)
        if not stat.S_ISDIR(st.st_mode):
            raise UnsafeFolder(where, current)
        if checked is not None:
            checked.add(current)
    return True


def _check_path(
    file: PlannedFile, root: str, checked_dirs: set[str], missing_dirs: set[str]
) -> bool:
    """Refuse a path that goes through a symlink or a non-directory under the root.

    Returns True when a folder on the path does not exist yet (so neither does the file).
    """
    folders = file.rel_path.split("/")[:-1]
    try:
        return not walk_folders(root, folders, checked=checked_dirs, missing=missing_dirs)
    except UnsafeFolder as e:
        where = f"target {file.name!r} ({file.rel_path})"
        if e.error:
            raise TargetError(f"{where}: cannot inspect {e.path}: {e.error}") from None
        if e.symlink:
            raise TargetError(
                f"{where}: {e.where} is a symlink; axogen never writes through symlinks",
                hint="replace the symlink with a real directory, or change the target path",
            ) from None
        raise TargetError(f"{where}: {e.where} is not a directory") from None


def write_file_atomically(
    path: str | os.PathLike[str],
    data: bytes,
    mode: int | None = None,
    *,
    new_mode: int = 0o600,
    durable: bool = True,
) -> tuple[int, int, int, int]:
    """Replace one file that is not a target (the files `init` and `env` edit, `.env.keys`,
    a backup and its folder's `.gitignore`, the render cache) the way the writer replaces a
    target: staged in a temp file beside it, named as the writer names its own (so git
    ignores it where it ignores the file, and a later run removes it if this process is
    killed), created with its final mode, flushed to disk (unless not `durable`: a cache),
    then renamed over the file.

    A failure or a signal at any moment leaves the old file as it was and no temp file.
    The file keeps its mode unless `mode` is given; a new one gets `new_mode`. A symlink
    (or anything but a regular file) at `path` is refused with AxogenError; the folders on
    the way are the caller's to check (`walk_folders`). Returns the new file's (inode, size,
    mtime_ns, mode).
    """
    from axogen.errors import AxogenError

    target = os.fspath(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        old_mode = None
    else:
        if stat.S_ISLNK(st.st_mode):
            raise AxogenError(f"{target} is a symlink; axogen never writes through symlinks")
        if not stat.S_ISREG(st.st_mode):
            raise AxogenError(f"{target} exists and is not a regular file")
        old_mode = stat.S_IMODE(st.st_mode)
    final = mode if mode is not None else old_mode if old_mode is not None else new_mode
    temp = _temp_path(target, os.getpid())
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    _silent_unlink(temp)  # this process's own (its pid is in the name), from a cut-short write
    try:
        fd = os.open(temp, flags, final)
        try:
            _write_all(fd, data)
            if final & ~umask() != final:
                os.fchmod(fd, final)
            if durable:
                os.fsync(fd)
            done = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        _silent_unlink(temp)
        raise
    return (done.st_ino, done.st_size, done.st_mtime_ns, done.st_mode)


def _created(
    file: PlannedFile, *, old_folder: bool = True
) -> tuple[PlannedFile, Action, _Change | None]:
    if file.mode is not None:
        mode = file.mode
    else:
        mode = 0o600 if file.has_secrets else 0o666 & ~umask()
    return file, Action.CREATED, _Change(file, None, None, mode, old_folder=old_folder)


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
                change = _Change(file, old_content, old_mode, new_mode, mode_only=True)
                return file, Action.MODE, change
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
    files: Sequence[PlannedFile],
    root: Path,
    folders: Folders | None = None,
    events: Events | None = None,
) -> list[Outcome]:
    """Write every changed file, all or nothing. Returns what happened to each file.

    Content and mode changes form one transaction: a failure, Ctrl-C, SIGTERM or SIGHUP
    at any moment puts back every file already replaced and every mode already changed,
    and removes every new file, temp file, new backup and folder this run made (`folders`,
    from `make_folders`, too). A signal then ends the run as `Interrupted`, saying so.
    """
    created_dirs: list[str] = list(folders.created) if folders else []
    try:
        decisions = compare(files, root, folders)
    except BaseException as exc:
        with held(drop=is_interruption(exc)):
            remove_folders(created_dirs)
        if is_interruption(exc):
            raise stopped(exc, "nothing was written") from None
        raise
    changes: list[_Change] = []
    modes: list[_Change] = []
    for _, _, change in decisions:
        if change is not None:
            (modes if change.mode_only else changes).append(change)
    from axogen.events import QUIET
    from axogen.generate.fork import parent_share

    events = events or QUIET

    # a target whose own name looks like a temp file's is never taken for one
    reserved = frozenset(f.path for f in files if ".axogen-" in f.path)
    swept: list[tuple[str, int, bool]] = []
    saved: list[Path] = []
    steps = parent_share(len(changes)) + len(changes)
    try:
        with events.progress(f"writing {len(changes)} files", steps) as progress:
            _stage(
                changes,
                created_dirs,
                folders.usable if folders else frozenset(),
                progress,
                swept=swept,
                reserved=reserved,
            )
            _save_backups(changes, root, saved)
            _commit(modes + changes, progress)
    except BaseException as exc:
        # a second signal must not cut the clean-up short
        with held(drop=is_interruption(exc)):
            lost = _discard_staged(changes)
            for backup in saved:
                _silent_unlink(str(backup))  # a copy of a file that stays as it is
            remove_folders(created_dirs)
            _report_swept(swept, events)
        if lost:
            if is_interruption(exc):
                details = "; ".join(str(f) for f in lost)
                raise stopped(exc, f"{_lost_outcome(lost)}: {details}") from None
            failed = exc.failures if isinstance(exc, GenerateError) else []
            raise GenerateError([*failed, *lost], outcome=_lost_outcome(lost)) from exc
        if is_interruption(exc) and not (isinstance(exc, Interrupted) and exc.detail):
            raise stopped(exc, "nothing was written") from None
        raise
    _report_swept(swept, events)
    if saved:
        from axogen.generate.backup import prune_backups

        prune_backups(root, [c.file for c in changes if c.file.backup is not None])
    return [
        Outcome(file, action, change.identity if change is not None else None)
        for file, action, change in decisions
    ]


def _discard_staged(changes: list[_Change]) -> list[TargetError]:
    """Remove what staging made: every temp file, and every new file already put in place.
    Returns a failure for each new file that could not be removed."""
    placed: list[_Change] = []
    for change in changes:
        temp = change.temp
        if temp is None:
            continue
        if change.placed and not os.path.lexists(temp):
            placed.append(change)  # renamed onto the target, which did not exist before
        else:
            _silent_unlink(temp)
        change.temp = None
    return _restore(placed)  # a new file's old state: no file


def _report_swept(swept: list[tuple[str, int, bool]], out: Events) -> None:
    removed = [path for path, _, gone in swept if gone]
    try:
        if removed:
            out.warn(
                f"removed {len(removed)} temporary file{'s' if len(removed) != 1 else ''} "
                f"left by an axogen run that was killed (such as {removed[0]})"
            )
            for path in removed:
                out.verbose(f"removed   {path}")
        for path, pid, gone in swept:
            if not gone:
                out.warn(
                    f"{path} looks like a temporary file of axogen process {pid}, which is "
                    "still running (or cannot be checked); left alone"
                )
    except OSError:
        pass  # a closed terminal
    swept.clear()


def _stage(
    changes: list[_Change],
    created_dirs: list[str],
    known_dirs: frozenset[str] = frozenset(),
    progress: Progress | None = None,
    *,
    swept: list[tuple[str, int, bool]] | None = None,
    reserved: frozenset[str] = frozenset(),
) -> None:
    """Write every new content to a temp file beside its target. A file that did not
    exist is put in place at once (`change.placed`); no existing file is replaced yet.

    Large plans stage half of the files in a second process, which ignores Ctrl-C, SIGTERM
    and SIGHUP and always reports what it made. Every temp file, new file and folder made
    is recorded (in `change.temp`, `change.placed` and `created_dirs`) even when staging
    fails or is interrupted, so the caller can remove them all (`_discard_staged`). Each
    process first removes the temp files a killed run left beside its files (`_sweep`),
    adding them to `swept`.
    """
    from axogen.generate.fork import can_fork, start

    if swept is None:
        swept = []
    half = len(changes) // 2 if can_fork(len(changes)) else len(changes)
    mine, theirs = changes[:half], changes[half:]
    child = None
    placing: mmap.mmap | None = None
    if theirs:
        import mmap

        # shared with the child: a byte per file it is about to put in place, so that the
        # parent can undo that even if the child is killed before it reports
        placing = mmap.mmap(-1, len(theirs))

        def stage_theirs() -> _ChildReport:
            created: list[str] = []
            found = _sweep(theirs, reserved)
            failures = _stage_part(theirs, known_dirs, created, placing=placing)
            return [(c.temp, c.identity, c.placed) for c in theirs], created, failures, found

        child = start(stage_theirs, ignore_interrupts=True)
    failures: list[tuple[str, str]] = []
    try:
        swept += _sweep(mine, reserved)
        failures += _stage_part(mine, known_dirs, created_dirs, progress)
    finally:
        if child is not None:
            assert placing is not None
            failures += _take_report(child, theirs, created_dirs, swept, placing)
    if failures:
        raise GenerateError([TargetError(message, hint=hint) for message, hint in failures])


# the second process's staging: (temp file, identity, placed) per change, folders made,
# failures, temp files of killed runs found
_ChildReport = tuple[
    list[tuple[str | None, tuple[int, int, int, int] | None, bool]],
    list[str],
    list[tuple[str, str]],
    list[tuple[str, int, bool]],
]


def _take_report(
    child: Child,
    changes: Sequence[_Change],
    created_dirs: list[str],
    swept: list[tuple[str, int, bool]],
    placing: mmap.mmap,
) -> list[tuple[str, str]]:
    """Wait for the staging child and record what it made; a signal that came meanwhile
    is raised once that is recorded (held back until then: none can come in between)."""
    with held():
        try:
            (staged, created, failures, found), interrupted = child.report()
        except RuntimeError as e:
            # no report (the child was killed): every temp file it may have made, and every
            # new file it began to put in place (`placing`), is for the caller to remove
            for i, change in enumerate(changes):
                change.temp = _temp_path(change.file.path, child.pid)
                change.placed = bool(placing[i])
            return [(f"staging failed in the second process: {e}", "run again")]
        created_dirs.extend(created)
        swept.extend(found)
        for change, (temp, identity, placed) in zip(changes, staged, strict=True):
            change.temp = temp
            change.identity = identity
            change.placed = placed
    if interrupted is not None:
        raise interrupted
    failures_out: list[tuple[str, str]] = failures
    return failures_out


def _stage_part(
    changes: Sequence[_Change],
    usable: frozenset[str],
    created: list[str],
    progress: Progress | None = None,
    *,
    placing: mmap.mmap | None = None,
) -> list[tuple[str, str]]:
    """Stage `changes`: sets each one's `temp` and `identity` the moment its temp file
    exists, and appends each folder made to `created`. Returns the failures.

    A file that did not exist is renamed into place as soon as it is written: nothing is
    replaced, and the commit has that much less to do alone (10,000 new files: 65 ms). Each
    such change is marked `placed` (and byte i of `placing` set) just before its rename.

    Folders in `usable` are known to exist already. A temp file's identity (inode, size,
    mtime, mode) is the target's once the temp file replaces it: the render cache keeps it.
    """
    failures: list[tuple[str, str]] = []
    pid = os.getpid()
    known_dirs: set[str] = set(usable)
    mask = umask()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for i, change in enumerate(changes):
        file = change.file
        assert file.content is not None
        folder, name = os.path.split(file.path)
        try:
            if folder not in known_dirs:
                _make_dirs(folder, created)
                known_dirs.add(folder)
            path = os.path.join(folder, temp_name(name, pid))
            # recorded before it exists: a signal right after the open must not lose it
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
                if change.new_mode & ~mask != change.new_mode:
                    os.fchmod(fd, change.new_mode)
                st = os.fstat(fd)
                change.identity = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode)
            finally:
                os.close(fd)
            if change.old_content is None:
                change.placed = True
                if placing is not None:
                    placing[i] = 1
                os.replace(path, file.path)
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


class Folders(NamedTuple):
    """Folders made ahead of the files, while the targets render.

    `created` lists the folders made, parents first; `usable` every folder known to be a
    real directory (made, or found and checked: no symlink, no file in the way).
    """

    created: tuple[str, ...]
    usable: frozenset[str]


def start_folders(paths: Sequence[str], root: Path) -> Child | None:
    """Make the folders of the target `paths` (the plan's relative paths, checked already)
    in a second process; None if not worth it.

    Creating thousands of folders is mostly time in the kernel, serialised on the parent
    folder; in a second process it runs while the targets render. The child ignores
    Ctrl-C, SIGTERM and SIGHUP so that its report of what it made is never lost:
    `finish_folders` waits for it.
    """
    from axogen.generate.fork import can_fork, start

    if not can_fork(len(paths)):
        return None
    root_str = str(root)
    return start(lambda: make_folders(paths, root_str, checked=True), ignore_interrupts=True)


def finish_folders(child: Child | None, *, cleanup: bool = False) -> Folders | None:
    """Wait for `start_folders`'s process; its report, or None if it made nothing known.

    A signal that came while waiting is raised (the report stays with `child`, so the
    caller's clean-up gets it with `cleanup=True`, which never raises it).
    """
    if child is None:
        return None
    try:
        folders, interrupted = child.report()
    except RuntimeError:
        return None
    if interrupted is not None and not cleanup:
        raise interrupted
    return folders if isinstance(folders, Folders) else None


def make_folders(paths: Iterable[str], root: str, *, checked: bool = False) -> Folders:
    """Create the missing folders of the target `paths` (relative to `root`).

    Never goes through a symlink or past a file: such a path, or one that leaves the
    project, is skipped here and reported by the writer. Stops early, keeping what it
    made, if the file system refuses. `checked`: the paths are the plan's own, already
    normalised and checked by `check_target_path`.
    """
    created: list[str] = []
    made: set[str] = set()
    usable: dict[str, bool] = {}
    seen: set[str] = set()
    sep = os.sep
    try:
        for raw in paths:
            if checked:
                rel = raw
            else:
                try:
                    rel = check_target_path("", raw)
                except TargetError:
                    continue
            folder = rel.rpartition("/")[0]
            if folder in seen or not folder:
                continue  # its folders are done (files of one folder, the common case)
            seen.add(folder)
            current = root.rstrip(sep)  # the file system's root is "/": "" + "/" + part
            for part in folder.split("/"):
                # joined by hand: this loop runs once per folder of 10,000 (os.path.join: 8 ms)
                parent, current = current, f"{current}{sep}{part}"
                ok = usable.get(current)
                if ok is None:
                    found = _ensure_folder(current, new_parent=parent in made)
                    if found is None:
                        made.add(current)
                        created.append(current)
                    ok = usable[current] = found is not False
                if not ok:
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


def _save_backups(changes: list[_Change], root: Path, saved: list[Path]) -> None:
    """Keep a copy of every file about to be replaced whose target asks for backups;
    `saved` gets each one the moment it exists (removed again if the run fails)."""
    kept = [c for c in changes if c.file.backup is not None and c.old_content is not None]
    if not kept:
        return  # nothing to back up: not even the backup module is imported
    from axogen.generate.backup import BackupError, save_backup

    failures: list[TargetError] = []
    for change in kept:
        file = change.file
        assert file.backup is not None and change.old_content is not None
        try:
            save_backup(root, file.backup, file.rel_path, change.old_content, saved)
        except BackupError as e:
            failures.append(
                TargetError(f"target {file.name!r} ({file.rel_path}): {e}", hint=e.hint)
            )
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
    written = os.write(fd, data)
    if written == len(data):
        return  # the usual case: no view to make
    view = memoryview(data)[written:]
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
    """Replace every target with its temp file, and change the modes of `mode_only`
    changes; on failure or a signal, undo every step done, in reverse, and remove the new
    files staging put in place."""
    done: list[_Change] = []
    failed: _Change | None = None
    try:
        # the new files staging put in place pass to the commit's care (undone with the
        # rest) in one step that no signal can cut in two
        with held():
            for change in changes:
                if change.placed:
                    done.append(change)
                    change.temp = None
        if progress is not None and done:
            progress.advance(len(done))
        for change in changes:
            if change.placed:
                continue
            failed = change
            # recorded before the step: a signal right after it must not lose it
            done.append(change)
            try:
                if change.mode_only:
                    os.chmod(change.file.path, change.new_mode)
                    continue
                assert change.temp is not None
                os.replace(change.temp, change.file.path)
            except OSError:
                done.pop()
                raise
            change.temp = None
            if progress is not None:
                progress.advance()
    except OSError as e:
        assert failed is not None
        with held():
            lost = _restore(done)
        what = "change its mode" if failed.mode_only else "replace the file"
        message = f"target {failed.file.name!r} ({failed.file.rel_path}): cannot {what}: "
        message += f"{e.strerror or e}"
        if not lost:
            raise GenerateError([TargetError(f"{message}; every file was restored")]) from None
        raise GenerateError([TargetError(message), *lost], outcome=_lost_outcome(lost)) from None
    except BaseException as exc:
        with held(drop=is_interruption(exc)):
            lost = _restore(done)
        if lost and is_interruption(exc):
            details = "; ".join(str(f) for f in lost)
            raise stopped(exc, f"{_lost_outcome(lost)}: {details}") from None
        raise


def _lost_outcome(lost: list[TargetError]) -> str:
    count = len(lost)
    return f"{count} file{'s' if count != 1 else ''} already changed could not be put back"


def _restore(done: list[_Change]) -> list[TargetError]:
    """Put back the old content and mode of every file in `done`, newest first; returns a
    failure for each file that could not be put back (they are never silently lost)."""
    lost: list[TargetError] = []
    pid = os.getpid()
    for change in reversed(done):
        path = change.file.path
        where = f"target {change.file.name!r} ({change.file.rel_path})"
        if change.mode_only:
            try:
                assert change.old_mode is not None
                os.chmod(path, change.old_mode)
            except OSError as e:
                lost.append(TargetError(f"{where}: cannot put its mode back: {e.strerror}"))
            continue
        if change.old_content is None:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as e:
                lost.append(TargetError(f"{where}: cannot remove the new file: {e.strerror}"))
            continue
        temp = _temp_path(path, pid)
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
        except OSError as e:
            _silent_unlink(temp)
            lost.append(TargetError(f"{where}: cannot put the old file back: {e.strerror}"))
    return lost


def _silent_unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
