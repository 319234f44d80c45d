"""What a model's field accepts, in words, and the random values `axogen env init` makes."""

from __future__ import annotations

import enum
import re
from typing import Annotated, Literal

from pydantic import AnyUrl, BaseModel, Field, SecretStr

from axogen.config.fields import constraints, placeholder, random_secret


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Model(BaseModel):
    port: int = Field(8000, ge=1, le=65535)
    ratio: float = Field(0.5, gt=0, lt=1, multiple_of=0.1)
    flag: bool = False
    mode: Literal["a", "b"] | None = None
    color: Color = Color.RED
    hosts: list[str] = []
    url: AnyUrl | None = None
    secret: SecretStr = Field(min_length=40, max_length=40)
    short: SecretStr = Field(max_length=8)
    exact: Annotated[str, Field(min_length=3, max_length=3)] = "abc"
    code: SecretStr = Field(json_schema_extra={"generate": False})
    hexed: str = Field("ab", pattern=r"^[0-9a-f]{32}$")
    odd: str = Field("x", pattern=r"^sk_live_")


def _c(name: str):  # type: ignore[no-untyped-def]
    return constraints(Model.model_fields[name])


def test_each_constraint_is_described() -> None:
    assert _c("port").describe() == "an integer, >= 1, <= 65535"
    assert _c("ratio").describe() == "a number, > 0, < 1, a multiple of 0.1"
    assert _c("flag").describe() == "true or false"
    assert _c("mode").describe() == "one of: a, b"
    assert _c("color").describe() == "one of: red, blue"
    assert _c("hosts").describe() == "JSON (a list or an object)"
    assert _c("url").describe() == "a URL"
    assert _c("secret").describe() == "40 characters"
    assert _c("short").describe() == "at most 8 characters"
    assert _c("exact").describe() == "3 characters"
    assert _c("hexed").describe() == "matching ^[0-9a-f]{32}$"


def test_random_secrets_fit_the_field_or_are_not_made() -> None:
    made = random_secret(_c("secret"))
    assert made is not None and len(made) == 40
    assert random_secret(_c("secret")) != made
    assert len(random_secret(_c("short")) or "") == 8
    assert random_secret(_c("code")) is None  # the model says a random value will not do
    assert random_secret(_c("port")) is None  # not a string
    hexed = random_secret(_c("hexed")) or ""
    assert re.fullmatch(r"[0-9a-f]{32}", hexed)
    assert random_secret(_c("odd")) is None  # a provider's key: asked for


def test_placeholders_are_sized_to_pass_length_checks() -> None:
    assert placeholder(_c("secret")) == "changeme-changeme-changeme-changeme-chan"
    assert placeholder(_c("short")) == "changeme"
    assert placeholder(_c("exact")) == "cha"
    assert placeholder(_c("flag")) == "changeme"
