"""The secret guard fails closed: when git's answer is needed and cannot be had, axogen refuses.

Real repositories in tmp_path, a real PATH without git, a real checkout owned by another uid;
nothing about git is mocked.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Result, build_tree, git_init, run_cli, run_proc, snapshot, subprocess_env

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


# --- item 1: inside a repository, git's answer is required ------------------------------

CONFIG = """\
from pydantic import BaseModel, SecretStr
import axogen as ax

class Env(BaseModel):
    GITHUB_TOKEN: SecretStr

e = ax.load_env(Env)
config = ax.define_config(targets={
    "app": ax.env("app.env", {"GITHUB_TOKEN": e.GITHUB_TOKEN}),
    "public": ax.json("public.json", {"port": 8080}),
})
"""


def tracked_but_ignored(root: Path) -> Path:
    """A repository where app.env is in .gitignore and yet tracked: git commits it.

    Going by the .gitignore files alone, it would look ignored: the case that must not
    fail open.
    """
    git_init(root)
    build_tree(
        root,
        {
            "axogen.config.py": CONFIG,
            ".env.axogen": f"GITHUB_TOKEN={GITHUB_TOKEN}\n",
            ".gitignore": ".env.axogen\napp.env\n",
            "app.env": "OLD=1\n",
        },
    )
    git(root, "add", "-f", "app.env", ".gitignore")
    git(root, "commit", "-qm", "init")
    return root


def no_git_path(tmp_path: Path) -> str:
    """A PATH on which no git can be found (the axogen script names its python itself)."""
    empty = tmp_path / "bin-without-git"
    empty.mkdir()
    return str(empty)


def assert_refused(result: Result, root: Path, before: dict[str, object], message: str) -> None:
    assert result.exit_code == 1, result.output
    assert message in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert GITHUB_TOKEN not in result.output
    assert GITHUB_TOKEN[4:14] not in result.output
    assert snapshot(root) == before


def test_without_git_on_path_a_repository_refuses_secrets(tmp_path: Path) -> None:
    root = tracked_but_ignored(tmp_path / "repo")
    before = snapshot(root)
    result = run_proc(
        ["-C", str(root), "generate"], cwd=tmp_path, env=subprocess_env(PATH=no_git_path(tmp_path))
    )
    assert_refused(
        result,
        root,
        before,
        "cannot tell whether git would commit 1 file holding 1 secret value: git is not on "
        f"PATH, and {root} is a git repository",
    )
    assert "target 'app' (app.env):\n      GITHUB_TOKEN: declared secret" in result.stderr
    assert "hint: install git (or put it on PATH)" in result.stderr


def test_without_git_outside_a_repository_the_gitignore_files_decide(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path / "plain",
        {
            "axogen.config.py": CONFIG,
            ".env.axogen": f"GITHUB_TOKEN={GITHUB_TOKEN}\n",
            ".gitignore": ".env.axogen\napp.env\n",
        },
    )
    env = subprocess_env(PATH=no_git_path(tmp_path))
    result = run_proc(["-C", str(root), "generate"], cwd=tmp_path, env=env)
    assert result.exit_code == 0, result.output
    assert GITHUB_TOKEN in (root / "app.env").read_text()


def isolated_git_config(tmp_path: Path, safe: Path | None = None) -> dict[str, str]:
    """An environment whose git reads no system config and a global one of our own."""
    config = tmp_path / "gitconfig"
    config.write_text(f"[safe]\n\tdirectory = {safe}\n" if safe else "")
    return subprocess_env(GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1")


def test_a_checkout_owned_by_another_user_refuses_secrets(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the checkout to another uid")
    root = tracked_but_ignored(tmp_path / "repo")
    subprocess.run(["chown", "-R", "12345:12345", str(root)], check=True)
    before = snapshot(root)
    result = run_proc(
        ["-C", str(root), "generate"], cwd=tmp_path, env=isolated_git_config(tmp_path)
    )
    assert_refused(
        result,
        root,
        before,
        f"git cannot answer for {root}: fatal: detected dubious ownership in repository at "
        f"'{root}'; nothing was written",
    )
    assert f"if you trust it, run: git config --global --add safe.directory {root}" in (
        result.stderr
    )
    # once trusted, git answers: the file is tracked, so it is committed
    env = isolated_git_config(tmp_path, safe=root)
    result = run_proc(["-C", str(root), "generate"], cwd=tmp_path, env=env)
    assert_refused(result, root, before, "target 'app' (app.env) would be committed by git")


def test_a_broken_repository_refuses_even_inside_a_working_one(tmp_path: Path) -> None:
    # the outer repository ignores inner/app.env; asked from inner, whose HEAD is empty, git
    # would settle on the outer one and answer for it
    outer = tmp_path / "outer"
    git_init(outer)
    (outer / ".gitignore").write_text("inner/\n")
    root = tracked_but_ignored(outer / "inner")
    (root / ".git" / "HEAD").write_text("")
    before = snapshot(root)
    result = run_cli("-C", str(root), "generate")
    assert_refused(
        result,
        root,
        before,
        f"git cannot answer for {root}: fatal: not a git repository",
    )
    assert f"{root / '.git'} is there but git cannot open it: repair the repository" in (
        result.stderr
    )


@pytest.mark.parametrize("git_dir", ["stale", "other"])
def test_git_dir_in_the_environment_does_not_decide(tmp_path: Path, git_dir: str) -> None:
    root = tracked_but_ignored(tmp_path / "repo")
    other = tmp_path / "other"
    git_init(other)
    # another repository, in which app.env is ignored and not tracked
    (other / ".git" / "info" / "exclude").write_text("app.env\n")
    value = str(tmp_path / "gone" / ".git") if git_dir == "stale" else str(other / ".git")
    before = snapshot(root)
    result = run_cli(
        "-C", str(root), "generate", env={"GIT_DIR": value, "GIT_WORK_TREE": str(tmp_path)}
    )
    assert_refused(result, root, before, "target 'app' (app.env) would be committed by git")


def test_git_dir_set_for_a_project_in_no_repository_refuses(tmp_path: Path) -> None:
    other = tmp_path / "other"
    git_init(other)
    root = build_tree(
        tmp_path / "plain",
        {
            "axogen.config.py": CONFIG,
            ".env.axogen": f"GITHUB_TOKEN={GITHUB_TOKEN}\n",
            ".gitignore": ".env.axogen\napp.env\n",
        },
    )
    before = snapshot(root)
    result = run_cli("-C", str(root), "generate", env={"GIT_DIR": str(other / ".git")})
    assert_refused(result, root, before, f"GIT_DIR is set, but {root} is in no git repository")
    assert "hint: unset GIT_DIR" in result.stderr


def test_a_file_in_a_nested_repository_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_init(root)
    git_init(root / "vendor" / "lib")
    build_tree(
        root,
        {
            "axogen.config.py": CONFIG.replace('"app.env"', '"vendor/lib/app.env"'),
            ".env.axogen": f"GITHUB_TOKEN={GITHUB_TOKEN}\n",
            ".gitignore": ".env.axogen\nvendor/\n",
        },
    )
    before = snapshot(root)
    result = run_cli("-C", str(root), "generate")
    assert_refused(
        result,
        root,
        before,
        f"it is inside the git repository at {root / 'vendor' / 'lib'}, not {root}'s",
    )


def test_env_file_warning_says_when_it_could_not_check(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_init(root)
    build_tree(
        root,
        {
            "axogen.config.py": """\
                from pydantic import BaseModel
                import axogen as ax

                class Env(BaseModel):
                    PORT: int

                e = ax.load_env(Env)
                config = ax.define_config(targets={"public": ax.json("p.json", {"port": e.PORT})})
                """,
            ".env.axogen": "PORT=1\n",
        },
    )
    env = subprocess_env(PATH=no_git_path(tmp_path))
    result = run_proc(["-C", str(root), "generate"], cwd=tmp_path, env=env)
    assert result.exit_code == 0, result.output
    assert (
        "warning: could not check that git ignores .env.axogen (it holds your environment "
        f"values): git is not on PATH, and {root} is a git repository"
    ) in result.stderr
    assert "hint: install git" in result.stderr


# --- item 2: judged by the ignore rules as they will be after the run --------------------

REWRITES_GITIGNORE = """\
from pydantic import BaseModel, SecretStr
import axogen as ax

class Env(BaseModel):
    GITHUB_TOKEN: SecretStr

e = ax.load_env(Env)
config = ax.define_config(targets={
    "ignore": ax.template("DIR.gitignore", {"lines": LINES}, template="gitignore.j2"),
    "secret": ax.env("secret.env", {"GITHUB_TOKEN": e.GITHUB_TOKEN}),
})
"""


def rewriting_project(root: Path, lines: list[str], folder: str = "") -> Path:
    config = REWRITES_GITIGNORE.replace("DIR", folder).replace("LINES", repr(lines))
    return build_tree(
        root,
        {
            "axogen.config.py": config,
            "gitignore.j2": "{% for line in lines %}{{ line }}\n{% endfor %}",
            ".env.axogen": f"GITHUB_TOKEN={GITHUB_TOKEN}\n",
            ".gitignore": ".env.axogen\nsecret.env\n",
        },
    )


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
def test_a_gitignore_rewritten_by_the_run_is_what_counts(tmp_path: Path, in_git: bool) -> None:
    root = tmp_path / "proj"
    if in_git:
        git_init(root)
    # today secret.env is ignored; the run's own .gitignore drops the line
    rewriting_project(root, [".env.axogen"])
    before = snapshot(root)
    result = run_cli("-C", str(root), "generate")
    assert_refused(result, root, before, "target 'secret' (secret.env) would be committed by git")


def test_a_gitignore_the_run_writes_can_make_a_file_ignored(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    git_init(root)
    rewriting_project(root, [".env.axogen", "secret.env"])
    (root / ".gitignore").write_text(".env.axogen\n")  # today secret.env is not ignored
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 0, result.output
    assert (root / ".gitignore").read_text() == ".env.axogen\nsecret.env\n"
    assert GITHUB_TOKEN in (root / "secret.env").read_text()
    # git agrees, now that the file is on disk
    check = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", "secret.env"])
    assert check.returncode == 0


def test_the_other_ignore_rules_still_hold_beside_a_rewritten_gitignore(tmp_path: Path) -> None:
    # the project is a folder of the repository: the repository's own .gitignore above it and
    # .git/info/exclude still ignore what they ignore while apps/web/.gitignore is rewritten
    repo = tmp_path / "repo"
    git_init(repo)
    (repo / ".gitignore").write_text("*.env\n")
    (repo / ".git" / "info" / "exclude").write_text("apps/web/.env.axogen\n")
    root = rewriting_project(repo / "apps" / "web", ["node_modules/"])
    (root / ".gitignore").unlink()
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert GITHUB_TOKEN in (root / "secret.env").read_text()


def test_a_rewritten_gitignore_in_a_subfolder_counts(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    git_init(root)
    config = REWRITES_GITIGNORE.replace("DIR", "conf/").replace("LINES", repr(["!app.env"]))
    config = config.replace('"secret.env"', '"conf/app.env"')
    build_tree(
        root,
        {
            "axogen.config.py": config,
            "gitignore.j2": "{% for line in lines %}{{ line }}\n{% endfor %}",
            ".env.axogen": f"GITHUB_TOKEN={GITHUB_TOKEN}\n",
            ".gitignore": ".env.axogen\n*.env\n",
        },
    )
    before = snapshot(root)
    result = run_cli("-C", str(root), "generate")
    # conf/.gitignore will re-include app.env: it would be committed
    assert_refused(result, root, before, "target 'secret' (conf/app.env) would be committed by git")


def test_a_tracked_file_stays_committed_whatever_the_new_gitignore_says(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    git_init(root)
    rewriting_project(root, [".env.axogen", "secret.env"])
    (root / "secret.env").write_text("OLD=1\n")
    git(root, "add", "-f", "secret.env")
    before = snapshot(root)
    result = run_cli("-C", str(root), "generate")
    assert_refused(result, root, before, "target 'secret' (secret.env) would be committed by git")


# --- the cost: one git process for the whole policy, none when there is nothing to ask ----


def counting_git(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose PATH finds a git that logs each run, then runs the real one."""
    import shutil

    real = shutil.which("git")
    assert real is not None
    bin_dir = tmp_path / "counting-bin"
    bin_dir.mkdir()
    log = tmp_path / "git-runs.log"
    shim = bin_dir / "git"
    shim.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    shim.chmod(0o755)
    return subprocess_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}"), log


def git_runs(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_one_git_process_judges_every_secret_file_and_env_file(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    git_init(root)
    rewriting_project(root, [".env.axogen", "secret.env"])
    env, log = counting_git(tmp_path)
    for _ in range(2):  # rendered, then vouched for by the render cache
        result = run_proc(["-C", str(root), "generate"], cwd=tmp_path, env=env)
        assert result.exit_code == 0, result.output
    assert git_runs(log) == ["check-ignore --stdin -z"] * 2


def test_no_git_process_when_nothing_holds_a_secret(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    git_init(root)
    body = "config = ax.define_config(targets={'p': ax.json('p.json', {'port': 1})})\n"
    build_tree(root, {"axogen.config.py": "import axogen as ax\n" + body})
    env, log = counting_git(tmp_path)
    for _ in range(2):
        result = run_proc(["-C", str(root), "generate"], cwd=tmp_path, env=env)
        assert result.exit_code == 0, result.output
    assert git_runs(log) == []


def test_init_without_git_adds_every_line_and_says_it_could_not_check(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_init(root)
    env = subprocess_env(PATH=no_git_path(tmp_path))
    result = run_proc(["-C", str(root), "init"], cwd=tmp_path, env=env)
    assert result.exit_code == 0, result.output
    lines = (root / ".gitignore").read_text().splitlines()
    assert lines[1:] == [".env.axogen", ".env.axogen.local", ".env.keys", "/generated/app.env"]
    assert (
        f"warning: could not check what git commits: git is not on PATH, and {root} is a git "
        "repository"
    ) in result.stderr
    # and generate, which needs git's answer, refuses
    result = run_proc(["-C", str(root), "generate"], cwd=tmp_path, env=env)
    assert result.exit_code == 1
    assert "cannot tell whether git would commit 1 file" in result.stderr


@given(
    st.lists(
        st.sampled_from(["a", ".GIT", "Git~1", ".g\u200cit", "git", ".git.", "\u0130", "x.gitx"]),
        min_size=1,
        max_size=4,
    )
)
def test_a_path_is_refused_exactly_when_one_of_its_parts_names_a_git(parts: list[str]) -> None:
    from axogen.errors import TargetError
    from axogen.generate.plan import _is_dot_git, check_target_path

    path = "/".join(parts)
    refused = any(_is_dot_git(part) for part in parts)
    try:
        assert check_target_path("t", path) == path
    except TargetError as e:
        assert refused and "is inside .git" in str(e)
    else:
        assert not refused
