"""The secret policy end to end: declared secrets inside other strings, weak chosen values
under credential names, sibling names, defaults, and trivial defaults (docs/secrets.md)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from axogen.secrets.detect import find_secrets, scan_text
from conftest import build_tree, git_init, run_cli, snapshot

DB_PASSWORD = "mypassword123"

# the microservices guide: a DB password declared secret, a development JWT secret in a
# plain `str` field
GUIDE_CONFIG = """\
from pydantic import BaseModel, SecretStr
import axogen as ax

class Env(BaseModel):
    DB_HOST: str = "localhost"
    DB_PORT: int = 5432
    DB_PASSWORD: SecretStr
    JWT_SECRET: str

e = ax.load_env(Env)
url = f"postgres://postgres:{e.DB_PASSWORD.get_secret_value()}@{e.DB_HOST}:{e.DB_PORT}/auth"
# no rule would see a secret in this one: only knowing the declared value does
blob = f"[{e.DB_PASSWORD.get_secret_value()}]"
config = ax.define_config(targets={{TARGETS}})
"""


def guide(tmp_path: Path, targets: str, gitignore: str = "") -> Path:
    root = tmp_path / "repo"
    git_init(root)
    return build_tree(
        root,
        {
            "axogen.config.py": GUIDE_CONFIG.replace("{{TARGETS}}", "{" + targets + "}"),
            ".env.axogen": f"DB_PASSWORD={DB_PASSWORD}\nJWT_SECRET=dev-jwt-secret-123\n",
            ".gitignore": ".env.axogen\n" + gitignore,
            "app.j2": "DATABASE_URL={{ url }}\nBLOB {{ blob }}\n",
        },
    )


def generate(root: Path, *args: str) -> tuple[int, str]:
    result = run_cli("-C", str(root), *args, "generate")
    assert DB_PASSWORD not in result.output
    assert "dev-jwt-secret-123" not in result.output
    return result.exit_code, result.output


def test_a_weak_development_jwt_secret_in_a_plain_str_field_is_refused(tmp_path: Path) -> None:
    root = guide(tmp_path, '"auth": ax.env("auth/.env", {"JWT_SECRET": e.JWT_SECRET})')
    before = snapshot(root)
    code, output = generate(root)
    assert code == 1
    assert "target 'auth' (auth/.env) would be committed by git:" in output
    assert "JWT_SECRET: secret-named key [keyword] …(18 chars)" in output
    assert snapshot(root) == before


def test_unsafe_lets_the_development_jwt_secret_through(tmp_path: Path) -> None:
    root = guide(
        tmp_path,
        '"auth": ax.env("auth/.env", {"JWT_SECRET": ax.unsafe(e.JWT_SECRET, reason="dev only")})',
    )
    code, output = generate(root)
    assert code == 0, output
    assert (root / "auth/.env").read_text().endswith("JWT_SECRET=dev-jwt-secret-123\n")


@pytest.mark.parametrize(
    ("factory", "path"),
    [
        ('ax.env("auth/.env", {"DATABASE_URL": url, "BLOB": blob})', "auth/.env"),
        ('ax.yaml("auth/app.yaml", {"db": {"url": url, "blob": blob}})', "auth/app.yaml"),
        ('ax.json("auth/app.json", {"db": [url, blob]})', "auth/app.json"),
        ('ax.toml("auth/app.toml", {"db": {"url": url, "blob": blob}})', "auth/app.toml"),
        (
            'ax.template("auth/a.conf", {"url": url, "blob": blob}, template="app.j2")',
            "auth/a.conf",
        ),
        ('ax.json("auth/keys.json", {url: 1, blob: 2})', "auth/keys.json"),
        ('ax.yaml("auth/h.yaml", {"a": 1}, header="db " + url + "\\n" + blob)', "auth/h.yaml"),
    ],
)
def test_a_declared_secret_built_into_a_larger_string_is_a_declared_secret(
    tmp_path: Path, factory: str, path: str
) -> None:
    root = guide(tmp_path, f'"auth": {factory}')
    code, output = generate(root)
    assert code == 1, output
    assert f"target 'auth' ({path}) would be committed by git:" in output
    assert "2 secret values" in output
    assert "declared secret" in output and "[declared]" in output
    assert not (root / path).exists()


def test_an_ignored_file_holding_an_embedded_declared_secret_is_0600_and_masked(
    tmp_path: Path,
) -> None:
    root = guide(tmp_path, '"auth": ax.env("auth/.env", {"DATABASE_URL": url})', "auth/.env\n")
    code, _ = generate(root)
    assert code == 0
    assert stat.S_IMODE((root / "auth/.env").stat().st_mode) == 0o600
    (root / "auth/.env").write_text("DATABASE_URL=old\n")
    diff = run_cli("-C", str(root), "diff")
    assert diff.exit_code == 0
    assert DB_PASSWORD not in diff.output
    assert "…(" in diff.output


def test_an_unsafe_url_holding_a_declared_secret_passes(tmp_path: Path) -> None:
    root = guide(
        tmp_path, '"auth": ax.env("auth/.env", {"DATABASE_URL": ax.unsafe(url, reason="demo")})'
    )
    code, output = generate(root)
    assert code == 0, output


def test_every_finding_of_every_target_is_listed_at_once(tmp_path: Path) -> None:
    root = guide(
        tmp_path,
        '"a": ax.env("a.env", {"JWT_SECRET": e.JWT_SECRET, "DATABASE_URL": url,'
        ' "NOTES": "password=Harbor12345\\ntoken=root1234x"}),'
        ' "b": ax.yaml("b.yaml", {"MYSQL_PASSWORD": "difyai123456", "url": url})',
    )
    code, output = generate(root)
    assert code == 1
    assert "6 secret values would be written to 2 files" in output
    assert output.count("NOTES:") == 2


def test_short_or_stock_declared_secrets_are_matched_only_where_they_stand_alone() -> None:
    data = {"image": "postgres:16", "host": "db.abc.internal", "pw": "abc", "user": "postgres"}
    # "abc" is under 4 characters, "postgres" a stock value: inside other text they would
    # match image names and hosts
    found = find_secrets(data, declared_values={"abc", "postgres"})
    assert [f.key_path for f in found] == [("pw",), ("user",)]


# --- the detector on its own ----------------------------------------------------------------


def paths(data: object, **kwargs: object) -> list[tuple[str | int, ...]]:
    return [f.key_path for f in find_secrets(data, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("JWT_SECRET", "dev-jwt-secret-123"),
        ("JWT_SECRET", "my-super-secret-jwt-key-32-chars"),
        ("DB_PASSWORD", "mypassword123"),
        ("DATABASE_URL", "postgres://postgres:mypassword123@localhost:5432/auth"),
        ("HARBOR_ADMIN_PASSWORD", "Harbor12345"),
        ("DB_PASSWORD", "root123"),
        ("DB_PASSWORD", "difyai123456"),
        ("password", "Password123!"),
        ("spring.datasource.password", "${MYSQL_PASSWORD:db-57xsl}"),
        ("POSTGRES_PASSWORD", "${POSTGRES_PASSWORD:-s3cr3t-pg-9}"),
        ("DB_PASSWORD", "123456"),  # weak, but the password of that database
        ("password", "${DB_PWD:123456}"),
    ],
)
def test_concrete_chosen_values_under_credential_keys_are_secrets(key: str, value: str) -> None:
    assert paths({key: value}) == [(key,)]
    assert len(scan_text(f"{key}={value}\n")) == 1


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("password", "password"),
        ("password", "mysecretpassword"),
        ("password", "P@ssw0rd"),
        ("password", "user_provided"),
        ("password", "Master Password"),
        ("password", "tempString"),
        ("key", "CAFEBABE"),
        ("password", "postgres_password"),
        ("password", "${DB_PASSWORD:-postgres}"),
        ("password", "${DB_PASSWORD:}"),
        ("password", "${DB_PASSWORD}"),
        ("password", "changeme"),
        ("secret", "my-app-secret"),
        ("password", "Y2hhbmdlbWU="),  # base64 of a placeholder
        ("MINIO_SECRET_KEY", "miniosecretkey"),  # only names its slot
        ("POSTGRES_NON_ROOT_PASSWORD", "myassword"),  # a typo of stock words
        ("JWT_SECRET", "some-long-random-string"),  # describes what belongs there
        ("token_prefix", "Bearer"),
        ("DATABASE_URL", "postgres://mmuser:mmuser_password@db/mattermost"),
        ("JWT_AUTH_TOKEN_SECRET", "AABBCCDDAABBCCDDAABBCCDDAABBCCDD"),  # a repeated filler
        ("SECRETS_SYSTEM", "youReallyNeedToChangeThis"),
        ("SECRETKEY_AWS_REGION", "us-west-2"),
    ],
)
def test_placeholders_slot_names_and_generic_words_are_not(key: str, value: str) -> None:
    assert paths({key: value}) == []
    assert scan_text(f"{key}={value}\n") == []


def test_the_value_of_a_name_value_pair_is_judged_under_its_name() -> None:
    manifest = """\
spec:
  containers:
  - name: mysql
    env:
    - name: MYSQL_ROOT_PASSWORD
      value: c-krit
    - name: MYSQL_DATABASE
      value: shop
    - {name: API_TOKEN, value: "t0k-3n-9f8e7d"}
"""
    assert paths(yaml.safe_load(manifest)) == [
        ("spec", "containers", 0, "env", 0, "value"),
        ("spec", "containers", 0, "env", 2, "value"),
    ]
    assert [f.key_path for f in scan_text(manifest)] == [("line 6",), ("line 9",)]
    ecs = '[{"name": "DB_PASSWORD", "value": "c-krit"}, {"Name": "PORT", "Value": "80"}]'
    assert [f.key_path for f in scan_text(ecs)] == [("line 1",)]


COMPOSE = """\
services:
  nextcloud:
    image: nextcloud:29
    environment:
      - POSTGRES_PASSWORD=nextcloud
      - POSTGRES_USER=nextcloud
  db:
    image: mariadb
    environment:
      MYSQL_PASSWORD: wordpress
      MYSQL_USER: wordpress
      MYSQL_ROOT_PASSWORD: mariadb
      REDIS_PASSWORD: db
      ADMIN_PASSWORD: Sup3r-chosen-1
"""


def test_a_password_repeating_a_service_user_or_database_name_is_a_trivial_default() -> None:
    assert paths(yaml.safe_load(COMPOSE)) == [("services", "db", "environment", "ADMIN_PASSWORD")]
    assert [f.key_path for f in scan_text(COMPOSE)] == [("line 14",)]
    # alone, without the names beside it, the same value is a chosen password
    assert paths({"POSTGRES_PASSWORD": "nextcloud"}) == [("POSTGRES_PASSWORD",)]


def test_every_secret_of_a_multi_line_value_is_a_finding() -> None:
    found = find_secrets({"notes": "password=Harbor12345\nx=1\ntoken=root1234x\n"})
    assert [f.key_path for f in found] == [("notes",), ("notes",)]


def test_declared_values_inside_text_and_keys() -> None:
    data = {"url": f"mysql://root:{DB_PASSWORD}@h/db", f"k-{DB_PASSWORD}": 1, "n": "x"}
    found = find_secrets(data, declared_values={DB_PASSWORD})
    assert [f.kind for f in found] == ["declared secret", "declared secret used as a key"]
    assert all(DB_PASSWORD not in repr(f) for f in found)
    text = f"a\nb {DB_PASSWORD} c\n"
    assert [f.key_path for f in scan_text(text, declared={DB_PASSWORD})] == [("line 2",)]


def test_commented_out_secrets_are_still_committed() -> None:
    text = "#db.password=youdontknow1\n# ADMIN_TOKEN=Vy2VyYTTsKPv8W5aEOWUbB9Bt3DEKePbHmI4m9Vc\n"
    assert [f.key_path for f in scan_text(text)] == [("line 1",), ("line 2",)]


def test_base64_of_readable_text_is_judged_as_the_text() -> None:
    import base64

    groups = base64.b64encode(b"system:bootstrappers:kubeadm:default-node-token").decode()
    password = base64.b64encode(b"Sup3r-chosen-1").decode()
    secret = {"data": {"auth-extra-groups": groups, "password": password}}
    assert paths(secret) == [("data", "password")]


def test_a_numeric_password_is_a_password_in_data_too() -> None:
    assert paths({"db": {"password": 123456, "port": 5432, "max_tokens": 4096}}) == [
        ("db", "password")
    ]


def test_a_password_naming_its_slot_with_a_name_of_the_file_is_trivial() -> None:
    inventory = {"awx_project": "awx", "pg_password": "awxpass", "admin_password": "Wx-91-pq"}
    assert paths(inventory) == [("admin_password",)]
