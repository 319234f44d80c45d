"""What the detector's engine and its rules share: verdicts, and what a rule sees.

A value rule gets a `Value` and returns a `Verdict`; a composite rule gets a string and
returns a `Hit` or None; a text or line rule gets the text (or a `Line`) and gives spans
`(start, end, Hit)`. A rule that must judge a part of its input as a value of its own (a
default inside `${VAR:default}`, the value of a `name`/`value` pair) calls back through the
`Engine` it is handed, so that rules never import the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Final, TypeAlias

from axogen.lazyre import LazyPattern as LazyPattern  # the rules' patterns
from axogen.secrets.tokens import Hit

Span: TypeAlias = tuple[int, int, Hit]  # a secret's place in a text: start, end, what it is


# A value rule's answer: a Hit (a secret: stop), NOT_SECRET (settled, not one: stop), or
# None (no opinion: the next rule decides). As with `tokens.PUBLIC`, a Hit with no kind
# decides "not a secret".
NOT_SECRET: Final = Hit("", "not-secret", "")
Verdict: TypeAlias = Hit | None


def settled(hit: Hit | None) -> Hit:
    """A rule that decides either way: its hit, or NOT_SECRET."""
    return NOT_SECRET if hit is None else hit


class Engine:
    """The engine's entry points a rule may call back."""

    __slots__ = ("judge", "judge_base64", "text_hits")

    def __init__(
        self,
        judge: Callable[[str | None, str], Hit | None],
        judge_base64: Callable[[str | None, str, Hit | None], Hit | None],
        text_hits: Callable[[str], Iterator[tuple[int, Hit]]],
    ) -> None:
        self.judge = judge  # one value under a key name
        self.judge_base64 = judge_base64  # base64 of text, judged as the text
        self.text_hits = text_hits  # (line number, hit) of every secret in a text


class Value:
    """One value to judge (stripped, 4+ characters) and what its key name says of it."""

    __slots__ = ("engine", "key", "strength", "text", "words")

    def __init__(
        self, key: str | None, text: str, strength: str, words: tuple[str, ...], engine: Engine
    ) -> None:
        self.key = key
        self.text = text
        self.strength = strength  # words.STRONG, WEAK, NEUTRAL or QUIET
        self.words = words
        self.engine = engine


class TextContext:
    """What a whole rendered text shows that a single line cannot."""

    __slots__ = ("engine", "jaas", "sealed")

    def __init__(self, engine: Engine, *, sealed: bool = False, jaas: bool = False) -> None:
        self.engine = engine
        self.sealed = sealed  # a SealedSecret manifest: its `Ag…` ciphertexts may be committed
        self.jaas = jaas  # a JAAS config: PlainLoginModule's `user_<name>="<password>"`


class Line:
    """One line of a rendered text."""

    __slots__ = ("at_start", "file", "text")

    def __init__(self, text: str, at_start: bool, file: TextContext) -> None:
        self.text = text
        self.at_start = at_start  # begins like an assignment (`KEY=`, `key:`, `# db.pw=`)
        self.file = file
