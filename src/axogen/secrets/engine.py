"""The detector's engine: asks the registered rules in order and keeps what they find.

`judge` runs the value rules (`rules_value.VALUE_RULES`) over one value; `text_hits` runs
the text rules (`rules_text.TEXT_RULES`) over a rendered text and keeps one hit per span.
The rules hold the policy; nothing here knows what a secret looks like.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from axogen.secrets.base import Engine, LazyPattern, Span, Value
from axogen.secrets.keynames import NEUTRAL, KeyInfo, cannot_be_secret, key_info
from axogen.secrets.rules_text import TEXT_RULES, text_context
from axogen.secrets.rules_value import VALUE_RULES
from axogen.secrets.tokens import Hit, b64decode_text

_NO_KEY: KeyInfo = (NEUTRAL, ())
_B64_BLOB_RE = LazyPattern(r"^(?:[A-Za-z0-9+/]{24,}|[A-Za-z0-9_\-]{24,})={0,2}$")


def judge(key: str | None, value: str) -> Hit | None:
    """The hit when `value`, stored under the key name `key`, is a secret; else None."""
    hit = judge_value(key, value)
    if hit is None or hit.rule == "entropy":
        return judge_base64(key, value.strip(), hit)
    return hit


def judge_base64(key: str | None, blob: str, hit: Hit | None) -> Hit | None:
    """A Kubernetes Secret's data, a .dockerconfigjson: base64 of text is judged as the text.

    Base64 of readable text (`system:bootstrappers:…`) is not random, whatever its entropy
    says; random bytes almost never decode to UTF-8 text, so `hit` stands for those.
    """
    if len(blob) < 24 or not _B64_BLOB_RE.match(blob):
        return hit
    decoded = b64decode_text(blob)
    if decoded is None or not decoded.strip():
        return hit
    inner = judge(key, decoded)
    return None if inner is None else Hit(f"{inner.kind} (base64)", inner.rule, blob)


def judge_value(key: str | None, value: str) -> Hit | None:
    """The first decision of VALUE_RULES on `value` (stripped) under `key`."""
    value = value.strip()
    if cannot_be_secret(key, value):  # too short for any token, and no secret name or URL
        return None
    strength, words = _NO_KEY if key is None else key_info(key)
    candidate = Value(key, value, strength, words, ENGINE)
    for rule in VALUE_RULES:
        verdict = rule(candidate)
        if verdict is not None:
            return verdict if verdict.kind else None  # no kind: NOT_SECRET
    return None


def text_hits(text: str) -> Iterator[tuple[int, Hit]]:
    """(line number, hit) of every secret in `text`, in order; overlapping spans count once."""
    ctx = text_context(text, ENGINE)
    spans: list[Span] = []
    for rule in TEXT_RULES:
        spans.extend(rule(text, ctx))
    starts: list[int] = []
    kept: list[Span] = []
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


ENGINE = Engine(judge, judge_base64, text_hits)
