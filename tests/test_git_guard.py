"""The secret guard fails closed: when git's answer is needed and cannot be had, axogen refuses.

Real repositories in tmp_path, a real PATH without git, a real checkout owned by another uid;
nothing about git is mocked.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import build_tree, git_init, run_cli, snapshot

# built from parts so that no complete token sits in this file
GITHUB_TOKEN = "ghp_" + "q8Lw2ZrT5nKx0VbJ7" + "mYc4HdP1sFg9AeU6iRo3"


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
        timeout=30,
    )


# --- item 4: no target writes into any .git folder ---------------------------------------


@pytest.mark.parametrize(
    ("path", "inside"),
    [
        ("vendor/lib/.git/hooks/post-checkout", "vendor/lib/.git"),
        ("vendor/lib/.git/config", "vendor/lib/.git"),
        (".GIT/config", ".GIT"),
        ("vendor/lib/.Git/hooks/pre-commit", "vendor/lib/.Git"),
        ("vendor/.git", "vendor/.git"),  # a .git file would make vendor a repository
        ("vendor/lib/./x/../.git/config", "vendor/lib/.git"),
    ],
)
def test_no_target_writes_into_a_nested_git_folder(tmp_path: Path, path: str, inside: str) -> None:
    root = tmp_path / "proj"
    git_init(root)
    git_init(root / "vendor" / "lib")
    body = f"config = ax.define_config(targets={{'hook': ax.env({path!r}, {{'A': 1}})}})\n"
    build_tree(root, {"axogen.config.py": "import axogen as ax\n" + body})
    before = snapshot(root)
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 1, result.output
    assert f"target 'hook': path {path!r} is inside .git ({inside})" in result.stderr
    assert "never writes into a git repository's own folder" in result.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize("path", [".gitignore", "docs/.github/ci.yml", "lib.git/x", "a/.gitkeep"])
def test_names_that_only_resemble_git_are_written(tmp_path: Path, path: str) -> None:
    root = tmp_path / "proj"
    git_init(root)
    build_tree(
        root,
        {
            "axogen.config.py": "import axogen as ax\n"
            f"config = ax.define_config(targets={{'t': ax.env({path!r}, {{'A': 1}})}})\n"
        },
    )
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 0, result.output
    assert (root / path).read_text().endswith("A=1\n")


@pytest.mark.parametrize(
    "path", ["a/.git./config", "a/.git /config", "a/GIT~1/config", "a/.g\u200cit/config"]
)
def test_other_spellings_of_git_are_refused(path: str) -> None:
    # names Windows or macOS file systems take for .git
    from axogen.errors import TargetError
    from axogen.generate.plan import check_target_path

    with pytest.raises(TargetError, match=r"is inside \.git"):
        check_target_path("t", path)
