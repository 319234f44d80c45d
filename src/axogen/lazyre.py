"""Regular expressions compiled when first used, not when their module is imported.

A module on the start-up path (the secret rules, the format writers, the backup names) keeps
its patterns here: a run that never uses them never compiles them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

_END = sys.maxsize  # a pattern's own default end position


class LazyPattern:
    """A regular expression compiled at its first use, so that importing a module compiles
    none. After it, `match`, `search`, `fullmatch`, `finditer`, `sub` and `findall` are the
    compiled pattern's own methods, set on the instance: they cost what those cost."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self.flags)
        self.__dict__.update(
            match=compiled.match,
            search=compiled.search,
            fullmatch=compiled.fullmatch,
            finditer=compiled.finditer,
            sub=compiled.sub,
            findall=compiled.findall,
        )
        return compiled

    def match(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str) -> str:
        return self.compiled().sub(repl, string)

    def findall(self, string: str) -> list[Any]:
        return self.compiled().findall(string)
