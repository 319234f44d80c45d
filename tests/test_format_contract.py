"""The format contract: every registered format, end to end through the CLI, and the target
factories made from the records (checks, messages, signatures, lazy imports)."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import axogen as ax
from axogen.formats import FORMATS, get_format, loadable
from axogen.formats.contract import REQUIRED, Format, boolean, flag, unchecked
from conftest import build_tree, git_init, run_proc

FACTORIES = [name for name in FORMATS if get_format(name).factory]


def _path(fmt: Format) -> str:
    if fmt.default_path is not None:
        return fmt.default_path
    return f"out{fmt.extensions[0]}" if fmt.extensions else "out.conf"


def _config(fmt: Format) -> str:
    example = fmt.example
    args = [repr(_path(fmt))]
    if fmt.takes_variables:
        args.append(repr(example.variables))
    if example.schema is not None:
        args.append(f"schema={example.schema}")
    args.extend(f"{key}={value!r}" for key, value in example.options.items())
    return (
        f"import axogen as ax\n{example.setup}\n"
        f"config = ax.define_config(targets={{'t': ax.{fmt.name}({', '.join(args)})}})\n"
    )


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_registered_format_generates_checks_and_reads_back(tmp_path: Path, name: str) -> None:
    fmt = get_format(name)
    example = fmt.example
    expected = example.variables if example.loads_as is REQUIRED else example.loads_as
    git_init(tmp_path)
    build_tree(tmp_path, dict(example.files))
    if fmt.factory:
        (tmp_path / "axogen.config.py").write_text(_config(fmt), encoding="utf-8")
        out = tmp_path / _path(fmt)
    else:
        # a format axogen only reads: load_file reads a file of it into a JSON target
        assert fmt.dump is not None
        source = f"in{fmt.extensions[0]}"
        (tmp_path / source).write_text(fmt.dump(example.variables, header=None), "utf-8")
        (tmp_path / "axogen.config.py").write_text(
            "import axogen as ax\nconfig = ax.define_config(targets={'t': ax.json("
            f"'out.json', {{'data': ax.load_file({source!r})}})}})\n",
            encoding="utf-8",
        )
        out, expected = tmp_path / "out.json", {"data": expected}

    generated = run_proc(["generate"], cwd=tmp_path)
    assert generated.exit_code == 0, generated.output
    written = out.read_bytes()
    checked = run_proc(["check"], cwd=tmp_path)
    assert checked.exit_code == 0, checked.output
    assert out.read_bytes() == written

    load = get_format("json").load if not fmt.factory else fmt.load
    if load is None:  # only written (a template, a .env.example): the text is there
        assert written.strip()
        return
    assert load(written.decode("utf-8")) == expected


@pytest.mark.parametrize("name", list(FORMATS))
def test_each_module_declares_the_record_of_its_name(name: str) -> None:
    module = importlib.import_module(FORMATS[name])
    records = [v for v in vars(module).values() if isinstance(v, Format)]
    assert records == [module.FORMAT]
    fmt = get_format(name)
    assert fmt.name == name
    assert fmt.dump is not None or fmt.dump_schema is not None
    names = [o.name for o in fmt.options]
    assert len(set(names)) == len(names)
    if fmt.factory:
        assert getattr(ax, name) is getattr(ax, name)  # made once
        assert name in ax.__all__
    else:
        assert not hasattr(ax, name)


def test_load_file_reads_the_formats_with_a_load_in_registry_order() -> None:
    assert loadable() == tuple(n for n in FORMATS if get_format(n).load is not None)
    assert "template" not in loadable() and "env_example" not in loadable()


@pytest.mark.parametrize("name", FACTORIES)
def test_the_signature_and_help_come_from_the_record(name: str) -> None:
    fmt = get_format(name)
    factory = getattr(ax, name)
    params = inspect.signature(factory).parameters
    assert factory.__name__ == name
    assert ("variables" in params) == fmt.takes_variables
    for common in ("schema", "condition", "header", "mode", "backup"):
        assert params[common].kind is inspect.Parameter.KEYWORD_ONLY
    for option in fmt.options:
        param = params[option.name]
        assert param.kind is inspect.Parameter.KEYWORD_ONLY
        default = inspect.Parameter.empty if option.default is REQUIRED else option.default
        assert param.default == default
        assert option.name in (factory.__doc__ or "")
    assert inspect.cleandoc(fmt.doc) in (factory.__doc__ or "")


def _required(fmt: Format) -> dict[str, Any]:
    return dict(fmt.example.options) if any(o.default is REQUIRED for o in fmt.options) else {}


@pytest.mark.parametrize("name", FACTORIES)
def test_defaults_come_from_the_record_and_a_misspelt_option_names_the_valid_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    fmt = get_format(name)
    build_tree(tmp_path, dict(fmt.example.files))
    monkeypatch.chdir(tmp_path)
    schema = {"schema": _model()} if fmt.needs_schema else {}
    target = getattr(ax, name)("out.x", **schema, **_required(fmt))
    assert target.format == name
    for option in fmt.options:
        if option.default is not REQUIRED:
            assert target.options[option.name] == option.check(option.default)

    with pytest.raises(TypeError) as info:
        getattr(ax, name)("out.x", **schema, **_required(fmt), sort_kyes=True)
    message = str(info.value)
    assert message.startswith(f"{name}() got an unexpected keyword argument 'sort_kyes'")
    assert all(o.name in message for o in fmt.options)


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (name, option.name)
        for name in FACTORIES
        for option in get_format(name).options
        if option.check not in (flag, unchecked)
    ],
)
def test_each_checked_option_refuses_a_wrong_type_naming_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, option: str
) -> None:
    fmt = get_format(name)
    build_tree(tmp_path, dict(fmt.example.files))
    monkeypatch.chdir(tmp_path)
    schema = {"schema": _model()} if fmt.needs_schema else {}
    given = {**_required(fmt), option: 1.5}
    with pytest.raises(TypeError, match=rf"^{name}\(\): {option} (must|has) .*1\.5"):
        getattr(ax, name)("out.x", **schema, **given)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ax.json("a.json", indent=-1), "json(): indent must be a non-negative int, got -1"),
        (lambda: ax.json("a.json", indent=True), "json(): indent must be a non-negative int"),
        (lambda: ax.yaml("a.yaml", indent=1), "yaml(): indent must be between 2 and 9, got 1"),
        (lambda: ax.yaml("a.yaml", documents=1), "yaml(): documents must be True or False"),
        (
            lambda: ax.cson("a.cson", indent=0),
            "cson(): indent must be at least 1 (CSON nests by indentation)",
        ),
        (lambda: ax.ini("a.ini", delimiter="-"), "ini(): delimiter must be = or : with"),
        (lambda: ax.ini("a.ini", default_section=""), "ini(): default_section must be a non-e"),
        (lambda: ax.properties("a.properties", separator="-"), "properties(): separator must"),
        (lambda: ax.xml("a.xml", root=""), "xml(): root must be a non-empty string, got ''"),
        (lambda: ax.csv("a.csv", delimiter=";;"), "csv(): delimiter must be one character"),
        (lambda: ax.csv("a.csv", quote_char="\n"), "csv(): quote_char must be one character"),
        (lambda: ax.csv("a.csv", delimiter="'", quote_char="'"), "csv(): delimiter and quote_"),
        (lambda: ax.csv("a.csv", line_terminator="\r"), 'csv(): line_terminator must be "\\n"'),
        (lambda: ax.csv("a.csv", columns="ab"), "csv(): columns must be a list of strings"),
        (lambda: ax.csv("a.csv", columns=["a", "a"]), "csv(): columns has a name twice: ['a',"),
        (lambda: ax.json(""), "json(): path must be a non-empty string, got ''"),
        (lambda: ax.json("a.json", header=1), "json(): header must be True, False or a string"),
        (lambda: ax.json("a.json", mode=0o1000), "json(): mode must be an int such as 0o600"),
        (lambda: ax.json(), "json() missing 1 required positional argument: 'path'"),
        (lambda: ax.env_example(), "env_example() missing 1 required keyword-only argument"),
        (lambda: ax.env_example(schema=dict), "env_example(): schema must be a pydantic model"),
        (lambda: ax.env_example("a", {"A": 1}, schema=_model()), "env_example() takes no var"),
        (lambda: ax.template("a"), "template() missing 1 required keyword-only argument"),
        (lambda: ax.template("a", template=""), "template(): template must be a file path"),
    ],
)
def test_factory_errors_say_which_call_and_which_argument(call: Any, message: str) -> None:
    with pytest.raises(TypeError) as info:
        call()
    assert str(info.value).startswith(message)


def test_a_factory_stores_what_the_checks_return(tmp_path: Path) -> None:
    target = ax.csv(tmp_path / "a.csv", None, columns=("a", "b"), mode=0o600, condition=0)
    assert target.path == str(tmp_path / "a.csv")
    assert target.variables == [] and target.options["columns"] == ["a", "b"]
    assert target.mode == 0o600 and target.condition is False
    assert ax.env(".env").variables == {}
    assert ax.json("a.json", sort_keys=1).options["sort_keys"] is True  # as before: truthiness
    assert ax.env_example(schema=_model()).path == ".env.example"
    assert boolean(False) is False


def test_import_axogen_loads_no_format_and_a_factory_loads_only_its_own() -> None:
    code = (
        "import sys, axogen as ax\n"
        "before = sorted(m for m in sys.modules if m.startswith('axogen.formats'))\n"
        "ax.env('.env', {'A': 1})\n"
        "after = sorted(m for m in sys.modules if m.startswith('axogen.formats'))\n"
        "libraries = [m for m in ('yaml', 'tomli_w', 'json5', 'dotenv') if m in sys.modules]\n"
        "print(repr((before, after, libraries)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    before, after, libraries = eval(out)
    assert before == []
    assert after == ["axogen.formats", "axogen.formats.contract", "axogen.formats.env"]
    assert libraries == []


def test_an_option_value_is_written_as_the_format_dumps_it(tmp_path: Path) -> None:
    git_init(tmp_path)
    (tmp_path / "axogen.config.py").write_text(
        "import axogen as ax\nconfig = ax.define_config(targets={"
        "'a': ax.json('a.json', {'b': 1, 'a': [1]}, indent=0, sort_keys=True, header=False)})\n",
        encoding="utf-8",
    )
    result = run_proc(["generate"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.json").read_text() == '{"a":[1],"b":1}\n'
    assert json.loads((tmp_path / "a.json").read_text()) == {"a": [1], "b": 1}


def _model() -> type:
    from pydantic import BaseModel

    class Env(BaseModel):
        PORT: int = 8080

    return Env
