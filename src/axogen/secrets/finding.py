"""A secret found in a file: the record the detector gives and the render cache stores.

Its own module, importing nothing, so that a file the render cache vouches for can carry its
findings without importing the detector (whose rules compile at import, ~30 ms).
"""

from __future__ import annotations

from typing import NamedTuple

KeyPath = tuple[str | int, ...]


class Finding(NamedTuple):
    """A secret found at `key_path`; `preview` is masked and never holds the value."""

    key_path: KeyPath
    kind: str
    rule: str
    preview: str
