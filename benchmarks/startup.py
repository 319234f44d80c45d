"""Where an axogen command's start-up goes: imports by package, by `python -X importtime`.

Not a test: run it by hand (see benchmarks/README.md).

    python benchmarks/startup.py --version                 # `axogen --version`
    python benchmarks/startup.py -C DIR generate           # any axogen arguments
    python benchmarks/startup.py --top 30 -C DIR check
    python benchmarks/startup.py -- --help                 # `axogen --help`

It runs the command in a subprocess under `-X importtime`, --runs times after a warm-up
run (so every module is byte-compiled; PYTHONDONTWRITEBYTECODE is ignored), keeps each
module's smallest figures, and prints the time of the imports: the total, each
third-party package's own time summed over its modules, and each axogen module's own
time; then the wall time of the same command without importtime, the median of 5.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")
_STDLIB = set(sys.stdlib_module_names)


def imports(argv: Sequence[str], runs: int) -> list[tuple[int, int, int, str]]:
    """(self µs, cumulative µs, depth, module) of every import `axogen ARGV` makes: each
    module's smallest figures over `runs` runs (other work on the machine only adds time)."""
    code = "import sys; from axogen.cli import main; main(sys.argv[1:])"
    cmd = [sys.executable, "-X", "importtime", "-c", code, *argv]
    subprocess.run(cmd, capture_output=True, check=False)  # warm-up: byte-compile
    best: dict[str, tuple[int, int, int, str]] = {}
    order: list[str] = []
    for _ in range(runs):
        err = subprocess.run(cmd, capture_output=True, text=True, check=False).stderr
        for line in err.splitlines():
            m = _LINE.match(line)
            if not m:
                continue
            row = (int(m[1]), int(m[2]), len(m[3]) // 2, m[4])
            old = best.get(row[3])
            if old is None:
                order.append(row[3])
                best[row[3]] = row
            else:
                best[row[3]] = (min(old[0], row[0]), min(old[1], row[1]), old[2], row[3])
    return [best[name] for name in order]


def group(module: str) -> str:
    """axogen modules by name; everything else by its top-level package."""
    top = module.split(".")[0]
    if top == "axogen":
        return module
    if top in _STDLIB or top.startswith("_"):
        return f"(stdlib) {top}"
    return top


def wall(argv: Sequence[str], runs: int = 5) -> float:
    cmd = [sys.executable, "-c", "import sys; from axogen.cli import main; main(sys.argv[1:])"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*cmd, *argv], capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=25, help="rows per listing (default 25)")
    parser.add_argument(
        "--runs", type=int, default=5, help="importtime runs; each module's minimum (default 5)"
    )
    argv = list(sys.argv[1:] if argv is None else argv)
    # everything after `--`, or every argument not ours, is axogen's (`-- --help` for its help)
    if "--" in argv:
        cut = argv.index("--")
        args, rest = parser.parse_args(argv[:cut]), argv[cut + 1 :]
    else:
        args, rest = parser.parse_known_args(argv)
    # as a user's runs: .pyc files used and written (PYTHONDONTWRITEBYTECODE would make an
    # editable install compile axogen from source on every start)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    found = imports(rest, args.runs)
    total = sum(cum for _, cum, depth, _ in found if depth == 0)
    own: dict[str, int] = defaultdict(int)
    for self_us, _, _, module in found:
        own[group(module)] += self_us
    print(
        f"axogen {' '.join(rest)}: {len(found)} modules imported, {total / 1000:.1f} ms"
        f" (each module's minimum of {args.runs} runs)"
    )
    print(
        f"\n{'own ms':>8}  package or axogen module (own time: the module's code, not its imports)"
    )
    for name, us in sorted(own.items(), key=lambda item: item[1], reverse=True)[: args.top]:
        print(f"{us / 1000:8.1f}  {name}")
    print(f"\n{'cum ms':>8}  top-level imports (each with everything it imported first)")
    tops = [(cum, module) for _, cum, depth, module in found if depth == 0]
    for cum, module in sorted(tops, reverse=True)[: args.top]:
        print(f"{cum / 1000:8.1f}  {module}")
    print(f"\nwall time without importtime, median of 5: {wall(rest) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
