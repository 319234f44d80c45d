"""The json format: output read back by the standard library parser, and exact bytes."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axogen.formats import json as json_format
from axogen.values import ValueProblem
from roundtrip import nested, offsets, same, sorted_deep

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**200), max_value=2**200)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
plain_data = nested(scalars)


@given(
    data=plain_data,
    indent=st.sampled_from([None, 0, 1, 2, 4]),
    sort_keys=st.booleans(),
    ensure_ascii=st.booleans(),
)
def test_round_trip_through_json_loads(
    data: Any, indent: int | None, sort_keys: bool, ensure_ascii: bool
) -> None:
    text = json_format.dump(data, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    assert same(json.loads(text), sorted_deep(data) if sort_keys else data)
    if not indent:
        assert "\n" not in text[:-1]
    if ensure_ascii:
        assert text.isascii()
    assert same(json_format.load(text), json.loads(text))


dated_data = nested(scalars | st.datetimes(timezones=st.none() | offsets) | st.dates() | st.times())


@given(
    data=dated_data,
    indent=st.sampled_from([1, 2, 3, 4, 8]),
    sort_keys=st.booleans(),
    ensure_ascii=st.booleans(),
)
def test_indented_output_is_what_json_dumps_writes(
    data: Any, indent: int, sort_keys: bool, ensure_ascii: bool
) -> None:
    # axogen writes indented JSON itself: byte for byte what the standard library writes
    expected = json.dumps(
        data,
        indent=indent,
        sort_keys=sort_keys,
        ensure_ascii=ensure_ascii,
        allow_nan=False,
        default=lambda v: v.isoformat(),
    )
    assert json_format.dump(
        data, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii
    ) == (expected + "\n")


def test_values_of_other_types_are_written_as_json_dumps_writes_them() -> None:
    class Text(str):
        pass

    data = {"a": [Text("x"), 1.5, True], "b": {"c": (1, 2)}}
    assert json_format.dump(data) == json.dumps(data, indent=2) + "\n"


@given(plain_data)
def test_output_is_deterministic(data: Any) -> None:
    assert json_format.dump(data) == json_format.dump(json.loads(json_format.dump(data)))


CONFIG = {
    "name": "shop",
    "debug": False,
    "port": 8080,
    "ratio": 0.5,
    "whole": 3.0,
    "big": 2**70,
    "nothing": None,
    "tags": ["a", "b"],
    "empty_list": [],
    "empty_dict": {},
    "db": {"host": "db.internal", "replicas": [{"host": "r1"}, {"host": "r2"}]},
    "greeting": 'h\u00e9llo \u65e5\u672c "quoted" \\ \n\t',
    "started": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC),
    "day": dt.date(2024, 5, 6),
    "at": dt.time(7, 8),
}

GOLDEN_INDENT_2 = """\
{
  "name": "shop",
  "debug": false,
  "port": 8080,
  "ratio": 0.5,
  "whole": 3.0,
  "big": 1180591620717411303424,
  "nothing": null,
  "tags": [
    "a",
    "b"
  ],
  "empty_list": [],
  "empty_dict": {},
  "db": {
    "host": "db.internal",
    "replicas": [
      {
        "host": "r1"
      },
      {
        "host": "r2"
      }
    ]
  },
  "greeting": "h\u00e9llo \u65e5\u672c \\"quoted\\" \\\\ \\n\\t",
  "started": "2024-05-06T07:08:09+00:00",
  "day": "2024-05-06",
  "at": "07:08:00"
}
"""

GOLDEN_COMPACT = (
    '{"name":"shop","debug":false,"port":8080,"ratio":0.5,"whole":3.0,'
    '"big":1180591620717411303424,"nothing":null,"tags":["a","b"],"empty_list":[],'
    '"empty_dict":{},"db":{"host":"db.internal","replicas":[{"host":"r1"},{"host":"r2"}]},'
    '"greeting":"h\u00e9llo \u65e5\u672c \\"quoted\\" \\\\ \\n\\t",'
    '"started":"2024-05-06T07:08:09+00:00","day":"2024-05-06","at":"07:08:00"}\n'
)


def test_golden_default_indent() -> None:
    assert json_format.dump(CONFIG) == GOLDEN_INDENT_2


def test_golden_header_is_not_written() -> None:
    assert json_format.dump(CONFIG, header="Generated. Do not edit.") == GOLDEN_INDENT_2


@pytest.mark.parametrize("indent", [0, None])
def test_golden_compact(indent: int | None) -> None:
    assert json_format.dump(CONFIG, indent=indent) == GOLDEN_COMPACT


def test_golden_indent_4_sorted_ascii() -> None:
    data = {"b": [1, {"d": 1, "c": "\u00e9"}], "a": {}}
    assert json_format.dump(data, indent=4, sort_keys=True, ensure_ascii=True) == (
        '{\n    "a": {},\n    "b": [\n        1,\n        {\n            "c": "\\u00e9",\n'
        '            "d": 1\n        }\n    ]\n}\n'
    )


@pytest.mark.parametrize(
    ("data", "key_path"),
    [
        (math.nan, ()),
        ({"a": math.inf}, ("a",)),
        ({"a": {"b": [1.0, 2.0, -math.inf]}}, ("a", "b", 2)),
        ([{"x": [math.nan]}], (0, "x", 0)),
    ],
)
def test_nan_and_infinity_are_rejected_with_their_key_path(
    data: Any, key_path: tuple[Any, ...]
) -> None:
    with pytest.raises(ValueProblem, match="JSON cannot represent") as info:
        json_format.dump(data)
    assert info.value.key_path == key_path


def test_unsupported_values_are_not_written_silently() -> None:
    with pytest.raises(TypeError):
        json_format.dump({"a": object()})
