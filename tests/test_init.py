"""`axogen init`: the example project, and importing existing .env files, in real git repos."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from dotenv import dotenv_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axogen import scaffold
from axogen.formats.env import quote
from axogen.values import ValueProblem
from conftest import build_tree, git_init, run_cli, run_proc, subprocess_env

RUFF = Path(sys.executable).with_name("ruff")


def read_env(path: Path) -> dict[str, str | None]:
    return dict(dotenv_values(path, interpolate=False))


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout


def git_ignored(root: Path, *paths: str) -> set[str]:
    done = subprocess.run(
        ["git", "check-ignore", *paths], cwd=root, capture_output=True, text=True, timeout=30
    )
    return set(done.stdout.split())


def ruff_clean(file: Path) -> None:
    """The file passes ruff's lint rules and is formatted as `ruff format` would."""
    lint = subprocess.run(
        [str(RUFF), "check", "--isolated", "--select", "E,F,W,I,B,UP", str(file)],
        cwd=file.parent,  # as in the user's repository, where axogen is a third-party package
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [str(RUFF), "format", "--isolated", "--check", "--diff", str(file)],
        cwd=file.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


# --- the example project ---------------------------------------------------------------------


def test_init_scaffolds_a_working_project(tmp_path: Path) -> None:
    git_init(tmp_path)

    result = run_cli("-C", str(tmp_path), "init")

    assert result.exit_code == 0, result.output
    config = tmp_path / "axogen.config.py"
    assert config.read_text() == scaffold.EXAMPLE_CONFIG
    env = read_env(tmp_path / ".env.axogen")
    assert list(env) == ["SECRET_KEY"] and len(env["SECRET_KEY"] or "") >= 32
    assert (tmp_path / ".env.axogen").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / ".gitignore").read_text() == (
        "# axogen: real values, and the generated files that hold secrets\n"
        ".env.axogen\n"
        ".env.axogen.local\n"
        ".env.keys\n"
        "/generated/app.env\n"
    )
    shown = str(tmp_path)  # outside the current folder: absolute
    assert result.stdout.splitlines()[:3] == [
        f"created   {shown}/axogen.config.py",
        f"created   {shown}/.env.axogen (SECRET_KEY: a new random value)",
        f"created   {shown}/.gitignore (+ .env.axogen, .env.axogen.local, .env.keys, /generated/app.env)",
    ]
    ruff_clean(config)

    # the example works at once, in a real process, with the secret guard satisfied
    generated = run_proc(["generate"], cwd=tmp_path)
    assert generated.exit_code == 0, generated.output
    app = read_env(tmp_path / "generated/app.env")
    assert app == {
        "APP_ENV": "development",
        "PORT": "8000",
        "DATABASE_URL": "postgres://app@localhost:5432/app",
        "SECRET_KEY": env["SECRET_KEY"],
    }
    assert (tmp_path / "generated/app.env").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / ".env.axogen.example").is_file()
    assert run_proc(["check"], cwd=tmp_path).exit_code == 0
    status = git(tmp_path, "status", "--porcelain", "--untracked-files=all")
    assert ".env.axogen\n" not in status and "generated/app.env" not in status
    assert "generated/settings.json" in status and ".env.axogen.example" in status
    assert run_proc(["run", "serve", "--help"], cwd=tmp_path).exit_code == 0


def test_init_refuses_to_replace_a_config_without_force(tmp_path: Path) -> None:
    build_tree(tmp_path, {"axogen.config.py": "# mine\n", ".env.axogen": "SECRET_KEY=" + "k" * 40})

    refused = run_cli("-C", str(tmp_path), "init")

    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: {tmp_path}/axogen.config.py already exists; nothing was "
        "written\n  hint: axogen init --force replaces it\n"
    )
    assert (tmp_path / "axogen.config.py").read_text() == "# mine\n"
    assert not (tmp_path / ".gitignore").exists()

    forced = run_cli("-C", str(tmp_path), "init", "--force")

    assert forced.exit_code == 0, forced.output
    assert "replaced  " in forced.stdout and "kept      " in forced.stdout
    assert (tmp_path / "axogen.config.py").read_text() == scaffold.EXAMPLE_CONFIG
    # .env.axogen is kept as it was: it holds the user's real values
    assert (tmp_path / ".env.axogen").read_text() == "SECRET_KEY=" + "k" * 40


def test_init_appends_only_the_missing_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_init(tmp_path)
    build_tree(
        tmp_path,
        {
            ".gitignore": "node_modules/\n/.env.axogen",  # no final newline
            ".env.axogen": "APP_PORT=9000\n",
        },
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("init")

    assert result.exit_code == 0, result.output
    assert (tmp_path / ".gitignore").read_text() == (
        "node_modules/\n"
        "/.env.axogen\n"
        "\n"
        "# axogen: real values, and the generated files that hold secrets\n"
        ".env.axogen.local\n"
        ".env.keys\n"
        "/generated/app.env\n"
    )
    env = read_env(tmp_path / ".env.axogen")
    assert list(env) == ["APP_PORT", "SECRET_KEY"]
    assert "updated   .env.axogen (added SECRET_KEY: a new random value)" in result.stdout

    again = run_cli("init", "--force")
    assert again.exit_code == 0
    assert ".gitignore" not in again.stdout  # nothing was missing
    assert (tmp_path / ".gitignore").read_text().count("axogen:") == 1
    assert read_env(tmp_path / ".env.axogen") == env
    assert run_cli("generate").exit_code == 0
    assert read_env(tmp_path / "generated/app.env")["PORT"] == "9000"


def test_init_reincludes_the_example_an_env_pattern_ignores(tmp_path: Path) -> None:
    git_init(tmp_path)
    (tmp_path / ".gitignore").write_text(".env*\n")

    assert run_cli("-C", str(tmp_path), "init").exit_code == 0

    assert (
        (tmp_path / ".gitignore")
        .read_text()
        .endswith("/generated/app.env\n!/.env.axogen.example\n")
    )
    assert run_cli("-C", str(tmp_path), "generate").exit_code == 0
    assert git_ignored(tmp_path, ".env.axogen", ".env.axogen.example") == {".env.axogen"}


def test_init_usage_errors(tmp_path: Path) -> None:
    result = run_cli("-C", str(tmp_path / "nope"), "init")
    assert result.exit_code == 1 and "no such directory" in result.stderr
    result = run_cli("-C", str(tmp_path), "-c", "x.py", "init")
    assert result.exit_code == 2 and "-C DIR" in result.stderr


# --- importing existing env files -----------------------------------------------------------

API_ENV = """\
# the API's settings
DATABASE_URL=postgres://app:S3cr3t-Passw0rd@db:5432/api
PORT=8000
DEBUG=true
RATIO=0.5
LOG_LEVEL=info
STRIPE_KEY=sk_live_51HxTz8KjQ2mN4pR7sT9vW1yZ3bC5dF7gH9jK
HOSTS='["a","b"]'
HOME_URL=${BASE_URL}/home
export QUOTED="it's here"
MULTI="line one
line two"
EMPTY=
class=reserved
USER=app
"""
WEB_ENV = """\
export PORT=3000
export LOG_LEVEL=info
export API_URL=http://localhost:8000
export DB_PASSWORD=changeme
"""
WORKER_ENV = """\
LOG_LEVEL=debug
PORT=8000
ZIP=007
GREETING='hello   world'
"""
ORIGINALS = {"api/.env": API_ENV, "web/.env": WEB_ENV, "worker/.env": WORKER_ENV}


def imported_project(root: Path) -> Path:
    build_tree(root, {**ORIGINALS, "README.md": "a project\n"})
    git_init(root)
    git(root, "add", "README.md", "worker/.env")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    return root


def test_import_reproduces_every_value(tmp_path: Path) -> None:
    root = imported_project(tmp_path)
    originals = {rel: read_env(root / rel) for rel in ORIGINALS}
    originals["api/.env"]["HOME_URL"] = "/home"  # what bash reads: BASE_URL is not set

    result = run_cli(
        "-C", str(root), "init", "--from", "api/.env", "--from", "web/.env", "--from", "worker/.env"
    )

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "imported  api/.env (13 values, 2 secret)",
        "imported  web/.env (4 values, 1 secret)",
        "imported  worker/.env (4 values)",
        "reference HOME_URL: .env.axogen keeps its ${...}; axogen expands it when it loads the "
        "file, and writes the result",
        "split     PORT differs between files: PORT (api/.env, worker/.env); WEB_PORT (web/.env)",
        "split     LOG_LEVEL differs between files: LOG_LEVEL (api/.env, web/.env); "
        "WORKER_LOG_LEVEL (worker/.env)",
    ]
    config = root / "axogen.config.py"
    source = config.read_text()
    for line in (
        "    DATABASE_URL: SecretStr\n",
        "    PORT: int  # PORT in api/.env and worker/.env\n",
        "    DEBUG: bool\n",
        "    RATIO: float\n",
        "    STRIPE_KEY: SecretStr\n",
        "    HOSTS: str\n",
        "    HOME_URL: str\n",
        '    class_: str = Field(alias="class")\n',
        "    WEB_PORT: int  # PORT in web/.env\n",
        "    DB_PASSWORD: SecretStr\n",
        "    ZIP: str\n",
        "e = ax.load_env(Env, override=True)\n",
        '                "PORT": e.WEB_PORT,\n',
        "            export=True,\n",
        '        "env-example": ax.env_example(".env.axogen.example", schema=Env),\n',
    ):
        assert line in source
    ruff_clean(config)
    env = read_env(root / ".env.axogen")
    assert env["WEB_PORT"] == "3000" and env["class"] == "reserved"
    assert env["HOME_URL"] == "${BASE_URL}/home"  # a reference: axogen expands it
    assert (root / ".env.axogen").stat().st_mode & 0o777 == 0o600
    assert (root / ".gitignore").read_text() == (
        "# axogen: real values, and the generated files that hold secrets\n"
        ".env.axogen\n.env.axogen.local\n.env.keys\n/api/.env\n/web/.env\n"
    )

    # a variable of the same name in the environment does not change what is generated
    generated = run_proc(["generate"], cwd=root, env=subprocess_env(PORT="1", USER="someone"))

    assert generated.exit_code == 0, generated.output
    for rel, values in originals.items():
        again = read_env(root / rel)
        assert again == values, rel
        assert list(again) == list(values), rel
    assert run_proc(["check"], cwd=root).exit_code == 0
    # the committed file changed only by the header
    assert (
        git(root, "diff", "-U0", "worker/.env")
        .splitlines()[-1]
        .startswith("+# Generated by axogen")
    )
    assert git(root, "diff", "--numstat", "worker/.env") == "1\t0\tworker/.env\n"
    ignored = git_ignored(root, ".env.axogen", "api/.env", "web/.env", "worker/.env")
    assert ignored == {".env.axogen", "api/.env", "web/.env"}
    rerun = run_proc(["generate"], cwd=root)
    assert "0 created, 0 updated, 4 unchanged" in rerun.stdout


def test_import_of_a_tracked_secret_file_warns_and_generate_refuses(tmp_path: Path) -> None:
    build_tree(tmp_path, {".env": "API_TOKEN=tok-9fK2mQ7xZ4pL8vB3\nPORT=1\n"})
    git_init(tmp_path)
    git(tmp_path, "add", ".env")

    result = run_cli("-C", str(tmp_path), "init", "--from", ".env")

    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: .env holds secrets and git still commits it (it is tracked): `axogen "
        "generate` refuses to write it until you run `git rm --cached .env`\n"
    )
    assert '"env": ax.env(\n            ".env",' in (tmp_path / "axogen.config.py").read_text()
    refused = run_proc(["generate"], cwd=tmp_path)
    assert refused.exit_code == 1 and "would be committed by git" in refused.stderr
    git(tmp_path, "rm", "-q", "--cached", ".env")
    assert run_proc(["generate"], cwd=tmp_path).exit_code == 0
    assert read_env(tmp_path / ".env") == {"API_TOKEN": "tok-9fK2mQ7xZ4pL8vB3", "PORT": "1"}


def test_import_reports_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {
            "a/.env": "GOOD=1\nBAD.KEY=2\n",
            "b/.env": 'MIXED="it\'s $(id)"\nCR="a\\rb"\n',
            "c/.env": "OK=1\nthis line is broken\n",
        },
    )
    outside = tempfile.NamedTemporaryFile(suffix=".env", delete=False)
    outside.close()

    result = run_cli(
        "-C",
        str(tmp_path),
        "init",
        "--from",
        "a/.env",
        "--from",
        "b/.env",
        "--from",
        "c/.env",
        "--from",
        "missing/.env",
        "--from",
        outside.name,
        "--from",
        ".env.axogen",
    )
    os.unlink(outside.name)

    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot import: 4 problems; nothing was written:\n")
    for expected in (
        "  - c/.env:2: cannot parse this line (lines look like NAME=value)\n",
        "  - missing/.env: no such file\n",
        f"  - {outside.name}: outside {tmp_path.resolve()}; axogen writes only files in its "
        "folder\n",
        "  - .env.axogen: this is axogen's own file, not one to import\n",
    ):
        assert expected in result.stderr
    assert "its" not in result.stderr.replace("its folder", "").replace("it's", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "c"]

    values = run_cli("-C", str(tmp_path), "init", "--from", "a/.env", "--from", "b/.env")
    assert values.exit_code == 1
    assert values.stderr.startswith("error: cannot import: 3 problems; nothing was written:\n")
    assert "  - a/.env: 'BAD.KEY' is not a variable name ax.env can write" in values.stderr
    assert "  - b/.env: MIXED: bash, Compose and dotenvx expand `$(...)`" in values.stderr
    assert "  - b/.env: CR: the value contains a carriage return" in values.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "c"]


def test_import_refuses_to_replace_env_axogen_without_force(tmp_path: Path) -> None:
    build_tree(tmp_path, {".env": "A=1\n", ".env.axogen": "MINE=1\n"})

    refused = run_cli("-C", str(tmp_path), "init", "--from", ".env")

    assert refused.exit_code == 1
    assert ".env.axogen already exists; nothing was written" in refused.stderr
    assert not (tmp_path / "axogen.config.py").exists()
    forced = run_cli("-C", str(tmp_path), "init", "--from", ".env", "--force")
    assert forced.exit_code == 0, forced.output
    assert read_env(tmp_path / ".env.axogen") == {"A": "1"}


def test_import_of_a_file_in_the_root_with_odd_names(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {
            ".env": "_PRIVATE=1\njson=2\nmodel_name=x\nint=3\nPORT=1\n",
            ".env.production": "PORT=2\n_PRIVATE=1\n",
        },
    )

    result = run_cli("-C", str(tmp_path), "init", "--from", ".env", "--from", ".env.production")

    assert result.exit_code == 0, result.output
    source = (tmp_path / "axogen.config.py").read_text()
    for line in (
        '    PRIVATE: int = Field(alias="_PRIVATE")\n',
        '    json_: int = Field(alias="json")\n',
        '    env_model_name: str = Field(alias="model_name")\n',
        '    int_: int = Field(alias="int")\n',
        "    PRODUCTION_PORT: int  # PORT in .env.production\n",
        '        "env": ax.env(\n',
        '        "env-production": ax.env(\n',
    ):
        assert line in source, line
    ruff_clean(tmp_path / "axogen.config.py")
    assert run_cli("-C", str(tmp_path), "generate").exit_code == 0
    assert read_env(tmp_path / ".env") == {
        "_PRIVATE": "1",
        "json": "2",
        "model_name": "x",
        "int": "3",
        "PORT": "1",
    }
    assert read_env(tmp_path / ".env.production") == {"PORT": "2", "_PRIVATE": "1"}


# --- inference, unit by unit ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("PORT", "5432", "int"),
        ("PORT", "-1", "int"),
        ("ZIP", "007", "str"),
        ("BIG", "123456789012345678901234567890", "int"),
        ("RATIO", "3.14", "float"),
        ("RATIO", "1.50", "str"),
        ("RATIO", "1e5", "str"),
        ("DEBUG", "true", "bool"),
        ("DEBUG", "True", "str"),
        ("DEBUG", "yes", "str"),
        ("NAME", "", "str"),
        ("NAME", "hello", "str"),
        ("URL", "${HOST}/x", "str"),
        ("DB_PASSWORD", "changeme", "SecretStr"),
        ("DB_PASSWORD", "", "SecretStr"),
        ("DB_PASSWORD", "${PGPASS}", "str"),
        ("STRIPE", "sk_live_51HxTz8KjQ2mN4pR7sT9vW1yZ3bC5dF7gH9jK", "SecretStr"),
        ("URL", "postgres://u:S3cr3t-Passw0rd@h/db", "SecretStr"),
        ("AUTHOR", "Jane", "str"),
    ],
)
def test_infer_type(key: str, value: str, expected: str) -> None:
    assert scaffold.infer_type(key, value) == expected


@pytest.mark.parametrize(
    ("rel", "label", "name"),
    [
        (".env", "ROOT", "env"),
        (".env.production", "PRODUCTION", "env-production"),
        ("api/.env", "API", "api-env"),
        ("services/api/.env.local", "SERVICES_API_LOCAL", "services-api-env-local"),
        ("config/app.env", "CONFIG_APP", "config-app-env"),
        ("2fa/.env", "F2FA", "2fa-env"),
    ],
)
def test_file_label_and_target_name(rel: str, label: str, name: str) -> None:
    assert scaffold.file_label(rel) == label
    assert scaffold.target_name(rel) == name


def test_the_most_shared_value_keeps_the_name() -> None:
    files = [
        scaffold.EnvFile("a/.env", {"LEVEL": "debug"}),
        scaffold.EnvFile("b/.env", {"LEVEL": "info"}),
        scaffold.EnvFile("c/.env", {"LEVEL": "info"}),
        scaffold.EnvFile("a/b/.env", {"LEVEL": "warn", "A_LEVEL": "x"}),
    ]
    imported = scaffold.import_env_files(files)
    assert [(f.name, f.key, f.value) for f in imported.fields] == [
        ("A_LEVEL_", "A_LEVEL_", "debug"),  # A_LEVEL is a key of its own
        ("LEVEL", "LEVEL", "info"),
        ("A_B_LEVEL", "A_B_LEVEL", "warn"),
        ("A_LEVEL", "A_LEVEL", "x"),
    ]
    assert [t.name for t in imported.targets] == ["a-env", "b-env", "c-env", "a-b-env"]


# values every reader keeps: the ones quote() accepts (others are reported by init)
VALUES = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\x00"),
    max_size=12,
).filter(lambda v: _quotable(v))
KEYS = st.from_regex(r"[A-Z_][A-Z0-9_]{0,6}", fullmatch=True)


def _quotable(value: str) -> bool:
    try:
        quote(value)
    except ValueProblem:
        return False
    return True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(KEYS, VALUES, min_size=1, max_size=5), min_size=1, max_size=3))
def test_import_round_trips_any_values(contents: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sources = []
        for i, values in enumerate(contents):
            rel = f"s{i}/.env"
            text = "".join(f"{k}={quote(v)}\n" for k, v in values.items())
            (root / f"s{i}").mkdir()
            (root / rel).write_text(text, encoding="utf-8")
            assert dict(dotenv_values(stream=io.StringIO(text), interpolate=False)) == values
            sources += ["--from", rel]

        result = run_cli("-C", tmp, "init", *sources)
        assert result.exit_code == 0, result.output
        generated = run_cli("-C", tmp, "generate")
        assert generated.exit_code == 0, generated.output

        for i, values in enumerate(contents):
            again = read_env(root / f"s{i}/.env")
            assert again == values
            assert list(again) == list(values)
