"""`axogen run` end to end: real configs, the real CLI in a subprocess, real shell commands."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import AXOGEN, Result, build_tree, run_proc, subprocess_env

TOKEN = "tok-Zq8vL2xRw7"

CONFIG = """\
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr

import axogen as ax


class Env(BaseModel):
    API_TOKEN: SecretStr
    GREETING: str = "hello"


e = ax.load_env(Env)


def show(ctx):
    \"\"\"Print the values received, with their types, as JSON.\"\"\"
    values = {**ctx.args, **ctx.options}
    print(json.dumps({k: [type(v).__name__, v] for k, v in values.items()}, default=str))


def fail(ctx):
    raise ValueError("boom")


def calls(ctx):
    ctx.run("db migrate", steps=2)
    ctx.run("echo", "x y", "$HOME")
    ctx.run("types", "bob", "1", "2.5", "p", "slow")


def captured(ctx):
    print(repr(ax.exec("printf out; printf err >&2")))
    print(repr(ax.exec("exit 6", check=False)))


config = ax.define_config(
    commands={
        "echo": "echo",
        "exit3": "exit 3",
        "pwd": "pwd",
        "env": 'echo "$GREETING $FROM_FILE"',
        "token": f"echo {e.API_TOKEN.get_secret_value()}",
        "token-fail": f"echo {e.API_TOKEN.get_secret_value()} >/dev/null; exit 2",
        "bytes": "printf '<b>bold</b> &amp; \\\\377\\\\376\\\\000 raw\\\\n'",
        "prefixed": lambda: ax.live_exec("printf '<b>x</b>\\\\n\\\\377\\\\n'", prefix="[p] "),
        "types": ax.cmd(
            help="Every parameter type.",
            exec=show,
            args={
                "name": ax.arg(str, help="Who."),
                "count": ax.arg(int),
                "ratio": ax.arg(float),
                "where": ax.arg(Path),
                "mode": ax.arg(Literal["fast", "slow"], help="How fast."),
            },
            options={
                "dry_run": ax.option(bool, help="Change nothing."),
                "tag": ax.option(list[int], short="t", help="A tag."),
                "limit": ax.option(int | None),
                "level": ax.option(Literal[1, 2], default=1),
                "out_dir": ax.option(Path, default=Path("build")),
            },
        ),
        "deploy": ax.cmd(
            exec=show,
            options={
                "environment": ax.option(Literal["staging", "production"], short="e"),
                "dry_run": ax.option(bool),
            },
        ),
        "fail": fail,
        "code": lambda ctx: 5,
        "inner": lambda: ax.live_exec("exit 4"),
        "calls": calls,
        "captured": captured,
        "touch": "touch marker",
        "touch-typed": ax.cmd(exec=lambda ctx: Path("marker").touch(), args={"x": ax.arg(int)}),
        "a": ax.group(
            help="Level one.",
            commands={
                "b": ax.group(
                    help="Level two.",
                    commands={"c": ax.cmd(help="Level three.", command="echo deep")},
                )
            },
        ),
        "db": ax.group(
            help="Database.",
            commands={
                "migrate": ax.cmd(
                    help="Migrate.", exec=show, options={"steps": ax.option(int | None)}
                )
            },
        ),
        "build": "echo build >> order.txt",
        "lint": ax.cmd(command="echo lint >> order.txt", depends=["build"]),
        "test": ax.cmd(command="echo test >> order.txt", depends=["build"]),
        "ci": ax.cmd(command="echo ci >> order.txt", depends=["lint", "test", "build"]),
        "loop1": ax.cmd(command="echo never > loop.txt", depends=["loop2"]),
        "loop2": ax.cmd(command="echo never > loop.txt", depends=["loop1"]),
        "typo": ax.cmd(command="true", depends=["biuld"]),
        "both": ax.parallel(
            {"ok": "sleep 0.3; echo fine", "bad": "echo broken >&2; exit 7"}
        ),
        "all-ok": ax.parallel("echo one", "echo two"),
    },
)
"""

ENV_FILE = f"API_TOKEN={TOKEN}\nGREETING=from-file\nFROM_FILE=file-value\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "proj", {"axogen.config.py": CONFIG, ".env.axogen": ENV_FILE})


def run(root: Path, *args: str, **env: str) -> Result:
    return run_proc(args, cwd=root, env=subprocess_env(**env))


def run_bytes(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(AXOGEN), *args],
        cwd=root,
        env=subprocess_env(),
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_nested_groups_three_deep(root: Path) -> None:
    assert (run(root, "run", "a", "b", "c").stdout, run(root, "run", "a", "b", "c").exit_code) == (
        "deep\n",
        0,
    )
    listing = run(root, "run", "a", "b")
    assert (listing.exit_code, listing.stdout) == (0, "  a b c  Level three.\n")


def test_every_parameter_type(root: Path) -> None:
    result = run(
        root,
        "run",
        "types",
        "alice",
        "3",
        "0.5",
        "some/dir",
        "fast",
        "--dry-run",
        "-t",
        "1",
        "--tag",
        "2",
        "--level",
        "2",
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "name": ["str", "alice"],
        "count": ["int", 3],
        "ratio": ["float", 0.5],
        "where": ["PosixPath", "some/dir"],
        "mode": ["str", "fast"],
        "dry_run": ["bool", True],
        "tag": ["list", [1, 2]],
        "limit": ["NoneType", None],
        "level": ["int", 2],
        "out_dir": ["PosixPath", "build"],
    }

    result = run(root, "run", "types", "bob", "0", "1", ".", "slow", "--no-dry-run", "--limit", "7")

    values = json.loads(result.stdout)
    assert values["dry_run"] == ["bool", False]
    assert values["limit"] == ["int", 7]
    assert values["tag"] == ["list", []]
    assert values["level"] == ["int", 1]


def test_kebab_case_options_reach_the_code_in_snake_case(root: Path) -> None:
    result = run(root, "run", "deploy", "-e", "staging", "--dry-run")

    assert json.loads(result.stdout) == {
        "environment": ["str", "staging"],
        "dry_run": ["bool", True],
    }
    wrong = run(root, "run", "deploy", "-e", "staging", "--dry_run")
    assert wrong.exit_code == 2
    assert "No such option" in wrong.stderr and "--dry_run" in wrong.stderr


def test_validation_errors_name_each_parameter_and_exit_2(root: Path) -> None:
    result = run(root, "run", "types", "al", "three", "x", ".", "medium", "--tag", "1", "-t", "z")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: 4 invalid values:",
        "  - invalid value for argument COUNT: Input should be a valid integer, unable to parse "
        "string as an integer (got 'three')",
        "  - invalid value for argument RATIO: Input should be a valid number, unable to parse "
        "string as a number (got 'x')",
        "  - invalid value for argument MODE: Input should be 'fast' or 'slow' (got 'medium')",
        "  - invalid value for option --tag (item 2): Input should be a valid integer, unable to "
        "parse string as an integer (got 'z')",
        "  hint: see `axogen run types --help`",
    ]
    missing = run(root, "run", "deploy")
    assert missing.exit_code == 2
    assert "Missing option '-e' / '--environment'" in missing.stderr


def test_exit_codes(root: Path) -> None:
    failed = run(root, "run", "exit3")
    assert failed.exit_code == 3
    assert failed.stderr == "error: command failed with exit code 3: exit 3\n"
    # a CommandFailed a callable does not catch: the child's code
    assert run(root, "run", "inner").exit_code == 4
    assert run(root, "run", "code").exit_code == 5

    crashed = run(root, "run", "fail")
    assert crashed.exit_code == 1
    assert crashed.stderr == (
        "error: command 'fail' raised ValueError: boom\n  hint: run with -v to see the traceback\n"
    )
    verbose = run(root, "-v", "run", "fail")
    assert verbose.exit_code == 1
    assert "Traceback (most recent call last)" in verbose.stderr
    assert 'raise ValueError("boom")' in verbose.stderr


def test_extra_words_are_passed_literally(root: Path) -> None:
    result = run(root, "run", "echo", "--", "a b", "$HOME", "it's", "-k", "*")

    assert (result.exit_code, result.stdout) == (0, "a b $HOME it's -k *\n")
    # without --, words that are not options of `run` still pass through, -h does not
    assert run(root, "run", "echo", "-k", "slow", "--x=1").stdout == "-k slow --x=1\n"
    assert run(root, "run", "echo", "--", "--help").stdout == "--help\n"


def test_output_bytes_pass_through_unchanged(root: Path) -> None:
    result = run_bytes(root, "run", "bytes")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"<b>bold</b> &amp; \xff\xfe\x00 raw\n"

    prefixed = run_bytes(root, "run", "prefixed")
    assert prefixed.stdout == b"[p] <b>x</b>\n[p] \xff\n"


def test_dependencies_run_once_in_order(root: Path) -> None:
    result = run(root, "run", "ci")

    assert result.exit_code == 0, result.output
    assert (root / "order.txt").read_text() == "build\nlint\ntest\nci\n"


def test_dependency_cycles_and_unknown_names_are_errors(root: Path) -> None:
    cycle = run(root, "run", "loop1")
    assert (cycle.exit_code, cycle.stderr) == (
        1,
        "error: dependency cycle: loop1 -> loop2 -> loop1\n",
    )
    assert not (root / "loop.txt").exists()

    typo = run(root, "run", "typo")
    assert typo.exit_code == 1
    assert typo.stderr == (
        "error: command 'typo' depends on 'biuld': no command 'biuld'; did you mean 'build'?\n"
    )


def test_parallel_waits_for_all_and_names_the_failures(root: Path) -> None:
    result = run(root, "run", "both")

    assert result.exit_code == 7
    assert result.stdout == "ok  | fine\n"
    assert "bad | broken\n" in result.stderr
    assert result.stderr.endswith("error: 1 of 2 parallel commands failed: bad (exit 7)\n")

    ok = run(root, "run", "all-ok")
    assert ok.exit_code == 0
    assert sorted(ok.stdout.splitlines()) == ["echo   | one", "echo#2 | two"]


def test_ctx_run_and_exec(root: Path) -> None:
    result = run(root, "run", "calls")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert json.loads(lines[0]) == {"steps": ["int", 2]}
    assert lines[1] == "x y $HOME"
    assert json.loads(lines[2])["ratio"] == ["float", 2.5]

    captured = run(root, "run", "captured")
    assert captured.stdout == (
        "ExecResult(stdout='out', stderr='err', returncode=0)\n"
        "ExecResult(stdout='', stderr='', returncode=6)\n"
    )


def test_run_alone_lists_the_tree(root: Path) -> None:
    result = run(root, "run")

    assert result.exit_code == 0
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert lines[0] == "commands in axogen.config.py (axogen run NAME --help):"
    assert lines[1:3] == ["echo echo", "exit3 exit 3"]
    at = lines.index("a Level one.")
    assert lines[at : at + 3] == ["a Level one.", "a b Level two.", "a b c Level three."]
    assert "db migrate Migrate." in lines
    assert "types Every parameter type." in lines
    # secrets inside shell strings are masked wherever a command is shown
    assert "token echo …(14 chars)" in lines
    assert TOKEN not in result.output


@pytest.mark.parametrize(
    "words",
    [
        ["run", "--help"],
        ["run", "a", "--help"],
        ["run", "a", "b", "-h"],
        ["run", "a", "b", "c", "--help"],
        ["run", "touch", "--help"],
        ["run", "touch-typed", "--help"],
        ["run", "types", "--help"],
    ],
)
def test_help_at_every_level_runs_nothing(root: Path, words: list[str]) -> None:
    result = run(root, *words)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: axogen {' '.join(w for w in words if w[0] != '-')}")
    assert not (root / "marker").exists()


@pytest.mark.parametrize(
    ("config", "reason"),
    [(None, "no axogen.config.py found"), ("raise ValueError('broken')\n", "ValueError: broken")],
)
def test_run_help_works_without_a_loadable_config(
    tmp_path: Path, config: str | None, reason: str
) -> None:
    if config is not None:
        (tmp_path / "axogen.config.py").write_text(config)
    result = run(tmp_path, "run", "--help")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: axogen run [OPTIONS] [COMMAND]")
    assert "Run a command the config defines" in result.stdout
    # `run --help` never runs the config: it says where the config's commands are listed
    assert "`axogen run` lists them" in result.stdout
    assert reason not in result.stdout
    # running a command still needs the config, and says why
    failed = run(tmp_path, "run", "build")
    assert failed.exit_code != 0 and reason in failed.stderr


def test_run_help_never_runs_the_config(tmp_path: Path) -> None:
    (tmp_path / "axogen.config.py").write_text(
        "open('ran', 'w').close()\n"
        "import axogen as ax\n"
        "config = ax.define_config(commands={'hi': 'echo hi'})\n"
    )

    result = run_proc(["run", "--help"], cwd=tmp_path)

    assert result.exit_code == 0, result.output
    assert not (tmp_path / "ran").exists()
    # listing them does run it (and only it: no command)
    assert run_proc(["run"], cwd=tmp_path).exit_code == 0
    assert (tmp_path / "ran").exists()


def test_help_shows_arguments_options_defaults_and_choices(root: Path) -> None:
    text = run(root, "run", "types", "--help").stdout

    assert "Usage: axogen run types [OPTIONS] NAME COUNT RATIO WHERE MODE" in text
    assert "  MODE   How fast.  [fast|slow; required]" in text
    assert "  COUNT  [INTEGER; required]" in text
    assert "--dry-run / --no-dry-run" in text
    assert "-t, --tag INTEGER" in text and "(repeatable)" in text
    assert "--level [1|2]" in text and "[default: 1]" in text
    assert "--out-dir PATH" in text and "[default: build]" in text

    group = run(root, "run", "a", "--help").stdout
    assert "  a b c  Level three." in group
    shell = run(root, "run", "a", "b", "c", "--help").stdout
    assert "Runs: echo deep" in shell


def test_unknown_commands_suggest_close_names(root: Path) -> None:
    result = run(root, "run", "ech")
    assert result.exit_code == 2
    assert "Error: no command 'ech' in the config; did you mean 'echo'?" in result.stderr

    nested = run(root, "run", "migrate")
    assert "did you mean 'db migrate'?" in nested.stderr
    inner = run(root, "run", "a", "b", "d")
    assert (inner.exit_code, "no command 'd' in group 'a b'" in inner.stderr) == (2, True)


def test_commands_run_in_the_config_folder_with_env_file_values(root: Path) -> None:
    (root / "sub").mkdir()
    result = run_proc(["run", "pwd"], cwd=root / "sub")
    assert result.stdout == f"{root.resolve()}\n"

    assert run(root, "run", "env").stdout == "from-file file-value\n"
    # the process environment wins over the file, as in load_env
    assert run(root, "run", "env", GREETING="from-env").stdout == "from-env file-value\n"


def test_verbose_echo_masks_secrets(root: Path) -> None:
    result = run(root, "-v", "run", "token")

    assert result.exit_code == 0
    assert result.stderr == "$ echo …(14 chars)\n"
    assert result.stdout == f"{TOKEN}\n"  # what the command prints is its own business

    failed = run(root, "run", "token-fail")
    assert failed.exit_code == 2
    assert TOKEN not in failed.stderr
    assert "echo …(14 chars) >/dev/null; exit 2" in failed.stderr


def test_shell_completion_includes_the_config_commands(root: Path) -> None:
    def complete(line: str, shell: str = "bash") -> list[str]:
        words = line.split(" ")
        env = subprocess_env(
            _AXOGEN_COMPLETE=f"{shell}_complete",
            COMP_WORDS=line,
            COMP_CWORD=str(len(words) - 1),
        )
        result = run_proc(["run"], cwd=root, env=env)  # argv is ignored when completing
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    top = complete("axogen run ")
    assert {"plain,echo", "plain,a", "plain,db", "plain,touch"} <= set(top)
    assert complete("axogen run a b ") == ["plain,c"]
    assert complete("axogen run deploy -e ") == ["plain,staging", "plain,production"]
    assert "plain,--dry-run" in complete("axogen run types --d")
    assert not (root / "marker").exists()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_config_commands(root: Path) -> None:
    # what ~/.bashrc runs (docs/commands.md), then what bash does on <Tab> after `axogen run db `
    script = (
        'eval "$(_AXOGEN_COMPLETE=bash_source axogen)"; '
        'COMP_WORDS=(axogen run db ""); COMP_CWORD=3; _axogen_completion axogen; '
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    env = subprocess_env()
    env["PATH"] = f"{AXOGEN.parent}{os.pathsep}{env['PATH']}"

    done = subprocess.run(
        ["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )

    assert (done.stdout, done.stderr) == ("migrate\n", "")


def test_completion_with_a_broken_config_completes_nothing(tmp_path: Path) -> None:
    build_tree(tmp_path, {"axogen.config.py": "print('noise')\nraise RuntimeError('x')\n"})
    env = subprocess_env(_AXOGEN_COMPLETE="bash_complete", COMP_WORDS="axogen run ", COMP_CWORD="2")

    result = run_proc(["run"], cwd=tmp_path, env=env)

    assert (result.exit_code, result.stdout.strip()) == (0, "")


@pytest.mark.parametrize(
    ("commands", "expected"),
    [
        (
            '{"x": ax.cmd(command="true", exec=print)}',
            "axogen.config.py:2: TypeError: cmd(): give exactly one of command= (a shell "
            "string) or exec= (a callable)",
        ),
        (
            '{"x": ax.cmd(exec=print, options={"dry-run": ax.option(bool)})}',
            "cmd(): option names are Python identifiers, offered in kebab-case on the command "
            "line; got 'dry-run' (write 'dry_run')",
        ),
        (
            '{"x": ax.cmd(exec=print, args={"n": ax.arg(dict)})}',
            "arg(): type dict is not supported",
        ),
        ('{"x": 42}', "invalid commands:\n  - command 'x' is a int; use a shell string"),
        (
            '{"g": ax.group(commands={"bad name": "true"})}',
            "group(): command name 'bad name' must be one word",
        ),
    ],
)
def test_invalid_definitions_are_clear_errors(tmp_path: Path, commands: str, expected: str) -> None:
    config = f"import axogen as ax\nconfig = ax.define_config(commands={commands})\n"
    build_tree(tmp_path, {"axogen.config.py": config})

    result = run_proc(["run"], cwd=tmp_path)

    assert result.exit_code == 1
    assert expected in result.stderr


def test_list_shows_nested_commands(root: Path) -> None:
    result = run(root, "list")

    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "a b c Level three." in lines
    assert "token echo …(14 chars)" in lines
    assert TOKEN not in result.stdout


def test_microservices_example_commands(tmp_path: Path) -> None:
    example = Path(__file__).parents[1] / "examples" / "microservices"
    (tmp_path / "axogen.config.py").write_text((example / "axogen.config.py").read_text())
    (tmp_path / ".env.axogen").write_text((example / ".env.example").read_text())

    listing = run_proc(["run"], cwd=tmp_path)
    assert listing.exit_code == 0, listing.output
    for name in ("setup", "dev", "deploy", "logs", "health", "db migrate"):
        assert f"\n  {name} " in listing.stdout

    # nothing listens on the services' ports here: every one is reported down, exit 1
    health = run_proc(["run", "health"], cwd=tmp_path)
    assert health.exit_code == 1, health.output
    assert [line.split()[:2] for line in health.stdout.splitlines()] == [
        [name, "down"] for name in ("auth", "orders", "payments", "notifications")
    ]
    wrong = run_proc(["run", "deploy", "-e", "prod"], cwd=tmp_path)
    assert wrong.exit_code == 2
    assert "Input should be 'staging' or 'production'" in wrong.stderr
