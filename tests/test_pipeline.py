"""The pipeline as one owner: its stages in order, one combined failure report, one git
process for the secret policy, and no arrow from the core to the console or the CLI."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import axogen
from conftest import AXOGEN, build_tree, git_init, run_cli, snapshot, subprocess_env

SRC = Path(axogen.__file__).parent

TOKEN = "ghp_" + "q8Lw2ZrT5nKx0VbJ7" + "mYc4HdP1sFg9AeU6iRo3"

CONFIG = """\
import axogen as ax

config = ax.define_config(targets={
    "bad": ax.toml("bad.toml", {"a": {"b": None}}),
    "leak": ax.env("leak.env", {"GITHUB_TOKEN": SECRET}),
    "also-bad": ax.env("x.env", {"not a name": 1}),
    "fine": ax.json("fine.json", {"port": 8080}),
})
""".replace("SECRET", repr(TOKEN))


def test_render_failures_and_refused_secrets_are_reported_together(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_init(root)
    build_tree(root, {"axogen.config.py": CONFIG})
    before = snapshot(root)
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 1
    out = result.output
    assert "2 targets failed; nothing was written:" in out
    assert "target 'bad' (bad.toml): a.b: TOML has no null" in out
    assert "target 'also-bad' (x.env)" in out
    assert "and 1 secret value would be written to 1 file that git would commit" in out
    assert "target 'leak' (leak.env) would be committed by git:" in out
    assert "hint: add the file to .gitignore (leak.env)" in out
    assert TOKEN not in out
    assert snapshot(root) == before


def test_a_leak_alone_is_reported_as_before(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_init(root)
    build_tree(
        root, {"axogen.config.py": CONFIG.replace('"bad"', "# ").replace('"also-bad"', "# ")}
    )
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 1
    assert result.output.startswith("error: 1 secret value would be written to 1 file")
    assert "targets failed" not in result.output


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
@pytest.mark.parametrize("command", ["generate", "check"])
def test_one_git_process_per_run(tmp_path: Path, command: str) -> None:
    """Counted by the kernel: every program axogen and its children execute."""
    root = tmp_path / "repo"
    git_init(root)
    build_tree(
        root,
        {
            "axogen.config.py": """\
from pydantic import BaseModel, SecretStr
import axogen as ax

class Env(BaseModel):
    DB_PASSWORD: SecretStr

e = ax.load_env(Env)
config = ax.define_config(targets={
    f"t{i}": ax.env(f"svc{i}/.env", {"DB_PASSWORD": e.DB_PASSWORD, "PORT": i})
    for i in range(20)
})
""",
            ".env.axogen": "DB_PASSWORD=Tr0ub4dor-and-3-horses\n",
            ".gitignore": ".env.axogen\n*.env\n",
        },
    )
    trace = tmp_path / "trace"
    proc = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=execve", "-o", str(trace), str(AXOGEN), command],
        cwd=root,
        env=subprocess_env(AXOGEN_NO_CACHE="1"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    programs = re.findall(r'execve\("([^"]+)"', trace.read_text())
    gits = [p for p in programs if Path(p).name == "git"]
    # generate asks git once about every secret file and env file; check (all 20 files
    # missing here) once, to tell which of them to commit (none: git ignores them)
    assert len(gits) == 1, programs


# the core computes and decides; only the rim (cli, commands, console) prints
CORE = ["generate", "secrets", "formats", "values.py", "pipeline.py", "events.py"]
RIM = ("axogen.console", "axogen.cli", "axogen.commands")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_core_imports_nothing_of_the_console_or_the_cli() -> None:
    files = []
    for part in CORE:
        files += [SRC / part] if part.endswith(".py") else sorted((SRC / part).glob("*.py"))
    assert len(files) > 20
    arrows = {
        f"{f.relative_to(SRC)} -> {name}"
        for f in files
        for name in _imports(f)
        if name.startswith(RIM)
    }
    # `from axogen import console` is an arrow too
    arrows |= {
        f"{f.relative_to(SRC)} -> axogen.console"
        for f in files
        if re.search(r"^\s*from axogen import [^\n]*\bconsole\b", f.read_text(), re.M)
    }
    assert arrows == set()


def test_the_pipeline_module_has_the_stages_in_order() -> None:
    text = (SRC / "pipeline.py").read_text(encoding="utf-8")
    stages = ["def load(", "def select(", "def plan(", "def guard(", "def fail_on(", "def write("]
    places = [text.index(s) for s in stages]
    assert places == sorted(places)


def test_a_key_holding_a_secret_never_shows_in_a_render_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_init(root)
    build_tree(
        root,
        {
            "axogen.config.py": f"import axogen as ax\nconfig = ax.define_config(targets={{"
            f"'k': ax.env('k.env', {{'my key ' + {TOKEN!r}: 1}})}})\n"
        },
    )
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 1
    assert "is not a valid variable name" in result.output
    assert TOKEN not in result.output and TOKEN[4:14] not in result.output


PAUSED_GC = """
import gc, weakref
from axogen.pipeline import paused_gc

class Node:
    pass

def cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)

with paused_gc():
    first = cycle()
gc.collect()
print("after the run:", "kept" if first() is not None else "freed")
with paused_gc():
    print("in the next run:", "kept" if first() is not None else "freed")
print("collects again:", gc.isenabled())
"""


def test_a_run_sets_its_heap_aside_and_the_next_run_frees_it(tmp_path: Path) -> None:
    # paused_gc freezes what a run made (no collection walks it afterwards); a second run in
    # the same process (watch) collects the first one's cycles before it starts
    done = subprocess.run(
        [sys.executable, "-c", PAUSED_GC],
        cwd=tmp_path,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.splitlines() == [
        "after the run: kept",
        "in the next run: freed",
        "collects again: True",
    ]
