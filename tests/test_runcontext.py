"""One run per invocation: its console, its secrets, its load context and its session belong
to it alone; a second `main()` in the same process starts afresh, and nothing is left over."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from axogen import runcontext
from axogen.runcontext import Run
from axogen.secrets.mask import hide
from conftest import build_tree, run_cli

SECRET = "Qx9zLm4Rt7Vb2Nc8Hd5Fg1Jk"

CONFIG = """\
import os
from pydantic import BaseModel, SecretStr
import axogen as ax

class Env(BaseModel):
    TOKEN: SecretStr

env = ax.load_env(Env)
print("token is", env.TOKEN.get_secret_value())
config = ax.define_config(targets={"a": ax.json("a.json", {"n": 1})})
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build_tree(tmp_path, {"axogen.config.py": CONFIG, ".env.axogen": f"TOKEN={SECRET}\n"})


def test_each_main_is_a_run_of_its_own(project: Path) -> None:
    outside = runcontext.current()
    quiet = run_cli("-q", "-C", str(project), "generate")
    assert quiet.exit_code == 0, quiet.stderr
    # -q: no report; what the config prints is shown, masked
    assert quiet.stdout == "token is …(24 chars)\n"
    loud = run_cli("-C", str(project), "generate")
    assert loud.exit_code == 0, loud.stderr
    # the second run is not quiet: -q belonged to the first
    assert "0 created, 0 updated, 1 unchanged" in loud.stdout
    assert "token is …(24 chars)" in loud.stdout and SECRET not in loud.stdout
    # nothing of either run is left in the process: the run outside them is as it was
    assert runcontext.current() is outside
    assert outside.load is None and outside.session is None
    assert hide(SECRET) == SECRET


def test_the_load_context_lives_while_the_config_runs(project: Path) -> None:
    from axogen.config import context
    from axogen.config.loader import load_config

    run = Run()
    loaded = load_config(project / "axogen.config.py", run)
    assert loaded.env_models and project / ".env.axogen" in loaded.env_files
    assert run.load is None and context.current() is None  # gone with the load
    assert run.masker.hide(SECRET) == "…(24 chars)"  # the run it was given learnt the secret
    assert hide(SECRET) == SECRET  # and no other


def test_a_run_inside_a_run_restores_the_outer_one() -> None:
    with Run() as outer:
        with Run() as inner:
            assert runcontext.current() is inner
            with inner:  # entered twice: left twice
                assert runcontext.current() is inner
            assert runcontext.current() is inner
        assert runcontext.current() is outer
        following = outer.next()
        assert following.masker is outer.masker and following.load is None


def test_the_run_context_imports_no_console_at_load_time() -> None:
    code = (
        "import sys\n"
        "from axogen.runcontext import Run, current\n"
        "run = Run()\n"
        "run.masker.add('abcdefgh')\n"
        "assert current() is not None\n"
        "assert 'axogen.console' not in sys.modules, 'console imported'\n"
        "assert 'axogen.usercommands.session' not in sys.modules\n"
        "run.console.out('x')\n"
        "assert 'axogen.console' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "x\n"
