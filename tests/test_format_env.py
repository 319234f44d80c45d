"""The env format for bash and python-dotenv: what it writes for them (`readers=`) must be read
back identically by both. `test_readers_env.py` covers every reader at once."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from axogen.formats import env
from axogen.values import ValueProblem

BASH = shutil.which("bash")
needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")

# characters that matter to one reader or the other, plus ordinary and non-ASCII text
SPECIAL = "'\"$`\\#{}()[]@*?!-_~=:;&|<>%+,./ \n\t\x0b\x0c\x85\u2028\u00e9\u65e5\U0001f600aZ09"
# pieces that mean something to a shell or to dotenv, glued together so combinations are common
FRAGMENTS = [
    *"'\"$`\\#~=:@%{}()[] \n\taZ0_-!*?",
    *["$A", "${A}", "$(a)", "$[1]", "$1", "$$", "$-", "$_", "$@", "$#", "$?", "$!", "$*", "${"],
    *["\\\\", "\\\n", "\\'", '\\"', "\\$", "\\`", " #", "\\n", "\\t", "\\u0041", "~/", ":~"],
    *[
        "\u00e9",
        "$\u00e9",
        "\u2028",
        "\x85",
        "\x0b",
        "\x0c",
        "\x7f",
        "\x1b",
        "\ufeff",
        "\U0001f600",
    ],
]
env_text = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join),
    st.text(alphabet=SPECIAL, max_size=12),
    st.text(max_size=12),
    st.sampled_from(["", " ", "\\", "\\\\", "'", '"', "$", "$$", "${X}", "`x`", "#", " #x", "\r"]),
)


def shell_expands(value: str) -> bool:
    """Whether a shell substitutes something inside double quotes (`$name`, `$(`, a backtick...)."""
    if "`" in value:
        return True
    return any(
        a == "$" and (b.isascii() and (b.isalnum() or b in "_{([@*#?$!-"))
        for a, b in itertools.pairwise(value)
    )


# the readers this file's model of what can be written describes
SHELL_AND_DOTENV = ("bash", "python-dotenv-raw")


def impossible(value: str) -> bool:
    """The values no `.env` quoting can make bash and python-dotenv read the same way."""
    if "\r" in value or "\0" in value:
        return True
    breaks_single_quotes = "'" in value or "\\\\" in value or value.endswith("\\")
    return breaks_single_quotes and shell_expands(value)


def read_with_dotenv(path: Path, *, interpolate: bool) -> dict[str, str | None]:
    return dict(dotenv_values(path, interpolate=interpolate))


def read_with_bash(paths: list[Path], *, set_a: bool = True) -> list[dict[str, str]]:
    """The variables each file exports when bash sources it, all in one bash run."""
    assert BASH is not None
    env_bin = shutil.which("env") or "/usr/bin/env"
    # an empty PATH, so a file that wrongly runs a command substitution cannot run anything
    script = "".join(
        f"({'set -a; ' if set_a else ''}. ./{p.name} && {env_bin} -0) > ./{p.name}.out\n"
        for p in paths
    )
    subprocess.run(
        [BASH, "-c", script],
        cwd=paths[0].parent,
        env={"PATH": "/nonexistent", "LANG": "C.UTF-8"},
        capture_output=True,
        check=False,
        timeout=30,
    )
    results = []
    for p in paths:
        out = p.with_name(p.name + ".out").read_bytes().decode("utf-8", "surrogateescape")
        pairs = (item.partition("=") for item in out.split("\0") if item)
        results.append({k: v for k, _, v in pairs if k.startswith("AXO_")})
    return results


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_bytes(text.encode("utf-8"))
    return path


@needs_bash
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(env_text, min_size=1, max_size=12),
    export=st.booleans(),
    header=st.none() | st.text(max_size=30),
)
def test_env_values_are_read_back_exactly_by_dotenv_and_bash_or_rejected(
    values: list[str], export: bool, header: str | None
) -> None:
    accepted: dict[str, str] = {}
    for i, value in enumerate(values):
        name = f"AXO_{i}"
        try:
            env.dump({name: value}, readers=SHELL_AND_DOTENV)
        except ValueProblem as e:
            assert impossible(value), f"rejected {value!r}, which can be written: {e.reason}"
            assert e.key_path == (name,)
        else:
            assert not impossible(value), f"{value!r} was written, which no quoting allows"
            accepted[name] = value

    text = env.dump(accepted, header=header, export=export, readers=SHELL_AND_DOTENV)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), "x.env", text)
        assert read_with_dotenv(path, interpolate=False) == accepted, text
        plain = {k: v for k, v in accepted.items() if "${" not in v}
        interpolated = read_with_dotenv(path, interpolate=True)
        assert {k: interpolated[k] for k in plain} == plain, text
        if accepted:
            assert read_with_bash([path], set_a=not export) == [accepted], text


def candidate_forms(value: str) -> list[str]:
    """The forms a value could take: bare, single-quoted, double-quoted for dotenv or for a shell."""
    double = value.replace("\\", "\\\\").replace('"', '\\"')
    shell_double = double.replace("$", "\\$").replace("`", "\\`")
    return [value, f"'{value}'", f'"{double}"', f'"{shell_double}"']


breaks_single_quotes = st.sampled_from(["'", "\\\\"])
expands = st.sampled_from(["$A", "${A}", "$(x)", "`x`", "$1", "$$", "$-", "$[1]", "$_", "$@"])
filler = st.text(alphabet="ab '\\$`", max_size=3)
impossible_values = st.one_of(
    st.tuples(filler, breaks_single_quotes, filler, expands, filler),
    st.tuples(filler, expands, filler, breaks_single_quotes, filler),
    st.tuples(filler, expands, filler, st.just("\\")),
).map("".join)


@needs_bash
@settings(max_examples=40, deadline=None)
@given(impossible_values)
@example("a\rb")
@example("\r")
@example("a\0b")
def test_rejected_values_really_have_no_quoting_both_readers_agree_on(value: str) -> None:
    assert impossible(value)
    with pytest.raises(ValueProblem):
        env.quote(value, ("K",), SHELL_AND_DOTENV)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [
            write(Path(tmp), f"f{i}.env", f"AXO_K={form}\n")
            for i, form in enumerate(candidate_forms(value))
        ]
        from_bash = read_with_bash(paths)
        for path, bash_vars in zip(paths, from_bash, strict=True):
            from_dotenv = read_with_dotenv(path, interpolate=False).get("AXO_K")
            assert from_dotenv != value or bash_vars.get("AXO_K") != value, path.read_text()


@needs_bash
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False, allow_infinity=False)
            | env_text,
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=4), inner, max_size=3)
            ),
            max_leaves=6,
        ),
        max_size=4,
    ),
)
def test_lists_are_written_as_json_that_both_readers_read_back(items: list[Any]) -> None:
    text = env.dump({"AXO_L": items})
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), "x.env", text)
        from_dotenv = read_with_dotenv(path, interpolate=False)["AXO_L"]
        assert from_dotenv is not None
        assert json.loads(from_dotenv) == items, text
        assert read_with_bash([path]) == [{"AXO_L": from_dotenv}], text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, "true"),
        (False, "false"),
        (None, ""),
        (0, "0"),
        (-12, "-12"),
        (10**30, "1" + "0" * 30),
        (3.0, "3.0"),
        (0.1, "0.1"),
        (1e16, "1e+16"),
        (-0.0, "-0.0"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (math.nan, "nan"),
        (dt.date(2024, 2, 29), "2024-02-29"),
        (dt.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05"),
        (
            dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            "2024-01-02T03:04:05.000006-05:00",
        ),
        (dt.time(7, 8, 9), "07:08:09"),
        ([], "[]"),
        ({}, "{}"),
        ([1, "a b", None, True, [2.5]], '[1,"a b",null,true,[2.5]]'),
        (["\u00e9", "\n"], '["\u00e9","\\n"]'),
        ([dt.date(2024, 1, 1)], '["2024-01-01"]'),
    ],
)
def test_non_string_values_are_written_as_text(value: Any, expected: str) -> None:
    assert env.load(env.dump({"K": value})) == {"K": expected}


GOLDEN_DATA = {
    "APP_NAME": "shop",
    "DEBUG": False,
    "PORT": 8080,
    "RATIO": 0.5,
    "DB": {"HOST": "db.internal", "PORT": 5432, "OPTIONS": {"SSL": True}},
    "EMPTY": "",
    "NOTHING": None,
    "EMPTY_TABLE": {},
    "GREETING": "hello world",
    "PASSWORD": "it's a secret",
    "COST": "5$ each, $ 1",
    "WINDOWS": "C:\\Users\\me",
    "QUOTED": 'say "hi"',
    "MULTI": "line one\nline two",
    "HOSTS": ["a.example", "b.example"],
    "PATHS": ["$HOME/bin", "C:\\bin"],
    "STARTED": dt.datetime(2024, 5, 6, 7, 8, 9),
    "HASH": "#not-a-comment",
    "URL": "postgres://u:p@h:5432/db?sslmode=require",
}
GOLDEN_LINES = [
    "APP_NAME=shop\n",
    "DEBUG=false\n",
    "PORT=8080\n",
    "RATIO=0.5\n",
    "DB_HOST=db.internal\n",
    "DB_PORT=5432\n",
    "DB_OPTIONS_SSL=true\n",
    "EMPTY=\n",
    "NOTHING=\n",
    "EMPTY_TABLE='{}'\n",
    "GREETING='hello world'\n",
    'PASSWORD="it\'s a secret"\n',
    "COST='5$ each, $ 1'\n",
    "WINDOWS='C:\\Users\\me'\n",
    "QUOTED='say \"hi\"'\n",
    "MULTI='line one\nline two'\n",
    """HOSTS='["a.example","b.example"]'\n""",
    """PATHS='["\\u0024HOME/bin","C:\\u005cbin"]'\n""",
    "STARTED=2024-05-06T07:08:09\n",
    "HASH='#not-a-comment'\n",
    "URL='postgres://u:p@h:5432/db?sslmode=require'\n",
]


def test_golden_output() -> None:
    assert env.dump(GOLDEN_DATA) == "".join(GOLDEN_LINES)


def test_golden_output_with_header() -> None:
    assert env.dump(GOLDEN_DATA, header="Generated by axogen.\n\nDo not edit.  ") == (
        "# Generated by axogen.\n#\n# Do not edit.\n" + "".join(GOLDEN_LINES)
    )


def test_golden_output_exported_and_sorted() -> None:
    assert env.dump(GOLDEN_DATA, export=True, sort_keys=True) == (
        "export APP_NAME=shop\n"
        "export COST='5$ each, $ 1'\n"
        "export DB_HOST=db.internal\n"
        "export DB_OPTIONS_SSL=true\n"
        "export DB_PORT=5432\n"
        "export DEBUG=false\n"
        "export EMPTY=\n"
        "export EMPTY_TABLE='{}'\n"
        "export GREETING='hello world'\n"
        "export HASH='#not-a-comment'\n"
        """export HOSTS='["a.example","b.example"]'\n"""
        "export MULTI='line one\nline two'\n"
        "export NOTHING=\n"
        'export PASSWORD="it\'s a secret"\n'
        """export PATHS='["\\u0024HOME/bin","C:\\u005cbin"]'\n"""
        "export PORT=8080\n"
        "export QUOTED='say \"hi\"'\n"
        "export RATIO=0.5\n"
        "export STARTED=2024-05-06T07:08:09\n"
        "export URL='postgres://u:p@h:5432/db?sslmode=require'\n"
        "export WINDOWS='C:\\Users\\me'\n"
    )
    assert env.dump({"B": 1, "A": {"Z": 2, "C": 3}}, sort_keys=True) == "A_C=3\nA_Z=2\nB=1\n"
    assert env.dump({"B": 1, "A": {"Z": 2, "C": 3}}) == "B=1\nA_Z=2\nA_C=3\n"


def test_golden_output_with_another_separator() -> None:
    assert env.dump({"DB": {"HOST": "h", "X": {"Y": 1}}}, separator="__") == (
        "DB__HOST=h\nDB__X__Y=1\n"
    )
    assert env.dump({}) == ""
    assert env.dump({}, header="only a header") == "# only a header\n"


@needs_bash
def test_golden_output_reads_back_in_both_readers(tmp_path: Path) -> None:
    expected = {
        "AXO_PASSWORD": "it's a secret",
        "AXO_COST": "5$ each, $ 1",
        "AXO_WINDOWS": "C:\\Users\\me",
        "AXO_MULTI": "line one\nline two",
        "AXO_PATHS": '["\\u0024HOME/bin","C:\\u005cbin"]',
        "AXO_DB_HOST": "db.internal",
    }
    data = {
        "AXO": {k: GOLDEN_DATA[k] for k in ("PASSWORD", "COST", "WINDOWS", "MULTI", "PATHS")}
        | {"DB": {"HOST": "db.internal"}}
    }
    path = write(tmp_path, "x.env", env.dump(data))
    assert read_with_dotenv(path, interpolate=False) == expected
    assert read_with_bash([path]) == [expected]
    assert json.loads(expected["AXO_PATHS"]) == ["$HOME/bin", "C:\\bin"]


@pytest.mark.parametrize(
    ("data", "key_path"),
    [
        ({"1X": "v"}, ("1X",)),
        ({"a-b": "v"}, ("a-b",)),
        ({"": "v"}, ("",)),
        ({"A B": "v"}, ("A B",)),
        ({"DB": {"HO-ST": "v"}}, ("DB", "HO-ST")),
        ({"\u00e9t\u00e9": "v"}, ("\u00e9t\u00e9",)),
    ],
)
def test_invalid_variable_names_are_rejected_with_their_key_path(
    data: dict[str, Any], key_path: tuple[str, ...]
) -> None:
    with pytest.raises(ValueProblem, match="not a valid variable name") as info:
        env.dump(data)
    assert info.value.key_path == key_path


@pytest.mark.parametrize(
    ("data", "key_path", "other"),
    [
        ({"DB": {"HOST": 1}, "DB_HOST": 2}, ("DB_HOST",), "DB.HOST"),
        ({"DB_HOST": 2, "DB": {"HOST": 1}}, ("DB", "HOST"), "DB_HOST"),
        ({"A": {"B_C": 1}, "A_B": {"C": 2}}, ("A_B", "C"), "A.B_C"),
    ],
)
def test_names_that_collide_after_flattening_are_rejected(
    data: dict[str, Any], key_path: tuple[str, ...], other: str
) -> None:
    with pytest.raises(ValueProblem, match="two keys would write the same variable") as info:
        env.dump(data)
    assert info.value.key_path == key_path
    assert other in info.value.reason


@pytest.mark.parametrize("data", [[1, 2], "text", 3, None])
def test_the_top_level_must_be_a_mapping(data: Any) -> None:
    with pytest.raises(ValueProblem, match="needs a mapping") as info:
        env.dump(data)
    assert info.value.key_path == ()


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("a\rb", "carriage return"),
        ("a\0b", "NUL"),
        ("it's $HOME", "no .env quoting"),
        ("\\\\`x`", "no .env quoting"),
    ],
)
def test_values_no_reader_agrees_on_are_rejected_with_their_key_path(value: str, what: str) -> None:
    with pytest.raises(ValueProblem, match=what) as info:
        env.dump({"DB": {"PASSWORD": value}})
    assert info.value.key_path == ("DB", "PASSWORD")


def test_lists_that_json_cannot_hold_are_rejected() -> None:
    with pytest.raises(ValueProblem, match="JSON") as info:
        env.dump({"A": {"B": [1.0, math.nan]}})
    assert info.value.key_path == ("A", "B")


def test_load_matches_python_dotenv() -> None:
    assert env.load('A=1\nexport B=\'x y\'\n# c\nC="q\\""\n') == {"A": "1", "B": "x y", "C": 'q"'}
