"""What the detector's engine and its rules share: findings, verdicts, and what a rule sees.

A value rule gets a `Value` and returns a `Verdict`; a composite rule gets a string and
returns a `Hit` or None; a text or line rule gets the text (or a `Line`) and yields spans
`(start, end, Hit)`. A rule that must judge a part of its input as a value of its own (a
default inside `${VAR:default}`, the value of a `name`/`value` pair) calls back through the
`Engine` it is handed, so that rules never import the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Final, TypeAlias

from axogen.secrets.tokens import Hit

KeyPath = tuple[str | int, ...]
Span: TypeAlias = tuple[int, int, Hit]  # a secret's place in a text: start, end, what it is


@dataclass(frozen=True, slots=True)
class Finding:
    """A secret found at `key_path`; `preview` is masked and never holds the value."""

    key_path: KeyPath
    kind: str
    rule: str
    preview: str


class Settled(Enum):
    NOT_SECRET = "not a secret"


# a value rule's answer: a Hit (a secret: stop), NOT_SECRET (not one: stop), or None (no
# opinion: ask the next rule)
NOT_SECRET: Final = Settled.NOT_SECRET
Verdict: TypeAlias = Hit | Settled | None


def settled(hit: Hit | None) -> Verdict:
    """A rule that decides either way: its hit, or NOT_SECRET."""
    return NOT_SECRET if hit is None else hit


@dataclass(frozen=True, slots=True)
class Engine:
    """The engine's entry points a rule may call back."""

    judge: Callable[[str | None, str], Hit | None]  # one value under a key name
    judge_base64: Callable[[str | None, str, Hit | None], Hit | None]  # base64 of text
    text_hits: Callable[[str], Iterator[tuple[int, Hit]]]  # (line number, hit) in a text


@dataclass(slots=True)
class Value:
    """One value to judge (stripped, 4+ characters) and what its key name says of it."""

    key: str | None
    text: str
    strength: str  # words.STRONG, WEAK, NEUTRAL or QUIET
    words: tuple[str, ...]
    engine: Engine


@dataclass(frozen=True, slots=True)
class TextContext:
    """What a whole rendered text shows that a single line cannot."""

    engine: Engine
    sealed: bool = False  # a SealedSecret manifest: its `Ag…` ciphertexts may be committed
    jaas: bool = False  # a JAAS config: PlainLoginModule's `user_<name>="<password>"`


@dataclass(slots=True)
class Line:
    """One line of a rendered text."""

    text: str
    at_start: bool  # begins like an assignment (`KEY=`, `key:`, `# db.password=`)
    file: TextContext
