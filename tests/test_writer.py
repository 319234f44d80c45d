"""The writer on real files: all or nothing, atomic replace, rollback, modes, unchanged files kept."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

import axogen as ax
from axogen.errors import GenerateError
from axogen.generate.plan import PlannedFile, plan_targets
from axogen.generate.write import Action, _commit, _stage, compare, make_folders, write_plan
from conftest import build_tree, run_cli, snapshot


def plan(root: Path, **targets: object) -> list[PlannedFile]:
    config = ax.define_config(targets=targets)  # type: ignore[arg-type]
    return plan_targets(config, root, list(config.targets), "axogen.config.py").files


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


def temp_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if ".axogen-" in p.name)


def actions(outcomes: list) -> list[tuple[str, Action]]:  # type: ignore[type-arg]
    return [(o.file.name, o.action) for o in outcomes]


def test_created_updated_unchanged(tmp_path: Path) -> None:
    files = plan(
        tmp_path,
        a=ax.json(path="a.json", variables={"v": 1}),
        b=ax.json(path="deep/er/b.json", variables={"v": 2}),
    )
    assert actions(write_plan(files, tmp_path)) == [("a", Action.CREATED), ("b", Action.CREATED)]
    os.utime(tmp_path / "a.json", ns=(10**18, 10**18))
    before = snapshot(tmp_path)

    again = write_plan(files, tmp_path)

    assert actions(again) == [("a", Action.UNCHANGED), ("b", Action.UNCHANGED)]
    assert snapshot(tmp_path) == before
    changed = plan(tmp_path, a=ax.json(path="a.json", variables={"v": 3}))
    assert actions(write_plan(changed, tmp_path)) == [("a", Action.UPDATED)]
    assert (tmp_path / "a.json").read_text() == '{\n  "v": 3\n}\n'
    assert (tmp_path / "a.json").stat().st_ino != before["a.json"][1]  # replaced, not edited
    assert temp_files(tmp_path) == []


def test_same_size_different_content_is_updated(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{\n  "v": 9\n}\n')

    outcomes = write_plan(plan(tmp_path, a=ax.json(path="a.json", variables={"v": 1})), tmp_path)

    assert actions(outcomes) == [("a", Action.UPDATED)]
    assert (tmp_path / "a.json").read_text() == '{\n  "v": 1\n}\n'


def test_modes(tmp_path: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    build_tree(tmp_path, {"kept.json": "old\n", "chmod.json": '{\n  "v": 1\n}\n'})
    (tmp_path / "kept.json").chmod(0o604)
    (tmp_path / "chmod.json").chmod(0o644)
    os.utime(tmp_path / "chmod.json", ns=(10**18, 10**18))
    before = snapshot(tmp_path)

    outcomes = write_plan(
        plan(
            tmp_path,
            plain=ax.json(path="plain.json", variables={"v": 1}),
            secret=ax.env(path="secret.env", variables={"PASSWORD": SecretStr("pw")}),
            chosen=ax.json(path="chosen.json", variables={"v": 1}, mode=0o640),
            kept=ax.json(path="kept.json", variables={"v": 1}),
            chmod=ax.json(path="chmod.json", variables={"v": 1}, mode=0o600),
        ),
        tmp_path,
    )

    assert actions(outcomes) == [
        ("plain", Action.CREATED),
        ("secret", Action.CREATED),
        ("chosen", Action.CREATED),
        ("kept", Action.UPDATED),
        ("chmod", Action.MODE),
    ]
    assert mode_of(tmp_path / "plain.json") == 0o666 & ~umask
    assert mode_of(tmp_path / "secret.env") == 0o600
    assert mode_of(tmp_path / "chosen.json") == 0o640
    assert mode_of(tmp_path / "kept.json") == 0o604
    # a mode change alone keeps the file itself: same inode, same mtime
    st = (tmp_path / "chmod.json").stat()
    assert mode_of(tmp_path / "chmod.json") == 0o600
    assert (st.st_ino, st.st_mtime_ns) == before["chmod.json"][1:3]


def test_large_file_is_written_whole(tmp_path: Path) -> None:
    big = "x" * (3 << 20)

    write_plan(plan(tmp_path, big=ax.json(path="big.json", variables={"v": big})), tmp_path)

    assert (tmp_path / "big.json").read_text() == f'{{\n  "v": "{big}"\n}}\n'


def test_compare_writes_nothing(tmp_path: Path) -> None:
    files = plan(tmp_path, a=ax.json(path="new/a.json", variables={"v": 1}))

    decisions = compare(files, tmp_path)

    assert [action for _, action, _ in decisions] == [Action.CREATED]
    assert list(tmp_path.iterdir()) == []


def test_symlink_inside_the_project_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("real\n")
    (tmp_path / "link.json").symlink_to("real.json")
    (tmp_path / "realdir").mkdir()
    (tmp_path / "linkdir").symlink_to("realdir")
    files = plan(
        tmp_path,
        a=ax.json(path="link.json", variables={"v": 1}),
        b=ax.json(path="linkdir/b.json", variables={"v": 1}),
        c=ax.json(path="c.json", variables={"v": 1}),
    )

    with pytest.raises(GenerateError) as info:
        write_plan(files, tmp_path)

    assert [f.message.split(":")[0] for f in info.value.failures] == [
        "target 'a' (link.json)",
        "target 'b' (linkdir/b.json)",
    ]
    assert (tmp_path / "real.json").read_text() == "real\n"
    assert list((tmp_path / "realdir").iterdir()) == []
    assert not (tmp_path / "c.json").exists()


# --- rollback -----------------------------------------------------------------------------------


def test_a_failed_replace_restores_the_files_already_replaced(tmp_path: Path) -> None:
    build_tree(tmp_path, {"a.json": "old a\n", "b.json": "old b\n", "c.json": "old c\n"})
    (tmp_path / "a.json").chmod(0o640)
    files = plan(
        tmp_path,
        new=ax.json(path="sub/new.json", variables={"v": 0}),
        a=ax.json(path="a.json", variables={"v": 1}),
        b=ax.json(path="b.json", variables={"v": 2}),
        c=ax.json(path="c.json", variables={"v": 3}),
    )
    # the writer's own steps, in order; between staging and replacing, a directory takes
    # the place of b.json, so the third os.replace fails
    changes = [change for _, _, change in compare(files, tmp_path) if change is not None]
    created_dirs: list[str] = []
    _stage(changes, created_dirs)
    assert (tmp_path / "sub/new.json").is_file()  # a new file: put in place as it is staged
    assert (tmp_path / "a.json").read_text() == "old a\n"  # the others wait for the commit
    (tmp_path / "b.json").unlink()
    (tmp_path / "b.json").mkdir()
    c_before = snapshot(tmp_path)["c.json"]

    with pytest.raises(GenerateError) as info:
        _commit(changes)

    assert str(info.value) == (
        "1 target failed; nothing was written:\n"
        "  - target 'b' (b.json): cannot replace the file: Is a directory; every file was "
        "restored"
    )
    assert (tmp_path / "a.json").read_text() == "old a\n"
    assert mode_of(tmp_path / "a.json") == 0o640
    assert not (tmp_path / "sub/new.json").exists()
    assert snapshot(tmp_path)["c.json"] == c_before
    assert (tmp_path / "b.json").is_dir()
    assert not [p for p in tmp_path.rglob("*") if "restore" in p.name]


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths appended to the list get `chattr +i` from the test and lose it afterwards."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        subprocess.run(["chattr", "-i", str(path)], check=False, capture_output=True)


def make_immutable(path: Path, registry: list[Path]) -> None:
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr to make a file that cannot be replaced")
    done = subprocess.run(["chattr", "+i", str(path)], check=False, capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
    registry.append(path)


def test_rollback_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, immutable: list[Path]
) -> None:
    config = """\
        import axogen as ax
        config = ax.define_config(targets={
            "n": ax.json(path="new/n.json", variables={"v": 1}),
            "a": ax.json(path="a.json", variables={"v": 1}),
            "b": ax.json(path="b.json", variables={"v": 1}),
            "d": ax.json(path="d.json", variables={"v": 1}),
        })
    """
    root = build_tree(tmp_path, {"axogen.config.py": config, "a.json": "A\n", "b.json": "B\n"})
    monkeypatch.chdir(root)
    # an immutable file can be read (so it is compared and staged) but not replaced
    make_immutable(root / "b.json", immutable)
    before = snapshot(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: 1 target failed; nothing was written:\n"
        "  - target 'b' (b.json): cannot replace the file: Operation not permitted; every file "
        "was restored\n"
    )
    after = snapshot(root)
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    assert sorted(after) == ["a.json", "axogen.config.py", "b.json"]
    assert not (root / "new").exists()
    assert temp_files(root) == []


MANY = """\
import os
import axogen as ax
value = os.environ.get("VALUE", "1")
config = ax.define_config(targets={
    f"t{i}": [ax.env, ax.json, ax.yaml, ax.toml][i % 4](
        f"out/s{i}/f.{['env', 'json', 'yaml', 'toml'][i % 4]}",
        {"NAME": f"svc{i}", "PORT": 8000 + i, "NESTED": {"A": [1, 2], "B": value}},
    )
    for i in range(600)
})
"""


def test_large_plans_split_over_two_processes_give_the_same_files(tmp_path: Path) -> None:
    from conftest import run_proc, subprocess_env

    one = build_tree(tmp_path / "one", {"axogen.config.py": MANY})
    two = build_tree(tmp_path / "two", {"axogen.config.py": MANY})
    result = run_proc(["-q", "generate"], cwd=one, env=subprocess_env(AXOGEN_NO_PARALLEL="1"))
    assert result.exit_code == 0, result.stderr
    result = run_proc(["-q", "generate"], cwd=two, env=subprocess_env())
    assert result.exit_code == 0, result.stderr
    files_one = {p.relative_to(one): p.read_bytes() for p in one.rglob("*") if p.is_file()}
    files_two = {p.relative_to(two): p.read_bytes() for p in two.rglob("*") if p.is_file()}
    assert len(files_one) == 601
    assert files_one == files_two


def test_a_failure_in_the_second_process_writes_nothing(
    tmp_path: Path, immutable: list[Path]
) -> None:
    from conftest import run_proc, subprocess_env

    root = build_tree(tmp_path / "p", {"axogen.config.py": MANY, "out/s599/.keep": ""})
    # the last target is staged by the second process; its folder refuses new files
    make_immutable(root / "out/s599", immutable)
    before = snapshot(root)
    result = run_proc(["generate"], cwd=root, env=subprocess_env())
    assert result.exit_code == 1, result.stderr
    assert "target 't599' (out/s599/f.toml): cannot write" in result.stderr
    assert snapshot(root) == before
    assert sorted(p.name for p in (root / "out").iterdir()) == ["s599"]
    assert temp_files(root) == []


def test_a_large_fresh_generate_that_fills_the_disk_leaves_nothing(small_disk: Path) -> None:
    from conftest import run_proc, subprocess_env

    # both processes stage (and put new files in place) until the disk is full: every new
    # file, temp file and folder of the run goes again
    root = small_disk / "p"
    root.mkdir()
    (root / "axogen.config.py").write_text(MANY)
    result = run_proc(["generate"], cwd=root, env=subprocess_env(AXOGEN_NO_CACHE="1"))
    assert result.exit_code == 1, result.stdout
    assert "No space left on device" in result.stderr
    assert "; nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in root.iterdir()) == ["axogen.config.py"]


def test_make_folders_never_goes_through_a_symlink_or_a_file(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = build_tree(tmp_path / "p", {"file": "x", "kept/.keep": ""})
    (root / "link").symlink_to(outside, target_is_directory=True)

    folders = make_folders(
        [
            "a/b/c/x.json",
            "a/b/y.json",
            "a/d/z.json",
            "link/sub/x.env",
            "file/sub/x.env",
            "../escape/x.env",
            "/abs/x.env",
            "kept/new/x.env",
            "top.env",
        ],
        str(root),
    )

    made = [os.path.relpath(f, root) for f in folders.created]
    assert made == ["a", "a/b", "a/b/c", "a/d", "kept/new"]
    assert {os.path.relpath(f, root) for f in folders.usable} == {*made, "kept"}
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "escape").exists() and not Path("/abs").exists()
    assert (root / "file").read_text() == "x"


def large_config(extra: str) -> str:
    return MANY.replace("for i in range(600)\n})", "for i in range(600)\n}" + extra + ")")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # a value no format can hold: rendering fails after the folders were made
        (' | {"bad": ax.json("out/bad/x.json", {"v": object()})}', "values of type object"),
        # a secret for a file git would commit: the guard refuses after rendering
        (
            ' | {"leak": ax.env("out/leak/.env", {"GITHUB_TOKEN": '
            '"ghp_Zq8vL2xRw7Tn4Kp9Bm3Hd6Fs1Jc5Wy0Ga2Ue8P"})}',
            "GITHUB_TOKEN",
        ),
    ],
    ids=["render-error", "secret-leak"],
)
def test_a_large_failed_generate_leaves_no_folder_behind(
    tmp_path: Path, extra: str, message: str
) -> None:
    from conftest import git_init, run_proc, subprocess_env

    root = build_tree(tmp_path / "p", {"axogen.config.py": large_config(extra)})
    git_init(root)
    before = snapshot(root)
    result = run_proc(["generate"], cwd=root, env=subprocess_env())
    assert result.exit_code != 0, result.stdout
    assert message in result.stderr
    assert "Zq8vL2xRw7" not in result.stderr
    assert snapshot(root) == before
    assert not (root / "out").exists()


def test_ctrl_c_at_any_moment_of_a_large_generate_leaves_all_or_nothing(tmp_path: Path) -> None:
    import signal
    import time

    from conftest import AXOGEN, subprocess_env

    root = build_tree(tmp_path / "p", {"axogen.config.py": MANY.replace("600", "1000")})
    outcomes = set()
    for delay in (0.02, 0.05, 0.1, 0.2, 0.4):
        proc = subprocess.Popen(
            [str(AXOGEN), "-q", "generate"],
            cwd=root,
            env=subprocess_env(AXOGEN_NO_CACHE="1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
        )
        time.sleep(delay)
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        _, err = proc.communicate(timeout=60)
        written = [p for p in root.rglob("*") if p != root / "axogen.config.py"]
        files = [p for p in written if p.is_file()]
        assert temp_files(root) == []
        if proc.returncode == 0:
            assert len(files) == 1000
        else:
            # 130 once axogen runs; earlier, Python itself was still starting and ends as
            # Python does (killed by the signal, or a fatal error during its own start-up)
            # nothing at all (no file, no folder) - or, interrupted after the last rename
            # (saving the render cache, printing the report), every file
            assert written == [] or len(files) == 1000, f"{len(files)} files"
            if proc.returncode == 130:
                # one line, saying what became of the files
                if written:
                    assert err.strip() == "error: interrupted; every file was written"
                else:
                    assert err.strip() in {
                        "error: interrupted",
                        "error: interrupted; nothing was written",
                    }
        outcomes.add(proc.returncode)
        shutil.rmtree(root / "out", ignore_errors=True)
    assert outcomes - {0}  # at least one run was interrupted


def test_no_second_process_while_another_thread_runs() -> None:
    import sys
    import threading
    import time

    from axogen.generate.fork import can_fork

    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        pytest.skip("forking is only used on Linux with two or more CPUs")
    assert can_fork(1000)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        # a fork would copy only this thread; a lock the other holds would never be freed
        assert not can_fork(1000)
    finally:
        stop.set()
        thread.join()
    # the joined thread leaves the kernel's list a moment later
    deadline = time.monotonic() + 5
    while not can_fork(1000) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert can_fork(1000)
    assert not can_fork(10)  # small plans never fork


# --- temporary files: names git ignores, leftovers of killed runs --------------------------------


def test_temp_names_end_in_the_target_name_and_fit(tmp_path: Path) -> None:
    from axogen.generate.write import temp_name

    assert temp_name(".env", 42) == ".env.axogen-42.env"
    assert temp_name("app.env", 42) == ".app.env.axogen-42.app.env"
    assert temp_name(".env.local", 7) == ".env.local.axogen-7.env.local"
    long = "k" * 200 + ".secret.json"
    name = temp_name(long, 4194304)
    assert name.startswith(".axogen-4194304.") and name.endswith(".secret.json")
    assert len(name.encode()) <= 255
    (tmp_path / name).write_text("")  # the file system takes it
    assert len(temp_name("é" * 127, 1).encode()) <= 255


@pytest.mark.parametrize(
    ("rule", "target", "covered"),
    [
        ("*.env", "auth/app.env", True),
        ("*.env", "auth/.env", True),
        (".env*", "auth/.env", True),
        (".env.*", "auth/.env.local", True),
        ("*.local", "auth/.env.local", True),
        ("secrets/", "secrets/db.json", True),
        ("/config/**", "config/k8s/secret.yaml", True),
        ("*.pem", "tls/server.pem", True),
        (".*", "auth/.env", True),
        # an exact name can match no other name: docs/safety.md says so
        (".env", "auth/.env", False),
        ("/auth/.env", "auth/.env", False),
        ("secret*", "secret.json", False),
    ],
)
def test_git_rules_that_ignore_a_target_ignore_its_temp_files(
    tmp_path: Path, rule: str, target: str, covered: bool
) -> None:
    from axogen.generate.write import temp_name
    from conftest import git_init

    git_init(tmp_path)
    (tmp_path / ".gitignore").write_text(rule + "\n")
    folder, name = os.path.split(target)
    temp = os.path.join(folder, temp_name(name, 12345))

    def ignored(path: str) -> bool:
        done = subprocess.run(["git", "check-ignore", "-q", path], cwd=tmp_path, check=False)
        return done.returncode == 0

    assert ignored(target)
    assert ignored(temp) is covered


def test_leftover_temp_files_of_gone_processes_are_removed_and_others_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import time

    from axogen.generate.write import temp_name

    config = """\
        import axogen as ax
        config = ax.define_config(targets={
            "a": ax.env("conf/a.env", {"V": "2"}),
            "n": ax.json("conf/new.json", {"v": 1}),
        })
    """
    root = build_tree(
        tmp_path / "p", {"axogen.config.py": config, "conf/a.env": "V=1\n", "conf/b.env": "x\n"}
    )
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead = int(gone.stdout)
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        live = sleeper.pid
        conf = root / "conf"
        removed = [
            temp_name("a.env", dead),  # its writer is gone
            temp_name("new.json", dead),  # a new file's, in a folder that exists
            f".a.env.axogen-{dead}.tmp",  # the name older versions used
            temp_name("a.env", live),  # reused pid: the process started after the change
        ]
        kept = [
            temp_name("b.env", dead),  # b.env is not being written: not ours to judge
            temp_name("a.env", dead) + "x",  # not axogen's exact name
            temp_name("a.env", live),  # a live process that may be writing it
        ]
        for name in removed[:3]:
            (conf / name).write_text("SECRET=1\n")
        for name in kept[:2]:
            (conf / name).write_text("x\n")
        (conf / removed[3]).write_text("x\n")
        old = time.time() - 86400
        os.utime(conf / removed[3], (old, old))
        os.rename(conf / removed[3], conf / "reused")
        (conf / kept[2]).write_text("x\n")
        (conf / temp_name("new.json", live)).mkdir()  # a folder: never removed
        monkeypatch.chdir(root)

        # first with the reused-pid file moved away: the live process's file is kept
        result = run_cli("generate")

        assert result.exit_code == 0, result.output
        assert (conf / "a.env").read_text().endswith("V=2\n")
        left = sorted(p.name for p in conf.iterdir())
        assert left == sorted(
            ["a.env", "b.env", "new.json", "reused", *kept, temp_name("new.json", live)]
        )
        assert "warning: removed 3 temporary files left by an axogen run that was killed" in (
            result.stderr
        )
        assert f"axogen process {live}, which is still running" in result.stderr

        # a file of that pid, older than the process: the pid was reused, the file is stale
        os.unlink(conf / kept[2])
        os.rename(conf / "reused", conf / removed[3])
        result = run_cli("generate", env={})
        # nothing to write (a.env is up to date): a leftover is only looked for beside a
        # file being written
        assert (conf / removed[3]).exists()
        (conf / "a.env").write_text("V=1\n")
        result = run_cli("generate")
        assert result.exit_code == 0, result.output
        assert not (conf / removed[3]).exists()
        assert "removed 1 temporary file left" in result.stderr
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_target_named_like_a_temp_file_is_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from axogen.generate.write import temp_name

    name = temp_name("a.env", 999999)  # no such process
    config = f"""\
        import axogen as ax
        config = ax.define_config(targets={{
            "a": ax.env("a.env", {{"V": "2"}}),
            "odd": ax.env("{name}", {{"V": "odd"}}),
        }})
    """
    root = build_tree(tmp_path / "p", {"axogen.config.py": config, "a.env": "V=1\n"})
    monkeypatch.chdir(root)
    assert run_cli("generate").exit_code == 0
    (root / "a.env").write_text("V=1\n")
    result = run_cli("generate")
    assert result.exit_code == 0, result.output
    assert (root / name).read_text().endswith("V=odd\n")
    assert "removed" not in result.stderr


# --- modes are part of the transaction -----------------------------------------------------------


MODES_CONFIG = """\
    import axogen as ax
    config = ax.define_config(targets={
        "m": ax.json("m.json", {"v": 1}, mode=0o600),
        "a": ax.json("a.json", {"v": 2}),
        "n": ax.json("new/n.json", {"v": 1}),
    })
"""


def test_a_failed_mode_change_leaves_every_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, immutable: list[Path]
) -> None:
    root = build_tree(
        tmp_path / "p",
        {"axogen.config.py": MODES_CONFIG, "m.json": '{\n  "v": 1\n}\n', "a.json": "A\n"},
    )
    (root / "m.json").chmod(0o644)
    # an immutable file: its mode cannot change (not even by root); its content is the same
    make_immutable(root / "m.json", immutable)
    monkeypatch.chdir(root)
    before = snapshot(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: 1 target failed; nothing was written:\n"
        "  - target 'm' (m.json): cannot change its mode: Operation not permitted; every file "
        "was restored\n"
    )
    assert snapshot(root) == before
    assert not (root / "new").exists()
    assert temp_files(root) == []


def test_a_failed_replace_puts_back_a_mode_already_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, immutable: list[Path]
) -> None:
    root = build_tree(
        tmp_path / "p",
        {"axogen.config.py": MODES_CONFIG, "m.json": '{\n  "v": 1\n}\n', "a.json": "A\n"},
    )
    (root / "m.json").chmod(0o644)
    make_immutable(root / "a.json", immutable)  # its content cannot be replaced
    monkeypatch.chdir(root)
    before = snapshot(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert "target 'a' (a.json): cannot replace the file: Operation not permitted" in (
        result.stderr
    )
    assert mode_of(root / "m.json") == 0o644  # changed first, then put back
    assert snapshot(root) == before
    assert temp_files(root) == []
