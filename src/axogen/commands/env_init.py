"""`axogen env init`: a first `.env.axogen`, made from the `load_env` model.

Secrets that can be random get a random value of the length they need; fields with a
default keep it (written as a comment, so that the model stays the source); the rest are
asked for on a terminal (hidden for secrets) or, without one, listed with where to set
them. The file is written atomically, mode 0600, and never replaces one that exists
unless `--force`.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

from axogen import console
from axogen.commands import Options
from axogen.errors import ConfigError, EnvError

_HEADER = """\
# {name}: this machine's values for {config}, written by `axogen env init`.
# Keep it out of git, or commit it with its secrets encrypted (`axogen env encrypt`).
# A commented line is the model's default: remove the # to change it.
"""


@dataclasses.dataclass(slots=True)
class _Entry:
    key: str
    field: Any
    secret: bool
    value: str | None = None  # None: not set (the default applies, or still to be set)
    how: str = ""  # generated | entered | default | missing


def run_env_init(
    opts: Options, *, file: str | None = None, force: bool = False, no_input: bool = False
) -> int:
    from axogen.config.env import is_secret_annotation
    from axogen.config.loader import load_config, locate
    from axogen.paths import shown

    out = opts.run.console
    loaded = load_config(locate(opts.config_file, opts.directory), opts.run, inspect=True)
    models: list[Any] = list(dict.fromkeys(type(m) for m in loaded.env_models))
    if not models:
        raise ConfigError(
            f"{shown(loaded.file)} does not call ax.load_env(Model): there is no model to "
            "make an env file from"
        )
    if file:
        base = Path(opts.directory) if opts.directory else Path.cwd()
        path = Path(os.path.normpath(base.absolute() / file))
    elif loaded.env_files:
        path = Path(loaded.env_files[0])
    else:  # pragma: no cover - load_env always records its first file
        path = loaded.root / ".env.axogen"
    where = shown(path)
    if path.is_symlink():
        raise EnvError(f"{where} is a symlink; axogen never writes through symlinks")
    if path.exists() and not force:
        raise EnvError(
            f"{where} exists; axogen env init never replaces it",
            hint="`axogen env set KEY` changes one value; --force writes a new file in its place",
        )

    entries: dict[str, _Entry] = {}
    for model in models:
        for name, field in model.model_fields.items():
            key = field.alias or name
            if key not in entries:
                entries[key] = _Entry(key, field, is_secret_annotation(field.annotation))
    interactive = not no_input and sys.stdin is not None and sys.stdin.isatty()
    for entry in entries.values():
        _fill(entry, interactive=interactive)

    missing = [e for e in entries.values() if e.how == "missing"]
    if not missing:
        _check(models, entries, where)
    text = _render(entries, path.name, shown(loaded.file))
    path.parent.mkdir(parents=True, exist_ok=True)
    from axogen.generate.write import write_file_atomically

    write_file_atomically(path, text.encode("utf-8"), 0o600)
    from axogen.secrets.mask import remember

    for entry in entries.values():
        if entry.secret and entry.value:
            remember(entry.value)
    counts = {how: sum(1 for e in entries.values() if e.how == how) for how in _HOWS}
    summary = ", ".join(f"{n} {how}" for how, n in counts.items() if n)
    out.status("created", f"{where} ({summary})")
    _warn_if_committed(path, where)
    if missing:
        # the new file is plain: `env set` would add a key pair and encrypt the value
        lines = [
            f"{e.key} ({_rule(e)}): `axogen env set --plain {e.key}`"
            + (" (a hidden prompt)" if e.secret else " VALUE")
            + f", or edit {where}"
            for e in missing
        ]
        out.warn(
            f"{len(missing)} value{'s' if len(missing) != 1 else ''} still to set before "
            "`axogen generate` works:" + "".join(f"\n  - {line}" for line in lines)
        )
    else:
        out.out("next: `axogen generate`")
    return 0


_HOWS = ("generated", "entered", "default", "missing")


def _fill(entry: _Entry, *, interactive: bool) -> None:
    from axogen.config.fields import constraints, random_secret

    field = entry.field
    if not field.is_required():
        entry.how = "default"
        return
    found = constraints(field)
    if entry.secret:
        value = random_secret(found)
        if value is not None:
            entry.value, entry.how = value, "generated"
            return
    if interactive:
        entered = _ask(entry)
        if entered is not None:
            entry.value, entry.how = entered, "entered"
            return
    entry.how = "missing"


def _ask(entry: _Entry) -> str | None:
    """Ask on the terminal until the value validates; an empty answer leaves it unset."""
    import click

    from axogen.config.env import validation_message

    field = entry.field
    label = entry.key + (f" ({_rule(entry)})" if _rule(entry) else "")
    if field.description:
        click.echo(f"{entry.key}: {field.description.strip()}", err=True)
    while True:
        answer: str = click.prompt(
            label, default="", show_default=False, hide_input=entry.secret, err=True
        )
        if not answer:
            return None
        problem = validation_message(field, answer, secret=entry.secret)
        if problem is None:
            return answer
        click.echo(f"  {problem}; try again (empty to skip)", err=True)


def _rule(entry: _Entry) -> str:
    from axogen.config.fields import constraints

    described = constraints(entry.field).describe()
    words = ["required"] + (["secret"] if entry.secret else [])
    return ", ".join([*words, described] if described else words)


def _check(models: list[Any], entries: dict[str, _Entry], where: str) -> None:
    """The file as load_env will read it must validate: refuse to write one that would not."""
    from pydantic import ValidationError

    data = {k: e.value for k, e in entries.items() if e.value is not None}
    for model in models:
        keys = {(f.alias or n) for n, f in model.model_fields.items()}
        try:
            model.model_validate({k: v for k, v in data.items() if k in keys})
        except ValidationError as e:
            fields = sorted({str(err["loc"][0]) for err in e.errors() if err["loc"]})
            raise EnvError(
                f"the values made for {where} do not validate against {model.__name__} "
                f"({', '.join(fields) or 'the model'}); nothing was written",
                hint="a model validator needs values axogen cannot make up: set them with "
                "`axogen env set KEY`",
            ) from None


def _render(entries: dict[str, _Entry], name: str, config: str) -> str:
    from axogen.formats import comment_block
    from axogen.formats.env import quote

    blocks = [_HEADER.format(name=name, config=config)]
    for entry in entries.values():
        field = entry.field
        notes = field.description.strip() if field.description else ""
        lines = comment_block(notes, "#") if notes else ""
        if entry.value is not None:
            lines += f"{entry.key}={quote(entry.value, (entry.key,))}\n"
        elif entry.how == "missing":
            lines += f"# {entry.key}=  ({_rule(entry)}: set it)\n"
        elif entry.secret:
            lines += f"# {entry.key}=  (the model's default)\n"
        else:
            default = field.get_default(call_default_factory=True)
            lines += f"# {entry.key}={quote(_default_text(default), (entry.key,))}\n"
        blocks.append(lines)
    return "\n".join(blocks)


def _default_text(value: Any) -> str:
    """A default as load_env would read it back: JSON for lists and dicts."""
    import enum
    import json

    if isinstance(value, enum.Enum):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return json.dumps(items, ensure_ascii=False, separators=(",", ":"), default=str)
    return str(value)


def _warn_if_committed(path: Path, where: str) -> None:
    """A new file of secrets that git would commit: say so at once."""
    from axogen.secrets.gitignore import committed, find_repo

    repo = find_repo(path.parent)
    if repo is None:
        return
    rel = path.resolve().relative_to(repo.resolve()).as_posix()
    if committed(repo, [rel]).get(rel):
        console.get().warn(
            f"git would commit {where}, which holds secrets: add it to .gitignore, or "
            "encrypt its secrets before committing (`axogen env encrypt`)"
        )
