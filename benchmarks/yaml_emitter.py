"""The YAML writer: axogen's own emitter against the PyYAML path it replaced, on W1 documents.

Not a test: run it by hand.

    python benchmarks/yaml_emitter.py              # 2,000 documents, best of 5
    python benchmarks/yaml_emitter.py --docs 10000 --runs 3

Each figure is microseconds per document, the best of --runs passes over --docs documents
shaped like W1's (six keys: str, int, float, bool, a dict holding a dict, a list). The new
emitter's string caches are emptied before each pass, as at the start of a real run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
from collections.abc import Callable
from typing import Any

from axogen.formats import yaml as emitter


def variables(i: int) -> dict[str, Any]:
    """Target i's data in benchmarks/w1.py."""
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


def pyyaml_writer(*, c_emitter: bool) -> Callable[[Any], str]:
    """The writer axogen used before: PyYAML's safe dumper with axogen's representers."""
    import yaml

    base = yaml.CSafeDumper if c_emitter else yaml.SafeDumper

    class Dumper(base):  # type: ignore[misc, valid-type]
        pass

    separators = re.compile("[\x85\u2028\u2029]")

    def represent_str(dumper: Any, value: str) -> Any:
        style = "|" if "\n" in value.rstrip("\n") else None
        if separators.search(value):
            style = '"'
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def represent_time(dumper: Any, value: dt.time) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.isoformat())

    Dumper.add_representer(str, represent_str)
    Dumper.add_representer(dt.time, represent_time)
    Dumper.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
        list("-+.0123456789"),
    )
    Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^0o[0-7]+$"), ["0"])

    def check(data: Any) -> None:  # the old writer's walk for unwritable time zone offsets
        if type(data) is dict:
            for value in data.values():
                check(value)
        elif type(data) is list:
            for value in data:
                check(value)

    def dump(data: Any) -> str:
        check(data)
        text: str = yaml.dump(
            data,
            Dumper=Dumper,
            indent=2,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=2**31 - 1,
            explicit_start=False,
        )
        return text

    return dump


def new_writer(data: Any) -> str:
    return emitter.dump(data)


def best_microseconds(
    dump: Callable[[Any], str], docs: list[dict[str, Any]], runs: int, fresh: Callable[[], None]
) -> float:
    best = float("inf")
    for _ in range(runs):
        fresh()
        start = time.perf_counter()
        for doc in docs:
            dump(doc)
        best = min(best, time.perf_counter() - start)
    return best / len(docs) * 1e6


def empty_caches() -> None:
    emitter._STRINGS.clear()
    emitter._KEYS.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents per pass (2000)")
    parser.add_argument("--runs", type=int, default=5, help="passes; the best counts (5)")
    args = parser.parse_args()

    import yaml

    docs = [variables(i) for i in range(args.docs)]
    old_c = pyyaml_writer(c_emitter=True)
    old_py = pyyaml_writer(c_emitter=False)
    same = all(new_writer(doc) == old_c(doc) == old_py(doc) for doc in docs)

    rows = [
        ("new: axogen emitter", best_microseconds(new_writer, docs, args.runs, empty_caches)),
        ("old: PyYAML, C emitter", best_microseconds(old_c, docs, args.runs, lambda: None)),
        ("old: PyYAML, Python emitter", best_microseconds(old_py, docs, args.runs, lambda: None)),
    ]
    print(f"{args.docs} W1 documents, best of {args.runs}; PyYAML {yaml.__version__}")
    print(f"{'writer':<30} {'us/doc':>8} {'vs new':>7}")
    new = rows[0][1]
    for name, micros in rows:
        print(f"{name:<30} {micros:8.1f} {micros / new:6.1f}x")
    print(f"same bytes from all three: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
