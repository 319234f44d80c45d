"""Encrypted env values, compatible with dotenvx: its key names, its files, its ciphertext.

A value `encrypted:BASE64` is ECIES over secp256k1 with the parameters of the `eciesjs`
that dotenvx bundles: an uncompressed 65-byte ephemeral public key, HKDF-SHA256 over the
ephemeral key and the uncompressed shared point, AES-256-GCM with a 16-byte nonce, in the
layout `ephemeral key || nonce || tag || ciphertext`, base64-encoded (secp256k1 by
`coincurve`, AES-GCM by `cryptography`).

The file holds the public key on a line `DOTENV_PUBLIC_KEY[_SUFFIX]="02…"`; its private key
is `DOTENV_PRIVATE_KEY[_SUFFIX]`, found in the environment or in `.env.keys` beside the file
(several keys may be given, comma-separated, as dotenvx allows). The suffix follows
dotenvx's rule for the file name: `.env.axogen` -> `AXOGEN`, `.env.axogen.production` ->
`AXOGEN_PRODUCTION`; the name on the file's own public-key line wins.

Nothing here is imported unless a file holds an encrypted value or a command asks for one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from axogen.errors import EnvError
from axogen.lazyre import LazyPattern

PREFIX = "encrypted:"
PUBLIC_KEY_NAME = "DOTENV_PUBLIC_KEY"
PRIVATE_KEY_NAME = "DOTENV_PRIVATE_KEY"
KEYS_FILE = ".env.keys"

# the comment block dotenvx writes above the public key; kept identical so that a file
# encrypted by either tool looks the same
PUBLIC_KEY_HEADER = (
    "#/-------------------[DOTENV_PUBLIC_KEY]--------------------/\n"
    "#/            public-key encryption for .env files          /\n"
    "#/       [how it works](https://dotenvx.com/encryption)     /\n"
    "#/----------------------------------------------------------/\n"
)
KEYS_FILE_HEADER = (
    "#/------------------!DOTENV_PRIVATE_KEYS!-------------------/\n"
    "#/ private decryption keys. DO NOT commit to source control /\n"
    "#/     [how it works](https://dotenvx.com/encryption)       /\n"
    "#/----------------------------------------------------------/\n"
)


def is_encrypted(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)


def is_key_line(key: str | None) -> bool:
    """A DOTENV_PUBLIC_KEY… line: metadata of the file, not one of its values."""
    return key is not None and key.startswith(PUBLIC_KEY_NAME)


# words of a variable's name that say its value is a credential (PASSWORD, DB_PASS,
# JWT_SECRET, API_KEY, GITHUB_TOKEN, PRIVATE_KEY_PEM…), unless it says it is public
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pass",
        "passphrase",
        "secret",
        "token",
        "key",
        "apikey",
        "private",
        "credential",
        "credentials",
        "salt",
        "dsn",
    }
)
_PUBLIC_WORDS = frozenset({"public", "publishable", "pub"})
_WORD = LazyPattern(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def looks_secret(key: str, value: str) -> bool:
    """Is this plain value a secret to encrypt (and to warn about in a committed file)?

    Its name has a credential word, or the secret detector flags the value. Deliberately
    generous: encrypting a value that is not secret costs little, leaving a secret in plain
    text in a committed file costs a rotation.
    """
    if not value:
        return False
    words = {w.lower() for w in _WORD.findall(key)}
    if words & _SECRET_WORDS and not words & _PUBLIC_WORDS:
        return True
    from axogen.secrets.keynames import cannot_be_secret

    # the detector's own first gate, without compiling its rules (~30 ms): an env file's
    # PORT=5432 or LOG_LEVEL=debug is settled here on every run that loads it
    if cannot_be_secret(key, value):
        return False
    from axogen.secrets.detect import classify

    return classify(key, value) is not None


# --- key names: dotenvx's conventions/keynames.js and environment.js -----------------------


def key_suffix(filename: str) -> str:
    """The `_SUFFIX` dotenvx gives the keys of a file with this name ("" for `.env`)."""
    name = Path(filename).name.lower()
    if name.startswith(".env") and name.endswith(".txt"):
        name = name[:-4]
    if name == ".env":
        return ""
    parts = name.split(".")[2:]
    if not parts:
        environment = name.replace(".env", "development", 1)
    else:
        environment = "_".join(parts[:2])
    return "_" + environment.upper()


def key_names(filename: str, public_name: str | None = None) -> tuple[str, str]:
    """(public key name, private key name) of a file; the file's own public-key line wins."""
    if public_name is not None:
        return public_name, PRIVATE_KEY_NAME + public_name[len(PUBLIC_KEY_NAME) :]
    suffix = key_suffix(filename)
    return PUBLIC_KEY_NAME + suffix, PRIVATE_KEY_NAME + suffix


# --- the primitives: coincurve (secp256k1) and cryptography (AES-GCM) ------------------------


def new_keypair() -> tuple[str, str]:
    """A fresh (private key hex, compressed public key hex), as `dotenvx encrypt` makes."""
    from coincurve import PrivateKey

    key = PrivateKey()
    return key.secret.hex(), key.public_key.format(compressed=True).hex()


def public_key_of(private_hex: str) -> str | None:
    """The compressed public key of a private key, or None when it is not a valid key."""
    from coincurve import PrivateKey

    try:
        secret = bytes.fromhex(private_hex.strip())
        if len(secret) != 32:
            return None
        return PrivateKey(secret).public_key.format(compressed=True).hex()
    except ValueError:
        return None


def valid_public_key(public_hex: str) -> bool:
    from coincurve import PublicKey

    try:
        PublicKey(bytes.fromhex(public_hex))
    except ValueError:
        return False
    return True


# eciesjs's layout: the sender's uncompressed 65-byte ephemeral key, the 16-byte nonce, the
# 16-byte GCM tag, the ciphertext
_EPHEMERAL = 65
_NONCE = 16
_TAG = 16


def _session_key(ephemeral_public: bytes, shared_point: bytes) -> bytes:
    """HKDF-SHA256 (empty salt and info, 32 bytes) over both uncompressed points, as eciesjs.

    Written out with hmac (RFC 5869, one block): eciespy did this through pycryptodome,
    whose import (with cffi) cost ~100 ms on every run that reads an encrypted file.
    """
    import hashlib
    import hmac

    prk = hmac.digest(b"\0" * 32, ephemeral_public + shared_point, hashlib.sha256)
    return hmac.digest(prk, b"\x01", hashlib.sha256)


def encrypt(public_hex: str, plaintext: str) -> str:
    """`encrypted:BASE64` of `plaintext` for this public key."""
    import base64

    from coincurve import PrivateKey, PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    receiver = PublicKey(bytes.fromhex(public_hex))
    ephemeral = PrivateKey()
    ephemeral_public = ephemeral.public_key.format(compressed=False)
    shared = receiver.multiply(ephemeral.secret).format(compressed=False)
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(_session_key(ephemeral_public, shared)).encrypt(
        nonce, plaintext.encode("utf-8"), None
    )
    # AESGCM gives ciphertext || tag; eciesjs puts the tag first
    data = ephemeral_public + nonce + sealed[-_TAG:] + sealed[:-_TAG]
    return PREFIX + base64.b64encode(data).decode("ascii")


class DecryptError(Exception):
    """Why a value could not be decrypted: "wrong key" or "malformed" (never the value)."""


def decrypt(private_hex: str, value: str) -> str:
    """The plaintext of `encrypted:BASE64`; DecryptError when the key does not fit."""
    import base64
    import binascii

    from coincurve import PrivateKey, PublicKey
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        data = base64.b64decode(value[len(PREFIX) :].strip(), validate=True)
    except (binascii.Error, ValueError):
        raise DecryptError("malformed") from None
    if len(data) < _EPHEMERAL + _NONCE + _TAG:
        raise DecryptError("malformed")
    ephemeral_public = data[:_EPHEMERAL]
    nonce = data[_EPHEMERAL : _EPHEMERAL + _NONCE]
    tag = data[_EPHEMERAL + _NONCE : _EPHEMERAL + _NONCE + _TAG]
    ciphertext = data[_EPHEMERAL + _NONCE + _TAG :]
    try:
        ephemeral = PublicKey(ephemeral_public)
    except ValueError:
        raise DecryptError("malformed") from None
    try:
        secret = bytes.fromhex(private_hex.strip().removeprefix("0x"))
        shared = ephemeral.multiply(PrivateKey(secret).secret).format(compressed=False)
    except ValueError:
        raise DecryptError("wrong key") from None
    try:
        key = _session_key(ephemeral.format(compressed=False), shared)
        plain = AESGCM(key).decrypt(nonce, ciphertext + tag, None)
    except InvalidTag:
        # AES-GCM's tag check fails for another key (and for altered data)
        raise DecryptError("wrong key") from None
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptError("malformed") from None


# --- finding the private key ---------------------------------------------------------------


class Key(NamedTuple):
    private: str
    where: str  # "the environment (DOTENV_PRIVATE_KEY_AXOGEN)", ".env.keys"


def read_keys_file(keys_file: Path, shown: str) -> dict[str, str]:
    """The keys of a `.env.keys` file; refused when git would commit it."""
    from axogen.config import dotenv_text

    try:
        text = keys_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as e:
        raise EnvError(f"cannot read {shown}: {e}") from None
    refuse_committed_keys_file(keys_file, shown)
    return {e.key: e.value for e in dotenv_text.parse(text) if e.key and e.value is not None}


def refuse_committed_keys_file(keys_file: Path, shown: str) -> None:
    """EnvError when `keys_file` is in a git repository that would commit it."""
    from axogen.secrets.gitignore import Unknown, find_repo, judge

    folder = keys_file.parent.resolve()
    top = find_repo(folder)
    if top is None:
        return  # outside git nothing is committed
    path = folder / keys_file.name
    verdict = judge([path], folder, {}).get(path, True)
    if isinstance(verdict, Unknown):
        raise EnvError(
            f"cannot tell whether git would commit {shown}, which holds private keys: "
            f"{verdict.why}",
            hint=verdict.hint,
        )
    if verdict:
        rel = path.relative_to(top).as_posix()
        raise EnvError(
            f"{shown} holds private keys and git would commit it; add this line to "
            f"{top / '.gitignore'}:\n    /{rel}",
            hint=f"then run again; if it was committed already, `git rm --cached {rel}` and "
            "make new keys with `axogen env rotate`",
        )


def find_keys(
    env_file: Path,
    private_name: str,
    public_key: str | None,
    shown_keys_file: str,
    environ: Mapping[str, str] | None = None,
) -> list[Key]:
    """The private keys that may decrypt `env_file`, best first.

    As dotenvx does: `private_name` from the environment, then from `.env.keys` beside the
    file (each may list several keys, comma-separated). When the file names its public key,
    a key that does not belong to it is left out, and any other `DOTENV_PRIVATE_KEY…` of the
    environment or `.env.keys` that does belong to it is taken (dotenvx 1.x matches by name,
    2.x by public key). `.env.keys` is only read when the environment has no fitting key.
    """
    env = os.environ if environ is None else environ
    found: list[Key] = []

    def add(text: str, where: str) -> None:
        for part in text.split(","):
            part = part.strip()
            if part and all(k.private != part for k in found):
                found.append(Key(part, where))

    def fits(key: Key) -> bool:
        return public_key is None or public_key_of(key.private) == public_key.lower()

    if env.get(private_name):
        add(env[private_name], f"the environment ({private_name})")
    if not any(fits(k) for k in found):
        stored = read_keys_file(env_file.with_name(KEYS_FILE), shown_keys_file)
        if stored.get(private_name):
            add(stored[private_name], shown_keys_file)
        if public_key is not None and not any(fits(k) for k in found):
            for name, text in env.items():
                if name != private_name and name.startswith(PRIVATE_KEY_NAME):
                    add(text, f"the environment ({name})")
            for name, text in stored.items():
                if name != private_name and name.startswith(PRIVATE_KEY_NAME):
                    add(text, shown_keys_file)
    if public_key is not None:
        fitting = [k for k in found if fits(k)]
        return fitting or found  # the unfitting ones only to say which key was tried
    return found


def describe_keys(keys: Sequence[Key]) -> str:
    return ", ".join(dict.fromkeys(k.where for k in keys))
