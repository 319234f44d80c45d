"""Paths in messages are named from where the user stands, with -C DIR or a config found
in a parent folder: relative inside the current folder, absolute outside it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from axogen.paths import namer, shown
from conftest import build_tree, run_proc

CONFIG = """\
from pydantic import BaseModel

import axogen as ax


class Env(BaseModel):
    PORT: int = 8000


e = ax.load_env(Env)
config = ax.define_config(targets={"app": ax.env("out/app.env", {"PORT": e.PORT})})
"""


def test_with_dash_c_paths_are_relative_to_the_current_folder(tmp_path: Path) -> None:
    build_tree(tmp_path / "proj", {"axogen.config.py": CONFIG, ".env.axogen": "PORT=80\n"})

    generated = run_proc(["-C", "proj", "generate", "-v"], cwd=tmp_path)
    assert generated.exit_code == 0, generated.output
    assert generated.stdout.startswith("created   proj/out/app.env (app)\n")

    (tmp_path / "proj/.env.axogen").write_text("PORT=81\n")
    checked = run_proc(["-C", "proj", "check"], cwd=tmp_path)
    assert checked.stderr.startswith(
        "error: 1 generated file is out of date:\n  - proj/out/app.env (app): content differs\n"
    )

    (tmp_path / "proj/.env.axogen").write_text("PORT=eighty\n")
    failed = run_proc(["-C", "proj", "generate"], cwd=tmp_path)
    assert "(got 'eighty', from proj/.env.axogen:1)" in failed.stderr
    assert "(raised at proj/axogen.config.py:10)" in failed.stderr
    listed = run_proc(["-C", "proj", "list", "--env"], cwd=tmp_path)
    assert "proj/.env.axogen:1: Input should be a valid integer" in listed.stdout


def test_from_a_subfolder_paths_outside_it_are_absolute(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    build_tree(root, {"axogen.config.py": CONFIG, "docs/readme.txt": "x\n"})

    result = run_proc(["generate"], cwd=root / "docs")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"created   {root}/out/app.env (app)\n")
    inside = run_proc(["generate", "-v"], cwd=root)
    assert inside.stdout.startswith("unchanged out/app.env (app)\n")


def test_a_namer_names_every_path_as_shown_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "a" / "b"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    t = str(tmp_path)
    roots = [
        f"{t}/a/b",  # the start folder
        f"{t}/a/b/c",  # inside it
        f"{t}/a/./b/c/",  # the same, not normalised
        f"{t}/a",  # a parent: a path may lead back into the start folder
        t,
        "/",
        f"{t}/other",  # beside it
        f"/{t}/other",  # POSIX keeps a leading "//" apart
        "rel",  # relative roots are taken as given
        "../x",
    ]
    components = ["b", "c", ".", "..", "", ".env", "x y"]
    paths = [
        "/".join(parts) for n in (1, 2, 3) for parts in itertools.product(components, repeat=n)
    ] + [f"{t}/a/b/abs.json", "/elsewhere/f"]
    for root in roots:
        name = namer(root)
        for path in paths:
            assert name(path) == shown(path, root), (root, path)
