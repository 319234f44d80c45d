"""Files axogen writes that are not targets (`init`'s files, env files and `.env.keys`,
backups and their `.gitignore`, the render cache) go through the writer: whole or not at
all, on a full disk and under a signal, never through a symlink, no temp file left."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from axogen.errors import AxogenError
from axogen.generate.write import temp_name, umask, write_file_atomically
from conftest import AXOGEN, build_tree, git_init, run_cli, snapshot, subprocess_env


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if ".axogen-" in p.name]


def fill(disk: Path) -> None:
    """Fill the disk to the last byte."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(fd, b"x" * size)
            except OSError:
                pass
    finally:
        os.close(fd)


# --- the helper itself -----------------------------------------------------------------------


def test_a_new_file_gets_new_mode_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    new = tmp_path / "new.txt"
    identity = write_file_atomically(new, b"one\n")
    assert new.read_bytes() == b"one\n"
    st = new.stat()
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert identity == (st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode)

    new.chmod(0o640)
    write_file_atomically(new, b"two\n", new_mode=0o600)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640  # kept
    write_file_atomically(new, b"three\n", 0o644)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644  # given
    assert new.read_bytes() == b"three\n"
    shared = tmp_path / "shared.txt"
    write_file_atomically(shared, b"x", new_mode=0o666 & ~umask())
    assert stat.S_IMODE(shared.stat().st_mode) == 0o666 & ~umask()
    assert temp_files(tmp_path) == []


def test_a_symlink_or_a_folder_in_the_way_is_refused_and_left_alone(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(elsewhere)
    with pytest.raises(AxogenError, match="is a symlink; axogen never writes through symlinks"):
        write_file_atomically(link, b"new")
    assert elsewhere.read_text() == "keep" and link.is_symlink()
    (tmp_path / "dir").mkdir()
    with pytest.raises(AxogenError, match="exists and is not a regular file"):
        write_file_atomically(tmp_path / "dir", b"new")
    assert temp_files(tmp_path) == []


def test_a_full_disk_leaves_the_old_file_whole_and_no_temp_file(small_disk: Path) -> None:
    file = small_disk / "notes.txt"
    file.write_bytes(b"old content\n")
    fill(small_disk)
    with pytest.raises(OSError) as failure:
        write_file_atomically(file, b"new content, longer than the old one\n" * 100)
    assert "No space left on device" in str(failure.value)
    assert file.read_bytes() == b"old content\n"
    assert temp_files(small_disk) == []


def test_the_temp_file_is_named_as_the_writer_names_its_own(tmp_path: Path) -> None:
    # beside the file, ending in its name: ignored by git where the file is; the watcher and
    # a later run's sweep know it
    assert temp_name(".env.axogen", 1234) == ".env.axogen.axogen-1234.env.axogen"
    assert temp_name(".env.keys", 1234) == ".env.keys.axogen-1234.env.keys"


# --- the commands that write them ---------------------------------------------------------------


def test_init_on_a_full_disk_writes_no_half_file(small_disk: Path) -> None:
    root = small_disk / "p"
    root.mkdir()
    fill(small_disk)
    result = run_cli("-C", str(root), "init")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(root.iterdir()) == []  # no config cut short, no temp file


ENV_CONFIG = """\
import axogen as ax

config = ax.define_config(targets={})
"""


def test_env_set_on_a_full_disk_leaves_the_env_file_as_it_was(small_disk: Path) -> None:
    root = build_tree(small_disk / "p", {"axogen.config.py": ENV_CONFIG, ".env.axogen": "A=1\n"})
    git_init(root)
    fill(small_disk)
    before = snapshot(root)
    result = run_cli("-C", str(root), "env", "set", "--plain", "B", "2" * 5000)
    assert result.exit_code == 1
    # named from where axogen runs: the project is elsewhere, so by its whole path
    env_file = root / ".env.axogen"
    assert f"error: cannot write {env_file}: No space left on device; it was left as it was" in (
        result.stderr
    )
    assert snapshot(root) == before
    assert temp_files(root) == []


def test_env_encrypt_on_a_full_disk_makes_no_keys_file(small_disk: Path) -> None:
    root = build_tree(
        small_disk / "p",
        {
            "axogen.config.py": ENV_CONFIG,
            ".env.axogen": "API_TOKEN=Qx9zLm4Rt7Vb2Nc8Hd5Fg1Jk\n",
            ".gitignore": ".env.keys\n",
        },
    )
    git_init(root)
    fill(small_disk)
    before = snapshot(root)
    result = run_cli("-C", str(root), "env", "encrypt", "--all")
    assert result.exit_code == 1
    assert f"error: cannot write {root / '.env.keys'}: No space left on device" in result.stderr
    assert snapshot(root) == before
    assert "Qx9zLm4Rt7Vb2Nc8Hd5Fg1Jk" not in result.stderr


def test_a_signal_at_any_moment_of_env_set_leaves_the_old_or_the_new_file(
    tmp_path: Path,
) -> None:
    big = "v" * 4_000_000  # a long write: the signal lands in it, before or after it
    root = build_tree(tmp_path / "p", {"axogen.config.py": ENV_CONFIG, ".env.axogen": "A=1\n"})
    git_init(root)
    old = (root / ".env.axogen").read_text()
    value = tmp_path / "value"
    value.write_text(big)  # read from standard input: too long for an argument
    outcomes = set()
    for attempt in range(8):
        with open(value, "rb") as stdin:
            proc = subprocess.Popen(
                [str(AXOGEN), "env", "set", "--plain", "B"],
                cwd=root,
                env=subprocess_env(),
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            # once the new content is being staged, at a later moment each time
            while proc.poll() is None and not temp_files(root):
                pass
            time.sleep(0.002 * attempt)
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
        text = (root / ".env.axogen").read_text()
        assert text in (old, f"A=1\nB={big}\n"), err[-300:]
        assert temp_files(root) == [], err[-300:]
        if proc.returncode == 143:
            assert "terminated by SIGTERM" in err
        else:
            # done before the signal came (-15: after axogen had finished, while Python exited)
            assert proc.returncode in (0, -signal.SIGTERM), err[-300:]
            assert text != old
        outcomes.add("old" if text == old else "new")
        if text != old:
            (root / ".env.axogen").write_text(old)
    assert "old" in outcomes  # a signal while the temp file was there undid the write


def test_a_backup_folder_gitignore_is_written_whole(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path / "p",
        {
            "axogen.config.py": """\
                import os
                import axogen as ax

                config = ax.define_config(targets={
                    "app": ax.json("app.json", {"v": os.environ.get("V", "1")}, backup=True),
                })
            """,
        },
    )
    assert run_cli("-C", str(root), "generate").exit_code == 0
    assert run_cli("-C", str(root), "generate", env={"V": "2"}).exit_code == 0
    ignore = root / ".axogen/backups/.gitignore"
    assert "*.bak" in ignore.read_text()
    assert stat.S_IMODE(ignore.stat().st_mode) == 0o644 & ~umask()
    # an ignore file lacking the rule is completed, not replaced
    ignore.write_bytes(b"# mine \xff\n")
    assert run_cli("-C", str(root), "generate", env={"V": "3"}).exit_code == 0
    assert ignore.read_bytes() == b"# mine \xff\n# axogen backups\n*.bak\n"
    assert temp_files(root) == []
    assert os.listdir(root / ".axogen/backups/app.json")


def test_init_writes_its_files_together_or_none(tmp_path: Path) -> None:
    # .gitignore is a symlink: the writer refuses it, and then writes no other file either
    root = tmp_path / "p"
    root.mkdir()
    outside = tmp_path / "elsewhere"
    outside.write_text("node_modules/\n")
    (root / ".gitignore").symlink_to(outside)
    result = run_cli("-C", str(root), "init")
    assert result.exit_code == 1
    assert "the file is a symlink; axogen never writes through symlinks" in result.stderr
    assert "created" not in result.stdout  # nothing is reported written: nothing was
    assert sorted(p.name for p in root.iterdir()) == [".gitignore"]
    assert outside.read_text() == "node_modules/\n"

    (root / ".gitignore").unlink()
    result = run_cli("-C", str(root), "init")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in root.iterdir())
    assert names == [".env.axogen", ".gitignore", "axogen.config.py"]
