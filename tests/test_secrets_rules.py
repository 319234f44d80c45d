"""The secret rules' registries: each entry a documented unit, each value rule earning its place.

The engine asks the rules in the order of their registry; what they decide is tested through
the public API in test_secrets_detect.py. Here: the registries themselves, and that every
value and composite rule decides at least one labelled case of the corpus (a rule no case
reaches is untested policy).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from axogen.secrets import rules_text, rules_value
from axogen.secrets.base import NOT_SECRET, Value
from axogen.secrets.engine import ENGINE, judge
from axogen.secrets.keynames import NEUTRAL, key_info
from secrets_corpus import CASES

REGISTRIES: dict[str, Sequence[Callable[..., Any]]] = {
    "VALUE_RULES": rules_value.VALUE_RULES,
    "COMPOSITE_RULES": rules_value.COMPOSITE_RULES,
    "TEXT_RULES": rules_text.TEXT_RULES,
    "LINE_RULES": rules_text.LINE_RULES,
    "NAMED_LINE_RULES": rules_text.NAMED_LINE_RULES,
}


@pytest.mark.parametrize("registry", REGISTRIES)
def test_each_rule_is_a_named_documented_function(registry: str) -> None:
    rules = REGISTRIES[registry]
    names = [rule.__name__ for rule in rules]
    assert rules and len(set(names)) == len(names), names
    for rule in rules:
        assert callable(rule) and not rule.__name__.startswith("_"), rule
        assert (rule.__doc__ or "").strip(), f"{registry}: {rule.__name__} says nothing"


def _candidate(key: str | None, value: str) -> Value:
    strength, words = (NEUTRAL, ()) if key is None else key_info(key)
    return Value(key, value.strip(), strength, words, ENGINE)


@pytest.mark.parametrize("rule", rules_value.VALUE_RULES, ids=lambda r: r.__name__)
def test_every_value_rule_decides_a_labelled_case(rule: Callable[[Value], Any]) -> None:
    decided = [case for case in CASES if rule(_candidate(case.key, case.value)) is not None]
    assert decided, f"no case of tests/secrets_corpus.py reaches {rule.__name__}"


@pytest.mark.parametrize("rule", rules_value.COMPOSITE_RULES, ids=lambda r: r.__name__)
def test_every_composite_rule_finds_a_labelled_secret(rule: Callable[[str], Any]) -> None:
    found = [case for case in CASES if case.secret and rule(case.value.strip()) is not None]
    assert found, f"no secret of tests/secrets_corpus.py is found by {rule.__name__}"


def test_a_rule_that_settles_stops_the_rules_after_it() -> None:
    # `quiet_name_or_url` settles a value under a name for a public value: `high_entropy`,
    # later in the registry, would call its random-looking value a secret
    key, value = "public_key", "a8Fk2LqP9zXw4RtY7uVb3NcM6sDh5JgE1WoQ"
    order = rules_value.VALUE_RULES
    assert order.index(rules_value.quiet_name_or_url) < order.index(rules_value.high_entropy)
    assert rules_value.quiet_name_or_url(_candidate(key, value)) is NOT_SECRET
    assert rules_value.high_entropy(_candidate(key, value)) is not None
    assert judge(key, value) is None
    assert judge("some_value", value) is not None
