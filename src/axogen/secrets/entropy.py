"""Does a string look random: key material rather than a word, an identifier, a hash or an id?

Entropy alone cannot tell `StringWithLengthBetween1And128` (an identifier) from a token, so
the test first asks whether the string reads as words: split at case changes, digits and
punctuation, an identifier gives long pronounceable pieces, random text gives fragments of
one or two characters or runs no one could say. Only then does Shannon entropy decide.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from axogen.lazyre import LazyPattern
from axogen.secrets.tokens import b64decode_text

_TOKENISH_RE = LazyPattern(r"^[A-Za-z0-9+/=_\-.~%]+$")
HEXISH_RE = LazyPattern(r"^(?:0x)?[0-9a-fA-F]+(?:[-:][0-9a-fA-F]+)*$")
_SEGMENT_RE = LazyPattern(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CONSONANTS_RE = LazyPattern(r"[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]{6,}")
_NOT_RANDOM_RE = LazyPattern(
    # versions, dates, digests, `prefix_id` object ids, file magic of base64 images/archives
    r"^(?:v?\d+(?:\.\d+)+|\d{4}-\d\d-\d\d|sha\d+[-:=]|md5[-:=]|[a-z]+_[A-Za-z0-9]{8,28}$"
    r"|[a-z]+[-_][0-9a-f]{16,}$|[a-z]{2,6}_(?:test|live)_[A-Za-z0-9]{14,}$"
    r"|Qm[1-9A-HJ-NP-Za-km-z]{44}$|bafy[a-z2-7]{50,}$"
    r"|iVBORw0KGgo|R0lGOD|/9j/|H4sI|JVBERi0|UEsDB|PD94bWw|PHN2Zy)"
    # host names
    r"|\.(?:[a-z]{2,6}|internal|local|localhost|cluster|svc)$"
)
_VOWELS = frozenset("aeiouyAEIOUY")
# W3C Trace Context `traceparent`: version-trace_id-parent_id-flags, ids not keys
_TRACEPARENT_RE = LazyPattern(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def _entropy(text: str) -> float:
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def _reads_as_words(core: str, *, mixed_case: bool) -> bool:
    """Is `core` an identifier (`StringMaxLen255`, `gke-auth-plugin-x86_64`), not random?

    Split at case changes, digits and punctuation, an identifier gives long pronounceable
    words (3+ characters on average); random text gives fragments of 1-2 characters, or
    runs no one could say (`Mfpzjq`, `WXZKQRB`).
    """
    words = _SEGMENT_RE.findall(core)
    if not words:
        return True
    if sum(map(len, words)) >= (2.8 if mixed_case else 3.0) * len(words):
        if not any(len(w) >= 5 and w.isalpha() and not _speakable(w) for w in words):
            return True
    letters = sum(len(w) for w in words if w.isalpha())
    spoken = sum(len(w) for w in words if len(w) >= 3 and w.isalpha() and _speakable(w))
    return letters > 0 and spoken >= 0.8 * letters


def _speakable(word: str) -> bool:
    return sum(c in _VOWELS for c in word) * 6 >= len(word) and not _CONSONANTS_RE.search(word)


def looks_random(value: str, *, relaxed: bool = False) -> bool:
    """A long unbroken run of mixed characters that reads neither as words nor as an id.

    `relaxed` is for names that ask for a secret (`key`, `salt`): shorter, hex allowed.
    """
    n = len(value)
    if n < (12 if relaxed else 20) or n > 4096 or not _TOKENISH_RE.match(value):
        return False
    core = value.rstrip("=")
    if HEXISH_RE.match(core):
        if _TRACEPARENT_RE.match(core):
            return False
        # short hex is a hash or an id (commit SHAs live under `commit`/`sha` names, which
        # are never judged by entropy); 32+ random hex digits are key material
        if max(map(len, re.split(r"[-:]", core))) >= 32 and not core.startswith("0x"):
            # a run of 32+ hex digits is key material even among dashes (Mailgun keys are
            # `<32 hex>-<8 hex>-<8 hex>`)
            return _entropy(core) >= 3.0
        if "-" in core or ":" in core or core.startswith("0x"):
            return relaxed and len(core) >= 16 and _entropy(core) >= 3.0  # UUIDs, MACs, addresses
        return len(core) >= (16 if relaxed else 32) and _entropy(core) >= 3.0
    if _NOT_RANDOM_RE.search(value):
        return False
    upper = sum(c.isupper() for c in core)
    lower = sum(c.islower() for c in core)
    digit = sum(c.isdigit() for c in core)
    if upper + lower == 0:
        return False
    if not relaxed and (not digit or (not (upper and lower) and n < 32)):
        return False
    if relaxed and core.isalpha() and (core.isupper() or core.islower()) and len(core) >= 16:
        return _entropy(core) >= 3.0  # 16+ letters in one run under `cookie`: an Erlang cookie
    if _reads_as_words(core, mixed_case=bool(upper and lower)):
        return False
    if not relaxed and b64decode_text(core) is not None:
        return False  # base64 of plain text (a config blob), not key material
    threshold = 3.0 if relaxed else min(3.7, math.log2(len(core)) - 0.6)
    return _entropy(core) >= threshold
