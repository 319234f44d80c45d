"""Secrets axogen has seen never appear in anything it prints, whatever message carries them."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from conftest import build_tree, git_init, run_cli, run_proc, subprocess_env

rng = random.Random(5)
PASSWORD = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(20))
BODY = [
    "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(64)) for _ in range(3)
]
PEM = "\n".join(["-----BEGIN PRIVATE KEY-----", *BODY, "-----END PRIVATE KEY-----"])


def project(tmp_path: Path, body: str, env: str = "") -> Path:
    config = (
        "from pydantic import BaseModel, SecretStr\n"
        "import axogen as ax\n\n"
        "class Env(BaseModel):\n"
        "    DB_PASSWORD: SecretStr\n"
        "    TINY: SecretStr = SecretStr('x')\n\n"
        "e = ax.load_env(Env)\n"
        "pw = e.DB_PASSWORD.get_secret_value()\n" + body
    )
    root = build_tree(
        tmp_path,
        {
            "axogen.config.py": config,
            ".env.axogen": f"DB_PASSWORD={PASSWORD}\n{env}",
            ".gitignore": ".env.axogen\nprivate/\n",
        },
    )
    git_init(root)
    return root


def shown(result: object) -> str:
    return f"{result.stdout}{result.stderr}"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "body",
    [
        'raise RuntimeError(f"cannot reach the db with {pw}")\n',
        "assert False, pw\n",
        'config = ax.define_config(targets={"t": ax.toml("private/a.toml", {pw: None})})\n',
        'config = ax.define_config(targets={"t": ax.json("private/a.json", {"x": float("nan"), "p": pw})})\n'
        'raise SystemExit(f"stop {pw}")\n',
    ],
    ids=["exception", "assert", "key-path", "system-exit"],
)
def test_config_errors_never_show_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    monkeypatch.chdir(project(tmp_path, body))
    result = run_cli("generate")
    assert result.exit_code != 0
    assert PASSWORD not in shown(result)
    assert PASSWORD[:10] not in shown(result)


def test_a_multi_line_secret_is_hidden_on_every_line_of_a_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        "class Keys(BaseModel):\n"
        "    KEY: SecretStr\n"
        "k = ax.load_env(Keys)\n"
        'config = ax.define_config(targets={"k": ax.yaml("private/k.yaml", {"key": k.KEY})})\n'
    )
    escaped = PEM.replace("\n", "\\n")
    monkeypatch.chdir(project(tmp_path, body, env=f'KEY="{escaped}"\n'))
    result = run_cli("diff")
    assert result.exit_code == 0, result.stderr
    for line in BODY:
        assert line[:12] not in shown(result)
    assert "private/k.yaml" in result.stdout  # the tiny secret "x" mangles nothing


def test_a_secret_in_a_header_is_refused_for_a_committed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "gh" + "p_" + "".join(rng.choice(string.ascii_letters) for _ in range(36))
    body = (
        f'config = ax.define_config(targets={{"h": ax.env("public/h.env", {{"A": 1}}, '
        f'header="deploy token {token}")}})\n'
    )
    root = project(tmp_path, body)
    monkeypatch.chdir(root)
    result = run_cli("generate")
    assert result.exit_code == 1
    assert "header line 1: GitHub token [github-pat] ghp_…(40 chars)" in result.stderr
    assert token not in shown(result)
    assert not (root / "public").exists()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (".git/hooks/pre-commit", "is inside .git"),
        (".env.axogen", "one of axogen's own inputs"),
        ("axogen.config.py", "one of axogen's own inputs"),
    ],
)
def test_targets_never_overwrite_inputs_or_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, message: str
) -> None:
    body = f'config = ax.define_config(targets={{"t": ax.env("{path}", {{"A": 1}})}})\n'
    root = project(tmp_path, body)
    before = (root / ".env.axogen").read_text()
    monkeypatch.chdir(root)
    result = run_cli("generate")
    assert result.exit_code == 1
    assert message in result.stderr
    assert (root / ".env.axogen").read_text() == before


def test_invalid_env_values_that_look_secret_are_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import axogen as ax

    token = "gh" + "p_" + "".join(rng.choice(string.ascii_letters) for _ in range(36))
    body = (
        "class Ports(BaseModel):\n"
        "    PORT: int\n"
        "ax.load_env(Ports)\n"
        'config = ax.define_config(targets={"t": ax.env("private/a.env", {"A": 1})})\n'
    )
    root = project(tmp_path, body, env=f"PORT={token}\n")
    monkeypatch.chdir(root)
    result = run_cli("generate")
    assert result.exit_code == 1
    assert "PORT: Input should be a valid integer" in result.stderr
    assert "ghp_…(40 chars)" in result.stderr and token not in shown(result)

    with pytest.raises(ax.EnvError) as e:
        ax.load_env(ax_model(), path=str(root / ".env.axogen"))
    assert e.value.__context__ is None  # pydantic's error, holding raw values, is not kept
    assert token not in str(e.value)


def ax_model() -> type:
    from pydantic import BaseModel

    class Ports(BaseModel):
        PORT: int

    return Ports


def test_a_config_warning_and_a_template_line_never_show_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "gh" + "p_" + "".join(rng.choice(string.ascii_letters) for _ in range(36))
    body = (
        "import warnings\n"
        'warnings.warn(f"the password {pw} is weak")\n'
        f'config = ax.define_config(targets={{"t": ax.template("private/n.conf", {{"t": "{token}"}}, '
        'template="n.j2")})\n'
    )
    root = project(tmp_path, body)
    (root / "n.j2").write_text("set $gh {{ t }};\n")
    # a real process: under pytest, warnings are errors
    result = run_proc(["diff"], cwd=root, env=subprocess_env())
    assert result.exit_code == 0, result.stderr
    assert "ghp_…(40 chars)" in result.stdout
    assert token not in shown(result) and PASSWORD not in shown(result)


def test_a_tiny_secret_mangles_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = 'config = ax.define_config(commands={"hello": f"echo {pw} x"})\n'
    monkeypatch.chdir(project(tmp_path, body))  # TINY is SecretStr("x")
    result = run_cli("run")
    assert result.exit_code == 0, result.stderr
    assert "hello" in result.stdout and "echo …(20 chars) x" in result.stdout
    assert PASSWORD not in shown(result)


def test_a_secret_used_as_a_key_is_hidden_in_a_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "gh" + "p_" + "".join(rng.choice(string.ascii_letters) for _ in range(36))
    body = (
        f'config = ax.define_config(targets={{"t": ax.yaml("private/k.yaml", {{"{token}": 1}})}})\n'
    )
    monkeypatch.chdir(project(tmp_path, body))
    result = run_cli("diff")
    assert result.exit_code == 0, result.stderr
    assert "+ghp_…(40 chars): 1" in result.stdout
    assert token not in shown(result)


def test_a_secret_key_in_a_key_path_error_is_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "gh" + "p_" + "".join(rng.choice(string.ascii_letters) for _ in range(36))
    body = (
        'config = ax.define_config(targets={"t": ax.json("private/a.json", '
        f'{{"db": {{"{token}": float("nan")}}}})}})\n'
    )
    monkeypatch.chdir(project(tmp_path, body))
    result = run_cli("generate")
    assert result.exit_code == 1
    assert "db.ghp_…(40 chars): JSON cannot represent nan" in result.stderr
    assert token not in shown(result)


def test_a_command_failing_while_the_config_loads_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = 'ax.exec(f"exit 3; echo {pw}")\nconfig = ax.define_config()\n'
    monkeypatch.chdir(project(tmp_path, body))
    result = run_cli("generate")
    assert result.exit_code == 1  # not the child's 3, which reads as a bug in axogen
    assert "axogen.config.py:10: command failed with exit code 3" in result.stderr
    assert PASSWORD not in shown(result)


# --- what the config and Python commands print themselves ------------------------------------


def run_bytes(args: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    """A real axogen process, its output as bytes (the config writes some that are not text)."""
    import subprocess

    from conftest import AXOGEN

    proc = subprocess.run(
        [str(AXOGEN), *args], cwd=cwd, env=subprocess_env(), capture_output=True, timeout=60
    )
    return proc.returncode, proc.stdout, proc.stderr


PRINTING = """\
import logging, sys
print("plain", pw)
print("split", pw[:7], end="", flush=True)
print(pw[7:], "done")
for ch in pw:  # one character a write
    sys.stderr.write(ch)
sys.stderr.write(" by char\\n")
sys.stdout.buffer.write(b"bytes " + pw.encode() + b" \\xff\\xfe raw\\n")
sys.stdout.buffer.write(pw[:3].encode())  # bytes, then text, then the end of the line
sys.stdout.write(pw[3:] + " mixed\\n")
print(f"pem {pem}", file=sys.stderr)
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
logging.info("log %s", pw)
kept = logging.getLogger("kept")
def command():
    print("command", pw)
    kept.warning("later %s", pw)
    sys.stdout.write("no newline at the end " + pw)
    return 4
print("last", pw[:-2], end="")  # held: it might be the start of the secret
sys.stderr.write(pw[:-2])
config = ax.define_config(
    targets={"t": ax.json("out.json", {"port": 1})},
    commands={"show": command},
)
"""


@pytest.mark.parametrize("args", [["generate"], ["run", "show"]])
def test_what_the_config_prints_never_shows_a_secret(tmp_path: Path, args: list[str]) -> None:
    # PEM is a SecretStr too: a multi-line secret printed whole is hidden whole
    root = project(
        tmp_path,
        "from pydantic import SecretStr\n"
        "pem = ax.load_env(type('K', (BaseModel,), {'__annotations__': {'PEM': SecretStr}}))"
        ".PEM.get_secret_value()\n" + PRINTING,
        env=f"PEM={PEM!r}\n".replace("'", '"').replace("\\n", "\\n"),
    )

    code, out, err = run_bytes(args, root)

    assert code == (0 if args == ["generate"] else 4), err
    for secret in (PASSWORD, *BODY):
        assert secret.encode() not in out + err
    hidden = "…(20 chars)".encode()
    assert b"plain " + hidden + b"\n" in out
    assert b"split " + hidden + b" done\n" in out
    assert hidden + b" by char\n" in err
    assert b"bytes " + hidden + b" \xff\xfe raw\n" in out  # bytes that are no text: unchanged
    assert hidden + b" mixed\n" in out
    assert b"pem -----BEGIN\xe2\x80\xa6(248 chars)\n" in err  # the whole value, one secret
    assert b"INFO log " + hidden + b"\n" in err
    # held while it could be the start of the secret, shown once the config has run: it is
    # not the secret (what follows it is axogen's own output, or the command's)
    assert b"last " + PASSWORD[:-2].encode() + b"created" in out or args != ["generate"]
    if args == ["run", "show"]:
        assert b"command " + hidden + b"\n" in out
        assert b"WARNING later " + hidden + b"\n" in err  # a handler made by the config
        assert out.endswith(b"no newline at the end " + hidden)
    else:
        assert b"created   out.json (t)\n" in out  # axogen's own output, after the config's


def test_the_streams_are_restored_after_the_config_ran(tmp_path: Path) -> None:
    root = project(tmp_path, 'print("hello", pw)\nconfig = ax.define_config()\n')
    script = (
        "import sys\n"
        "from axogen.cli import main\n"
        "out, err = sys.stdout, sys.stderr\n"
        "try:\n"
        "    main(['list'])\n"
        "except SystemExit as e:\n"
        "    print('same', sys.stdout is out, sys.stderr is err, e.code)\n"
    )

    result = run_proc(["python", "-c", script], cwd=root)

    assert result.stdout.startswith("hello …(20 chars)\n")
    assert result.stdout.endswith("same True True 0\n")
    assert PASSWORD not in shown(result)


@pytest.mark.parametrize(
    ("extra", "args"),
    [({}, []), ({"FORCE_COLOR": "1"}, []), ({"NO_COLOR": "1"}, ["-v"]), ({}, ["-q"])],
    ids=["plain", "colour", "verbose", "quiet"],
)
def test_the_report_of_a_generate_never_shows_a_secret(
    tmp_path: Path, extra: dict[str, str], args: list[str]
) -> None:
    root = project(
        tmp_path,
        "config = ax.define_config(targets={\n"
        '    f"db-{pw}": ax.json(f"private/{pw}.json", {"port": 1}),\n'
        '    "web": ax.json("private/web.json", {"port": 2}),\n'
        "})\n",
    )

    result = run_proc([*args, "generate"], cwd=root, env=subprocess_env(**extra))

    assert result.exit_code == 0, result.output
    assert PASSWORD not in shown(result)
    if "-q" in args:
        assert result.stdout == ""
        return
    hidden = "private/…(20 chars).json (db-…(20 chars))"
    lines = result.stdout.splitlines()
    if extra.get("FORCE_COLOR"):
        assert lines[:2] == [
            f"\033[32mcreated  \033[0m {hidden}",
            "\033[32mcreated  \033[0m private/web.json (web)",
        ]
    else:
        assert lines[:2] == [f"created   {hidden}", "created   private/web.json (web)"]
    assert lines[2].startswith("2 created, 0 updated, 0 unchanged (")
