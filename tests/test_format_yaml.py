"""The yaml format: output read back by PyYAML's pure-Python safe loader, and exact bytes."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from axogen.formats import yaml as yaml_format
from axogen.values import ValueProblem

offsets = st.builds(
    dt.timezone,
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
        lambda m: dt.timedelta(minutes=m)
    ),
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["yes", "No", "on", "OFF", "null", "~", "1.0", "0x1F", "1e3", "12:30:00"])
    | st.sampled_from(["2024-01-01", "- a", "a: b", "#x", "&a", "*a", "!x", "|", ">", "'", '"'])
    | st.dates()
    | st.datetimes(timezones=st.none() | offsets)
)
plain_data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (so 3.0 is not 3, True is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dt.datetime):
        return bool(a == b and a.utcoffset() == b.utcoffset())
    return bool(a == b)


def sorted_deep(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: sorted_deep(data[k]) for k in sorted(data)}
    if isinstance(data, list):
        return [sorted_deep(v) for v in data]
    return data


@given(
    data=plain_data,
    sort_keys=st.booleans(),
    indent=st.sampled_from([2, 4]),
    header=st.none() | st.text(max_size=20),
    explicit_start=st.booleans(),
)
def test_round_trip_through_safe_load(
    data: Any, sort_keys: bool, indent: int, header: str | None, explicit_start: bool
) -> None:
    text = yaml_format.dump(
        data, sort_keys=sort_keys, indent=indent, header=header, explicit_start=explicit_start
    )
    assert text.endswith("\n")
    loaded = yaml.load(text, Loader=yaml.SafeLoader)  # the pure-Python loader, not the C one
    assert same(loaded, sorted_deep(data) if sort_keys else data), text
    assert same(yaml_format.load(text), loaded)


line_text = (
    st.text(alphabet=st.sampled_from("ab #:-'\"\\\n\t\r\x85\u2028\u2029\ufeff\u00e9")) | st.text()
)


@given(line_text)
def test_multi_line_strings_read_back(value: str) -> None:
    data = {"k": value, "l": [value, f"{value}\n{value}"], value: 1}
    text = yaml_format.dump(data)
    assert same(yaml.load(text, Loader=yaml.SafeLoader), data), text
    # line breaks to YAML 1.1 but text to YAML 1.2: only safe escaped
    assert not any(ch in text for ch in "\x85\u2028\u2029"), text


def test_multi_line_strings_are_literal_blocks() -> None:
    assert yaml_format.dump({"k": "a\nb\n"}) == "k: |\n  a\n  b\n"
    assert yaml_format.dump({"k": "a\nb"}) == "k: |-\n  a\n  b\n"
    # a block keeping its trailing blank lines leaves the document open, so it ends with `...`
    assert yaml_format.dump({"k": "a\nb\n\n"}) == "k: |+\n  a\n  b\n\n...\n"
    # libyaml keeps the document open to its end; PyYAML's Python emitter only to the next key
    end = "...\n" if hasattr(yaml, "CSafeDumper") else ""
    assert yaml_format.dump({"k": "a\nb\n\n", "z": 1}) == "k: |+\n  a\n  b\n\nz: 1\n" + end
    assert yaml_format.dump({"k": "a\n"}) == "k: 'a\n\n  '\n"
    assert yaml_format.dump({"k": "a\u2028b\nc"}) == 'k: "a\\Lb\\nc"\n'


@pytest.mark.parametrize("seconds", [1, 59, 1172, -1172, 3600 * 5 + 30])
def test_datetimes_with_offsets_in_seconds_are_rejected(seconds: int) -> None:
    zone = dt.timezone(dt.timedelta(seconds=seconds))
    with pytest.raises(ValueProblem, match="not whole minutes") as info:
        yaml_format.dump({"a": [1, {"at": dt.datetime(1900, 1, 1, tzinfo=zone)}]})
    assert info.value.key_path == ("a", 1, "at")


@given(st.times(timezones=st.none() | offsets))
def test_times_are_written_as_iso_strings(value: dt.time) -> None:
    assert yaml.safe_load(yaml_format.dump({"t": value})) == {"t": value.isoformat()}


CONFIG = {
    "name": "shop",
    "debug": False,
    "port": 8080,
    "ratio": 0.5,
    "whole": 3.0,
    "huge": 1e16,
    "nothing": None,
    "tags": ["a", "b"],
    "empty_list": [],
    "empty_dict": {},
    "db": {"host": "db.internal", "replicas": [{"host": "r1", "port": 1}, {"host": "r2"}]},
    "looks_like": ["yes", "no", "on", "null", "~", "1.0", "123", "0o17", "2024-01-01", ""],
    "special": ["a: b", "- x", "#c", " lead", "trail ", "it's", 'say "hi"', "\u00e9\u65e5"],
    "script": "set -e\necho hi\n",
    "no_final_newline": "line one\nline two",
    "indented": "  first\nsecond\n",
    "started": dt.datetime(2024, 5, 6, 7, 8, 9),
    "utc": dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC),
    "day": dt.date(2024, 5, 6),
    "at": dt.time(7, 8),
    "floats": [math.inf, -math.inf, math.nan, -0.0],
}

GOLDEN = """\
name: shop
debug: false
port: 8080
ratio: 0.5
whole: 3.0
huge: 1.0e+16
nothing: null
tags:
- a
- b
empty_list: []
empty_dict: {}
db:
  host: db.internal
  replicas:
  - host: r1
    port: 1
  - host: r2
looks_like:
- 'yes'
- 'no'
- 'on'
- 'null'
- '~'
- '1.0'
- '123'
- '0o17'
- '2024-01-01'
- ''
special:
- 'a: b'
- '- x'
- '#c'
- ' lead'
- 'trail '
- it's
- say "hi"
- \u00e9\u65e5
script: |
  set -e
  echo hi
no_final_newline: |-
  line one
  line two
indented: |2
    first
  second
started: 2024-05-06 07:08:09
utc: 2024-05-06 07:08:09+00:00
day: 2024-05-06
at: 07:08:00
floats:
- .inf
- -.inf
- .nan
- -0.0
"""


def test_golden() -> None:
    assert yaml_format.dump(CONFIG) == GOLDEN


def test_golden_with_header_sorted_indent_4() -> None:
    data = {"b": {"y": [1, {"q": 2, "p": 1}], "x": "m\nn"}, "a": 1}
    assert yaml_format.dump(
        data, header="Generated by axogen.\n\nDo not edit.", sort_keys=True, indent=4
    ) == (
        "# Generated by axogen.\n#\n# Do not edit.\n"
        "a: 1\n"
        "b:\n"
        "    x: |-\n"
        "        m\n"
        "        n\n"
        "    y:\n"
        "    - 1\n"
        "    -   p: 1\n"
        "        q: 2\n"
    )


def test_golden_explicit_start_and_scalar_top_level() -> None:
    assert yaml_format.dump({"a": 1}, explicit_start=True) == "---\na: 1\n"
    assert yaml_format.dump([1, "two"]) == "- 1\n- two\n"
    assert yaml_format.dump("a\nb") == "|-\n  a\n  b\n"


def test_golden_reads_back() -> None:
    loaded = yaml.safe_load(GOLDEN)
    expected = dict(CONFIG, at="07:08:00")
    assert same(loaded, expected)


@pytest.mark.parametrize(
    "value",
    ["yes", "no", "null", "Null", "~", "1.0", "1e3", "1.0e3", "0o17", "0x10", "12:30", "-", ".inf"],
)
def test_strings_that_look_like_other_types_are_quoted(value: str) -> None:
    assert yaml_format.dump({"k": value}) == f"k: '{value}'\n"


# YAML 1.2 core schema (what Go, JavaScript and ruamel readers use), written out independently
YAML_12_NOT_STRING = re.compile(
    r"""
    ~ | null | Null | NULL | true | True | TRUE | false | False | FALSE
    | [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
    | [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    | [-+]?\.(inf|Inf|INF) | \.nan | \.NaN | \.NAN
    """,
    re.VERBOSE,
)


@given(
    st.from_regex(YAML_12_NOT_STRING, fullmatch=True)
    | st.text(alphabet="0123456789.eE+-_oxabcdefINFinfNAnatruelsTRUELSFO~:", max_size=8)
)
def test_strings_no_yaml_reader_takes_for_another_type_are_the_only_plain_ones(value: str) -> None:
    text = yaml_format.dump({"k": value})
    written = text.removeprefix("k: ").removesuffix("\n")
    if written == value:  # written plain, so any reader resolves it by its look alone
        assert not YAML_12_NOT_STRING.fullmatch(value), text
    assert yaml.load(text, Loader=yaml.SafeLoader) == {"k": value}


def test_header_control_characters_are_escaped() -> None:
    text = yaml_format.dump({"a": 1}, header="esc\x1b del\x7f nul\x00 tab\t end")
    assert text == "# esc\\x1b del\\x7f nul\\x00 tab\t end\na: 1\n"
    assert yaml.load(text, Loader=yaml.SafeLoader) == {"a": 1}
