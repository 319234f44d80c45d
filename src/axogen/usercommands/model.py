"""Project commands as a config declares them: records, factories (`cmd`, `group`, ...), checks."""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any, Final, Literal, NamedTuple

# every config that defines commands imports this module: it imports only light ones, and
# each factory checks its arguments at once, so a mistake points at the config's line


class _Missing(enum.Enum):
    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing.MISSING

_METAVARS: Final[Mapping[Any, str]] = {
    str: "TEXT",
    int: "INTEGER",
    float: "FLOAT",
    bool: "BOOLEAN",
    Path: "PATH",
    PurePath: "PATH",
}


class Shape(NamedTuple):
    """How a parameter's type appears on the command line."""

    optional: bool  # `T | None`: may be left out, then None
    many: bool  # `list[T]`: repeatable option, or an argument taking the remaining words
    flag: bool  # `bool` option: `--name/--no-name`
    choices: tuple[Any, ...]  # `Literal[...]` or Enum values
    metavar: str
    path: bool  # a Path: completed as a file name


class Param(NamedTuple):
    """A typed argument (`arg(...)`) or option (`option(...)`) of a command."""

    kind: Literal["argument", "option"]
    annotation: Any
    shape: Shape
    help: str | None = None
    default: Any = MISSING
    short: str | None = None

    @property
    def required(self) -> bool:
        return self.default is MISSING and not (
            self.shape.optional or self.shape.flag or (self.shape.many and self.kind == "option")
        )


class Cmd(NamedTuple):
    """A command built with `cmd(...)`: a shell string, or a callable with typed parameters."""

    help: str | None
    command: str | None
    exec: Callable[..., Any] | None
    args: Mapping[str, Param]
    options: Mapping[str, Param]
    depends: tuple[str, ...]


class Group(NamedTuple):
    """Commands under one name (`axogen run db migrate`), built with `group(...)`."""

    help: str | None
    commands: Mapping[str, Any]


class Parallel(NamedTuple):
    """Shell commands run at once, each line of output prefixed with its label."""

    commands: Mapping[str, str]
    help: str | None = None


def arg(annotation: Any, /, *, help: str | None = None, default: Any = MISSING) -> Param:
    """A positional argument of type `annotation`, validated by pydantic."""
    _check_help("arg()", help)
    return Param("argument", annotation, shape_of(annotation, "arg()"), help, default)


def option(
    annotation: Any,
    /,
    *,
    help: str | None = None,
    default: Any = MISSING,
    short: str | None = None,
) -> Param:
    """An option of type `annotation`; `dry_run` is offered as `--dry-run`, `bool` as a switch."""
    _check_help("option()", help)
    shape = shape_of(annotation, "option()")
    if short is not None:
        letter = short.lstrip("-") if isinstance(short, str) else ""
        if len(letter) != 1 or not letter.isascii() or not letter.isalnum() or letter == "h":
            raise TypeError(
                f"option(): short must be one letter or digit such as 'f' (not 'h', kept for "
                f"help), got {short!r}"
            )
        short = letter
    if default is MISSING and shape.flag:
        default = None if shape.optional else False
    return Param("option", annotation, shape, help, default, short)


def cmd(
    *,
    help: str | None = None,
    command: str | None = None,
    exec: Callable[..., Any] | None = None,
    args: Mapping[str, Param] | None = None,
    options: Mapping[str, Param] | None = None,
    depends: Sequence[str] = (),
) -> Cmd:
    """A command: a shell string (`command=`) or a callable taking the context (`exec=`)."""
    _check_help("cmd()", help)
    if (command is None) == (exec is None):
        raise TypeError(
            "cmd(): give exactly one of command= (a shell string) or exec= (a callable)"
        )
    if command is not None:
        if not isinstance(command, str) or not command.strip():
            raise TypeError(f"cmd(): command must be a non-empty shell string, got {command!r}")
        if args or options:
            raise TypeError(
                "cmd(): args and options need exec= (a callable that receives them); a command= "
                "string gets the extra words of the command line appended instead"
            )
    if exec is not None and not callable(exec):
        raise TypeError(f"cmd(): exec must be a callable taking the context, got {exec!r}")
    if isinstance(depends, str) or not all(isinstance(d, str) and d.strip() for d in depends):
        raise TypeError(
            f"cmd(): depends must be a list of command names such as ['build', 'db migrate'], "
            f"got {depends!r}"
        )
    declared_args = _check_params("args", args, "argument")
    declared_options = _check_params("options", options, "option")
    both = set(declared_args) & set(declared_options)
    if both:
        raise TypeError(f"cmd(): {sorted(both)} declared both as an argument and an option")
    _check_argument_order(declared_args)
    return Cmd(
        help=help,
        command=command,
        exec=exec,
        args=declared_args,
        options=declared_options,
        depends=tuple(" ".join(d.split()) for d in depends),
    )


def group(*, help: str | None = None, commands: Mapping[str, Any]) -> Group:
    """Commands gathered under one name; groups nest to any depth."""
    _check_help("group()", help)
    problems = validate_commands(commands)
    if problems:
        raise TypeError("group(): " + "; ".join(problems))
    return Group(help=help, commands=dict(commands))


def parallel(*commands: str | Mapping[str, str], help: str | None = None) -> Parallel:
    """Shell commands started together; every one is waited for, and if any fails, so does this.

    `parallel({"auth": "npm start", "web": "vite"})` labels each line of output with the key;
    `parallel("npm start", "vite")` labels it with the program's name.
    """
    _check_help("parallel()", help)
    labelled: dict[str, str] = {}
    for item in commands:
        pairs = item.items() if isinstance(item, Mapping) else [(_label(item), item)]
        for label, command in pairs:
            if not isinstance(command, str) or not command.strip():
                raise TypeError(f"parallel(): commands must be shell strings, got {command!r}")
            if not isinstance(label, str) or not label:
                raise TypeError(f"parallel(): labels must be non-empty strings, got {label!r}")
            unique, n = label, 1
            while unique in labelled:
                n += 1
                unique = f"{label}#{n}"
            labelled[unique] = command
    if not labelled:
        raise TypeError("parallel(): give at least one command")
    return Parallel(commands=labelled, help=help)


class Values(Mapping[str, Any]):
    """Validated arguments or options: `ctx.options.dry_run`, or `ctx.options["dry_run"]`."""

    __slots__ = ("_data", "_kind")

    def __init__(self, data: Mapping[str, Any], kind: str = "value") -> None:
        self._data = dict(data)
        self._kind = kind

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in self.__slots__:
            raise AttributeError(name)  # copy and pickle probe before __init__ has run
        try:
            return self._data[name]
        except KeyError:
            declared = ", ".join(self._data) or "none"
            raise AttributeError(f"no {self._kind} named {name!r} (declared: {declared})") from None

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        inside = ", ".join(f"{k}={v!r}" for k, v in self._data.items())
        return f"Values({inside})"


class CommandContext:
    """What a callable command receives.

    `args` and `options` hold the validated values under their Python names; `env` is the
    model the config's first `load_env` returned (None without one); `cwd` is the config's
    folder, where commands run. `run("db migrate", steps=2)` runs another defined command
    (`run("test", "-k", "slow")` passes command-line words instead).
    """

    __slots__ = ("_call", "args", "config", "cwd", "env", "name", "options", "quiet", "verbose")

    def __init__(
        self,
        *,
        name: str,
        args: Values,
        options: Values,
        env: Any,
        config: Any,
        cwd: Path,
        verbose: bool,
        quiet: bool,
        _call: Callable[[str, tuple[str, ...], dict[str, Any]], None],
    ) -> None:
        self.name: Final = name
        self.args: Final = args
        self.options: Final = options
        self.env: Final = env
        self.config: Final = config
        self.cwd: Final = cwd
        self.verbose: Final = verbose
        self.quiet: Final = quiet
        self._call: Final = _call

    def __repr__(self) -> str:
        return (
            f"CommandContext(name={self.name!r}, args={self.args!r}, options={self.options!r}, "
            f"cwd={self.cwd!r}, verbose={self.verbose}, quiet={self.quiet})"
        )

    def run(self, name: str, *words: str, **values: Any) -> None:
        """Run the command `name` ("db migrate"); raises CommandFailed if it fails."""
        self._call(name, words, values)


def shape_of(annotation: Any, where: str) -> Shape:
    """The command-line shape of a parameter type; unsupported types are a TypeError."""
    inner, optional = strip_none(annotation)
    many = inner is list or typing.get_origin(inner) is list
    item = (typing.get_args(inner) or (str,))[0] if many else inner
    if item in (list, dict, set, tuple) or typing.get_origin(item) in (list, dict, set, tuple):
        raise TypeError(
            f"{where}: type {_type_name(annotation)} is not supported; use str, int, float, bool, "
            "Path, Literal[...], an Enum, list[T] or T | None"
        )
    choices: tuple[Any, ...] = ()
    if typing.get_origin(item) is Literal:
        choices = typing.get_args(item)
    elif isinstance(item, type) and issubclass(item, enum.Enum):
        choices = tuple(member.value for member in item)
    if choices:
        metavar = "[" + "|".join(str(c) for c in choices) + "]"
    else:
        metavar = _METAVARS.get(item) or _type_name(item).upper()
    is_path = isinstance(item, type) and issubclass(item, PurePath)
    return Shape(optional, many, item is bool and not many, choices, metavar, is_path)


def validate_commands(commands: Any, prefix: str = "") -> list[str]:
    """What is wrong with a `commands` mapping (names and definitions), one line per problem."""
    if not isinstance(commands, Mapping):
        return [f"commands must be a dict of name -> command, got {type(commands).__name__}"]
    problems = []
    for name, node in commands.items():
        shown = f"{prefix}{name}"
        if not isinstance(name, str) or not name or name.startswith("-") or name.split() != [name]:
            problems.append(f"command name {name!r} must be one word that does not start with '-'")
        elif isinstance(node, str):
            if not node.strip():
                problems.append(f"command {shown!r} is an empty string")
        elif not isinstance(node, (Cmd, Group, Parallel)) and not callable(node):
            problems.append(
                f"command {shown!r} is a {type(node).__name__}; use a shell string, a callable, "
                "ax.cmd(...), ax.group(...) or ax.parallel(...)"
            )
    return problems


def shell_command(node: Any) -> str | None:
    """The shell string a definition runs, or None for callables, groups and parallel runs."""
    if isinstance(node, str):
        return node
    return node.command if isinstance(node, Cmd) else None


def describe_commands(
    commands: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """(path, one-line description) for every command, groups followed by their members."""
    rows: list[tuple[str, str]] = []
    for name, node in commands.items():
        path = (*prefix, str(name))
        rows.append((" ".join(path), describe(node)))
        if isinstance(node, Group):
            rows.extend(describe_commands(node.commands, path))
    return rows


def describe(node: Any) -> str:
    """The first line of a command's help, or what it runs."""
    if isinstance(node, str):
        return node
    if isinstance(node, (Cmd, Group, Parallel)) and node.help:
        return _first_line(node.help)
    if isinstance(node, Cmd):
        return node.command if node.command is not None else describe(node.exec)
    if isinstance(node, Parallel):
        return "in parallel: " + ", ".join(node.commands)
    if callable(node):
        return _first_line(node.__doc__ or "")
    return ""


def _first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0] if stripped else ""


def strip_none(annotation: Any) -> tuple[Any, bool]:
    """`T | None` -> (T, True); any other type -> (it, False)."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return annotation, False
    members = typing.get_args(annotation)
    rest = tuple(m for m in members if m is not type(None))
    if len(rest) == len(members):
        return annotation, False
    return (rest[0] if len(rest) == 1 else typing.Union[rest]), True  # noqa: UP007


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _label(command: Any) -> str:
    words = command.split() if isinstance(command, str) else []
    return PurePath(words[0]).name if words else "?"


def _check_help(where: str, help: Any) -> None:
    if help is not None and not isinstance(help, str):
        raise TypeError(f"{where}: help must be a string, got {help!r}")


def _check_params(what: str, params: Any, kind: str) -> dict[str, Param]:
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise TypeError(f"cmd(): {what} must be a dict of name -> ax.{kind[:3]}(...)")
    factory = "ax.arg(...)" if kind == "argument" else "ax.option(...)"
    checked: dict[str, Param] = {}
    for name, param in params.items():
        if not isinstance(name, str) or not name.isidentifier():
            hint = f" (write {name.replace('-', '_')!r})" if isinstance(name, str) else ""
            raise TypeError(
                f"cmd(): {kind} names are Python identifiers, offered in kebab-case on the "
                f"command line; got {name!r}{hint}"
            )
        if name == "help" and kind == "option":
            raise TypeError("cmd(): an option cannot be named 'help' (--help shows the help)")
        if not isinstance(param, Param) or param.kind != kind:
            raise TypeError(f"cmd(): {what}[{name!r}] must be built with {factory}")
        checked[name] = param
    return checked


def _check_argument_order(args: Mapping[str, Param]) -> None:
    seen_optional: str | None = None
    names = list(args)
    for i, (name, param) in enumerate(args.items()):
        if param.shape.many and i != len(names) - 1:
            raise TypeError(f"cmd(): list argument {name!r} must be the last argument")
        if not param.required:
            seen_optional = seen_optional or name
        elif seen_optional:
            raise TypeError(
                f"cmd(): required argument {name!r} comes after optional argument "
                f"{seen_optional!r}; put required arguments first"
            )
