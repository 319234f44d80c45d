"""What `check` and the secret guard tell a user to do, with real git: never to commit a
git-ignored file, `git rm --cached` for a tracked one, and which targets were skipped."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import build_tree, run_proc, subprocess_env

CONFIG = """\
from pydantic import BaseModel, SecretStr

import axogen as ax


class Env(BaseModel):
    NODE_ENV: str = "development"
    DB_PASSWORD: SecretStr
    PORT: int = 8000


e = ax.load_env(Env)
config = ax.define_config(
    targets={
        "app-env": ax.env("app.env", {"DB_PASSWORD": e.DB_PASSWORD, "PORT": e.PORT}),
        "settings": ax.json("settings.json", {"port": e.PORT}),
        "k8s": ax.yaml("k8s.yaml", {"env": e.NODE_ENV}, condition=e.NODE_ENV == "production"),
    }
)
"""


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def _repo(tmp_path: Path) -> Path:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": CONFIG,
            ".env.axogen": "DB_PASSWORD=pw-Secret-7781\n",
            ".gitignore": ".env.axogen\napp.env\n",
        },
    )
    git(tmp_path, "init", "-q")
    return tmp_path


def test_check_never_says_commit_for_ignored_files(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    assert run_proc(["generate"], cwd=root).exit_code == 0
    (root / ".env.axogen").write_text("DB_PASSWORD=pw-Secret-7781\nPORT=9000\n")

    result = run_proc(["check"], cwd=root)

    assert result.exit_code == 1
    assert result.stderr == (
        "error: 2 generated files are out of date:\n"
        "  - app.env (app-env): content differs\n"
        "  - settings.json (settings): content differs\n"
        "  hint: run `axogen generate`, then commit settings.json (git ignores the others)\n"
    )
    assert run_proc(["generate"], cwd=root).exit_code == 0
    (root / ".env.axogen").write_text("DB_PASSWORD=pw-Secret-9999\nPORT=9000\n")
    only_ignored = run_proc(["check"], cwd=root)
    assert only_ignored.stderr == (
        "error: 1 generated file is out of date:\n"
        "  - app.env (app-env): content differs\n"
        "  hint: run `axogen generate` (git ignores these files: nothing to commit)\n"
    )


def test_check_names_skipped_targets_and_a_stale_file_it_did_not_check(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    assert run_proc(["generate"], cwd=root).exit_code == 0

    quiet = run_proc(["check"], cwd=root)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == "all 2 generated files are in sync (1 skipped: condition is false)\n"
    assert quiet.stderr == ""

    # a production run wrote k8s.yaml; in development check cannot vouch for it
    production = subprocess_env(NODE_ENV="production")
    assert run_proc(["generate"], cwd=root, env=production).exit_code == 0
    assert run_proc(["generate"], cwd=root).exit_code == 0
    result = run_proc(["check"], cwd=root)
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: not checked: k8s.yaml (k8s): its target is skipped here (condition is "
        "false), so check cannot tell whether it is up to date; run check again with the "
        "values that select it (the profile or environment that wrote it)\n"
    )
    verbose = run_proc(["check", "-v"], cwd=root)
    assert (
        "skipped   k8s.yaml (k8s: condition is false; the file exists and is not checked)\n"
        in verbose.stderr
    )
    assert run_proc(["check"], cwd=root, env=production).stderr == ""


def test_a_tracked_secret_file_gets_git_rm_cached(tmp_path: Path) -> None:
    # as after `axogen init --from app.env` in a repository that tracked app.env
    root = _repo(tmp_path)
    (root / "app.env").write_text("DB_PASSWORD=pw-Secret-7781\nPORT=8000\n")
    git(root, "add", "-f", "app.env")
    git(root, "commit", "-qm", "tracked")

    result = run_proc(["generate"], cwd=root)

    assert result.exit_code == 1
    assert (
        "hint: git tracks app.env, so .gitignore does not apply to it: `git rm --cached "
        "app.env` (your copy stays), commit that, and make sure .gitignore ignores it\n"
    ) in result.stderr
    assert "add the file to .gitignore" not in result.stderr
    git(root, "rm", "-q", "--cached", "app.env")
    assert run_proc(["generate"], cwd=root).exit_code == 0
