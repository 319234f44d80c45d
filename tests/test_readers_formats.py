"""YAML, TOML, JSON5, Hjson and `.properties` files read back by their reference readers:
PyYAML, js-yaml and eemeli's `yaml`; tomllib and smol-toml; `json5`; `hjson` (npm); the JDK's
`java.util.Properties`. Each reader runs once over a batch of values."""

from __future__ import annotations

import math
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axogen.formats import hjson, json5, properties, toml
from axogen.formats import yaml as axo_yaml
from readers import find_java, needs, node_module, read_java_properties, read_node

NPM = "npm install --prefix .ci/node {}"


def needs_npm(module: str) -> pytest.MarkDecorator:
    return needs(node_module(module), f"npm {module}", NPM.format(module))


# strings a reader could take for a number, a bool, null, a date or another kind of value
LOOKALIKES = [
    *["1", "1.", "-1.", "1.0", ".5", "-.5", "+1", "-0", "0", "00", "01", "007", "1e5", "1.e5"],
    *["1E5", "1e", "1e+5", "1_000", "0x1F", "0o17", "0b101", "1,2", "1 ", " 1", "1 # c"],
    *["Infinity", "-Infinity", "inf", "-inf", ".inf", "NaN", "nan", ".nan", ".NaN"],
    *["true", "false", "True", "FALSE", "yes", "no", "on", "off", "y", "n", "Y", "N"],
    *["null", "Null", "NULL", "~", "none", "None", "", " ", "undefined"],
    *["2024-01-01", "2024-01-01T00:00:00Z", "2024-01-01 10:20:30", "12:30", "1:20", "1:20:30"],
    *["0:0", "12:30:00", "1979-05-27T07:32:00-08:00", "07:32:00"],
    *["[]", "{}", "[1]", "{a: 1}", "'x'", '"x"', "'''x'''", "#x", "//x", "/*x*/", "- x"],
    *["a: b", "a:b", "? x", "! x", "!!str", "&a", "*a", "%x", "@x", "`x`", "|", ">"],
    *["x,", "x]", "x}", "a # b", "a// b", "\t", "\n", "a\nb", "a\r\nb", "\\", "\\n", "\u2028"],
    *["\x85", "\ufeff", "\u00e9", "\U0001f600", "=", "a=b", "a:b c", "!comment", "k = v"],
]
scalars_text = st.one_of(
    st.sampled_from(LOOKALIKES),
    st.lists(st.sampled_from(LOOKALIKES), min_size=2, max_size=3).map("".join),
    st.text(max_size=8),
)
numbers = st.one_of(
    # JavaScript's safe integers: smol-toml refuses a larger one (unless asked for BigInts)
    st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
)
keys = st.one_of(st.sampled_from(LOOKALIKES), st.text(max_size=6))


def tagged(value: Any) -> Any:
    """`value` with its kind made explicit: JSON (what node prints) has one number kind."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, dict):
        if set(value) == {"bigint"}:
            return ("number", float(int(value["bigint"])))
        return {k: tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tagged(v) for v in value]
    assert value is None, value
    return None


def values(*, null: bool = True) -> st.SearchStrategy[Any]:
    leaf = scalars_text | numbers | st.booleans()
    if null:
        leaf = leaf | st.none()
    return st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=4,
    )


def documents(*, null: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(keys, values(null=null), min_size=1, max_size=40)


def check(dump: Any, readers: dict[str, Any], batch: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, data in enumerate(batch):
            path = Path(tmp) / f"{i}.txt"
            path.write_bytes(dump(data, header="written by axogen").encode("utf-8"))
            paths.append(path)
        for name, read in readers.items():
            for data, got, path in zip(batch, read(paths), paths, strict=True):
                assert tagged(got) == tagged(data), (name, path.read_text("utf-8"))


def python_reader(load: Any) -> Any:
    return lambda paths: [load(p.read_text("utf-8")) for p in paths]


YAML_READERS = {
    "PyYAML": python_reader(pyyaml.safe_load),
    "js-yaml": lambda paths: read_node("js-yaml", paths),
    "yaml": lambda paths: read_node("yaml", paths),
}
TOML_READERS = {
    "tomllib": python_reader(tomllib.loads),
    "smol-toml": lambda paths: read_node("smol-toml", paths),
}
JSON5_READERS = {"json5": lambda paths: read_node("json5", paths)}
HJSON_READERS = {"hjson": lambda paths: read_node("hjson", paths)}
LOOKALIKE_DOC = {f"k{i}": v for i, v in enumerate(LOOKALIKES)} | {v: "key" for v in LOOKALIKES}
LOOKALIKE_LISTS = {"list": LOOKALIKES, "nested": [{"v": v} for v in LOOKALIKES]}
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@needs_npm("js-yaml")
@needs_npm("yaml")
def test_yaml_lookalikes_stay_strings() -> None:
    check(axo_yaml.dump, YAML_READERS, [LOOKALIKE_DOC, LOOKALIKE_LISTS])


@needs_npm("js-yaml")
@needs_npm("yaml")
@SETTINGS
@given(st.lists(documents(), min_size=1, max_size=4))
def test_yaml_read_back_by_every_reader(batch: list[dict[str, Any]]) -> None:
    check(axo_yaml.dump, YAML_READERS, batch)


def no_null(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


@needs_npm("smol-toml")
def test_toml_lookalikes_stay_strings() -> None:
    check(toml.dump, TOML_READERS, [no_null(LOOKALIKE_DOC), LOOKALIKE_LISTS])


@needs_npm("smol-toml")
@SETTINGS
@given(st.lists(documents(null=False), min_size=1, max_size=4))
def test_toml_read_back_by_every_reader(batch: list[dict[str, Any]]) -> None:
    check(toml.dump, TOML_READERS, batch)


@needs_npm("json5")
@SETTINGS
@given(st.lists(documents(), min_size=1, max_size=4))
def test_json5_read_back_by_the_reference_reader(batch: list[dict[str, Any]]) -> None:
    check(json5.dump, JSON5_READERS, [LOOKALIKE_DOC, LOOKALIKE_LISTS, *batch])


@needs_npm("json5")
def test_json5_keys_with_letters_newer_than_the_readers_unicode() -> None:
    # U+11AB0 (Unicode 14) is a letter to Python, not to node's json5 tables
    check(json5.dump, JSON5_READERS, [{"\U00011ab0": None, "é": 1, "plain": [2]}])


def whole(value: Any) -> Any:
    """Hjson readers read a float with no fraction (3.0) as the integer 3: the same number."""
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return int(value)
    if isinstance(value, dict):
        return {k: whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole(v) for v in value]
    return value


@needs_npm("hjson")
def test_hjson_numbers_the_reference_reader_sees_are_quoted() -> None:
    for text in ("1.", "-1.", "1.e5", "0.", "1. # c", "1.,"):
        assert hjson.dump({"a": text}) == f'{{\n  a: "{text}"\n}}\n'
    check(hjson.dump, HJSON_READERS, [LOOKALIKE_DOC, LOOKALIKE_LISTS])


@needs_npm("hjson")
@SETTINGS
@given(st.lists(documents(), min_size=1, max_size=4), st.sampled_from([2, 4, None]))
def test_hjson_read_back_by_the_reference_reader(
    batch: list[dict[str, Any]], indent: int | None
) -> None:
    check(
        lambda data, header: hjson.dump(data, header=header, indent=indent),
        HJSON_READERS,
        [whole(d) for d in batch],
    )


text_documents = st.dictionaries(keys, scalars_text, min_size=1, max_size=60)


@needs(find_java(), "java", "apt-get install default-jdk-headless")
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(text_documents, min_size=1, max_size=6))
def test_properties_read_back_by_java_util_properties(batch: list[dict[str, str]]) -> None:
    batch = [{k: v for k, v in LOOKALIKE_DOC.items() if isinstance(v, str)}, *batch]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, data in enumerate(batch):
            path = Path(tmp) / f"{i}.properties"
            # the default, ensure_ascii: the \\uXXXX escapes every Properties.load reads
            text = properties.dump(data, header="written by axogen")
            path.write_bytes(text.encode("ascii"))
            paths.append(path)
        for data, got, path in zip(batch, read_java_properties(paths), paths, strict=True):
            assert got == data, path.read_text("utf-8")
