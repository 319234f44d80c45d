"""The yaml format: exact bytes, and output YAML 1.1 and 1.2 readers all read back alike."""

from __future__ import annotations

import datetime as dt
import math
import re
import subprocess
import sys
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from axogen.formats import yaml as yaml_format
from axogen.values import ValueProblem
from roundtrip import nested, offsets, same, sorted_deep

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
plain_data = nested(scalars)


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


@given(
    documents=st.lists(plain_data, max_size=4),
    sort_keys=st.booleans(),
    header=st.none() | st.text(max_size=20),
)
def test_documents_round_trip_through_safe_load_all(
    documents: list[Any], sort_keys: bool, header: str | None
) -> None:
    text = yaml_format.dump(documents, sort_keys=sort_keys, header=header, documents=True)
    expected = [sorted_deep(d) for d in documents] if sort_keys else documents
    assert same(list(yaml.load_all(text, Loader=yaml.SafeLoader)), expected), text
    assert same(list(yaml.load_all(text, Loader=yaml.CSafeLoader)), expected), text
    assert same(yaml_format.load_documents(text), expected)
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert sum(line == "---" for line in body) == len(documents)


def test_documents_golden_and_errors() -> None:
    manifests = [
        {"kind": "Deployment", "metadata": {"name": "web"}},
        {"kind": "Service", "spec": {"ports": [{"port": 80}]}},
    ]
    assert yaml_format.dump(manifests, documents=True) == (
        "---\nkind: Deployment\nmetadata:\n  name: web\n"
        "---\nkind: Service\nspec:\n  ports:\n  - port: 80\n"
    )
    assert yaml_format.dump([], documents=True, header="h") == "# h\n"
    # a block whose trailing blank lines are its value ends its document explicitly
    kept = yaml_format.dump([{"a": "one\ntwo\n\n"}, {"b": 1}], documents=True)
    assert kept == "---\na: |+\n  one\n  two\n\n...\n---\nb: 1\n"
    assert list(yaml.safe_load_all(kept)) == [{"a": "one\ntwo\n\n"}, {"b": 1}]
    with pytest.raises(ValueProblem, match="needs a list of documents, got dict") as e:
        yaml_format.dump({"a": 1}, documents=True)
    assert e.value.key_path == ()
    with pytest.raises(ValueProblem) as e:
        yaml_format.dump(
            [
                {"a": 1},
                {
                    "b": {
                        "when": dt.datetime(2024, 1, 2, tzinfo=dt.timezone(dt.timedelta(seconds=7)))
                    }
                },
            ],
            documents=True,
        )
    assert e.value.key_path == (1, "b", "when")


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
    # a block keeping its trailing blank lines at the very end of the file: `...` marks
    # where they stop, so tools trimming blank lines at the end of a file cannot change it
    assert yaml_format.dump({"k": "a\nb\n\n"}) == "k: |+\n  a\n  b\n\n...\n"
    assert yaml_format.dump({"k": "a\nb\n\n", "z": 1}) == "k: |+\n  a\n  b\n\nz: 1\n"
    # one line and its line break: on one line too
    assert yaml_format.dump({"k": "a\n"}) == 'k: "a\\n"\n'
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
at: '07:08:00'
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
        "    'y':\n"
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


# --- our own emitter: read back alike by every reader -----------------------------------------

KEYWORDS = [
    *("y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "none", "nan", "inf"),
    *(".inf", "-.inf", "+.inf", ".nan", "<<", "=", "---", "...", "- ", "? ", ": "),
]


def any_case(word: str) -> st.SearchStrategy[str]:
    flips = st.lists(st.booleans(), min_size=len(word), max_size=len(word))
    return flips.map(
        lambda up: "".join(c.upper() if u else c.lower() for c, u in zip(word, up, strict=True))
    )


@st.composite
def number_texts(draw: st.DrawFn) -> str:
    """Numbers, dates and times as YAML 1.1 or 1.2 readers might take them, in any base."""
    n = draw(st.integers(min_value=0, max_value=10**12))
    form = draw(
        st.sampled_from(
            [
                *("{:d}", "0{:o}", "0o{:o}", "0O{:o}", "0x{:x}", "0X{:X}", "0b{:b}", "0B{:b}"),
                *("{:d}.", "{:d}.5", ".{:d}", "{:d}e3", "{:d}E+3", "{:d}.0e-3", "1,{:03d}"),
                *("{:d}:30", "{:d}:59:59", "1:{:d}", "{:d}:30.5", "0{:d}:08:00"),
                *("20{:02d}-01-02", "2024-1-{:d}", "2001-12-14t21:59:43.{:d}-05:00"),
                *("2024-01-02 03:04:{:02d}", "2024-01-02T03:04:05.{:d}Z"),
            ]
        )
    )
    text = form.format(n % 100 if "{:02d}" in form else n)
    for _ in range(draw(st.integers(0, 2))):  # digit separators, YAML 1.1 and Go style
        at = draw(st.integers(0, len(text)))
        text = text[:at] + "_" + text[at:]
    return draw(st.sampled_from(["", "+", "-"])) + text


PIECES = [
    *(" ", "  ", ": ", " #", "#", ":", "'", '"', "\\", "\n", "\n\n", "\t", "\r", "\r\n"),
    *("\x00", "\x07", "\x1b", "\x7f", "\x9f", "\x85", "\u2028", "\u2029", "\ufeff", "\xa0"),
    *("\u3000", "\U0001f600", "\U0001f1fa\U0001f1f8", "\u00e9", "\u65e5", "\U0010fffd"),
    *("-", "?", ",", "[", "]", "{", "}", "&a", "*a", "!x", "|", ">", "%", "@", "`", "a"),
]
adversarial = st.one_of(
    st.lists(
        st.sampled_from(KEYWORDS).flatmap(any_case)
        | number_texts()
        | st.sampled_from(PIECES)
        | st.floats().map(repr)
        | st.text(max_size=4),
        max_size=4,
    ).map("".join),
    st.text(),
)
adversarial_leaves = (
    st.none() | st.booleans() | st.integers() | st.floats() | adversarial | adversarial
)
adversarial_data = nested(
    adversarial_leaves | st.dates() | st.datetimes(timezones=st.none() | offsets),
    keys=adversarial,
    max_leaves=25,
)


@given(
    data=adversarial_data,
    indent=st.integers(min_value=2, max_value=9),
    sort_keys=st.booleans(),
    explicit_start=st.booleans(),
    header=st.none() | st.text(max_size=20),
)
def test_adversarial_data_reads_back_with_the_c_and_the_python_loader(
    data: Any, indent: int, sort_keys: bool, explicit_start: bool, header: str | None
) -> None:
    text = yaml_format.dump(
        data, indent=indent, sort_keys=sort_keys, explicit_start=explicit_start, header=header
    )
    expected = sorted_deep(data) if sort_keys else data
    assert same(yaml.load(text, Loader=yaml.CSafeLoader), expected), text
    assert same(yaml.load(text, Loader=yaml.SafeLoader), expected), text
    # the same bytes from any machine: nothing in it depends on PyYAML or libyaml
    assert (
        yaml_format.dump(
            data, indent=indent, sort_keys=sort_keys, explicit_start=explicit_start, header=header
        )
        == text
    )
    body = "".join(line for line in text.splitlines(True) if not line.startswith("#"))
    assert not any(ch in body for ch in "\x85\u2028\u2029\ufeff\t\r"), text


def yaml_12() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True)  # YAML 1.2, as Go and JavaScript readers


@given(
    data=st.recursive(
        adversarial_leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(adversarial, inner, max_size=4),
        max_leaves=25,
    ),
    indent=st.integers(min_value=2, max_value=9),
)
def test_adversarial_data_reads_back_the_same_in_yaml_1_2(data: Any, indent: int) -> None:
    text = yaml_format.dump(data, indent=indent)
    assert same(yaml_12().load(text), data), text


# What readers resolve to something else than a string, written out from their sources,
# independently of the emitter: (first characters that make them look, pattern)
NON_STRINGS = {
    "YAML 1.1 spec and go-yaml v2 (y/n too)": (
        None,
        r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
    ),
    "PyYAML": (
        "-+0123456789.~nN<=",
        r"""[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
        |[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|~|null|Null|NULL|<<|=
        |[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[\ \t]+)[0-9]{1,2}
        :[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[\ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?""",
    ),
    "YAML 1.2 core": (None, YAML_12_NOT_STRING.pattern),
    "ruamel (1.2)": (
        "-+0123456789.",
        r"""[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+
        |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |\.[0-9_]+(?:[eE][-+][0-9]+)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*""",
    ),
    "js-yaml": (
        None,
        r"""[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9][0-9_]*)
        |[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?
        |[0-9]{4}-[0-9]{2}-[0-9]{2}.*""",
    ),
    "Go yaml.v3, once `_` are dropped": (
        "-+0123456789.",
        r"""[-+]?(?:0[bB][01]+|0[oO]?[0-7]+|0[xX][0-9a-fA-F]+|[0-9]+)
        |[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[0-9]{4}-.*""",
    ),
    "Ruby Psych": (
        None,
        r"""(?i:yes|true|on|no|false|off|null|~|\.inf|-\.inf|\.nan)
        |[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}(\.[0-9_]*)?
        |[-+]?([0-9][0-9_,]*)?\.[0-9]+([eE][-+][0-9]+)?|[-+]?[0-9][0-9_,]*\.
        |[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9][0-9_,]*)|[-+]?0x[0-9a-fA-F_,]+
        |-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*""",
    ),
}


def readers_taking_it_for_another_type(value: str) -> list[str]:
    found = []
    for reader, (first, pattern) in NON_STRINGS.items():
        if first is not None and value[:1] not in first:
            continue
        text = value.replace("_", "") if reader.startswith("Go") else value
        if re.fullmatch(pattern, text, re.VERBOSE):
            found.append(reader)
    return found


@given(adversarial | number_texts() | st.sampled_from(KEYWORDS).flatmap(any_case))
def test_no_reader_takes_a_plain_string_for_another_type(value: str) -> None:
    text = yaml_format.dump({"k": value})
    if text == f"k: {value}\n":  # plain
        assert not readers_taking_it_for_another_type(value), text
        assert value == value.strip() and not re.search(r": | #|:$", value), text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("plain", "plain"),
        ("db.internal", "db.internal"),
        ("http://x/#frag", "http://x/#frag"),
        ("a,b[c]{d}", "a,b[c]{d}"),
        ("it's", "it's"),
        ("_1", "_1"),
        ("😀 caf\u00e9", "😀 caf\u00e9"),
        # YAML 1.1 booleans PyYAML alone would leave plain: go-yaml v2 reads y/n as booleans,
        # Ruby reads any case of yes/true/on
        ("y", "'y'"),
        ("N", "'N'"),
        ("yEs", "'yEs'"),
        ("nULL", "'nULL'"),
        # anything starting like a number: Ruby takes 07:08:00 for base 60, Go drops `_`
        ("07:08:00", "'07:08:00'"),
        ("1_000", "'1_000'"),
        ("0B101", "'0B101'"),
        ("1,000", "'1,000'"),
        ("1.2.3", "'1.2.3'"),
        ("._", "'._'"),
        ("+.5", "'+.5'"),
        ("+.INF", "'+.INF'"),
        ("...", "'...'"),
        ("<<", "'<<'"),
        ("=", "'='"),
        ("-x", "'-x'"),
        ("\\x", "'\\x'"),
        ("a:", "'a:'"),
        ("\xa0x", "'\xa0x'"),
        ("'", "''''"),
        ("", "''"),
        ("tab\there", '"tab\\there"'),
        ("a\n", '"a\\n"'),
        ("\n", '"\\n"'),
        ("cr\r\nlf", '"cr\\r\\nlf"'),
        ("nel\x85ls\u2028ps\u2029", '"nel\\Nls\\Lps\\P"'),
        ("bom\ufeff", '"bom\\uFEFF"'),
        ("c0\x00\x07\x08\x0b\x0c\x1b\x01", '"c0\\0\\a\\b\\v\\f\\e\\x01"'),
        ("c1\x7f\x9f", '"c1\\x7F\\x9F"'),
        ("nonchar\ufffe", '"nonchar\\uFFFE"'),
        ('q"\\\x01', '"q\\"\\\\\\x01"'),
        ("emoji 😀\x01", '"emoji 😀\\x01"'),
    ],
)
def test_string_styles(value: str, written: str) -> None:
    assert yaml_format.dump({"k": value}) == f"k: {written}\n"
    assert yaml_format.dump({value: 1}) == f"{written}: 1\n"
    assert same(yaml.load(f"k: {written}\n", Loader=yaml.CSafeLoader), {"k": value})


@pytest.mark.parametrize(
    ("value", "written"),
    [
        # trailing spaces on a line, tabs or a CR would not survive in a block (editors, or
        # libyaml refusing a tab where it looks for the indentation)
        ("a \nb", '"a \\nb"'),
        ("a\n \nb", '"a\\n \\nb"'),
        ("a\nb ", '"a\\nb "'),
        ("\ta\nb", '"\\ta\\nb"'),
        ("a\r\nb", '"a\\r\\nb"'),
        ("\n\n", '"\\n\\n"'),
        # blocks: the indentation indicator when the first line starts with a space or is empty
        ("\na", "|2-\n\n  a"),
        ("  a\nb\n", "|2\n    a\n  b"),
        ("#a\n- b\n...\n", "|\n  #a\n  - b\n  ..."),
        ("a\n\nb\n\n\n", "|+\n  a\n\n  b\n\n"),
    ],
)
def test_block_or_quotes(value: str, written: str) -> None:
    text = yaml_format.dump({"k": value, "z": 1})
    assert text == f"k: {written}\nz: 1\n"
    assert same(yaml.load(text, Loader=yaml.CSafeLoader), {"k": value, "z": 1})


def test_floats_are_floats_to_every_reader() -> None:
    values = [3.0, -0.0, 1e16, -1e16, 1.5e16, 1e-05, 5e-324, 1.7976931348623157e308, 0.1]
    text = yaml_format.dump(values)
    assert text.splitlines() == [
        *("- 3.0", "- -0.0", "- 1.0e+16", "- -1.0e+16", "- 1.5e+16", "- 1.0e-05"),
        *("- 5.0e-324", "- 1.7976931348623157e+308", "- 0.1"),
    ]
    assert same(yaml.load(text, Loader=yaml.SafeLoader), values)
    assert same(yaml_12().load(text), values)


def test_keys() -> None:
    long_key = "k" * 128
    text = yaml_format.dump({"": 1, "a\nb": 2, long_key: 3, long_key + "k": {"x": [1]}})
    assert text == (
        "'': 1\n"
        '"a\\nb": 2\n'
        f"{long_key}: 3\n"
        # readers look for an implicit key's `:` within 1024 characters; past 128, explicit
        f"? {long_key}k\n"
        ": x:\n"
        "  - 1\n"
    )
    data = {"": 1, "a\nb": 2, long_key: 3, long_key + "k": {"x": [1]}}
    assert same(yaml.load(text, Loader=yaml.CSafeLoader), data)
    assert same(yaml_12().load(text), data)


def test_layout_with_indent_3_and_explicit_keys_in_sequences() -> None:
    long_key = "😀" * 129
    data = {
        "a": [[1, [2]], {"b": [3], "c": {}}, [], {long_key: [4, {"d": "e\nf"}]}],
        "g": {"h": {"i": "j\nk\n"}},
    }
    text = yaml_format.dump(data, indent=3)
    assert text == (
        "a:\n"
        "-  - 1\n"
        "   -  - 2\n"
        "-  b:\n"
        "   - 3\n"
        "   c: {}\n"
        "- []\n"
        f"-  ? {long_key}\n"
        "   :  - 4\n"
        "      -  d: |-\n"
        "            e\n"
        "            f\n"
        "g:\n"
        "   h:\n"
        "      i: |\n"
        "         j\n"
        "         k\n"
    )
    assert same(yaml.load(text, Loader=yaml.CSafeLoader), data)
    assert same(yaml.load(text, Loader=yaml.SafeLoader), data)
    assert same(yaml_12().load(text), data)


def test_top_level_scalars_and_empties() -> None:
    assert yaml_format.dump({}) == "{}\n"
    assert yaml_format.dump([]) == "[]\n"
    assert yaml_format.dump(None) == "null\n"
    assert yaml_format.dump("yes") == "'yes'\n"
    assert yaml_format.dump("a\nb\n\n") == "|+\n  a\n  b\n\n...\n"
    # YAML 1.2 counts a top-level indentation indicator from another column than its readers
    assert yaml_format.dump(" a\nb") == '" a\\nb"\n'
    assert yaml_format.dump("a", explicit_start=True, header="h") == "# h\n---\na\n"


def test_deep_nesting_and_long_text() -> None:
    deep: Any = "end"
    for i in range(3000):
        deep = [deep] if i % 2 else {"k": deep}
    text = yaml_format.dump(deep)  # no recursion: any depth the data can have
    lines = text.splitlines()
    assert len(lines) == 1500 and lines[-1] == " " * 2998 + "- k: end"
    shallow: Any = "x\ny"
    for i in range(60):
        shallow = [shallow] if i % 2 else {"k": shallow}
    assert same(yaml.load(yaml_format.dump(shallow), Loader=yaml.SafeLoader), shallow)
    long_text = "word " * 20_000 + "end"
    assert yaml_format.dump({"k": long_text}) == f"k: {long_text}\n"  # never folded


def test_collections_of_other_types_and_subclasses() -> None:
    import collections
    import enum

    class Level(enum.IntEnum):
        HIGH = 3

    data = collections.OrderedDict(a=(1, 2), b=Level.HIGH, c=(), d=collections.OrderedDict())
    assert yaml_format.dump(data) == "a:\n- 1\n- 2\nb: 3\nc: []\nd: {}\n"


@pytest.mark.parametrize(
    ("data", "path", "reason"),
    [
        ({"a": [1, {2: "x"}]}, ("a", 1, "2"), "keys written here must be text, not int"),
        ({"a": {"b": {1, 2}}}, ("a", "b"), "cannot write a value of type set"),
    ],
)
@pytest.mark.parametrize("sort_keys", [False, True])
def test_unwritable_values_name_their_key_path(
    data: Any, path: tuple[Any, ...], reason: str, sort_keys: bool
) -> None:
    with pytest.raises(ValueProblem, match=reason) as info:
        yaml_format.dump(data, sort_keys=sort_keys)
    assert info.value.key_path == path


def test_lone_surrogates_are_left_for_the_writer_to_report() -> None:
    # no reader takes them, even escaped (libyaml refuses `\uD800`); the writer's UTF-8
    # check names them for every format alike
    assert yaml_format.dump({"a": ["x\udcff\x01"]}) == 'a:\n- "x\udcff\\x01"\n'


@pytest.mark.parametrize("indent", [0, 1, 10, 2.0, True])
def test_indent_out_of_range(indent: Any) -> None:
    with pytest.raises(ValueError, match="indent"):
        yaml_format.dump({"a": 1}, indent=indent)


def test_writing_never_imports_pyyaml() -> None:
    code = (
        "import sys\n"
        "from axogen.formats import yaml\n"
        "yaml.dump({'a': ['b', {'c': 1.0}]})\n"
        "print('yaml' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


def test_the_string_patterns_match_exactly_the_characters_yaml_does_not_print() -> None:
    # the patterns list what is not printable (fast to compile); the spec lists what is
    printable = [
        (0x20, 0x7E),
        (0xA0, 0x2027),
        (0x202A, 0xD7FF),
        (0xE000, 0xFEFE),
        (0xFF00, 0xFFFD),
        (0x10000, 0x10FFFF),
    ]
    raw = {c for lo, hi in printable for c in range(lo, hi + 1)}
    surrogates = set(range(0xD800, 0xE000))
    every = "".join(map(chr, range(0x110000)))

    def found(pattern: re.Pattern[str]) -> set[int]:
        return {ord(m.group()) for m in pattern.finditer(every) if m.group()}

    everything = set(range(0x110000))
    assert found(yaml_format._NOT_PRINTABLE) == everything - raw
    assert found(yaml_format._NOT_IN_BLOCK) == everything - raw - {ord("\n")}
    assert found(yaml_format._TO_ESCAPE) == (everything - raw - surrogates) | {ord('"'), 92}
