"""Profiles: .env.axogen, then .env.axogen.NAME, then .env.axogen.local, then the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import build_tree, run_cli, run_proc, subprocess_env

CONFIG = """\
from pydantic import BaseModel, SecretStr
import axogen as ax

class Env(BaseModel):
    NODE_ENV: str = "development"
    DB_HOST: str = "localhost"
    DB_PORT: int = 5432
    API_KEY: SecretStr = SecretStr("")

e = ax.load_env(Env)
config = ax.define_config(targets={
    "out": ax.json("out.json", {"env": e.NODE_ENV, "host": e.DB_HOST, "port": e.DB_PORT}),
})
"""


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_tree(
        tmp_path / "p",
        {
            "axogen.config.py": CONFIG,
            ".env.axogen": "NODE_ENV=development\nDB_HOST=base-host\nDB_PORT=1111\n",
            ".env.axogen.staging": "NODE_ENV=staging\nDB_HOST=staging-host\n",
            ".env.axogen.production": "NODE_ENV=production\n",
        },
    )
    monkeypatch.chdir(root)
    return root


def out(root: Path) -> dict[str, object]:
    return json.loads((root / "out.json").read_text())  # type: ignore[no-any-return]


def test_without_a_profile_only_the_base_file_is_read(proj: Path) -> None:
    assert run_cli("generate").exit_code == 0
    assert out(proj) == {"env": "development", "host": "base-host", "port": 1111}


def test_profile_file_overrides_the_base_file(proj: Path) -> None:
    result = run_cli("--profile", "staging", "generate")
    assert result.exit_code == 0, result.output
    assert out(proj) == {"env": "staging", "host": "staging-host", "port": 1111}


def test_local_file_overrides_the_profile_and_the_environment_overrides_all(proj: Path) -> None:
    (proj / ".env.axogen.local").write_text("DB_HOST=local-host\nDB_PORT=2222\n")
    assert run_cli("-p", "staging", "generate").exit_code == 0
    assert out(proj) == {"env": "staging", "host": "local-host", "port": 2222}
    assert run_cli("-p", "staging", "generate", env={"DB_PORT": "3333"}).exit_code == 0
    assert out(proj) == {"env": "staging", "host": "local-host", "port": 3333}


def test_profile_from_the_environment_variable(proj: Path) -> None:
    result = run_proc(["generate"], cwd=proj, env=subprocess_env(AXOGEN_PROFILE="production"))
    assert result.exit_code == 0, result.stderr
    assert out(proj)["env"] == "production"


def test_unknown_profile_is_an_error_listing_the_known_ones(proj: Path) -> None:
    result = run_cli("--profile", "prod", "generate")
    assert result.exit_code == 1
    assert "profile 'prod': .env.axogen.prod does not exist" in result.stderr
    assert "profiles found: production, staging" in result.stderr
    assert not (proj / "out.json").exists()


def test_invalid_profile_name(proj: Path) -> None:
    result = run_cli("--profile", "../x", "generate")
    assert result.exit_code == 1
    assert "invalid profile name '../x'" in result.stderr


def test_list_env_shows_each_layer_and_masks_secrets(proj: Path) -> None:
    secret = "sk_live_" + "Zq8" * 10
    (proj / ".env.axogen.local").write_text(f"API_KEY={secret}\n")
    result = run_cli("-p", "staging", "list", "--env", env={"DB_PORT": "4444"})
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert rows["NODE_ENV"].split()[1:] == ["staging", ".env.axogen.staging:1"]
    assert rows["DB_HOST"].split()[1:] == ["staging-host", ".env.axogen.staging:2"]
    assert rows["DB_PORT"].split()[1:] == ["4444", "the", "environment"]
    assert rows["API_KEY"].endswith(".env.axogen.local:1")
    assert secret not in result.output
    assert secret[10:20] not in result.output


def test_list_env_line_numbers_skip_comments_and_blank_lines(proj: Path) -> None:
    (proj / ".env.axogen").write_text("# comment\n\nNODE_ENV=test\n\n\nDB_HOST=h\n")
    result = run_cli("list", "--env")
    rows = {line.split()[0]: line.split()[-1] for line in result.stdout.splitlines()}
    assert rows["NODE_ENV"] == ".env.axogen:3"
    assert rows["DB_HOST"] == ".env.axogen:6"
    assert rows["DB_PORT"] == "default"
