"""Would git commit these paths? One batched `git check-ignore`, or .gitignore files outside git.

Paths go to git on stdin, NUL-separated, and git runs without a shell, so no file name can be
taken for an option or a command. A tracked file counts as committed even when it matches a
.gitignore pattern (git keeps committing its changes); `check-ignore` without `--no-index`
already answers that way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from axogen.errors import AxogenError


def git_toplevel(root: Path) -> Path | None:
    """The work tree holding `root`, or None when it is not in a git repository."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        proc = subprocess.run(
            [git, "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    if proc.returncode != 0:
        return None
    return Path(proc.stdout.strip())


def committed(root: Path, rel_paths: Sequence[str]) -> dict[str, bool]:
    """For each path relative to `root`, True when git would commit it (not ignored)."""
    if not rel_paths:
        return {}
    if git_toplevel(root) is None:
        return _committed_by_gitignore_files(root, rel_paths)
    ignored = _git_check_ignore(root, rel_paths)
    return {p: p not in ignored for p in rel_paths}


def _git_check_ignore(root: Path, rel_paths: Sequence[str]) -> set[str]:
    git = shutil.which("git") or "git"
    payload = b"".join(os.fsencode(p) + b"\0" for p in rel_paths)
    proc = subprocess.run(
        [git, "check-ignore", "--stdin", "-z"],
        cwd=root,
        input=payload,
        capture_output=True,
        check=False,
    )
    # 0: some paths are ignored, 1: none are, anything else: git failed
    if proc.returncode not in (0, 1):
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise AxogenError(f"git check-ignore failed: {message}")
    return {os.fsdecode(p) for p in proc.stdout.split(b"\0") if p}


def _committed_by_gitignore_files(root: Path, rel_paths: Sequence[str]) -> dict[str, bool]:
    """Outside git: apply the .gitignore files of `root` and the folders below it."""
    import pathspec

    specs: dict[str, pathspec.GitIgnoreSpec | None] = {}

    def spec_for(folder: str) -> pathspec.GitIgnoreSpec | None:
        if folder not in specs:
            file = root / folder / ".gitignore" if folder else root / ".gitignore"
            try:
                lines = file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                specs[folder] = None
            else:
                specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines)
        return specs[folder]

    result: dict[str, bool] = {}
    for rel in rel_paths:
        parts = rel.split("/")
        ignored = False
        # each .gitignore from the root down judges the path relative to its own folder;
        # a deeper file's verdict overrides a shallower one, as in git
        for depth in range(len(parts)):
            spec = spec_for("/".join(parts[:depth]))
            if spec is None:
                continue
            verdict = spec.check_file("/".join(parts[depth:])).include
            if verdict is not None:
                ignored = verdict
        result[rel] = not ignored
    return result
