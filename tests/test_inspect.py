"""Inspection in a fresh checkout: list, list --env, schema, the listing of commands, help
and completion work without the env values; generate and running a command stay strict."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import AXOGEN, build_tree, run_proc, subprocess_env

CONFIG = """\
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

import axogen as ax


class Env(BaseModel):
    NODE_ENV: Literal["development", "production"] = "development"
    DB_PORT: int = 5432
    DB_PASSWORD: SecretStr
    JWT_SECRET: SecretStr = Field(min_length=32)


e = ax.load_env(Env)
url = f"postgres://app:{e.DB_PASSWORD.get_secret_value()}@db:{e.DB_PORT}/app"
config = ax.define_config(
    targets={
        "app": ax.env("app.env", {"DATABASE_URL": url, "JWT": e.JWT_SECRET}),
        "k8s": ax.yaml("k8s.yaml", {"env": e.NODE_ENV}, condition=e.NODE_ENV == "production"),
    },
    commands={
        "hello": ax.cmd(help="Say hello.", command="echo hello"),
        "migrate": ax.cmd(exec=lambda ctx: print("migrating"), help="Migrate."),
    },
)
"""

WARNING = (
    "warning: 2 environment values are missing, invalid or not opened (DB_PASSWORD, "
    "JWT_SECRET): shown without them; `axogen generate` needs them (set in .env.axogen or "
    "the environment; `axogen list --env` shows each)\n"
)


def _fresh(tmp_path: Path, env_text: str = "JWT_SECRET=short\n") -> Path:
    return build_tree(tmp_path, {"axogen.config.py": CONFIG, ".env.axogen": env_text})


def test_list_works_and_names_what_is_missing(tmp_path: Path) -> None:
    root = _fresh(tmp_path)

    result = run_proc(["list"], cwd=root)

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "targets:\n"
        "  app  env   app.env\n"
        "  k8s  yaml  k8s.yaml  (skipped: condition is false)\n"
        "commands:\n"
        "  hello    Say hello.\n"
        "  migrate  Migrate.\n"
    )
    assert result.stderr == WARNING


def test_list_env_marks_missing_and_invalid_values(tmp_path: Path) -> None:
    root = _fresh(tmp_path)

    result = run_proc(["list", "--env"], cwd=root)

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "NODE_ENV     development  default\n"
        "DB_PORT      5432         default\n"
        "DB_PASSWORD  (missing)    set it in .env.axogen, or export DB_PASSWORD\n"
        "JWT_SECRET   (invalid)    .env.axogen:1: Value should have at least 32 characters\n"
    )
    assert result.stderr == WARNING
    assert "short" not in result.output


def test_a_value_from_the_environment_counts(tmp_path: Path) -> None:
    root = _fresh(tmp_path, "JWT_SECRET=" + "j" * 40 + "\n")

    result = run_proc(
        ["list", "--env"], cwd=root, env=subprocess_env(DB_PASSWORD="pw-from-env-123")
    )

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "DB_PASSWORD  …(15 chars)" in result.stdout


def test_schema_and_the_run_listing_work(tmp_path: Path) -> None:
    root = _fresh(tmp_path)

    schema = run_proc(["schema"], cwd=root)
    assert schema.exit_code == 0, schema.output
    assert json.loads(schema.stdout)["required"] == ["DB_PASSWORD", "JWT_SECRET"]

    listing = run_proc(["run"], cwd=root)
    assert listing.exit_code == 0, listing.output
    assert "  hello    Say hello.\n" in listing.stdout
    assert listing.stderr == WARNING

    helped = run_proc(["run", "hello", "--help"], cwd=root)
    assert helped.exit_code == 0, helped.output
    assert "Say hello." in helped.stdout


def test_completion_of_run_lists_the_commands(tmp_path: Path) -> None:
    root = _fresh(tmp_path)
    env = subprocess_env(_AXOGEN_COMPLETE="bash_complete", COMP_WORDS="axogen run ", COMP_CWORD="2")

    proc = subprocess.run(
        [str(AXOGEN)], cwd=root, env=env, capture_output=True, text=True, check=False
    )

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["plain,hello", "plain,migrate"]


def test_generate_check_and_running_a_command_stay_strict(tmp_path: Path) -> None:
    root = _fresh(tmp_path)
    expected = (
        "error: 2 invalid environment values for Env:\n"
        "  - DB_PASSWORD: required, but not set in .env.axogen or the environment\n"
        "  - JWT_SECRET: Value should have at least 32 characters (from .env.axogen:1)\n"
        "  (raised at axogen.config.py:15)\n"
        "  hint: set them in .env.axogen or in the environment\n"
    )
    for argv in (["generate"], ["check"], ["run", "hello"], ["run", "migrate"]):
        result = run_proc(argv, cwd=root)
        assert result.exit_code == 1, (argv, result.output)
        assert result.stderr == expected, argv
        assert result.stdout == "", argv
    assert not (root / "app.env").exists()


def test_without_the_key_list_env_says_not_opened(tmp_path: Path) -> None:
    root = _fresh(tmp_path, "DB_PASSWORD=pw-Secret-1234\nJWT_SECRET=" + "j" * 40 + "\n")
    assert run_proc(["env", "encrypt"], cwd=root).exit_code == 0
    (root / ".env.keys").unlink()

    result = run_proc(["list", "--env"], cwd=root)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2].split() == ["DB_PASSWORD", "(not", "opened)", ".env.axogen:8"]
    assert lines[3].split() == ["JWT_SECRET", "(not", "opened)", ".env.axogen:9"]
    assert "the private key DOTENV_PRIVATE_KEY_AXOGEN is neither" in result.stderr
    assert "hint: ask a teammate for the key" in result.stderr
    assert run_proc(["generate"], cwd=root).exit_code == 1


def test_every_kind_of_missing_field_gets_an_empty_value_of_its_type(tmp_path: Path) -> None:
    config = """\
import enum
from typing import Literal

from pydantic import BaseModel, SecretBytes

import axogen as ax


class Color(enum.Enum):
    RED = "red"


class Env(BaseModel):
    COUNT: int
    RATIO: float
    ON: bool
    NAME: str
    MODE: Literal["a", "b"]
    COLOR: Color
    HOSTS: list[str]
    LABELS: dict[str, str]
    MAYBE: int | None
    KEY: SecretBytes


e = ax.load_env(Env)
assert (e.COUNT, e.RATIO, e.ON, e.NAME, e.MODE, e.COLOR) == (0, 0.0, False, "", "a", Color.RED)
assert (e.HOSTS, e.LABELS, e.MAYBE, e.KEY.get_secret_value()) == ([], {}, None, b"")
config = ax.define_config(targets={"x": ax.json("x.json", {"n": e.COUNT + 1})})
"""
    build_tree(tmp_path, {"axogen.config.py": config})

    result = run_proc(["list", "--env"], cwd=tmp_path)

    assert result.exit_code == 0, result.output
    assert result.stdout.count("(missing)") == 10
    assert run_proc(["generate"], cwd=tmp_path).exit_code == 1
