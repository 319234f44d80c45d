"""The shapes a credential takes inside a larger string, shared by value and line rules:
`key=value` assignments, XML elements, Authorization headers, command lines and flags."""

from __future__ import annotations

import re
from collections.abc import Iterator

from axogen.secrets.base import LazyPattern, Span
from axogen.secrets.entropy import looks_random
from axogen.secrets.keynames import NEUTRAL, PASSWORD_WORDS, STRONG, WEAK, key_info
from axogen.secrets.named import keyword_hit, random_hit
from axogen.secrets.tokens import Hit, b64decode_text
from axogen.secrets.urls import CURSOR_PARAMS
from axogen.secrets.words import is_placeholder

# `key=value`, `key: value`, `"key": "value"`, `--key=value`, `Key Name=value;`
_ASSIGN_RE = LazyPattern(
    r"""(?:^|(?<=[\s;,&?{(\[:/\-\#]))["']?(?P<key>[A-Za-z_][\w.\-]*(?:\ [A-Za-z]\w*)?)(?P<q>["']?)
        [ \t]*(?P<sep>=>|:=|=|:)[ \t]*
        (?P<val>"{3}[^\n]*?"{3}|"[^"\n]*"|'[^'\n]*'
          |\$\{[^}\n]*\}|\$__\w+\{[^}\n]*\}|\$\([^()\n]*\)   # ${VAR:-x}, $__file{…}, $(cmd)
          |\{[A-Z][A-Z0-9\-]*\}[^\s;,&'"})\]<>]*                  # {SSHA}hash
          |[^\s;,&'"})\]<>]+)""",
    re.VERBOSE,
)
XML_ASSIGN_RE = LazyPattern(
    r"<(?P<key>[A-Za-z_][\w.\-]*)>(?P<val>[^<\n]{4,})</(?P=key)>"
    r"|key\s*=\s*\"(?P<key2>[^\"]+)\"\s+value\s*=\s*\"(?P<val2>[^\"]*)\""
)
SECRET_HINT_RE = LazyPattern(r"(?i)pass|pwd|pw\b|secret|token|key|sig|auth|cred")
_AZURE_KEYS = {
    "accountkey": ("Azure storage account key", "azure-storage-key"),
    "sharedaccesskey": ("Azure shared access key", "azure-connection-string"),
}


_CALL_RE = LazyPattern(r"[A-Za-z_][\w.]*\(")
_SUBSCRIPT_RE = LazyPattern(r"[A-Za-z_][\w.]*\[")


def assignments(text: str) -> Iterator[re.Match[str]]:
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


_GPG_KEY_ID_RE = LazyPattern(r"^(?:0x)?(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})!?$")


def assignment_hit(key: str, value: str, *, embedded: bool, entropy: bool) -> Hit | None:
    """A `key=value` pair inside a value (`embedded`) or on a line of text."""
    value = value.strip().strip("'\"")
    if not value or key.lower() in CURSOR_PARAMS:
        return None
    azure = _AZURE_KEYS.get(key.replace(" ", "").lower())
    if azure is not None:
        return Hit(*azure, value) if random_hit(value, relaxed=True) else None
    strength, words = key_info(key)
    if key.lower().rsplit(".", 1)[-1] == "signingkey" and _GPG_KEY_ID_RE.match(value):
        return None  # git's `signingkey = 3AA5C34371567BD2`: a key id, not the key
    if strength is STRONG:
        hit = keyword_hit(words, value)
        if hit is not None and embedded and words[-1] in PASSWORD_WORDS:
            return Hit("password in a connection string", "connection-string", hit.token)
        return hit
    if strength is WEAK or (entropy and strength is NEUTRAL):
        return random_hit(value, relaxed=strength is WEAK)
    return None


AUTH_HEADER_RE = LazyPattern(
    r"(?<![A-Za-z])(?:Bearer|Basic|Token|bearer|basic|token|Bot|ApiKey|SSWS)\s+([A-Za-z0-9._~+/=\-]{12,})"
)


def header_hit(value: str) -> Hit | None:
    """`Bearer <token>`, `Basic <base64 user:password>`, `token <token>`."""
    for m in AUTH_HEADER_RE.finditer(value):
        token = m.group(1)
        decoded = b64decode_text(token) if m.group().lower().startswith("basic") else None
        if decoded is not None:
            _, sep, password = decoded.partition(":")
            if sep and len(password) >= 4 and not is_placeholder(password):
                return Hit("credentials in an Authorization header", "authorization-header", token)
        elif random_hit(token, relaxed=True) is not None:
            return Hit("token in an Authorization header", "authorization-header", token)
    return None


def xml_hit(value: str) -> Hit | None:
    """`<password>…</password>` inside a single-line value (a settings.xml fragment)."""
    for m in XML_ASSIGN_RE.finditer(value):
        key, val = (m["key"], m["val"]) if m["key"] else (m["key2"], m["val2"])
        hit = assignment_hit(key, val, embedded=True, entropy=False)
        if hit is not None:
            return hit
    return None


# Oracle EZConnect `user/password@//host:port/service`
_EZCONNECT_RE = LazyPattern(
    r"^[A-Za-z][\w$#]*/(?P<pw>[^\s/@\"']{4,})@(?://[\w.\-]+(?::\d+)?|[\w.\-]+:\d+)(?:/[\w.\-]*)?$"
)
# `user:password@host[:port]` with no scheme (a URL's authority on its own)
_USERINFO_RE = LazyPattern(
    r"^(?P<user>[\w.\-+%]+):(?P<pw>[^\s:@/]{4,})@(?:[\w\-]+(?:\.[\w\-]+)+|[\w\-]+(?=:\d))"
    r"(?::\d+)?(?:/\S*)?$"
)
_NOT_USERINFO = frozenset({"mailto", "sip", "sips", "tel", "xmpp", "urn", "data"})
# `mysql … -p<password>` (no space: MySQL's documented form), `curl -u user:password`
_MYSQL_P_RE = LazyPattern(
    r"(?:^|[\s;&|(])(?:mysql|mysqladmin|mysqldump|mysqlsh|mariadb|mariadb-admin|mariadb-dump)\b"
    r"[^\n;|&]*?\s-p(?P<pw>[^\s'\"]{4,})"
)
_AWS_CONFIGURE_RE = LazyPattern(
    r"\baws\s+configure\s+set\s+(?P<key>[\w.\-]+)\s+(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s'\"]+)"
)
_CURL_USER_RE = LazyPattern(
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


def cli_hits(line: str) -> Iterator[Span]:
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
            aws = assignment_hit(m["key"], m["val"], embedded=False, entropy=False)
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


# `--session-secret <value>`, `--password <value>` on a command line
_FLAG_RE = LazyPattern(
    r"(?:^|(?<=\s))--(?P<key>[A-Za-z][\w\-]*)[ \t]+(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s'\"\-][^\s'\"]*)"
)


def password_shaped(value: str) -> bool:
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


def flag_hits(line: str) -> Iterator[Span]:
    """`--session-secret value` on a command line."""
    for m in _FLAG_RE.finditer(line):
        strength, words = key_info(m["key"])
        # Redis's password flags always take a value; others may be switches followed by an
        # argument (`psql --password dbname` prompts), so their value must look like one
        takes_value = words[-1:] in (("requirepass",), ("masterauth",)) or (
            bool(words) and words[-1] in PASSWORD_WORDS and password_shaped(m["val"])
        )
        if strength is STRONG and (takes_value or _credential_shaped(m["val"])):
            hit = keyword_hit(words, m["val"])
            if hit is not None:
                yield m.start("val"), m.end("val"), hit
