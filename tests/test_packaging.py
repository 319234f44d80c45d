"""Installing axogen into another project: its version, and the pre-commit hook as docs/cli.md shows it.

The hook tests run the real pre-commit on a throwaway project. The `language: python` hook
has pre-commit build axogen from a git repository (a commit of this working tree) into a
fresh virtualenv, so it needs pre-commit (the test extra) and the package index.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import axogen
from conftest import AXOGEN, build_tree, subprocess_env

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
import axogen as ax

config = ax.define_config(targets={"settings": ax.json("settings.json", {"port": 8080})})
"""

# a config importing a package of its own: the hook's environment gets it from
# additional_dependencies (the test venv has it through hypothesis)
CONFIG_WITH_IMPORT = "import sortedcontainers\n" + CONFIG

LOCAL_HOOK = """\
repos:
  - repo: local
    hooks:
      - id: axogen-check
        name: axogen check
        entry: axogen check
        language: system
        pass_filenames: false
        always_run: true
"""


def test_version_is_the_installed_distributions() -> None:
    assert importlib.metadata.version("axogen") == axogen.__version__
    out = subprocess.run(
        [str(AXOGEN), "--version"], capture_output=True, text=True, check=True, env=subprocess_env()
    )
    assert out.stdout == f"axogen {axogen.__version__}\n"


def _git_env(tmp_path: Path) -> dict[str, str]:
    # no GIT_* from a surrounding hook or the developer's shell; a commit identity of its own
    env = {k: v for k, v in subprocess_env().items() if not k.startswith("GIT_")}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def _pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _project(tmp_path: Path, env: dict[str, str], hooks: str, config: str = CONFIG) -> Path:
    project = build_tree(
        tmp_path / "project", {"axogen.config.py": config, ".pre-commit-config.yaml": hooks}
    )
    _git(project, env, "init", "-q")
    _git(project, env, "add", "-A")
    _git(project, env, "commit", "-q", "-m", "config")
    return project


def _generate(project: Path, env: dict[str, str]) -> None:
    subprocess.run([str(AXOGEN), "-q", "generate"], cwd=project, env=env, check=True)
    _git(project, env, "add", "settings.json")
    _git(project, env, "commit", "-q", "-m", "generated")


def test_pre_commit_hook_from_a_repository_at_a_commit(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    env = _git_env(tmp_path)
    # what pre-commit clones: this working tree's package files, committed
    repo = tmp_path / "axogen"
    repo.mkdir()
    shutil.copytree(
        ROOT / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "axogen")
    sha = _git(repo, env, "rev-parse", "HEAD")

    hooks = f"""\
repos:
  - repo: {repo}
    rev: {sha}
    hooks:
      - id: axogen-check
        additional_dependencies: [sortedcontainers]
"""
    project = _project(tmp_path, env, hooks, CONFIG_WITH_IMPORT)
    missing = _pre_commit(project, env, "run", "--all-files")
    assert missing.returncode == 1, missing.stdout + missing.stderr
    assert "settings.json (settings): missing" in missing.stdout

    _generate(project, env)
    passed = _pre_commit(project, env, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "axogen check" in passed.stdout and "Passed" in passed.stdout

    # installed as the git hook, it refuses a commit whose generated file was edited by hand
    _pre_commit(project, env, "install").check_returncode()
    (project / "settings.json").write_text('{"port": 1}\n', encoding="utf-8")
    _git(project, env, "add", "settings.json")
    commit = subprocess.run(
        ["git", "commit", "-q", "-m", "edited"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert commit.returncode == 1
    assert "settings.json (settings): content differs" in commit.stdout + commit.stderr


def test_pre_commit_local_system_hook(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    env = _git_env(tmp_path)
    project = _project(tmp_path, env, LOCAL_HOOK)
    _generate(project, env)

    # the axogen on PATH runs: here, the one of the test venv
    env["PATH"] = os.pathsep.join([str(AXOGEN.parent), env.get("PATH", "")])
    passed = _pre_commit(project, env, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr

    (project / "settings.json").write_text('{"port": 1}\n', encoding="utf-8")
    failed = _pre_commit(project, env, "run", "--all-files")
    assert failed.returncode == 1
    assert "settings.json (settings): content differs" in failed.stdout

    # entry: .venv/bin/axogen check, relative to the repository, with no axogen on PATH
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "axogen").symlink_to(AXOGEN)
    (project / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text(
        LOCAL_HOOK.replace("entry: axogen check", "entry: .venv/bin/axogen check"),
        encoding="utf-8",
    )
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if p != str(AXOGEN.parent)
    )
    by_path = _pre_commit(project, env, "run", "--all-files")
    assert by_path.returncode == 1, by_path.stdout + by_path.stderr
    assert "settings.json (settings): content differs" in by_path.stdout
