"""Shared helpers: real project trees in tmp_path, and the CLI run in-process or as a subprocess."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from axogen.cli import main

# every variable a test config reads; a value left in the developer's shell must not leak in
ENV_NAMES = (
    "NODE_ENV",
    "DB_HOST",
    "DB_PORT",
    "DB_PASSWORD",
    "JWT_SECRET",
    "API_KEY",
    "REDIS_URL",
    "DEBUG",
    "TAGS",
    "NO_COLOR",
    "FORCE_COLOR",
    "AXOGEN_PROFILE",
)

AXOGEN = Path(sys.executable).with_name("axogen")

# `HYPOTHESIS_PROFILE=deep pytest` searches far longer than the default run
settings.register_profile("deep", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def build_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write `files` ({relative path: text}) under `root`; the text is dedented."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@dataclasses.dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """Run `axogen ARGS` in-process through the real entry point and its error boundary."""
    runner = CliRunner(catch_exceptions=False)
    with runner.isolation(env=env) as (out, err, _):
        try:
            main(list(args))
        except SystemExit as e:
            code = e.code
        else:  # pragma: no cover - main() always exits
            code = 0
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    if code is None:
        code = 0
    assert isinstance(code, int), code
    return Result(code, stdout, stderr)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The current environment without the variables test configs read, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def run_proc(
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    user: int | None = None,
) -> Result:
    """Run a real `axogen` (or any argv starting with "python") as a subprocess."""
    argv = [sys.executable, *args[1:]] if args[0] == "python" else [str(AXOGEN), *args]
    extra: dict[str, int] = {}
    if user is not None:
        extra = {"user": user, "group": user}
    proc = subprocess.run(
        argv,
        cwd=cwd,
        env=dict(env) if env is not None else subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **extra,  # type: ignore[arg-type]
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int, int]]:
    """Every file under `root` with its bytes, inode, mtime (ns) and mode."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            out[path.relative_to(root).as_posix()] = (
                path.read_bytes(),
                st.st_ino,
                st.st_mtime_ns,
                st.st_mode,
            )
    return out


@pytest.fixture(autouse=True)
def _clean_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    # each test gets its own render cache, outside the user's home
    monkeypatch.setenv("AXOGEN_CACHE_DIR", str(tmp_path_factory.mktemp("axogen-cache")))
    yield
    # `axogen --profile` sets it for the commands it runs; in-process runs must not leak it
    os.environ.pop("AXOGEN_PROFILE", None)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 200 KB tmpfs; a disk that fills up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root and mount(8) to mount a small tmpfs")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# a project in the spirit of DESIGN section 1: a validated env model and several targets
PROJECT_CONFIG = """\
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

import axogen as ax


class Env(BaseModel):
    NODE_ENV: Literal["development", "staging", "production"] = "development"
    DB_HOST: str = "localhost"
    DB_PORT: int = 5432
    DB_PASSWORD: SecretStr
    JWT_SECRET: SecretStr = Field(min_length=32)


e = ax.load_env(Env)

config = ax.define_config(
    targets={
        "auth-env": ax.env(
            path="auth/.env",
            variables={
                "DATABASE_URL": f"postgres://app:{e.DB_PASSWORD.get_secret_value()}@{e.DB_HOST}:{e.DB_PORT}/auth",
                "JWT_SECRET": e.JWT_SECRET,
                "NODE_ENV": e.NODE_ENV,
            },
        ),
        "settings": ax.json(
            path="config/settings.json",
            variables={"env": e.NODE_ENV, "db": {"host": e.DB_HOST, "port": e.DB_PORT}},
        ),
        "compose": ax.yaml(
            path="docker-compose.yml",
            variables={"services": {"db": {"image": "postgres:16", "ports": [f"{e.DB_PORT}:5432"]}}},
        ),
        "pyproject": ax.toml(
            path="tool.toml", variables={"tool": {"ratio": 3.0, "big": 2**62 + 1, "env": e.NODE_ENV}}
        ),
        "configmap": ax.yaml(
            path="k8s/configmap.yaml",
            variables={"data": {"NODE_ENV": e.NODE_ENV}},
            condition=e.NODE_ENV == "production",
        ),
    },
    commands={"dev": "docker compose up", "migrate": "alembic upgrade head"},
)
"""

DB_PASSWORD = "pw-Zq8vL2xR"
JWT_SECRET = "jwt-" + "K7mN3pQ9" * 4
PROJECT_ENV = f"DB_PASSWORD={DB_PASSWORD}\nJWT_SECRET={JWT_SECRET}\n"
# the env file and the generated file holding secrets are ignored, as in a real repository
PROJECT_GITIGNORE = ".env.axogen\nauth/.env\n"
GENERATED = ["auth/.env", "config/settings.json", "docker-compose.yml", "tool.toml"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the config above and its .env.axogen; the cwd is its root."""
    root = tmp_path / "proj"
    build_tree(
        root,
        {
            "axogen.config.py": PROJECT_CONFIG,
            ".env.axogen": PROJECT_ENV,
            ".gitignore": PROJECT_GITIGNORE,
        },
    )
    monkeypatch.chdir(root)
    return root
