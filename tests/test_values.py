"""Turning config values into plain data: conversions, secret marks and errors with key paths."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import uuid
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import MappingProxyType
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, SecretBytes, SecretStr

from axogen.values import (
    MAX_DEPTH,
    Unsafe,
    ValueProblem,
    format_key_path,
    to_plain,
    unsafe,
)


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Mode(enum.StrEnum):
    FAST = "fast"


class Kind(str, enum.Enum):  # noqa: UP042 - str() of a member is "Kind.WEB", not "web"
    WEB = "web"


class Nested(enum.Enum):
    PAIR = (1, Decimal("2"))


class Credentials(BaseModel):
    user: str
    password: SecretStr
    color: Color = Color.BLUE


class Service(BaseModel):
    name: str
    port: int
    credentials: Credentials
    tags: list[str] = []


@dataclasses.dataclass
class Endpoint:
    host: str
    port: int
    token: SecretStr
    path: Path = Path("api/v1")


class Point(NamedTuple):
    x: int
    y: int


plain_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=15,
)


@given(plain_json)
def test_plain_data_is_returned_unchanged(data: Any) -> None:
    converted = to_plain(data)
    assert converted.data == data
    assert converted.data is data  # nothing to convert: not even copied
    assert converted.secret_paths == frozenset()
    assert converted.unsafe_paths == {}
    copied = to_plain(data, copy=True)
    assert copied.data == data
    if isinstance(data, (dict, list)):
        assert copied.data is not data


@pytest.mark.parametrize(
    "value",
    [
        {"a": {"b": (1, 2)}},  # a tuple deep inside
        {"a": [{"b": Color.RED}]},
        {Color.RED: "a key to convert"},
        [[{"k": Path("p")}]],
    ],
)
def test_data_with_anything_to_convert_is_converted_as_a_whole(value: Any) -> None:
    converted = to_plain(value)
    assert converted.data is not value
    assert converted.data == to_plain(value, copy=True).data


def test_plain_data_nested_too_deeply_is_refused_as_before() -> None:
    deep: Any = "leaf"
    for _ in range(MAX_DEPTH + 1):
        deep = {"k": deep}
    with pytest.raises(ValueProblem, match="deeper than"):
        to_plain(deep)
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(ValueProblem, match=r"deeper than|contains itself"):
        to_plain(looped)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Color.RED, "red"),
        (Level.HIGH, 2),
        (Mode.FAST, "fast"),
        (Nested.PAIR, [1, 2]),
        (PurePosixPath("/etc/app.conf"), "/etc/app.conf"),
        (Path("a") / "b.txt", "a/b.txt"),
        (PureWindowsPath("C:\\app\\x.ini"), "C:/app/x.ini"),
        (uuid.UUID("12345678-1234-5678-1234-567812345678"), "12345678-1234-5678-1234-567812345678"),
        ((1, "a", (2,)), [1, "a", [2]]),
        (Point(1, 2), [1, 2]),
        ({3, 1, 2}, [1, 2, 3]),
        (frozenset({"b", "a"}), ["a", "b"]),
        (set(), []),
        (OrderedDict([("b", 1), ("a", 2)]), {"b": 1, "a": 2}),
        (MappingProxyType({"k": Color.BLUE}), {"k": "blue"}),
        ({Color.RED: 1, Mode.FAST: 2, Kind.WEB: Kind.WEB}, {"red": 1, "fast": 2, "web": "web"}),
        (SecretBytes(b"t\xc3\xa9"), "t\u00e9"),
    ],
)
def test_values_are_converted_to_plain_data(value: Any, expected: Any) -> None:
    result = to_plain({"k": [value]}).data["k"][0]
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2024, 1, 2, 3, 4, 5),
        dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        dt.date(2024, 1, 2),
        dt.time(3, 4, 5),
    ],
)
def test_dates_and_times_stay_native_for_the_formats(value: Any) -> None:
    assert to_plain({"k": value}).data["k"] is value


def test_subclasses_of_plain_types_become_the_plain_type() -> None:
    class MyStr(str):
        def __str__(self) -> str:
            return "not the text"

    class MyInt(int):
        pass

    class MyFloat(float):
        pass

    data = to_plain({MyStr("k"): [MyStr("s"), MyInt(3), MyFloat(1.5)]}).data
    assert data == {"k": ["s", 3, 1.5]}
    assert [type(v) for v in data["k"]] == [str, int, float]
    assert [type(k) for k in data] == [str]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("3"), 3),
        (Decimal("3.000"), 3),
        (Decimal("-0"), 0),
        (Decimal("1E+30"), 10**30),
        (Decimal("0.1"), 0.1),
        (Decimal("1.10"), 1.1),
        (Decimal("-2.5E-5"), -2.5e-5),
        (Decimal("5E-324"), 5e-324),
        (Decimal("123456789.125"), 123456789.125),
    ],
)
def test_decimals_become_numbers_that_write_the_same_digits(value: Decimal, expected: Any) -> None:
    result = to_plain(value).data
    assert result == expected
    assert type(result) is type(expected)
    assert Decimal(repr(result)) == value  # the text a format writes means exactly this Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("Infinity"), math.inf), (Decimal("-Infinity"), -math.inf)],
)
def test_infinite_decimals_become_infinite_floats(value: Decimal, expected: float) -> None:
    assert to_plain(value).data == expected


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-NaN"), Decimal("sNaN")])
def test_nan_decimals_become_nan(value: Decimal) -> None:
    assert math.isnan(to_plain(value).data)


@pytest.mark.parametrize(
    "value",
    [
        Decimal("0.1000000000000000055511151231257827"),
        Decimal("1.00000000000000001"),
        Decimal("1E-400"),
        Decimal("3.14159265358979323846264338327950288"),
    ],
)
def test_decimals_a_float_cannot_hold_exactly_are_rejected(value: Decimal) -> None:
    with pytest.raises(ValueProblem, match="without losing precision") as info:
        to_plain({"price": [value]})
    assert info.value.key_path == ("price", 0)


def test_decimals_too_large_for_any_format_are_rejected_quickly() -> None:
    with pytest.raises(ValueProblem, match="too large") as info:
        to_plain({"n": Decimal("1E+100000")})
    assert info.value.key_path == ("n",)
    assert to_plain(Decimal("1E+4299")).data == 10**4299


@given(
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.sampled_from([Decimal("1E+4300"), Decimal("9.9E+4299"), Decimal("1E+4299")])
)
def test_decimals_are_converted_exactly_or_rejected(value: Decimal) -> None:
    try:
        result = to_plain(value).data
    except ValueProblem:
        if value == value.to_integral_value():
            assert len(value.as_tuple().digits) + value.as_tuple().exponent > 4300  # type: ignore[operator]
        else:
            as_float = float(value)
            assert not math.isfinite(as_float) or Decimal(repr(as_float)) != value
    else:
        assert type(result) in (int, float)
        assert Decimal(repr(result)) == value


def test_pydantic_models_and_dataclasses_become_dicts_with_secrets_marked() -> None:
    config = {
        "service": Service(
            name="api",
            port=8000,
            credentials=Credentials(user="u", password=SecretStr("hunter2")),
            tags=["a"],
        ),
        "endpoints": [Endpoint("h", 443, SecretStr("tok"))],
    }
    converted = to_plain(config)
    assert converted.data == {
        "service": {
            "name": "api",
            "port": 8000,
            "credentials": {"user": "u", "password": "hunter2", "color": "blue"},
            "tags": ["a"],
        },
        "endpoints": [{"host": "h", "port": 443, "token": "tok", "path": "api/v1"}],
    }
    assert converted.secret_paths == {
        ("service", "credentials", "password"),
        ("endpoints", 0, "token"),
    }


def test_secret_str_and_bytes_are_recorded_at_their_key_paths() -> None:
    converted = to_plain(
        {
            "db": {"password": SecretStr("p"), "hosts": ["h", SecretStr("s")]},
            "key": SecretBytes(b"k"),
        }
    )
    assert converted.data == {"db": {"password": "p", "hosts": ["h", "s"]}, "key": "k"}
    assert converted.secret_paths == {("db", "password"), ("db", "hosts", 1), ("key",)}
    assert to_plain(SecretStr("top")).secret_paths == {()}


def test_secrets_in_a_set_are_marked_at_their_sorted_index() -> None:
    converted = to_plain({"s": {SecretStr("b"), "a", "c", unsafe("0", "a public example")}})
    assert converted.data == {"s": ["0", "a", "b", "c"]}
    assert converted.secret_paths == {("s", 2)}
    assert converted.unsafe_paths == {("s", 0): "a public example"}


def test_secrets_inside_tuples_in_a_set_are_marked_at_their_sorted_index() -> None:
    converted = to_plain({"s": {("z", SecretStr("x")), ("a", "y")}})
    assert converted.data == {"s": [["a", "y"], ["z", "x"]]}
    assert converted.secret_paths == {("s", 1, 1)}


def test_unsafe_values_are_unwrapped_and_their_reason_recorded() -> None:
    converted = to_plain(
        {
            "key": unsafe("pk_test_123", "  a publishable test key  "),
            "nested": [unsafe({"x": SecretStr("s")}, "demo")],
        }
    )
    assert converted.data == {"key": "pk_test_123", "nested": [{"x": "s"}]}
    assert converted.unsafe_paths == {("key",): "a publishable test key", ("nested", 0): "demo"}
    assert converted.secret_paths == {("nested", 0, "x")}


@pytest.mark.parametrize("reason", ["", "   ", None, 3])
def test_unsafe_requires_a_non_empty_reason(reason: Any) -> None:
    with pytest.raises(TypeError, match="non-empty reason"):
        unsafe("v", reason)


def test_unsafe_keeps_the_stripped_reason() -> None:
    assert unsafe(1, " why ") == Unsafe(1, "why")


def test_an_unsafe_value_is_an_immutable_record() -> None:
    import copy
    import pickle

    marked = unsafe({"k": [1]}, "a public test key")
    with pytest.raises(AttributeError, match="immutable"):
        marked.value = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del marked.reason  # type: ignore[misc]
    assert repr(marked) == "Unsafe(value={'k': [1]}, reason='a public test key')"
    assert marked != Unsafe({"k": [1]}, "another reason")
    assert marked != ({"k": [1]}, "a public test key")  # not a tuple
    assert hash(unsafe("v", "why")) == hash(Unsafe("v", "why"))
    for copied in (pickle.loads(pickle.dumps(marked)), copy.deepcopy(marked)):
        assert copied == marked and copied.value is not marked.value


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (object(), "object"),
        (b"bytes", "bytes"),
        (1 + 2j, "complex"),
        (Exception("x"), "Exception"),
        (iter([1]), "list_iterator"),
        (Color, "enum.EnumType"),
        (Endpoint, "type"),
        (dt.timedelta(seconds=1), "datetime.timedelta"),
    ],
)
def test_unsupported_types_are_named_with_their_key_path(value: Any, type_name: str) -> None:
    with pytest.raises(ValueProblem, match="not supported") as info:
        to_plain({"a": {"b": [0, value]}})
    assert info.value.key_path == ("a", "b", 1)
    assert f"values of type {type_name} are not supported" in info.value.reason


def test_an_unsupported_type_defined_in_a_module_is_named_with_its_module() -> None:
    class Widget:
        pass

    with pytest.raises(ValueProblem) as info:
        to_plain([Widget()])
    assert info.value.key_path == (0,)
    assert f"{__name__}.test_an_unsupported_type_defined_in_a_module" in info.value.reason
    assert "Widget" in info.value.reason


@pytest.mark.parametrize(
    ("key", "shown"),
    [(1, "1"), (True, "True"), (None, "None"), (Level.LOW, "<Level.LOW: 1>"), ((1, 2), "(1, 2)")],
)
def test_keys_must_be_strings(key: Any, shown: str) -> None:
    with pytest.raises(ValueProblem, match="keys must be strings") as info:
        to_plain({"outer": {key: "v"}})
    assert info.value.key_path == ("outer", shown)


def test_keys_that_become_the_same_text_are_rejected() -> None:
    with pytest.raises(ValueProblem, match="two keys are both 'red'") as info:
        to_plain({"colors": {"red": 1, Color.RED: 2}})
    assert info.value.key_path == ("colors", "red")


def test_sets_of_mixed_types_are_rejected() -> None:
    with pytest.raises(ValueProblem, match="no stable order") as info:
        to_plain({"s": {1, "a"}})
    assert info.value.key_path == ("s",)


def test_secret_bytes_must_be_text() -> None:
    with pytest.raises(ValueProblem, match="not valid UTF-8") as info:
        to_plain({"k": SecretBytes(b"\xff")})
    assert info.value.key_path == ("k",)


def test_errors_inside_models_name_the_full_key_path() -> None:
    @dataclasses.dataclass
    class Holder:
        items: list[Any]

    with pytest.raises(ValueProblem) as info:
        to_plain({"h": Holder(items=[1, {"x": object()}])})
    assert info.value.key_path == ("h", "items", 1, "x")


@pytest.mark.parametrize(
    ("key_path", "text"),
    [
        ((), "<root>"),
        (("db",), "db"),
        (("db", "hosts", 0), "db.hosts[0]"),
        ((0, "a"), "[0].a"),
        (("a", 1, 2, "b"), "a[1][2].b"),
    ],
)
def test_format_key_path(key_path: tuple[Any, ...], text: str) -> None:
    assert format_key_path(key_path) == text


def test_value_problem_carries_path_and_reason() -> None:
    problem = ValueProblem(("a", 0), "bad")
    assert problem.key_path == ("a", 0)
    assert problem.reason == "bad"
    assert str(problem) == "bad"
