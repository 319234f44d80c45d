"""`load_env`: .env.axogen + the process environment, validated; errors list every field at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, SecretStr

import axogen as ax
from axogen.errors import EnvError
from conftest import build_tree, run_cli

SECRET = "s3cr3t-Wq9zX2"


class Env(BaseModel):
    NODE_ENV: str = "development"
    DB_HOST: str = "localhost"
    DB_PORT: int = 5432
    DEBUG: bool = False


class Secrets(BaseModel):
    DB_PASSWORD: SecretStr
    API_KEY: SecretStr | None = None
    JWT_SECRET: SecretStr = Field(default=SecretStr("x" * 32), min_length=32)


def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | None, model=Env, **kw):  # type: ignore[no-untyped-def]
    if text is not None:
        build_tree(tmp_path, {".env.axogen": text})
    monkeypatch.chdir(tmp_path)
    return ax.load_env(model, **kw)


def env_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | None, model) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(EnvError) as info:
        load(tmp_path, monkeypatch, text, model)
    return str(info.value)


# --- values and precedence ------------------------------------------------------------------


def test_file_values_are_coerced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    e = load(tmp_path, monkeypatch, "DB_PORT=6543\nDEBUG=true\n# a comment\nexport DB_HOST=db\n")

    assert (e.DB_PORT, e.DEBUG, e.DB_HOST, e.NODE_ENV) == (6543, True, "db", "development")


def test_environment_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_HOST", "from-env")
    monkeypatch.setenv("DB_PORT", "7000")

    e = load(tmp_path, monkeypatch, "DB_HOST=from-file\nDB_PORT=6000\nNODE_ENV=test\n")

    assert (e.DB_HOST, e.DB_PORT, e.NODE_ENV) == ("from-env", 7000, "test")


def test_override_makes_the_file_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_HOST", "from-env")
    monkeypatch.setenv("DB_PORT", "7000")

    e = load(tmp_path, monkeypatch, "DB_HOST=from-file\n", override=True)

    # the file wins where it has the value; the environment still fills the rest
    assert (e.DB_HOST, e.DB_PORT) == ("from-file", 7000)


def test_missing_file_is_fine_when_nothing_is_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_PORT", "1")

    e = load(tmp_path, monkeypatch, None)

    assert (e.DB_HOST, e.DB_PORT) == ("localhost", 1)


def test_missing_required_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = env_error(tmp_path, monkeypatch, None, Secrets)

    assert message == (
        "1 invalid environment value for Secrets:\n"
        "  - DB_PASSWORD: required, but not set in .env.axogen or the environment\n"
        "  hint: set them in .env.axogen or in the environment"
    )


def test_empty_and_bare_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    e = load(tmp_path, monkeypatch, "DB_HOST=\nNODE_ENV\n")

    assert (e.DB_HOST, e.NODE_ENV) == ("", "")


def test_structured_values_are_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Lists(BaseModel):
        TAGS: list[str] = []
        LIMITS: dict[str, int] = {}
        HOSTS: list[str] | None = None

    e = load(
        tmp_path,
        monkeypatch,
        'TAGS=["a", "b"]\nLIMITS={"cpu": "2"}\nHOSTS=["x"]\n',
        Lists,
    )

    assert (e.TAGS, e.LIMITS, e.HOSTS) == (["a", "b"], {"cpu": 2}, ["x"])


def test_alias_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Aliased(BaseModel):
        host: str = Field(alias="DATABASE_HOST")

    e = load(tmp_path, monkeypatch, "DATABASE_HOST=db\nhost=wrong\n", Aliased)

    assert e.host == "db"


def test_a_model_is_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TypeError, match="load_env\\(\\) needs a pydantic model class"):
        load(tmp_path, monkeypatch, None, dict)


# --- malformed lines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (f"DB_PASSWORD='{SECRET}", ": DB_PASSWORD"),
        (f'DB_PASSWORD="{SECRET}" trailing', ": DB_PASSWORD"),
        (f"export DB_PASSWORD='{SECRET}", ": export DB_PASSWORD"),
        (f"{SECRET} pasted alone", ""),
        (f"={SECRET}", ""),
        (f"DB PASSWORD {SECRET}={SECRET}", ""),
    ],
)
def test_malformed_line_is_reported_by_number_without_its_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, shown: str
) -> None:
    message = env_error(tmp_path, monkeypatch, f"DB_HOST=db\n\n# x\n{line}\nDB_PORT=1\n", Env)

    assert message == (
        f".env.axogen:4: cannot parse this line{shown}\n"
        "  hint: lines look like NAME=value; quote values with spaces or # in them"
    )
    assert SECRET not in message


def test_malformed_line_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                from pydantic import BaseModel, SecretStr
                import axogen as ax

                class Env(BaseModel):
                    DB_PASSWORD: SecretStr

                e = ax.load_env(Env)
                config = ax.define_config()
            """,
            ".env.axogen": f"A=1\nDB_PASSWORD='{SECRET}\n",
        },
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: .env.axogen:2: cannot parse this line: DB_PASSWORD\n"
        "  (raised at axogen.config.py:7)\n"
        "  hint: lines look like NAME=value; quote values with spaces or # in them\n"
    )
    assert SECRET not in result.output


# --- validation errors ---------------------------------------------------------------------------


def test_every_invalid_field_is_listed_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Strict(BaseModel):
        NODE_ENV: str = "development"
        DB_PORT: int = 5432
        DEBUG: bool = False
        REDIS_URL: str
        DB_HOST: str = Field(default="localhost", min_length=3)

    monkeypatch.setenv("DEBUG", "maybe")

    message = env_error(tmp_path, monkeypatch, "DB_PORT=abc\nDB_HOST=x\nDEBUG=true\n", Strict)

    assert message == (
        "4 invalid environment values for Strict:\n"
        "  - DB_PORT: Input should be a valid integer, unable to parse string as an integer"
        " (got 'abc', from .env.axogen:1)\n"
        "  - DEBUG: Input should be a valid boolean, unable to interpret input"
        " (got 'maybe', from the environment)\n"
        "  - REDIS_URL: required, but not set in .env.axogen or the environment\n"
        "  - DB_HOST: String should have at least 3 characters (got 'x', from .env.axogen:2)\n"
        "  hint: set them in .env.axogen or in the environment"
    )


def test_secret_values_are_never_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Model(BaseModel):
        JWT_SECRET: SecretStr = Field(min_length=32)
        API_KEY: SecretStr | None = Field(default=None, max_length=4)
        DB_PORT: int = 5432

    monkeypatch.setenv("API_KEY", SECRET + "-env")

    message = env_error(tmp_path, monkeypatch, f"JWT_SECRET={SECRET}\nDB_PORT={SECRET}\n", Model)

    assert message.startswith("3 invalid environment values for Model:\n")
    assert "  - JWT_SECRET: " in message
    assert "(from .env.axogen:1)" in message
    assert "(from the environment)" in message
    # the non-secret field shows what it got, which is how the secret can leak by mistake
    assert (
        f"DB_PORT: Input should be a valid integer, unable to parse string as an integer (got '{SECRET}'"
        in message
    )
    secret_lines = [
        line for line in message.splitlines() if "JWT_SECRET" in line or "API_KEY" in line
    ]
    assert len(secret_lines) == 2
    for line in secret_lines:
        assert SECRET not in line


def test_secret_value_not_in_cli_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                from pydantic import BaseModel, Field, SecretStr
                import axogen as ax

                class Env(BaseModel):
                    JWT_SECRET: SecretStr = Field(min_length=32)
                    DB_PORT: int

                e = ax.load_env(Env)
                config = ax.define_config()
            """,
            ".env.axogen": f"JWT_SECRET={SECRET}\n",
        },
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("-v", "generate")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: 2 invalid environment values for Env:\n")
    assert "  - DB_PORT: required, but not set in .env.axogen or the environment\n" in (
        result.stderr
    )
    assert "  (raised at axogen.config.py:8)\n" in result.stderr
    assert SECRET not in result.output


# --- paths and the environment through the CLI -------------------------------------------------

CONFIG = """\
from pydantic import BaseModel
import axogen as ax


class Env(BaseModel):
    NODE_ENV: str = "development"
    DB_PORT: int = 5432


e = ax.load_env(Env{args})
config = ax.define_config(targets={{
    "out": ax.json(path="out.json", variables={{"env": e.NODE_ENV, "port": e.DB_PORT}}),
}})
"""


def generated(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / "out.json").read_text())
    return data


def test_env_file_path_is_relative_to_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(
        tmp_path / "proj",
        {
            "axogen.config.py": CONFIG.format(args=', "conf/dev.env"'),
            "conf/dev.env": "DB_PORT=6000\n",
            "sub/conf/dev.env": "DB_PORT=1\n",
            "sub/.env.axogen": "DB_PORT=2\n",
        },
    )
    monkeypatch.chdir(root / "sub")

    result = run_cli("generate")

    assert result.exit_code == 0, result.output
    assert generated(root) == {"env": "development", "port": 6000}
    assert not (root / "sub" / "out.json").exists()


def test_environment_and_override_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(
        tmp_path,
        {"axogen.config.py": CONFIG.format(args=""), ".env.axogen": "NODE_ENV=staging\n"},
    )
    monkeypatch.chdir(root)

    assert run_cli("generate").exit_code == 0
    assert generated(root) == {"env": "staging", "port": 5432}

    assert run_cli("generate", env={"NODE_ENV": "production"}).exit_code == 0
    assert generated(root) == {"env": "production", "port": 5432}

    (root / "axogen.config.py").write_text(CONFIG.format(args=", override=True"))
    assert run_cli("generate", env={"NODE_ENV": "production", "DB_PORT": "9"}).exit_code == 0
    assert generated(root) == {"env": "staging", "port": 9}


def test_missing_env_file_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build_tree(tmp_path, {"axogen.config.py": CONFIG.format(args="")})
    monkeypatch.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 0, result.output
    assert generated(root) == {"env": "development", "port": 5432}


def test_wrong_type_from_the_environment_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(
        tmp_path / "proj",
        {"axogen.config.py": CONFIG.format(args=""), ".env.axogen": "DB_PORT=abc\n"},
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("-C", "proj", "generate", env={"NODE_ENV": "x"})

    assert result.exit_code == 1
    assert result.stderr == (
        "error: 1 invalid environment value for Env:\n"
        "  - DB_PORT: Input should be a valid integer, unable to parse string as an integer"
        " (got 'abc', from proj/.env.axogen:1)\n"
        "  (raised at proj/axogen.config.py:10)\n"
        "  hint: set them in proj/.env.axogen or in the environment\n"
    )
    assert not (root / "out.json").exists()
