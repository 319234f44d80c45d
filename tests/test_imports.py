"""`import axogen` and `axogen --version` stay light: no pydantic, PyYAML, dotenv or tomli-w."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import subprocess_env

HEAVY = ("pydantic", "pydantic_core", "yaml", "dotenv", "tomli_w")

REPORT = f"""
import json, sys
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""


def python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def loaded(code: str, cwd: Path) -> list[str]:
    done = python(code + REPORT, cwd)
    assert done.returncode == 0, done.stderr
    result: list[str] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.mark.parametrize(
    "code",
    [
        "import axogen",
        "import axogen; axogen.__version__",
        "import axogen.cli",
        "import axogen, axogen.errors; axogen.AxogenError",
    ],
)
def test_import_is_light(tmp_path: Path, code: str) -> None:
    assert loaded(code, tmp_path) == []


def test_the_check_can_fail(tmp_path: Path) -> None:
    # the probe does see heavy imports when they happen: here, running a config that reads
    # a YAML file
    (tmp_path / "data.yaml").write_text("a: 1\n")
    (tmp_path / "axogen.config.py").write_text(
        "import axogen as ax\n"
        "config = ax.define_config(targets={'a': ax.toml('a.toml', ax.load_file('data.yaml'))})\n"
    )
    code = "from axogen.cli import main\ntry:\n    main(['-q', 'generate'])\nexcept SystemExit:\n    pass\n"
    assert "yaml" in loaded(code, tmp_path)
    assert (tmp_path / "a.toml").read_text().endswith("a = 1\n")
    assert loaded("import axogen; axogen.load_env", tmp_path) == []
    assert loaded("import axogen, dotenv, tomli_w", tmp_path) == ["dotenv", "tomli_w"]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["generate", "--help"]])
def test_cli_without_running_a_command_is_light(tmp_path: Path, args: list[str]) -> None:
    # a config that would import everything: it must not run
    (tmp_path / "axogen.config.py").write_text("import pydantic, yaml, dotenv, tomli_w\n")
    code = (
        "import sys\n"
        "from axogen.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as e:\n"
        "    assert e.code in (0, None), e.code\n"
    )
    assert loaded(code, tmp_path) == []


def test_version_in_a_real_process_imports_nothing_heavy(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "axogen", "--version"],
        cwd=tmp_path,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("axogen ")
    imported = {
        m.group(1).strip().split(".")[0]
        for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|(.*)$", done.stderr, re.MULTILINE)
    }
    assert "axogen" in imported and "click" not in imported  # answered before the CLI loads
    assert imported.isdisjoint(HEAVY)


def test_the_user_commands_package_does_not_depend_on_the_cli() -> None:
    # the arrow points one way: the CLI (axogen.cli, axogen.commands) uses the package,
    # never the reverse; lazy and TYPE_CHECKING imports count too
    import ast

    import axogen.usercommands

    package = Path(axogen.usercommands.__file__).parent
    found = []
    for module in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            else:
                continue
            found += [
                f"{module.name}:{node.lineno} {name}"
                for name in names
                if name.split(".")[:2] in (["axogen", "cli"], ["axogen", "commands"])
            ]
    assert found == []


def test_the_cli_options_record_is_the_neutral_one() -> None:
    from axogen.commands import Options as CliOptions
    from axogen.options import Options

    assert CliOptions is Options
