"""What `axogen init` writes: the example config, and a config inferred from existing .env files.

Pure: takes texts and values, returns texts. `commands/init.py` reads and writes the files.

Importing (`axogen init --from a/.env --from b/.env`):

- every key becomes a field of one `Env` model; its type comes from its value: `int`,
  `float` (only when the text is exactly how Python writes the number back), `bool` (only
  `true` / `false`), else `str`; a value that looks secret, or any value under a secret
  name (`*_PASSWORD`, `*_TOKEN`…), is a `SecretStr`;
- a key that has the same value in every file that holds it is one field; a key whose
  value differs between files gets one field per distinct value: the value most files
  share keeps the key's name, each other one is named after the first file holding it
  (`api/.env` -> `API_PORT`, `.env.production` -> `PRODUCTION_PORT`, `.env` -> `ROOT_PORT`);
- the values go to `.env.axogen`; a value means there what it meant to the readers of the
  file it came from. A reference (`$NAME`, `${NAME}`, `${NAME:-default}` in a bare or
  double-quoted value, which bash, Compose and dotenvx expand) stays a reference: it is
  written as `${NAME}` into `.env.axogen`, where axogen expands it when it loads the file,
  so the generated file holds what the readers read. A single-quoted `${NAME}` is literal to
  those readers: it is kept as the field's default in the model (python-dotenv would expand
  it in `.env.axogen`), and its target names the readers that keep it literal;
  `$(command)`, backticks and `$1`-style parameters in a bare or double-quoted value are
  refused: what they produce is not known before the file is read;
- one `ax.env` target per file, with its keys in their order, reproduces it.
"""

from __future__ import annotations

import dataclasses
import io
import json
import keyword
import re
import textwrap
from collections.abc import Collection, Sequence

from axogen.values import ValueProblem

ENV_FILE = ".env.axogen"
EXAMPLE_FILE = ".env.axogen.example"
# the lines .gitignore needs whatever the config: the files holding real values
# .env.keys: the private keys of encrypted env files (dotenvx); never committed
IGNORED_ENV_FILES = (".env.axogen", ".env.axogen.local", ".env.keys")

# what python-dotenv expands when it reads .env.axogen: `${NAME}` and `${NAME:-default}`
_EXPANDED = re.compile(r"\$\{[^}:]*(?::-[^}]*)?\}")
# a reference bash, Compose and dotenvx expand in a bare or double-quoted value
_REFERENCE = re.compile(
    r"\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}$`\\]*)?\}|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"
)
# what else a shell expands there: `$(`, `$1`, `$$`, `${X#y}`..., and backticks
_OTHER_EXPANSION = re.compile(r"\$[0-9{(\[@*#?$!-]|`")
_INT = re.compile(r"-?[0-9]+\Z")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+\Z")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# names a field cannot take in the generated module: they would shadow what it uses
# the readers that keep a single-quoted `${NAME}` literal: all but python-dotenv
LITERAL_READERS = (
    "bash",
    "dash",
    "python-dotenv-raw",
    "node-dotenv",
    "dotenvx",
    "compose",
)
_TAKEN_NAMES = frozenset({"str", "int", "float", "bool", "SecretStr", "Field", "BaseModel", "ax"})


class ImportProblem(Exception):
    """An env file that cannot be imported; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True, slots=True)
class EnvFile:
    """One parsed env file: `values` in file order, as python-dotenv reads them."""

    rel_path: str
    values: dict[str, str]
    export: bool = False
    # the quote character each key's value had: "'", '"' or "" (bare)
    quotes: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class ModelField:
    """A field of the inferred model and the value it gets."""

    name: str  # the Python attribute
    key: str  # its name in .env.axogen (an alias when it differs from `name`)
    value: str
    type: str  # "str", "int", "float", "bool" or "SecretStr"
    origin: str  # the first file holding this value
    source_key: str  # its name in the imported files
    # the files holding this value, when the key has other values in other files
    split_from: tuple[str, ...] = ()
    # the value refers to other variables (`$NAME`, `${NAME}`), which its readers expand
    reference: bool = False

    @property
    def literal(self) -> bool:
        """Kept as the model's default: .env.axogen would expand its `${NAME}`."""
        return not self.reference and bool(_EXPANDED.search(self.value))

    @property
    def env_text(self) -> str:
        """The value as `.env.axogen` holds it: a reference written as `${NAME}`."""
        from axogen.formats.env import quote

        if not self.reference:
            return quote(self.value, (self.key,))
        braced = _REFERENCE.sub(lambda m: "${" + m["name"] + "}" if m["name"] else m[0], self.value)
        return '"' + braced.replace("\\", "\\\\").replace('"', '\\"') + '"'

    @property
    def secret(self) -> bool:
        return self.type == "SecretStr"


@dataclasses.dataclass(frozen=True, slots=True)
class ImportedTarget:
    name: str
    file: EnvFile
    variables: tuple[tuple[str, ModelField], ...]  # (key in the file, its field)

    @property
    def has_secrets(self) -> bool:
        return any(f.secret for _, f in self.variables)


@dataclasses.dataclass(frozen=True, slots=True)
class Imported:
    fields: tuple[ModelField, ...]
    targets: tuple[ImportedTarget, ...]

    @property
    def secret_files(self) -> list[str]:
        return [t.file.rel_path for t in self.targets if t.has_secrets]

    @property
    def split_keys(self) -> dict[str, list[ModelField]]:
        """Keys whose value differs between files, with the field each value went to."""
        out: dict[str, list[ModelField]] = {}
        for field in self.fields:
            if field.split_from:
                out.setdefault(field.source_key, []).append(field)
        return out


# --- parsing -------------------------------------------------------------------------------------


def parse_env(text: str, rel_path: str) -> EnvFile:
    """Parse like python-dotenv without interpolation; a bad line is an error naming it."""
    from axogen.config.dotenv_text import quote_of
    from axogen.config.pydotenv import parse_stream

    values: dict[str, str] = {}
    quotes: dict[str, str] = {}
    exports: list[bool] = []
    for binding in parse_stream(io.StringIO(text)):
        raw = binding.original.string
        line = binding.original.line + raw[: len(raw) - len(raw.lstrip())].count("\n")
        if binding.error:
            raise ImportProblem(
                [f"{rel_path}:{line}: cannot parse this line (lines look like NAME=value)"]
            )
        if binding.key is None:
            continue
        # a key given twice keeps its first place and its last value, as python-dotenv does;
        # a bare `NAME` (no `=`) reads as None there and is written back as `NAME=`
        values[binding.key] = binding.value if binding.value is not None else ""
        quotes[binding.key] = quote_of(raw)
        exports.append(raw.lstrip().startswith("export"))
    return EnvFile(rel_path, values, export=bool(exports) and all(exports), quotes=quotes)


def is_reference(value: str, quote: str) -> bool:
    """Whether readers of the file expand `$NAME`/`${NAME}` in `value` (quoted by `quote`)."""
    return quote != "'" and bool(_REFERENCE.search(value))


def _expansion_problem(value: str, quote: str) -> str | None:
    if quote == "'" or not _OTHER_EXPANSION.search(_REFERENCE.sub("", value)):
        return None
    return (
        "bash, Compose and dotenvx expand `$(...)`, backticks or `$1`-style parameters in it, "
        "which axogen cannot know before the file is read; write the value out, or quote it "
        "with single quotes to mean it literally"
    )


# --- inference -----------------------------------------------------------------------------------


def infer_type(key: str, value: str) -> str:
    """The field type for `value` read from `key`; a secret is a SecretStr whatever it holds."""
    from axogen.secrets.detect import classify
    from axogen.secrets.keynames import STRONG, key_info

    if _EXPANDED.search(value):
        # a reference to another variable, kept literally: not a secret itself
        return "SecretStr" if classify(key, value) is not None else "str"
    if key_info(key)[0] == STRONG or classify(key, value) is not None:
        return "SecretStr"
    if value in ("true", "false"):
        return "bool"
    if _INT.match(value) and str(int(value)) == value:
        return "int"
    if _FLOAT.match(value) and repr(float(value)) == value:
        return "float"
    return "str"


def file_label(rel_path: str) -> str:
    """`api/.env` -> `API`, `.env.production` -> `PRODUCTION`, `.env` -> `ROOT`."""
    *folders, name = rel_path.split("/")
    stem = name
    for affix in (".env.", ".env", "env."):
        if stem.startswith(affix):
            stem = stem[len(affix) :]
            break
    stem = stem.removesuffix(".env")
    words = [*folders, stem] if stem else folders
    label = re.sub(r"[^A-Za-z0-9]+", "_", "_".join(words)).strip("_").upper()
    if not label:
        return "ROOT"
    return label if not label[0].isdigit() else f"F{label}"


def target_name(rel_path: str) -> str:
    """`api/.env` -> `api-env`, `.env.production` -> `env-production`."""
    return re.sub(r"[^a-z0-9]+", "-", rel_path.lower()).strip("-") or "env"


def _import_problems(file: EnvFile) -> list[str]:
    """Why values of `file` cannot be imported: one line each."""
    from axogen.formats.env import READERS, quote

    problems = []
    for key, value in file.values.items():
        if not _ENV_NAME.match(key):
            problems.append(
                f"{file.rel_path}: {key!r} is not a variable name ax.env can write "
                "(letters, digits and _, not starting with a digit)"
            )
            continue
        how = file.quotes.get(key, "")
        problem = _expansion_problem(value, how)
        if problem:
            problems.append(f"{file.rel_path}: {key}: {problem}")
            continue
        if is_reference(value, how):
            continue  # axogen expands it when it loads .env.axogen
        try:
            quote(value, (key,), LITERAL_READERS if _EXPANDED.search(value) else READERS)
        except ValueProblem as e:
            problems.append(f"{file.rel_path}: {key}: {e.reason}")
    return problems


def import_env_files(files: Sequence[EnvFile]) -> Imported:
    """Infer one model for all `files` and the targets that write them again."""
    problems = [p for file in files for p in _import_problems(file)]
    if problems:
        raise ImportProblem(problems)

    # per key, its distinct values with the files holding each, in order of appearance
    holders: dict[str, dict[str, list[str]]] = {}
    for file in files:
        for key, value in file.values.items():
            holders.setdefault(key, {}).setdefault(value, []).append(file.rel_path)

    labels = _unique_labels([f.rel_path for f in files])
    taken: set[str] = set()
    names: dict[tuple[str, str], str] = {}  # (key, value) -> field name
    others: list[tuple[str, str, str]] = []
    for key, by_value in holders.items():
        # the value most files share keeps the key's name; ties go to the first seen
        main = max(by_value, key=lambda v: len(by_value[v]))
        names[(key, main)] = _field_name(key, taken, avoid=())
        others.extend((key, v, rels[0]) for v, rels in by_value.items() if v != main)
    for key, value, first in others:
        names[(key, value)] = _field_name(f"{labels[first]}_{key}", taken, avoid=holders)

    fields: dict[str, ModelField] = {}
    targets: list[ImportedTarget] = []
    used = {"env-example"}
    for file in files:
        variables = []
        for key, value in file.values.items():
            name = names[(key, value)]
            if name not in fields:
                split = len(holders[key]) > 1
                fields[name] = ModelField(
                    name=name,
                    key=name if split else key,
                    value=value,
                    type=infer_type(key, value),
                    origin=file.rel_path,
                    source_key=key,
                    split_from=tuple(holders[key][value]) if split else (),
                    reference=is_reference(value, file.quotes.get(key, "")),
                )
            variables.append((key, fields[name]))
        tname = base = target_name(file.rel_path)
        n = 1
        while tname in used:
            n += 1
            tname = f"{base}-{n}"
        used.add(tname)
        targets.append(ImportedTarget(tname, file, tuple(variables)))
    return Imported(tuple(fields.values()), tuple(targets))


def _unique_labels(rel_paths: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for rel in rel_paths:
        label = base = file_label(rel)
        n = 1
        while label in out.values():
            n += 1
            label = f"{base}{n}"
        out[rel] = label
    return out


def _field_name(wanted: str, taken: set[str], *, avoid: Collection[str]) -> str:
    """A valid, unused Python attribute name for the env key `wanted`; records it in `taken`.

    `avoid`: names a renamed field must not take, so that no two fields share a key.
    """
    from pydantic import BaseModel

    name = wanted if _ENV_NAME.match(wanted) else re.sub(r"\W", "_", wanted)
    name = name.lstrip("_") or "value"
    if name[0].isdigit():
        name = f"v_{name}"
    if name.startswith("model_"):
        name = f"env_{name}"  # pydantic reserves the model_ prefix
    while (
        keyword.iskeyword(name)
        or name in _TAKEN_NAMES
        or hasattr(BaseModel, name)
        or name in taken
        or name in avoid
    ):
        name += "_"
    taken.add(name)
    return name


# --- rendering -----------------------------------------------------------------------------------


def py_str(text: str) -> str:
    """A double-quoted Python string literal for `text` (JSON's escapes are Python's too)."""
    return json.dumps(text, ensure_ascii=False)


_PLAIN_PATH = re.compile(r"[\w./@+,=-]+\Z")


def _shown(rel_path: str) -> str:
    """A path as docstrings and comments can hold it: escaped when it has odd characters."""
    return rel_path if _PLAIN_PATH.match(rel_path) else py_str(rel_path)


def _join(items: Sequence[str]) -> str:
    items = [_shown(i) for i in items]
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else items[0]


def render_import_config(imported: Imported) -> str:
    """The source of `axogen.config.py` for an import: the model, load_env, one target a file."""
    shown = _join([t.file.rel_path for t in imported.targets])
    pydantic_names = ["BaseModel"]
    if any(f.name != f.key for f in imported.fields):
        pydantic_names.append("Field")
    if any(f.secret for f in imported.fields):
        pydantic_names.append("SecretStr")

    imported_from = textwrap.fill(
        f"Imported: {shown}.", width=88, break_long_words=False, break_on_hyphens=False
    )
    out = [
        '"""axogen config, written by `axogen init` from existing .env files.',
        "",
        *imported_from.splitlines(),
        "",
        f"The values live in {ENV_FILE} (keep it out of git); `Env` validates them.",
        "`axogen generate` writes each imported file again from them. Change a value",
        f"in {ENV_FILE}, or give a field a default here, then run `axogen generate`.",
        '"""',
        "",
        "import axogen as ax",
        f"from pydantic import {', '.join(pydantic_names)}",
        "",
        "",
        "class Env(BaseModel):",
    ]
    if not imported.fields:
        out.append("    pass")
    origin = None
    for field in imported.fields:
        if field.origin != origin:
            origin = field.origin
            out.append(f"    # {_shown(origin)}")
        out.append(f"    {_field_line(field)}")
    out += [
        "",
        "",
        f"# override=True: the values in {ENV_FILE} win over variables of the same name",
        "# in the environment (USER, PORT...): generate writes exactly the imported values",
        "e = ax.load_env(Env, override=True)",
        "",
        "config = ax.define_config(",
        "    targets={",
    ]
    for target in imported.targets:
        out += [
            f"        {py_str(target.name)}: ax.env(",
            f"            {py_str(target.file.rel_path)},",
        ]
        if target.variables:
            out.append("            {")
            out.extend(
                f"                {py_str(key)}: e.{field.name}," for key, field in target.variables
            )
            out.append("            },")
        else:
            out.append("            {},")
        if target.file.export:
            out.append("            export=True,")
        if any(field.literal for _, field in target.variables):
            out.append(
                "            # python-dotenv expands ${...} even in single quotes: it would not "
                "read the literal values"
            )
            out.append(f"            readers={list(LITERAL_READERS)!r},".replace("'", '"'))
        out.append("        ),")
    out += [
        "        # documents every value of Env, without the real ones: commit it",
        f'        "env-example": ax.env_example({py_str(EXAMPLE_FILE)}, schema=Env),',
        "    },",
        ")",
    ]
    return "\n".join(out) + "\n"


def _field_line(field: ModelField) -> str:
    if field.literal:
        default = py_str(field.value)
        if field.secret:
            default = f"SecretStr({default})"
        if field.name != field.key:
            default = f"Field({default}, alias={py_str(field.key)})"
        note = f"kept here: {ENV_FILE} would expand ${{...}}"
        return f"{field.name}: {field.type} = {default}  # {note}"
    line = f"{field.name}: {field.type}"
    if field.name != field.key:
        line += f" = Field(alias={py_str(field.key)})"
    if field.split_from:
        line += f"  # {field.source_key} in {_join(field.split_from)}"
    return line


def render_import_env(imported: Imported) -> str:
    """`.env.axogen` for an import: every value but the literal ones, grouped by file."""
    shown = _join([t.file.rel_path for t in imported.targets])
    out = [
        f"# The values of axogen.config.py, imported from {shown}.",
        "# Real values: keep this file out of git (axogen init added it to .gitignore).",
    ]
    origin = None
    for field in imported.fields:
        if field.literal:
            continue
        if field.origin != origin:
            origin = field.origin
            out += ["", f"# {_shown(origin)}"]
        out.append(f"{field.key}={field.env_text}")
    return "\n".join(out) + "\n"


# --- the example config --------------------------------------------------------------------------

# the example's targets that hold a secret, for .gitignore
EXAMPLE_SECRET_FILES = ("generated/app.env",)
EXAMPLE_SECRET_KEY = "SECRET_KEY"

EXAMPLE_CONFIG = '''\
"""axogen config: this project's configuration, defined once.

`Env` declares the values. They come from .env.axogen (git-ignored) and the
environment, which wins: `APP_ENV=production axogen generate`. Each target is a file
`axogen generate` writes from them; `axogen check` exits 1 when one is out of date;
`axogen run serve` runs the command below.
"""

from typing import Literal

import axogen as ax
from pydantic import BaseModel, Field, SecretStr


class Env(BaseModel):
    APP_ENV: Literal["development", "staging", "production"] = "development"
    APP_PORT: int = Field(8000, description="The port the app listens on.")
    DATABASE_URL: str = "postgres://app@localhost:5432/app"
    SECRET_KEY: SecretStr = Field(
        min_length=32, description="Signs sessions. Set it in .env.axogen, not in git."
    )


e = ax.load_env(Env)

config = ax.define_config(
    targets={
        # holds SECRET_KEY: it is git-ignored and written with mode 0600
        "app-env": ax.env(
            "generated/app.env",
            {
                "APP_ENV": e.APP_ENV,
                "PORT": e.APP_PORT,
                "DATABASE_URL": e.DATABASE_URL,
                "SECRET_KEY": e.SECRET_KEY,
            },
        ),
        "settings": ax.json(
            "generated/settings.json",
            {"env": e.APP_ENV, "port": e.APP_PORT, "debug": e.APP_ENV == "development"},
        ),
        # documents every value of Env, without the real ones: commit it
        "env-example": ax.env_example(".env.axogen.example", schema=Env),
    },
    commands={
        "serve": ax.cmd(
            help="Serve this folder on APP_PORT (replace it with your app's command).",
            command=f"python3 -m http.server {e.APP_PORT}",
        ),
    },
)
'''


def example_env(secret_key: str) -> str:
    """`.env.axogen` for the example config."""
    return (
        "# The values of axogen.config.py. Real values: keep this file out of git.\n"
        "# The environment overrides them: APP_ENV=production axogen generate\n"
        f"{EXAMPLE_SECRET_KEY}={secret_key}\n"
    )
