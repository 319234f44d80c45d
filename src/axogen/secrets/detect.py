"""Is this value a secret? Pure rules over key names, values and rendered text; no I/O.

A value is judged in this order; the first rule that decides wins.

1. Provider token formats (GitHub, AWS, Stripe, Slack, Google, …; see `tokens.py`), found
   by one prefilter regex over all their literal markers. A format filled with a placeholder
   (`AKIA…EXAMPLE`, `ghp_xxxx…`) is not a secret; a format that is public by design (Stripe
   `pk_`, Mapbox `pk.`, certificates, SSH public keys) settles the value as not secret,
   whatever its key says.
2. Credentials inside composite values: URLs (`scheme://user:pass@host`; query parameters
   `?token=`, `&api_key=`, `&sig=`), connection strings (`Password=…;`, `AccountKey=…`,
   libpq `password=…`), `Bearer …` / `Basic …` header values, and every line of a
   multi-line value.
3. The key name (`words.py`): a secret name (`password`, `secret`, `token`, `api_key`, …)
   makes any real value a secret; a weak one (`key`, `auth`, `salt`, `signature`) one that
   looks random.
4. High entropy (`entropy.py`): a long unbroken string of letters and digits that reads
   neither as words nor as an identifier, or 32+ random hex digits. Names that hold hashes
   and ids (`commit`, `sha`, `checksum`, `*_id`, `public_key`) are never judged by entropy.
5. A wallet recovery phrase (12-24 words) under a `mnemonic` / `seed` name; a JSON Web Key
   holding its private part `d`.

Never secrets: placeholders (`${VAR}`, `$VAR`, `{{ var }}`, `<your-key>`, `xxxx`, `****`,
texts with "example", "placeholder", "dummy", "your…", documented defaults like `changeme`
or `postgres`), references to a secret kept elsewhere (`DB_PASSWORD`, `/run/secrets/db`,
`arn:…`, `vault:…`, `op://…`, a Kubernetes secret's name), a URL with a user but no password
(`postgres://app@db`, a Sentry DSN), and password hashes (`$2b$…`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from axogen.secrets.entropy import HEXISH_RE, looks_random
from axogen.secrets.mask import mask
from axogen.secrets.tokens import Hit, b64decode_text, format_hits, has_marker
from axogen.secrets.words import (
    NEUTRAL,
    PASSWORD_WORDS,
    QUIET,
    STRONG,
    TEMPLATE_RE,
    WEAK,
    KeyInfo,
    is_placeholder,
    is_reference,
    key_info,
    names_the_slot,
    words_of,
)

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A secret found at `key_path`; `preview` is masked and never holds the value."""

    key_path: KeyPath
    kind: str
    rule: str
    preview: str


# --- a value under a secret name ---------------------------------------------------------------

_AWS_SECRET_RE = re.compile(r"^[A-Za-z0-9/+]{40}$")
_SSH_PUBLIC_RE = re.compile(r"^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\S+)\s")


# `${DB_PASSWORD:s3cret}` (Spring), `${DB_PASSWORD:-s3cret}` (shells, Compose): a reference
# whose default is a concrete value all the same
_DEFAULT_RE = re.compile(
    r"^\$\{(?P<name>[A-Za-z_][\w.\-]*)(?::-|:=|:(?![?+])|-|=)(?P<default>[^{}$]*)\}$"
)


def _keyword_hit(key_words: tuple[str, ...], value: str) -> Hit | None:
    """A value under a secret name: a secret unless a placeholder, a reference, or a number."""
    v = value.strip().strip("'\"")
    default = _DEFAULT_RE.match(v) if v.startswith("${") else None
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


def _random_hit(value: str, *, relaxed: bool) -> Hit | None:
    if looks_random(value, relaxed=relaxed) and not is_placeholder(value):
        return Hit("high-entropy string", "entropy", value)
    return None


# --- composite values: URLs, connection strings, headers ---------------------------------------

_URL_RE = re.compile(
    r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{0,30}://([^\s/?#'\"<>`]*)([^\s'\"<>`]*)"
)
_KEY_PARAMS = frozenset({"appid", "app_id", "k", "apikey", "key"})
# pagination cursors (Google `pageToken`, AWS `NextToken`, Azure `continuationToken`)
_CURSOR_PARAMS = frozenset(
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
_LOOSE_USERINFO_RE = re.compile(r"([^\s:/?#@]*):(\S+)@[\w.\-]+")


# `/key/<secret>`, `/token/<secret>`: a path segment named for what follows it
_PATH_SECRET_RE = re.compile(
    r"/(?:key|token|secret|apikey|api_key|access_token)/(?P<val>[^/?#\s]{16,})", re.I
)


def _url_hit(netloc: str, rest: str) -> Hit | None:
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
    if low in _CURSOR_PARAMS:
        return None
    if low in _SIGNATURE_PARAMS:
        if _random_hit(value, relaxed=True) is None:
            return None
        if low == "sig" and azure_sas:
            return Hit("Azure SAS signature", "azure-sas", value)
        return Hit("signature in a URL", "url-secret-param", value)
    strength, words = key_info(name)
    if low in _KEY_PARAMS:
        strength = WEAK  # `?appid=` (OpenWeather), `?k=`: an API key when it looks random
    if strength is STRONG and _keyword_hit(words, value) is not None:
        return Hit("secret in a URL query", "url-secret-param", value)
    if strength is WEAK and _random_hit(value, relaxed=True) is not None:
        return Hit("secret in a URL query", "url-secret-param", value)
    return None


# `key=value`, `key: value`, `"key": "value"`, `--key=value`, `Key Name=value;`
_ASSIGN_RE = re.compile(
    r"""(?:^|(?<=[\s;,&?{(\[:/\-\#]))["']?(?P<key>[A-Za-z_][\w.\-]*(?:\ [A-Za-z]\w*)?)(?P<q>["']?)
        [ \t]*(?P<sep>=>|:=|=|:)[ \t]*
        (?P<val>"{3}[^\n]*?"{3}|"[^"\n]*"|'[^'\n]*'
          |\$\{[^}\n]*\}|\$__\w+\{[^}\n]*\}|\$\([^()\n]*\)   # ${VAR:-x}, $__file{…}, $(cmd)
          |\{[A-Z][A-Z0-9\-]*\}[^\s;,&'"})\]<>]*                  # {SSHA}hash
          |[^\s;,&'"})\]<>]+)""",
    re.VERBOSE,
)
_XML_ASSIGN_RE = re.compile(
    r"<(?P<key>[A-Za-z_][\w.\-]*)>(?P<val>[^<\n]{4,})</(?P=key)>"
    r"|key\s*=\s*\"(?P<key2>[^\"]+)\"\s+value\s*=\s*\"(?P<val2>[^\"]*)\""
)
_SECRET_HINT_RE = re.compile(r"(?i)pass|pwd|pw\b|secret|token|key|sig|auth|cred")
_AZURE_KEYS = {
    "accountkey": ("Azure storage account key", "azure-storage-key"),
    "sharedaccesskey": ("Azure shared access key", "azure-connection-string"),
}


_CALL_RE = re.compile(r"[A-Za-z_][\w.]*\(")
_SUBSCRIPT_RE = re.compile(r"[A-Za-z_][\w.]*\[")


def _assignments(text: str) -> Iterator[re.Match[str]]:
    """`key=value` and `key: value` pairs; `a:b` (no space, key unquoted) is not one."""
    for m in _ASSIGN_RE.finditer(text):
        if m["sep"] == ":" and not m["q"] and m.start("val") == m.end("sep"):
            continue  # module:Object, host:port, user:pass
        if " " in m["key"] and m["sep"] != "=":
            continue
        if " " in m["key"] and text[max(0, m.start("key") - 2) : m.start("key")] == "--":
            continue  # `--secret id=npmrc`: a flag and its argument, not a field `Secret Id`  # `User ID=x;` names a field; `Invalid token: expired` is prose
        if _CALL_RE.match(m["val"]) or text[m.end() : m.end() + 1] == "<":
            continue
        if _SUBSCRIPT_RE.fullmatch(m["val"]) and text[m.end() : m.end() + 1] in ("'", '"'):
            continue  # `SECRET_KEY = os.environ['SECRET_KEY']`: a lookup  # `secret = derive(key)`: code; `pass = <span…`: markup
        yield m


_GPG_KEY_ID_RE = re.compile(r"^(?:0x)?(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})!?$")


def _assignment_hit(key: str, value: str, *, embedded: bool, entropy: bool) -> Hit | None:
    """A `key=value` pair inside a value (`embedded`) or on a line of text."""
    value = value.strip().strip("'\"")
    if not value or key.lower() in _CURSOR_PARAMS:
        return None
    azure = _AZURE_KEYS.get(key.replace(" ", "").lower())
    if azure is not None:
        return Hit(*azure, value) if _random_hit(value, relaxed=True) else None
    strength, words = key_info(key)
    if key.lower().rsplit(".", 1)[-1] == "signingkey" and _GPG_KEY_ID_RE.match(value):
        return None  # git's `signingkey = 3AA5C34371567BD2`: a key id, not the key
    if strength is STRONG:
        hit = _keyword_hit(words, value)
        if hit is not None and embedded and words[-1] in PASSWORD_WORDS:
            return Hit("password in a connection string", "connection-string", hit.token)
        return hit
    if strength is WEAK or (entropy and strength is NEUTRAL):
        return _random_hit(value, relaxed=strength is WEAK)
    return None


_AUTH_HEADER_RE = re.compile(
    r"(?<![A-Za-z])(?:Bearer|Basic|Token|bearer|basic|token|Bot|ApiKey|SSWS)\s+([A-Za-z0-9._~+/=\-]{12,})"
)


def _header_hit(value: str) -> Hit | None:
    """`Bearer <token>`, `Basic <base64 user:password>`, `token <token>`."""
    for m in _AUTH_HEADER_RE.finditer(value):
        token = m.group(1)
        decoded = b64decode_text(token) if m.group().lower().startswith("basic") else None
        if decoded is not None:
            _, sep, password = decoded.partition(":")
            if sep and len(password) >= 4 and not is_placeholder(password):
                return Hit("credentials in an Authorization header", "authorization-header", token)
        elif _random_hit(token, relaxed=True) is not None:
            return Hit("token in an Authorization header", "authorization-header", token)
    return None


_PRIVATE_JWK_RE = re.compile(
    r'"kty"\s*:\s*"(?:RSA|EC|OKP)".*"d"\s*:\s*"(?P<d>[A-Za-z0-9_\-]{20,})"'
)


# ~/.pgpass: hostname:port:database:username:password
_PGPASS_RE = re.compile(r"^[\w.\-*]+:(?:\d+|\*):[\w\-*]+:[\w.\-@*]+:(?P<pw>\S{4,})$")


def _composite_hit(value: str) -> Hit | None:
    """URLs, connection strings and header values inside a single-line value."""
    pgpass = (
        _PGPASS_RE.match(value)
        if value.count(":") >= 4 and not HEXISH_RE.match(value)  # 02:42:ac:11:00:02
        else None
    )
    if pgpass is not None and not is_placeholder(pgpass["pw"]):
        return Hit("password in a .pgpass line", "pgpass", pgpass["pw"])
    if '"kty"' in value:
        jwk = _PRIVATE_JWK_RE.search(value)  # a JSON Web Key with its private exponent
        if jwk is not None:
            return Hit("private key (JWK)", "private-key", jwk["d"])
    if "://" in value:
        for m in _URL_RE.finditer(value):
            hit = _url_hit(m.group(1), m.group(2))
            if hit is not None:
                return hit
    if ("=" in value or ":" in value) and _SECRET_HINT_RE.search(value):
        for m in _assignments(value):
            hit = _assignment_hit(m["key"], m["val"], embedded=True, entropy=False)
            if hit is not None:
                return hit
    hit = _xml_hit(value) if "</" in value else None
    if hit is None:
        hit = next((cli for _, _, cli in _cli_hits(value)), None)
    if hit is None and "--" in value:
        hit = next((flag for _, _, flag in _flag_hits(value)), None)
    if hit is not None:
        return hit
    if " " in value and _AUTH_HEADER_RE.search(value):
        return _header_hit(value)
    return None


def _xml_hit(value: str) -> Hit | None:
    """`<password>…</password>` inside a single-line value (a settings.xml fragment)."""
    for m in _XML_ASSIGN_RE.finditer(value):
        key, val = (m["key"], m["val"]) if m["key"] else (m["key2"], m["val2"])
        hit = _assignment_hit(key, val, embedded=True, entropy=False)
        if hit is not None:
            return hit
    return None


# Oracle EZConnect `user/password@//host:port/service`
_EZCONNECT_RE = re.compile(
    r"^[A-Za-z][\w$#]*/(?P<pw>[^\s/@\"']{4,})@(?://[\w.\-]+(?::\d+)?|[\w.\-]+:\d+)(?:/[\w.\-]*)?$"
)
# `user:password@host[:port]` with no scheme (a URL's authority on its own)
_USERINFO_RE = re.compile(
    r"^(?P<user>[\w.\-+%]+):(?P<pw>[^\s:@/]{4,})@(?:[\w\-]+(?:\.[\w\-]+)+|[\w\-]+(?=:\d))"
    r"(?::\d+)?(?:/\S*)?$"
)
_NOT_USERINFO = frozenset({"mailto", "sip", "sips", "tel", "xmpp", "urn", "data"})
# `mysql … -p<password>` (no space: MySQL's documented form), `curl -u user:password`
_MYSQL_P_RE = re.compile(
    r"(?:^|[\s;&|(])(?:mysql|mysqladmin|mysqldump|mysqlsh|mariadb|mariadb-admin|mariadb-dump)\b"
    r"[^\n;|&]*?\s-p(?P<pw>[^\s'\"]{4,})"
)
_AWS_CONFIGURE_RE = re.compile(
    r"\baws\s+configure\s+set\s+(?P<key>[\w.\-]+)\s+(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s'\"]+)"
)
_CURL_USER_RE = re.compile(
    r"\bcurl\b[^\n;|&]*?\s(?:-u|--user)[ =]?['\"]?(?P<user>[^\s:'\"]+):(?P<pw>[^\s'\"]{4,})"
)


def _cli_password(pw: str, user: str | None = None) -> bool:
    pw = pw.strip("'\"")
    return (
        len(pw) >= 4
        and pw[0] not in "$%"  # -p$MYSQL_PASSWORD, $$VAR in compose
        and pw != user
        and not re.match(r"^[\d.]+$", pw)
        and not is_placeholder(pw)
    )


def _cli_hits(line: str) -> Iterator[tuple[int, int, Hit]]:
    """Credentials in shapes no `key=value` rule sees: EZConnect, bare userinfo, mysql -p, curl -u."""
    s = line.strip()
    if "@" in s and " " not in s:
        lead = line.find(s)
        m = _EZCONNECT_RE.match(s)
        if m is not None and _cli_password(m["pw"]):
            hit = Hit("password in a connect string", "connection-string", m["pw"])
            yield lead + m.start("pw"), lead + m.end("pw"), hit
            return
        m = _USERINFO_RE.match(s)
        if (
            m is not None
            and m["user"].lower() not in _NOT_USERINFO
            and _cli_password(m["pw"], m["user"])
        ):
            yield (
                lead + m.start("pw"),
                lead + m.end("pw"),
                Hit("password in a URL", "url-credentials", m["pw"]),
            )
            return
    if "-p" in line:
        for m in _MYSQL_P_RE.finditer(line):
            if _cli_password(m["pw"]):
                yield (
                    m.start("pw"),
                    m.end("pw"),
                    Hit("password on a command line", "cli-password", m["pw"]),
                )
    if "configure" in line:
        for m in _AWS_CONFIGURE_RE.finditer(line):
            aws = _assignment_hit(m["key"], m["val"], embedded=False, entropy=False)
            if aws is not None:
                yield m.start("val"), m.end("val"), aws
    if "curl" in line:
        for m in _CURL_USER_RE.finditer(line):
            if _cli_password(m["pw"], m["user"]):
                yield (
                    m.start("pw"),
                    m.end("pw"),
                    Hit("password on a command line", "cli-password", m["pw"]),
                )


# --- judging one value -------------------------------------------------------------------------

_NO_KEY: KeyInfo = (NEUTRAL, ())
_USER_PASS_RE = re.compile(r"^[^\s:/@]+:([^\s:]{4,})$")  # not `a:b:c`, a path of names


_B64_BLOB_RE = re.compile(r"^(?:[A-Za-z0-9+/]{24,}|[A-Za-z0-9_\-]{24,})={0,2}$")


def _judge(key: str | None, value: str) -> Hit | None:
    hit = _judge_value(key, value)
    if hit is None or hit.rule == "entropy":
        return _judge_base64(key, value.strip(), hit)
    return hit


def _judge_base64(key: str | None, blob: str, hit: Hit | None) -> Hit | None:
    """A Kubernetes Secret's data, a .dockerconfigjson: base64 of text is judged as the text.

    Base64 of readable text (`system:bootstrappers:…`) is not random, whatever its entropy
    says; random bytes almost never decode to UTF-8 text, so `hit` stands for those.
    """
    if len(blob) < 24 or not _B64_BLOB_RE.match(blob):
        return hit
    decoded = b64decode_text(blob)
    if decoded is None or not decoded.strip():
        return hit
    inner = _judge(key, decoded)
    return None if inner is None else Hit(f"{inner.kind} (base64)", inner.rule, blob)


def _judge_value(key: str | None, value: str) -> Hit | None:
    value = value.strip()
    n = len(value)
    if n < 4:
        return None
    strength, words = _NO_KEY if key is None else key_info(key)
    # every token format is 16+ characters; a shorter value needs a secret name or a URL
    if n < 16 and strength is not STRONG and "@" not in value and "=" not in value:
        return None
    if n >= 16 and has_marker(value):
        settled = False
        for _, _, found in format_hits(value):
            if found.kind:
                return found
            settled = True  # a public format, or one filled with a placeholder
        if settled and "\n" not in value:
            return None
    if "\n" in value:
        return next((hit for _, hit in _text_hits(value)), None)
    if TEMPLATE_RE.search(value):
        default = _DEFAULT_RE.match(value) if value.startswith("${") else None
        if default is not None and default["default"].strip():
            # `${DB_PASSWORD:s3cret}`: judge the default, under the outer name if it says more
            inner = key if strength is STRONG else default["name"]
            return _judge(inner, default["default"])
        return None  # `${A}:${B}`, `{{ x }}`: filled in later, from elsewhere
    composite = _composite_hit(value) or _seed_phrase_hit(words, value)
    if composite is not None or strength is QUIET or "://" in value:
        return composite
    if strength is STRONG:
        return _keyword_hit(words, value)
    if strength is WEAK:
        return _weak_hit(words, value)
    return _random_hit(value, relaxed=False) if n >= 20 else None


_SEED_WORDS = frozenset({"mnemonic", "seed", "phrase", "recovery", "wallet"})
_SEED_PHRASE_RE = re.compile(r"^[a-z]{3,8}(?: [a-z]{3,8}){11,23}$")


def _seed_phrase_hit(words: tuple[str, ...], value: str) -> Hit | None:
    """A wallet's BIP-39 recovery phrase: 12 to 24 lowercase words under a seed-like name."""
    if _SEED_WORDS.intersection(words) and _SEED_PHRASE_RE.match(value):
        if value.count(" ") + 1 in (12, 15, 18, 21, 24):
            return Hit("wallet recovery phrase", "seed-phrase", value)
    return None


def _weak_hit(words: tuple[str, ...], value: str) -> Hit | None:
    """A value under a name that may hold a secret (`key`, `auth`, `salt`): random, or creds."""
    hit = _random_hit(value, relaxed=True)
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


# --- public API --------------------------------------------------------------------------------


def classify(key: str | None, value: str) -> tuple[str, str] | None:
    """(kind, rule) when `value`, stored under the key name `key`, is a secret; else None."""
    hit = _judge(key, value)
    return None if hit is None else (hit.kind, hit.rule)


def find_secrets(
    data: Any,
    *,
    declared: Set[KeyPath] = frozenset(),
    allowed: Set[KeyPath] = frozenset(),
    declared_values: Set[str] = frozenset(),
) -> list[Finding]:
    """Every secret among the string leaves and dict keys of plain `data`, in document order.

    A string is judged with the name of its key (a list item with its list's key; the
    `value` of a `{name: DB_PASSWORD, value: …}` pair with that name). A path in `declared`
    (a SecretStr's) is a finding whatever its value looks like, and so is any string or key
    that contains one of `declared_values` (the env model's secrets, built into a URL, say);
    a path in `allowed` (an `unsafe()` value's) never is; both cover everything below them,
    and `allowed` wins over `declared`. A password that only repeats a service, user or
    database name of the same data (`POSTGRES_PASSWORD: nextcloud` beside
    `POSTGRES_USER: nextcloud`) is a trivial default, not a secret. A dict key that is itself
    a secret is reported at its masked preview, as is every path below it, so no key path
    ever shows a secret.
    """
    scan = _Scan(declared, allowed, declared_values)
    _walk(data, None, (), (), False, scan)
    if scan.trivial:
        names = names_in_data(data)
        if names:
            return [f for f, token in scan.found if not _is_trivial(f, token, names)]
    return [f for f, _ in scan.found]


class _Scan:
    """One walk's settings and findings (with each finding's token, for the trivial check)."""

    __slots__ = ("allowed", "declared", "exact", "found", "trivial", "values")

    def __init__(self, declared: Set[KeyPath], allowed: Set[KeyPath], values: Set[str]) -> None:
        self.declared = declared
        self.allowed = allowed
        self.exact = values
        self.values = embeddable(values)
        self.found: list[tuple[Finding, str]] = []
        self.trivial = False  # a finding a trivial default could explain

    def add(self, shown: KeyPath, hit: Hit) -> None:
        self.found.append((Finding(shown, hit.kind, hit.rule, mask(hit.token)), hit.token))
        self.trivial = self.trivial or hit.rule in _TRIVIAL_RULES

    def judge(self, shown: KeyPath, key: str | None, value: str) -> None:
        if self.exact and (value in self.exact or _holds_declared(value, self.values)):
            self.found.append((Finding(shown, *_DECLARED_INSIDE, mask(value)), value))
            return
        if "\n" in value.strip():
            for _, line_hit in _text_hits(value):
                self.add(shown, line_hit)
            return
        hit = _judge(key, value)
        if hit is not None:
            self.add(shown, hit)


_DECLARED_INSIDE = ("declared secret", "declared")


def embeddable(declared: Set[str]) -> tuple[str, ...]:
    """The declared values to look for inside other strings, longest first.

    Values under 4 characters, and stock placeholders (`changeme`, `postgres`), count only
    where they stand alone: inside other text they match image names, hosts and words.
    """
    return tuple(
        sorted((d for d in declared if len(d) >= 4 and not is_placeholder(d)), key=len)[::-1]
    )


def _holds_declared(value: str, declared: tuple[str, ...]) -> bool:
    return any(d in value for d in declared)


def _walk(
    node: Any, key: str | None, path: KeyPath, shown: KeyPath, in_declared: bool, scan: _Scan
) -> None:
    if scan.allowed and path in scan.allowed:
        return
    in_declared = in_declared or (bool(scan.declared) and path in scan.declared)
    cls = type(node)
    if cls is str:
        if in_declared:
            scan.found.append((Finding(shown, "declared secret", "declared", mask(node)), node))
            return
        scan.judge(shown, key, node)
    elif cls is dict or isinstance(node, Mapping):
        _walk_dict(node, path, shown, in_declared, scan)
    elif cls is list or cls is tuple:
        for i, item in enumerate(node):
            if type(item) not in _NOT_TEXT:
                _walk(item, key, (*path, i), (*shown, i), in_declared, scan)


def _password_name(name: str) -> bool:
    strength, words = key_info(name)
    return strength is STRONG and bool(words) and words[-1] in PASSWORD_WORDS


# `{name: DB_PASSWORD, value: …}` (Kubernetes env, ECS, Helm extraEnv), `{Key:, Value:}`
_PAIRS = (("name", "value"), ("Name", "Value"), ("key", "value"), ("Key", "Value"))


def _pair_name(node: Mapping[Any, Any]) -> tuple[str, str] | None:
    """(value key, name) when `node` names its value in a sibling key."""
    for name_key, value_key in _PAIRS:
        if value_key in node:
            name = node.get(name_key)
            if isinstance(name, str) and name:
                return value_key, name
    return None


def _walk_dict(
    node: Mapping[Any, Any], path: KeyPath, shown: KeyPath, in_declared: bool, scan: _Scan
) -> None:
    # the hot loop of every generate: child paths are built only when something needs them
    allowed = scan.allowed
    tracked = in_declared or bool(allowed) or bool(scan.declared)
    pair = _pair_name(node) if ("value" in node or "Value" in node) else None
    for k, item in node.items():
        name = k if isinstance(k, str) else None
        masked: KeyPath | None = None
        # a key alone is judged like a value with no name: under 16 characters only an `@`
        # or `=` (credentials in a URL or an assignment) can make it a secret
        if (
            name is not None
            and (len(name) >= 16 or "@" in name or "=" in name or scan.exact)
            and not (allowed and (*path, k) in allowed)
        ):
            masked = _secret_key(name, shown, scan)
        if pair is not None and k == pair[0]:
            name = pair[1]
        if name == "encryptedData" and isinstance(item, Mapping):
            item = _without_sealed(item)
        item_cls = type(item)
        if item_cls is int and name is not None and _password_name(name):
            # `password: 123456` in YAML is an int, and still the password
            if not (allowed and (*path, k) in allowed):
                scan.judge(masked or (*shown, k), name, str(item))
            continue
        if not tracked and masked is None:
            if item_cls is str:
                scan.judge((*shown, k), name, item)
                continue
            if item_cls in _NOT_TEXT:
                continue
        child_shown = masked or (*shown, k)
        _walk(item, name, (*path, k), child_shown, in_declared, scan)


# a SealedSecret's `spec.encryptedData` values: base64 of a 2-byte length (0x0200 for the
# default 4096-bit key), an RSA-OAEP session key and AES-GCM ciphertext. Made to be committed.
_SEALED_RE = re.compile(r"^Ag[A-D][A-Za-z0-9+/]{300,}={0,2}$")


def _without_sealed(node: Mapping[Any, Any]) -> dict[Any, Any]:
    return {k: v for k, v in node.items() if not (isinstance(v, str) and _SEALED_RE.match(v))}


def _secret_key(name: str, shown: KeyPath, scan: _Scan) -> KeyPath | None:
    """A dict key that is itself a secret: report it, and mask it in every path below."""
    masked = (*shown, mask(name))
    if scan.exact and (name in scan.exact or _holds_declared(name, scan.values)):
        kind = f"{_DECLARED_INSIDE[0]} used as a key"
        scan.found.append((Finding(masked, kind, _DECLARED_INSIDE[1], mask(name)), name))
        return masked
    if len(name) < 16 and "@" not in name and "=" not in name:
        return None
    hit = _judge(None, name)
    if hit is None:
        return None
    finding = Finding(masked, f"{hit.kind} used as a key", hit.rule, mask(hit.token))
    scan.found.append((finding, hit.token))
    return masked


_NOT_TEXT = frozenset({int, float, bool, type(None)})


# --- trivial defaults: a password that repeats a name of the same file -----------------------

# rules whose finding is a chosen password, which a local default may merely repeat
_TRIVIAL_RULES = frozenset(
    {"keyword", "connection-string", "url-credentials", "cli-password", "pgpass", "credentials"}
)
# the last word of a key whose value names a service, user or database
_NAME_WORDS = frozenset(
    """user username usr login db database dbname name schema service host hostname server
    owner role container app application project bucket realm tenant org organization
    cluster namespace account instance site domain vhost queue topic index""".split()
)
_IMAGE_NAME_RE = re.compile(r"^(?:[\w.\-]+(?::\d+)?/)*(?P<name>[\w.\-]+?)(?:[:@][\w.\-]+)?$")


def _is_trivial_hit(hit: Hit, names: Set[str]) -> bool:
    return _is_trivial(Finding((), hit.kind, hit.rule, ""), hit.token, names)


def _is_trivial(finding: Finding, token: str, names: Set[str]) -> bool:
    """A password repeating a name of the file, or naming its slot with one (`awxpass`)."""
    if finding.rule not in _TRIVIAL_RULES:
        return False
    value = token.strip("'\"").lower()
    return value in names or names_the_slot(value, tuple(n for n in names if n.isalnum()))


_NAME_SUFFIXES = tuple(_NAME_WORDS)
# the user and the database of a URL: `jdbc:mysql://localhost/petclinic`, `postgres://app@db/app`
_URL_NAMES_RE = re.compile(
    r"://(?:(?P<user>[\w.\-]+)(?::[^@/\s]*)?@)?[\w.\-]+(?::\d+)?/(?P<db>[\w\-]+)"
)


def _add_name(names: set[str], key: str, value: str) -> None:
    words = key_info(key)[1]
    if not words or len(value) > 64:
        if "://" in value:
            _add_url_names(names, value)
        return
    value = value.strip("'\"")
    default = _DEFAULT_RE.match(value) if value.startswith("${") else None
    if default is not None:
        value = default["default"]  # `username: ${DB_USER:root}`
    if words[-1].endswith(_NAME_SUFFIXES):  # POSTGRES_USER, PGUSER, dbname
        names.add(value.lower())
    elif "://" in value:
        _add_url_names(names, value)
    elif words[-1] == "image":
        m = _IMAGE_NAME_RE.match(value.strip("'\""))
        if m is not None:
            names.add(m["name"].lower())


def _add_url_names(names: set[str], value: str) -> None:
    for m in _URL_NAMES_RE.finditer(value):
        names.update(n.lower() for n in m.group("user", "db") if n)


def names_in_data(data: Any) -> frozenset[str]:
    """The service, user and database names in `data` (compose services, `*_USER`, `*_DB`…)."""
    names: set[str] = set()
    todo = [data]
    while todo:
        node = todo.pop()
        if isinstance(node, Mapping):
            for k, v in node.items():
                if not isinstance(k, str):
                    continue
                if isinstance(v, str):
                    _add_name(names, k, v)
                elif k == "services" and isinstance(v, Mapping):
                    names.update(str(n).lower() for n in v)
                    todo.append(v)
                elif isinstance(v, (Mapping, list, tuple)):
                    todo.append(v)
        elif isinstance(node, (list, tuple)):
            todo.extend(n for n in node if isinstance(n, (Mapping, list, tuple, str)))
        elif isinstance(node, str) and "=" in node and "\n" not in node:
            key, _, value = node.partition("=")  # compose's `- POSTGRES_USER=nextcloud`
            _add_name(names, key.strip(), value.strip())
    return frozenset(names)


_BARE_KEY_RE = re.compile(r"^[ \t]+(?:- )?[\"']?(?P<key>[A-Za-z_][\w.\-]*)[\"']?[ \t]*:[ \t]*$")


def names_in_text(text: str) -> frozenset[str]:
    """The same names in rendered text: `KEY=value` lines, YAML mapping keys (services)."""
    names: set[str] = set()
    for line in text.split("\n"):
        bare = _BARE_KEY_RE.match(line)
        if bare is not None:
            names.add(bare["key"].lower())
            continue
        if "=" in line or ":" in line:
            for m in _assignments(line):
                _add_name(names, m["key"], m["val"])
    return frozenset(names)


def scan_text(
    text: str, *, path_label: str = "line", declared: Set[str] = frozenset()
) -> list[Finding]:
    """Secrets in rendered text (a template's output), one finding per secret, in order.

    The key path of a finding is `(f"{path_label} {line_number}",)`, e.g. `("line 3",)`.
    """
    return [f for f, _ in scan_text_values(text, path_label=path_label, declared=declared)]


def scan_text_values(
    text: str, *, path_label: str = "line", declared: Set[str] = frozenset()
) -> list[tuple[Finding, str]]:
    """Like `scan_text`, each finding with the secret itself (to hide it from output).

    Every place a value of `declared` (the env model's secrets) shows is a finding too, and
    a password that repeats a service, user or database name of the text is not.
    """
    hits = list(_text_hits(text))
    if any(hit.rule in _TRIVIAL_RULES for _, hit in hits):
        names = names_in_text(text)
        hits = [(line, hit) for line, hit in hits if not _is_trivial_hit(hit, names)]
    found = [
        (Finding((f"{path_label} {line}",), hit.kind, hit.rule, mask(hit.token)), hit.token)
        for line, hit in hits
    ]
    for value in embeddable(declared):
        at = text.find(value)
        while at >= 0:
            line = text.count("\n", 0, at) + 1
            label = (f"{path_label} {line}",)
            if not any(f.key_path == label and value in token for f, token in found):
                found.append((Finding(label, *_DECLARED_INSIDE, mask(value)), value))
            at = text.find(value, at + len(value))
    return found


_LINE_START_RE = re.compile(
    # a commented-out line (`# DB_PASSWORD=…`, `#db.password=…`) is committed all the same
    r"^[ \t]*(?:(?:\#+|//|;)[ \t]*)?(?:export[ \t]+|set[ \t]+|-[ \t]+)?[\"']?[A-Za-z_][\w.\-]*[\"']?"
    r"[ \t]*[:=]"
)


def _text_hits(text: str) -> Iterator[tuple[int, Hit]]:
    """(line number, hit) of every secret in `text`, in order; overlapping spans count once."""
    # provider formats first: their spans, public ones included, win over broader rules
    spans: list[tuple[int, int, Hit]] = list(format_hits(text))
    if "://" in text:
        for m in _URL_RE.finditer(text):
            hit = _url_hit(m.group(1), m.group(2))
            if hit is not None:
                spans.append((m.start(), m.end(), hit))
    # whole-file context a single line cannot show
    ctx = _Context(
        sealed="SealedSecret" in text and "encryptedData" in text,
        jaas="LoginModule" in text,
    )
    offset = 0
    for row in text.split("\n"):
        spans.extend(
            (offset + start, offset + end, hit) for start, end, hit in _line_hits(row, ctx)
        )
        offset += len(row) + 1
    if "value" in text or "Value" in text:
        spans.extend(_pair_spans(text))
    starts: list[int] = []
    kept: list[tuple[int, int, Hit]] = []
    for start, end, hit in spans:
        i = bisect_right(starts, start)
        if (i and kept[i - 1][1] > start) or (i < len(kept) and kept[i][0] < end):
            continue  # inside a span already taken
        starts.insert(i, start)
        kept.insert(i, (start, end, hit))
    line, counted = 1, 0
    for start, _, hit in kept:
        if hit.kind:  # not a public format or a placeholder
            line += text.count("\n", counted, start)
            counted = start
            yield line, hit


# a Kubernetes env entry, an ECS / Helm `{name: X, value: y}`: the name is on a line of its
# own (`- name: DB_PASSWORD`), the value on one of the next two (`  value: s3cret`)
_NAME_LINE_RE = re.compile(
    r"^[ \t]*(?:-[ \t]+)?[\"']?(?:name|Name|key|Key)[\"']?[ \t]*[:=][ \t]*[\"']?"
    r"(?P<name>[A-Za-z_][\w.\-]*)[\"']?[ \t]*,?[ \t]*$"
)
_VALUE_LINE_RE = re.compile(
    r"^[ \t]*(?:-[ \t]+)?[\"']?(?:value|Value)[\"']?[ \t]*[:=][ \t]*"
    r"(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s,}#][^,}\n]*?)[ \t]*[,}]?[ \t]*$"
)
# both on one line: `{"name": "DB_PASSWORD", "value": "s3cret"}`, `{name: X, value: y}`
_INLINE_PAIR_RE = re.compile(
    r"[\"']?(?:name|Name|key|Key)[\"']?[ \t]*[:=][ \t]*[\"']?(?P<name>[A-Za-z_][\w.\-]*)[\"']?"
    r"[ \t]*,[ \t]*[\"']?(?:value|Value)[\"']?[ \t]*[:=][ \t]*"
    r"(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s,}\]]+)"
)


def _pair_spans(text: str) -> Iterator[tuple[int, int, Hit]]:
    """The values of `name`/`value` pairs, on one line or on a line after the name."""
    offset = 0
    named: tuple[int, str] | None = None  # the row and name of the last `name: X` line
    for number, row in enumerate(text.split("\n")):
        pair = _INLINE_PAIR_RE.search(row)
        if pair is not None:
            hit = _named_value_hit(pair["name"], pair["val"])
            if hit is not None:
                yield offset + pair.start("val"), offset + pair.end("val"), hit
        elif (name_line := _NAME_LINE_RE.match(row)) is not None:
            named = (number, name_line["name"])
        elif named is not None and number - named[0] <= 2:
            value_line = _VALUE_LINE_RE.match(row)
            if value_line is not None:
                hit = _named_value_hit(named[1], value_line["val"])
                if hit is not None:
                    yield offset + value_line.start("val"), offset + value_line.end("val"), hit
                named = None
        offset += len(row) + 1


def _named_value_hit(name: str, value: str) -> Hit | None:
    """The value of a `name`/`value` pair, judged under its name."""
    value = value.strip().strip("'\"")
    return _judge(name, value) if value else None


# .netrc: `machine host login me password s3cret`, on one line or several
_NETRC_RE = re.compile(r"^\s*(?:(?:machine|default)\b.*\s)?password\s+(?P<val>\S+)\s*$")


@dataclass(frozen=True, slots=True)
class _Context:
    sealed: bool = False  # a SealedSecret manifest: its `Ag…` ciphertexts may be committed
    jaas: bool = False  # a JAAS config: PlainLoginModule's `user_<name>="<password>"`


_NO_CONTEXT = _Context()
# `Environment="DB_PASSWORD=x"`, supervisor's `environment=API_KEY="x",…`: a value that is
# itself an assignment is judged as that assignment
_NESTED_ASSIGN_RE = re.compile(r"^[\"']?(?P<name>[A-Za-z_][\w.\-]*)=")
_ENV_KEYS = frozenset({"environment", "env", "setenv", "environ"})
_JAAS_USER_RE = re.compile(r"^user_\w+$")
# PHP `define('DB_PASSWORD', '…');`
_DEFINE_RE = re.compile(
    r"\bdefine\s*\(\s*(?P<q>['\"])(?P<key>\w+)(?P=q)\s*,\s*(?P<val>'[^'\n]*'|\"[^\"\n]*\")"
)
# WordPress's eight salts: random phrases of any printable characters
_WP_SALTS = frozenset(
    f"{a}_{b}" for a in ("AUTH", "SECURE_AUTH", "LOGGED_IN", "NONCE") for b in ("KEY", "SALT")
)
# `requirepass s3cret`, `bindpw s3cret`, `SetEnv DB_PASSWORD s3cret`,
# `proxy_set_header X-Api-Key s3cret;`, `user admin insecure-password s3cret`: a directive
# line ending in `<secret name> <value>` (at most two words before the name)
_SPACED_RE = re.compile(
    r"^[ \t]*(?:[A-Za-z_][\w.\-]*[ \t]+){0,2}(?P<key>[A-Za-z_][\w.\-]*)[ \t]+"
    r"(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s;'\"]+)[ \t]*;?[ \t]*$"
)
# `--session-secret <value>`, `--password <value>` on a command line
_FLAG_RE = re.compile(
    r"(?:^|(?<=\s))--(?P<key>[A-Za-z][\w\-]*)[ \t]+(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s'\"\-][^\s'\"]*)"
)


# a whole line of ~/.pgpass; a `:` inside the password is escaped (`\:`), so an unescaped
# one means another format (/etc/shadow `root:*:20228:0:99999:7:::`, hex dumps `0c:65:…:`)
_PGPASS_LINE_RE = re.compile(
    r"^[\w.\-*]+:(?:\d+|\*):[\w\-*]+:[\w.\-@*]+:(?P<pw>(?:[^\s:\\]|\\.){4,})$"
)


def _password_shaped(value: str) -> bool:
    """A bare word after a name could be prose, a port or a C declaration: ask for 8+
    characters, no space, and a digit or (12+ characters) a symbol inside."""
    v = value.strip("'\"").rstrip(".,:;!?")
    if len(v) < 8 or v[0] in "*&(" or any(c.isspace() for c in v):
        return False
    return any(c.isdigit() for c in v) or (len(v) >= 12 and not v.isalnum())


def _credential_shaped(value: str) -> bool:
    """A `--flag value` could be a flag without a value followed by an argument: ask more."""
    v = value.strip("'\"")
    if len(v) < 8 or "=" in v.rstrip("=") or "," in v:
        return False
    classes = (
        any(c.isupper() for c in v)
        + any(c.islower() for c in v)
        + any(c.isdigit() for c in v)
        + any(not c.isalnum() and c not in "_-." for c in v)  # `app_2024` is a name
    )
    return classes >= 3 or looks_random(v, relaxed=True)


def _spaced_hit(key: str, value: str) -> Hit | None:
    strength, words = key_info(key)
    if strength is STRONG:
        if not _password_shaped(value):
            return None
        return _keyword_hit(words, value)
    if strength is WEAK:
        return _weak_hit(words, value.strip("'\""))
    return None


def _line_hits(line: str, ctx: _Context = _NO_CONTEXT) -> Iterator[tuple[int, int, Hit]]:
    """`key = value` pairs, XML elements and Authorization headers on one line of text."""
    yield from _cli_hits(line)
    yield from _pgpass_hits(line)
    if "define" in line:
        yield from _define_hits(line)
    at_start = _LINE_START_RE.match(line) is not None
    if not at_start and not _SECRET_HINT_RE.search(line):
        return
    for m in _assignments(line):
        yield from _assignment_hits(line, m, at_start, ctx)
    spaced = _SPACED_RE.match(line)
    if spaced is not None:
        hit = _spaced_hit(spaced["key"], spaced["val"])
        if hit is not None:
            yield spaced.start("val"), spaced.end("val"), hit
    if "--" in line:
        yield from _flag_hits(line)
    for m in _XML_ASSIGN_RE.finditer(line):
        key, value = (m["key"], m["val"]) if m["key"] else (m["key2"], m["val2"])
        hit = _assignment_hit(key, value, embedded=False, entropy=False)
        if hit is not None:
            yield m.start(), m.end(), hit
    netrc = _NETRC_RE.search(line)
    if netrc is not None:
        hit = _keyword_hit(("password",), netrc["val"])
        if hit is not None:
            yield netrc.start("val"), netrc.end("val"), hit
    header = _header_hit(line) if " " in line else None
    if header is not None:
        at = line.find(header.token)
        yield at, at + len(header.token), header


def _pgpass_hits(line: str) -> Iterator[tuple[int, int, Hit]]:
    """~/.pgpass: host:port:db:user:password."""
    stripped = line.strip()
    if stripped.count(":") >= 4 and not HEXISH_RE.match(stripped):
        pgpass = _PGPASS_LINE_RE.match(stripped)
        if pgpass is not None and not is_placeholder(pgpass["pw"]):
            at = line.find(stripped) + pgpass.start("pw")
            hit = Hit("password in a .pgpass line", "pgpass", pgpass["pw"])
            yield at, at + len(pgpass["pw"]), hit


def _define_hits(line: str) -> Iterator[tuple[int, int, Hit]]:
    """PHP `define('NAME', 'value')`, WordPress's salts included."""
    for m in _DEFINE_RE.finditer(line):
        if m["key"] in _WP_SALTS:
            hit = _keyword_hit(("secret",), m["val"])
        else:
            hit = _assignment_hit(m["key"], m["val"], embedded=False, entropy=False)
        if hit is not None:
            yield m.start("val"), m.end("val"), hit


def _assignment_hits(
    line: str, m: re.Match[str], at_start: bool, ctx: _Context
) -> Iterator[tuple[int, int, Hit]]:
    """One `key = value` on a line: nested assignments, JAAS users, base64 payloads."""
    key, value = m["key"], m["val"]
    if ctx.sealed and _SEALED_RE.match(value.strip("'\"")):
        return  # a SealedSecret's ciphertext
    nested = _NESTED_ASSIGN_RE.match(value)
    if nested is not None and (
        key.lower() in _ENV_KEYS or re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", nested["name"])
    ):
        # `Environment="DB_PASSWORD=…"`: judge the inner assignment
        base = m.start("val") + (1 if value[:1] in "'\"" else 0)
        for n in _assignments(line[base:]):
            inner = _assignment_hit(n["key"], n["val"], embedded=False, entropy=at_start)
            if inner is not None:
                yield base + n.start("val"), base + n.end("val"), inner
        return
    if ctx.jaas and _JAAS_USER_RE.match(key):
        hit = _keyword_hit(("password",), value)
    else:
        hit = _assignment_hit(key, value, embedded=False, entropy=at_start)
    if hit is None or hit.rule == "entropy":
        hit = _judge_base64(key, value.strip("'\""), hit)
    if hit is not None:
        yield m.start("val"), m.end("val"), hit


def _flag_hits(line: str) -> Iterator[tuple[int, int, Hit]]:
    """`--session-secret value` on a command line."""
    for m in _FLAG_RE.finditer(line):
        strength, words = key_info(m["key"])
        # Redis's password flags always take a value; others may be switches followed by an
        # argument (`psql --password dbname` prompts), so their value must look like one
        takes_value = words[-1:] in (("requirepass",), ("masterauth",)) or (
            bool(words) and words[-1] in PASSWORD_WORDS and _password_shaped(m["val"])
        )
        if strength is STRONG and (takes_value or _credential_shaped(m["val"])):
            hit = _keyword_hit(words, m["val"])
            if hit is not None:
                yield m.start("val"), m.end("val"), hit
