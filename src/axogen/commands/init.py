"""`axogen init`: write a starting axogen.config.py, .env.axogen and .gitignore lines.

With `--from FILE` (repeatable) it imports existing .env files instead: see `axogen.scaffold`
for how the model is inferred. Everything is checked before the first file is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from axogen import console, scaffold
from axogen.commands import Options
from axogen.config.loader import CONFIG_NAME
from axogen.errors import AxogenError, UsageError

if TYPE_CHECKING:
    from axogen.generate.render import PlannedFile

ENV_FILE_NAME = scaffold.ENV_FILE
_OWN_FILES = frozenset({CONFIG_NAME, scaffold.EXAMPLE_FILE, *scaffold.IGNORED_ENV_FILES})
# characters .gitignore patterns give a meaning to; a backslash makes them literal
_GITIGNORE_SPECIAL = re.compile(r"([*?\[\]!#\\])")


def run_init(opts: Options, *, sources: Sequence[str] = (), force: bool = False) -> int:
    if opts.config_file:
        raise UsageError(
            f"init writes {CONFIG_NAME} in the current folder; choose another one with -C DIR"
        )
    root = Path(opts.directory) if opts.directory else Path.cwd()
    if not root.is_dir():
        raise AxogenError(f"-C {opts.directory}: no such directory")
    root = root.resolve()
    config = root / CONFIG_NAME
    env_file = root / scaffold.ENV_FILE
    if config.exists() and not force:
        raise AxogenError(
            f"{_display(config)} already exists; nothing was written",
            hint="axogen init --force replaces it",
        )
    if sources:
        return _init_from(root, sources, force=force)

    out = opts.run.console
    batch = _Batch(root)
    existed = config.exists()
    batch.write(config, scaffold.EXAMPLE_CONFIG)
    batch.say(lambda: out.status("replaced" if existed else "created", _display(config)))
    _example_env(batch, env_file)
    _update_gitignore(batch, list(scaffold.EXAMPLE_SECRET_FILES))
    batch.commit()
    out.out(
        "next: run `axogen generate`, then make axogen.config.py yours: your values in Env, "
        "your files in targets"
    )
    return 0


def _init_from(root: Path, sources: Sequence[str], *, force: bool) -> int:
    out = console.get()
    config = root / CONFIG_NAME
    env_file = root / scaffold.ENV_FILE
    files = _read_sources(root, sources)
    try:
        imported = scaffold.import_env_files(files)
    except scaffold.ImportProblem as e:
        raise _cannot_import(e.problems) from None
    if env_file.exists() and not force:
        raise AxogenError(
            f"{_display(env_file)} already exists; nothing was written",
            hint="axogen init --from ... --force replaces it with the imported values",
        )
    config_text = scaffold.render_import_config(imported)
    # the text is built from escaped pieces; if it does not compile, axogen has a bug
    compile(config_text, str(config), "exec", dont_inherit=True)

    for target in imported.targets:
        count = len(target.variables)
        secrets = sum(1 for _, field in target.variables if field.secret)
        detail = f"{count} value{'s' if count != 1 else ''}"
        detail += f", {secrets} secret" if secrets else ""
        # named as given with --from (from the folder init works in)
        out.status("imported", f"{target.file.rel_path} ({detail})", "36")
    for field in imported.fields:
        if field.reference:
            out.status(
                "reference",
                f"{field.key}: {ENV_FILE_NAME} keeps its ${{...}}; axogen expands it when it "
                "loads the file, and writes the result",
                "36",
            )
    for key, split in imported.split_keys.items():
        which = "; ".join(f"{f.name} ({', '.join(f.split_from)})" for f in split)
        out.status("split", f"{key} differs between files: {which}", "33")

    batch = _Batch(root)
    existed = config.exists()
    batch.write(config, config_text)
    count = len(imported.fields)
    batch.say(
        lambda: out.status(
            "replaced" if existed else "created",
            f"{_display(config)} (Env: {count} field{'s' if count != 1 else ''}, "
            f"{len(imported.targets)} env target{'s' if len(imported.targets) != 1 else ''})",
        )
    )
    env_existed = env_file.exists()
    batch.write(env_file, scaffold.render_import_env(imported), private=True)
    batch.say(lambda: out.status("replaced" if env_existed else "created", _display(env_file)))
    _update_gitignore(batch, imported.secret_files)
    batch.commit()
    paths = ", ".join(t.file.rel_path for t in imported.targets)
    out.out(f"next: run `axogen generate`; it writes {paths} again, with the same values")
    return 0


def _read_sources(root: Path, sources: Sequence[str]) -> list[scaffold.EnvFile]:
    """Parse every `--from` file; report every problem at once."""
    files: list[scaffold.EnvFile] = []
    problems: list[str] = []
    seen: set[str] = set()
    for source in sources:
        path = Path(os.path.normpath(root / source))
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            problems.append(f"{source}: outside {root}; axogen writes only files in its folder")
            continue
        if rel in _OWN_FILES:
            problems.append(f"{source}: this is axogen's own file, not one to import")
            continue
        if rel in seen:
            continue
        seen.add(rel)
        if path.resolve() != path:
            problems.append(
                f"{source}: is (or is in) a symlink; axogen never writes through symlinks, "
                "so import the file it points to"
            )
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{source}: no such file")
            continue
        except UnicodeDecodeError:
            problems.append(f"{source}: not UTF-8 text")
            continue
        except OSError as e:
            problems.append(f"{source}: cannot read it: {e.strerror}")
            continue
        try:
            files.append(scaffold.parse_env(text, rel))
        except scaffold.ImportProblem as e:
            problems.extend(e.problems)
    if problems:
        raise _cannot_import(problems)
    return files


def _cannot_import(problems: list[str]) -> AxogenError:
    count = len(problems)
    return AxogenError(
        f"cannot import: {count} problem{'s' if count != 1 else ''}; nothing was written:"
        + "".join(f"\n  - {p}" for p in problems),
        hint="fix the files (or leave one out), then run axogen init --from ... again",
    )


def _example_env(batch: _Batch, env_file: Path) -> None:
    """Create .env.axogen with a random SECRET_KEY, or add that key to an existing one."""
    import secrets

    out = console.get()
    key = scaffold.EXAMPLE_SECRET_KEY
    value = secrets.token_urlsafe(32)
    if not env_file.exists():
        batch.write(env_file, scaffold.example_env(value), private=True)
        batch.say(
            lambda: out.status("created", f"{_display(env_file)} ({key}: a new random value)")
        )
        return
    try:
        text = env_file.read_text(encoding="utf-8")
        known = scaffold.parse_env(text, scaffold.ENV_FILE).values
    except (OSError, UnicodeDecodeError, scaffold.ImportProblem):
        shown = _display(env_file)
        batch.say(
            lambda: out.warn(f"kept {shown}; it cannot be read, so {key} was not added to it")
        )
        return
    if key in known:
        batch.say(lambda: out.status("kept", _display(env_file), "2"))
        return
    batch.append(env_file, text, f"{key}={value}\n")
    added = f"{_display(env_file)} (added {key}: a new random value)"
    batch.say(lambda: out.status("updated", added, "33"))


def _update_gitignore(batch: _Batch, secret_files: Sequence[str]) -> None:
    """Append what .gitignore lacks: the env files, and every generated file holding secrets.

    A path git already ignores (through any pattern) gets no line. `.env.axogen.example` is
    re-included when a pattern such as `.env*` ignores it: it is meant to be committed.
    """
    from axogen.secrets.gitignore import committed

    out = console.get()
    root = batch.root
    gitignore = root / ".gitignore"
    try:
        text = gitignore.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    present = {line.strip().lstrip("/") for line in text.splitlines()}
    wanted = {name: name for name in scaffold.IGNORED_ENV_FILES}
    wanted.update({rel: "/" + _GITIGNORE_SPECIAL.sub(r"\\\1", rel) for rel in secret_files})
    missing = {rel: line for rel, line in wanted.items() if line.lstrip("/") not in present}
    verdict = committed(root, [*missing, scaffold.EXAMPLE_FILE])
    lines = [line for rel, line in missing.items() if verdict.get(rel, True)]
    if not verdict.get(scaffold.EXAMPLE_FILE, True):
        lines.append(f"!/{scaffold.EXAMPLE_FILE}")
    if lines:
        block = "# axogen: real values, and the generated files that hold secrets\n"
        batch.append(
            gitignore,
            text,
            ("\n" if text.strip() else "") + block + "".join(f"{line}\n" for line in lines),
        )
        word = "updated" if text else "created"
        added = f"{_display(gitignore)} (+ {', '.join(lines)})"
        batch.say(lambda: out.status(word, added, "33"))
    batch.say(lambda: _warn_committed(root, secret_files))


def _warn_committed(root: Path, secret_files: Sequence[str]) -> None:
    """Once the lines are in .gitignore: warn about each secret file git still commits."""
    from axogen.secrets.gitignore import Unknown, committed

    out = console.get()
    verdict = committed(root, list(secret_files))
    unknown = {v for v in verdict.values() if isinstance(v, Unknown)}
    for reason in sorted(unknown, key=lambda u: u.why):
        # the lines above were added whatever git thinks; what it still commits is unknown
        out.warn(f"could not check what git commits: {reason.why}\n  hint: {reason.hint}")
    tracked = [rel for rel, v in verdict.items() if v is True]
    for rel in tracked:
        out.warn(
            f"{rel} holds secrets and git still commits it (it is tracked): `axogen generate` "
            f"refuses to write it until you run `git rm --cached {rel}`"
        )


class _Batch:
    """The files init writes, written together through the writer once all are known: a
    failure, a full disk or a signal leaves every one of them as it was (all or nothing);
    what to print about them is printed once they are written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[PlannedFile] = []
        self.lines: list[Callable[[], None]] = []

    def write(self, path: Path, text: str, *, private: bool = False) -> None:
        """Write `text` to `path` (in the root); a new private file is created 0600 (it
        holds real values), an existing one keeps its mode."""
        from axogen.generate.render import PlannedFile

        mode = 0o600 if private and not path.exists() else None
        rel = path.relative_to(self.root).as_posix()
        self.files.append(PlannedFile(rel, rel, str(path), text.encode("utf-8"), mode))

    def append(self, path: Path, old: str, addition: str) -> None:
        """`old` (the file's text) with `addition` after it, on a line of its own."""
        separator = "" if not old or old.endswith("\n") else "\n"
        self.write(path, old + separator + addition)

    def say(self, line: Callable[[], None]) -> None:
        self.lines.append(line)

    def commit(self) -> None:
        from axogen.errors import GenerateError, TargetError
        from axogen.generate.write import write_plan

        try:
            write_plan(self.files, self.root)
        except (GenerateError, TargetError) as e:
            names = ", ".join(_display(Path(f.path)) for f in self.files)
            raise AxogenError(f"cannot write {names}: {e}") from None
        for line in self.lines:
            line()


def _display(path: Path) -> str:
    from axogen.paths import shown

    return shown(path)
