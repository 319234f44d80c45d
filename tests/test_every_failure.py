"""One run lists every failure of every target: each bad value, not only the first."""

from __future__ import annotations

from pathlib import Path

from conftest import build_tree, run_proc

CONFIG = """\
from pydantic import BaseModel

import axogen as ax


class Settings(BaseModel):
    port: int
    host: str


config = ax.define_config(
    targets={
        "schema": ax.json("a.json", {"port": "x", "host": 3}, schema=Settings),
        "toml": ax.toml("t.toml", {"a": None, "b": {"c": None, "ok": 1}, "d": [1, None, None]}),
        "env": ax.env("e.env", {"A": object(), "B": "fine", "C": {"D": object()}}),
        "one": ax.yaml("y.yaml", {"x": object()}),
        "good": ax.json("g.json", {"fine": True}),
    }
)
"""


def test_every_bad_value_of_every_target_is_listed(tmp_path: Path) -> None:
    build_tree(tmp_path, {"axogen.config.py": CONFIG})

    result = run_proc(["generate"], cwd=tmp_path)

    assert result.exit_code == 1
    unsupported = (
        "values of type object are not supported; convert it to a str, number, bool, list "
        "or dict first"
    )
    null = 'TOML has no null; remove the key or use a value such as ""'
    assert result.stderr == (
        "error: 4 targets failed; nothing was written:\n"
        "  - target 'schema' (a.json): variables do not match the schema:\n"
        "      - port: Input should be a valid integer, unable to parse string as an integer\n"
        "      - host: Input should be a valid string\n"
        "  - target 'toml' (t.toml): 4 values cannot be written:\n"
        f"      - a: {null}\n"
        f"      - b.c: {null}\n"
        f"      - d[1]: {null}\n"
        f"      - d[2]: {null}\n"
        "  - target 'env' (e.env): 2 values cannot be written:\n"
        f"      - A: {unsupported}\n"
        f"      - C.D: {unsupported}\n"
        f"  - target 'one' (y.yaml): x: {unsupported}\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["axogen.config.py"]


def test_more_problems_stops_where_a_path_cannot_be_followed() -> None:
    from axogen.values import ValueProblem, more_problems

    class Box:
        pass

    def attempt(data: object) -> None:
        raise ValueProblem(("box", "inner"), "always")

    first = ValueProblem(("box", "inner"), "always")
    assert more_problems({"box": Box()}, first, attempt) == []
    # the same problem again is not listed twice
    assert more_problems({"box": {"inner": 1, "x": 2}}, first, attempt) == []
