"""`ax.load_file`: every format by its file name, errors with file and line, schemas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr

import axogen as ax
from axogen.loading import format_for
from conftest import build_tree, run_cli, subprocess_env

FILES: dict[str, tuple[str, Any]] = {
    ".env": ("A=1\nB='two words'\n", {"A": "1", "B": "two words"}),
    "app.json": ('{"a": [1, 2.5, null]}', {"a": [1, 2.5, None]}),
    "app.json5": ("// c\n{a: [1, 2.5, NaN,], 'b': Infinity}", None),
    "tsconfig.jsonc": ('// c\n{"a": 1, /* x */ "b": [1,],}', {"a": 1, "b": [1]}),
    "app.hjson": ("# c\n{\n  a: 1\n  b: two words\n}", {"a": 1, "b": "two words"}),
    "app.yaml": ("a: 1\nb: [x, y]\n", {"a": 1, "b": ["x", "y"]}),
    "app.yml": ("a: true\n", {"a": True}),
    "app.toml": ('a = 1\n[b]\nc = "d"\n', {"a": 1, "b": {"c": "d"}}),
    "app.ini": ("top = 1\n[s]\nKey = v\n", {"top": "1", "s": {"Key": "v"}}),
    "setup.cfg": ("[metadata]\nname = x\n", {"metadata": {"name": "x"}}),
    "app.properties": ("a.b=1\nc\\ d = e\\u00e9\n", {"a.b": "1", "c d": "e\u00e9"}),
    "app.xml": (
        '<config a="1"><b>x</b><b>y</b></config>',
        {"config": {"@a": "1", "b": ["x", "y"]}},
    ),
    "rows.csv": ("a,b\n1,\n", [{"a": "1", "b": ""}]),
    "app.cson": ("a: 1\nb: ['x']\n", {"a": 1, "b": ["x"]}),
    "notes.txt": ("just text\n", "just text\n"),
}


@pytest.mark.parametrize("name", list(FILES))
def test_every_format_by_its_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    text, want = FILES[name]
    build_tree(tmp_path, {name: text})
    monkeypatch.chdir(tmp_path)
    data = ax.load_file(name)
    if name == "app.json5":
        assert (
            data["a"][:2] == [1, 2.5] and data["a"][2] != data["a"][2] and data["b"] == float("inf")
        )
    else:
        assert data == want


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        (".env", "env"),
        (".env.example", "env"),
        (".env.local", "env"),
        (".env.production", "env"),
        ("service.env", "env"),
        ("api.env.example", "env"),
        ("dir/.env.json", "json"),
        ("CONFIG.YAML", "yaml"),
        ("Dockerfile", None),
        ("x.j2", None),
        ("env", None),
    ],
)
def test_format_from_the_file_name(name: str, fmt: str | None) -> None:
    assert format_for(name) == fmt


def test_format_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tree(tmp_path, {"settings": '{"a": 1}', "x.txt": "a: 1\n"})
    monkeypatch.chdir(tmp_path)
    assert ax.load_file("settings", format="json") == {"a": 1}
    assert ax.load_file("x.txt", format="yaml") == {"a": 1}
    with pytest.raises(ax.ConfigError, match="cannot tell the format"):
        ax.load_file("settings")
    with pytest.raises(ax.ConfigError, match="unknown format 'template'"):
        ax.load_file("x.txt", format="template")
    with pytest.raises(ax.ConfigError, match=r"nope\.json: no such file"):
        ax.load_file("nope.json")


def test_yaml_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = "# k8s\n---\nkind: Deployment\n---\nkind: Service\n...\n"
    build_tree(
        tmp_path, {"k8s.yaml": stream, "one.yaml": "a: 1\n", "empty.yaml": "", "a.json": "1"}
    )
    monkeypatch.chdir(tmp_path)

    assert ax.load_file("k8s.yaml", documents=True) == [
        {"kind": "Deployment"},
        {"kind": "Service"},
    ]
    assert ax.load_file("one.yaml", documents=True) == [{"a": 1}]
    assert ax.load_file("empty.yaml", documents=True) == []

    class Manifest(BaseModel):
        kind: str

    kinds = ax.load_file("k8s.yaml", schema=list[Manifest], documents=True)
    assert [m.kind for m in kinds] == ["Deployment", "Service"]

    with pytest.raises(ax.ConfigError) as e:
        ax.load_file("k8s.yaml")
    assert str(e.value) == (
        "k8s.yaml:4: invalid yaml: but found another document (column 1)\n"
        "  hint: the file holds several YAML documents: load_file(..., documents=True)"
    )
    with pytest.raises(ax.ConfigError, match="documents=True is for YAML files"):
        ax.load_file("a.json", documents=True)
    with pytest.raises(ax.ConfigError, match="documents must be True or False, got 'yes'"):
        ax.load_file("k8s.yaml", documents="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("a.json", '{\n  "a": 1,\n  "b": \n}', "a.json:4: invalid json"),
        ("a.jsonc", '// x\n/* y\n */\n{"a": 1 "b": 2}', "a.jsonc:4: invalid jsonc"),
        ("a.json5", "{\n  a: 1,\n  b: ,\n}", "a.json5:3: invalid json5"),
        ("a.hjson", "{\n  a: [\n}", "a.hjson:3: invalid hjson"),
        ("a.yaml", "a: [1\nb: 2\n", "a.yaml:2: invalid yaml"),
        ("a.toml", "a = 1\nb = \n", "a.toml:2: invalid toml"),
        ("a.ini", "a = 1\n[s]\nx = 1\nx = 2\n", "a.ini:4: invalid ini"),
        ("a.xml", "<a>\n<b>\n</a>", "a.xml:3: invalid xml"),
        ("a.csv", "a\n1\n1,2\n", "a.csv:3: invalid csv"),
        ("a.cson", "a: 1\n  b: 2\n", "a.cson:2: invalid cson"),
    ],
)
def test_errors_name_the_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, where: str
) -> None:
    build_tree(tmp_path, {name: text})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ax.ConfigError) as info:
        ax.load_file(name)
    assert str(info.value).startswith(where), str(info.value)


def test_xml_entities_are_never_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><l>&b;</l>'
    build_tree(tmp_path, {"bomb.xml": bomb})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ax.ConfigError, match=r"bomb\.xml: invalid xml: refused for safety"):
        ax.load_file("bomb.xml")


def test_a_byte_order_mark_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.json").write_bytes(b'\xef\xbb\xbf{"a": 1}')
    monkeypatch.chdir(tmp_path)
    assert ax.load_file("a.json") == {"a": 1}


class Db(BaseModel):
    host: str
    port: int
    password: SecretStr


class Settings(BaseModel):
    name: str
    debug: bool
    db: Db


class Row(BaseModel):
    name: str
    port: int


def test_schema_returns_typed_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_tree(
        tmp_path,
        {
            "s.ini": "name = shop\ndebug = true\n[db]\nhost = h\nport = 5432\npassword = pw\n",
            "rows.csv": "name,port\na,1\nb,2\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    settings = ax.load_file("s.ini", schema=Settings)
    assert isinstance(settings, Settings)
    assert settings.db.port == 5432 and settings.debug is True
    assert settings.db.password.get_secret_value() == "pw"
    assert ax.load_file("rows.csv", schema=list[Row]) == [
        Row(name="a", port=1),
        Row(name="b", port=2),
    ]


def test_schema_errors_list_every_field_without_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(
        tmp_path,
        {
            "s.json": json.dumps(
                {"name": 1, "debug": "maybe", "db": {"port": "x", "password": "hunter2-secret"}}
            )
        },
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ax.ConfigError) as info:
        ax.load_file("s.json", schema=Settings)
    message = str(info.value)
    assert message.splitlines() == [
        "load_file: s.json does not match the schema:",
        "  - name: Input should be a valid string",
        "  - debug: Input should be a valid boolean, unable to interpret input",
        "  - db.host: Field required",
        "  - db.port: Input should be a valid integer, unable to parse string as an integer",
    ]
    assert "hunter2" not in message and "maybe" not in message


CONFIG = """\
import axogen as ax

settings = ax.load_file("data/settings.yaml")
config = ax.define_config(targets={
    "app": ax.json("out/app.json", {"name": settings["name"]}),
})
"""


def test_paths_are_relative_to_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(
        tmp_path / "proj", {"axogen.config.py": CONFIG, "data/settings.yaml": "name: shop\n"}
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("-C", "proj", "generate")
    assert result.exit_code == 0, result.output
    assert json.loads((root / "out/app.json").read_text()) == {"name": "shop"}


def test_an_error_in_a_loaded_file_names_it_and_the_config_line(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path / "proj", {"axogen.config.py": CONFIG, "data/settings.yaml": "name: [\n"}
    )
    result = run_cli("-C", str(root), "generate")
    assert result.exit_code == 1
    assert "data/settings.yaml:2: invalid yaml" in result.output
    assert "axogen.config.py:3" in result.output


NEW_LIBRARIES = (
    "json5",
    "hjson",
    "javaproperties",
    "xmltodict",
    "defusedxml",
    "jinja2",
    "chevron",
    "pybars",
    "pydantic",
    "yaml",
)


def test_new_factories_and_load_file_import_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import json, sys, axogen\n"
        "for name in ('json5', 'jsonc', 'hjson', 'ini', 'properties', 'xml', 'csv', 'cson', 'template', 'load_file'):\n"
        "    getattr(axogen, name)\n"
        "axogen.xml('a.xml', {'a': 1}); axogen.csv('a.csv', [{'a': 1}])\n"
        f"print(json.dumps(sorted(m for m in {NEW_LIBRARIES!r} if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
