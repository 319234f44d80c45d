"""The rules for rendered text: TEXT_RULES over the whole text, and LINE_RULES /
NAMED_LINE_RULES over each of its lines.

A text rule takes the text and its `TextContext` and gives spans `(start, end, Hit)` (a
generator or a sequence); a line rule takes a `Line` and gives spans within it. The engine keeps the spans in the
order the rules give them and drops any span that overlaps one kept before it, so an earlier
rule wins over a later one where both see the same secret; a Hit with an empty `kind` (a
public format, a placeholder) holds its span without being reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from axogen.secrets.base import Engine, LazyPattern, Line, Span, TextContext
from axogen.secrets.entropy import HEXISH_RE
from axogen.secrets.keynames import STRONG, WEAK, key_info
from axogen.secrets.named import keyword_hit, weak_hit
from axogen.secrets.shapes import (
    SECRET_HINT_RE,
    XML_ASSIGN_RE,
    assignment_hit,
    assignments,
    cli_hits,
    flag_hits,
    header_hit,
    password_shaped,
)
from axogen.secrets.tokens import Hit, format_hits
from axogen.secrets.urls import URL_RE, url_hit
from axogen.secrets.words import is_placeholder

# a SealedSecret's `spec.encryptedData` values: base64 of a 2-byte length (0x0200 for the
# default 4096-bit key), an RSA-OAEP session key and AES-GCM ciphertext. Made to be committed.
SEALED_RE = LazyPattern(r"^Ag[A-D][A-Za-z0-9+/]{300,}={0,2}$")


def text_context(text: str, engine: Engine) -> TextContext:
    """What the whole text shows that a single line cannot."""
    return TextContext(
        engine,
        sealed="SealedSecret" in text and "encryptedData" in text,
        jaas="LoginModule" in text,
    )


# --- line rules: (Line) -> spans ---------------------------------------------------------------


def command_line(line: Line) -> Iterable[Span]:
    """EZConnect, bare `user:password@host`, `mysql -p…`, `curl -u user:password`."""
    return cli_hits(line.text)


# a whole line of ~/.pgpass; a `:` inside the password is escaped (`\:`), so an unescaped
# one means another format (/etc/shadow `root:*:20228:0:99999:7:::`, hex dumps `0c:65:…:`)
_PGPASS_LINE_RE = LazyPattern(
    r"^[\w.\-*]+:(?:\d+|\*):[\w\-*]+:[\w.\-@*]+:(?P<pw>(?:[^\s:\\]|\\.){4,})$"
)


def pgpass(line: Line) -> Iterator[Span]:
    """~/.pgpass: host:port:db:user:password."""
    stripped = line.text.strip()
    if stripped.count(":") >= 4 and not HEXISH_RE.match(stripped):
        found = _PGPASS_LINE_RE.match(stripped)
        if found is not None and not is_placeholder(found["pw"]):
            at = line.text.find(stripped) + found.start("pw")
            hit = Hit("password in a .pgpass line", "pgpass", found["pw"])
            yield at, at + len(found["pw"]), hit


# PHP `define('DB_PASSWORD', '…');`
_DEFINE_RE = LazyPattern(
    r"\bdefine\s*\(\s*(?P<q>['\"])(?P<key>\w+)(?P=q)\s*,\s*(?P<val>'[^'\n]*'|\"[^\"\n]*\")"
)
# WordPress's eight salts: random phrases of any printable characters
_WP_SALTS = frozenset(
    f"{a}_{b}" for a in ("AUTH", "SECURE_AUTH", "LOGGED_IN", "NONCE") for b in ("KEY", "SALT")
)


def php_define(line: Line) -> Iterable[Span]:
    """PHP `define('NAME', 'value')`, WordPress's salts included."""
    if "define" not in line.text:
        return ()
    spans = []
    for m in _DEFINE_RE.finditer(line.text):
        if m["key"] in _WP_SALTS:
            hit = keyword_hit(("secret",), m["val"])
        else:
            hit = assignment_hit(m["key"], m["val"], embedded=False, entropy=False)
        if hit is not None:
            spans.append((m.start("val"), m.end("val"), hit))
    return spans


# `Environment="DB_PASSWORD=x"`, supervisor's `environment=API_KEY="x",…`: a value that is
# itself an assignment is judged as that assignment
_NESTED_ASSIGN_RE = LazyPattern(r"^[\"']?(?P<name>[A-Za-z_][\w.\-]*)=")
_ENV_KEYS = frozenset({"environment", "env", "setenv", "environ"})
_JAAS_USER_RE = LazyPattern(r"^user_\w+$")


def line_assignments(line: Line) -> Iterator[Span]:
    """`key = value` pairs: nested assignments, JAAS users, base64 payloads; any value of
    4+ random-looking characters when the line starts with the assignment."""
    for m in assignments(line.text):
        yield from _assignment_spans(line, m)


def _assignment_spans(line: Line, m: re.Match[str]) -> Iterator[Span]:
    key, value = m["key"], m["val"]
    ctx, at_start = line.file, line.at_start
    if ctx.sealed and SEALED_RE.match(value.strip("'\"")):
        return  # a SealedSecret's ciphertext
    nested = _NESTED_ASSIGN_RE.match(value)
    if nested is not None and (
        key.lower() in _ENV_KEYS or re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", nested["name"])
    ):
        # `Environment="DB_PASSWORD=…"`: judge the inner assignment
        base = m.start("val") + (1 if value[:1] in "'\"" else 0)
        for n in assignments(line.text[base:]):
            inner = assignment_hit(n["key"], n["val"], embedded=False, entropy=at_start)
            if inner is not None:
                yield base + n.start("val"), base + n.end("val"), inner
        return
    if ctx.jaas and _JAAS_USER_RE.match(key):
        hit = keyword_hit(("password",), value)
    else:
        hit = assignment_hit(key, value, embedded=False, entropy=at_start)
    if hit is None or hit.rule == "entropy":
        hit = ctx.engine.judge_base64(key, value.strip("'\""), hit)
    if hit is not None:
        yield m.start("val"), m.end("val"), hit


# `requirepass s3cret`, `bindpw s3cret`, `SetEnv DB_PASSWORD s3cret`,
# `proxy_set_header X-Api-Key s3cret;`, `user admin insecure-password s3cret`: a directive
# line ending in `<secret name> <value>` (at most two words before the name)
_SPACED_RE = LazyPattern(
    r"^[ \t]*(?:[A-Za-z_][\w.\-]*[ \t]+){0,2}(?P<key>[A-Za-z_][\w.\-]*)[ \t]+"
    r"(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s;'\"]+)[ \t]*;?[ \t]*$"
)


def spaced_directive(line: Line) -> Iterable[Span]:
    """A directive line ending in `<secret name> <value>`, with no `=` or `:`."""
    spaced = _SPACED_RE.match(line.text)
    if spaced is None:
        return ()
    strength, words = key_info(spaced["key"])
    value = spaced["val"]
    hit = None
    if strength is STRONG:
        if password_shaped(value):
            hit = keyword_hit(words, value)
    elif strength is WEAK:
        hit = weak_hit(words, value.strip("'\""))
    return () if hit is None else ((spaced.start("val"), spaced.end("val"), hit),)


def flags(line: Line) -> Iterable[Span]:
    """`--session-secret value` on a command line."""
    return flag_hits(line.text) if "--" in line.text else ()


def xml_elements(line: Line) -> Iterable[Span]:
    """`<password>…</password>`, `<add key="ApiKey" value="…"/>`."""
    spans = []
    for m in XML_ASSIGN_RE.finditer(line.text):
        key, value = (m["key"], m["val"]) if m["key"] else (m["key2"], m["val2"])
        hit = assignment_hit(key, value, embedded=False, entropy=False)
        if hit is not None:
            spans.append((m.start(), m.end(), hit))
    return spans


# .netrc: `machine host login me password s3cret`, on one line or several
_NETRC_RE = LazyPattern(r"^\s*(?:(?:machine|default)\b.*\s)?password\s+(?P<val>\S+)\s*$")


def netrc(line: Line) -> Iterable[Span]:
    """.netrc's `password <value>`."""
    found = _NETRC_RE.search(line.text)
    if found is None:
        return ()
    hit = keyword_hit(("password",), found["val"])
    return () if hit is None else ((found.start("val"), found.end("val"), hit),)


def authorization_header(line: Line) -> Iterable[Span]:
    """`Authorization: Bearer <token>` and the like."""
    header = header_hit(line.text) if " " in line.text else None
    if header is None:
        return ()
    at = line.text.find(header.token)
    return ((at, at + len(header.token), header),)


LineRule = Callable[[Line], Iterable[Span]]

# on every line, in order
LINE_RULES: tuple[LineRule, ...] = (command_line, pgpass, php_define)
# then, in order, on a line that starts like an assignment or names a secret (SECRET_HINT_RE)
NAMED_LINE_RULES: tuple[LineRule, ...] = (
    line_assignments,
    spaced_directive,
    flags,
    xml_elements,
    netrc,
    authorization_header,
)

_LINE_START_RE = LazyPattern(
    # a commented-out line (`# DB_PASSWORD=…`, `#db.password=…`) is committed all the same
    r"^[ \t]*(?:(?:\#+|//|;)[ \t]*)?(?:export[ \t]+|set[ \t]+|-[ \t]+)?[\"']?[A-Za-z_][\w.\-]*[\"']?"
    r"[ \t]*[:=]"
)


# --- text rules: (text, TextContext) -> spans --------------------------------------------------


def provider_formats(text: str, ctx: TextContext) -> Iterable[Span]:
    """Provider token formats (`tokens.py`), public ones included: their spans are held."""
    return format_hits(text)


def urls(text: str, ctx: TextContext) -> Iterator[Span]:
    """Credentials in any URL of the text, which may span what a line rule sees."""
    if "://" in text:
        for m in URL_RE.finditer(text):
            hit = url_hit(m.group(1), m.group(2))
            if hit is not None:
                yield m.start(), m.end(), hit


def lines(text: str, ctx: TextContext) -> Iterator[Span]:
    """Each line through LINE_RULES, and through NAMED_LINE_RULES when it starts like an
    assignment or names a secret (SECRET_HINT_RE)."""
    offset = 0
    for row in text.split("\n"):
        line = Line(row, _LINE_START_RE.match(row) is not None, ctx)
        for rule in LINE_RULES:
            for start, end, hit in rule(line):
                yield offset + start, offset + end, hit
        if line.at_start or SECRET_HINT_RE.search(row):
            for rule in NAMED_LINE_RULES:
                for start, end, hit in rule(line):
                    yield offset + start, offset + end, hit
        offset += len(row) + 1


# a Kubernetes env entry, an ECS / Helm `{name: X, value: y}`: the name is on a line of its
# own (`- name: DB_PASSWORD`), the value on one of the next two (`  value: s3cret`)
_NAME_LINE_RE = LazyPattern(
    r"^[ \t]*(?:-[ \t]+)?[\"']?(?:name|Name|key|Key)[\"']?[ \t]*[:=][ \t]*[\"']?"
    r"(?P<name>[A-Za-z_][\w.\-]*)[\"']?[ \t]*,?[ \t]*$"
)
_VALUE_LINE_RE = LazyPattern(
    r"^[ \t]*(?:-[ \t]+)?[\"']?(?:value|Value)[\"']?[ \t]*[:=][ \t]*"
    r"(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s,}#][^,}\n]*?)[ \t]*[,}]?[ \t]*$"
)
# both on one line: `{"name": "DB_PASSWORD", "value": "s3cret"}`, `{name: X, value: y}`
_INLINE_PAIR_RE = LazyPattern(
    r"[\"']?(?:name|Name|key|Key)[\"']?[ \t]*[:=][ \t]*[\"']?(?P<name>[A-Za-z_][\w.\-]*)[\"']?"
    r"[ \t]*,[ \t]*[\"']?(?:value|Value)[\"']?[ \t]*[:=][ \t]*"
    r"(?P<val>\"[^\"\n]*\"|'[^'\n]*'|[^\s,}\]]+)"
)


def name_value_pairs(text: str, ctx: TextContext) -> Iterator[Span]:
    """The values of `name`/`value` pairs, on one line or on a line after the name, judged
    under the name."""
    if "value" not in text and "Value" not in text:
        return
    judge = ctx.engine.judge
    offset = 0
    named: tuple[int, str] | None = None  # the row and name of the last `name: X` line
    for number, row in enumerate(text.split("\n")):
        pair = _INLINE_PAIR_RE.search(row)
        if pair is not None:
            hit = _named_value_hit(judge, pair["name"], pair["val"])
            if hit is not None:
                yield offset + pair.start("val"), offset + pair.end("val"), hit
        elif (name_line := _NAME_LINE_RE.match(row)) is not None:
            named = (number, name_line["name"])
        elif named is not None and number - named[0] <= 2:
            value_line = _VALUE_LINE_RE.match(row)
            if value_line is not None:
                hit = _named_value_hit(judge, named[1], value_line["val"])
                if hit is not None:
                    yield offset + value_line.start("val"), offset + value_line.end("val"), hit
                named = None
        offset += len(row) + 1


def _named_value_hit(
    judge: Callable[[str | None, str], Hit | None], name: str, value: str
) -> Hit | None:
    value = value.strip().strip("'\"")
    return judge(name, value) if value else None


# In order: an earlier rule's span wins over a later, overlapping one.
TEXT_RULES: tuple[Callable[[str, TextContext], Iterable[Span]], ...] = (
    provider_formats,  # first: a format's span, public ones included, wins over broader rules
    urls,
    lines,
    name_value_pairs,
)
