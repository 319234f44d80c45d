"""The rules for one value: VALUE_RULES (a value under its key name) and COMPOSITE_RULES
(credentials inside a URL, a connection string, a command line or a header value).

A value rule takes a `Value` and returns a `Verdict`: a Hit (a secret), NOT_SECRET (settled:
not one), or None (no opinion: the next rule decides). The engine asks the rules of
VALUE_RULES in order and stops at the first that decides, so the order is the policy.

A composite rule takes the whole (single-line) value and returns a Hit or None; the first
hit wins.
"""

from __future__ import annotations

from collections.abc import Callable

from axogen.secrets.base import NOT_SECRET, LazyPattern, Value, Verdict, settled
from axogen.secrets.entropy import HEXISH_RE
from axogen.secrets.keynames import QUIET, STRONG, WEAK
from axogen.secrets.named import DEFAULT_RE, keyword_hit, random_hit, weak_hit
from axogen.secrets.shapes import (
    AUTH_HEADER_RE,
    SECRET_HINT_RE,
    assignment_hit,
    assignments,
    cli_hits,
    flag_hits,
    header_hit,
    xml_hit,
)
from axogen.secrets.tokens import Hit, format_hits, has_marker
from axogen.secrets.urls import URL_RE, url_hit
from axogen.secrets.words import TEMPLATE_RE, is_placeholder

# --- composite rules: (value) -> Hit | None ----------------------------------------------------

# ~/.pgpass: hostname:port:database:username:password
_PGPASS_RE = LazyPattern(r"^[\w.\-*]+:(?:\d+|\*):[\w\-*]+:[\w.\-@*]+:(?P<pw>\S{4,})$")


def pgpass(value: str) -> Hit | None:
    """A whole ~/.pgpass line, `host:port:db:user:password`."""
    found = (
        _PGPASS_RE.match(value)
        if value.count(":") >= 4 and not HEXISH_RE.match(value)  # 02:42:ac:11:00:02
        else None
    )
    if found is not None and not is_placeholder(found["pw"]):
        return Hit("password in a .pgpass line", "pgpass", found["pw"])
    return None


_PRIVATE_JWK_RE = LazyPattern(
    r'"kty"\s*:\s*"(?:RSA|EC|OKP)".*"d"\s*:\s*"(?P<d>[A-Za-z0-9_\-]{20,})"'
)


def private_jwk(value: str) -> Hit | None:
    """A JSON Web Key with its private part `d`."""
    if '"kty"' in value:
        jwk = _PRIVATE_JWK_RE.search(value)
        if jwk is not None:
            return Hit("private key (JWK)", "private-key", jwk["d"])
    return None


def url_credentials(value: str) -> Hit | None:
    """A password, token or secret parameter in any URL inside the value."""
    if "://" in value:
        for m in URL_RE.finditer(value):
            hit = url_hit(m.group(1), m.group(2))
            if hit is not None:
                return hit
    return None


def embedded_assignments(value: str) -> Hit | None:
    """`Password=…;` in a connection string, `password=…` in libpq's, `AccountKey=…`."""
    if ("=" in value or ":" in value) and SECRET_HINT_RE.search(value):
        for m in assignments(value):
            hit = assignment_hit(m["key"], m["val"], embedded=True, entropy=False)
            if hit is not None:
                return hit
    return None


def xml_elements(value: str) -> Hit | None:
    """`<password>…</password>` (a settings.xml fragment)."""
    return xml_hit(value) if "</" in value else None


def command_line(value: str) -> Hit | None:
    """EZConnect, bare `user:password@host`, `mysql -p…`, `curl -u user:password`."""
    return next((hit for _, _, hit in cli_hits(value)), None)


def command_line_flags(value: str) -> Hit | None:
    """`--password <value>` on a command line."""
    return next((hit for _, _, hit in flag_hits(value)), None) if "--" in value else None


def authorization_header(value: str) -> Hit | None:
    """`Bearer <token>`, `Basic <base64 user:password>`, `token <token>`."""
    if " " in value and AUTH_HEADER_RE.search(value):
        return header_hit(value)
    return None


COMPOSITE_RULES: tuple[Callable[[str], Hit | None], ...] = (
    pgpass,
    private_jwk,
    url_credentials,
    embedded_assignments,
    xml_elements,
    command_line,
    command_line_flags,
    authorization_header,
)


# --- value rules: (Value) -> Verdict -----------------------------------------------------------


def provider_format(v: Value) -> Verdict:
    """A provider's token format (`tokens.py`). A public format (Stripe `pk_`, a certificate)
    or one filled with a placeholder settles a single-line value as not secret."""
    value = v.text
    if len(value) < 16 or not has_marker(value):
        return None
    known = False
    for _, _, found in format_hits(value):
        if found.kind:
            return found
        known = True  # a public format, or one filled with a placeholder
    return NOT_SECRET if known and "\n" not in value else None


def multi_line(v: Value) -> Verdict:
    """A multi-line value is judged as text, line by line: its first secret."""
    if "\n" not in v.text:
        return None
    return settled(next((hit for _, hit in v.engine.text_hits(v.text)), None))


def template(v: Value) -> Verdict:
    """`${VAR}`, `{{ x }}`: filled in later, from elsewhere; but `${DB_PASSWORD:s3cret}`
    has a concrete default, judged under the outer name if it says more."""
    value = v.text
    if not TEMPLATE_RE.search(value):
        return None
    default = DEFAULT_RE.match(value) if value.startswith("${") else None
    if default is not None and default["default"].strip():
        inner = v.key if v.strength is STRONG else default["name"]
        return settled(v.engine.judge(inner, default["default"]))
    return NOT_SECRET


def composite(v: Value) -> Verdict:
    """Credentials inside the value: the first hit of COMPOSITE_RULES."""
    for rule in COMPOSITE_RULES:
        hit = rule(v.text)
        if hit is not None:
            return hit
    return None


_SEED_WORDS = frozenset({"mnemonic", "seed", "phrase", "recovery", "wallet"})
_SEED_PHRASE_RE = LazyPattern(r"^[a-z]{3,8}(?: [a-z]{3,8}){11,23}$")


def seed_phrase(v: Value) -> Verdict:
    """A wallet's BIP-39 recovery phrase: 12 to 24 lowercase words under a seed-like name."""
    if _SEED_WORDS.intersection(v.words) and _SEED_PHRASE_RE.match(v.text):
        if v.text.count(" ") + 1 in (12, 15, 18, 21, 24):
            return Hit("wallet recovery phrase", "seed-phrase", v.text)
    return None


def quiet_name_or_url(v: Value) -> Verdict:
    """A name for a public, hash or id value (`QUIET`), and a URL with no credentials in it."""
    return NOT_SECRET if v.strength is QUIET or "://" in v.text else None


def secret_name(v: Value) -> Verdict:
    """Under a secret name (`password`, `api_key`): any real value."""
    return settled(keyword_hit(v.words, v.text)) if v.strength is STRONG else None


def weak_name(v: Value) -> Verdict:
    """Under a name that may hold a secret (`key`, `auth`, `salt`): a random-looking value."""
    return settled(weak_hit(v.words, v.text)) if v.strength is WEAK else None


def high_entropy(v: Value) -> Verdict:
    """Under any other name: a long random-looking string (20+ characters)."""
    return random_hit(v.text, relaxed=False) if len(v.text) >= 20 else None


# In order; the first rule that decides wins. Before these, the engine drops values under 4
# characters, and under 16 unless a secret name, an `@` or an `=` could make them one.
VALUE_RULES: tuple[Callable[[Value], Verdict], ...] = (
    provider_format,  # first: a known format decides whatever the key name says
    multi_line,  # before the single-line rules below
    template,  # a placeholder is never judged by its shape; only a default is
    composite,  # before the name rules: a URL's password shows whatever the name
    seed_phrase,
    quiet_name_or_url,  # settles what the name rules below would misjudge
    secret_name,
    weak_name,
    high_entropy,  # last: the shape alone
)
