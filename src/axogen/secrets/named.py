"""Judging a value by the key name it is stored under: secret names, weak names, entropy."""

from __future__ import annotations

from axogen.secrets.base import LazyPattern
from axogen.secrets.entropy import looks_random
from axogen.secrets.keynames import PASSWORD_WORDS
from axogen.secrets.tokens import Hit, b64decode_text
from axogen.secrets.words import is_placeholder, is_reference, names_the_slot

_AWS_SECRET_RE = LazyPattern(r"^[A-Za-z0-9/+]{40}$")
_SSH_PUBLIC_RE = LazyPattern(r"^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\S+)\s")


# `${DB_PASSWORD:s3cret}` (Spring), `${DB_PASSWORD:-s3cret}` (shells, Compose): a reference
# whose default is a concrete value all the same
DEFAULT_RE = LazyPattern(
    r"^\$\{(?P<name>[A-Za-z_][\w.\-]*)(?::-|:=|:(?![?+])|-|=)(?P<default>[^{}$]*)\}$"
)


def keyword_hit(key_words: tuple[str, ...], value: str) -> Hit | None:
    """A value under a secret name: a secret unless a placeholder, a reference, or a number."""
    v = value.strip().strip("'\"")
    default = DEFAULT_RE.match(v) if v.startswith("${") else None
    if default is not None:
        v = default["default"].strip().strip("'\"")
    if len(v) < 4 or "://" in v or is_placeholder(v, chosen=True) or is_reference(v, key_words):
        return None
    if v.isdigit() and (len(v) < 6 or not PASSWORD_WORDS.intersection(key_words)):
        return None  # max_tokens: "4096"; but a numeric password is one
    if names_the_slot(v, key_words) or _SSH_PUBLIC_RE.match(v):
        return None  # DB_PASSWORD: db_password, MINIO_SECRET_KEY: miniosecretkey; a public key
    decoded = b64decode_text(v) if len(v) % 4 == 0 else None
    if decoded is not None and (is_placeholder(decoded) or names_the_slot(decoded, key_words)):
        return None  # a Kubernetes Secret's `cGFzc3dvcmQ=`: base64 of "password"
    if "aws" in key_words and _AWS_SECRET_RE.match(v):
        return Hit("AWS secret access key", "aws-secret-key", v)
    return Hit("secret-named key", "keyword", v)


def random_hit(value: str, *, relaxed: bool) -> Hit | None:
    if looks_random(value, relaxed=relaxed) and not is_placeholder(value):
        return Hit("high-entropy string", "entropy", value)
    return None


_USER_PASS_RE = LazyPattern(r"^[^\s:/@]+:([^\s:]{4,})$")  # not `a:b:c`, a path of names


def weak_hit(words: tuple[str, ...], value: str) -> Hit | None:
    """A value under a name that may hold a secret (`key`, `auth`, `salt`): random, or creds."""
    hit = random_hit(value, relaxed=True)
    if hit is not None or "auth" not in words:
        return hit
    pair = _USER_PASS_RE.match(value)  # basic_auth: "user:password"
    decoded = None if pair else b64decode_text(value)  # docker's `auth`: the same, base64
    if decoded is not None:
        pair = _USER_PASS_RE.match(decoded)
    if (
        pair is not None
        and not is_placeholder(pair.group(1))
        and not is_reference(pair.group(1), words)
    ):
        return Hit("user:password credentials", "credentials", value)
    return None
