"""Env files are read with python-dotenv's parser and expanded exactly as python-dotenv expands
them, without importing the package's `__init__` (and with it `dotenv.main` and logging)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from axogen.config import pydotenv
from axogen.config.env import read_env_file

NAMES = ("A", "B", "C_1", "HOME_DIR")
words = st.text(alphabet="xyz 0-_:/", max_size=6)
references = st.builds(
    lambda name, default: "${" + name + (":-" + default if default is not None else "") + "}",
    st.sampled_from(NAMES),
    st.none() | st.text(alphabet="dq1", max_size=3),
)
values = st.lists(words | references, max_size=4).map("".join)
quoting = st.sampled_from(["", '"', "'"])
lines = st.tuples(st.sampled_from(NAMES), values, quoting).map(
    lambda t: f"{t[0]}={t[2]}{t[1]}{t[2]}" if t[2] or " " not in t[1] else f'{t[0]}="{t[1]}"'
)
texts = st.lists(lines | st.just("# a comment") | st.just("NO_VALUE"), max_size=6).map(
    lambda ls: "\n".join(ls) + "\n"
)
environments = st.dictionaries(st.sampled_from(NAMES), words, max_size=3)


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in NAMES}
    for name in NAMES:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@settings(max_examples=200, deadline=None)
@given(texts, environments, st.booleans())
def test_values_are_those_python_dotenv_reads(
    text: str, env: dict[str, str], env_wins: bool
) -> None:
    from dotenv.main import DotEnv

    with tempfile.TemporaryDirectory() as folder, environment(env):
        file = Path(folder, ".env.axogen")
        file.write_text(text, encoding="utf-8")
        ours, _ = read_env_file(file, ".env.axogen", env_wins=env_wins)
        # DotEnv's `override` is whether the file's values win over the environment's
        theirs = DotEnv(None, stream=io.StringIO(text), override=not env_wins).dict()
    assert ours == {k: v if v is not None else "" for k, v in theirs.items()}


def test_the_parser_is_python_dotenvs_own() -> None:
    text = 'A=1\nexport B="two words" # note\nbroken line\n'
    import dotenv.parser

    mine = [(b.key, b.value, b.error) for b in pydotenv.parse_stream(io.StringIO(text))]
    real = [(b.key, b.value, b.error) for b in dotenv.parser.parse_stream(io.StringIO(text))]
    assert mine == real == [("A", "1", False), ("B", "two words", False), (None, None, True)]
    atoms = list(pydotenv.parse_variables("x${A:-d}"))
    assert [pydotenv.is_literal(a) for a in atoms] == [True, False]


PROBE = """
import io, sys
{first}
from axogen.config import pydotenv
bindings = list(pydotenv.parse_stream(io.StringIO("A=${{B:-x}}\\n")))
atoms = list(pydotenv.parse_variables(bindings[0].value))
print(bindings[0].key, [pydotenv.is_literal(a) for a in atoms], type(atoms[0]).__module__)
print(sorted(m for m in sys.modules if m == "logging" or "dotenv" in m))
"""


def run_probe(first: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(first=first)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_alone_it_loads_neither_the_package_nor_logging() -> None:
    head, modules = run_probe("")
    assert head == "A [False] axogen.config.pydotenv.variables"
    assert modules == str(
        [
            "axogen.config.pydotenv",
            "axogen.config.pydotenv.parser",
            "axogen.config.pydotenv.variables",
        ]
    )


def test_once_the_package_is_imported_its_modules_are_used() -> None:
    head, modules = run_probe("import dotenv")
    assert head == "A [False] dotenv.variables"
    assert "axogen.config.pydotenv.parser" not in modules
