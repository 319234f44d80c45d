"""Secret references in env files, resolved for real: files, commands, pass with gnupg, the
OS keyring (keyrings.alt's file backend), 1Password's `op` where it is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import build_tree, run_cli, run_proc, subprocess_env

CONFIG = """\
import json
from pydantic import BaseModel
import axogen as ax

class Env(BaseModel):
    A: str = ""
    B: str = ""
    C: str = ""
    URL: str = ""

e = ax.load_env(Env)
config = ax.define_config(targets={"out": ax.json("out.json", e.model_dump())})
"""


def project(tmp_path: Path, env_text: str, **files: str) -> Path:
    return build_tree(
        tmp_path / "proj",
        {"axogen.config.py": CONFIG, ".env.axogen": env_text, ".gitignore": "/out.json\n", **files},
    )


def generated(root: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads((root / "out.json").read_text())
    return data


def test_file_references_absolute_relative_trimmed_and_digged(tmp_path: Path) -> None:
    secrets = tmp_path / "run-secrets"
    secrets.mkdir()
    (secrets / "db_password").write_text("file-secret-value-1\n\n")
    root = project(
        tmp_path,
        f"A=ref+file://{secrets}/db_password\n"
        "B=ref+file://conf/creds.yaml#/db/password\n"
        f"C=ref+file://{secrets}/db_password?trim=false\n",
        **{"conf/creds.yaml": "db:\n  password: yaml-secret-value-2\n"},
    )

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 0, result.output
    assert generated(root) == {
        "A": "file-secret-value-1",
        "B": "yaml-secret-value-2",
        "C": "file-secret-value-1\n\n",
        "URL": "",
    }
    assert "file-secret-value-1" not in result.output


def test_a_reference_is_a_declared_secret(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("resolved-secret-value-3")
    root = project(
        tmp_path, f"A=ref+file://{tmp_path}/secret.txt\nURL=postgres://u:${{A}}@db/app\n"
    )
    (root / ".gitignore").write_text("")  # out.json would be committed

    result = run_cli("-C", str(root), "generate")

    # A is a plain str field; its value came from a reference: a declared secret, also
    # inside the URL that expands it
    assert result.exit_code == 1
    assert "A: declared secret [declared]" in result.stderr
    assert "URL: declared secret [declared]" in result.stderr
    assert "resolved-secret-value-3" not in result.output


def test_command_references_with_arguments(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "A=ref+exec://printf?args=%s,cmd-secret-value-4\n"
        "B=ref+exec://echo/two%20words/and%2Fslash\n"
        "C=ref+exec://sh?args=print-json.sh#/token\n",
        **{"print-json.sh": 'echo \'{"token": "json-token-value-5"}\'\n'},
    )

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 0, result.output
    data = generated(root)
    assert data["A"] == "cmd-secret-value-4"
    assert data["B"] == "two words and/slash"
    assert data["C"] == "json-token-value-5"


def test_failing_references_name_the_variable_and_the_reference(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "A=ref+exec://sh?args=fail.sh\n"
        "B=ref+exec://no-such-tool-axogen\n"
        f"C=ref+file://{tmp_path}/missing\n",
        **{"fail.sh": "echo 'some progress'\necho 'vault: permission denied' >&2\nexit 3\n"},
    )
    os.chdir(root)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert "3 secret references could not be resolved; nothing was written" in result.stderr
    assert (
        "A (.env.axogen:1): ref+exec://sh?args=fail.sh: 'sh' exited with 3: "
        "vault: permission denied" in result.stderr
    )
    assert (
        "B (.env.axogen:2): ref+exec://no-such-tool-axogen: 'no-such-tool-axogen' is not "
        "installed" in result.stderr
    )
    assert f"C (.env.axogen:3): ref+file://{tmp_path}/missing: no such file" in result.stderr
    assert "some progress" not in result.output  # a command's stdout is never shown
    assert not (root / "out.json").exists()


def test_a_reference_that_hangs_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, "A=ref+exec://sleep/60\n")
    monkeypatch.setenv("AXOGEN_REFERENCE_TIMEOUT", "0.5")

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 1
    assert "'sleep' did not finish within 0.5s (AXOGEN_REFERENCE_TIMEOUT" in result.stderr
    monkeypatch.setenv("AXOGEN_REFERENCE_TIMEOUT", "soon")
    bad = run_cli("-C", str(root), "generate")
    assert bad.exit_code == 1 and "AXOGEN_REFERENCE_TIMEOUT='soon'" in bad.stderr


def test_references_run_in_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # each command waits for the other to have started: one at a time, neither would end
    wait = "touch started-$1\nwhile [ ! -e started-$2 ]; do sleep 0.02; done\necho value-$1\n"
    root = project(
        tmp_path,
        "A=ref+exec://sh?args=wait.sh,a,b\nB=ref+exec://sh?args=wait.sh,b,a\n",
        **{"wait.sh": wait},
    )
    monkeypatch.setenv("AXOGEN_REFERENCE_TIMEOUT", "30")

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 0, result.output
    assert generated(root)["A"] == "value-a" and generated(root)["B"] == "value-b"


def test_each_reference_is_resolved_once_per_run(tmp_path: Path) -> None:
    count = "echo x >> calls.log\necho counted-value-6\n"
    config = CONFIG.replace(
        'config = ax.define_config(targets={"out": ax.json("out.json", e.model_dump())})',
        "e2 = ax.load_env(Env)\n"
        'config = ax.define_config(targets={"out": ax.json("out.json", e.model_dump())},\n'
        "    commands={'show': 'printenv A'})",
    )
    root = project(
        tmp_path,
        "A=ref+exec://sh?args=count.sh\nB=ref+exec://sh?args=count.sh\n",
        **{"count.sh": count},
        **{".env.axogen.local": "C=ref+exec://sh?args=count.sh\n"},
    )
    (root / "axogen.config.py").write_text(config)

    result = run_proc(["generate"], cwd=root)
    assert result.exit_code == 0, result.output
    assert (root / "calls.log").read_text() == "x\n"  # two load_env calls, three uses, one run

    (root / "calls.log").unlink()
    shown = run_proc(["run", "show"], cwd=root)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == "counted-value-6\n"
    assert (root / "calls.log").read_text() == "x\n"


def test_echo_writes_a_literal_that_looks_like_a_reference(tmp_path: Path) -> None:
    root = project(tmp_path, "A=ref+echo://op://not/a/reference\nB=ref+echo://ref+file://x#y\n")

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 0, result.output
    assert generated(root)["A"] == "op://not/a/reference"
    assert generated(root)["B"] == "ref+file://x#y"


def test_an_unknown_scheme_is_an_error_not_a_literal(tmp_path: Path) -> None:
    root = project(tmp_path, "A=ref+vault://secret/data/db#/password\n")

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 1
    assert "axogen has no provider for ref+vault://" in result.stderr
    assert "ref+exec://vault?args=kv,get" in result.stderr


def test_an_unknown_parameter_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path, f"A=ref+file://{tmp_path}/x?trimm=false\n")

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 1
    assert "unknown parameter trimm (known: trim)" in result.stderr


def test_a_decrypted_reference_is_resolved(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("behind-encryption-7")
    root = project(tmp_path, "A=placeholder\n", **{".gitignore": "/out.json\n/.env.keys\n"})
    ref = f"ref+file://{tmp_path}/s.txt"
    assert run_cli("-C", str(root), "env", "set", "A", ref).exit_code == 0
    assert f"A={ref}" in (root / ".env.axogen").read_text()  # a reference stays plain
    # encrypting it on purpose hides where the secret is
    assert run_cli("-C", str(root), "env", "encrypt", "A").exit_code == 0
    assert ref not in (root / ".env.axogen").read_text()

    result = run_cli("-C", str(root), "generate")

    assert result.exit_code == 0, result.output
    assert generated(root)["A"] == "behind-encryption-7"


# --- the OS keyring, with keyrings.alt's plain-text file backend ----------------------------


def test_keyring_references(tmp_path: Path) -> None:
    pytest.importorskip("keyrings.alt")
    env = subprocess_env(
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
    )
    store = "import keyring; keyring.set_password('shop-db', 'deploy@example.com', 'kr-value-8')"
    subprocess.run([sys.executable, "-c", store], env=env, check=True, timeout=60)
    root = project(
        tmp_path,
        "A=ref+keyring://shop-db/deploy@example.com\nB=ref+keyring://shop-db/nobody\n",
    )

    failed = run_proc(["generate"], cwd=root, env=env)
    assert failed.exit_code == 1
    assert (
        "B (.env.axogen:2): ref+keyring://shop-db/nobody: the keyring holds no password for "
        "'nobody' of 'shop-db'" in failed.stderr
    )

    (root / ".env.axogen").write_text("A=ref+keyring://shop-db/deploy@example.com\n")
    result = run_proc(["generate"], cwd=root, env=env)
    assert result.exit_code == 0, result.output
    assert generated(root)["A"] == "kr-value-8"


# --- pass, with a throwaway GPG key -----------------------------------------------------------


@pytest.fixture
def password_store(tmp_path: Path) -> Iterator[dict[str, str]]:
    if shutil.which("pass") is None or shutil.which("gpg") is None:
        pytest.skip("pass and gnupg are not installed (.ci/run installs them with apt-get)")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = subprocess_env(GNUPGHOME=str(home), PASSWORD_STORE_DIR=str(tmp_path / "store"))

    def run(*args: str, stdin: str | None = None) -> None:
        subprocess.run(args, env=env, input=stdin, text=True, check=True, timeout=120)

    run("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "axogen-test@example.com",
        "default", "default", "never")  # fmt: skip
    run("pass", "init", "axogen-test@example.com")
    run("pass", "insert", "--echo", "shop/db", stdin="pass-secret-value-9\n")
    yield env
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, check=False, timeout=60)


def test_pass_references(tmp_path: Path, password_store: dict[str, str]) -> None:
    root = project(
        tmp_path, "A=ref+exec://pass?args=show,shop/db\nB=ref+exec://pass?args=show,shop/none\n"
    )

    failed = run_proc(["generate"], cwd=root, env=password_store)
    assert failed.exit_code == 1
    assert "B (.env.axogen:2): ref+exec://pass?args=show,shop/none: 'pass' exited with 1" in (
        failed.stderr
    )
    assert "pass-secret-value-9" not in failed.output

    (root / ".env.axogen").write_text("A=ref+exec://pass?args=show,shop/db\n")
    result = run_proc(["generate"], cwd=root, env=password_store)
    assert result.exit_code == 0, result.output
    assert generated(root)["A"] == "pass-secret-value-9"


# --- 1Password ---------------------------------------------------------------------------------


def test_op_reference_without_the_cli_says_so(tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("git",):
        found = shutil.which(tool)
        if found:
            (bare / tool).symlink_to(found)
    root = project(tmp_path, "A=op://Shop/Database/password\n")

    result = run_proc(["generate"], cwd=root, env=subprocess_env(PATH=str(bare)))

    assert result.exit_code == 1
    assert (
        "A (.env.axogen:1): op://Shop/Database/password: the 1Password CLI `op` is not installed"
        in result.stderr
    )


@pytest.mark.skipif(
    shutil.which("op") is None or not os.environ.get("AXOGEN_TEST_OP_REFERENCE"),
    reason="needs the 1Password CLI `op`, signed in, and AXOGEN_TEST_OP_REFERENCE=op://… naming "
    "an item it can read",
)
def test_op_reference_with_the_cli(tmp_path: Path) -> None:
    reference = os.environ["AXOGEN_TEST_OP_REFERENCE"]
    expected = subprocess.run(
        ["op", "read", "--no-newline", reference], capture_output=True, text=True, check=True
    ).stdout
    root = project(tmp_path, f"A={reference}\nB=ref+{reference}\n")

    result = run_proc(["generate"], cwd=root, env=subprocess_env())

    assert result.exit_code == 0, result.output
    assert generated(root)["A"] == expected == generated(root)["B"]


def test_the_example_production_profile_resolves_its_references(
    tmp_path: Path, password_store: dict[str, str]
) -> None:
    example = Path(__file__).parents[1] / "examples" / "microservices"
    root = tmp_path / "ms"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns(".env.keys", ".env"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    env = {
        **password_store,
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        # the secrets this machine has no store for come from the environment, which wins:
        # their references (a mounted file, 1Password) are then not resolved at all
        "DB_PASSWORD": "prod-db-password-from-env",
        "JWT_SECRET": "prod-jwt-secret-from-the-environment-0123",
    }
    subprocess.run(
        ["pass", "insert", "--echo", "shop/stripe-secret-key"],
        env=env,
        input="sk_live_from_pass_store_value\n",
        text=True,
        check=True,
        timeout=60,
    )
    store = "import keyring; keyring.set_password('shop', 'stripe-webhook-secret', 'whsec_kr')"
    subprocess.run([sys.executable, "-c", store], env=env, check=True, timeout=60)

    # no development key on this machine: production replaces every encrypted value
    result = run_proc(["-p", "production", "generate"], cwd=root, env=env)

    assert result.exit_code == 0, result.output
    payments = (root / "payments-service" / ".env").read_text()
    assert "STRIPE_SECRET_KEY=sk_live_from_pass_store_value" in payments
    assert "STRIPE_WEBHOOK_SECRET=whsec_kr" in payments
    assert "NODE_ENV=production" in payments
    assert (root / "k8s" / "services.yaml").is_file()
    assert "sk_live_from_pass_store_value" not in result.output
