"""Bad input end to end: every failure is one clear error block, the right exit code, no writes."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import (
    DB_PASSWORD,
    GENERATED,
    JWT_SECRET,
    PROJECT_CONFIG,
    PROJECT_ENV,
    Result,
    build_tree,
    run_cli,
    run_proc,
    snapshot,
    subprocess_env,
)

NOBODY = 65534
HINT_NO_CONFIG = "  hint: create one (see the README), or point to it with -c FILE or -C DIR\n"


def config_project(root: Path, config: str, **files: str) -> Path:
    return build_tree(root, {"axogen.config.py": config, **files})


def listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


# --- finding and running the config ------------------------------------------------------------


def test_no_config_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: no axogen.config.py found in {tmp_path} or any parent folder\n" + HINT_NO_CONFIG
    )


def test_missing_config_file_and_directory_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = run_cli("-c", "nope.py", "generate")
    assert result.exit_code == 1
    assert result.stderr == f"error: config file not found: {tmp_path / 'nope.py'}\n"

    result = run_cli("-C", "missing", "list")
    assert result.exit_code == 1
    assert result.stderr == "error: -C missing: no such directory\n"


def test_syntax_error_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_project(tmp_path, "import axogen as ax\n\nconfig = ax.define_config(\n  targets={\n")
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stdout == ""
    # Python places an unclosed bracket at the line that opens it
    assert result.stderr == (
        "error: axogen.config.py:4: syntax error: '{' was never closed\n      targets={\n"
    )


def test_syntax_error_exits_1_in_a_real_process(tmp_path: Path) -> None:
    config_project(tmp_path, "x = 1\ndef broken(:\n")

    result = run_proc(["generate"], cwd=tmp_path)

    assert result.exit_code == 1
    assert result.stderr.startswith("error: axogen.config.py:2: syntax error: ")
    assert "Traceback" not in result.output


CONFIG_RAISING = """\
import axogen as ax


def port():
    return int("eighty")


config = ax.define_config(targets={"a": ax.json(path="a.json", variables={"port": port()})})
"""


def test_config_raising_names_file_and_line(tmp_path: Path) -> None:
    config_project(tmp_path, CONFIG_RAISING)

    # a real process: the exit code is what a shell or CI sees
    result = run_proc(["generate"], cwd=tmp_path)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: axogen.config.py:5: ValueError: invalid literal for int() with base 10: "
        "'eighty'\n"
        "  hint: the config file raised an exception\n"
    )
    assert listing(tmp_path) == ["axogen.config.py"]


def test_config_raising_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_project(tmp_path / "proj", "import axogen as ax\n\n\nraise RuntimeError('boom')\n")
    monkeypatch.chdir(tmp_path)

    result = run_cli("-C", "proj", "list")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: proj/axogen.config.py:4: RuntimeError: boom\n")


@pytest.mark.parametrize("code", ["0", "None", "'bye'"])
def test_config_calling_exit_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    config_project(tmp_path, f"import sys\nsys.exit({code})\n")
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: axogen.config.py: the config called exit(")


def test_config_not_defined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_project(tmp_path, "import axogen as ax\nconfiguration = ax.define_config()\n")
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: axogen.config.py does not define `config`\n"
        "  hint: end the file with `config = ax.define_config(targets={...}, commands={...})`\n"
    )


@pytest.mark.parametrize(
    ("value", "type_name"),
    [("{'targets': {}}", "dict"), ("None and 0", "int"), ("lambda: None", "function")],
)
def test_config_of_the_wrong_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, type_name: str
) -> None:
    config_project(tmp_path, f"config = {value}\n")
    monkeypatch.chdir(tmp_path)

    result = run_cli("list")

    assert result.exit_code == 1
    if value == "None and 0":  # `config = None` counts as not defined
        assert "does not define `config`" in result.stderr
        return
    assert result.stderr.startswith(
        f"error: axogen.config.py: `config` is a {type_name}, not the result of "
        "ax.define_config(...)\n"
    )


def test_target_that_is_not_a_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_project(
        tmp_path,
        "import axogen as ax\n\nconfig = ax.define_config(targets={'a': {'path': 'a.json'}})\n",
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: axogen.config.py:3: TypeError: target 'a' is a dict; build it with a target factory"
    )


def test_misspelt_factory_option_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_project(
        tmp_path,
        "import axogen as ax\nconfig = ax.define_config(targets={\n"
        "    'a': ax.json(path='a.json', indnt=4),\n})\n",
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: axogen.config.py:3: TypeError: ")
    assert "indnt" in result.stderr
    assert not (tmp_path / "a.json").exists()


# --- --help and --version never run the config --------------------------------------------------

MARKER_CONFIG = """\
from pathlib import Path
Path(__file__).with_name("marker").write_text("the config ran")
raise RuntimeError("must not run")
"""


@pytest.mark.parametrize(
    "config", [None, MARKER_CONFIG, "def broken(:\n"], ids=["none", "executes", "syntax"]
)
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["-V"],
        ["generate", "--help"],
        ["list", "--help"],
        ["-c", "axogen.config.py", "--help"],
    ],
)
def test_help_and_version_do_not_run_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str | None, args: list[str]
) -> None:
    if config is not None:
        config_project(tmp_path, config)
    monkeypatch.chdir(tmp_path)

    result = run_cli(*args)

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    if "-V" in args or "--version" in args:
        assert result.stdout.startswith("axogen ")
    else:
        assert "Usage: axogen" in result.stdout
    assert not (tmp_path / "marker").exists()


def test_the_marker_config_does_run_for_generate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # proves the test above can fail: the same config does run for a real command
    config_project(tmp_path, MARKER_CONFIG)
    monkeypatch.chdir(tmp_path)

    result = run_cli("list")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: axogen.config.py:3: RuntimeError: must not run")
    assert (tmp_path / "marker").exists()


def test_help_in_a_real_process_with_a_broken_config(tmp_path: Path) -> None:
    config_project(tmp_path, MARKER_CONFIG)

    result = run_proc(["python", "-m", "axogen", "--help"], cwd=tmp_path)

    assert result.exit_code == 0
    assert "generate" in result.stdout
    assert not (tmp_path / "marker").exists()


# --- exit codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "code"),
    [
        (["generate"], {}, 0),
        (["list"], {}, 0),
        (["generate"], {"DB_PORT": "x"}, 1),
        (["generate", "-t", "nope"], {}, 2),
        (["generate", "--nope"], {}, 2),
        (["frobnicate"], {}, 2),
        (["-q", "-v", "list"], {}, 2),
    ],
)
def test_exit_codes(project: Path, args: list[str], env: dict[str, str], code: int) -> None:
    result = run_cli(*args, env=env)

    assert result.exit_code == code, result.output
    if code:
        assert "Traceback" not in result.output
        assert result.stderr.lower().startswith(("error", "usage"))


def test_usage_error_in_a_real_process(project: Path) -> None:
    result = run_proc(["generate", "--no-such-option"], cwd=project)

    assert result.exit_code == 2
    assert "No such option '--no-such-option'" in result.stderr


# --- target selection ---------------------------------------------------------------------------


def test_unknown_target_among_many_does_not_list_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = """\
        import axogen as ax
        config = ax.define_config(
            targets={f"svc{i}": ax.json(f"out/{i}.json", {"i": i}) for i in range(50)}
        )
    """
    monkeypatch.chdir(build_tree(tmp_path, {"axogen.config.py": config}))
    result = run_cli("generate", "-t", "svc100")

    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown target 'svc100'; did you mean 'svc10' or 'svc1' or 'svc0'?\n"
        "  hint: 50 targets; `axogen list` shows them all\n"
    )


def test_unknown_target_suggests_close_names(project: Path) -> None:
    result = run_cli("generate", "-t", "setings", "-t", "compose", "-t", "zzz")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: unknown target 'setings', 'zzz'; did you mean 'settings'?\n"
        "  hint: targets: auth-env, settings, compose, pyproject, configmap\n"
    )
    assert sorted(p.name for p in project.iterdir()) == [
        ".env.axogen",
        ".gitignore",
        "axogen.config.py",
    ]


def test_unknown_glob_is_a_usage_error(project: Path) -> None:
    result = run_cli("generate", "--target", "k9s-*")

    assert result.exit_code == 2
    assert "unknown target 'k9s-*'" in result.stderr


# --- target paths -------------------------------------------------------------------------------


def paths_config(*paths: str) -> str:
    lines = ["import axogen as ax", "config = ax.define_config(targets={"]
    for i, path in enumerate(paths):
        lines.append(f"    't{i}': ax.env(path={path!r}, variables={{'A': '1'}}),")
    lines.append("})")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("../x.env", "points outside the project folder"),
        ("sub/../../x.env", "points outside the project folder"),
        ("..", "points outside the project folder"),
        ("/tmp/axogen-test-abs.env", "is absolute"),
        ("\\\\server\\x.env", "is absolute"),
        ("C:\\x.env", "is absolute"),
        ("sub/", "does not name a file"),
        (".", "does not name a file"),
    ],
)
def test_target_path_outside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, why: str
) -> None:
    root = config_project(tmp_path / "proj", paths_config("ok.env", path))
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: 1 target failed; nothing was written:\n  - target 't1': path {path!r} {why}\n"
    )
    assert listing(tmp_path) == ["proj", "proj/axogen.config.py"]
    assert not Path("/tmp/axogen-test-abs.env").exists()


def test_paths_that_stay_inside_are_normalised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = config_project(tmp_path, paths_config("./a/../b.env", "c//d.env"))
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 0, result.output
    assert "created   b.env (t0)\ncreated   c/d.env (t1)\n" in result.stdout
    assert (root / "b.env").is_file()
    assert not (root / "a").exists()


def test_two_targets_writing_the_same_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = config_project(tmp_path, paths_config("x.env", "y.env", "sub/../x.env"))
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: 1 target failed; nothing was written:\n"
        "  - target 't2' (x.env): target 't0' writes the same file\n"
    )
    assert listing(root) == ["axogen.config.py"]


def test_a_symlink_in_place_of_a_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = config_project(tmp_path / "proj", paths_config("ok.env", "app.env", "gone.env"))
    outside = tmp_path / "outside.env"
    outside.write_text("KEEP=1\n")
    (root / "app.env").symlink_to(outside)
    (root / "gone.env").symlink_to(tmp_path / "dangling.env")
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: 2 targets failed; nothing was written:\n"
        "  - target 't1' (app.env): the file is a symlink; axogen never writes through symlinks\n"
        "      hint: delete the symlink (axogen will write a regular file), or change the target path\n"
        "  - target 't2' (gone.env): the file is a symlink; axogen never writes through symlinks\n"
        "      hint: delete the symlink (axogen will write a regular file), or change the target path\n"
    )
    assert outside.read_text() == "KEEP=1\n"
    assert (root / "app.env").is_symlink()
    assert not (tmp_path / "dangling.env").exists()
    assert not (root / "ok.env").exists()


def test_a_symlinked_directory_on_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = config_project(tmp_path / "proj", paths_config("ok.env", "link/deeper/app.env"))
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deeper").mkdir(parents=True)
    (root / "link").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: 1 target failed; nothing was written:\n"
        "  - target 't1' (link/deeper/app.env): link is a symlink; axogen never writes through "
        "symlinks\n"
    )
    assert listing(elsewhere) == ["deeper"]
    assert not (root / "ok.env").exists()


def test_a_file_where_a_directory_should_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = config_project(tmp_path, paths_config("out/a.env", "out"), out="not a folder\n")
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert "target 't0' (out/a.env): out is not a directory" in result.stderr
    assert (root / "out").read_text() == "not a folder\n"


def test_a_directory_where_the_file_should_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = config_project(tmp_path, paths_config("a.env", "dir.env"))
    (root / "dir.env").mkdir()
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert "target 't1' (dir.env): exists and is not a regular file" in result.stderr
    assert not (root / "a.env").exists()


# --- a read-only output directory ---------------------------------------------------------------


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="axogen-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@functools.cache
def nobody_can_run_python() -> bool:
    """Whether `nobody` can start this interpreter (it may live in root's private home)."""
    if os.geteuid() != 0:
        return False
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import axogen"],
            user=NOBODY,
            group=NOBODY,
            cwd="/",
            capture_output=True,
            check=False,
        )
    except OSError:  # the interpreter itself is out of reach
        return False
    return probe.returncode == 0


def chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True, check=False)
    return done.returncode == 0


class ReadOnly:
    """Makes folders read-only for an axogen run, by the strongest means available.

    Tests run as root, for whom mode bits do not stop writes: either axogen runs as `nobody`
    in a tree that user owns, or the folder gets the immutable attribute (`chattr +i`).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.locked: list[Path] = []
        if os.geteuid() != 0:
            self.how, self.strerror = "chmod", "Permission denied"
        elif nobody_can_run_python():
            self.how, self.strerror = "nobody", "Permission denied"
        else:
            self.how, self.strerror = "chattr", "Operation not permitted"

    def lock(self, folder: Path) -> None:
        if self.how == "chattr":
            if not chattr("+i", folder):
                pytest.skip(
                    "cannot make a folder read-only for root: `nobody` cannot run this Python "
                    "and chattr +i is not supported here"
                )
        else:
            folder.chmod(0o555)
        self.locked.append(folder)

    def unlock(self) -> None:
        for folder in self.locked:
            if self.how == "chattr":
                chattr("-i", folder)
            folder.chmod(0o755)
        self.locked.clear()

    def run(self, *args: str) -> Result:
        if self.how == "nobody":
            for path in [self.root, *self.root.rglob("*")]:
                os.lchown(path, NOBODY, NOBODY)
            env = subprocess_env(HOME=str(self.root))
            return run_proc(list(args), cwd=self.root, env=env, user=NOBODY)
        return run_cli("-C", str(self.root), *args)


@pytest.fixture
def read_only(shared_tmp: Path) -> Iterator[ReadOnly]:
    helper = ReadOnly(shared_tmp / "proj")
    try:
        yield helper
    finally:
        helper.unlock()


def test_read_only_output_directory(read_only: ReadOnly) -> None:
    root = config_project(
        read_only.root,
        paths_config("writable/a.env", "locked/b.env", "locked/existing.env", "new/c.env"),
        **{"writable/.keep": "", "locked/existing.env": "OLD=1\n"},
    )
    read_only.lock(root / "locked")
    before = snapshot(root)

    result = read_only.run("generate")

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    why = read_only.strerror
    assert result.stderr == (
        "error: 2 targets failed; nothing was written:\n"
        f"  - target 't1' (locked/b.env): cannot write: {why}\n"
        "      hint: check that the folder exists and is writable\n"
        f"  - target 't2' (locked/existing.env): cannot write: {why}\n"
        "      hint: check that the folder exists and is writable\n"
    )
    assert snapshot(root) == before
    assert not (root / "new").exists()  # the folder made for t3 was removed again

    # and the same project generates once the folder is writable
    read_only.unlock()
    result = read_only.run("generate")
    assert result.exit_code == 0, result.output
    assert (root / "locked/existing.env").read_text().endswith("A=1\n")


# --- values and transactions --------------------------------------------------------------------

UNSUPPORTED = """\
import axogen as ax


class Thing:
    pass


config = ax.define_config(targets={
    "ok": ax.json(path="ok.json", variables={"a": 1}),
    "bad": ax.json(path="out/bad.json", variables={"db": {"hosts": ["a", Thing()]}}),
    "set": ax.yaml(path="out/set.yaml", variables={"s": {1, "x"}}),
    "none": ax.toml(path="out/none.toml", variables={"tool": {"x": None}}),
    "key": ax.env(path="out/key.env", variables={"NOT VALID": "1"}),
    "also-ok": ax.env(path="out/ok.env", variables={"A": "1"}),
})
"""


def test_every_failure_is_listed_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = config_project(tmp_path, UNSUPPORTED)
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "error: 4 targets failed; nothing was written:"
    assert lines[1] == (
        "  - target 'bad' (out/bad.json): db.hosts[1]: values of type Thing"
        " are not supported; convert it to a str, number, bool, list or dict first"
    )
    failures = [line for line in lines if line.startswith("  - ")]
    assert [f.split(" (")[0] for f in failures] == [
        "  - target 'bad'",
        "  - target 'set'",
        "  - target 'none'",
        "  - target 'key'",
    ]
    assert "out/set.yaml): s: " in result.stderr
    assert "out/none.toml): tool.x: " in result.stderr
    assert "TOML has no null" in failures[2]
    assert "NOT VALID" in failures[3]
    assert listing(root) == ["axogen.config.py"]


def test_a_failing_run_touches_no_existing_file(project: Path) -> None:
    assert run_cli("generate").exit_code == 0
    for path in project.rglob("*"):
        os.utime(path, ns=(10**18, 10**18))
    before = snapshot(project)
    # the env changes every file, and one target now fails validation of its schema
    config = PROJECT_CONFIG.replace(
        '"compose": ax.yaml(',
        '"broken": ax.json(path="broken.json", variables={"port": "x"}, schema=dict[str, int]),\n'
        '        "compose": ax.yaml(',
    )
    (project / "axogen.config.py").write_text(config)
    os.utime(project / "axogen.config.py", ns=(10**18, 10**18))
    before["axogen.config.py"] = snapshot(project)["axogen.config.py"]

    result = run_cli("generate", env={"NODE_ENV": "production", "DB_PORT": "1"})

    assert result.exit_code == 1
    assert result.stderr == (
        "error: 1 target failed; nothing was written:\n"
        "  - target 'broken' (broken.json): variables do not match the schema:\n"
        "      - port: Input should be a valid integer, unable to parse string as an integer\n"
    )
    assert snapshot(project) == before
    assert not (project / "k8s").exists()


def test_unsupported_type_deep_in_a_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = """\
        import axogen as ax
        config = ax.define_config(targets={
            "a": ax.yaml(path="a.yaml", variables={"items": [{"f": open}]}),
        })
    """
    root = build_tree(tmp_path, {"axogen.config.py": config})
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert "target 'a' (a.yaml): items[0].f: values of type builtin_function_or_method" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("target", "where"),
    [
        ('ax.json(path="a.json", variables={"a": {"b": ["ok", "x\\ud800"]}})', "a.b[1]"),
        ('ax.yaml(path="a.yaml", variables={"A": "\\udfff"})', "A"),
        ('ax.env(path="a.env", variables={"A": "\\ud800"})', "A"),
    ],
)
def test_text_utf8_cannot_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, where: str
) -> None:
    config = f"import axogen as ax\nconfig = ax.define_config(targets={{'t': {target}}})\n"
    root = config_project(tmp_path, config)
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1, result.output
    path = target.split('"')[1]
    assert f"  - target 't' ({path}): {where}: " in result.stderr
    assert "is a lone surrogate, which UTF-8 files cannot hold" in result.stderr
    assert listing(root) == ["axogen.config.py"]


def test_nul_in_a_target_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = config_project(tmp_path, paths_config("ok.env", "a\0b.env"))
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1, result.output
    assert "  - target 't1': path 'a\\x00b.env' contains a NUL character\n" in result.stderr
    assert listing(root) == ["axogen.config.py"]


def test_interrupted_exits_130(tmp_path: Path) -> None:
    config_project(
        tmp_path,
        "import os, signal\nimport axogen as ax\nos.kill(os.getpid(), signal.SIGINT)\n"
        "config = ax.define_config()\n",
    )

    result = run_proc(["generate"], cwd=tmp_path)

    assert result.exit_code == 130
    # click first ends the line the terminal's ^C was echoed on
    assert result.stderr == "\nerror: interrupted\n"


# --- secrets never printed ----------------------------------------------------------------------


def test_secret_values_never_appear_in_any_output(project: Path) -> None:
    runs = [
        run_cli("generate", "-v"),
        run_cli("generate", "-v", "--dry-run", env={"DB_HOST": "h"}),
        run_cli("generate", "-v"),
        run_cli("list"),
        run_cli("generate", env={"DB_PORT": "abc"}),
        run_cli("generate", "-t", "nope"),
    ]
    assert [r.exit_code for r in runs] == [0, 0, 0, 0, 1, 2]
    assert DB_PASSWORD in (project / "auth/.env").read_text()  # the secrets are real
    for result in runs:
        assert DB_PASSWORD not in result.output
        assert JWT_SECRET not in result.output


def test_invalid_secret_value_is_not_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = "short-jwt-Xy7"
    build_tree(
        tmp_path,
        {
            "axogen.config.py": PROJECT_CONFIG,
            ".env.axogen": f"DB_PASSWORD={DB_PASSWORD}\nJWT_SECRET={short}\nDB_PORT=port\n",
        },
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: 2 invalid environment values for Env:\n"
        "  - DB_PORT: Input should be a valid integer, unable to parse string as an integer"
        " (got 'port', from .env.axogen:3)\n"
        "  - JWT_SECRET: Value should have at least 32 characters"
        " (from .env.axogen:2)\n"
        "  (raised at axogen.config.py:16)\n"
        "  hint: set them in .env.axogen or in the environment\n"
    )
    assert short not in result.output
    assert DB_PASSWORD not in result.output
    assert not any(tmp_path.glob("auth*"))


def test_generated_files_are_listed_in_the_fixture() -> None:
    # GENERATED drives several tests above; keep it in step with PROJECT_CONFIG
    for rel in GENERATED:
        assert f'path="{rel}"' in PROJECT_CONFIG
    assert PROJECT_ENV.count("\n") == 2
