"""Credentials in URLs: a password in the authority, a token as the user, a secret path
segment, or a secret query parameter (`?token=`, `&api_key=`, `&sig=`)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from axogen.secrets.base import LazyPattern
from axogen.secrets.entropy import HEXISH_RE, looks_random
from axogen.secrets.keynames import STRONG, WEAK, key_info, words_of
from axogen.secrets.named import keyword_hit, random_hit
from axogen.secrets.tokens import Hit
from axogen.secrets.words import is_placeholder, names_the_slot

URL_RE = LazyPattern(
    r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{0,30}://([^\s/?#'\"<>`]*)([^\s'\"<>`]*)"
)
_KEY_PARAMS = frozenset({"appid", "app_id", "k", "apikey", "key"})
# pagination cursors (Google `pageToken`, AWS `NextToken`, Azure `continuationToken`)
CURSOR_PARAMS = frozenset(
    {
        "pagetoken",
        "page_token",
        "nextpagetoken",
        "next_page_token",
        "nexttoken",
        "next_token",
        "continuationtoken",
        "continuation_token",
    }
)
_SIGNATURE_PARAMS = frozenset(
    {"sig", "signature", "x-amz-signature", "x-goog-signature", "x-amz-security-token"}
)


# a password holding `#`, `/` or `?` unencoded (invalid, yet common): user:pass up to the last @
_LOOSE_USERINFO_RE = LazyPattern(r"([^\s:/?#@]*):(\S+)@[\w.\-]+")


# `/key/<secret>`, `/token/<secret>`: a path segment named for what follows it
_PATH_SECRET_RE = LazyPattern(
    r"/(?:key|token|secret|apikey|api_key|access_token)/(?P<val>[^/?#\s]{16,})", re.I
)


def url_hit(netloc: str, rest: str) -> Hit | None:
    """A password in the authority, or a secret query parameter."""
    if "@" not in netloc and "@" in rest:
        loose = _LOOSE_USERINFO_RE.match(netloc + rest)
        if loose is not None and not re.match(r"\d+(?:/|$)", loose.group(2)):
            netloc = loose.group()  # not a port: `host:8080/path/@scope`
    if "@" in netloc:
        user, sep, password = netloc.rpartition("@")[0].partition(":")
        if sep:
            plain, login = unquote(password), unquote(user)
            if (
                len(plain) >= 4
                and plain != login
                and not is_placeholder(plain)
                and not names_the_slot(plain, (login.lower(), *words_of(login)))
            ):
                return Hit("password in a URL", "url-credentials", password)
        elif not HEXISH_RE.match(user) and looks_random(unquote(user)):
            return Hit("token in a URL", "url-credentials", user)  # https://<token>@host
    path = _PATH_SECRET_RE.search(rest)
    if (
        path is not None
        and looks_random(path["val"], relaxed=True)
        and not is_placeholder(path["val"])
    ):
        return Hit("secret in a URL path", "url-secret-path", path["val"])
    if "?" not in rest and "#" not in rest:
        return None
    query = re.split(r"[?#]", rest, maxsplit=1)[1]  # the query, and an OAuth fragment
    for part in re.split(r"[&;#]", query):
        name, eq, raw = part.partition("=")
        if eq and raw:
            hit = _param_hit(unquote(name), unquote(raw), azure_sas="sv=" in query)
            if hit is not None:
                return hit
    return None


def _param_hit(name: str, value: str, *, azure_sas: bool) -> Hit | None:
    low = name.lower()
    if low in CURSOR_PARAMS:
        return None
    if low in _SIGNATURE_PARAMS:
        if random_hit(value, relaxed=True) is None:
            return None
        if low == "sig" and azure_sas:
            return Hit("Azure SAS signature", "azure-sas", value)
        return Hit("signature in a URL", "url-secret-param", value)
    strength, words = key_info(name)
    if low in _KEY_PARAMS:
        strength = WEAK  # `?appid=` (OpenWeather), `?k=`: an API key when it looks random
    if strength is STRONG and keyword_hit(words, value) is not None:
        return Hit("secret in a URL query", "url-secret-param", value)
    if strength is WEAK and random_hit(value, relaxed=True) is not None:
        return Hit("secret in a URL query", "url-secret-param", value)
    return None
