"""The data walker: every string leaf and dict key of plain data, judged under its name."""

from __future__ import annotations

from collections.abc import Mapping, Set
from functools import lru_cache
from typing import Any

from axogen.secrets.engine import judge, text_hits
from axogen.secrets.finding import Finding, KeyPath
from axogen.secrets.keynames import PASSWORD_WORDS, STRONG, cannot_be_secret, key_info
from axogen.secrets.mask import mask
from axogen.secrets.rules_text import SEALED_RE
from axogen.secrets.tokens import Hit
from axogen.secrets.trivial import TRIVIAL_RULES, is_trivial, names_in_data
from axogen.secrets.words import is_placeholder


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
            return [f for f, token in scan.found if not is_trivial(f, token, names)]
    return [f for f, _ in scan.found]


class _Scan:
    """One walk's settings and findings (with each finding's token, for the trivial check)."""

    __slots__ = ("allowed", "declared", "exact", "found", "trivial", "values")

    def __init__(self, declared: Set[KeyPath], allowed: Set[KeyPath], values: Set[str]) -> None:
        self.declared = declared
        self.allowed = allowed
        self.exact = values
        self.values = _embeddable(values) if values else ()
        self.found: list[tuple[Finding, str]] = []
        self.trivial = False  # a finding a trivial default could explain

    def add(self, shown: KeyPath, hit: Hit) -> None:
        self.found.append((Finding(shown, hit.kind, hit.rule, mask(hit.token)), hit.token))
        self.trivial = self.trivial or hit.rule in TRIVIAL_RULES

    def judge(self, shown: KeyPath, key: str | None, value: str) -> None:
        if self.exact and (value in self.exact or holds_declared(value, self.values)):
            self.found.append((Finding(shown, *DECLARED_INSIDE, mask(value)), value))
            return
        if "\n" in value:
            if "\n" in value.strip():
                for _, line_hit in text_hits(value):
                    self.add(shown, line_hit)
                return
        elif cannot_be_secret(key, value):
            # the engine's own first gate, asked here: most values of a config (`8080`,
            # `db.internal`) end at it, and skipping the engine's calls around it saves a
            # tenth of the walk
            return
        hit = judge(key, value)
        if hit is not None:
            self.add(shown, hit)


DECLARED_INSIDE = ("declared secret", "declared")


def embeddable(declared: Set[str]) -> tuple[str, ...]:
    """The declared values to look for inside other strings, longest first.

    Values under 4 characters, and stock placeholders (`changeme`, `postgres`), count only
    where they stand alone: inside other text they match image names, hosts and words.
    """
    return tuple(
        sorted((d for d in declared if len(d) >= 4 and not is_placeholder(d)), key=len)[::-1]
    )


@lru_cache(maxsize=8)
def _embeddable_set(declared: frozenset[str]) -> tuple[str, ...]:
    return embeddable(declared)


def _embeddable(declared: Set[str]) -> tuple[str, ...]:
    # every target of a run is scanned with the same declared values: sorted once per run,
    # not once per target (100 targets with an env model: 26 ms)
    return _embeddable_set(declared) if isinstance(declared, frozenset) else embeddable(declared)


def holds_declared(value: str, declared: tuple[str, ...]) -> bool:
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


@lru_cache(maxsize=4096)
def _password_name(name: str) -> bool:
    # asked for every int of the data (`port: 8080`), under a handful of distinct names
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
            if item_cls is list:  # what `_walk` does with it, without a call per item
                for i, element in enumerate(item):
                    if type(element) is str:
                        scan.judge((*shown, k, i), name, element)
                    elif type(element) not in _NOT_TEXT:
                        _walk(element, name, (*path, k, i), (*shown, k, i), in_declared, scan)
                continue
        child_shown = masked or (*shown, k)
        _walk(item, name, (*path, k), child_shown, in_declared, scan)


def _without_sealed(node: Mapping[Any, Any]) -> dict[Any, Any]:
    return {k: v for k, v in node.items() if not (isinstance(v, str) and SEALED_RE.match(v))}


def _secret_key(name: str, shown: KeyPath, scan: _Scan) -> KeyPath | None:
    """A dict key that is itself a secret: report it, and mask it in every path below."""
    if scan.exact and (name in scan.exact or holds_declared(name, scan.values)):
        masked = (*shown, mask(name))
        kind = f"{DECLARED_INSIDE[0]} used as a key"
        scan.found.append((Finding(masked, kind, DECLARED_INSIDE[1], mask(name)), name))
        return masked
    if cannot_be_secret(None, name):  # the detector's first gate, before its rules
        return None
    hit = judge(None, name)
    if hit is None:
        return None
    masked = (*shown, mask(name))
    finding = Finding(masked, f"{hit.kind} used as a key", hit.rule, mask(hit.token))
    scan.found.append((finding, hit.token))
    return masked


_NOT_TEXT = frozenset({int, float, bool, type(None)})
