"""The console's batch of result lines prints exactly what one `status` per line prints."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axogen.console import NORMAL, QUIET, VERBOSE, Console
from axogen.runcontext import Run

SECRET = "hunter2-correct-horse"
PEM = "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\nEEEEFFFFGGGGHHHH\n-----END KEY-----"

Line = tuple[str, str, str]


def printed(console: Console, secrets: Sequence[str], lines: Sequence[Line]) -> tuple[str, str]:
    """What `statuses(lines)` prints, and what `status` line by line prints."""
    saved = sys.stdout
    outputs = []
    try:
        for batch in (True, False):
            with Run() as run:
                for secret in secrets:
                    run.masker.add(secret)
                sys.stdout = buffer = io.StringIO()
                if batch:
                    console.statuses(lines)
                else:
                    for word, text, code in lines:
                        console.status(word, text, code)
                outputs.append(buffer.getvalue())
    finally:
        sys.stdout = saved
    return outputs[0], outputs[1]


LINES = [
    ("created", f"out/{SECRET}.env (app)", "32"),
    ("created", "out/b.json (b)", "32"),
    ("updated", f"out/c.yaml (c-{SECRET})", "33"),
    ("unchanged", "out/d.toml (d)", "2"),
    ("created", "out/AAAABBBBCCCCDDDD.env (e)", "32"),
]


@pytest.mark.parametrize("color", [True, False], ids=["colour", "plain"])
@pytest.mark.parametrize("level", [NORMAL, VERBOSE])
def test_a_batch_hides_each_secret_as_status_does(color: bool, level: int) -> None:
    batch, one_by_one = printed(Console(level=level, color=color), [SECRET], LINES)

    assert batch == one_by_one
    assert SECRET not in batch
    assert batch.count("…(21 chars)") == 2
    first = batch.splitlines()[0]
    if color:
        assert first == "\033[32mcreated  \033[0m out/…(21 chars).env (app)"
    else:
        assert first == "created   out/…(21 chars).env (app)"
    assert batch.endswith("out/AAAABBBBCCCCDDDD.env (e)\n")


def test_a_batch_under_quiet_prints_nothing() -> None:
    batch, one_by_one = printed(Console(level=QUIET, color=True), [SECRET], LINES)

    assert batch == one_by_one == ""


def test_an_empty_batch_prints_nothing() -> None:
    assert printed(Console(color=False), [SECRET], []) == ("", "")


def test_a_multi_line_secret_is_hidden_line_by_line() -> None:
    # each line of the PEM is hidden where it appears alone; the joined lines must not let
    # the whole value match across two of them (that would hide what a line does not hold)
    lines = [
        ("created", "out/AAAABBBBCCCCDDDD (a)", "32"),
        ("created", "-----BEGIN KEY-----", "32"),
        ("created", "AAAABBBBCCCCDDDD", "32"),
    ]
    batch, one_by_one = printed(Console(color=False), [PEM], lines)

    assert batch == one_by_one
    assert "AAAABBBBCCCCDDDD" not in batch


def test_a_secret_that_spans_two_lines_is_judged_per_line() -> None:
    # the value "tail\nhead" is in neither line alone: nothing is hidden, as line by line
    lines = [("created", "a-tail", "32"), ("created", "head-b", "32")]
    batch, one_by_one = printed(Console(color=False), ["tail\nhead"], lines)

    assert batch == one_by_one == "created   a-tail\ncreated   head-b\n"


def test_a_text_holding_a_newline_is_printed_as_status_prints_it() -> None:
    lines = [("created", f"two\nlines {SECRET}", "32"), ("created", "next", "32")]
    batch, one_by_one = printed(Console(color=False), [SECRET], lines)

    assert batch == one_by_one == "created   two\nlines …(21 chars)\ncreated   next\n"


def test_a_batch_with_many_secrets_hides_each_as_status_does() -> None:
    secrets = [f"secret-number-{i:04}" for i in range(300)]
    lines = [("created", f"out/{secret}.env (t{i})", "32") for i, secret in enumerate(secrets)]
    batch, one_by_one = printed(Console(color=False), secrets, lines)

    assert batch == one_by_one
    assert "secret-number" not in batch
    assert batch.startswith("created   out/…(18 chars).env (t0)\n")


words = st.sampled_from(["created", "updated", "mode", "skipped", ""])
pieces = st.sampled_from(["out/", "svc", "(a)", " ", "\n", "ab", "cd", "ef\n", "\\", "&"])
texts = st.lists(pieces, max_size=6).map("".join)


@given(
    lines=st.lists(st.tuples(words, texts, st.sampled_from(["32", "2"])), max_size=6),
    secrets=st.lists(
        st.lists(st.sampled_from(["ab", "cd", "ef", "\n", "svc", "out/"]), min_size=1, max_size=4)
        .map("".join)
        .filter(lambda s: len(s) >= 4),
        max_size=3,
    ),
    color=st.booleans(),
)
def test_a_batch_prints_what_status_prints_line_by_line(
    lines: list[Line], secrets: list[str], color: bool
) -> None:
    batch, one_by_one = printed(Console(color=color), secrets, lines)

    assert batch == one_by_one
