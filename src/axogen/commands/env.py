"""`axogen env encrypt|decrypt|set|get|rotate`: the values of an env file, encrypted in place.

The files are dotenvx's: `dotenvx get KEY -f .env.axogen` reads what `axogen env set` wrote,
and axogen decrypts what `dotenvx encrypt` wrote. The private key goes to `.env.keys` beside
the file (git-ignored; refused when git would commit it). Every file is rewritten
atomically, with its comments, order, `export`s and quoting kept; only the values changed.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from axogen import console, envcrypt
from axogen.commands import Options
from axogen.config import dotenv_text
from axogen.errors import AxogenError, ConfigError, EnvError, UsageError

ENV_FILE = ".env.axogen"
_PROFILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


class EnvFile:
    """One env file, its text and its key names."""

    def __init__(self, path: Path, shown: str, text: str | None) -> None:
        self.path = path
        self.shown = shown
        self.text = text
        entries = dotenv_text.parse(text or "")
        self.entries = entries
        self.public_name = next((e.key for e in entries if envcrypt.is_key_line(e.key)), None)
        public = [e.value for e in entries if e.key == self.public_name and self.public_name]
        self.public_key = public[-1] if public else None
        self.names = envcrypt.key_names(path.name, self.public_name)
        self.keys_file = path.with_name(envcrypt.KEYS_FILE)
        self.keys_shown = _beside(shown, envcrypt.KEYS_FILE)

    @property
    def private_name(self) -> str:
        return self.names[1]

    def values(self) -> list[dotenv_text.Entry]:
        return [
            e
            for e in self.entries
            if e.key is not None and e.value is not None and not envcrypt.is_key_line(e.key)
        ]

    def require(self) -> str:
        if self.text is None:
            raise EnvError(
                f"{self.shown}: no such file",
                hint="`axogen env set KEY` creates it (encrypted); -f FILE names another file",
            )
        return self.text


def locate_env_file(opts: Options, file: str | None, profile: str | None) -> EnvFile:
    """`-f FILE` (from the current folder), else `.env.axogen[.PROFILE]` in the project's
    folder (the config's, found as every command finds it; the current folder without one)."""
    if file:
        base = Path(opts.directory) if opts.directory else Path.cwd()
        path = Path(os.path.normpath(base / file))
    else:
        root = _project_root(opts)
        profile = profile or os.environ.get("AXOGEN_PROFILE") or None
        name = ENV_FILE
        if profile is not None:
            if not _PROFILE.match(profile) or profile in ("local", "example"):
                raise UsageError(
                    f"invalid profile name {profile!r}",
                    hint="use letters, digits, '.', '_' or '-'; -f .env.axogen.local names that file",
                )
            name = f"{ENV_FILE}.{profile}"
        path = root / name
    shown = _display(path)
    if path.is_symlink():
        raise AxogenError(f"{shown} is a symlink; axogen never writes through symlinks")
    try:
        text: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as e:
        raise EnvError(f"cannot read {shown}: {e}") from None
    return EnvFile(path, shown, text)


def _project_root(opts: Options) -> Path:
    from axogen.config.loader import locate

    try:
        return locate(opts.config_file, opts.directory).parent
    except ConfigError:
        if opts.config_file:
            raise
        return (Path(opts.directory) if opts.directory else Path.cwd()).resolve()


# --- encrypt ---------------------------------------------------------------------------------


def run_encrypt(
    opts: Options,
    *,
    file: str | None,
    profile: str | None,
    keys: Sequence[str] = (),
    everything: bool = False,
) -> int:
    out = opts.run.console
    env = locate_env_file(opts, file, profile)
    text = env.require()
    chosen = _chosen(env, keys)
    from axogen.config import references

    plain = [
        e
        for e in env.values()
        if e.value and not envcrypt.is_encrypted(e.value) and not references.looks_like(e.value)
    ]
    if keys:  # named: encrypted even when a reference (it hides where the secret is)
        targets = [
            e
            for e in env.values()
            if e.key in chosen and e.value and not envcrypt.is_encrypted(e.value)
        ]
    elif everything:
        targets = plain
    else:
        targets = [e for e in plain if envcrypt.looks_secret(str(e.key), str(e.value))]
    names = list(dict.fromkeys(str(e.key) for e in targets))
    kept = [str(e.key) for e in plain if e.key not in names]
    if not targets:
        out.status("unchanged", f"{env.shown} (no plain secret to encrypt)", "2")
        _say_kept(kept)
        return 0
    public_key, header = _ensure_keys(env)
    wanted = {(e.key, e.line) for e in targets}
    new = dotenv_text.edit(
        text,
        lambda e: envcrypt.encrypt(public_key, str(e.value)) if (e.key, e.line) in wanted else None,
        prepend=header,
    )
    _write(env.path, env.shown, new)
    out.status("encrypted", f"{env.shown} ({_count(names)}: {', '.join(names)})")
    _say_kept(kept)
    return 0


def _say_kept(kept: list[str]) -> None:
    if kept:
        console.get().out(
            f"kept plain: {', '.join(dict.fromkeys(kept))} (not secrets; name them, or --all, "
            "to encrypt them too)"
        )


def _chosen(env: EnvFile, patterns: Sequence[str]) -> set[str]:
    """The keys of the file the KEY arguments name (globs allowed); a plain name it lacks is
    an error."""
    present = [str(e.key) for e in env.values()]
    chosen: set[str] = set()
    missing = []
    for pattern in patterns:
        matched = [k for k in present if fnmatch.fnmatchcase(k, pattern)]
        if not matched and not any(c in pattern for c in "*?["):
            missing.append(pattern)
        chosen.update(matched)
    if missing:
        raise UsageError(f"{env.shown} has no {', '.join(missing)}")
    return chosen


def _ensure_keys(env: EnvFile) -> tuple[str, str]:
    """The file's public key, and the header to prepend: a new key pair (its private key
    written to .env.keys) when the file has none."""
    if env.public_key is not None:
        if not envcrypt.valid_public_key(env.public_key):
            raise EnvError(
                f"{env.shown}: {env.public_name} is not a valid public key",
                hint="restore the line from git, or make new keys: axogen env rotate",
            )
        return env.public_key, ""
    private, public = envcrypt.new_keypair()
    public_name, private_name = envcrypt.key_names(env.path.name)
    _store_private_key(env, private_name, private)
    header = f'{envcrypt.PUBLIC_KEY_HEADER}{public_name}="{public}"\n\n# {env.path.name}\n'
    return public, header


def _store_private_key(env: EnvFile, name: str, value: str) -> None:
    """Set `name=value` in .env.keys (created 0600), refused when git would commit it."""
    envcrypt.refuse_committed_keys_file(env.keys_file, env.keys_shown)
    if env.keys_file.is_symlink():
        raise AxogenError(f"{env.keys_shown} is a symlink; axogen never writes through symlinks")
    try:
        text = env.keys_file.read_text(encoding="utf-8")
        existed = True
    except FileNotFoundError:
        text, existed = envcrypt.KEYS_FILE_HEADER, False
    except (OSError, UnicodeDecodeError) as e:
        raise EnvError(f"cannot read {env.keys_shown}: {e}") from None
    if any(e.key == name for e in dotenv_text.parse(text)):
        new = dotenv_text.edit(text, lambda e: value if e.key == name else None)
    else:
        separator = "" if not text or text.endswith("\n") else "\n"
        new = dotenv_text.edit(f"{text}{separator}\n# {env.path.name}\n", lambda e: None)
        new = dotenv_text.edit(new, lambda e: None, add={name: value})
    _write(env.keys_file, env.keys_shown, new, mode=0o600)
    if not existed:
        console.get().status(
            "created",
            f"{env.keys_shown} ({name}: the private key; share it through a safe channel, "
            "never commit it)",
        )


def _write(path: Path, shown: str, text: str, *, mode: int | None = None) -> None:
    """Replace an env file (or .env.keys) through the writer: whole or not at all; a new
    one is created 0600, an existing one keeps its mode unless `mode` is given."""
    from axogen.generate.write import write_file_atomically

    try:
        write_file_atomically(path, text.encode("utf-8"), mode)
    except OSError as e:
        raise EnvError(f"cannot write {shown}: {e.strerror or e}; it was left as it was") from None


# --- decrypt ---------------------------------------------------------------------------------


def _private_keys(env: EnvFile) -> list[envcrypt.Key]:
    keys = envcrypt.find_keys(env.path, env.private_name, env.public_key, env.keys_shown)
    if not keys:
        raise EnvError(
            f"{env.shown}: its private key {env.private_name} is neither in the environment "
            f"nor in {env.keys_shown}",
            hint=f"put the line {env.private_name}=… in {env.keys_shown}, or export it",
        )
    return keys


def _decrypt_all(
    env: EnvFile, entries: Sequence[dotenv_text.Entry]
) -> dict[tuple[str | None, int], str]:
    """The plaintext of each encrypted entry, by (key, line); EnvError naming those that fail."""
    from axogen.secrets.mask import remember

    keys = _private_keys(env)
    found: dict[tuple[str | None, int], str] = {}
    failed = []
    for entry in entries:
        for key in keys:
            try:
                found[(entry.key, entry.line)] = envcrypt.decrypt(key.private, str(entry.value))
                remember(found[(entry.key, entry.line)])
                break
            except envcrypt.DecryptError:
                continue
        else:
            failed.append(f"{entry.key} ({env.shown}:{entry.line})")
    if failed:
        raise EnvError(
            f"{', '.join(failed)}: cannot be decrypted with {env.private_name} from "
            f"{envcrypt.describe_keys(keys)}; nothing was written",
            hint="the right key belongs to the public key on the file's DOTENV_PUBLIC_KEY line",
        )
    return found


def run_decrypt(
    opts: Options, *, file: str | None, profile: str | None, keys: Sequence[str] = ()
) -> int:
    out = opts.run.console
    env = locate_env_file(opts, file, profile)
    text = env.require()
    chosen = _chosen(env, keys) if keys else None
    targets = [
        e
        for e in env.values()
        if envcrypt.is_encrypted(e.value) and (chosen is None or e.key in chosen)
    ]
    if not targets:
        out.status("unchanged", f"{env.shown} (nothing encrypted)", "2")
        return 0
    plain = _decrypt_all(env, targets)
    new = dotenv_text.edit(text, lambda e: plain.get((e.key, e.line)))
    _write(env.path, env.shown, new)
    names = list(dict.fromkeys(str(e.key) for e in targets))
    out.status("decrypted", f"{env.shown} ({_count(names)}: {', '.join(names)})", "33")
    out.out(f"{env.shown} now holds these values in plain text: keep it out of git")
    return 0


# --- set / get -------------------------------------------------------------------------------


def run_set(
    opts: Options,
    *,
    file: str | None,
    profile: str | None,
    key: str,
    value: str | None,
    plain: bool = False,
) -> int:
    from axogen.config import references
    from axogen.secrets.mask import remember

    out = opts.run.console
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) or envcrypt.is_key_line(key):
        raise UsageError(f"{key!r} is not a variable name env set can write")
    if value is None:
        value = _read_value(key)
    env = locate_env_file(opts, file, profile)
    text = env.text or ""
    header = ""
    reference = references.looks_like(value)
    if plain or reference:
        written = value
    else:
        remember(value)
        public_key, header = _ensure_keys(env)
        written = envcrypt.encrypt(public_key, value)
    present = any(e.key == key for e in env.values())
    new = dotenv_text.edit(
        text,
        lambda e: written if e.key == key else None,
        add=None if present else {key: written},
        prepend=header,
    )
    _write(env.path, env.shown, new)
    how = "a reference" if reference and not plain else "plain" if plain else "encrypted"
    verb = "updated" if env.text is not None else "created"
    out.status(verb, f"{env.shown} ({key}, {how})", "33" if verb == "updated" else "32")
    return 0


def _read_value(key: str) -> str:
    """The value from standard input: a hidden prompt on a terminal, else its first line."""
    if sys.stdin is not None and sys.stdin.isatty():
        import click

        entered: str = click.prompt(f"{key}", hide_input=True, err=True)
        return entered
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.removesuffix("\n").removesuffix("\r")


def run_get(opts: Options, *, file: str | None, profile: str | None, key: str) -> int:
    """Print the value of KEY as load_env reads it from the file: decrypted, its reference
    resolved. The one command that prints a secret, and only the one asked for."""
    from axogen.config.env import read_env_file

    env = locate_env_file(opts, file, profile)
    env.require()
    values, _ = read_env_file(env.path, env.shown)
    if key not in values:
        raise EnvError(f"{env.shown} does not set {key}")
    opts.run.console.reveal(values[key])
    return 0


# --- rotate ----------------------------------------------------------------------------------


def run_rotate(opts: Options, *, file: str | None, profile: str | None) -> int:
    """A new key pair: every encrypted value re-encrypted, .env.keys updated.

    The new private key is stored before the file changes, beside the old one (`new,old`,
    which dotenvx reads too), so that an interrupted rotation leaves every value readable;
    the old key is dropped once the file is written.
    """
    out = opts.run.console
    env = locate_env_file(opts, file, profile)
    text = env.require()
    if env.public_key is None:
        raise EnvError(
            f"{env.shown} has no DOTENV_PUBLIC_KEY line: nothing is encrypted with a key yet",
            hint="axogen env encrypt makes the first key pair",
        )
    encrypted = [e for e in env.values() if envcrypt.is_encrypted(e.value)]
    old_keys = _private_keys(env)
    plain = _decrypt_all(env, encrypted) if encrypted else {}
    private, public = envcrypt.new_keypair()
    old = ",".join(k.private for k in old_keys)
    _store_private_key(env, env.private_name, f"{private},{old}")
    new_values = {i: envcrypt.encrypt(public, v) for i, v in plain.items()}

    def change(entry: dotenv_text.Entry) -> str | None:
        if entry.key == env.public_name:
            return public
        return new_values.get((entry.key, entry.line))

    new = dotenv_text.edit(text, change)
    _write(env.path, env.shown, new)
    _store_private_key(env, env.private_name, private)
    names = [str(e.key) for e in encrypted]
    out.status("rotated", f"{env.shown} ({_count(names)} re-encrypted with a new key)")
    out.status("updated", f"{env.keys_shown} ({env.private_name}: the new private key)", "33")
    from_env = [k.where for k in old_keys if k.where.startswith("the environment")]
    if from_env:
        out.warn(
            f"the old key came from {from_env[0]}; it no longer decrypts {env.shown}: replace "
            f"it there (CI, your secret store) with the new {env.private_name} of "
            f"{env.keys_shown}"
        )
    out.out(f"next: share the new {env.private_name} with your team; the old one is void")
    return 0


def _count(names: Sequence[str]) -> str:
    return f"{len(names)} value{'s' if len(names) != 1 else ''}"


def _beside(shown: str, name: str) -> str:
    head, sep, _ = shown.replace("\\", "/").rpartition("/")
    return f"{head}{sep}{name}"


def _display(path: Path) -> str:
    """As every message names a file: from where axogen was started."""
    from axogen.paths import shown

    return shown(path)
