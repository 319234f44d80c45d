"""`axogen generate --watch`: generate, then generate again whenever an input changes.

Watched: the config's folder, recursively — the config itself, the modules it imports,
`.env.axogen` and its profile and `.local` variants, and any file the config reads — plus
the env files `load_env` read outside that folder (and their variants). Ignored: every
target's output file (axogen's own writes, so a run never triggers another), the writer's
temporary files, backup folders, the render cache, editor swap files, and the folders
`.git`, `.venv`, `venv`, `node_modules`, `__pycache__` and tool caches.

Changes are grouped until the files have been quiet for the debounce time; then the whole
generate runs again, executing the config afresh. A failing run prints its error and
watching goes on; Ctrl-C stops with exit code 130.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from axogen.commands import Options
from axogen.errors import AxogenError, Interrupted, UsageError

if TYPE_CHECKING:
    from watchfiles import Change

    from axogen.config.model import LoadedConfig

IGNORED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        ".idea",
        ".direnv",
        ".axogen",
    }
)
# editor droppings (vim swap files, emacs locks, backups~) and the writer's temp files
# (`.NAME.axogen-PID.NAME`, a long name's `.axogen-PID.END`, and older axogens' `.tmp`)
_IGNORED_NAMES = re.compile(
    r"\.py[cod]$|\.sw.$|~$|^\.#|^\.DS_Store$|^flycheck_|\.___jb_\w+___$|\.axogen-\d+\.tmp$"
    r"|^\.(.+)\.axogen-\d+\.\1$|^\.axogen-\d+\."
)


@dataclasses.dataclass(frozen=True, slots=True)
class WatchSet:
    """What to watch and what to ignore, from one load of the config."""

    root: str
    outputs: frozenset[str] = frozenset()
    ignored_dirs: tuple[str, ...] = ()
    # env files load_env read outside the root: (folder, file name)
    outside: frozenset[tuple[str, str]] = frozenset()

    def paths(self) -> list[str]:
        """The folders to watch recursively: the root, and the folders of outside env files."""
        folders = sorted({self.root, *(folder for folder, _ in self.outside)})
        return [f for f in folders if not any(_inside(f, other) for other in folders if other != f)]

    def accepts(self, path: str) -> bool:
        """True when a change of `path` should trigger a new generate."""
        file = PurePath(path)
        if path in self.outputs or _IGNORED_NAMES.search(file.name):
            return False
        if any(_inside(path, d) for d in self.ignored_dirs):
            return False
        if _inside(path, self.root):
            folders = file.relative_to(self.root).parts[:-1]
            return not any(part in IGNORED_DIRS for part in folders)
        folder, name = str(file.parent), file.name
        # `.env.axogen` read from elsewhere, and its profile and .local variants beside it
        return any(folder == f and (name == n or name.startswith(n + ".")) for f, n in self.outside)


def watch_set(loaded: LoadedConfig) -> WatchSet:
    """The watch set of a loaded config: its outputs, backup folders and env files."""
    from axogen.generate.cache import cache_dir

    root = str(loaded.root)
    outputs = set()
    ignored = []
    for target in loaded.config.targets.values():
        outputs.add(os.path.normpath(loaded.root / target.path))
        if target.backup is not None:
            ignored.append(os.path.normpath(loaded.root / target.backup.folder))
    cache = cache_dir()
    if cache is not None:
        ignored.append(str(cache.absolute()))
    outside = set()
    for env_file in loaded.env_files:
        path = env_file.absolute()
        if not _inside(str(path), root):
            outside.add((str(path.parent), path.name))
    return WatchSet(root, frozenset(outputs), tuple(ignored), frozenset(outside))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def run_watch(
    opts: Options,
    *,
    targets: Sequence[str] = (),
    dry_run: bool = False,
    debounce_ms: int = 200,
) -> int:
    from axogen.config.loader import locate

    out = opts.run.console
    config_file = locate(opts.config_file, opts.directory)
    # a module edited twice within a second (same size) could be read from a stale .pyc
    sys.dont_write_bytecode = True
    watcher = _Watcher(opts, targets, dry_run, WatchSet(str(config_file.parent)))
    try:
        watcher.generate(first=True)
        announced = False
        while True:
            paths = watcher.current.paths()
            for changed in watcher.changes(paths, debounce_ms):
                if not changed:
                    if not announced:
                        # only now is the watcher in place: an edit from here on is seen
                        announced = True
                        root = _display(watcher.current.root)
                        out.out(f"watching {root} for changes (Ctrl-C to stop)")
                        _flush()
                    continue
                out.status("changed", _summary(changed), "36")
                watcher.generate(first=False)
                _flush()
                if watcher.current.paths() != paths:
                    break  # an env file is now read from another folder: watch anew
    except KeyboardInterrupt:
        _flush()
        return 130
    except Interrupted as e:  # SIGTERM, SIGHUP: 128 + the signal's number
        _flush()
        return e.exit_code


class _Watcher:
    """Runs generate, each time as a run of its own, and keeps the watch set of the config's
    latest successful load."""

    def __init__(
        self, opts: Options, targets: Sequence[str], dry_run: bool, current: WatchSet
    ) -> None:
        self.opts = opts
        self.targets = targets
        self.dry_run = dry_run
        self.current = current

    def generate(self, *, first: bool) -> None:
        """Run generate; a failure is printed and watching goes on."""
        from axogen.commands.generate import run_generate

        run = self.opts.run.next()  # a load and a session of its own
        out = run.console
        if not first:
            forget_project_modules(self.current.root)

        def learn(loaded: LoadedConfig) -> None:
            # the config may have changed what it writes and reads: watch accordingly
            self.current = watch_set(loaded)

        opts = self.opts.replace(run=run)
        with run:
            try:
                run_generate(opts, targets=self.targets, dry_run=self.dry_run, on_loaded=learn)
            except AxogenError as e:
                if first and isinstance(e, UsageError):
                    raise  # a --target that names nothing: a mistake on the command line
                out.error(str(e))
                out.out("waiting for a change…")

    def changes(self, paths: list[str], debounce_ms: int) -> Iterator[list[str]]:
        """Each batch of changed paths the current watch set accepts, once files are quiet;
        an empty batch now and then while nothing changes."""
        import watchfiles

        def accept(change: Change, path: str) -> bool:
            # reads the set at the time of the event: outputs learnt after the last run count
            return self.current.accepts(path)

        for batch in watchfiles.watch(
            *paths,
            watch_filter=accept,
            step=debounce_ms,
            debounce=max(2000, 10 * debounce_ms),
            rust_timeout=200,
            yield_on_timeout=True,
            raise_interrupt=True,
        ):
            kinds: dict[str, set[Change]] = {}
            for change, path in batch:
                kinds.setdefault(path, set()).add(change)
            # a file that came and went within the batch (sed -i's or an editor's temp file)
            changed = sorted(
                path
                for path, seen in kinds.items()
                if not (watchfiles.Change.added in seen and not os.path.lexists(path))
            )
            if batch and not changed:
                continue  # nothing but such files: nothing to generate again
            yield changed


def forget_project_modules(root: str) -> None:
    """Drop the project's own modules from sys.modules, so the config imports them afresh."""
    import importlib

    prefix = root.rstrip(os.sep) + os.sep
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if not isinstance(origin, str) or not origin.startswith(prefix):
            continue
        if name == "axogen" or name.startswith("axogen.") or name == "__main__":
            continue  # axogen itself may live in the project (an editable install)
        if "site-packages" in origin or "dist-packages" in origin:
            continue
        del sys.modules[name]
    importlib.invalidate_caches()


def _summary(paths: list[str]) -> str:
    shown = [_display(p) for p in paths[:3]]
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return ", ".join(shown) + more


def _display(path: str | os.PathLike[str]) -> str:
    from axogen.paths import shown

    return shown(path)


def _flush() -> None:
    # output reaches a pipe (tee, an editor's panel) as each run ends, not when a buffer fills
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
