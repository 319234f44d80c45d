"""`axogen env init` and the one example file: the first day in a fresh checkout, in real
processes (and on a real pseudo-terminal for the questions)."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dotenv import dotenv_values

from conftest import AXOGEN, build_tree, git_init, run_proc, subprocess_env

EXAMPLE = Path(__file__).parents[1] / "examples" / "microservices"

CONFIG = """\
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

import axogen as ax


class Env(BaseModel):
    MODE: Literal["dev", "prod"] = "dev"
    PORT: int = Field(8000, ge=1, le=65535)
    DB_PASSWORD: SecretStr = Field(description="Postgres password.")
    JWT_SECRET: SecretStr = Field(min_length=48, max_length=50)
    HEX_KEY: SecretStr = Field(min_length=40, max_length=40)
    API_KEY: SecretStr = Field(description="Issued by the provider.", json_schema_extra={"generate": False})
    SERVICE_NAME: str


e = ax.load_env(Env)
config = ax.define_config(
    targets={
        "app": ax.env("app.env", {"PORT": e.PORT, "JWT": e.JWT_SECRET, "KEY": e.API_KEY,
                                  "DB": e.DB_PASSWORD, "NAME": e.SERVICE_NAME}),
        "example": ax.env_example(".env.example", schema=Env),
    }
)
"""


def _project(tmp_path: Path) -> Path:
    build_tree(tmp_path, {"axogen.config.py": CONFIG, ".gitignore": ".env.axogen\napp.env\n"})
    git_init(tmp_path)
    return tmp_path


def test_without_a_terminal_init_generates_secrets_and_lists_the_rest(tmp_path: Path) -> None:
    root = _project(tmp_path)

    result = run_proc(["env", "init"], cwd=root)

    assert result.exit_code == 0, result.output
    assert result.stdout == ("created   .env.axogen (3 generated, 2 default, 2 missing)\n")
    assert result.stderr == (
        "warning: 2 values still to set before `axogen generate` works:\n"
        "  - API_KEY (required, secret): `axogen env set --plain API_KEY` (a hidden prompt), "
        "or edit .env.axogen\n"
        "  - SERVICE_NAME (required): `axogen env set --plain SERVICE_NAME` VALUE, or edit "
        ".env.axogen\n"
    )
    env_file = root / ".env.axogen"
    assert env_file.stat().st_mode & 0o777 == 0o600
    values = dotenv_values(env_file)
    assert set(values) == {"DB_PASSWORD", "JWT_SECRET", "HEX_KEY"}
    assert 48 <= len(values["JWT_SECRET"] or "") <= 50
    assert len(values["HEX_KEY"] or "") == 40
    assert len(values["DB_PASSWORD"] or "") >= 32
    assert len(set(values.values())) == 3  # each its own random value
    text = env_file.read_text()
    assert "# MODE=dev\n" in text and "# PORT=8000\n" in text
    assert "# API_KEY=  (required, secret: set it)\n" in text
    # no generated secret is ever printed
    for value in values.values():
        assert value is not None and value not in result.output

    # what is missing stops generate, naming it; once set, generate works
    refused = run_proc(["generate"], cwd=root)
    assert refused.exit_code == 1
    assert "API_KEY: required, but not set in .env.axogen" in refused.stderr
    for key, value in (("API_KEY", "prov-key-123"), ("SERVICE_NAME", "api")):
        setting = subprocess.run(
            [str(AXOGEN), "env", "set", "--plain", key],
            cwd=root,
            input=value + "\n",
            env=subprocess_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert setting.returncode == 0, setting.stderr
    generated = run_proc(["generate"], cwd=root)
    assert generated.exit_code == 0, generated.output
    app = dotenv_values(root / "app.env")
    assert app["JWT"] == values["JWT_SECRET"] and app["NAME"] == "api"


def test_init_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / ".env.axogen").write_text("SERVICE_NAME=mine\n")

    refused = run_proc(["env", "init"], cwd=root)

    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: .env.axogen exists; axogen env init never replaces it\n"
        "  hint: `axogen env set KEY` changes one value; --force writes a new file in its place\n"
    )
    assert (root / ".env.axogen").read_text() == "SERVICE_NAME=mine\n"
    forced = run_proc(["env", "init", "--force", "--no-input"], cwd=root)
    assert forced.exit_code == 0, forced.output
    assert "SERVICE_NAME=mine" not in (root / ".env.axogen").read_text()
    assert (root / ".env.axogen").stat().st_mode & 0o777 == 0o600


def test_init_warns_when_git_would_commit_the_file(tmp_path: Path) -> None:
    build_tree(tmp_path, {"axogen.config.py": CONFIG})
    git_init(tmp_path)

    result = run_proc(["env", "init", "-f", "local.env"], cwd=tmp_path)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("created   local.env (")
    assert (
        "warning: git would commit local.env, which holds secrets: add it to .gitignore, or "
        "encrypt its secrets before committing (`axogen env encrypt`)\n" in result.stderr
    )


def _on_a_terminal(argv: list[str], cwd: Path, answers: list[bytes]) -> tuple[int, str]:
    """Run `argv` on a real pseudo-terminal, answering each prompt (a line ending in ':')."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(subprocess_env())
        os.execv(argv[0], argv)
    seen, pending = b"", list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
        if pending and seen.rstrip().endswith(b":"):
            os.write(fd, pending.pop(0))
            seen += b"\n"
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_on_a_terminal_init_asks_hidden_validates_and_generate_works(tmp_path: Path) -> None:
    root = _project(tmp_path)

    code, screen = _on_a_terminal(
        [str(AXOGEN), "env", "init"],
        root,
        # API_KEY (hidden), then SERVICE_NAME: first too... nothing invalid for str, so
        # an empty answer would skip; both answered
        [b"prov-Secret-Key-77\r", b"billing\r"],
    )

    assert code == 0, screen
    assert "API_KEY: Issued by the provider." in screen
    assert "API_KEY (required, secret):" in screen
    assert "SERVICE_NAME (required):" in screen
    assert "prov-Secret-Key-77" not in screen  # hidden input is not echoed
    assert "billing" in screen  # plain input is
    assert "2 entered" in screen and "next: `axogen generate`" in screen
    values = dotenv_values(root / ".env.axogen")
    assert values["API_KEY"] == "prov-Secret-Key-77" and values["SERVICE_NAME"] == "billing"
    generated = run_proc(["generate"], cwd=root)
    assert generated.exit_code == 0, generated.output


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_on_a_terminal_an_invalid_answer_is_asked_again(tmp_path: Path) -> None:
    config = CONFIG.replace(
        "    SERVICE_NAME: str\n", "    SERVICE_NAME: str\n    WORKERS: int = Field(ge=1)\n"
    )
    build_tree(tmp_path, {"axogen.config.py": config, ".gitignore": ".env.axogen\n"})

    code, screen = _on_a_terminal(
        [str(AXOGEN), "env", "init"], tmp_path, [b"k\r", b"svc\r", b"zero\r", b"0\r", b"3\r"]
    )

    assert code == 0, screen
    assert "Input should be a valid integer" in screen
    assert "Input should be greater than or equal to 1" in screen
    assert dotenv_values(tmp_path / ".env.axogen")["WORKERS"] == "3"


def test_the_demo_day_one_without_the_key(tmp_path: Path) -> None:
    """A fresh copy of the demo without its .env.axogen: init, set the two Stripe values,
    generate; and a plain copy of the one example file loads too."""
    root = tmp_path / "ms"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".env.axogen", "*-service"))
    assert not (root / ".env.axogen.example").exists()  # one example file, generated

    made = run_proc(["env", "init"], cwd=root)
    assert made.exit_code == 0, made.output
    assert "STRIPE_SECRET_KEY" in made.stderr and "STRIPE_WEBHOOK_SECRET" in made.stderr
    assert "DB_PASSWORD" not in made.stderr and "JWT_SECRET" not in made.stderr
    env = subprocess_env(STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x")
    assert run_proc(["generate"], cwd=root, env=env).exit_code == 0

    (root / ".env.axogen").unlink()
    shutil.copy(root / ".env.example", root / ".env.axogen")
    copied = run_proc(["generate"], cwd=root)
    assert copied.exit_code == 0, copied.output


def test_an_axogen_init_project_example_is_no_trap(tmp_path: Path) -> None:
    assert run_proc(["init"], cwd=tmp_path).exit_code == 0
    assert run_proc(["generate"], cwd=tmp_path).exit_code == 0
    example = tmp_path / ".env.axogen.example"
    assert "axogen env init" in example.read_text()

    (tmp_path / ".env.axogen").unlink()
    made = run_proc(["env", "init"], cwd=tmp_path)
    assert made.exit_code == 0, made.output
    assert "still to set" not in made.stderr
    assert run_proc(["generate"], cwd=tmp_path).exit_code == 0

    shutil.copy(example, tmp_path / ".env.axogen")
    assert run_proc(["generate"], cwd=tmp_path).exit_code == 0
