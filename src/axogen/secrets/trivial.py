"""Trivial defaults: a password that repeats a service, user or database name of the same
file (`POSTGRES_PASSWORD: nextcloud` beside `POSTGRES_USER: nextcloud`) is not a secret."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from axogen.secrets.base import LazyPattern
from axogen.secrets.finding import Finding
from axogen.secrets.keynames import key_info
from axogen.secrets.named import DEFAULT_RE
from axogen.secrets.shapes import assignments
from axogen.secrets.tokens import Hit
from axogen.secrets.words import names_the_slot

# rules whose finding is a chosen password, which a local default may merely repeat
TRIVIAL_RULES = frozenset(
    {"keyword", "connection-string", "url-credentials", "cli-password", "pgpass", "credentials"}
)
# the last word of a key whose value names a service, user or database
_NAME_WORDS = frozenset(
    """user username usr login db database dbname name schema service host hostname server
    owner role container app application project bucket realm tenant org organization
    cluster namespace account instance site domain vhost queue topic index""".split()
)
_IMAGE_NAME_RE = LazyPattern(r"^(?:[\w.\-]+(?::\d+)?/)*(?P<name>[\w.\-]+?)(?:[:@][\w.\-]+)?$")


def is_trivial_hit(hit: Hit, names: Set[str]) -> bool:
    return is_trivial(Finding((), hit.kind, hit.rule, ""), hit.token, names)


def is_trivial(finding: Finding, token: str, names: Set[str]) -> bool:
    """A password repeating a name of the file, or naming its slot with one (`awxpass`)."""
    if finding.rule not in TRIVIAL_RULES:
        return False
    value = token.strip("'\"").lower()
    return value in names or names_the_slot(value, tuple(n for n in names if n.isalnum()))


_NAME_SUFFIXES = tuple(_NAME_WORDS)
# the user and the database of a URL: `jdbc:mysql://localhost/petclinic`, `postgres://app@db/app`
_URL_NAMES_RE = LazyPattern(
    r"://(?:(?P<user>[\w.\-]+)(?::[^@/\s]*)?@)?[\w.\-]+(?::\d+)?/(?P<db>[\w\-]+)"
)


def _add_name(names: set[str], key: str, value: str) -> None:
    words = key_info(key)[1]
    if not words or len(value) > 64:
        if "://" in value:
            _add_url_names(names, value)
        return
    value = value.strip("'\"")
    default = DEFAULT_RE.match(value) if value.startswith("${") else None
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


_BARE_KEY_RE = LazyPattern(r"^[ \t]+(?:- )?[\"']?(?P<key>[A-Za-z_][\w.\-]*)[\"']?[ \t]*:[ \t]*$")


def names_in_text(text: str) -> frozenset[str]:
    """The same names in rendered text: `KEY=value` lines, YAML mapping keys (services)."""
    names: set[str] = set()
    for line in text.split("\n"):
        bare = _BARE_KEY_RE.match(line)
        if bare is not None:
            names.add(bare["key"].lower())
            continue
        if "=" in line or ":" in line:
            for m in assignments(line):
                _add_name(names, m["key"], m["val"])
    return frozenset(names)
