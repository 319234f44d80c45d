"""Helpers the format round-trip tests share: type-exact equality, key sorting, the nested
data strategy, and the text a format writes for a single value."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import strategies as st

# every whole-minute UTC offset a datetime may carry
offsets = st.builds(
    dt.timezone,
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
        lambda m: dt.timedelta(minutes=m)
    ),
)


def nested(
    scalars: st.SearchStrategy[Any],
    *,
    keys: st.SearchStrategy[str] | None = None,
    list_size: int = 4,
    max_leaves: int = 20,
) -> st.SearchStrategy[Any]:
    """`scalars`, and lists and mappings (keys from `keys`, any text by default) of them."""
    key_text = st.text() if keys is None else keys
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=list_size) | st.dictionaries(key_text, inner, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def same(a: Any, b: Any, *, ordered_keys: bool = True) -> bool:
    """Equal, and of the same types all the way down (so 3.0 is not 3, True is not 1); NaN
    equals NaN, -0.0 is not 0.0, and datetimes must agree on their UTC offset too. Mapping
    keys in the same order, unless `ordered_keys` is false."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        keys_match = list(a) == list(b) if ordered_keys else a.keys() == b.keys()
        return keys_match and all(same(a[k], b[k], ordered_keys=ordered_keys) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(
            same(x, y, ordered_keys=ordered_keys) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dt.datetime):
        return bool(a == b and a.utcoffset() == b.utcoffset())
    return bool(a == b)


def sorted_deep(data: Any) -> Any:
    """`data` with every mapping's keys sorted, at any depth."""
    if isinstance(data, dict):
        return {k: sorted_deep(data[k]) for k in sorted(data)}
    if isinstance(data, list):
        return [sorted_deep(v) for v in data]
    return data


def joined(data: Any) -> Any:
    """Adjacent surrogates as the one character JavaScript makes of them (`\\ud83d\\ude00`
    is one emoji), in strings, keys and values at any depth."""
    if isinstance(data, str):
        return data.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if isinstance(data, dict):
        return {joined(k): joined(v) for k, v in data.items()}
    if isinstance(data, list):
        return [joined(v) for v in data]
    return data


def as_text(value: Any) -> str:
    """A single value as the text formats write it: None empty, booleans in lower case,
    floats by repr, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
