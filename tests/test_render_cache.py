"""The render cache: a run with nothing changed renders nothing; any change re-renders.

Every run here is the real CLI, in-process, with `-v`, whose report says how many targets
were rendered and how many the cache vouched for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import build_tree, git_init, run_cli, run_proc, subprocess_env


def generate(*args: str) -> tuple[int, int, str]:
    """Run `axogen -v generate`; (targets rendered, targets the cache vouched for, stdout)."""
    result = run_cli("-v", "generate", *args)
    assert result.exit_code == 0, result.stderr
    m = re.search(r"\((\d+) rendered, (\d+) known unchanged\)", result.stderr)
    assert m is not None, result.stderr
    return int(m[1]), int(m[2]), result.stdout


CONFIG = """\
import os

import axogen as ax

port = int(os.environ.get("PORT", "8080"))
config = ax.define_config(targets={
    "json": ax.json("out/app.json", {"port": port}),
    "env": ax.env("out/.env", {"PORT": port}),
    "jinja": ax.template("out/app.conf", {"port": port}, template="tpl/app.conf.j2"),
    "mustache": ax.template(
        "out/m.txt", {"port": port}, template="tpl/m.mustache", engine="mustache"
    ),
    "handlebars": ax.template(
        "out/h.txt", {"port": port}, template="tpl/h.hbs", engine="handlebars"
    ),
})
"""

FILES = {
    "axogen.config.py": CONFIG,
    "tpl/app.conf.j2": "{% include 'head.j2' %}\nport={{ port }}\n",
    "tpl/head.j2": "# app",
    "tpl/m.mustache": "{{> part}}port={{port}}\n",
    "tpl/part.mustache": "# m\n",
    "tpl/h.hbs": "{{> part}}port={{port}}\n",
    "tpl/part.hbs": "# h\n",
}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(build_tree(tmp_path, FILES))
    return tmp_path


def test_nothing_changed_renders_nothing_templates_included(root: Path) -> None:
    assert generate()[:2] == (5, 0)
    assert generate()[:2] == (0, 5)
    assert (root / "out/app.conf").read_text() == "# app\nport=8080\n"


def test_a_changed_value_re_renders_what_uses_it(root: Path) -> None:
    generate()
    os.environ["PORT"] = "9090"
    try:
        rendered, cached, _ = generate()
    finally:
        del os.environ["PORT"]
    assert (rendered, cached) == (5, 0)
    assert (root / "out/app.json").read_text() == '{\n  "port": 9090\n}\n'


@pytest.mark.parametrize(
    ("edited", "text", "target", "expected"),
    [
        ("tpl/app.conf.j2", "port={{ port }} (main)\n", "out/app.conf", "port=8080 (main)\n"),
        ("tpl/head.j2", "# app, edited", "out/app.conf", "# app, edited\nport=8080\n"),
        ("tpl/part.mustache", "# m, edited\n", "out/m.txt", "# m, edited\nport=8080\n"),
        ("tpl/part.hbs", "# h, edited\n", "out/h.txt", "# h, edited\nport=8080\n"),
    ],
)
def test_an_edited_template_include_or_partial_re_renders(
    root: Path, edited: str, text: str, target: str, expected: str
) -> None:
    generate()
    (root / edited).write_text(text)
    rendered, cached, stdout = generate()
    assert rendered >= 1 and cached >= 2  # json and env stay vouched for
    assert (root / target).read_text() == expected
    assert f"updated   {target}" in stdout


def test_an_output_edited_by_hand_is_rendered_and_restored(root: Path) -> None:
    generate()
    (root / "out/app.conf").write_text("hand edit, longer than before\n")
    rendered, cached, stdout = generate()
    assert (rendered, cached) == (1, 4)
    assert (root / "out/app.conf").read_text() == "# app\nport=8080\n"
    assert "updated   out/app.conf (jinja)" in stdout


def test_a_deleted_include_is_an_error_not_a_cache_hit(root: Path) -> None:
    generate()
    (root / "tpl/head.j2").unlink()
    result = run_cli("generate")
    assert result.exit_code == 1
    assert "included template 'head.j2' not found" in result.stderr


def test_no_cache_renders_everything(root: Path) -> None:
    generate()
    os.environ["AXOGEN_NO_CACHE"] = "1"
    try:
        assert generate()[:2] == (5, 0)
    finally:
        del os.environ["AXOGEN_NO_CACHE"]


# two targets of each engine, each with a template and includes of its own
OWN_FILES_CONFIG = """\
import axogen as ax

config = ax.define_config(targets={
    "a": ax.template("out/a.txt", {"port": 1}, template="tpl/a.j2"),
    "b": ax.template("out/b.txt", {"port": 2}, template="tpl/b.j2"),
    "c": ax.template("out/c.txt", {"port": 3}, template="tpl/c.mustache", engine="mustache"),
    "d": ax.template("out/d.txt", {"port": 4}, template="tpl/d.mustache", engine="mustache"),
    "e": ax.template("out/e.txt", {"port": 5}, template="tpl/e.hbs", engine="handlebars"),
    "f": ax.template("out/f.txt", {"port": 6}, template="tpl/f.hbs", engine="handlebars"),
})
"""

OWN_FILES = {
    "axogen.config.py": OWN_FILES_CONFIG,
    # a: extends a base, includes a header, imports a macro
    "tpl/a.j2": "{% extends 'a_base.j2' %}{% block body %}{{ m.port(port) }}{% endblock %}",
    "tpl/a_base.j2": "{% import 'a_macros.j2' as m %}{% include 'a_head.j2' %}\n"
    "{% block body %}{% endblock %}\n",
    "tpl/a_head.j2": "# a",
    "tpl/a_macros.j2": "{% macro port(p) %}port={{ p }}{% endmacro %}",
    "tpl/b.j2": "{% include 'b_head.j2' %}\nport={{ port }}\n",
    "tpl/b_head.j2": "# b",
    "tpl/c.mustache": "{{> c_part}}port={{port}}\n",
    "tpl/c_part.mustache": "# c\n",
    "tpl/d.mustache": "{{> d_part}}port={{port}}\n",
    "tpl/d_part.mustache": "# d\n",
    "tpl/e.hbs": "{{> e_part}}port={{port}}\n",
    "tpl/e_part.hbs": "# e\n",
    "tpl/f.hbs": "{{> f_part}}port={{port}}\n",
    "tpl/f_part.hbs": "# f\n",
}

OWN_INPUTS = {
    "a": ["a.j2", "a_base.j2", "a_head.j2", "a_macros.j2"],
    "b": ["b.j2", "b_head.j2"],
    "c": ["c.mustache", "c_part.mustache"],
    "d": ["d.mustache", "d_part.mustache"],
    "e": ["e.hbs", "e_part.hbs"],
    "f": ["f.hbs", "f_part.hbs"],
}


def recorded_inputs(root: Path) -> dict[str, list[str]]:
    """Each target's template files as the render cache on disk records them."""
    import json

    (file,) = Path(os.environ["AXOGEN_CACHE_DIR"]).glob("*.json")
    entries = json.loads(file.read_text())["entries"]
    tpl = str(root / "tpl") + os.sep
    out = {}
    for name, entry in entries.items():
        paths = [item[0] for item in entry[6]] if len(entry) > 6 else []
        assert all(p.startswith(tpl) for p in paths), paths
        out[name] = [p[len(tpl) :] for p in paths]
    return out


@pytest.fixture
def own_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(build_tree(tmp_path, OWN_FILES))
    return tmp_path


def test_each_template_target_records_only_the_files_its_render_read(own_files: Path) -> None:
    assert generate()[:2] == (6, 0)
    assert recorded_inputs(own_files) == OWN_INPUTS
    assert (own_files / "out/a.txt").read_text() == "# a\nport=1\n"
    # a run that rendered nothing keeps them; one that renders again records the same
    assert generate()[:2] == (0, 6)
    (own_files / "out/b.txt").write_text("edited by hand\n")
    assert generate()[:2] == (1, 5)
    assert recorded_inputs(own_files) == OWN_INPUTS


@pytest.mark.parametrize(
    ("edited", "old", "new", "target"),
    [
        ("tpl/a_head.j2", "# a", "# A", "a"),
        ("tpl/a_macros.j2", "port=", "port: ", "a"),
        ("tpl/a_base.j2", "\n{% block", "\n\n{% block", "a"),
        ("tpl/b_head.j2", "# b", "# B", "b"),
        ("tpl/c_part.mustache", "# c", "# C", "c"),
        ("tpl/d_part.mustache", "# d", "# D", "d"),
        ("tpl/e_part.hbs", "# e", "# E", "e"),
        ("tpl/f_part.hbs", "# f", "# F", "f"),
    ],
)
def test_an_edited_include_re_renders_only_the_target_that_reads_it(
    own_files: Path, edited: str, old: str, new: str, target: str
) -> None:
    generate()
    file = own_files / edited
    file.write_text(file.read_text().replace(old, new))
    rendered, cached, stdout = generate()
    assert (rendered, cached) == (1, 5), stdout
    assert [line.split()[1] for line in stdout.splitlines() if line.startswith("updated")] == [
        f"out/{target}.txt"
    ]


# enough targets for a second process to render half of them (generate.fork.MIN_ITEMS)
BIG_CONFIG = """\
from pydantic import SecretStr

import axogen as ax

targets = {}
for i in range(450):
    values = {"PORT": 8000 + i, "NAME": f"svc{i}", "DB": {"POOL": [1, i % 5]}}
    if i % 3 == 0:
        values["PASSWORD"] = SecretStr(f"s3cret-value-number-{i:04d}")
    if i % 7 == 0:
        values["TOKEN"] = ax.unsafe("ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "a fixture")
    if i % 50 == 0:
        targets[f"tpl{i}"] = ax.template(f"out/t{i}/app.conf", values, template="app.conf.j2")
    targets[f"t{i}"] = ax.json(f"out/s{i}/c.json", values) if i % 2 else ax.env(
        f"out/s{i}/.env", values
    )
config = ax.define_config(targets=targets)
"""


def _cache_entries(cache: Path) -> dict[str, list[object]]:
    import json

    (file,) = cache.iterdir()
    entries: dict[str, list[object]] = json.loads(file.read_bytes())["entries"]
    # whether it has a fingerprint, the findings and whether template files are listed; not
    # the fingerprint (salted with the config's path), nor the identity of the files
    return {
        name: [len(str(entry[0])) == 32, entry[5], len(entry)] for name, entry in entries.items()
    }


def test_a_plan_rendered_by_two_processes_writes_and_caches_what_one_does(
    tmp_path: Path,
) -> None:
    import sys

    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        pytest.skip("a second process renders only on Linux with two or more CPUs")
    trees = {}
    for kind, extra in (("two", {}), ("one", {"AXOGEN_NO_PARALLEL": "1"})):
        root = build_tree(
            tmp_path / kind,
            {
                "axogen.config.py": BIG_CONFIG,
                "app.conf.j2": "port={{ PORT }} name={{ NAME }}\n",
                ".gitignore": "out/\n",
            },
        )
        git_init(root)
        env = subprocess_env(AXOGEN_CACHE_DIR=str(tmp_path / f"cache-{kind}"), **extra)
        first = run_proc(["-v", "generate"], cwd=root, env=env)
        assert first.exit_code == 0, first.stderr
        assert "(459 rendered, 0 known unchanged)" in first.stderr
        again = run_proc(["-v", "generate"], cwd=root, env=env)
        assert "(0 rendered, 459 known unchanged)" in again.stderr, again.stderr
        files = {}
        for path in sorted((root / "out").rglob("*")):
            if path.is_file():
                files[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mode)
        trees[kind] = (files, _cache_entries(tmp_path / f"cache-{kind}"))
    assert len(trees["two"][0]) == 459
    assert trees["two"] == trees["one"]
    # secret files are private and their findings are cached, in both
    assert trees["two"][0]["out/s0/.env"][1] & 0o777 == 0o600
    assert trees["two"][1]["t0"][1]
