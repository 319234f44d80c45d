"""Hostile or broken input: when axogen cannot be sure, it refuses with one clear error (exit 1),
never a traceback (exit 3) or a run that looks like success. Real files and real processes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import axogen as ax
from axogen.errors import ConfigError
from axogen.formats.yaml import MAX_ALIAS_NODES
from axogen.values import MAX_DEPTH
from conftest import Result, build_tree, run_cli, run_proc


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert "please report" not in result.output
    assert result.exit_code != 3


# --- a NUL byte in an env file ---------------------------------------------------------------

NUL_CONFIG = """\
from pydantic import BaseModel
import axogen as ax

class Env(BaseModel):
    A: str = "x"
    B: str = "y"

e = ax.load_env(Env)
config = ax.define_config(
    targets={"t": ax.json("t.json", {"a": e.A})},
    commands={"hi": "echo hi"},
)
"""


@pytest.mark.parametrize("args", [["run", "hi"], ["generate"], ["list"], ["list", "--env"]])
def test_a_nul_byte_in_the_env_file_is_an_error_naming_its_line(
    tmp_path: Path, args: list[str]
) -> None:
    build_tree(tmp_path, {"axogen.config.py": NUL_CONFIG, ".gitignore": ".env.axogen\n"})
    (tmp_path / ".env.axogen").write_bytes(b"A=1\nB=ab\0c\n")

    result = run_proc(args, cwd=tmp_path)

    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: .env.axogen:2: contains a NUL byte, which no environment value can hold\n"
    )
    assert "\0" not in result.output
    assert not (tmp_path / "t.json").exists()


def test_a_nul_byte_in_a_command_is_an_error_before_anything_runs(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import axogen as ax
                config = ax.define_config(commands={
                    "arg": lambda: ax.live_exec(["echo", "a\\0b"]),
                    "env": lambda: ax.exec("echo hi", env={"X": "a\\0b"}),
                })
            """
        },
    )

    for name in ("arg", "env"):
        result = run_proc(["run", name], cwd=tmp_path)

        no_traceback(result)
        assert result.exit_code == 1
        assert result.stderr.startswith(
            "error: cannot run echo 'a\\0b': " if name == "arg" else "error: cannot run echo hi: "
        )
        assert "embedded null byte" in result.stderr
        assert "\0" not in result.output


# --- nesting depth -------------------------------------------------------------------------------

DEEP_CONFIG = """\
import os
from pydantic import SecretStr
import axogen as ax

DEPTH = int(os.environ["DEPTH"])

def dicts(levels, leaf="x"):
    value = leaf
    for _ in range(levels):
        value = {"k": value}
    return value

def lists(levels, leaf="x"):
    value = leaf
    for _ in range(levels):
        value = [value, 1]
    return value

targets = {}
for fmt in ("json", "yaml", "toml", "json5", "jsonc", "hjson", "cson"):
    factory = getattr(ax, fmt)
    targets[fmt] = factory(f"out/d.{fmt}", dicts(DEPTH))
    if fmt != "toml":  # TOML needs a mapping at the top
        targets[fmt + "-list"] = factory(f"out/l.{fmt}", lists(DEPTH))
    else:
        targets[fmt + "-list"] = factory(f"out/l.{fmt}", {"a": lists(DEPTH - 1)})
# the formats with a fixed top level: a mapping of sections or rows, then the nesting
for fmt in ("env", "properties", "xml"):
    targets[fmt] = getattr(ax, fmt)(f"out/d.{fmt}", {"s": dicts(DEPTH - 1)})
targets["ini"] = ax.ini("out/d.ini", {"s": dicts(DEPTH - 1)})
targets["secret"] = ax.json("secret/d.json", dicts(DEPTH, SecretStr("s3cr3t-Wq9zX2-deep")))
for engine, name in (("jinja2", "t.j2"), ("mustache", "t.mustache"), ("handlebars", "t.hbs")):
    targets[engine] = ax.template(
        f"out/{engine}.txt", {"v": dicts(DEPTH - 1), "w": lists(DEPTH - 1)},
        template=name, engine=engine,
    )
config = ax.define_config(targets=targets)
"""


def deep_project(root: Path) -> Path:
    return build_tree(
        root,
        {
            "axogen.config.py": DEEP_CONFIG,
            ".gitignore": "secret/\n",
            "t.j2": "{{ v }} {{ w }}\n",
            "t.mustache": "{{v}} {{w}}\n",
            "t.hbs": "{{v}} {{w}}\n",
        },
    )


def test_every_format_writes_data_nested_to_the_depth_limit(tmp_path: Path) -> None:
    # every walker after conversion (secret detector, dumpers, template engines) recurses,
    # some several frames a level: at the limit they must all fit in Python's default
    # recursion limit, below the CLI's own frames, in a real process
    from conftest import subprocess_env

    root = deep_project(tmp_path)

    result = run_proc(["generate"], cwd=root, env=subprocess_env(DEPTH=str(MAX_DEPTH)))

    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert "22 created" in result.stdout
    data = ax.load_file(root / "out/d.json")
    for _ in range(MAX_DEPTH):
        data = data["k"]
    assert data == "x"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 980, 5000])
def test_data_nested_past_the_limit_is_one_error_naming_the_target_and_the_limit(
    tmp_path: Path, depth: int
) -> None:
    from conftest import subprocess_env

    root = build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import os
                import axogen as ax
                value = "x"
                for _ in range(int(os.environ["DEPTH"])):
                    value = {"key": value}
                config = ax.define_config(targets={"deep": ax.yaml("deep.yaml", value)})
            """
        },
    )

    result = run_proc(["generate"], cwd=root, env=subprocess_env(DEPTH=str(depth)))

    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 1 target failed; nothing was written:\n"
        f"  - target 'deep' (deep.yaml): key.key.key: lists and dicts nest more than {MAX_DEPTH} "
        f"levels deep below this key; axogen refuses data deeper than {MAX_DEPTH} levels (does a "
        "list or dict contain itself?)\n"
    )
    assert not (root / "deep.yaml").exists()


def test_a_list_that_contains_itself_is_refused_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import axogen as ax
                loop = [1]
                loop.append(loop)
                config = ax.define_config(targets={"loop": ax.json("loop.json", {"a": loop})})
            """
        },
    )
    monkeypatch.chdir(tmp_path)

    result = run_cli("generate")

    assert result.exit_code == 1
    assert f"target 'loop' (loop.json): a[1][1]: lists and dicts nest more than {MAX_DEPTH}" in (
        result.stderr
    )


# --- YAML aliases ------------------------------------------------------------------------------


def laughs(levels: int, width: int = 9) -> str:
    """A "billion laughs" document: each anchor a list of `width` aliases of the one before."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, **kw: bool) -> str:
    build_tree(tmp_path, {"in.yaml": text})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        ax.load_file("in.yaml", **kw)
    return str(info.value)


@pytest.mark.parametrize("documents", [False, True])
def test_a_yaml_alias_bomb_is_refused_before_it_expands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, documents: bool
) -> None:
    bomb = laughs(10)
    assert len(bomb) < 1024  # about 4.4 billion nodes once expanded

    message = load_error(tmp_path, monkeypatch, bomb, documents=documents)

    assert message == (
        "in.yaml:1: invalid yaml: its aliases stand for 4,412,961,486 copies of nodes; axogen "
        f"refuses YAML whose aliases expand to more than {MAX_ALIAS_NODES:,} nodes (a 'billion "
        "laughs' file?)"
    )


def test_the_alias_limit_covers_a_stream_of_documents_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each document alone stays under the limit (672,588 nodes through aliases)
    one = laughs(6)
    build_tree(tmp_path, {"one.yaml": one})
    monkeypatch.chdir(tmp_path)
    assert len(ax.load_file("one.yaml")["a5"]) == 9

    message = load_error(tmp_path, monkeypatch, f"{one}---\n{one}", documents=True)

    assert "in.yaml:8: invalid yaml: its aliases stand for" in message
    assert f"more than {MAX_ALIAS_NODES:,} nodes" in message


def test_a_yaml_alias_inside_its_own_anchor_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = load_error(tmp_path, monkeypatch, "top: 1\nloop: &a [1, {again: *a}]\n")

    assert message == (
        "in.yaml:2: invalid yaml: an alias refers to a node that contains it (the data would "
        "hold itself without end)"
    )


def test_ordinary_anchors_aliases_and_merge_keys_still_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = textwrap.dedent(
        """\
        x-base: &base {image: app, env: [A, B]}
        services:
          web:
            <<: *base
            port: 80
          worker: *base
        note: "a * in a string"
        """
    )
    build_tree(tmp_path, {"compose.yaml": text})
    monkeypatch.chdir(tmp_path)

    data = ax.load_file("compose.yaml")

    assert data["services"]["web"] == {"image": "app", "env": ["A", "B"], "port": 80}
    assert data["services"]["worker"] == {"image": "app", "env": ["A", "B"]}
    assert ax.load_file("compose.yaml", documents=True) == [data]


def test_a_yaml_bomb_read_by_a_config_exits_1_in_a_real_process(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import axogen as ax
                data = ax.load_file("bomb.yaml")
                config = ax.define_config(targets={"t": ax.json("t.json", data)})
            """,
            "bomb.yaml": laughs(10),
        },
    )

    result = run_proc(["generate"], cwd=root)

    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: bomb.yaml:1: invalid yaml: its aliases stand for ")
    assert "(raised at axogen.config.py:2)" in result.stderr


def test_diff_against_a_hand_edited_file_nested_past_the_limit(tmp_path: Path) -> None:
    # the old file is parsed to find the secrets it holds; a file nested 900 deep (which
    # json reads, but the detector's walk cannot) must not end the diff in a traceback
    root = build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import axogen as ax
                config = ax.define_config(
                    targets={"t": ax.json("t.json", {"password": "hunter2-Qx9zLm4"})}
                )
            """,
            ".gitignore": "t.json\n",
            "t.json": '{"a":' * 900 + "1" + "}" * 900 + "\n",
        },
    )

    result = run_proc(["diff"], cwd=root)

    no_traceback(result)
    assert result.exit_code == 0
    assert '+  "password": "…(15 chars)"' in result.stdout
    assert "hunter2" not in result.output


def test_nested_deeper_than_counts_levels_like_to_plain() -> None:
    from axogen.values import ValueProblem, nested_deeper_than, to_plain

    at_limit: object = 1
    for _ in range(MAX_DEPTH):
        at_limit = [at_limit] if isinstance(at_limit, dict) else {"k": at_limit}
    past = [at_limit]

    assert not nested_deeper_than(at_limit)
    assert nested_deeper_than(past)
    to_plain(at_limit)
    with pytest.raises(ValueProblem):
        to_plain(past)


# --- os._exit in the config ------------------------------------------------------------------

EXIT_HINT = "  hint: a config cannot end axogen; raise an exception to stop with an error\n"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("os._exit(0)\n", 3),
        ("import posix\nposix._exit(0)\n", 4),
        # the config catches what os._exit raised and goes on: still an error
        (
            "try:\n    os._exit(0)\nexcept BaseException:\n    pass\nconfig = ax.define_config()\n",
            4,
        ),
    ],
    ids=["os", "posix", "caught"],
)
@pytest.mark.parametrize("args", [["generate"], ["list"], ["run"]])
def test_a_config_calling_os_exit_0_exits_1_with_an_error(
    tmp_path: Path, body: str, line: int, args: list[str]
) -> None:
    build_tree(tmp_path, {"axogen.config.py": "import os\nimport axogen as ax\n" + body})

    result = run_proc(args, cwd=tmp_path)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: axogen.config.py:{line}: the config called os._exit(0) while loading\n" + EXIT_HINT
    )


def test_os_exit_0_from_a_thread_of_the_config_exits_1(tmp_path: Path) -> None:
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import os, threading
                import axogen as ax
                thread = threading.Thread(target=lambda: os._exit(0))
                thread.start()
                thread.join()
                config = ax.define_config()
            """
        },
    )

    result = run_proc(["list"], cwd=tmp_path)

    assert result.exit_code == 1
    assert result.stderr == "error: the config called os._exit(0) while loading\n"


def test_a_process_the_config_forks_still_exits_as_it_asks(tmp_path: Path) -> None:
    # the child is a copy of axogen with os._exit replaced: it must end, not go on to run
    # the rest of the command (which would write the target a second time)
    build_tree(
        tmp_path,
        {
            "axogen.config.py": """\
                import os
                import axogen as ax
                pid = os.fork()
                if pid == 0:
                    os._exit(7)
                _, status = os.waitpid(pid, 0)
                code = os.waitstatus_to_exitcode(status)
                config = ax.define_config(targets={"t": ax.json("t.json", {"child": code})})
            """
        },
    )

    result = run_proc(["generate"], cwd=tmp_path)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("created   t.json (t)") == 1
    assert ax.load_file(tmp_path / "t.json") == {"child": 7}


def test_os_exit_is_restored_after_the_config_ran(tmp_path: Path) -> None:
    # in a process of its own: were os._exit not replaced, it would end pytest with 0
    build_tree(tmp_path, {"axogen.config.py": "import os\nimport axogen as ax\nos._exit(0)\n"})
    script = textwrap.dedent(
        """\
        import os, sys
        from axogen.cli import main
        real = os._exit
        try:
            main(["list"])
        except SystemExit as e:
            print("exit", e.code, os._exit is real, sys.modules[os.name]._exit is real)
        """
    )

    result = run_proc(["python", "-c", script], cwd=tmp_path)

    assert result.stdout == "exit 1 True True\n"


# --- template paths ------------------------------------------------------------------------------

OUTSIDE = "contents of a file outside the project"


def template_project(tmp_path: Path, spec: str, files: dict[str, str]) -> Path:
    """A project in tmp_path/proj whose one target is `ax.template("t.txt", {}, SPEC)`, and a
    folder tmp_path/outside beside it holding files the templates must never read."""
    build_tree(
        tmp_path / "outside",
        {"secret.txt": OUTSIDE, "t.j2": OUTSIDE, "part.mustache": OUTSIDE, "part.hbs": OUTSIDE},
    )
    return build_tree(
        tmp_path / "proj",
        {
            "axogen.config.py": "import axogen as ax\nconfig = ax.define_config(targets={\n"
            f'    "t": ax.template("t.txt", {{}}, {spec}),\n}})\n',
            **files,
        },
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ('template="../outside/t.j2"', "the template path '../outside/t.j2' points outside"),
        ('template="tpl/../../outside/t.j2"', "'tpl/../../outside/t.j2' points outside"),
        ('template="ABS/outside/t.j2"', "is absolute"),
        ('template="linked.j2"', "the template path 'linked.j2' leaves the project folder "),
        ('template="tpl/out/t.j2"', "'tpl/out/t.j2' leaves the project folder through a symlink"),
    ],
    ids=["dotdot", "inner-dotdot", "absolute", "symlinked-file", "symlinked-folder"],
)
def test_a_template_outside_the_project_is_refused(tmp_path: Path, spec: str, message: str) -> None:
    root = template_project(tmp_path, spec.replace("ABS", str(tmp_path)), {"tpl/ok.j2": "ok"})
    (root / "linked.j2").symlink_to(tmp_path / "outside" / "t.j2")
    (root / "tpl" / "out").symlink_to(tmp_path / "outside")

    result = run_proc(["generate"], cwd=root)

    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: template(): ")
    assert message in result.stderr
    assert "(raised at axogen.config.py:3)" in result.stderr
    assert "hint: template paths are relative to the folder of axogen.config.py" in result.stderr
    assert OUTSIDE not in result.output
    assert not (root / "t.txt").exists()


def test_a_template_symlinked_inside_the_project_is_fine(tmp_path: Path) -> None:
    root = template_project(tmp_path, 'template="tpl/link.j2"', {"shared/t.j2": "shared {{ 1 }}"})
    (root / "tpl").mkdir()
    (root / "tpl" / "link.j2").symlink_to(root / "shared" / "t.j2")

    result = run_proc(["generate"], cwd=root)

    assert result.exit_code == 0, result.stderr
    assert (root / "t.txt").read_text() == "shared 1\n"


INCLUDES = {
    "jinja2": ("t.j2", '{{% include "{name}" %}}\n', "secret.txt"),
    "mustache": ("t.mustache", "{{{{> {name}}}}}\n", "part.mustache"),
    "handlebars": ("t.hbs", "{{{{> {name}}}}}\n", "part.hbs"),
}


@pytest.mark.parametrize("engine", list(INCLUDES))
@pytest.mark.parametrize(
    ("name", "how"),
    [
        ("leak", " through a symlink"),  # a symlink in the folder to a file outside
        ("out/part", " through a symlink"),  # a name below a symlinked folder
        ("../up", ""),
    ],
    ids=["symlinked-file", "symlinked-folder", "dotdot"],
)
def test_an_include_or_partial_leaving_the_template_folder_is_refused(
    tmp_path: Path, engine: str, name: str, how: str
) -> None:
    main, source, target = INCLUDES[engine]
    suffix = "" if engine != "jinja2" else ".j2"  # jinja2 names include the extension
    include = name + suffix
    root = template_project(
        tmp_path,
        f'template="tpl/{main}", engine="{engine}"',
        # ../up exists (beside the folder, in the project): refused all the same
        {f"tpl/{main}": source.format(name=include), "up" + Path(main).suffix: "up"},
    )
    ext = Path(main).suffix
    (root / "tpl" / f"leak{ext}").symlink_to(tmp_path / "outside" / target)
    (root / "tpl" / "out").symlink_to(tmp_path / "outside")
    if engine == "jinja2":
        (tmp_path / "outside" / "part.j2").write_text(OUTSIDE)

    result = run_proc(["generate"], cwd=root)

    no_traceback(result)
    assert result.exit_code == 1
    what = "included template" if engine == "jinja2" else "partial"
    assert f"leaves the template's folder{how}; {what}s are read from the template's folder" in (
        result.stderr
    )
    assert result.stderr.startswith(
        "error: 1 target failed; nothing was written:\n  - target 't' (t.txt): tpl/t"
    )
    assert OUTSIDE not in result.output
    assert not (root / "t.txt").exists()


@pytest.mark.parametrize("engine", list(INCLUDES))
def test_includes_and_partials_symlinked_within_the_folder_are_fine(
    tmp_path: Path, engine: str
) -> None:
    main, source, _ = INCLUDES[engine]
    ext = Path(main).suffix
    name = "link" + (ext if engine == "jinja2" else "")
    root = template_project(
        tmp_path,
        f'template="tpl/{main}", engine="{engine}"',
        {f"tpl/{main}": source.format(name=name), f"tpl/parts/real{ext}": "inside"},
    )
    (root / "tpl" / f"link{ext}").symlink_to(root / "tpl" / "parts" / f"real{ext}")

    result = run_proc(["generate"], cwd=root)

    assert result.exit_code == 0, result.stderr
    assert (root / "t.txt").read_text().startswith("inside")


# --- ${VAR} expansion in env files ---------------------------------------------------------------


def test_an_env_file_whose_references_double_again_and_again_is_refused(tmp_path: Path) -> None:
    # 40 short lines: each value twice the one before, a terabyte once expanded
    lines = ["A0=xxxxxxxxxx", *(f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 40))]
    build_tree(
        tmp_path,
        {
            "axogen.config.py": NUL_CONFIG,
            ".env.axogen": "\n".join(lines) + "\n",
            ".gitignore": ".env.axogen\n",
        },
    )

    result = run_proc(["list"], cwd=tmp_path)

    no_traceback(result)
    assert result.exit_code == 1
    limit = 10 * len("\n".join(lines) + "\n") + 1_000_000
    assert result.stderr.startswith(
        f"error: .env.axogen:17: its ${{...}} references expand the file to more than {limit:,} "
        "characters"
    )
    assert "axogen refuses env files that grow this much" in result.stderr


def test_an_env_file_repeating_a_big_value_a_few_times_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import BaseModel

    class Env(BaseModel):
        A: str
        B: str

    big = "y" * 300_000
    build_tree(tmp_path, {".env.axogen": f"A={big}\nB=${{A}}-${{A}}-${{A}}-${{MISSING:-d}}\n"})
    monkeypatch.chdir(tmp_path)

    env = ax.load_env(Env)

    assert env.B == f"{big}-{big}-{big}-d"
