"""Would git commit these paths once this run is done? One batched `git check-ignore`.

When axogen cannot be sure, it refuses. Inside a git work tree (a `.git` entry, folder or
file, in the project's folder or a parent) only git's answer counts: if git is missing, will
not open the repository (dubious ownership) or finds it broken, every path gets an `Unknown`
saying why and what to do, and the guard refuses to write a secret to it. The `.gitignore`
files alone decide only for folders that are in no repository at all.

Git is asked about the project's own repository, the one found by walking up from the
config's folder: GIT_DIR, GIT_WORK_TREE and the other variables that point git elsewhere are
removed, and a ceiling stops git from settling on a repository further up when that one is
broken. A file in a nested repository (a `.git` between it and the project's) is `Unknown`:
the project's repository cannot answer for it.

The ignore rules are those that will hold after the run: a `.gitignore` the run writes is
judged by its planned content. Git reads per-folder `.gitignore` files from its work tree, so
it is given a temporary work tree holding just those files, planned or current, while the
index (what is tracked) and `.git/info/exclude` stay the repository's own.

Paths go to git on stdin, NUL-separated, each behind `./` (a leading `:` would be read as
pathspec magic), and git runs without a shell, so no file name can be taken for an option or
a command. A tracked file counts as committed even when it matches a pattern (git keeps
committing its changes); `check-ignore` without `--no-index` already answers that way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import NamedTuple

# the variables that make git use another repository, index or work tree than the one found
# from the project's folder (`git rev-parse --local-env-vars`, less the -c configuration)
_ELSEWHERE = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_PREFIX",
    "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
)


class Unknown(NamedTuple):
    """Git's answer was needed for a path and could not be had: why, and what to do."""

    why: str
    hint: str

    def __bool__(self) -> bool:
        # whoever only asks "committed?" must take an unknown answer for yes
        return True


Verdict = bool | Unknown


def find_repo(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding a `.git` entry, or None.

    No git process: a `.git` folder or file is enough to say that git's answer is needed,
    whether or not git can give it.
    """
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if _has_dot_git(candidate):
            return candidate
    return None


def committed(
    root: Path, rel_paths: Sequence[str], planned: Mapping[str, bytes] | None = None
) -> dict[str, Verdict]:
    """For each path relative to `root`: True when git would commit it after this run.

    `planned` maps the `.gitignore` files this run writes (relative to `root`) to their new
    content. A verdict is an `Unknown` (truthy) when git's answer is needed but not to be had.
    """
    if not rel_paths:
        return {}
    base = root.resolve()
    verdicts = judge([base / p for p in rel_paths], base, planned or {})
    return {p: verdicts[base / p] for p in rel_paths}


def judge(paths: Sequence[Path], root: Path, planned: Mapping[str, bytes]) -> dict[Path, Verdict]:
    """Verdicts for absolute, resolved `paths`: those in `root` and, inside a repository,
    any other file of that repository (the env files load_env read). Paths outside both
    are not judged (no key)."""
    top = find_repo(root)
    repos: dict[Path, Path | None] = {}
    verdicts: dict[Path, Verdict] = {}
    asked: list[Path] = []
    for path in paths:
        stop = top or root
        if not path.is_relative_to(stop):
            continue
        nested = _nested_repo(path.parent, stop, repos)
        if nested is not None:
            verdicts[path] = _nested_unknown(nested, top)
        else:
            asked.append(path)
    if not asked:
        return verdicts
    if top is None:
        elsewhere = [name for name in ("GIT_DIR", "GIT_WORK_TREE") if os.environ.get(name)]
        if elsewhere:
            # git would answer for the repository those name; the project is in none
            unknown = Unknown(
                f"{' and '.join(elsewhere)} {'are' if len(elsewhere) > 1 else 'is'} set, but "
                f"{root} is in no git repository (no .git in it or a parent)",
                hint=f"unset {' and '.join(elsewhere)}: axogen judges the repository the project "
                "is in, and outside one the .gitignore files",
            )
            verdicts.update(dict.fromkeys(asked, unknown))
        else:
            rels = [p.relative_to(root).as_posix() for p in asked]
            by_files = _committed_by_gitignore_files(root, rels, planned)
            verdicts.update({p: by_files[r] for p, r in zip(asked, rels, strict=True)})
        return verdicts
    verdicts.update(_committed_by_git(top, root, asked, planned))
    return verdicts


def tracked(root: Path, rel_paths: Sequence[str]) -> set[str]:
    """Which of these paths (relative to `root`) git tracks: its index holds them, so a
    .gitignore pattern does not apply to them (`git rm --cached` does). Empty when `root`
    is in no repository or git cannot say: this only chooses the words of a hint."""
    top = find_repo(root)
    git = shutil.which("git")
    if top is None or git is None or not rel_paths:
        return set()
    env = {k: v for k, v in os.environ.items() if k not in _ELSEWHERE}
    if top.parent != top:
        env["GIT_CEILING_DIRECTORIES"] = str(top.parent)
    specs = [f":(literal){rel}" for rel in rel_paths]
    try:
        proc = subprocess.run(
            [git, "ls-files", "-z", "--cached", "--", *specs],
            cwd=root,
            env=env,
            capture_output=True,
            check=False,
        )
    except OSError:
        return set()
    if proc.returncode != 0:
        return set()
    listed = {os.fsdecode(p) for p in proc.stdout.split(b"\0") if p}
    return {rel for rel in rel_paths if rel in listed}


def _has_dot_git(folder: Path) -> bool:
    try:
        (folder / ".git").lstat()
    except OSError:
        return False
    return True


def _nested_repo(folder: Path, stop: Path, seen: dict[Path, Path | None]) -> Path | None:
    """The repository below `stop` that holds `folder`, if any (a `.git` between them)."""
    if folder == stop or not folder.is_relative_to(stop):
        return None
    if folder not in seen:
        seen[folder] = folder if _has_dot_git(folder) else _nested_repo(folder.parent, stop, seen)
    return seen[folder]


def _nested_unknown(nested: Path, top: Path | None) -> Unknown:
    owner = f"not {top}'s" if top is not None else "not the project's"
    return Unknown(
        f"it is inside the git repository at {nested}, {owner}; axogen asks only the "
        "project's own repository",
        hint=f"generate the file outside {nested}, or from an axogen.config.py inside it",
    )


def _committed_by_git(
    top: Path, root: Path, paths: Sequence[Path], planned: Mapping[str, bytes]
) -> dict[Path, Verdict]:
    """Git's verdicts (one process), or the same Unknown for all when git cannot answer."""
    from_top = [p.relative_to(top).as_posix() for p in paths]
    under = root.relative_to(top).as_posix()
    prefix = "" if under == "." else under + "/"
    changed = {prefix + rel: content for rel, content in planned.items()}
    overlay = _overlay_files(top, from_top, changed)
    try:
        if overlay is None:
            answer = _git_check_ignore(top, from_top, work_tree=None)
        else:
            with tempfile.TemporaryDirectory(prefix="axogen-ignore-") as tmp:
                work_tree = Path(tmp)
                for rel, content in overlay.items():
                    file = work_tree / rel
                    file.parent.mkdir(parents=True, exist_ok=True)
                    file.write_bytes(content)
                answer = _git_check_ignore(top, from_top, work_tree=work_tree)
    except OSError as e:  # the temporary work tree could not be made
        answer = Unknown(
            f"axogen could not prepare the check of the planned .gitignore files: {e}",
            hint="make the temporary folder writable (TMPDIR), then run again",
        )
    if isinstance(answer, Unknown):
        return dict.fromkeys(paths, answer)
    return {p: rel not in answer for p, rel in zip(paths, from_top, strict=True)}


def _overlay_files(
    top: Path, from_top: Iterable[str], changed: Mapping[str, bytes]
) -> dict[str, bytes] | None:
    """The `.gitignore` files git must see for these paths after the run, or None when no
    file this run writes is among them (git may then read the real work tree)."""
    wanted: dict[str, None] = {}
    for rel in from_top:
        parents = PurePosixPath(rel).parents
        for folder in parents:
            wanted[".gitignore" if str(folder) == "." else f"{folder}/.gitignore"] = None
    if not any(rel in changed for rel in wanted):
        return None
    files = {}
    for rel in wanted:
        if rel in changed:
            files[rel] = changed[rel]
            continue
        path = top / rel
        # git does not follow a symlinked .gitignore; an unreadable one it skips too
        if path.is_file() and not path.is_symlink():
            try:
                files[rel] = path.read_bytes()
            except OSError:
                continue
    return files


def _git_check_ignore(
    top: Path, from_top: Sequence[str], work_tree: Path | None
) -> set[str] | Unknown:
    """The paths git ignores (tracked ones never are), or why git could not say."""
    git = shutil.which("git")
    if git is None:
        return Unknown(
            f"git is not on PATH, and {top} is a git repository: only git can tell which "
            "files it commits",
            hint="install git (or put it on PATH), then run again",
        )
    env = {k: v for k, v in os.environ.items() if k not in _ELSEWHERE}
    # git must settle on `top` or fail: never on a repository above it when top's is broken
    if top.parent != top:
        env["GIT_CEILING_DIRECTORIES"] = str(top.parent)
    env["GIT_DISCOVERY_ACROSS_FILESYSTEM"] = "1"
    if work_tree is not None:
        # the repository is still found from `top` (with git's ownership check); only the
        # .gitignore files come from the temporary work tree
        env["GIT_WORK_TREE"] = str(work_tree)
    queried = {"./" + rel: rel for rel in from_top}
    payload = b"".join(os.fsencode(q) + b"\0" for q in queried)
    try:
        proc = subprocess.run(
            [git, "check-ignore", "--stdin", "-z"],
            cwd=top,
            env=env,
            input=payload,
            capture_output=True,
            check=False,
        )
    except OSError as e:
        return Unknown(f"git could not be run: {e}", hint="check the git installation")
    # 0: some paths are ignored, 1: none are, anything else: git failed
    if proc.returncode not in (0, 1):
        return _git_failed(top, proc.returncode, proc.stderr)
    return {queried.get(os.fsdecode(p), os.fsdecode(p)) for p in proc.stdout.split(b"\0") if p}


def _git_failed(top: Path, returncode: int, stderr: bytes) -> Unknown:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    first = next((line for line in lines if line), f"exit code {returncode}")
    why = f"git cannot answer for {top}: {first}"
    if "dubious ownership" in first:
        hint = (
            "the checkout belongs to another user; if you trust it, run: "
            f"git config --global --add safe.directory {top}"
        )
    elif "not a git repository" in first:
        hint = (
            f"{top / '.git'} is there but git cannot open it: repair the repository "
            "(`git status` shows what is wrong), or remove .git if the folder is not meant "
            "to be one"
        )
    else:
        hint = f"run `git -C {top} status` to see what is wrong, fix it, then run again"
    return Unknown(why, hint=hint)


def _committed_by_gitignore_files(
    root: Path, rel_paths: Sequence[str], planned: Mapping[str, bytes]
) -> dict[str, Verdict]:
    """Outside git: apply the .gitignore files of `root` and the folders below it, each as it
    will be after the run."""
    import pathspec

    specs: dict[str, pathspec.GitIgnoreSpec | None] = {}

    def spec_for(folder: str) -> pathspec.GitIgnoreSpec | None:
        if folder not in specs:
            rel = f"{folder}/.gitignore" if folder else ".gitignore"
            try:
                data = planned[rel] if rel in planned else (root / rel).read_bytes()
                lines = data.decode("utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                specs[folder] = None
            else:
                specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines)
        return specs[folder]

    result: dict[str, Verdict] = {}
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
