"""Team secrets: encrypted env files interchangeable with the real dotenvx, and the
`axogen env` commands. References have their own tests (test_references.py)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import build_tree, run_cli, run_proc

ROOT = Path(__file__).parents[1]


def find_dotenvx() -> str | None:
    local = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "dotenvx"
    return str(local) if local.is_file() else shutil.which("dotenvx")


DOTENVX = find_dotenvx()
needs_dotenvx = pytest.mark.skipif(
    DOTENVX is None,
    reason="dotenvx is not installed: .ci/run installs it (npm install --prefix .ci/node "
    "@dotenvx/dotenvx@2)",
)

CONFIG = """\
from pydantic import BaseModel, SecretStr
import axogen as ax

class Env(BaseModel):
    NODE_ENV: str = "development"
    DB_PASSWORD: SecretStr
    DB_USER: str = "app"

e = ax.load_env(Env)
config = ax.define_config(targets={
    "app": ax.env("app.env", {
        "NODE_ENV": e.NODE_ENV,
        "DB_USER": e.DB_USER,
        "DATABASE_URL": f"postgres://{e.DB_USER}:{e.DB_PASSWORD.get_secret_value()}@db/app",
    }),
})
"""

PASSWORD = "correct-horse-battery-staple-42"


def dotenvx(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    assert DOTENVX is not None
    done = subprocess.run(
        [DOTENVX, *args],
        cwd=cwd,
        env={**os.environ, "DOTENVX_NO_ARMOR": "true", **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def project(tmp_path: Path, env_text: str, *, git: bool = True) -> Path:
    root = build_tree(
        tmp_path / "proj",
        {
            "axogen.config.py": CONFIG,
            ".env.axogen": env_text,
            ".gitignore": "/app.env\n/.env.keys\n",
        },
    )
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def private_key(root: Path, name: str = "DOTENV_PRIVATE_KEY_AXOGEN") -> str:
    for line in (root / ".env.keys").read_text().splitlines():
        if line.startswith(name + "="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{name} not in .env.keys")


# --- key names, as dotenvx names them ----------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "suffix"),
    [
        (".env", ""),
        (".env.axogen", "_AXOGEN"),
        (".env.axogen.production", "_AXOGEN_PRODUCTION"),
        (".env.axogen.local", "_AXOGEN_LOCAL"),
        (".env.production", "_PRODUCTION"),
        (".env.axogen.eu.west", "_AXOGEN_EU"),  # dotenvx keeps two parts
        (".ENV.Axogen", "_AXOGEN"),
    ],
)
def test_key_suffix_follows_dotenvx(filename: str, suffix: str) -> None:
    from axogen.envcrypt import key_names, key_suffix

    assert key_suffix(filename) == suffix
    assert key_names(filename) == (f"DOTENV_PUBLIC_KEY{suffix}", f"DOTENV_PRIVATE_KEY{suffix}")
    # the name on the file's own public-key line wins
    assert key_names(filename, "DOTENV_PUBLIC_KEY_X") == (
        "DOTENV_PUBLIC_KEY_X",
        "DOTENV_PRIVATE_KEY_X",
    )


@needs_dotenvx
@pytest.mark.parametrize("name", [".env.axogen", ".env.axogen.production", ".env.axogen.local"])
def test_the_real_dotenvx_names_the_keys_the_same(tmp_path: Path, name: str) -> None:
    from axogen.envcrypt import key_names

    (tmp_path / name).write_text("A=1\n")
    dotenvx("encrypt", "-f", name, cwd=tmp_path)
    public, private = key_names(name)
    assert f'\n{public}="0' in (tmp_path / name).read_text()
    assert f"\n{private}=" in (tmp_path / ".env.keys").read_text()


# --- interchangeable with dotenvx --------------------------------------------------------


@needs_dotenvx
def test_dotenvx_encrypts_axogen_decrypts_and_generates(tmp_path: Path) -> None:
    root = project(tmp_path, f"# team values\nNODE_ENV=staging\nDB_PASSWORD='{PASSWORD}'\n")
    dotenvx("encrypt", "-f", ".env.axogen", "-k", "DB_PASSWORD", cwd=root)
    text = (root / ".env.axogen").read_text()
    assert PASSWORD not in text and "DB_PASSWORD='encrypted:" in text

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 0, result.output
    written = (root / "app.env").read_text()
    assert f"DATABASE_URL=postgres://app:{PASSWORD}@db/app" in written
    assert "encrypted:" not in written
    assert stat.S_IMODE((root / "app.env").stat().st_mode) == 0o600
    assert PASSWORD not in result.output
    # committed on purpose: its secret is encrypted, so no "not git-ignored" warning
    assert "warning" not in result.stderr


@needs_dotenvx
def test_axogen_encrypts_dotenvx_decrypts(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "# comment kept\nexport NODE_ENV=staging\n"
        f'DB_PASSWORD="{PASSWORD}"  # why: the shared dev database\nDB_USER=app\n',
    )

    result = run_cli("-C", str(root), "env", "encrypt")

    assert result.exit_code == 0, result.output
    # named from where axogen runs, outside the project: by its whole path
    assert f"encrypted {root / '.env.axogen'} (1 value: DB_PASSWORD)" in result.stdout
    assert "kept plain: NODE_ENV, DB_USER" in result.stdout
    text = (root / ".env.axogen").read_text()
    assert PASSWORD not in text
    # everything but the value is as it was, under dotenvx's public-key header
    lines = text.splitlines()
    assert lines[4].startswith('DOTENV_PUBLIC_KEY_AXOGEN="0')
    assert lines[7:9] == ["# comment kept", "export NODE_ENV=staging"]
    assert lines[9].startswith('DB_PASSWORD="encrypted:')
    assert lines[9].endswith('"  # why: the shared dev database')
    assert lines[10] == "DB_USER=app"
    assert stat.S_IMODE((root / ".env.keys").stat().st_mode) == 0o600

    assert dotenvx("get", "DB_PASSWORD", "-f", ".env.axogen", cwd=root) == PASSWORD + "\n"
    # with the key in the environment instead of .env.keys
    key = private_key(root)
    (root / ".env.keys").unlink()
    out = dotenvx(
        "get", "DB_PASSWORD", "-f", ".env.axogen", cwd=root, env={"DOTENV_PRIVATE_KEY_AXOGEN": key}
    )
    assert out == PASSWORD + "\n"
    (root / ".env.keys").write_text(f"DOTENV_PRIVATE_KEY_AXOGEN={key}\n")
    dotenvx("decrypt", "-f", ".env.axogen", cwd=root)
    assert f'DB_PASSWORD="{PASSWORD}"  # why' in (root / ".env.axogen").read_text()


@needs_dotenvx
def test_set_and_get_across_the_two_tools(tmp_path: Path) -> None:
    root = project(tmp_path, "NODE_ENV=dev\n")
    tricky = 'it\'s "quoted" $HOME # not a comment\\n'

    assert run_cli("-C", str(root), "env", "set", "DB_PASSWORD", PASSWORD).exit_code == 0
    assert run_cli("-C", str(root), "env", "set", "TRICKY", "--plain", tricky).exit_code == 0
    dotenvx("set", "FROM_DOTENVX", "dx-value-1234", "-f", ".env.axogen", cwd=root)

    assert dotenvx("get", "DB_PASSWORD", "-f", ".env.axogen", cwd=root) == PASSWORD + "\n"
    got = run_cli("-C", str(root), "env", "get", "FROM_DOTENVX")
    assert got.exit_code == 0 and got.stdout == "dx-value-1234\n"
    got = run_cli("-C", str(root), "env", "get", "DB_PASSWORD")
    assert got.stdout == PASSWORD + "\n"  # printed on purpose: the one place
    from dotenv import dotenv_values

    assert dotenv_values(root / ".env.axogen", interpolate=False)["TRICKY"] == tricky
    assert "FROM_DOTENVX=" in (root / ".env.axogen").read_text()


@needs_dotenvx
def test_rotate_makes_a_new_key_both_tools_read(tmp_path: Path) -> None:
    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\nAPI_TOKEN=tok-0123456789\n")
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    old_key = private_key(root)
    old_public = (root / ".env.axogen").read_text().split('DOTENV_PUBLIC_KEY_AXOGEN="')[1][:66]

    result = run_cli("-C", str(root), "env", "rotate")

    assert result.exit_code == 0, result.output
    assert (
        f"rotated   {root / '.env.axogen'} (2 values re-encrypted with a new key)" in result.stdout
    )
    new_key = private_key(root)
    assert new_key != old_key and "," not in new_key
    assert old_public not in (root / ".env.axogen").read_text()
    assert dotenvx("get", "API_TOKEN", "-f", ".env.axogen", cwd=root) == "tok-0123456789\n"
    # the old key no longer opens it
    (root / ".env.keys").write_text(f"DOTENV_PRIVATE_KEY_AXOGEN={old_key}\n")
    failed = run_cli("-C", str(root), "generate")
    assert failed.exit_code == 1
    assert "is not this file's key" in failed.stderr
    assert old_key not in failed.output


def test_axogen_reads_a_key_given_as_a_list(tmp_path: Path) -> None:
    # dotenvx accepts several keys, comma-separated (what rotate leaves mid-way)
    from axogen.envcrypt import new_keypair

    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n")
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    key = private_key(root)
    other, _ = new_keypair()
    (root / ".env.keys").unlink()

    result = run_cli(
        "-C", str(root), "generate", env={"DOTENV_PRIVATE_KEY_AXOGEN": f"{other},{key}"}
    )

    assert result.exit_code == 0, result.output
    assert PASSWORD in (root / "app.env").read_text()


# --- a missing or wrong key: an error, nothing written --------------------------------------


def test_without_the_key_generate_names_the_variable_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, f"NODE_ENV=dev\nDB_PASSWORD={PASSWORD}\n")
    monkeypatch.chdir(root)
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    (root / ".env.keys").unlink()

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 1
    assert (
        "error: DB_PASSWORD (.env.axogen:9) is encrypted, but the private key "
        "DOTENV_PRIVATE_KEY_AXOGEN is neither in the environment nor in .env.keys" in result.stderr
    )
    assert not (root / "app.env").exists()
    # `axogen run` lists (inspection), saying what it could not open
    listing = run_proc(["run"], cwd=root)
    assert listing.exit_code == 0
    assert "the private key DOTENV_PRIVATE_KEY_AXOGEN is neither" in listing.stderr


def test_a_wrong_key_is_an_error_and_is_never_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from axogen.envcrypt import new_keypair

    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n")
    monkeypatch.chdir(root)
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    (root / ".env.keys").unlink()
    wrong, _ = new_keypair()

    result = run_cli("-C", str(root), "generate", env={"DOTENV_PRIVATE_KEY_AXOGEN": wrong})

    assert result.exit_code == 1
    assert "DB_PASSWORD (.env.axogen:8): cannot be decrypted" in result.stderr
    assert "the environment (DOTENV_PRIVATE_KEY_AXOGEN)" in result.stderr
    assert wrong not in result.output
    assert not (root / "app.env").exists()


def test_altered_ciphertext_is_reported_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n")
    monkeypatch.chdir(root)
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    text = (root / ".env.axogen").read_text()
    head, _, tail = text.partition("DB_PASSWORD=encrypted:")
    (root / ".env.axogen").write_text(head + "DB_PASSWORD=encrypted:" + tail[:40] + "\n")

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 1
    assert "DB_PASSWORD (.env.axogen:8): not valid encrypted data" in result.stderr


def test_ciphertext_from_the_environment_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, "DB_PASSWORD=plain-one-in-the-file\n")

    result = run_cli("-C", str(root), "generate", env={"DB_PASSWORD": "encrypted:BDZ1bxAz"})

    assert result.exit_code == 1
    assert "DB_PASSWORD (the environment) is encrypted" in result.stderr
    assert not (root / "app.env").exists()


# --- decrypted values are declared secrets --------------------------------------------------


def test_a_decrypted_value_is_a_declared_secret_whatever_its_type(tmp_path: Path) -> None:
    root = project(tmp_path, f"NODE_ENV=dev\nDB_PASSWORD={PASSWORD}\nDB_USER=svc-user-7f3a\n")
    assert run_cli("-C", str(root), "env", "encrypt", "DB_USER", "DB_PASSWORD").exit_code == 0
    (root / ".gitignore").write_text("/.env.keys\n")  # app.env would now be committed

    result = run_cli("-C", str(root), "generate")

    # DB_USER is a plain str field, but its value was encrypted: a declared secret
    assert result.exit_code == 1
    assert "DB_USER: declared secret [declared]" in result.stderr
    assert "svc-user-7f3a" not in result.output
    listing = run_cli("-C", str(root), "list", "--env")
    assert listing.exit_code == 0
    assert "svc-user-7f3a" not in listing.output and PASSWORD not in listing.output


def test_warning_only_for_env_files_with_plain_secrets(tmp_path: Path) -> None:
    root = project(tmp_path, f"NODE_ENV=dev\nDB_PASSWORD={PASSWORD}\n")
    (root / ".gitignore").write_text("/app.env\n")
    (root / ".gitignore").write_text("/app.env\n/.env.keys\n")
    plain = run_cli("-C", str(root), "generate")
    assert "warning: .env.axogen holds your environment values" in plain.stderr
    assert "axogen env encrypt" in plain.stderr

    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    sealed = run_cli("-C", str(root), "generate")
    assert sealed.exit_code == 0 and "warning" not in sealed.stderr

    # a plain secret added later brings the warning back
    with (root / ".env.axogen").open("a") as fh:
        fh.write("API_TOKEN=tok-plain-0123456789\n")
    again = run_cli("-C", str(root), "generate")
    assert "warning: .env.axogen holds your environment values" in again.stderr


def test_a_committed_env_keys_is_an_error_with_the_line_to_add(tmp_path: Path) -> None:
    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n")
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    (root / ".gitignore").write_text("/app.env\n")

    for args in (["generate"], ["env", "get", "DB_PASSWORD"], ["env", "decrypt"]):
        result = run_cli("-C", str(root), *args)
        assert result.exit_code == 1, args
        assert ".env.keys holds private keys and git would commit it" in result.stderr
        assert "\n    /.env.keys\n" in result.stderr
        assert PASSWORD not in result.output
    assert not (root / "app.env").exists()
    # tracked: ignoring it is not enough
    (root / ".gitignore").write_text("/app.env\n/.env.keys\n")
    subprocess.run(["git", "add", "-f", ".env.keys"], cwd=root, check=True)
    assert run_cli("-C", str(root), "generate").exit_code == 1


def test_encrypt_refuses_to_create_env_keys_git_would_commit(tmp_path: Path) -> None:
    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n")
    (root / ".gitignore").write_text("/app.env\n")
    before = (root / ".env.axogen").read_text()

    result = run_cli("-C", str(root), "env", "encrypt")

    assert result.exit_code == 1
    assert "\n    /.env.keys\n" in result.stderr
    assert not (root / ".env.keys").exists()
    assert (root / ".env.axogen").read_text() == before


def test_init_ignores_env_keys(tmp_path: Path) -> None:
    result = run_cli("-C", str(tmp_path), "init")

    assert result.exit_code == 0, result.output
    assert ".env.keys" in (tmp_path / ".gitignore").read_text().splitlines()


# --- the commands --------------------------------------------------------------------------


def test_env_commands_on_a_profile_file(tmp_path: Path) -> None:
    root = project(tmp_path, "NODE_ENV=dev\nDB_PASSWORD=dev-password-0000\n")
    (root / ".env.axogen.production").write_text(f"NODE_ENV=production\nDB_PASSWORD={PASSWORD}\n")

    assert run_cli("-C", str(root), "env", "encrypt", "--profile", "production").exit_code == 0

    keys = (root / ".env.keys").read_text()
    assert "DOTENV_PRIVATE_KEY_AXOGEN_PRODUCTION=" in keys
    assert "DB_PASSWORD=dev-password-0000" in (root / ".env.axogen").read_text()
    result = run_cli("-C", str(root), "-p", "production", "generate")
    assert result.exit_code == 0, result.output
    assert PASSWORD in (root / "app.env").read_text()
    got = run_cli("-C", str(root), "-p", "production", "env", "get", "NODE_ENV")
    assert got.stdout == "production\n"


def test_set_reads_the_value_from_stdin(tmp_path: Path) -> None:
    root = project(tmp_path, "NODE_ENV=dev\n")
    done = subprocess.run(
        [str(Path(os.sys.executable).with_name("axogen")), "env", "set", "DB_PASSWORD"],
        cwd=root,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in (root / ".env.axogen").read_text()
    assert run_cli("-C", str(root), "env", "get", "DB_PASSWORD").stdout == PASSWORD + "\n"


def test_set_creates_the_file_and_keeps_references_plain(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "p", {".gitignore": "/.env.keys\n"})

    assert run_cli("-C", str(root), "env", "set", "DB_PASSWORD", PASSWORD).exit_code == 0
    assert (
        run_cli("-C", str(root), "env", "set", "API_TOKEN", "ref+file:///run/secrets/api").exit_code
        == 0
    )

    text = (root / ".env.axogen").read_text()
    assert "API_TOKEN=ref+file:///run/secrets/api" in text
    assert "DB_PASSWORD=encrypted:" in text
    assert stat.S_IMODE((root / ".env.axogen").stat().st_mode) == 0o600


def test_decrypt_restores_the_plain_file(tmp_path: Path) -> None:
    original = (
        "# header comment\n\nexport NODE_ENV=dev\n"
        f"DB_PASSWORD='{PASSWORD}'\n"
        'MULTI="line one\nline two"\n'
        "API_KEY=abc#not-a-comment\n"
    )
    root = project(tmp_path, original)
    assert run_cli("-C", str(root), "env", "encrypt", "--all").exit_code == 0
    assert "line one" not in (root / ".env.axogen").read_text()

    result = run_cli("-C", str(root), "env", "decrypt")

    assert result.exit_code == 0, result.output
    text = (root / ".env.axogen").read_text()
    # the values and every other line are back; only the header was added
    assert text.endswith(original)
    assert text.startswith("#/-------------------[DOTENV_PUBLIC_KEY]")


def test_unknown_key_and_missing_file_are_errors(tmp_path: Path) -> None:
    root = project(tmp_path, "NODE_ENV=dev\n")
    assert run_cli("-C", str(root), "env", "encrypt", "NOPE").exit_code == 2
    assert run_cli("-C", str(root), "env", "get", "NOPE").exit_code == 1
    missing = run_cli("-C", str(root), "env", "encrypt", "--profile", "staging")
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_run_gets_decrypted_values(tmp_path: Path) -> None:
    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n")
    (root / "axogen.config.py").write_text(
        CONFIG.replace(
            "config = ax.define_config(targets={",
            "config = ax.define_config(commands={'show': 'printenv DB_PASSWORD'}, targets={",
        )
    )
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0

    result = run_proc(["run", "show"], cwd=root)

    assert result.exit_code == 0, result.output
    assert result.stdout == PASSWORD + "\n"  # the command's own output passes unchanged


# --- light imports -------------------------------------------------------------------------


def test_crypto_is_imported_only_for_encrypted_files(tmp_path: Path) -> None:
    probe = (
        "import sys, json\nfrom axogen.cli import main\n"
        "try:\n    main(['-q', 'generate'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in ('coincurve', 'cryptography', 'keyring') if m in sys.modules)))\n"
    )
    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n", git=False)

    def imported() -> list[str]:
        done = subprocess.run(
            [os.sys.executable, "-c", probe],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        result: list[str] = json.loads(done.stdout.splitlines()[-1])
        return result

    assert imported() == []
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    assert imported() == ["coincurve", "cryptography"]


# --- the example's onboarding story ------------------------------------------------------


def demo_key() -> str:
    import re

    text = (ROOT / "examples" / "microservices" / "README.md").read_text()
    keys = set(re.findall(r"DOTENV_PRIVATE_KEY_AXOGEN=([0-9a-f]{64})", text))
    assert len(keys) == 1, keys
    return keys.pop()


def copy_example(tmp_path: Path) -> Path:
    root = tmp_path / "ms"
    shutil.copytree(
        ROOT / "examples" / "microservices",
        root,
        ignore=shutil.ignore_patterns(".env.keys", ".env", "docker-compose.yml", "k8s"),
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_the_example_day_one_clone_one_key_generate(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    key = demo_key()
    # the project README's first command uses the same demo key
    assert (
        f"DOTENV_PRIVATE_KEY_AXOGEN={key} .venv/bin/axogen -C examples/microservices"
        in (ROOT / "README.md").read_text()
    )
    assert "DB_PASSWORD=encrypted:" in (root / ".env.axogen").read_text()

    without = run_proc(["generate"], cwd=root)
    assert without.exit_code == 1
    assert "the private key DOTENV_PRIVATE_KEY_AXOGEN is neither in the environment" in (
        without.stderr
    )
    assert not (root / "auth-service" / ".env").exists()

    from conftest import subprocess_env

    result = run_proc(["generate"], cwd=root, env=subprocess_env(DOTENV_PRIVATE_KEY_AXOGEN=key))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr  # .env.axogen is committed, its secrets sealed
    auth = (root / "auth-service" / ".env").read_text()
    assert "JWT_SECRET=demo-jwt-signing-secret-for-development-only" in auth
    assert stat.S_IMODE((root / "auth-service" / ".env").stat().st_mode) == 0o600
    assert "encrypted:" not in auth

    # the other way in: the key in .env.keys
    (root / ".env.keys").write_text(f"DOTENV_PRIVATE_KEY_AXOGEN={key}\n")
    assert run_proc(["generate"], cwd=root).exit_code == 0
    if DOTENVX is not None:
        out = dotenvx("get", "DB_PASSWORD", "-f", ".env.axogen", cwd=root)
        assert out == "demo-postgres-password-8f2k\n"


def test_ci_may_give_the_secrets_instead_of_the_key(tmp_path: Path) -> None:
    # values the environment replaces are never decrypted: no key needed for them
    root = project(tmp_path, f"NODE_ENV=dev\nDB_PASSWORD={PASSWORD}\n")
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    (root / ".env.keys").unlink()

    result = run_cli("-C", str(root), "generate", env={"DB_PASSWORD": "from-ci-secret-store"})

    assert result.exit_code == 0, result.output
    assert "from-ci-secret-store" in (root / "app.env").read_text()


def test_ci_has_the_real_tools() -> None:
    # locally a missing tool skips its tests; CI must run them all
    if not os.environ.get("CI"):
        pytest.skip("only CI must have dotenvx, pass and gpg (.ci/run installs them)")
    assert DOTENVX is not None, "dotenvx: npm install --prefix .ci/node @dotenvx/dotenvx@2"
    assert shutil.which("pass") and shutil.which("gpg"), "apt-get install pass gnupg"


def test_load_file_refuses_an_encrypted_env_file(tmp_path: Path) -> None:
    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n")
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    (root / "axogen.config.py").write_text(
        "import axogen as ax\n"
        "data = ax.load_file('.env.axogen')\n"
        "config = ax.define_config(targets={'a': ax.env('app.env', data)})\n"
    )

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 1
    assert "DB_PASSWORD is encrypted; load_file reads files as they are" in result.stderr
    assert not (root / "app.env").exists()


def test_a_key_under_another_name_is_found_by_its_public_key(tmp_path: Path) -> None:
    # dotenvx 2 matches private keys to the file's public key, whatever their name
    root = project(tmp_path, f"DB_PASSWORD={PASSWORD}\n")
    assert run_cli("-C", str(root), "env", "encrypt").exit_code == 0
    key = private_key(root)
    (root / ".env.keys").unlink()

    result = run_cli("-C", str(root), "generate", env={"DOTENV_PRIVATE_KEY_SHARED": key})

    assert result.exit_code == 0, result.output
    assert PASSWORD in (root / "app.env").read_text()
