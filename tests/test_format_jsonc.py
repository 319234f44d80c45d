"""The jsonc format: JSON under `//` comments; read with comments and trailing commas."""

from __future__ import annotations

import json
import math
from typing import Any

import json5
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axogen.formats import ParseProblem
from axogen.formats import jsonc as jsonc_format
from axogen.values import ValueProblem
from roundtrip import nested, same

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
plain_data = nested(scalars)


def without_comment_lines(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("//"))


@given(
    data=plain_data,
    indent=st.sampled_from([None, 0, 2, 4]),
    header=st.none() | st.text(max_size=30),
)
def test_round_trip(data: Any, indent: int | None, header: str | None) -> None:
    text = jsonc_format.dump(data, indent=indent, header=header)
    # independent readers: the JSON under the comment lines, and json5 (a superset of JSONC)
    assert same(json.loads(without_comment_lines(text)), data)
    assert same(json5.loads(text), data)
    assert same(jsonc_format.load(text), data)


def test_golden() -> None:
    data = {"editor.tabSize": 2, "files.exclude": {"**/.git": True}, "list": [1, "//x"]}
    assert jsonc_format.dump(data, header="Generated.\nDo not edit.") == (
        "// Generated.\n"
        "// Do not edit.\n"
        "{\n"
        '  "editor.tabSize": 2,\n'
        '  "files.exclude": {\n'
        '    "**/.git": true\n'
        "  },\n"
        '  "list": [\n'
        "    1,\n"
        '    "//x"\n'
        "  ]\n"
        "}\n"
    )
    assert jsonc_format.dump(data, indent=0, header="x") == (
        '// x\n{"editor.tabSize":2,"files.exclude":{"**/.git":true},"list":[1,"//x"]}\n'
    )


def test_reads_comments_and_trailing_commas_but_keeps_strings() -> None:
    text = """\
// settings
{
  /* block
     comment */
  "url": "http://example.com/*not a comment*/", // trailing
  "path": "C:\\\\dir\\\\", "quote": "say \\"//\\"",
  "list": [1, 2,],
}
"""
    assert jsonc_format.load(text) == {
        "url": "http://example.com/*not a comment*/",
        "path": "C:\\dir\\",
        "quote": 'say "//"',
        "list": [1, 2],
    }


def test_errors_keep_the_files_line_numbers() -> None:
    with pytest.raises(ParseProblem) as info:
        jsonc_format.load('/* one\n two */\n{\n  "a": 1\n  "b": 2\n}')
    assert info.value.line == 5


def test_nan_is_an_error() -> None:
    with pytest.raises(ValueProblem) as info:
        jsonc_format.dump({"a": [math.nan]})
    assert info.value.key_path == ("a", 0)
