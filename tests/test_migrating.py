"""Coming from the TypeScript axogen (0.5.7): each of its habits, as its own example spells it,
does here what docs/migrating.md says. Real configs, the real CLI, real files and real git."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from dotenv import dotenv_values

import axogen as ax
from axogen.formats import template as template_format
from axogen.formats import xml as xml_format
from axogen.formats.env import dump as env_dump
from axogen.usercommands.model import Group
from axogen.values import ValueProblem
from conftest import build_tree, git_init, run_cli, run_proc, subprocess_env

# --- 1. extend_config merges deeply --------------------------------------------------------


def test_extend_config_merges_same_named_targets_field_by_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the example: base `a` = env {X, Y, nested{p, q}}, extended by `a` = json
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import axogen as ax
                base = ax.define_config(targets={
                    "a": ax.env("a.env", {"X": 1, "Y": 2, "nested": {"p": 1, "q": 2},
                                          "tags": ["x", "y"]}, header=False),
                    "b": ax.json("b.json", {"v": 1}, indent=4),
                })
                config = ax.extend_config(base, ax.define_config(targets={
                    "a": ax.json("a.json", {"Y": 3, "nested": {"q": 9}, "tags": ["z"]}),
                    "b": ax.json("b.json", {"w": 2}, sort_keys=True),
                }))
            """
        },
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 0, result.output
    assert not (tmp_path / "a.env").exists()
    # variables deep-merged, the list replaced; header=False kept: the extension left it alone
    assert (tmp_path / "a.json").read_text() == (
        '{\n  "X": 1,\n  "Y": 3,\n  "nested": {\n    "p": 1,\n    "q": 9\n  },\n'
        '  "tags": [\n    "z"\n  ]\n}\n'
    )
    # the same format: options merged key by key (indent=4 kept, sort_keys=True added)
    b = (tmp_path / "b.json").read_text()
    assert b.endswith('{\n    "v": 1,\n    "w": 2\n}\n'), b


def test_extend_config_merges_same_named_groups_member_by_member() -> None:
    base = ax.define_config(
        commands={
            "db": ax.group(
                help="database",
                commands={"migrate": "alembic upgrade head", "seed": "python seed.py"},
            ),
            "ops": ax.group(commands={"deep": ax.group(commands={"a": "echo a"})}),
            "lint": "ruff check .",
        }
    )
    extra = ax.define_config(
        commands={
            "db": ax.group(commands={"seed": "python seed.py --big", "reset": "dropdb app"}),
            "ops": ax.group(commands={"deep": ax.group(commands={"b": "echo b"})}),
            "lint": ax.group(commands={"py": "ruff check ."}),
        }
    )

    merged = ax.extend_config(base, extra).commands

    db = merged["db"]
    assert isinstance(db, Group)
    assert db.help == "database"
    assert dict(db.commands) == {
        "migrate": "alembic upgrade head",
        "seed": "python seed.py --big",
        "reset": "dropdb app",
    }
    assert list(merged["ops"].commands["deep"].commands) == ["a", "b"]
    # a command replaced by a group (or the other way) is replaced whole
    assert merged["lint"] == extra.commands["lint"]


# --- 2. env keys as the original wrote them ----------------------------------------------------


def test_env_keys_upper_as_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import axogen as ax
                config = ax.define_config(targets={"app": ax.env(".env", {
                    "api-url": "https://api.example.com",
                    "camelKey": "v",
                    "database": {"host-name": "db", "port": 5432},
                    "hosts": ["a", "b"],
                    "servers": [{"name": "x"}],
                }, keys="upper", header=False)})
            """
        },
    )
    monkeypatch.chdir(tmp_path)

    assert run_cli("generate").exit_code == 0

    text = (tmp_path / ".env").read_text()
    assert text == (
        "API_URL=https://api.example.com\n"
        "CAMELKEY=v\n"
        "DATABASE_HOST_NAME=db\n"
        "DATABASE_PORT=5432\n"
        "HOSTS_0=a\n"
        "HOSTS_1=b\n"
        "HOSTS_LENGTH=2\n"
        "SERVERS_0_NAME=x\n"
        "SERVERS_LENGTH=1\n"
    )
    assert dotenv_values(tmp_path / ".env")["API_URL"] == "https://api.example.com"


def test_env_default_keys_refuse_api_url_and_suggest_the_option() -> None:
    with pytest.raises(ValueProblem) as e:
        env_dump({"api-url": "x"})

    assert e.value.key_path == ("api-url",)
    assert 'keys="upper"' in e.value.reason


def test_env_upper_keys_collisions_and_bad_names_are_errors() -> None:
    with pytest.raises(ValueProblem, match="another key also becomes"):
        env_dump({"api-url": 1, "API_URL": 2}, keys="upper")
    with pytest.raises(ValueProblem, match="not a valid variable name"):
        env_dump({"1st": 1}, keys="upper")
    with pytest.raises(TypeError, match='keys must be "exact" or "upper"'):
        ax.env(".env", {}, keys="lower")


# --- 3. comparison helpers in templates --------------------------------------------------------


@pytest.mark.parametrize(
    ("engine", "name", "source"),
    [
        (
            "handlebars",
            "t.hbs",
            '{{#if (eq env "prod")}}prod{{else}}dev{{/if}} {{#if (ne env "prod")}}ne{{/if}} '
            "{{#if (gt replicas 2)}}gt{{/if}} {{#if (lt replicas 2)}}lt{{/if}} "
            "{{#if (gte replicas 3)}}gte{{/if}} {{#if (lte replicas 3)}}lte{{/if}} "
            "{{#if (and debug (not quiet))}}and{{/if}} {{#if (or quiet debug)}}or{{/if}}\n",
        ),
        (
            "jinja2",
            "t.j2",
            '{% if eq(env, "prod") %}prod{% else %}dev{% endif %} '
            '{% if ne(env, "prod") %}ne{% endif %} {% if gt(replicas, 2) %}gt{% endif %} '
            "{% if lt(replicas, 2) %}lt{% endif %} {% if gte(replicas, 3) %}gte{% endif %} "
            "{% if lte(replicas, 3) %}lte{% endif %} {% if debug and not quiet %}and{% endif %} "
            "{% if quiet or debug %}or{% endif %}\n",
        ),
    ],
)
@pytest.mark.parametrize("env", ["prod", "dev"])
def test_comparison_helpers(tmp_path: Path, engine: str, name: str, source: str, env: str) -> None:
    (tmp_path / name).write_text(source)
    data = {"env": env, "replicas": 3, "debug": True, "quiet": False}

    text = template_format.dump(data, template=str(tmp_path / name), engine=engine)

    # `lt` is false, so two spaces follow `gt`; `ne` only for dev
    want = {"prod": "prod  gt  gte lte and or\n", "dev": "dev ne gt  gte lte and or\n"}
    assert text == want[env]


def test_comparing_values_that_do_not_compare_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "t.hbs").write_text("{{#if (gt port 80)}}high{{/if}}\n")

    with pytest.raises(ValueProblem, match="not supported between instances of 'str' and 'int'"):
        template_format.dump(
            {"port": "8080"}, template=str(tmp_path / "t.hbs"), engine="handlebars"
        )


# --- 4. ${VAR} in .env.axogen expands with the final values --------------------------------


ENV_CONFIG = """\
import axogen as ax
from pydantic import BaseModel

class Env(BaseModel):
    FROM_FILE: str
    EXPANDED: str

e = ax.load_env(Env, override={override})
config = ax.define_config(targets={{"out": ax.json("out.json", e.model_dump())}})
"""


@pytest.mark.parametrize(
    ("override", "expanded"), [(False, "proc-x"), (True, "file-x")], ids=["default", "override"]
)
def test_env_file_references_expand_with_the_final_values(
    tmp_path: Path, override: bool, expanded: str
) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": ENV_CONFIG.format(override=override),
            ".env.axogen": "FROM_FILE=file\nEXPANDED=${FROM_FILE}-x\n",
        },
    )

    result = run_proc(["generate"], cwd=tmp_path, env=subprocess_env(FROM_FILE="proc"))

    assert result.exit_code == 0, result.output
    got = json.loads((tmp_path / "out.json").read_text())
    assert got == {"FROM_FILE": "file" if override else "proc", "EXPANDED": expanded}


def test_env_file_expansion_with_a_secret_reference_also_uses_the_final_values(
    tmp_path: Path,
) -> None:
    # a `ref+file://` value makes axogen open the file's values itself; the rule is the same
    build_tree(
        tmp_path,
        {
            "axogen.config.py": ENV_CONFIG.format(override=False).replace(
                "EXPANDED: str", "EXPANDED: str\n    TOKEN: str"
            ),
            ".env.axogen": "FROM_FILE=file\nTOKEN=ref+file://token.txt\nEXPANDED=${FROM_FILE}-x\n",
            "token.txt": "t0k\n",
        },
    )

    result = run_proc(["generate"], cwd=tmp_path, env=subprocess_env(FROM_FILE="proc"))

    assert result.exit_code == 0, result.output
    got = json.loads((tmp_path / "out.json").read_text())
    assert (got["EXPANDED"], got["TOKEN"]) == ("proc-x", "t0k")


def test_env_file_references_without_the_environment_use_the_file(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": ENV_CONFIG.format(override=False),
            ".env.axogen": "FROM_FILE=file\nEXPANDED=${FROM_FILE}-x\n",
        },
    )

    assert run_proc(["generate"], cwd=tmp_path).exit_code == 0
    assert json.loads((tmp_path / "out.json").read_text())["EXPANDED"] == "file-x"


# --- 5. XML root -------------------------------------------------------------------------------


def test_xml_single_top_level_key_is_the_root_and_at_underscore_is_an_attribute() -> None:
    assert xml_format.dump({"config": {"@_id": "x"}}, declaration=False) == '<config id="x"/>\n'
    assert xml_format.dump({"server": {"@_port": 80, "name": "a"}}, declaration=False) == (
        '<server port="80">\n  <name>a</name>\n</server>\n'
    )
    # more than one key, or a list, is wrapped in the root as before
    assert xml_format.dump({"a": 1, "b": 2}, declaration=False) == (
        "<config>\n  <a>1</a>\n  <b>2</b>\n</config>\n"
    )
    assert xml_format.dump({"item": [1, 2]}, declaration=False) == (
        "<config>\n  <item>1</item>\n  <item>2</item>\n</config>\n"
    )
    # another root named: the variables are its content
    assert xml_format.dump({"config": {"@_id": "x"}}, root="app", declaration=False) == (
        '<app>\n  <config id="x"/>\n</app>\n'
    )
    # an attribute whose own name starts with `_`
    assert xml_format.dump({"a": {"@__x": 1}}, declaration=False) == '<a _x="1"/>\n'


# --- 6. Python commands see the shell commands' environment ----------------------------------

COMMANDS_CONFIG = """\
import os
import axogen as ax
from pydantic import BaseModel

class Env(BaseModel):
    FROM_FILE_ONLY: str = ""

ax.load_env(Env)

def show():
    print("py:", os.environ.get("FROM_FILE_ONLY"), os.environ.get("BOTH"))
    os.environ["SET_BY_COMMAND"] = "1"

def after():
    print("after:", os.environ.get("SET_BY_COMMAND"))

def both(ctx):
    ctx.run("show")
    ctx.run("sh")
    after()

def fails():
    ax.live_exec("exit 3")

def carries_on():
    code = ax.live_exec("exit 3", check=False)
    print("carried on after", code)

config = ax.define_config(commands={
    "show": show,
    "sh": 'echo "sh: $FROM_FILE_ONLY $BOTH $SET_BY_COMMAND"',
    "both": both,
    "fails": fails,
    "carries-on": carries_on,
    "pwd": "pwd",
})
"""


def test_python_commands_see_the_env_file_values_as_shell_commands(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {"axogen.config.py": COMMANDS_CONFIG, ".env.axogen": "FROM_FILE_ONLY=hello\nBOTH=file\n"},
    )
    env = subprocess_env(BOTH="proc")

    result = run_proc(["run", "both"], cwd=tmp_path, env=env)

    # the variable a Python command set is gone once it returns (the shell sees it empty)
    assert result.exit_code == 0, result.output
    assert result.stdout == "py: hello proc\nsh: hello proc \nafter: None\n"


def test_os_environ_is_put_back_after_a_python_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(
        tmp_path, {"axogen.config.py": COMMANDS_CONFIG, ".env.axogen": "FROM_FILE_ONLY=hi\n"}
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FROM_FILE_ONLY", raising=False)
    monkeypatch.delenv("SET_BY_COMMAND", raising=False)
    before = dict(os.environ)

    result = run_cli("run", "show")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("py: hi ")
    assert dict(os.environ) == before


def test_live_exec_failure_says_how_to_carry_on(tmp_path: Path) -> None:
    build_tree(tmp_path, {"axogen.config.py": COMMANDS_CONFIG})

    failed = run_proc(["run", "fails"], cwd=tmp_path)
    carried = run_proc(["run", "carries-on"], cwd=tmp_path)

    assert failed.exit_code == 3
    assert failed.stderr == (
        "error: command failed with exit code 3: exit 3\n"
        "  hint: live_exec() and exec() raise on a non-zero exit; pass check=False to get the "
        "exit code and carry on\n"
    )
    assert (carried.exit_code, carried.stdout) == (0, "carried on after 3\n")


def test_a_failing_shell_command_has_no_check_false_hint(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": (
                "import axogen as ax\n"
                "config = ax.define_config(commands={'x': 'exit 4', 'y': lambda ctx: ctx.run('x')})\n"
            )
        },
    )

    result = run_proc(["run", "y"], cwd=tmp_path)

    assert (result.exit_code, result.stderr) == (
        4,
        "error: command failed with exit code 4: exit 4\n",
    )


# --- 7. monorepos: define_config(root=...) ----------------------------------------------------

MONOREPO_CONFIG = """\
import axogen as ax
config = ax.define_config(root="..", targets={{
    "api": ax.env({path!r}, {{"PORT": 8080}}, header=False),
}}, commands={{"pwd": "pwd"}})
"""


def monorepo(root: Path, path: str) -> Path:
    git_init(root)
    build_tree(
        root,
        {
            "infra/axogen.config.py": MONOREPO_CONFIG.format(path=path),
            "services/api/README": "the api\n",
            ".gitignore": ".env\n",
        },
    )
    return root / "infra"


def test_monorepo_target_reaches_into_the_project_root(tmp_path: Path) -> None:
    infra = monorepo(tmp_path, "../services/api/.env")

    result = run_proc(["generate"], cwd=infra)
    check = run_proc(["check"], cwd=infra)
    pwd = run_proc(["run", "pwd"], cwd=infra)

    assert result.exit_code == 0, result.output
    assert (tmp_path / "services/api/.env").read_text() == "PORT=8080\n"
    assert check.exit_code == 0, check.output
    # commands still run in the config's folder
    assert pwd.stdout == f"{infra.resolve()}\n"


def test_without_root_a_path_above_the_config_is_refused(tmp_path: Path) -> None:
    infra = monorepo(tmp_path, "../services/api/.env")
    config = infra / "axogen.config.py"
    config.write_text(config.read_text().replace('root="..", ', ""))

    result = run_proc(["generate"], cwd=infra)

    assert result.exit_code == 1
    assert "points outside the project folder" in result.stderr
    assert not (tmp_path / "services/api/.env").exists()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../../outside.env", "leaves the project root"),
        ("/etc/x.env", "is absolute"),
        ("../.git/hooks/x.env", "is inside .git"),
        ("../services/link/.env", "symlink"),
    ],
)
def test_monorepo_paths_keep_every_other_rule(tmp_path: Path, path: str, message: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    infra = monorepo(repo, path)
    (tmp_path / "elsewhere").mkdir()
    (repo / "services/link").symlink_to(tmp_path / "elsewhere")

    result = run_proc(["generate"], cwd=infra)

    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
    assert not (tmp_path / "outside.env").exists()
    assert not (tmp_path / "elsewhere/.env").exists()
    assert not (repo / ".git/hooks/x.env").exists()


def test_root_must_hold_the_config_folder(tmp_path: Path) -> None:
    infra = monorepo(tmp_path, "x.env")
    config = infra / "axogen.config.py"
    config.write_text(config.read_text().replace('root=".."', 'root="sub"'))
    (infra / "sub").mkdir()

    result = run_proc(["generate"], cwd=infra)

    assert result.exit_code == 1
    assert "which does not hold the config's folder" in result.stderr


# --- 8. cheap aids ---------------------------------------------------------------------------


def test_gen_is_generate_and_help_lists_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": "import axogen as ax\nconfig = ax.define_config(targets={"
            "'a': ax.json('a.json', {'v': 1})})\n"
        },
    )
    monkeypatch.chdir(tmp_path)

    assert run_cli("gen").exit_code == 0
    assert json.loads((tmp_path / "a.json").read_text()) == {"v": 1}
    listing = run_cli("--help").stdout
    assert "  generate (gen)  Generate every target" in listing
    assert "\n  gen " not in listing


def test_help_command_shows_a_commands_help() -> None:
    assert run_cli("help").stdout == run_cli("--help").stdout
    assert run_cli("help", "generate").stdout == run_cli("generate", "--help").stdout
    assert run_cli("help", "env", "set").stdout == run_cli("env", "set", "--help").stdout
    unknown = run_cli("help", "nope")
    assert unknown.exit_code == 2
    assert "No such command 'nope'" in unknown.stderr


def test_plain_dict_target_shows_the_python_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import axogen as ax
                config = ax.define_config(targets={
                    "app": {"path": "app/.env", "type": "env", "variables": {"PORT": 3000}},
                })
            """
        },
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert "ax.env('app/.env', {...})" in result.stderr


@pytest.mark.parametrize(
    ("config", "spelling"),
    [
        ("{'PORT': 3000, 'HOST': 'localhost'}", """ax.env(".env", {...})"""),
        ("{'targets': {}}", "config = ax.define_config(targets={...}, commands={...})"),
    ],
)
def test_plain_dict_config_shows_the_python_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, spelling: str
) -> None:
    build_tree(tmp_path, {"axogen.config.py": f"config = {config}\n"})
    monkeypatch.chdir(tmp_path)

    result = run_cli("list")

    assert result.exit_code == 1
    assert spelling in result.stderr


# --- the migration page ------------------------------------------------------------------------

DOCS = Path(__file__).parents[1] / "docs" / "migrating.md"


def test_the_migration_page_is_linked_and_its_extend_example_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (DOCS.parents[1] / "README.md").read_text()
    assert "(docs/migrating.md)" in readme
    page = DOCS.read_text()
    block = page.split("```python\n", 1)[1].split("```", 1)[0]
    code, _, result = block.rpartition("# a.json: ")
    build_tree(tmp_path, {"axogen.config.py": "import axogen as ax\n" + code})
    monkeypatch.chdir(tmp_path)

    assert run_cli("generate").exit_code == 0
    assert json.loads((tmp_path / "a.json").read_text()) == json.loads(result)
