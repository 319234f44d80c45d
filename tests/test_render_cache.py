"""The render cache: a run with nothing changed renders nothing; any change re-renders.

Every run here is the real CLI, in-process, with `-v`, whose report says how many targets
were rendered and how many the cache vouched for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import build_tree, run_cli


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
