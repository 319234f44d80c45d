"""`axogen generate --watch` as a real process: edits regenerate, errors keep it watching."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from axogen.commands.watch import WatchSet
from conftest import (
    AXOGEN,
    DB_PASSWORD,
    JWT_SECRET,
    PROJECT_CONFIG,
    PROJECT_ENV,
    PROJECT_GITIGNORE,
    build_tree,
    git_init,
    run_proc,
    subprocess_env,
)

TIMEOUT = 15.0


class Watcher:
    """`axogen generate --watch` in a subprocess, its output collected line by line."""

    def __init__(self, root: Path, *args: str) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            [str(AXOGEN), "generate", "--watch", "--debounce", "50", *args],
            cwd=root,
            env=subprocess_env(AXOGEN_CACHE_DIR=os.environ["AXOGEN_CACHE_DIR"]),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        with self._lock:
            return "\n".join(self.lines)

    def count(self, text: str) -> int:
        with self._lock:
            return sum(text in line for line in self.lines)

    def wait_for(self, what: str, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            if self.proc.poll() is not None:
                pytest.fail(
                    f"axogen exited ({self.proc.returncode}) waiting for {what}:\n{self.output}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}:\n{self.output}")
            time.sleep(0.02)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(TIMEOUT)
        finally:
            self.close()
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(TIMEOUT)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = build_tree(
        tmp_path / "proj",
        {
            "axogen.config.py": PROJECT_CONFIG,
            ".env.axogen": PROJECT_ENV,
            ".gitignore": PROJECT_GITIGNORE,
        },
    )
    git_init(root)
    return root


@pytest.fixture
def watcher(repo: Path) -> Iterator[Watcher]:
    w = Watcher(repo)
    try:
        yield w
    finally:
        w.close()


def summaries(w: Watcher) -> int:
    """How many runs have ended with their summary line."""
    return w.count(" created, ")


def test_watch_regenerates_survives_errors_and_stops_on_ctrl_c(
    repo: Path, watcher: Watcher
) -> None:
    auth = repo / "auth/.env"
    watcher.wait_for("the first run", lambda: watcher.count("watching ") == 1)
    assert "4 created, 0 updated, 0 unchanged, 1 skipped" in watcher.output
    assert "DB_PORT" not in auth.read_text() and ":5432/auth" in auth.read_text()

    # an edit of .env.axogen regenerates what depends on it
    (repo / ".env.axogen").write_text(PROJECT_ENV + "DB_PORT=6543\n", encoding="utf-8")
    watcher.wait_for("the new port", lambda: ":6543/auth" in auth.read_text())
    watcher.wait_for("the report", lambda: summaries(watcher) == 2)
    assert "changed   .env.axogen" in watcher.output

    # a broken config prints the error, writes nothing and keeps watching
    config = repo / "axogen.config.py"
    config.write_text(PROJECT_CONFIG + "\nconfig = undefined_name\n", encoding="utf-8")
    watcher.wait_for("the error", lambda: watcher.count("NameError") == 1)
    assert "error: axogen.config.py:" in watcher.output
    assert watcher.proc.poll() is None

    # an invalid value is an error too; its secret never shows
    (repo / ".env.axogen").write_text(f"DB_PASSWORD={DB_PASSWORD}\nJWT_SECRET=short\n")
    config.write_text(PROJECT_CONFIG, encoding="utf-8")
    watcher.wait_for("the env error", lambda: watcher.count("  - JWT_SECRET: ") == 1)

    # fixed: generate runs again
    (repo / ".env.axogen").write_text(
        f"DB_PASSWORD={DB_PASSWORD}\nJWT_SECRET={JWT_SECRET}\nDB_PORT=7000\n", encoding="utf-8"
    )
    watcher.wait_for("the fix", lambda: ":7000/auth" in auth.read_text())
    watcher.wait_for("the report", lambda: summaries(watcher) == 3)

    # its own writes never trigger another run
    runs = watcher.count("changed   ")
    time.sleep(0.6)
    assert watcher.count("changed   ") == runs
    assert summaries(watcher) == 3

    assert watcher.stop() == 130
    assert "Traceback" not in watcher.output
    assert "interrupted" not in watcher.output
    assert DB_PASSWORD not in watcher.output and JWT_SECRET not in watcher.output


def test_watch_reacts_to_a_module_the_config_imports(repo: Path) -> None:
    build_tree(
        repo,
        {
            "ports.py": "PORT = 1\n",
            "axogen.config.py": """\
                from pathlib import Path

                import axogen as ax
                from ports import PORT

                # counts the config's runs, in a folder the watcher ignores
                with open(Path(__file__).parent / "node_modules/runs.log", "a") as log:
                    log.write("run\\n")
                config = ax.define_config(targets={"a": ax.env("out/a.env", {"PORT": PORT})})
            """,
            "node_modules/x.js": "",
        },
    )
    w = Watcher(repo)
    try:
        w.wait_for("the first run", lambda: w.count("watching ") == 1)
        (repo / "node_modules/x.js").write_text("ignored")
        (repo / "ports.py").write_text("PORT = 2\n")
        w.wait_for("the new value", lambda: (repo / "out/a.env").read_text().endswith("PORT=2\n"))
        assert w.count("changed   ports.py") == 1
        assert "node_modules" not in w.output
        # the config ran once per generate: never a second time just to learn the outputs
        assert (repo / "node_modules/runs.log").read_text() == "run\n" * 2
        assert w.stop() == 130
    finally:
        w.close()


def test_watch_re_renders_only_the_template_whose_include_changed(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path / "proj",
        {
            "axogen.config.py": """\
                import axogen as ax

                config = ax.define_config(targets={
                    "a": ax.template("out/a.txt", {"n": 1}, template="tpl/a.j2"),
                    "b": ax.template("out/b.txt", {"n": 2}, template="tpl/b.j2"),
                })
            """,
            "tpl/a.j2": "{% include 'a_head.j2' %}\nn={{ n }}\n",
            "tpl/a_head.j2": "# a",
            "tpl/b.j2": "{% include 'b_head.j2' %}\nn={{ n }}\n",
            "tpl/b_head.j2": "# b",
        },
    )
    w = Watcher(root, "-v")
    try:
        w.wait_for("the first run", lambda: w.count("watching ") == 1)
        assert w.count("(2 rendered, 0 known unchanged)") == 1
        # the first target's include, then the second's: each run renders that target alone
        (root / "tpl/a_head.j2").write_text("# A")
        w.wait_for("a", lambda: (root / "out/a.txt").read_text() == "# A\nn=1\n")
        w.wait_for("the report", lambda: w.count(" created, ") == 2)
        (root / "tpl/b_head.j2").write_text("# B")
        w.wait_for("b", lambda: (root / "out/b.txt").read_text() == "# B\nn=2\n")
        w.wait_for("the report", lambda: w.count(" created, ") == 3)
        assert w.count("(1 rendered, 1 known unchanged)") == 2, w.output
        assert w.count("updated   out/a.txt (a)") == 1
        assert w.count("updated   out/b.txt (b)") == 1
        assert w.stop() == 130
    finally:
        w.close()


def test_watch_with_an_unknown_target_is_a_usage_error(repo: Path) -> None:
    result = run_proc(["generate", "--watch", "-t", "nope"], cwd=repo)
    assert result.exit_code == 2
    assert "unknown target 'nope'" in result.stderr


def test_watch_without_a_config(tmp_path: Path) -> None:
    result = run_proc(["generate", "--watch"], cwd=tmp_path, env=subprocess_env())
    assert result.exit_code == 1
    assert "no axogen.config.py found" in result.stderr


# --- what is watched, without processes -------------------------------------------------------


def test_watch_set_ignores_outputs_and_tool_folders(tmp_path: Path) -> None:
    root = str(tmp_path)
    outside = str(tmp_path.parent / "shared")
    ws = WatchSet(
        root,
        outputs=frozenset({f"{root}/auth/.env"}),
        ignored_dirs=(f"{root}/.axogen/backups", f"{root}/cache"),
        outside=frozenset({(outside, ".env.axogen")}),
    )
    accepted = [
        "axogen.config.py",
        ".env.axogen",
        ".env.axogen.staging",
        ".env.axogen.local",
        "templates/app.j2",
        "ports.py",
        "conf/.app.yaml.axogen-4567.other.yaml",
    ]
    ignored = [
        "auth/.env",
        "auth/..env.axogen-123.tmp",
        "auth/.env.axogen-99.tmp",
        "auth/.env.axogen-123.env",
        "conf/.app.yaml.axogen-4567.app.yaml",
        "conf/.axogen-4567." + "k" * 230,
        ".git/index",
        ".venv/lib/x.py",
        "node_modules/a/b.js",
        "sub/__pycache__/m.cpython-311.pyc",
        ".axogen/backups/auth/.env/1.bak",
        "cache/x",
        "axogen.config.py.swp",
        "notes.txt~",
    ]
    for rel in accepted:
        assert ws.accepts(f"{root}/{rel}"), rel
    for rel in ignored:
        assert not ws.accepts(f"{root}/{rel}"), rel
    assert ws.accepts(f"{outside}/.env.axogen")
    assert ws.accepts(f"{outside}/.env.axogen.production")
    assert not ws.accepts(f"{outside}/other.txt")
    assert not ws.accepts(f"{tmp_path.parent}/elsewhere/.env.axogen")
    assert ws.paths() == sorted([root, outside])
    # a folder inside another one is not watched twice
    nested = WatchSet(root, outside=frozenset({(f"{root}/env", ".env.axogen")}))
    assert nested.paths() == [root]


def test_files_that_come_and_go_trigger_nothing(repo: Path, watcher: Watcher) -> None:
    watcher.wait_for("the first run", lambda: watcher.count("watching ") == 1)

    # an editor's temp file, gone before the batch ends
    scratch = repo / "notes.tmp.1234"
    scratch.write_text("x")
    scratch.unlink()
    time.sleep(0.6)
    assert watcher.count("changed   ") == 0 and summaries(watcher) == 1

    # sed -i writes a temp file beside the one it edits, then renames it over it
    subprocess.run(["sed", "-i", "$a DB_PORT=6000", ".env.axogen"], cwd=repo, check=True)
    watcher.wait_for("the new port", lambda: ":6000/auth" in (repo / "auth/.env").read_text())
    watcher.wait_for("the report", lambda: summaries(watcher) == 2)
    changed = [line for line in watcher.lines if line.startswith("changed   ")]
    assert changed == ["changed   .env.axogen"], changed
    assert watcher.stop() == 130
