"""Secret detection on the labelled corpus: precision, recall, F1, misses, and throughput.

Not a test: run it by hand.

    python benchmarks/secrets_corpus.py             # figures, false positives and negatives
    python benchmarks/secrets_corpus.py --seconds 3 # time each throughput row for longer

Misses and false alarms are printed masked, with their key and the rule that fired, never
the value of a positive (the corpus is fake, but the habit matters).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from axogen.secrets.detect import classify, find_secrets
from axogen.secrets.mask import mask
from secrets_corpus import CASES, TYPICAL_VALUES


def score() -> int:
    tp = fp = fn = tn = 0
    false_pos: list[str] = []
    false_neg: list[str] = []
    rules: Counter[str] = Counter()
    for case in CASES:
        result = classify(case.key, case.value)
        if result is not None:
            rules[result[1]] += 1
        if case.secret and result is not None:
            tp += 1
        elif case.secret:
            fn += 1
            false_neg.append(f"  {case.key}={mask(case.value)}  ({case.note})")
        elif result is not None:
            fp += 1
            false_pos.append(f"  {case.key}={case.value[:60]!r}  -> {result[1]} ({result[0]})")
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"corpus: {len(CASES)} cases, {tp + fn} secrets, {tn + fp} non-secrets")
    print(f"  precision {precision:.3f}   recall {recall:.3f}   F1 {f1:.3f}")
    print(f"  tp {tp}  fp {fp}  fn {fn}  tn {tn}")
    print("  rules that fired: " + ", ".join(f"{r} {n}" for r, n in rules.most_common()))
    print(f"false positives ({fp}):", *(false_pos or ["  none"]), sep="\n")
    print(f"false negatives ({fn}):", *(false_neg or ["  none"]), sep="\n")
    return fp + fn


def rate(label: str, run: Callable[[], int], seconds: float) -> None:
    count = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        count += run()
    print(f"  {label:<44} {count / elapsed:>12,.0f} values/s")


def throughput(seconds: float) -> None:
    typical = TYPICAL_VALUES
    everything = [(c.key, c.value) for c in CASES]
    w1 = [_w1_variables(i) for i in range(1000)]
    w1_leaves = sum(_string_leaves(d) for d in w1)

    def classify_all(pairs: Sequence[tuple[str | None, str]]) -> Callable[[], int]:
        def run() -> int:
            for key, value in pairs:
                classify(key, value)
            return len(pairs)

        return run

    def scan_w1() -> int:
        for data in w1:
            find_secrets(data)
        return w1_leaves

    print("throughput (one core):")
    rate(f"typical config values ({len(typical)} distinct)", classify_all(typical), seconds)
    rate(f"the whole corpus ({len(everything)}, half secrets)", classify_all(everything), seconds)
    rate("find_secrets on W1 target data (string leaves)", scan_w1, seconds)
    best = min(_timed(scan_w1) for _ in range(5))
    print(f"  W1, 10,000 targets: {best * 10:.3f} s of scanning in all")


def _timed(run: Callable[[], int]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _w1_variables(i: int) -> dict[str, object]:
    # the data benchmarks/w1.py gives target i
    return {
        "SERVICE_NAME": f"svc{i}",
        "PORT": 8000 + i % 1000,
        "WEIGHT": 0.25 + (i % 7) * 0.5,
        "ENABLED": i % 2 == 0,
        "DB": {
            "HOST": f"db{i % 16}.internal",
            "PORT": 5432,
            "TLS": i % 3 == 0,
            "POOL": {"MIN": 1, "MAX": 10 + i % 5, "TIMEOUT": 2.5},
        },
        "TAGS": ["web", f"zone-{i % 3}", f"tier-{i % 4}"],
    }


def _string_leaves(node: object) -> int:
    if isinstance(node, str):
        return 1
    if isinstance(node, dict):
        return sum(1 + _string_leaves(v) for v in node.values())
    if isinstance(node, list):
        return sum(_string_leaves(v) for v in node)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per throughput row")
    args = parser.parse_args(argv)
    score()
    print()
    throughput(args.seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
