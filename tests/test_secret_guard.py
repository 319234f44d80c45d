"""The secret guard end to end, in real git repositories: block, allow, unsafe, modes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import build_tree, git_init, run_cli, snapshot

# built from parts so that no complete token sits in this file
GITHUB_TOKEN = "ghp_" + "q8Lw2ZrT5nKx0VbJ7" + "mYc4HdP1sFg9AeU6iRo3"
DB_PASSWORD = "Tr0ub4dor-" + "and-3-horses"

CONFIG = """\
from pydantic import BaseModel, SecretStr
import axogen as ax

class Env(BaseModel):
    DB_PASSWORD: SecretStr
    GITHUB_TOKEN: str

e = ax.load_env(Env)
config = ax.define_config(targets={
    "app": ax.env(PATH, {"DB_PASSWORD": e.DB_PASSWORD, "TOKENS": [e.GITHUB_TOKEN],
                         "URL": "https://example.com", "PORT": 8080}),
    "public": ax.json("public.json", {"name": "shop", "port": 8080}),
})
"""


def project(tmp_path: Path, path: str = "app.env", gitignore: str = "") -> Path:
    root = tmp_path / "repo"
    git_init(root)
    files = {
        "axogen.config.py": CONFIG.replace("PATH", repr(path)),
        ".env.axogen": f"DB_PASSWORD={DB_PASSWORD}\nGITHUB_TOKEN={GITHUB_TOKEN}\n",
        ".gitignore": ".env.axogen\n" + gitignore,
    }
    return build_tree(root, files)


def generate(root: Path, *args: str) -> tuple[int, str]:
    result = run_cli("-C", str(root), *args, "generate")
    return result.exit_code, result.output


def assert_no_secret(output: str) -> None:
    assert DB_PASSWORD not in output
    assert GITHUB_TOKEN not in output
    assert GITHUB_TOKEN[4:14] not in output


def test_blocked_when_the_file_would_be_committed(tmp_path: Path) -> None:
    root = project(tmp_path)
    before = snapshot(root)
    code, output = generate(root)
    assert code == 1
    assert "would be written to 1 file that git would commit; nothing was written" in output
    assert "target 'app' (app.env)" in output
    # every finding with its key path, kind and rule; a masked preview, never the value
    assert "DB_PASSWORD: declared secret [declared] …(22 chars)" in output
    assert "TOKENS[0]: GitHub" in output
    assert "ghp_…(41 chars)" in output
    assert "add the file to .gitignore (app.env)" in output
    assert_no_secret(output)
    # nothing written, not even the target without secrets
    assert snapshot(root) == before


def test_allowed_when_ignored_and_created_private(tmp_path: Path) -> None:
    root = project(tmp_path, gitignore="app.env\n")
    code, output = generate(root)
    assert code == 0, output
    assert_no_secret(output)
    assert os.stat(root / "app.env").st_mode & 0o777 == 0o600
    assert os.stat(root / "public.json").st_mode & 0o777 == 0o644 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_mode_is_never_loosened(tmp_path: Path) -> None:
    root = project(tmp_path, gitignore="app.env\n")
    (root / "app.env").write_text("OLD=1\n")
    os.chmod(root / "app.env", 0o640)
    assert generate(root)[0] == 0
    assert os.stat(root / "app.env").st_mode & 0o777 == 0o640


def test_blocked_when_tracked_even_if_ignored(tmp_path: Path) -> None:
    root = project(tmp_path, gitignore="app.env\n")
    (root / "app.env").write_text("OLD=1\n")
    subprocess.run(["git", "-C", str(root), "add", "-f", "app.env"], check=True)
    code, output = generate(root)
    assert code == 1
    assert "target 'app' (app.env) would be committed by git" in output
    assert (root / "app.env").read_text() == "OLD=1\n"


def test_allowed_with_unsafe_and_the_reason_is_shown_verbose(tmp_path: Path) -> None:
    root = project(tmp_path)
    config = (root / "axogen.config.py").read_text()
    config = config.replace(
        '"DB_PASSWORD": e.DB_PASSWORD, "TOKENS": [e.GITHUB_TOKEN]',
        '"DB_PASSWORD": ax.unsafe(e.DB_PASSWORD, "local throwaway database"), '
        '"TOKENS": ax.unsafe([e.GITHUB_TOKEN], "read-only demo token")',
    )
    (root / "axogen.config.py").write_text(config)
    result = run_cli("-C", str(root), "-v", "generate")
    assert result.exit_code == 0, result.output
    assert "allowed: local throwaway database" in result.output
    assert "allowed: read-only demo token" in result.output
    assert_no_secret(result.output)


def test_unsafe_needs_a_reason(tmp_path: Path) -> None:
    root = project(tmp_path, gitignore="app.env\n")
    config = (
        (root / "axogen.config.py")
        .read_text()
        .replace('"PORT": 8080}', '"PORT": ax.unsafe(8080, "  ")}')
    )
    (root / "axogen.config.py").write_text(config)
    code, output = generate(root)
    assert code == 1
    assert "non-empty reason is required" in output


def test_dry_run_reports_the_block_too(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run_cli("-C", str(root), "generate", "--dry-run")
    assert result.exit_code == 1
    assert_no_secret(result.output)


def test_shell_metacharacters_in_a_path_are_only_a_name(tmp_path: Path) -> None:
    path = "out/$(touch PWNED).env"
    root = project(tmp_path, path=path)
    code, output = generate(root)
    assert code == 1
    assert "out/$(touch PWNED).env" in output
    assert not (root / "PWNED").exists()
    assert not (root / "out/PWNED").exists()
    # ignored by a pattern: git sees the literal name, and the file is written under it
    (root / ".gitignore").write_text(".env.axogen\nout/\n")
    code, output = generate(root)
    assert code == 0, output
    assert (root / path).is_file()
    assert not (root / "PWNED").exists()


def test_outside_git_the_gitignore_files_decide(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path / "plain",
        {
            "axogen.config.py": CONFIG.replace("PATH", repr("secrets/app.env")),
            ".env.axogen": f"DB_PASSWORD={DB_PASSWORD}\nGITHUB_TOKEN={GITHUB_TOKEN}\n",
        },
    )
    assert generate(root)[0] == 1
    (root / "secrets").mkdir()
    (root / "secrets/.gitignore").write_text("*.env\n")
    code, output = generate(root)
    assert code == 0, output


def test_warning_when_env_axogen_is_not_ignored(tmp_path: Path) -> None:
    root = project(tmp_path, gitignore="app.env\n")
    (root / ".gitignore").write_text("app.env\n")
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 0
    assert "warning: .env.axogen holds your environment values but git does not ignore it" in (
        result.stderr
    )
    assert "    /.env.axogen" in result.stderr
    (root / ".gitignore").write_text("app.env\n/.env.axogen\n")
    result = run_cli("-C", str(root), "generate")
    assert "warning" not in result.stderr


@pytest.mark.parametrize("quiet", [True, False])
def test_secrets_never_printed_by_any_command(tmp_path: Path, quiet: bool) -> None:
    root = project(tmp_path, gitignore="app.env\n")
    (root / "app.env").write_text("DB_PASSWORD=old-password-value-123\n")
    outputs = []
    for args in (["diff"], ["check"], ["list", "--env"], ["generate", "-n"], ["-v", "generate"]):
        flags = ["-q"] if quiet and args[0] != "list" else []
        outputs.append(run_cli("-C", str(root), *flags, *args).output)
    text = "\n".join(outputs)
    assert_no_secret(text)
    assert "old-password-value-123" not in text
