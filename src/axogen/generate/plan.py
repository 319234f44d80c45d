"""Planning: config -> rendered file contents. Writes nothing; reads only the render cache."""

from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

from axogen.config.model import Config, Target
from axogen.errors import TargetError, UsageError
from axogen.events import QUIET, Events
from axogen.generate.render import DEFAULT_HEADER, PlannedFile, header_for, render_target

if TYPE_CHECKING:
    from axogen.events import Progress
    from axogen.generate.cache import RenderCache
    from axogen.secrets.finding import Finding

__all__ = [
    "DEFAULT_HEADER",
    "Plan",
    "PlannedFile",
    "check_target_path",
    "plan_targets",
    "select_targets",
]


class Plan(NamedTuple):
    """The rendered targets, the skipped ones, and every target that failed to render."""

    files: list[PlannedFile]
    skipped: list[str]
    failures: tuple[TargetError, ...] = ()


def select_targets(config: Config, patterns: Iterable[str] = ()) -> list[str]:
    """Names of the targets matching `patterns` (names or globs), all when none are given."""
    names = list(config.targets)
    patterns = list(patterns)
    if not patterns:
        return names
    chosen: dict[str, None] = {}
    unknown = []
    for pattern in patterns:
        matches = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
        if not matches:
            unknown.append(pattern)
        chosen.update(dict.fromkeys(matches))
    if unknown:
        from axogen.errors import close_names, did_you_mean

        close = [c for pattern in unknown for c in close_names(pattern, names)]
        if not names:
            known = "the config defines no targets"
        elif len(names) <= 20:
            known = f"targets: {', '.join(names)}"
        else:
            known = f"{len(names)} targets; `axogen list` shows them all"
        raise UsageError(
            f"unknown target {', '.join(map(repr, unknown))}{did_you_mean(close)}", hint=known
        )
    return [n for n in names if n in chosen]


def plan_targets(
    config: Config,
    root: Path,
    names: Iterable[str],
    config_name: str,
    *,
    cache: RenderCache | None = None,
    on_render: Callable[[list[str]], None] | None = None,
    inputs: Iterable[str] = (),
    declared: frozenset[str] = frozenset(),
    events: Events = QUIET,
) -> Plan:
    """Render every selected target; every one that fails is in `Plan.failures`.

    With a render cache, a target whose fingerprint and output file are unchanged since
    axogen last wrote or checked it is not rendered (its PlannedFile has no content).
    `on_render` sees the relative paths of the targets about to render, once the cache has
    been asked about every target. `inputs` are the relative paths of the files the config
    read (itself, its env files): no target may overwrite one. `declared` are the values of
    the env model's secrets: any string that contains one holds a declared secret.
    """
    protected = frozenset(inputs)
    files: list[PlannedFile | _Job] = []
    skipped: list[str] = []
    failures: list[TargetError] = []
    default_header = DEFAULT_HEADER.format(config=config_name)
    seen_paths: dict[str, str] = {}
    # os.path.join(root, rel) for a relative rel, by one concatenation (10,000 targets: 8 ms)
    root_prefix = os.path.join(str(root), "")
    if cache is not None and cache.file is None:
        cache = None  # no cache file (AXOGEN_NO_CACHE): nothing to look up or record
    for name in names:
        target = config.targets[name]
        if not target.condition:
            skipped.append(name)
            continue
        try:
            rel = check_target_path(name, target.path)
            if rel in protected or rel.rsplit("/", 1)[-1] in (".env.axogen", ".env.axogen.local"):
                raise TargetError(
                    f"target {name!r} ({rel}): that is one of axogen's own inputs (the config "
                    "or an env file); writing it would destroy it",
                    hint="choose another path for the target",
                )
            other = seen_paths.get(rel)
            if other is not None:
                raise TargetError(f"target {name!r} ({rel}): target {other!r} writes the same file")
            seen_paths[rel] = name
            abs_path = root_prefix + rel
            header = header_for(target.header, default_header)
            fingerprint = None
            later = None
            if cache is not None:
                if name in cache.entries:
                    fingerprint = cache.fingerprint(target, rel, header)
                    entry = cache.lookup(name, fingerprint, abs_path)
                    if entry is not None:
                        files.append(_from_cache(name, rel, abs_path, target, fingerprint, entry))
                        continue
                else:
                    # nothing to look up: fingerprinted as it renders (on both cores)
                    later = cache
            files.append(_Job(name, target, rel, abs_path, header, fingerprint, declared, later))
        except TargetError as e:
            failures.append(e)
    jobs = [f for f in files if isinstance(f, _Job)]
    if on_render is not None and jobs:
        on_render([job.rel for job in jobs])
    rendered = iter(render_all(jobs, events))
    planned: list[PlannedFile] = []
    for item in files:
        result = next(rendered) if isinstance(item, _Job) else item
        if isinstance(result, TargetError):
            failures.append(result)
        else:
            planned.append(result)
    return Plan(files=planned, skipped=skipped, failures=tuple(failures))


class _Job(NamedTuple):
    name: str
    target: Target
    rel: str
    abs_path: str
    header: str | None
    fingerprint: str | None
    declared: frozenset[str] = frozenset()
    # the cache that fingerprints the target as it renders, when that is still to do
    cache: RenderCache | None = None


def _render_one(job: _Job) -> PlannedFile | TargetError:
    fingerprint = job.fingerprint
    if job.cache is not None:
        fingerprint = job.cache.fingerprint(job.target, job.rel, job.header)
    try:
        return render_target(
            job.name,
            job.target,
            job.rel,
            job.abs_path,
            job.header,
            fingerprint=fingerprint,
            declared=job.declared,
        )
    except TargetError as e:
        return e


# what the second process sends back for a file that holds nothing but its content (no
# findings, secrets, unsafe values or template inputs): (content, fingerprint); the rest is
# the job's. Pickling 5,000 PlannedFiles costs 30 ms each way, their tuples a tenth of that.
_Packed = tuple[bytes | None, str | None]


def _pack(results: list[PlannedFile | TargetError]) -> list[PlannedFile | TargetError | _Packed]:
    return [
        (r.content, r.fingerprint) if isinstance(r, PlannedFile) and _plain(r) else r
        for r in results
    ]


def _plain(file: PlannedFile) -> bool:
    return not (
        file.findings or file.secret_values or file.secret_paths or file.unsafe_paths or file.inputs
    )


def _unpack(job: _Job, item: object) -> PlannedFile | TargetError:
    if isinstance(item, (PlannedFile, TargetError)):
        return item
    content, fingerprint = cast(_Packed, item)
    target = job.target
    return PlannedFile(
        job.name,
        job.rel,
        job.abs_path,
        content,
        target.mode,
        fingerprint=fingerprint,
        backup=target.backup,
    )


def _render_many(
    jobs: Sequence[_Job], progress: Progress | None = None
) -> list[PlannedFile | TargetError]:
    if progress is None:
        return [_render_one(job) for job in jobs]
    out = []
    for job in jobs:
        out.append(_render_one(job))
        progress.advance()
    return out


def render_all(jobs: Sequence[_Job], events: Events = QUIET) -> list[PlannedFile | TargetError]:
    """Render jobs in order; large plans share them with a second process."""
    from axogen.generate.fork import can_fork, parent_share, share

    if not can_fork(len(jobs)):
        with events.progress(f"rendering {len(jobs)} targets", len(jobs)) as progress:
            return _render_many(jobs, progress)
    # one job of each format first, here: the second process then inherits what rendering
    # imports and compiles (format libraries, the secret detector's patterns) instead of
    # loading it all again while the first waits
    first_of: dict[str, int] = {}
    for i, job in enumerate(jobs):
        first_of.setdefault(job.target.format, i)
    early = {i: _render_one(jobs[i]) for i in first_of.values()}
    rest = [job for i, job in enumerate(jobs) if i not in early]
    # the bar follows this process's share; the other one goes at the same pace
    label = f"rendering {len(jobs)} targets"
    with events.progress(label, parent_share(len(rest))) as progress:
        shared = share(
            rest,
            lambda part: _render_many(part, progress),
            encode=_pack,
            decode=lambda i, item: _unpack(rest[i], item),
        )
    later = iter(_render_many(rest) if shared is None else shared)
    return [early[i] if i in early else next(later) for i in range(len(jobs))]


def _from_cache(
    name: str,
    rel: str,
    abs_path: str,
    target: Target,
    fingerprint: str | None,
    entry: list[object],
) -> PlannedFile:
    raw = entry[5] if len(entry) > 5 else None
    findings: tuple[Finding, ...] = ()
    if raw and isinstance(raw, list):
        # a light record: a file the cache vouches for needs no detector
        from axogen.secrets.finding import Finding

        findings = tuple(Finding(tuple(k), kind, rule, preview) for k, kind, rule, preview in raw)
    return PlannedFile(
        name,
        rel,
        abs_path,
        None,
        target.mode,
        findings,
        fingerprint=fingerprint,
        backup=target.backup,
    )


def check_target_path(name: str, path: str) -> str:
    """The normalised relative path of a target, or TargetError if it leaves the project."""
    if "\0" in path:
        raise TargetError(f"target {name!r}: path {path!r} contains a NUL character")
    raw = path.replace("\\", "/")
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise TargetError(
            f"target {name!r}: path {path!r} is absolute",
            hint="target paths are relative to the folder of axogen.config.py",
        )
    norm = posixpath.normpath(raw)
    if norm == ".." or norm.startswith("../"):
        raise TargetError(
            f"target {name!r}: path {path!r} points outside the project folder",
            hint="target paths must stay inside the folder of axogen.config.py",
        )
    if norm in ("", ".") or raw.endswith("/"):
        raise TargetError(f"target {name!r}: path {path!r} does not name a file")
    if raw.isascii() and "git" not in raw.lower():
        return norm  # no part can name a .git: none is asked (10,000 paths: 9 ms less)
    parts = norm.split("/")
    for i, part in enumerate(parts):
        if _is_dot_git(part):
            raise TargetError(
                f"target {name!r}: path {path!r} is inside .git ({'/'.join(parts[: i + 1])})",
                hint="axogen never writes into a git repository's own folder (hooks, config), "
                "at any depth: choose a path outside it",
            )
    return norm


# characters HFS+ ignores in names, as git's own path check does: ".g\u200cit" is ".git" there
_HFS_IGNORED = dict.fromkeys(
    [*range(0x200C, 0x2010), *range(0x202A, 0x202F), *range(0x206A, 0x2070), 0xFEFF]
)


def _is_dot_git(part: str) -> bool:
    """True when a path component names a `.git` on some file system.

    Case-insensitive file systems take `.GIT` for `.git`; Windows also drops trailing dots and
    spaces and knows `.git` by its short name `git~1`. A nested repository's `.git` is refused
    as well as the project's: its hooks and config run as code.
    """
    if part.isascii():  # the usual case: no character HFS+ ignores, casefold() is lower()
        name = part.lower().rstrip(". ")
    else:
        name = part.translate(_HFS_IGNORED).casefold().rstrip(". ")
    return name in (".git", "git~1")
