"""What a run that needs little imports: which heavy modules, and how many git processes.

Each case runs the real CLI in a fresh Python process and reads `sys.modules` at its end;
git is found on PATH through a wrapper that logs each call and then runs the real git.
Nothing here is timed (benchmarks/w1.py prints the figures): the assertions say what must
not be loaded, so that a stray top-level import shows up as a failing test, not as a slower
start that nobody notices.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from conftest import build_tree, git_init, subprocess_env

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "microservices"
# the demo key of examples/microservices/.env.axogen (README.md's first command)
EXAMPLE_KEY = "a39ad802b1f5a43b3574d93eda7ba1fc2610fc68f55a226e8d0ff7d4dcb33887"

# the secret detector's rules: compiled at import (regexes, provider token formats)
DETECTOR = ("axogen.secrets.detect", "axogen.secrets.tokens", "axogen.secrets.entropy")
FORMAT_LIBRARIES = ("yaml", "tomli_w", "json5", "hjson", "javaproperties", "xmltodict")
TEMPLATE_LIBRARIES = ("jinja2", "pybars", "chevron")
CRYPTO = ("coincurve", "cryptography", "cffi")
CONFIG = ("pydantic", "pydantic_core", "dotenv", "axogen.config.loader", "axogen.generate")
CLI = ("click", "axogen.cli")

PROBE = """
import json, os, sys
what, args = sys.argv[1], sys.argv[2:]
code = 0
try:
    if what == "nothing":  # what the interpreter loads by itself (and coverage, under CI)
        pass
    elif what == "import":
        import axogen
    elif what == "entry":  # the `axogen` command itself (pyproject's console script)
        sys.argv = ["axogen", *args]
        from axogen.__main__ import main
        main()
    elif what == "load":
        from axogen import pipeline
        pipeline.load(None, None)
    else:
        from axogen.cli import main
        main(args)
except SystemExit as e:
    code = e.code or 0
sys.stdout.flush()
with open(os.environ["STARTUP_PROBE_OUT"], "w") as f:
    json.dump({"code": code, "modules": sorted(sys.modules)}, f)
"""

# W1's shape: env, json, yaml and toml targets, plain values, nothing secret
PLAIN = {
    "axogen.config.py": """\
        import axogen as ax

        FORMATS = ("env", "json", "yaml", "toml")
        FILES = {"env": ".env", "json": "c.json", "yaml": "c.yaml", "toml": "c.toml"}
        targets = {}
        for i in range(8):
            fmt = FORMATS[i % 4]
            data = {"NAME": f"svc{i}", "PORT": 8000 + i, "DB": {"HOST": "db", "TLS": i % 2 == 0}}
            targets[f"svc{i}"] = getattr(ax, fmt)(f"out/svc{i}/{FILES[fmt]}", data)
        config = ax.define_config(targets=targets)
        """,
}

# an env model with secrets, written to a git-ignored .env, and a jinja2 template
SECRETS = {
    ".gitignore": "app/.env\n",
    ".env.axogen": "DB_PASSWORD=Zq8vR2mT6wXk4pLs9nBd\nAPI_KEY=sk_live_51HqLyjWDarjtT1zdp7dcEa\n",
    "service.conf.j2": "# {{ axogen_header }}\nport={{ PORT }}\n",
    "axogen.config.py": """\
        from pydantic import BaseModel, SecretStr

        import axogen as ax


        class Env(BaseModel):
            DB_PASSWORD: SecretStr
            API_KEY: SecretStr
            PORT: int = 8080


        e = ax.load_env(Env)
        config = ax.define_config(
            targets={
                "app-env": ax.env("app/.env", {"DB_PASSWORD": e.DB_PASSWORD, "API_KEY": e.API_KEY}),
                "settings": ax.yaml("settings.yaml", {"port": e.PORT, "tls": True}),
                "service": ax.template("service.conf", {"PORT": e.PORT}, template="service.conf.j2"),
            }
        )
        """,
}


Run = tuple[set[str], list[str]]  # the modules loaded by the end of a run, its git commands


class Probe:
    """One project, and the runs of the CLI on it: their modules and git calls."""

    def __init__(self, root: Path, tmp: Path, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.bin = tmp / "bin"
        self.log = tmp / "git.log"
        self.out = tmp / "modules.json"
        self.env = subprocess_env(AXOGEN_CACHE_DIR=str(tmp / "cache"), **(env or {}))
        real_git = shutil.which("git")
        assert real_git is not None
        self.bin.mkdir(exist_ok=True)
        wrapper = self.bin / "git"
        wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{self.log}"\nexec "{real_git}" "$@"\n')
        wrapper.chmod(0o755)
        self.env["PATH"] = f"{self.bin}{os.pathsep}{self.env.get('PATH', '')}"
        self.env["STARTUP_PROBE_OUT"] = str(self.out)

    def run(self, what: str, *args: str) -> Run:
        self.log.unlink(missing_ok=True)
        done = subprocess.run(
            [sys.executable, "-c", PROBE, what, *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        report = json.loads(self.out.read_text())
        assert report["code"] == 0, done.stdout + done.stderr
        calls = self.log.read_text().splitlines() if self.log.exists() else []
        return set(report["modules"]), calls


def loaded(modules: set[str], names: Sequence[str]) -> list[str]:
    """Which of `names` (packages: their submodules count) are in `modules`."""
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


def _output(root: Path, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `python ARGS` in `root`."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=root,
        env=subprocess_env(AXOGEN_NO_CACHE="1"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # the run's own duration is the one part that may differ
    return done.returncode, re.sub(r"\(\d+\.\d\ds\)", "(…s)", done.stdout), done.stderr


def project(factory: pytest.TempPathFactory, name: str, files: dict[str, str]) -> Probe:
    tmp = factory.mktemp(name)
    root = build_tree(tmp / "project", files)
    git_init(root)
    return Probe(root, tmp)


# each project's runs happen once, in order (a fresh generate first: the others are warm)
@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    probe = project(tmp_path_factory, "plain", PLAIN)
    runs = {"nothing": probe.run("nothing"), "import": probe.run("import")}
    runs["load"] = probe.run("load")
    runs["fresh"] = probe.run("cli", "generate")
    assert (probe.root / "out" / "svc3" / "c.toml").is_file()
    for name, args in [("generate", ["generate"]), ("check", ["check"])]:
        runs[name] = probe.run("cli", *args)
    runs["--version"] = probe.run("cli", "--version")
    runs["axogen --version"] = probe.run("entry", "--version")
    runs["axogen -V"] = probe.run("entry", "-V")
    runs["axogen --help"] = probe.run("entry", "--help")
    runs["--help"] = probe.run("cli", "--help")
    runs["axogen generate"] = probe.run("entry", "generate")
    runs["axogen check"] = probe.run("entry", "check")
    return runs


@pytest.fixture(scope="module")
def secrets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    probe = project(tmp_path_factory, "secrets", SECRETS)
    return {name: probe.run("cli", cmd) for name, cmd in SECRET_RUNS}


SECRET_RUNS = [("fresh", "generate"), ("generate", "generate"), ("check", "check")]

# an env model whose values all come from the environment: no env file to parse
MODEL = {
    "axogen.config.py": """\
        from pydantic import BaseModel

        import axogen as ax


        class Env(BaseModel):
            PORT: int = 8080


        e = ax.load_env(Env)
        config = ax.define_config(targets={"app": ax.json("app.json", {"port": e.PORT})})
        """,
}


def test_an_env_model_without_env_files_needs_no_dotenv(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    probe = project(tmp_path_factory, "model", MODEL)
    for command in ("generate", "generate", "check"):
        modules, _ = probe.run("cli", command)
        assert "axogen.config.env" in modules
        # dotenv (and the logging it brings) parses env files: there are none
        assert loaded(modules, ("dotenv", "logging")) == []
    assert (probe.root / "app.json").is_file()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    tmp = tmp_path_factory.mktemp("example")
    root = tmp / "microservices"
    shutil.copytree(EXAMPLE, root)
    git_init(root)
    probe = Probe(root, tmp, {"DOTENV_PRIVATE_KEY_AXOGEN": EXAMPLE_KEY})
    probe.run("cli", "generate")
    return {cmd: probe.run("cli", cmd) for cmd in ("generate", "check")}


def test_the_probe_sees_what_a_fresh_generate_loads(plain: dict[str, Run]) -> None:
    # the first run renders: the detector judges every file; axogen writes the TOML ones
    # itself (tomli-w only for values of other types, which converted data never holds)
    modules, git = plain["fresh"]
    assert loaded(modules, DETECTOR) == list(DETECTOR)
    assert loaded(modules, ("tomli_w",)) == []
    assert git == []  # nothing secret: the guard has no file to ask git about


# standard modules a config of plain values never needs: a value of uuid's, decimal's or a
# dataclass type exists only once its module is loaded; OpenSSL (hashlib) is not needed for
# BLAKE2; a file name of ASCII needs no unicodedata; no target keeps backups; plain values
# are fingerprinted without pickle
UNNEEDED = (
    "uuid",
    "pickle",
    "decimal",
    "dataclasses",
    "hashlib",
    "_hashlib",
    "tempfile",
    "unicodedata",
    "axogen.generate.backup",
)


@pytest.mark.parametrize("run", ["fresh", "generate", "check", "axogen generate"])
def test_a_config_of_plain_values_loads_no_module_it_does_not_use(
    plain: dict[str, Run], run: str
) -> None:
    modules, _ = plain[run]
    # click's own UUID parameter type imports uuid: only the run without click is free of it;
    # what the interpreter loaded before anything ran (coverage does, in CI) is not the run's
    before, _ = plain["nothing"]
    if not loaded(before, ("coverage",)):
        assert loaded(before, UNNEEDED) == []  # a bare interpreter loads none of them
    skip = {*before, *(["uuid"] if "click" in modules else [])}
    assert loaded(modules, [m for m in UNNEEDED if m not in skip]) == []


def test_import_axogen_loads_nothing_heavy(plain: dict[str, Run]) -> None:
    modules, git = plain["import"]
    heavy = (*DETECTOR, *FORMAT_LIBRARIES, *TEMPLATE_LIBRARIES, *CRYPTO, *CONFIG, *CLI)
    assert loaded(modules, heavy) == []
    assert git == []


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_load_no_config_machinery(plain: dict[str, Run], flag: str) -> None:
    modules, git = plain[flag]
    heavy = (*DETECTOR, *FORMAT_LIBRARIES, *TEMPLATE_LIBRARIES, *CRYPTO, *CONFIG)
    assert loaded(modules, heavy) == []
    assert git == []


@pytest.mark.parametrize("command", ["axogen --version", "axogen -V"])
def test_the_version_is_printed_before_click_is_imported(
    plain: dict[str, Run], command: str
) -> None:
    modules, git = plain[command]
    assert loaded(modules, (*CLI, "axogen.commands", "axogen.console")) == []
    assert git == []


def test_the_version_line_is_the_one_click_prints(tmp_path: Path) -> None:
    fast = _output(tmp_path, "-m", "axogen", "--version")
    # past the fast path (an argument after it): click's own version option answers
    assert _output(tmp_path, "-m", "axogen", "--version", "-q") == fast
    assert _output(tmp_path, "-c", "from axogen.cli import main; main(['-V'])") == fast
    assert fast[0] == 0
    assert fast[1].startswith("axogen ")


@pytest.mark.parametrize("flag", ["--help", "axogen --help"])
def test_help_loads_neither_the_run_group_nor_the_format_registry(
    plain: dict[str, Run], flag: str
) -> None:
    modules, _ = plain[flag]
    # `axogen run` is declared on first use; `from axogen import X` asks axogen.__getattr__,
    # which must not load the format registry to answer that X is a submodule
    lazy = ("axogen.commands.run", "axogen.usercommands", "axogen.console", "axogen.formats")
    assert loaded(modules, lazy) == []
    assert "click" in modules


@pytest.mark.parametrize("command", ["axogen generate", "axogen check"])
def test_generate_and_check_alone_run_without_click(plain: dict[str, Run], command: str) -> None:
    modules, _ = plain[command]
    assert "axogen.commands" in modules  # it did run
    assert loaded(modules, CLI) == []


QUICK_PROJECT = {
    "axogen.config.py": """\
        import axogen as ax

        config = ax.define_config(
            targets={
                "app": ax.env("app/.env", {"PORT": 8080, "NAME": "app"}),
                "settings": ax.yaml("settings.yaml", {"tls": True}),
            }
        )
        """,
}


def test_generate_and_check_alone_say_what_the_cli_says(tmp_path: Path) -> None:
    # two copies of one project: `axogen COMMAND` as the console script runs it (without
    # click) in one, the same command line through the CLI in the other
    quick_root = build_tree(tmp_path / "quick", QUICK_PROJECT)
    cli_root = build_tree(tmp_path / "cli", QUICK_PROJECT)

    def both(command: str) -> tuple[int, str, str]:
        quick = _output(quick_root, "-m", "axogen", command)
        through_cli = _output(cli_root, "-c", f"from axogen.cli import main; main([{command!r}])")
        assert quick == through_cli
        return quick

    def edit(old: str, new: str) -> None:
        for root in (quick_root, cli_root):
            config = root / "axogen.config.py"
            config.write_text(config.read_text().replace(old, new))

    code, out, err = both("check")  # nothing generated yet
    assert code == 1 and "app/.env" in out + err
    code, out, _ = both("generate")
    assert code == 0 and "2 created" in out
    code, out, _ = both("gen")
    assert code == 0 and "2 unchanged" in out
    edit("8080", "8081")
    assert both("check")[0] == 1
    # a config that fails: the same error line and exit code
    edit('ax.yaml("settings.yaml"', 'ax.yaml("/abs.yaml"')
    code, _, err = both("generate")
    assert code == 1 and "is absolute" in err
    edit("ax.define_config(", "ax.define_config(bad=1, ")
    code, _, err = both("check")
    assert code == 1 and err.startswith("error:")


def test_loading_a_config_compiles_no_rules_and_starts_no_git(plain: dict[str, Run]) -> None:
    modules, git = plain["load"]
    assert "axogen.config.loader" in modules
    heavy = (*DETECTOR, *FORMAT_LIBRARIES, *TEMPLATE_LIBRARIES, *CRYPTO, *CLI)
    assert loaded(modules, heavy) == []
    assert git == []


@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_run_that_changes_nothing_renders_nothing(plain: dict[str, Run], command: str) -> None:
    modules, git = plain[command]
    # the render cache vouches for every file: no format, no detector, no git (nothing secret)
    heavy = (*DETECTOR, *FORMAT_LIBRARIES, *TEMPLATE_LIBRARIES, *CRYPTO, "pydantic")
    assert loaded(modules, heavy) == []
    assert git == []


def test_the_secrets_project_renders_with_jinja_and_the_detector(secrets: dict[str, Run]) -> None:
    modules, git = secrets["fresh"]
    assert loaded(modules, ("jinja2", *DETECTOR)) == ["jinja2", *DETECTOR]
    assert len(git) == 1  # the guard, once for the run: is app/.env ignored?


@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_run_with_secrets_that_changes_nothing_renders_nothing(
    secrets: dict[str, Run], command: str
) -> None:
    modules, git = secrets[command]
    assert loaded(modules, (*FORMAT_LIBRARIES, *TEMPLATE_LIBRARIES, *CRYPTO)) == []
    assert len(git) <= 1  # generate asks git again whether app/.env is still ignored


@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_run_with_secrets_that_changes_nothing_compiles_no_detector(
    secrets: dict[str, Run], command: str
) -> None:
    modules, _ = secrets[command]
    # the cache holds each file's findings (masked previews): nothing is left to judge
    assert loaded(modules, DETECTOR) == []


@pytest.mark.parametrize("command", ["generate", "check"])
def test_the_example_unchanged_loads_no_format_or_template_library(
    example: dict[str, Run], command: str
) -> None:
    modules, git = example[command]
    # its .env.axogen is encrypted: decrypting it is needed, the rest is not
    assert loaded(modules, ("coincurve",)) == ["coincurve"]
    assert loaded(modules, (*FORMAT_LIBRARIES, *TEMPLATE_LIBRARIES)) == []
    assert len(git) <= 1
    # its env files are read with python-dotenv's parser alone: not the package's
    # __init__, which brings dotenv.main and logging
    assert "axogen.config.pydotenv.parser" in modules
    assert loaded(modules, ("dotenv", "logging")) == []


@pytest.mark.parametrize("command", ["generate", "check"])
def test_the_example_unchanged_compiles_no_detector(example: dict[str, Run], command: str) -> None:
    modules, _ = example[command]
    assert loaded(modules, DETECTOR) == []


MANY_LINES = {
    "axogen.config.py": """\
        import axogen as ax

        config = ax.define_config(
            targets={
                f"target-number-{i}": ax.json(f"out/some/longer/folder/{i}/c.json", {"a": i})
                for i in range(2500)
            }
        )
        """,
}


def _closed_early(root: Path, *args: str) -> tuple[int, str]:
    """Run with a reader that takes five bytes of the output and goes away."""
    with subprocess.Popen(
        [sys.executable, *args],
        cwd=root,
        env=subprocess_env(AXOGEN_NO_CACHE="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(5)
        proc.stdout.close()  # the 150 kB of status lines cannot all fit in the pipe
        err = proc.stderr.read().decode()
        return proc.wait(timeout=120), err


def test_generate_alone_ends_as_the_cli_does_when_its_reader_goes_away(tmp_path: Path) -> None:
    quick_root = build_tree(tmp_path / "quick", MANY_LINES)
    cli_root = build_tree(tmp_path / "cli", MANY_LINES)
    quick = _closed_early(quick_root, "-m", "axogen", "generate")
    through_cli = _closed_early(cli_root, "-c", "from axogen.cli import main; main(['generate'])")
    assert quick == through_cli == (1, "")
    assert len(list((quick_root / "out/some/longer/folder").iterdir())) == 2500
