"""Workload W1: 10,000 targets cycling env/json/yaml/toml, timed against a bare-Python floor.

Not a test: run it by hand (see benchmarks/README.md).

    python benchmarks/w1.py                 # the table: floor, fresh, no-op, --version, memory
    python benchmarks/w1.py --runs 5        # best of 5 instead of 3
    python benchmarks/w1.py --all-formats   # cycle all 13 target formats, templates included
    python benchmarks/w1.py --profile       # fresh generate in-process under cProfile

Every figure except --profile comes from a real subprocess, timed wall-clock, best of N.
Peak memory is the child's max RSS as reported by os.wait4.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass

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

FLOOR_TEMPLATE = '''"""W1 floor, written by benchmarks/w1.py: the same files' data, json.dumps, a plain loop."""

import json
import os
import sys
{data}

root = sys.argv[1]
for i in range(N):
    fmt = FORMATS[i % len(FORMATS)]
    folder = os.path.join(root, "out", f"svc{{i}}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, FILES[fmt]), "w", encoding="utf-8") as f:
        f.write(json.dumps(target_data(fmt, i), indent=2) + "\\n")
'''

BUDGET_FRESH = 1.5  # x floor
BUDGET_NOOP = 0.5  # x floor
BUDGET_VERSION_S = 0.080
BUDGET_MEMORY_MB = 250.0


@dataclass
class Run:
    seconds: float
    max_rss_mb: float | None
    system_seconds: float | None = None  # CPU time the child spent in the kernel


@dataclass
class Figure:
    """Best of several runs, plus every run's time (the spread is worth seeing)."""

    seconds: float
    max_rss_mb: float | None
    all_seconds: list[float]
    system_seconds: float | None  # of the fastest run


def build(root: str, n: int, all_formats: bool = False) -> None:
    """Write axogen.config.py and floor.py for `n` targets into `root`."""
    data = DATA_SOURCE.format(n=n)
    if all_formats:
        data += ALL_FORMATS_SOURCE
        with open(os.path.join(root, "service.conf.j2"), "w", encoding="utf-8") as f:
            f.write(SERVICE_TEMPLATE)
    with open(os.path.join(root, "axogen.config.py"), "w", encoding="utf-8") as f:
        f.write(CONFIG_TEMPLATE.format(data=data))
    with open(os.path.join(root, "floor.py"), "w", encoding="utf-8") as f:
        f.write(FLOOR_TEMPLATE.format(data=data))


def _rss_mb(maxrss: int) -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def run(cmd: Sequence[str], cwd: str) -> Run:
    """Run `cmd` to completion; wall-clock time and the child's peak RSS. Fails loudly."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss: float | None = _rss_mb(usage.ru_maxrss)
            system: float | None = usage.ru_stime
        else:  # no wait4 (Windows): time only
            proc.wait()
            seconds = time.perf_counter() - started
            rss = system = None
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(
                f"w1: {' '.join(cmd)} exited {proc.returncode}:\n"
                + err.read().decode(errors="replace")[-4000:]
            )
    return Run(seconds, rss, system)


def axogen_command() -> list[str]:
    """The `axogen` console script of this interpreter's environment, else `python -m axogen`."""
    bindir = os.path.dirname(sys.executable)
    for name in ("axogen", "axogen.exe"):
        script = os.path.join(bindir, name)
        if os.path.isfile(script):
            return [script]
    found = shutil.which("axogen")
    return [found] if found else [sys.executable, "-m", "axogen"]


def snapshot(out_dir: str) -> dict[str, int]:
    """Path -> mtime_ns of every file under `out_dir`."""
    found = {}
    for folder, _, files in os.walk(out_dir):
        for name in files:
            path = os.path.join(folder, name)
            found[path] = os.stat(path).st_mtime_ns
    return found


def best(runs: list[Run]) -> Figure:
    """The fastest time; the highest peak memory of all the runs."""
    peaks = [r.max_rss_mb for r in runs if r.max_rss_mb is not None]
    fastest = min(runs, key=lambda r: r.seconds)
    return Figure(
        fastest.seconds,
        max(peaks) if peaks else None,
        [r.seconds for r in runs],
        fastest.system_seconds,
    )


def measure(root: str, n: int, runs: int, version_runs: int) -> dict[str, Figure]:
    """Time the floor, fresh and no-op generates and --version, each in a subprocess.

    Floor and fresh runs alternate, so both see the same state of the machine. Trees from
    earlier runs are moved aside (renamed), not deleted, until the end: on some file systems
    creating thousands of entries right after deleting thousands is several times slower, and
    which of the two paid for that would decide the ratio.
    """
    axogen = axogen_command()
    out_dir = os.path.join(root, "out")
    trash = os.path.join(root, "old-runs")
    shutil.rmtree(trash, ignore_errors=True)
    os.mkdir(trash)
    if os.path.exists(out_dir):
        os.rename(out_dir, os.path.join(trash, "out-before"))

    print(f"W1: {n} targets in {root}; best of {runs} (--version: best of {version_runs})")
    print(f"axogen: {' '.join(axogen)}\n")

    floor: list[Run] = []
    fresh: list[Run] = []
    for k in range(runs):
        floor_dir = os.path.join(trash, f"floor-{k}")
        os.mkdir(floor_dir)
        floor.append(run([sys.executable, "floor.py", floor_dir], root))
        if os.path.exists(out_dir):
            os.rename(out_dir, os.path.join(trash, f"out-{k}"))
        fresh.append(run([*axogen, "generate"], root))
    results = {"floor": best(floor), "fresh": best(fresh)}
    before = snapshot(out_dir)
    if len(before) != n:
        sys.exit(f"w1: expected {n} files under out/, found {len(before)}")

    results["noop"] = best([run([*axogen, "generate"], root) for _ in range(runs)])
    after = snapshot(out_dir)
    rewritten = sum(1 for path, mtime in after.items() if before.get(path) != mtime)
    if rewritten:
        print(f"warning: the no-op runs rewrote {rewritten} of {n} files\n")

    results["version"] = best([run([*axogen, "--version"], root) for _ in range(version_runs)])
    shutil.rmtree(trash, ignore_errors=True)
    return results


def verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def report(results: dict[str, Figure]) -> bool:
    floor = results["floor"].seconds
    fresh, noop, version = results["fresh"], results["noop"], results["version"]
    rows = [
        ("floor (python floor.py)", f"{floor:.3f} s", "1.00x", "-", ""),
        (
            "fresh generate",
            f"{fresh.seconds:.3f} s",
            f"{fresh.seconds / floor:.2f}x",
            f"<= {BUDGET_FRESH}x floor",
            verdict(fresh.seconds <= BUDGET_FRESH * floor),
        ),
        (
            "no-op generate",
            f"{noop.seconds:.3f} s",
            f"{noop.seconds / floor:.2f}x",
            f"<= {BUDGET_NOOP}x floor",
            verdict(noop.seconds <= BUDGET_NOOP * floor),
        ),
        (
            "axogen --version",
            f"{version.seconds * 1000:.1f} ms",
            f"{version.seconds / floor:.2f}x",
            f"< {BUDGET_VERSION_S * 1000:.0f} ms",
            verdict(version.seconds < BUDGET_VERSION_S),
        ),
    ]
    if fresh.max_rss_mb is None:
        rows.append(("peak memory (fresh)", "n/a", "", f"< {BUDGET_MEMORY_MB:.0f} MB", "?"))
    else:
        floor_rss = results["floor"].max_rss_mb or 0.0
        rows.append(
            (
                "peak memory (fresh)",
                f"{fresh.max_rss_mb:.1f} MB",
                f"{fresh.max_rss_mb / floor_rss:.2f}x" if floor_rss else "",
                f"< {BUDGET_MEMORY_MB:.0f} MB",
                verdict(fresh.max_rss_mb < BUDGET_MEMORY_MB),
            )
        )
    header = ("measure", "best", "vs floor", "budget", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    print("\nevery run (s):")
    for key, label in (("floor", "floor"), ("fresh", "fresh"), ("noop", "no-op")):
        print(f"  {label:<6} " + " ".join(f"{t:.3f}" for t in results[key].all_seconds))
    if results["floor"].max_rss_mb is not None:
        print(f"floor peak memory: {results['floor'].max_rss_mb:.1f} MB")
    kernel = results["floor"].system_seconds
    if kernel is not None:
        share = kernel / floor
        print(f"floor time in the kernel: {kernel:.3f} s ({share:.0%} of its wall time)")
        if share > 0.8:
            print(
                "note: the floor is dominated by file-system calls, so the ratios mostly measure\n"
                "this file system's state; for axogen's own cost, rerun with --dir on a tmpfs\n"
                "(e.g. --dir /dev/shm/w1) and compare."
            )
    return all(row[4] != "OVER" for row in rows)


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
    parser.add_argument("--dir", help="build W1 here (kept) instead of a temporary directory")
    parser.add_argument("--runs", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument(
        "--version-runs", type=int, default=10, help="best of N for --version (default 10)"
    )
    parser.add_argument(
        "--targets", type=int, default=10_000, help="number of targets (default 10000)"
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
    parser.add_argument("--top", type=int, default=25, help="rows per profile listing (default 25)")
    parser.add_argument("--profile-out", metavar="FILE", help="with --profile: save the raw stats")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.version_runs < 1 or args.targets < 1:
        parser.error("--runs, --version-runs and --targets must be at least 1")

    if args.dir:
        root = os.path.abspath(args.dir)
        os.makedirs(root, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="axogen-w1-")
        root = cleanup.name
    try:
        build(root, args.targets, args.all_formats)
        if args.profile:
            profile(root, args.top, args.profile_out)
            return 0
        ok = report(measure(root, args.targets, args.runs, args.version_runs))
        return 0 if ok else 1
    finally:
        if cleanup is not None:
            cleanup.cleanup()


if __name__ == "__main__":
    sys.exit(main())
