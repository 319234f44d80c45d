"""backup=True keeps the old content before a change; `axogen restore` brings it back."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import build_tree, git_init, run_cli, snapshot

CONFIG = """\
import os
import axogen as ax

value = os.environ.get("VALUE", "one")
config = ax.define_config(targets={
    "app": ax.json("conf/app.json", {"value": value}, backup=BACKUP),
    "plain": ax.json("plain.json", {"value": value}),
})
"""


def project(tmp_path: Path, backup: str = "True") -> Path:
    return build_tree(tmp_path / "p", {"axogen.config.py": CONFIG.replace("BACKUP", backup)})


def backups(root: Path, folder: str = ".axogen/backups") -> list[Path]:
    base = root / folder / "conf/app.json"
    return sorted(base.iterdir()) if base.is_dir() else []


def gen(root: Path, value: str) -> None:
    result = run_cli("-C", str(root), "generate", env={"VALUE": value})
    assert result.exit_code == 0, result.output


def test_no_backup_when_created_or_unchanged(tmp_path: Path) -> None:
    root = project(tmp_path)
    gen(root, "one")
    gen(root, "one")
    assert backups(root) == []


def test_old_content_is_kept_before_a_change(tmp_path: Path) -> None:
    root = project(tmp_path)
    gen(root, "one")
    old = (root / "conf/app.json").read_bytes()
    gen(root, "two")
    [copy] = backups(root)
    assert copy.read_bytes() == old
    assert os.stat(copy).st_mode & 0o777 == 0o600
    # names are valid on Windows: no colons or other reserved characters
    assert re.fullmatch(r"[0-9A-Za-z.\-]+", copy.name)
    # backups are never committed: the backup folder itself ignores them
    assert "*.bak" in (root / ".axogen/backups/.gitignore").read_text().splitlines()
    assert not (root / ".axogen/.gitignore").exists()
    # the name records the size and hash restore checks
    size, digest = copy.name.removesuffix(".bak").split("-")[-2:]
    assert int(size) == len(old)
    assert digest == hashlib.sha256(old).hexdigest()[:32]
    # targets without backup= get none
    assert not (root / ".axogen/backups/plain.json").exists()


def test_oldest_beyond_keep_are_removed(tmp_path: Path) -> None:
    root = project(tmp_path, 'ax.Backup(folder="bk", keep=2)')
    for value in ["a", "b", "c", "d"]:
        gen(root, value)
    kept = backups(root, "bk")
    assert len(kept) == 2
    assert [p.read_text() for p in kept] == ['{\n  "value": "b"\n}\n', '{\n  "value": "c"\n}\n']


def test_restore_lists_and_restores_and_is_undoable(tmp_path: Path) -> None:
    root = project(tmp_path)
    gen(root, "one")
    gen(root, "two")
    listing = run_cli("-C", str(root), "restore", "app", "--list")
    assert listing.exit_code == 0
    assert listing.stdout.count(".bak") == 1
    result = run_cli("-C", str(root), "restore", "app")
    assert result.exit_code == 0, result.output
    assert '"one"' in (root / "conf/app.json").read_text()
    # the replaced content became the newest backup
    assert '"two"' in backups(root)[-1].read_text()
    # and generate brings the config's content back
    gen(root, "two")
    assert '"two"' in (root / "conf/app.json").read_text()


def test_restore_errors(tmp_path: Path) -> None:
    root = project(tmp_path)
    gen(root, "one")
    result = run_cli("-C", str(root), "restore", "ap")
    assert result.exit_code == 2
    assert "unknown target 'ap'; did you mean 'app'?" in result.stderr
    result = run_cli("-C", str(root), "restore", "app")
    assert result.exit_code == 1
    assert "no backups" in result.stderr
    gen(root, "two")
    result = run_cli("-C", str(root), "restore", "app", "--backup", "9")
    assert result.exit_code == 2


@pytest.mark.parametrize("bad", ["5", '"yes"', "ax.Backup(keep=0)", 'ax.Backup(folder="../x")'])
def test_bad_backup_option_is_a_config_error(tmp_path: Path, bad: str) -> None:
    root = project(tmp_path, bad)
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 1
    assert "axogen.config.py:6" in result.stderr


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    root = project(tmp_path)
    gen(root, "one")
    gen(root, "two")
    [copy] = backups(root)
    good = copy.read_bytes()
    current = (root / "conf/app.json").read_bytes()
    for damaged in (good[:-7], good.replace(b"one", b"eno")):  # cut short; same size, edited
        copy.write_bytes(damaged)

        result = run_cli("-C", str(root), "restore", "app")

        assert result.exit_code == 1
        assert f"error: target 'app' (conf/app.json): backup {copy.name} is damaged" in (
            result.stderr
        )
        assert "not restoring it" in result.stderr
        assert (root / "conf/app.json").read_bytes() == current
        listing = run_cli("-C", str(root), "restore", "app", "--list")
        assert "DAMAGED" in listing.stdout
    copy.write_bytes(good)
    assert run_cli("-C", str(root), "restore", "app").exit_code == 0
    assert (root / "conf/app.json").read_bytes() == good


def test_restore_refuses_a_backup_without_a_checksum(tmp_path: Path) -> None:
    root = project(tmp_path)
    gen(root, "one")
    old = root / ".axogen/backups/conf/app.json/20240101T000000-000000Z.bak"
    old.parent.mkdir(parents=True)
    old.write_text("saved by an older axogen\n")

    result = run_cli("-C", str(root), "restore", "app")

    assert result.exit_code == 1
    assert "has no recorded size and checksum" in result.stderr
    assert f"copy it by hand: {old}" in result.stderr
    assert (
        "(no checksum: cannot be checked)"
        in run_cli("-C", str(root), "restore", "app", "--list").stdout
    )


def test_restore_where_a_folder_now_stands(tmp_path: Path) -> None:
    root = project(tmp_path)
    gen(root, "one")
    gen(root, "two")
    (root / "conf/app.json").unlink()
    (root / "conf/app.json").mkdir()
    (root / "conf/app.json/keep.txt").write_text("mine\n")

    result = run_cli("-C", str(root), "restore", "app")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: target 'app' (conf/app.json): a folder now stands where the file was; not "
        "restoring\n  hint: move the folder conf/app.json away, then restore again\n"
    )
    assert (root / "conf/app.json/keep.txt").read_text() == "mine\n"


def test_a_failed_run_leaves_no_new_backup_and_prunes_none(tmp_path: Path) -> None:
    root = project(tmp_path, 'ax.Backup(folder="bk", keep=1)')
    gen(root, "a")
    gen(root, "b")
    before = backups(root, "bk")
    assert len(before) == 1
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr to make a file that cannot be replaced")
    # the other target's file cannot be replaced: the run fails after the backups are saved
    done = subprocess.run(["chattr", "+i", str(root / "plain.json")], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
    try:
        result = run_cli("-C", str(root), "generate", env={"VALUE": "c"})
    finally:
        subprocess.run(["chattr", "-i", str(root / "plain.json")], check=False)

    assert result.exit_code == 1
    assert "target 'plain' (plain.json): cannot replace the file" in result.stderr
    assert backups(root, "bk") == before  # the older backup is still there, no new one
    assert '"b"' in (root / "conf/app.json").read_text()


# --- a full disk ---------------------------------------------------------------------------------


BIG = """\
import os
import axogen as ax

value = os.environ["VALUE"]
config = ax.define_config(targets={
    "app": ax.json("app.json", {"value": value * 60000}, backup=True),
})
"""


def test_a_full_disk_while_saving_a_backup_leaves_no_truncated_backup(small_disk: Path) -> None:
    root = build_tree(small_disk / "p", {"axogen.config.py": BIG})
    gen(root, "1")
    gen(root, "2")  # 60 KB file, its 60 KB backup and the config fill most of 200 KB
    [first] = sorted((root / ".axogen/backups/app.json").glob("*.bak"))
    saved = first.stat().st_size
    before = snapshot(root)

    # staging the new file fits; its backup of the old one does not
    result = run_cli("-C", str(root), "generate", env={"VALUE": "3"})

    assert result.exit_code == 1
    assert "target 'app' (app.json): cannot back up the old file: No space left on device" in (
        result.stderr
    )
    assert snapshot(root) == before  # no truncated backup, no temp file, app.json as it was
    assert not [p for p in root.rglob("*") if ".axogen-" in p.name]

    # restore cannot save the current content either: it refuses, writes nothing
    result = run_cli("-C", str(root), "restore", "app", env={"VALUE": "3"})
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert snapshot(root) == before

    # the only backup, cut to a 40 KB prefix of its 60 KB by some other means, is refused
    os.truncate(first, 40960)
    result = run_cli("-C", str(root), "restore", "app", env={"VALUE": "3"})
    assert result.exit_code == 1
    assert f"backup {first.name} is damaged: it holds 40960 bytes, {saved} were saved" in (
        result.stderr
    )
    assert (root / "app.json").read_bytes() == before["app.json"][0]


# --- where backups go: git, symlinks --------------------------------------------------------------


def git_status(root: Path) -> list[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(done.stdout.splitlines())


GIT_CONFIG = """\
import os
import axogen as ax

value = os.environ.get("VALUE", "one")
config = ax.define_config(targets={
    "app": ax.json("app.json", {"value": value}, backup=ax.Backup(folder="config/.backups")),
})
"""


@pytest.mark.parametrize(
    "existing",
    [{}, {"config/.gitignore": "*.log\n"}, {"config/.backups/.gitignore": "# mine\n"}],
    ids=["no-gitignore", "config-has-one", "backup-folder-has-one"],
)
def test_git_sees_no_backup_and_every_other_file_as_before(
    tmp_path: Path, existing: dict[str, str]
) -> None:
    root = build_tree(
        tmp_path / "p",
        {
            "axogen.config.py": GIT_CONFIG,
            ".gitignore": "app.json\n",
            "config/tracked.txt": "t\n",
            "config/other.txt": "o\n",
            **existing,
        },
    )
    git_init(root)
    tracked = ["axogen.config.py", ".gitignore", "config/tracked.txt", *existing]
    subprocess.run(["git", "add", *tracked], cwd=root, check=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "commit", "-qm", "start"], cwd=root, check=True)
    assert git_status(root) == ["?? config/other.txt"]

    for value in ["one", "two", "three"]:
        result = run_cli("-C", str(root), "generate", env={"VALUE": value})
        assert result.exit_code == 0, result.output

    assert len(list((root / "config/.backups/app.json").glob("*.bak"))) == 2
    # the backups hide from git, config/ is as it was, and the backup folder's own
    # .gitignore (axogen's or the user's, completed) shows as a change at most
    status = git_status(root)
    expected = ["?? config/other.txt"]
    if "config/.backups/.gitignore" in existing:
        expected.append(" M config/.backups/.gitignore")
    assert status == sorted(expected)
    for name, text in existing.items():
        if name == "config/.gitignore":
            assert (root / name).read_text() == text
    ignore = (root / "config/.backups/.gitignore").read_text()
    assert ignore.count("*.bak") == 1  # completed once, not on every run


def test_a_symlink_on_the_backup_path_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    gen(root, "one")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / ".axogen").symlink_to(outside, target_is_directory=True)
    before = snapshot(root)

    result = run_cli("-C", str(root), "generate", env={"VALUE": "two"})

    assert result.exit_code == 1
    assert (
        "target 'app' (conf/app.json): backup folder .axogen is a symlink; axogen never "
        "writes or reads backups through symlinks" in result.stderr
    )
    assert list(outside.iterdir()) == []
    assert snapshot(root) == before
    result = run_cli("-C", str(root), "restore", "app")
    assert result.exit_code == 1
    assert "backup folder .axogen is a symlink" in result.stderr
