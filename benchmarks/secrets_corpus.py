"""Secret detection on the labelled corpora: precision, recall, F1, misses, and throughput.

Not a test: run it by hand.

    python benchmarks/secrets_corpus.py             # figures, false positives and negatives
    python benchmarks/secrets_corpus.py --seconds 3 # time each throughput row for longer
    python benchmarks/secrets_corpus.py --real-only --split tune   # real files, tune split

Two corpora: the synthetic (key, value) cases of `tests/secrets_corpus.py`, and real
configuration files from public projects (`benchmarks/corpus/real/`, see `real_corpus.py`),
each split scored as rendered text (`scan_text_values`) and as parsed data (`find_secrets`).

Misses and false alarms are printed masked, with their key and the rule that fired, never
the value of a positive (the corpus is fake, but the habit matters).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from real_corpus import DATA_FORMATS, SPLITS, RealFile, load_split, matching_secret, parse

from axogen.secrets.detect import Finding, classify, find_secrets, scan_text_values
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


# --- real files --------------------------------------------------------------------------------

_PREVIEW = 40  # characters of a false positive's (non-secret) value shown


@dataclass
class Tally:
    """One split scored one way: findings judged against the labels, and the misses."""

    files: int = 0
    secrets: int = 0
    tp: int = 0
    fp: int = 0
    found: set[tuple[str, str]] = field(default_factory=set)  # (file, secret) detected
    false_pos: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)

    @property
    def findings(self) -> int:
        return self.tp + self.fp

    @property
    def fn(self) -> int:
        return self.secrets - len(self.found)

    def figures(self) -> tuple[float, float, float]:
        precision = self.tp / self.findings if self.findings else 1.0
        recall = len(self.found) / self.secrets if self.secrets else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def judge(self, file: RealFile, where: str, finding: Finding, value: str | None) -> None:
        self.rules[finding.rule] += 1
        secret = None if value is None else matching_secret(value, file.secrets)
        if secret is not None:
            self.tp += 1
            self.found.add((file.name, secret))
            return
        self.fp += 1
        shown = "(value not resolved)" if value is None else repr(_preview(value))
        self.false_pos.append(f"  {file.name}: {where} -> {finding.rule} ({finding.kind})  {shown}")


def _preview(value: str) -> str:
    return value if len(value) <= _PREVIEW else value[: _PREVIEW - 1] + "…"


def _line_of(text: str, secret: str) -> int:
    return text.count("\n", 0, text.index(secret)) + 1


def score_text(files: Sequence[RealFile]) -> Tally:
    tally = Tally()
    for file in files:
        text = file.text
        tally.files += 1
        tally.secrets += len(file.secrets)
        for finding, token in scan_text_values(text):
            tally.judge(file, finding.key_path[0], finding, token)
        for secret in file.secrets:
            if (file.name, secret) not in tally.found:
                tally.misses.append(f"  {file.name}: line {_line_of(text, secret)}: {mask(secret)}")
    return tally


def score_data(files: Sequence[RealFile]) -> Tally:
    tally = Tally()
    for file in files:
        if file.format not in DATA_FORMATS:
            continue
        data = parse(file.text, file.format)
        tally.files += 1
        tally.secrets += len(file.secrets)
        for finding in find_secrets(data):
            value = _resolve(data, finding)
            tally.judge(file, _shown_path(finding.key_path), finding, value)
        for secret in file.secrets:
            if (file.name, secret) not in tally.found:
                where = _path_holding(data, secret)
                at = "/".join(map(str, where)) if where is not None else "(not in parsed data)"
                tally.misses.append(f"  {file.name}: {at}: {mask(secret)}")
    return tally


def _shown_path(path: tuple[str | int, ...]) -> str:
    return "/".join(map(str, path)) or "(root)"


def _resolve(data: object, finding: Finding) -> str | None:
    """The string a finding is about: the value at its key path, or the key a secret key is.

    A key that is itself a secret appears in the path as its masked preview; it is matched
    back to the dict key whose mask it is. None when the path cannot be followed.
    """
    node: object = data
    key: str | None = None
    for step in finding.key_path:
        if isinstance(node, dict):
            if step in node:
                key, node = step if isinstance(step, str) else None, node[step]
                continue
            real = [k for k in node if isinstance(k, str) and mask(k) == step]
            if len(real) != 1:
                return None
            key, node = real[0], node[real[0]]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    if finding.kind.endswith("used as a key"):
        return key
    if isinstance(node, int) and not isinstance(node, bool):
        return str(node)  # `password: 123456`, which YAML reads as a number
    return node if isinstance(node, str) else None


def _path_holding(
    node: object, secret: str, path: tuple[object, ...] = ()
) -> tuple[object, ...] | None:
    """The key path of the first string leaf (or key) that contains `secret`."""
    if isinstance(node, str):
        return path if secret in node else None
    if isinstance(node, int) and not isinstance(node, bool):
        return path if secret == str(node) else None
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str) and secret in k:
                return (*path, k)
            found = _path_holding(v, secret, (*path, k))
            if found is not None:
                return found
    if isinstance(node, list):
        for i, v in enumerate(node):
            found = _path_holding(v, secret, (*path, i))
            if found is not None:
                return found
    return None


def report_real(
    split: str, files: Sequence[RealFile], *, details: bool = True
) -> tuple[Tally, Tally]:
    projects = len({f.project for f in files})
    print(f"real files ({split}): {len(files)} files from {projects} projects")
    tallies = (score_text(files), score_data(files))
    for way, t in zip(("as text", "as data"), tallies, strict=True):
        precision, recall, f1 = t.figures()
        print(
            f"  {way}: files {t.files}  labelled secrets {t.secrets}  findings {t.findings}"
            f"  TP {t.tp}  FP {t.fp}  FN {t.fn}"
            f"   precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}"
        )
    if not details:
        print(
            "  (findings and misses not shown: the holdout is kept out of tuning; --show-holdout)"
        )
        return tallies
    for way, t in zip(("as text", "as data"), tallies, strict=True):
        print(
            f"  rules that fired {way}: "
            + (", ".join(f"{r} {n}" for r, n in t.rules.most_common()) or "none")
        )
        print(f"  false positives {way} ({t.fp}):", *(t.false_pos or ["    none"]), sep="\n  ")
        print(f"  misses {way} ({t.fn}):", *(t.misses or ["    none"]), sep="\n  ")
    return tallies


def score_real(splits: Sequence[str], *, show_holdout: bool = False) -> None:
    found_text = found_data = labelled = labelled_data = 0
    for i, split in enumerate(splits):
        if i:
            print()
        details = show_holdout or split != "holdout"
        text, data = report_real(split, load_split(split), details=details)
        found_text += len(text.found)
        found_data += len(data.found)
        labelled += text.secrets
        labelled_data += data.secrets
    if len(splits) > 1:
        print()
    print(
        f"overall recall ({' + '.join(splits)}): as text {found_text}/{labelled}"
        f" = {found_text / labelled if labelled else 1.0:.3f};"
        f" as data {found_data}/{labelled_data}"
        f" = {found_data / labelled_data if labelled_data else 1.0:.3f}"
        f" (data covers the {labelled_data} secrets of parseable files)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per throughput row")
    parser.add_argument(
        "--real-only", action="store_true", help="only the real-file corpus (no synthetic cases)"
    )
    parser.add_argument(
        "--split",
        choices=(*SPLITS, "all"),
        default="all",
        help="which split of the real-file corpus to score (default: all)",
    )
    parser.add_argument(
        "--show-holdout",
        action="store_true",
        help="also list the holdout's false positives and misses (not while tuning the rules)",
    )
    args = parser.parse_args(argv)
    splits = SPLITS if args.split == "all" else (args.split,)
    if not args.real_only:
        score()
        print()
    score_real(splits, show_holdout=args.show_holdout)
    if not args.real_only:
        print()
        throughput(args.seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
