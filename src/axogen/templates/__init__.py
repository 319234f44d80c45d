"""Rendering templates with jinja2 (alias nunjucks), mustache (chevron) or handlebars (pybars3).

Config files are not HTML: nothing is HTML-escaped. A value written as-is gets the text
every other target writes for it (`true`/`false`, an empty string for None, ISO 8601 dates,
lists and mappings as JSON). With `strict`, a name the template uses that the variables do
not define is an error naming it. Includes and partials are found relative to the template's
folder. The same helpers exist in every engine: json, snake_case, kebab_case, camel_case,
env_name and dateformat. One module per engine: jinja, mustache, handlebars.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ENGINES = ("jinja2", "nunjucks", "mustache", "handlebars")


class TemplateProblem(Exception):
    """Rendering failed; `where` is `file` or `file:line` as the user knows the file."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


# The template files one render reads (the template, its includes, imports and partials),
# each with its (inode, size, mtime_ns) as it was just before the read: the render cache
# vouches for a template target only while none of them has changed. A render's own record,
# opened by `recording()` around it; the engines' hooks (jinja's loader, the partials of
# mustache and handlebars) are called by the engine, so they find it here, not as an argument.
_READS: contextvars.ContextVar[dict[str, tuple[int, int, int]] | None] = contextvars.ContextVar(
    "axogen_template_reads", default=None
)

Inputs = tuple[tuple[str, int, int, int], ...]


class Reads:
    """The template files one render has read, as `inputs` (path, inode, size, mtime_ns)."""

    __slots__ = ("files",)

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, int, int]] = {}

    @property
    def inputs(self) -> Inputs:
        return tuple((path, *identity) for path, identity in sorted(self.files.items()))


@contextlib.contextmanager
def recording() -> Iterator[Reads]:
    """Collect, while the block runs, every template file read (see `note`)."""
    reads = Reads()
    token = _READS.set(reads.files)
    try:
        yield reads
    finally:
        _READS.reset(token)


def note(path: str, identity: tuple[int, int, int]) -> None:
    """Record that the render in progress used the template file `path` (absolute).

    Also called for a file an engine had compiled before and takes from its own cache."""
    files = _READS.get()
    if files is not None:
        files[path] = identity


def read_template(file: str | os.PathLike[str]) -> tuple[str, tuple[int, int, int]]:
    """Read a template file, noting its identity first (a later edit shows as a change).

    Returns its text and its identity (inode, size, mtime_ns) just before it was read.
    """
    path = Path(file).absolute()
    st = path.stat()
    identity = (st.st_ino, st.st_size, st.st_mtime_ns)
    note(str(path), identity)
    return path.read_text(encoding="utf-8"), identity


def render(engine: str, path: str, data: dict[str, Any], *, strict: bool, shown: str) -> str:
    """Render the template file at `path` (absolute) with `data`; `shown` names it in errors."""
    try:
        source, _ = read_template(path)
    except (OSError, UnicodeDecodeError) as e:
        raise TemplateProblem(shown, f"cannot read the template: {e}") from None
    if engine in ("jinja2", "nunjucks"):
        from axogen.templates.jinja import render_jinja

        return render_jinja(path, data, strict, shown)
    if engine == "mustache":
        from axogen.templates.mustache import render_mustache

        return render_mustache(path, source, data, strict, shown)
    if engine == "handlebars":
        from axogen.templates.handlebars import render_handlebars

        return render_handlebars(path, source, data, strict, shown)
    raise TemplateProblem(shown, f"unknown template engine {engine!r}")


# --- the text of values, and the helpers ----------------------------------------------------


def text(value: Any) -> str:
    """The text a value is written as when a template outputs it without a helper."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        return to_json(value)
    return str(value)


def to_json(value: Any, indent: int | None = None) -> str:
    """`value` as JSON; dates as ISO 8601 strings."""
    if indent:
        return json.dumps(value, ensure_ascii=False, indent=indent, default=_iso, allow_nan=False)
    return json.dumps(value, ensure_ascii=False, default=_iso, allow_nan=False)


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_RUNS = re.compile(r"[^\W_]+")


def words(value: Any) -> list[str]:
    """The words of a name: split at anything not a letter or digit and at case changes
    (`HTTPServerURL2` -> HTTP, Server, URL2)."""
    out = []
    for run in _RUNS.findall(text(value)):
        start = 0
        for i in range(1, len(run)):
            prev, cur, after = run[i - 1], run[i], run[i + 1 : i + 2]
            if cur.isupper() and (
                prev.islower() or ((prev.isupper() or prev.isdigit()) and after.islower())
            ):
                out.append(run[start:i])
                start = i
        out.append(run[start:])
    return out


def snake_case(value: Any) -> str:
    return "_".join(w.lower() for w in words(value))


def kebab_case(value: Any) -> str:
    return "-".join(w.lower() for w in words(value))


def camel_case(value: Any) -> str:
    parts = words(value)
    return (
        "".join([parts[0].lower(), *(w[:1].upper() + w[1:].lower() for w in parts[1:])])
        if parts
        else ""
    )


def env_name(value: Any) -> str:
    """An environment variable name: `db.host-name` -> `DB_HOST_NAME`."""
    name = "_".join(w.upper() for w in words(value))
    return f"_{name}" if name[:1].isdigit() else name


def dateformat(value: Any, pattern: str | None = None) -> str:
    """A date, datetime or time (or ISO 8601 text) with strftime `pattern`; ISO without one."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            try:
                value = dt.time.fromisoformat(value)
            except ValueError:
                raise ValueError(f"dateformat: {value!r} is not an ISO 8601 date or time") from None
    if not isinstance(value, (dt.datetime, dt.date, dt.time)):
        raise ValueError(
            f"dateformat needs a date, time or ISO 8601 text, got {type(value).__name__}"
        )
    return value.strftime(pattern) if pattern else value.isoformat()


HELPERS: dict[str, Callable[..., str]] = {
    "json": to_json,
    "snake_case": snake_case,
    "kebab_case": kebab_case,
    "camel_case": camel_case,
    "env_name": env_name,
    "dateformat": dateformat,
}


def shown_for(file: str, main: str, shown: str) -> str:
    """How to name `file` (the template or one it includes) in a message."""
    if Path(file) == Path(main):
        return shown
    rel = os.path.relpath(file, Path(main).parent)
    return (Path(shown).parent / rel).as_posix()


# --- where template files may be -------------------------------------------------------------
#
# A template target reads files, and what it reads is written to a file (and maybe committed):
# a template, an include or a partial from outside the project (`/etc/shadow`, `~/.ssh/...`,
# through a symlink a checkout brought) would copy it there. So, like target paths:
# `template=` is relative, stays in the project and no symlink on its way leaves it; an
# include or a partial stays in the template's folder, symlinks resolved.


def template_file(template: str, root: Path) -> Path:
    """The absolute, normalised path of `template=` (relative to `root`, the config's folder).

    Raises ConfigError when it is absolute, climbs out of `root`, leaves it through a
    symlink, or is not a file.
    """
    from axogen.errors import ConfigError

    hint = "template paths are relative to the folder of axogen.config.py and stay inside it"
    raw = template.replace("\\", "/")
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise ConfigError(f"template(): the template path {template!r} is absolute", hint=hint)
    norm = os.path.normpath(raw)
    if norm == ".." or norm.startswith(".." + os.sep):
        raise ConfigError(
            f"template(): the template path {template!r} points outside the project folder",
            hint=hint,
        )
    # str paths and os.path: checked once per template target, thousands per run
    file = os.path.join(root, norm)  # noqa: PTH118
    if not os.path.isfile(file):  # noqa: PTH113
        raise ConfigError(
            f"template(): the template file {template!r} does not exist (looked for {file})",
            hint="template paths are relative to the folder of axogen.config.py",
        )
    real = _real_path(file)
    real_root = _real_folder(str(root))
    if not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise ConfigError(
            f"template(): the template path {template!r} leaves the project folder through a "
            f"symlink (it is {real})",
            hint=hint,
        )
    return Path(file)


def _real_folder(folder: str) -> str:
    """`os.path.realpath(folder)`, asked once per config load (kept in its load context): a
    project of thousands of template targets shares a few template folders, and realpath
    costs a system call per component."""
    from axogen.config import context

    ctx = context.current()
    if ctx is None:
        return os.path.realpath(folder)
    real = ctx.real_folders.get(folder)
    if real is None:
        real = ctx.real_folders[folder] = os.path.realpath(folder)
    return real


def _real_path(file: str) -> str:
    """`os.path.realpath(file)` for a file whose folder's real path is cached."""
    if os.path.islink(file):  # noqa: PTH114
        return os.path.realpath(file)
    folder, name = os.path.split(file)
    return os.path.join(_real_folder(folder), name)  # noqa: PTH118


def include_file(folder: Path, name: str, what: str) -> Path | None:
    """The file `name` (an include or a partial) in the template's `folder`, or None when
    there is no such file. Raises TemplateProblem when `name` leaves the folder: by an
    absolute path, by `..`, or through a symlink."""
    path = Path(os.path.normpath(folder / name))
    if Path(name).is_absolute() or not path.is_relative_to(folder):
        raise TemplateProblem("", leaves_message(what, name))
    if not path.is_file():
        return None
    if not path.resolve().is_relative_to(folder.resolve()):
        raise TemplateProblem("", leaves_message(what, name, " through a symlink"))
    return path


def leaves_message(what: str, name: str, how: str = "") -> str:
    return (
        f"{what} {name!r} leaves the template's folder{how}; {what}s are read from the "
        "template's folder and the folders below it"
    )


def inside(folder: Path, name: str, what: str = "partial") -> Path | None:
    """The partial `name` relative to `folder`, if it exists; TemplateProblem if it would
    leave the folder (see `include_file`)."""
    return include_file(folder, name, what)
