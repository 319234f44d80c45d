"""Encrypted values and secret references of an env file, opened while it is read.

`encrypted:…` values (dotenvx's format) are decrypted with the file's private key; then any
value that is a reference (`ref+file://…`, `ref+exec://…`, `op://…`, `ref+keyring://…`) is
resolved. A decrypted value is read exactly as it would be if the file held it in plain
text (its `${VAR}` references are expanded); a reference's result is taken literally.
Every value opened here is a declared secret, whatever the field's type.

Imported only when a file holds such a value.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import NamedTuple

from axogen import envcrypt
from axogen.config import references
from axogen.errors import EnvError

Item = tuple[str, "str | None", int]  # key, value as written (unquoted, unexpanded), line


class Opened(NamedTuple):
    items: list[Item]  # the file's bindings, values decrypted / resolved; no key lines
    literal: set[str]  # keys whose value is final (a reference's result): not expanded
    secrets: list[str]  # every decrypted or resolved value
    # encrypted or references, and no plain value a secret: git may commit the file
    sealed: bool


def needed(items: Sequence[Item]) -> bool:
    """True when a binding is encrypted, a reference, or a public-key line."""
    return any(
        envcrypt.is_key_line(key) or envcrypt.is_encrypted(value) or references.looks_like(value)
        for key, value, _ in items
    )


def open_values(
    file: Path,
    shown: str,
    items: Sequence[Item],
    cache: MutableMapping[tuple[str, str], str] | None = None,
) -> Opened:
    public_name = next((k for k, _, _ in items if envcrypt.is_key_line(k)), None)
    public_key = next((v for k, v, _ in reversed(items) if k == public_name), None)
    values = [(k, v, line) for k, v, line in items if not envcrypt.is_key_line(k)]
    secrets: list[str] = []
    encrypted = [(k, v, line) for k, v, line in values if envcrypt.is_encrypted(v)]
    plain_keys = {k for k, v, _ in values if not envcrypt.is_encrypted(v)}
    if encrypted:
        decrypted = _decrypt(file, shown, encrypted, public_name, public_key)
        secrets.extend(decrypted.values())
        values = [(k, decrypted.get((k, line), v), line) for k, v, line in values]

    wanted: list[references.Wanted] = []
    base = file.parent
    problems: list[str] = []
    for key, value, line in values:
        if value is None or not references.looks_like(value):
            continue
        try:
            ref = references.parse(value, base)
        except references.Unresolved as e:
            problems.append(f"{key} ({shown}:{line}): {value}: {e}")
            continue
        if ref is not None:
            wanted.append((ref, f"{key} ({shown}:{line})"))
    if problems:
        raise EnvError(
            f"{len(problems)} secret reference{'s' if len(problems) != 1 else ''} could not be "
            "resolved; nothing was written:" + "".join(f"\n  - {p}" for p in problems),
            hint="a literal value that looks like a reference is written ref+echo://VALUE",
        )
    resolved = references.resolve_all(wanted, cache) if wanted else {}
    literal: set[str] = set()
    if wanted:
        by_line = {who: resolved[(ref.text, str(ref.base))] for ref, who in wanted}
        out: list[Item] = []
        for key, value, line in values:
            result = by_line.get(f"{key} ({shown}:{line})")
            if result is not None:
                literal.add(key)
                secrets.append(result)
                out.append((key, result, line))
            else:
                literal.discard(key)
                out.append((key, value, line))
        values = out
    for key, value, line in values:
        if envcrypt.is_encrypted(value) and key not in literal:
            raise EnvError(
                f"{key} ({shown}:{line}) is still encrypted after decryption "
                "(its plaintext starts with 'encrypted:'); axogen never passes ciphertext on",
                hint="set it again: axogen env set " + key,
            )
    referenced = {ref.text for ref, _ in wanted}
    plain = [
        (k, v)
        for k, v, _ in items
        if k in plain_keys and v and not envcrypt.is_key_line(k) and v not in referenced
    ]
    return Opened(values, literal, secrets, bool(encrypted or wanted) and not _any_secret(plain))


def _any_secret(plain: list[tuple[str, str]]) -> bool:
    return any(envcrypt.looks_secret(key, value) for key, value in plain)


def _decrypt(
    file: Path,
    shown: str,
    encrypted: list[Item],
    public_name: str | None,
    public_key: str | None,
) -> dict[tuple[str, int], str]:
    """The plaintext of each encrypted value, by (key, line); EnvError naming every one
    that cannot be decrypted, the file and the key that was looked for."""
    _, private_name = envcrypt.key_names(file.name, public_name)
    if public_key is not None and not envcrypt.valid_public_key(public_key):
        raise EnvError(
            f"{shown}: {public_name} is not a valid public key; its encrypted values cannot "
            "be checked against a private key",
            hint="restore the line from git, or make new keys: axogen env rotate",
        )
    keys_shown = _shown_beside(shown, envcrypt.KEYS_FILE)
    keys = envcrypt.find_keys(file, private_name, public_key, keys_shown)
    names = [f"{k} ({shown}:{line})" for k, _, line in encrypted]
    listed = _listed(names)
    if not keys:
        raise EnvError(
            f"{listed} {'is' if len(names) == 1 else 'are'} encrypted, but the private key "
            f"{private_name} is neither in the environment nor in {keys_shown}; nothing was "
            "written",
            hint=f"ask a teammate for the key, then put the line {private_name}=… in "
            f"{keys_shown} (git-ignored) or export {private_name}",
        )
    found: dict[tuple[str, int], str] = {}
    wrong: list[str] = []
    broken: list[str] = []
    for (key, value, line), name in zip(encrypted, names, strict=True):
        assert value is not None
        kinds = []
        for candidate in keys:
            try:
                found[(key, line)] = envcrypt.decrypt(candidate.private, value)
                break
            except envcrypt.DecryptError as e:
                kinds.append(str(e))
        else:
            (broken if kinds and all(k == "malformed" for k in kinds) else wrong).append(name)
    if wrong or broken:
        from axogen.secrets.mask import remember

        for candidate in keys:
            remember(candidate.private)
        where = envcrypt.describe_keys(keys)
        lines = []
        if wrong:
            fits = public_key is not None and any(
                envcrypt.public_key_of(k.private) == public_key.lower() for k in keys
            )
            why = (
                "the value was changed or encrypted for another key"
                if fits
                else f"the private key {private_name} from {where} is not this file's key"
                + (f" ({public_name})" if public_name else "")
            )
            lines.append(f"{_listed(wrong)}: cannot be decrypted: {why}")
        if broken:
            lines.append(f"{_listed(broken)}: not valid encrypted data (cut short or altered?)")
        raise EnvError(
            "; ".join(lines) + "; nothing was written",
            hint=f"check {private_name} (in the environment or {keys_shown}); the right key "
            "belongs to the public key on the file's DOTENV_PUBLIC_KEY line",
        )
    return found


def _listed(names: list[str]) -> str:
    if len(names) <= 4:
        return ", ".join(names)
    return ", ".join(names[:4]) + f" and {len(names) - 4} more"


def _shown_beside(shown: str, name: str) -> str:
    head, sep, _ = shown.replace("\\", "/").rpartition("/")
    return f"{head}{sep}{name}"
