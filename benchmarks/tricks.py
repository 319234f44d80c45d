"""Do the earlier speed tricks still pay? W1's fresh and no-op generate with each one off.

Not a test: run it by hand (see benchmarks/README.md).

    python benchmarks/tricks.py                      # 100 and 10,000 targets, median of 5
    python benchmarks/tricks.py --targets 10000 --runs 9

The tricks, each turned off in the process that runs `axogen generate` (it patches the one
function before calling the CLI, so nothing in src/ needs a switch):

- `folders`: the forked process that makes the targets' folders while they render
  (`generate.write.start_folders`) -> the writer makes each folder itself;
- `gc`: the paused cyclic garbage collector (`pipeline.paused_gc`) -> collections run;
- `yaml`: the hand-written YAML emitter (`formats/yaml.py`) -> PyYAML's C emitter with the
  representers axogen used before (`benchmarks/yaml_emitter.py`, which checks both agree);
- `fork`: every second process (AXOGEN_NO_PARALLEL=1: rendering, staging and folders in one);
- `json`: the indented-JSON loop (`formats/json.py`) -> `json.dumps` for every document;
- `toml`: the TOML writer (`formats/toml.py`) -> tomli-w for every document;
- `quick`: `axogen generate` run without click (`axogen.entry.quick`) -> through `cli.main`.

Each row runs in turns with the others, all through the same wrapper, on the same W1 tree
as benchmarks/w1.py (on /dev/shm when it exists). Figures are medians of wall and CPU time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import w1

VARIANTS = (
    "all on",
    "folders off",
    "gc off",
    "yaml off",
    "fork off",
    "json off",
    "toml off",
    "quick off",
)

# run in the child: patch one trick away, then run the CLI as the `axogen` script does
WRAPPER = """
import contextlib, os, sys
variant = sys.argv[1]
sys.path.insert(0, {benchmarks!r})
if variant == "folders off":
    import axogen.commands.generate as g
    g.start_folders = lambda paths, root: None
elif variant == "gc off":
    import axogen.pipeline as p
    p.paused_gc = contextlib.nullcontext
    import axogen.commands.generate as g
    g.paused_gc = contextlib.nullcontext
elif variant == "yaml off":
    import axogen.formats.yaml as y
    writer = []
    def dump(data, *, header=None, **options):
        if not writer:  # PyYAML is imported by the first YAML target, as it was before
            from yaml_emitter import pyyaml_writer
            writer.append(pyyaml_writer(c_emitter=True))
        from axogen.formats import comment_block
        text = writer[0](data)
        return comment_block(header, "#") + text if header else text
    y.FORMAT = y.FORMAT._replace(dump=dump)  # the record the registry hands out
elif variant == "json off":
    import axogen.formats.json as j
    def refuse(*args, **kwargs):
        raise j._Other()  # what the loop does for a type it leaves to json.dumps
    j._write = refuse
elif variant == "toml off":
    import axogen.formats.toml as t
    class Refuse:
        def __init__(self, *args):
            pass
        def table(self, *args):
            raise t._Other()  # what the writer does for a type it leaves to tomli-w
    t._Writer = Refuse
sys.argv = ["axogen", *sys.argv[2:]]
if variant == "quick off":
    from axogen.cli import main
    main(sys.argv[1:])
else:
    from axogen.__main__ import main  # as the `axogen` script runs it
    main()
"""


def measure(root: str, n: int, runs: int) -> dict[tuple[str, str], w1.Figure]:
    env = w1.bench_env(root)
    wrapper = WRAPPER.format(benchmarks=os.path.dirname(os.path.abspath(__file__)))
    out_dir = os.path.join(root, "out")
    trash = os.path.join(root, "old-runs")
    shutil.rmtree(trash, ignore_errors=True)
    os.mkdir(trash)
    rows = {(v, kind): w1.Figure() for v in VARIANTS for kind in ("fresh", "no-op")}
    for k in range(runs):
        for v in VARIANTS:
            run_env = dict(env)
            if v == "fork off":
                run_env["AXOGEN_NO_PARALLEL"] = "1"
            cmd = [sys.executable, "-c", wrapper, v, "generate"]
            if os.path.exists(out_dir):
                os.rename(out_dir, os.path.join(trash, f"out-{k}-{VARIANTS.index(v)}"))
            shutil.rmtree(os.path.join(root, "cache"), ignore_errors=True)
            rows[(v, "fresh")].runs.append(w1.run(cmd, root, run_env))
            files = len(w1.snapshot(out_dir))
            if files != n:
                sys.exit(f"tricks: {v}: expected {n} files, found {files}")
            rows[(v, "no-op")].runs.append(w1.run(cmd, root, run_env))
    shutil.rmtree(trash, ignore_errors=True)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--runs", type=int, default=5, help="median of N runs (default 5)")
    args = parser.parse_args(argv)
    w1.byte_compile()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="axogen-tricks-", dir=shm) as base:
        print(f"W1 fresh and no-op generate, each trick off in turn; medians of {args.runs}\n")
        print(
            f"{'targets':>7}  {'variant':<12} {'fresh':>8} {'cpu':>8} {'vs on':>6}"
            f"  {'no-op':>8} {'cpu':>8} {'vs on':>6}"
        )
        for n in args.targets:
            root = os.path.join(base, f"w1-{n}")
            os.makedirs(root)
            w1.build(root, n)
            rows = measure(root, n, args.runs)
            on_fresh, on_noop = rows[("all on", "fresh")], rows[("all on", "no-op")]
            for v in VARIANTS:
                fresh, noop = rows[(v, "fresh")], rows[(v, "no-op")]
                print(
                    f"{n:>7}  {v:<12} {fresh.seconds:7.3f}s {fresh.cpu:>8}"
                    f" {fresh.seconds / on_fresh.seconds:5.2f}x"
                    f"  {noop.seconds:7.3f}s {noop.cpu:>8} {noop.seconds / on_noop.seconds:5.2f}x"
                )
            print()
        print(
            "vs on: the variant's median wall time over the all-on row's (above 1: the trick pays)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
