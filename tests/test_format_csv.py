"""The csv format: read back by the csv module, every column kept, None as an empty cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axogen.formats import ParseProblem
from axogen.formats import csv as csv_format
from axogen.values import ValueProblem
from roundtrip import as_text

cells = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(alphabet=st.characters(blacklist_categories=["Cs"]))
    | st.sampled_from(
        ["a,b", 'say "hi"', "x\ny", "x\r\ny", "lone\r", " pad ", "", "'q'", "a;b|c\td"]
    )
    | st.dates()
)
KEYS = st.text(max_size=5) | st.sampled_from(["id", "name", "a,b", 'q"'])
rows = st.lists(st.dictionaries(KEYS, cells, max_size=4), max_size=6)


@given(
    data=rows,
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quote_char=st.sampled_from(['"', "'"]),
    line_terminator=st.sampled_from(["\n", "\r\n"]),
)
def test_round_trip_through_the_csv_module(
    data: list[dict[str, Any]], delimiter: str, quote_char: str, line_terminator: str
) -> None:
    text = csv_format.dump(
        data, delimiter=delimiter, quote_char=quote_char, line_terminator=line_terminator
    )
    columns = list(dict.fromkeys(k for row in data for k in row))
    want = [{c: as_text(row.get(c)) for c in columns} for row in data] if columns else []
    reader = csv.DictReader(
        io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote_char
    )
    assert list(reader) == want, text
    if delimiter == "," and quote_char == '"':
        assert csv_format.load(text) == want


@given(data=rows, extra=st.lists(st.text(max_size=3), max_size=3, unique=True))
def test_columns_choose_the_header_and_its_order(
    data: list[dict[str, Any]], extra: list[str]
) -> None:
    columns = list(dict.fromkeys([*extra, *reversed([k for row in data for k in row])]))
    text = csv_format.dump(data, columns=columns)
    reader = csv.reader(io.StringIO(text, newline=""))
    if columns:
        assert next(reader) == columns
    assert [dict(zip(columns, r, strict=True)) for r in reader] == [
        {c: as_text(row.get(c)) for c in columns} for row in data
    ]


def test_golden() -> None:
    data = [
        {"name": "api", "port": 8080, "tls": True},
        {"name": "db, primary", "port": 5432, "note": 'say "hi"'},
        {"name": "cache", "tls": None, "since": dt.date(2024, 5, 6), "ratio": 0.5},
    ]
    assert csv_format.dump(data, header="ignored: CSV has no comments") == (
        "name,port,tls,note,since,ratio\n"
        "api,8080,true,,,\n"
        '"db, primary",5432,,"say ""hi""",,\n'
        "cache,,,,2024-05-06,0.5\n"
    )
    columns = ["port", "name", "tls", "note", "since", "ratio"]
    assert csv_format.dump(data, columns=columns, delimiter=";") == (
        "port;name;tls;note;since;ratio\n"
        "8080;api;true;;;\n"
        '5432;db, primary;;"say ""hi""";;\n'
        ";cache;;;2024-05-06;0.5\n"
    )


def test_a_key_outside_the_columns_is_an_error() -> None:
    with pytest.raises(ValueProblem, match="not among the columns") as info:
        csv_format.dump([{"a": 1}, {"a": 2, "b": 3}], columns=["a"])
    assert info.value.key_path == (1, "b")


@pytest.mark.parametrize(
    ("data", "key_path", "reason"),
    [
        ({"a": 1}, (), "list of rows"),
        ([{"a": 1}, [1, 2]], (1,), "must be a mapping"),
        ([{"a": [1, 2]}], (0, "a"), "only single values"),
        ([{"a": {"b": 1}}], (0, "a"), "only single values"),
    ],
)
def test_what_csv_cannot_hold_is_an_error(
    data: Any, key_path: tuple[Any, ...], reason: str
) -> None:
    with pytest.raises(ValueProblem, match=reason) as info:
        csv_format.dump(data)
    assert info.value.key_path == key_path


def test_load() -> None:
    assert csv_format.load("") == []
    assert csv_format.load("a,b\n1\n\n2,3\n") == [{"a": "1", "b": ""}, {"a": "2", "b": "3"}]
    with pytest.raises(ParseProblem) as info:
        csv_format.load("a,b\n1,2\n1,2,3\n")
    assert info.value.line == 3
