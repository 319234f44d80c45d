"""The output filter (`mask.hide`): its prefix index against the regex of every secret it
replaced, for a project's usual secrets and for one huge secret.

Not a test: run it by hand.

    python benchmarks/mask.py                  # best of 3
    python benchmarks/mask.py --big-mb 20      # the huge secret's size (default 20 MB)

Rows:
- `usual`: 30 secrets of 20-60 characters (each remembered in its file forms), then 10,000
  output lines of about 80 characters, one in ten holding a secret. Microseconds per line.
- `huge`: one random secret of --big-mb megabytes and a short password; the time of the
  first printed line after remembering them (building the index, or compiling the regex),
  then the time per line of 1,000 ordinary lines.

Both implementations must give the same output; the script checks that on every line.
"""

from __future__ import annotations

import argparse
import random
import re
import string
import time
from collections.abc import Callable

from axogen.secrets import mask as masking


def regex_hide() -> Callable[[str], str]:
    """The previous `hide`: one regex of every remembered form, longest first."""
    forms = sorted(masking._KNOWN, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(f) for f in forms))
    return lambda text: pattern.sub(lambda m: masking.mask(m.group()), text)


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def usual(runs: int) -> None:
    rng = random.Random(1)
    alphabet = string.ascii_letters + string.digits + "-_:@/="
    secrets = ["".join(rng.choice(alphabet) for _ in range(rng.randint(20, 60))) for _ in range(30)]
    words = ["created", "updated", "unchanged", "target", "out/svc1/.env", "(svc1)", "ok"]
    lines = []
    for i in range(10_000):
        line = " ".join(rng.choice(words) for _ in range(10))
        if i % 10 == 0:
            line += " " + rng.choice(secrets)
        lines.append(line)
    masking.forget()
    for secret in secrets:
        masking.remember(secret)
    old = regex_hide()
    for line in lines:
        assert masking.hide(line) == old(line)
    new_t = best(runs, lambda: [masking.hide(line) for line in lines])
    old_t = best(runs, lambda: [old(line) for line in lines])
    print(
        f"usual  30 secrets, 10,000 lines: index {new_t / len(lines) * 1e6:.2f} µs/line, "
        f"regex {old_t / len(lines) * 1e6:.2f} µs/line"
    )


def huge(runs: int, megabytes: float) -> None:
    rng = random.Random(2)
    big = "".join(rng.choices(string.ascii_letters, k=int(megabytes * 1_000_000)))
    line = "created   out/app.json (app)"

    def first_line_index() -> None:
        masking.forget()
        masking.remember(big)
        masking.remember("hunter2-Qx9zLm4")
        start = time.perf_counter()
        masking.hide(line)
        timings["index"] = time.perf_counter() - start

    def first_line_regex() -> None:
        start = time.perf_counter()
        regex_hide()(line)
        timings["regex"] = time.perf_counter() - start

    timings: dict[str, float] = {}
    first = []
    for _ in range(runs):
        first_line_index()
        first.append(timings["index"])
    index_first = min(first)
    per_line = best(runs, lambda: [masking.hide(line) for _ in range(1000)]) / 1000
    first_line_regex()  # once: it takes seconds
    regex_first = timings["regex"]
    held = f"value {big} end"
    assert masking.hide(held) == f"value …({len(big)} chars) end"
    print(
        f"huge   {megabytes:g} MB secret: first line index {index_first * 1e6:.0f} µs, "
        f"regex {regex_first:.1f} s; then {per_line * 1e6:.2f} µs/line"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-mb", type=float, default=20.0)
    args = parser.parse_args()
    usual(args.runs)
    huge(args.runs, args.big_mb)
    masking.forget()


if __name__ == "__main__":
    main()
