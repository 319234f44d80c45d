"""The cson format: our writer read back by our reader and by node's cson-parser, exact
bytes, and the reader on hand-written CSON."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from axogen.formats import ParseProblem
from axogen.formats import cson as cson_format
from axogen.values import ValueProblem

SAFE = 2**53
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-SAFE, max_value=SAFE)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.sampled_from(["#{x}", "'''", "a\\b", "yes", "x\ny", "\u2028", "\ud800", "   "])
)
plain_data = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text().filter(lambda k: k != "__proto__"), inner, max_size=4)
    ),
    max_leaves=20,
)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (so 3.0 is not 3, True is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


def joined(data: Any) -> Any:
    """Adjacent surrogates as the one character JavaScript (and our reader) make of them."""
    if isinstance(data, str):
        return data.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if isinstance(data, dict):
        return {joined(k): joined(v) for k, v in data.items()}
    if isinstance(data, list):
        return [joined(v) for v in data]
    return data


@given(
    data=plain_data,
    indent=st.integers(min_value=1, max_value=4),
    sort_keys=st.booleans(),
    header=st.none() | st.text(max_size=20),
)
def test_round_trip_through_our_reader(
    data: Any, indent: int, sort_keys: bool, header: str | None
) -> None:
    text = cson_format.dump(data, indent=indent, sort_keys=sort_keys, header=header)
    assert text.endswith("\n")
    back = cson_format.load(text)
    if sort_keys:
        back = cson_format.load(cson_format.dump(data, indent=indent))
    assert same(back, joined(data)), text


# --- node's cson-parser --------------------------------------------------------------------

NODE_READER = """\
const CSON = require('cson-parser');
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(texts.map((t) => {
  try { return {ok: CSON.parse(t)}; } catch (e) { return {error: e.message}; }
})));
"""


@pytest.fixture(scope="module")
def cson_parser(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with node's cson-parser installed, or a skip when npm cannot install it."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed")
    folder = tmp_path_factory.mktemp("cson-parser")
    try:
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "cson-parser@4"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("npm install cson-parser timed out")
    if done.returncode != 0:
        pytest.skip(f"npm could not install cson-parser: {done.stderr.strip()[-300:]}")
    (folder / "read.js").write_text(NODE_READER)
    return folder


def node_numbers(a: Any, b: Any) -> bool:
    """`a` (written) equals `b` (read by JavaScript): numbers by value, bools as bools, and
    keys in any order (JavaScript objects list integer-like keys first)."""
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and a.keys() == b.keys()
            and all(node_numbers(a[k], b[k]) for k in a)
        )
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(node_numbers, a, b))
    if isinstance(a, bool) or a is None or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)):
        # JavaScript prints a whole double by its shortest digits: compare as doubles
        return isinstance(b, (int, float)) and float(a) == float(b)
    return bool(a == b)


@settings(max_examples=4, deadline=None)
@given(st.lists(plain_data, min_size=25, max_size=25))
def test_node_cson_parser_reads_what_we_write(cson_parser: Path, batch: list[Any]) -> None:
    texts = [cson_format.dump(data, header="written by axogen") for data in batch]
    done = subprocess.run(
        ["node", "read.js"],
        cwd=cson_parser,
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for data, text, result in zip(batch, texts, results, strict=True):
        assert "ok" in result, (text, result)
        assert node_numbers(joined(data), result["ok"]), (text, result["ok"])


# --- exact output --------------------------------------------------------------------------

CONFIG = {
    "name": "shop",
    "port": 8080,
    "whole": 3.0,
    "debug": False,
    "nothing": None,
    "motd": "it's\n#{not interpolated}",
    "tags": ["web", "eu"],
    "empty": [],
    "db": {"host": "db.internal", "options": {"ssl": True}},
    "servers": [{"name": "a", "ports": [80, 443]}, {"name": "b"}],
    "matrix": [[1, 2], []],
    "quoted key": 1,
    "class": "a reserved word",
    "when": dt.date(2024, 5, 6),
}

GOLDEN = """\
# Generated by axogen.
name: 'shop'
port: 8080
whole: 3.0
debug: false
nothing: null
motd: 'it\\'s\\n#{not interpolated}'
tags: [
  'web'
  'eu'
]
empty: []
db:
  host: 'db.internal'
  options:
    ssl: true
servers: [
  {
    name: 'a'
    ports: [
      80
      443
    ]
  }
  {
    name: 'b'
  }
]
matrix: [
  [
    1
    2
  ]
  []
]
'quoted key': 1
'class': 'a reserved word'
'when': '2024-05-06'
"""


def test_golden() -> None:
    assert cson_format.dump(CONFIG, header="Generated by axogen.") == GOLDEN
    assert cson_format.load(GOLDEN)["motd"] == "it's\n#{not interpolated}"


def test_golden_top_level_list_scalar_and_empty() -> None:
    assert (
        cson_format.dump([1, {"a": "b"}], indent=4) == "[\n    1\n    {\n        a: 'b'\n    }\n]\n"
    )
    assert cson_format.dump("x") == "'x'\n"
    assert cson_format.dump({}) == "{}\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"a": [2**53 + 1]}, "beyond 2\\*\\*53"),
        ({"a": [-(2**60)]}, "beyond 2\\*\\*53"),
        ({"a": [math.nan]}, "cannot represent nan"),
        ({"a": [math.inf]}, "cannot represent inf"),
        ({"a": [{"__proto__": 1}]}, "prototype"),
    ],
)
def test_what_javascript_cannot_hold_is_an_error(data: Any, reason: str) -> None:
    with pytest.raises(ValueProblem, match=reason) as info:
        cson_format.dump(data)
    assert info.value.key_path[:2] == ("a", 0)


# --- reading hand-written CSON --------------------------------------------------------------

HAND_WRITTEN = """\
# Atom-style config
###
A block comment
###
'*':
  editor:
    fontSize: 14, tabLength: 2
    softWrap: yes
  core: {themes: ['one-dark-ui', "one-dark-syntax"], telemetry: off}
keymap: [
  selector: 'atom-workspace'
  key: 'ctrl-k'
,
  {selector: 'body', key: 'ctrl-j'}
]
hex: 0x1F
negative: -1.5e3
long: 'one
       two'
block: '''
  first
    indented
  last
'''
escapes: "tab\\tnew\\nline \\u00e9 \\u{1F600} \\x41"
"""


def test_reads_hand_written_cson() -> None:
    assert cson_format.load(HAND_WRITTEN) == {
        "*": {
            "editor": {"fontSize": 14, "tabLength": 2, "softWrap": True},
            "core": {"themes": ["one-dark-ui", "one-dark-syntax"], "telemetry": False},
        },
        "keymap": [
            {"selector": "atom-workspace", "key": "ctrl-k"},
            {"selector": "body", "key": "ctrl-j"},
        ],
        "hex": 31,
        "negative": -1500.0,
        "long": "one two",
        "block": "first\n  indented\nlast",
        "escapes": "tab\tnew\nline \u00e9 \U0001f600 A",
    }


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("a: 1\n  b: 2\n", 2, "unexpected indentation"),
        ("a: 1\nb: [1, 2\n", 3, "not closed"),
        ("a:\nb: 1\n", 2, "has no value"),
        ('a: "#{x}"\n', 1, "interpolation"),
        ("a: 1\na: 2\n", 2, "appears twice"),
        ("a: 'open\n", 1, "not closed"),
        ("a: NaN\n", 1, "expected a value"),
        ("# only a comment\n", 2, "empty"),
        ("a: 1\n}\n", 2, "unexpected"),
    ],
)
def test_reader_errors_name_the_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(ParseProblem, match=reason) as info:
        cson_format.load(text)
    assert info.value.line == line
