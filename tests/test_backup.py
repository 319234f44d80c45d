"""backup=True keeps the old content before a change; `axogen restore` brings it back."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import build_tree, run_cli

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
    # backups are never committed
    assert (root / ".axogen/.gitignore").read_text().splitlines()[-1] == "*"
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
