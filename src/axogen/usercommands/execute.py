"""Running one of the config's commands: dependencies once each, typed values, exit codes."""

from __future__ import annotations

import contextlib
import inspect
import os
import shlex
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from axogen import console
from axogen.errors import (
    AxogenError,
    CommandFailed,
    ConfigError,
    UsageError,
    close_names,
    did_you_mean,
)
from axogen.options import Options
from axogen.usercommands.model import (
    MISSING,
    Cmd,
    CommandContext,
    Group,
    Parallel,
    Param,
    Shape,
    Values,
    shell_command,
    strip_none,
)
from axogen.usercommands.project import Project
from axogen.usercommands.session import Session, current_session, live_exec, run_parallel

# the command line is parsed by click (`click_tree`) as text; the values are validated here,
# with pydantic, so every error names its parameter

CommandPath = tuple[str, ...]
# parses command-line words for `ctx.run("test", "-k", "slow")` as the command line would
ParseWords = Callable[[CommandPath, Any, Sequence[str]], dict[str, Any]]


def run_command(
    project: Project,
    opts: Options,
    path: CommandPath,
    node: Any,
    params: Mapping[str, Any],
    words: Sequence[str],
    *,
    parse_words: ParseWords,
) -> int:
    """Run one command of the config (its dependencies first) and return its exit code.

    It runs in the config's folder, with the values of the env files added to the
    environment (the process environment wins, as in load_env).
    """
    # the config's folder, also when define_config(root=...) names a project root above it
    root = project.loaded.file.parent
    session = Session(root=root, env={**project.file_env, **os.environ}, secrets=project.secrets)
    invocation = Invocation(project, opts, parse_words)
    previous = Path.cwd()
    os.chdir(root)
    try:
        with session.active():
            # a usage error is reported before any dependency runs
            args, options = invocation.validate(path, node, params, who=None)
            invocation.run_dependencies(path, node)
            return invocation.execute(path, node, args, options, words)
    finally:
        os.chdir(previous)


class Invocation:
    """One `axogen run NAME`: dependencies run once each, `ctx.run` calls, the command itself."""

    def __init__(self, project: Project, opts: Options, parse_words: ParseWords) -> None:
        self.project = project
        self.opts = opts
        self.parse_words = parse_words
        self.done: set[CommandPath] = set()
        self.running: list[CommandPath] = []

    def lookup(self, path: CommandPath, who: str) -> Any:
        """The definition at `path`; a group or an unknown name is a ConfigError."""
        level: Mapping[str, Any] = self.project.commands
        node: Any = None
        for i, word in enumerate(path):
            node = level.get(word)
            if node is None:
                hint = did_you_mean(close_names(word, level))
                where = f" in group {' '.join(path[:i])!r}" if i else ""
                raise ConfigError(f"{who}: no command {word!r}{where}{hint}")
            level = node.commands if isinstance(node, Group) else {}
        if node is None or isinstance(node, Group):
            raise ConfigError(f"{who}: {' '.join(path)!r} is a group; name one of its commands")
        return node

    def dependency_order(self, path: CommandPath, node: Any) -> list[tuple[CommandPath, Any]]:
        """Every dependency of `node`, each once, dependencies before what needs them."""
        order: list[tuple[CommandPath, Any]] = []
        seen: set[CommandPath] = set()

        def visit(at: CommandPath, current: Any, trail: list[CommandPath]) -> None:
            for dep in current.depends if isinstance(current, Cmd) else ():
                dep_path = tuple(dep.split())
                if dep_path in trail:
                    cycle = [*trail[trail.index(dep_path) :], dep_path]
                    raise ConfigError(
                        "dependency cycle: " + " -> ".join(" ".join(p) for p in cycle)
                    )
                if dep_path in seen:
                    continue
                dep_node = self.lookup(dep_path, f"command {' '.join(at)!r} depends on {dep!r}")
                visit(dep_path, dep_node, [*trail, dep_path])
                seen.add(dep_path)
                order.append((dep_path, dep_node))

        visit(path, node, [path])
        return order

    def run_dependencies(self, path: CommandPath, node: Any) -> None:
        for dep_path, dep_node in self.dependency_order(path, node):
            if dep_path in self.done:
                continue
            name = " ".join(dep_path)
            console.get().verbose(f"running {name!r} (needed by {' '.join(path)!r})")
            who = f"dependency {name!r} of {' '.join(path)!r}"
            args, options = self.validate(dep_path, dep_node, {}, who=who)
            code = self.execute(dep_path, dep_node, args, options, ())
            self.done.add(dep_path)
            if code:
                raise CommandFailed(f"axogen run {name}", code)

    def call(self, name: str, words: tuple[str, ...], values: dict[str, Any]) -> None:
        """`ctx.run(name, *words, **values)`."""
        who = f"ctx.run({name!r})"
        path = tuple(name.split())
        node = self.lookup(path, who)
        if path in self.running:
            chain = " -> ".join(" ".join(p) for p in [*self.running, path])
            raise ConfigError(f"{who}: a command cannot run itself ({chain})")
        if words and values:
            raise TypeError(f"{who}: pass command-line words or keyword values, not both")
        typed = (isinstance(node, Cmd) and node.exec is not None) or callable(node)
        if words and typed:
            try:
                values = self.parse_words(path, node, words)
            except UsageError as e:
                raise ConfigError(f"{who}: {e.message}") from None
            words = ()
        elif values and not typed:
            raise TypeError(f"{who}: a shell command takes words, not keyword values")
        args, options = self.validate(path, node, values, who=who)
        self.run_dependencies(path, node)
        code = self.execute(path, node, args, options, words)
        if code:
            raise CommandFailed(f"axogen run {name}", code)

    def validate(
        self, path: CommandPath, node: Any, given: Mapping[str, Any], *, who: str | None
    ) -> tuple[Values, Values]:
        """Validated (args, options); errors name each parameter (exit 2 from the command line)."""
        if not isinstance(node, Cmd) or node.exec is None:
            return Values({}, "argument"), Values({}, "option")
        unknown = set(given) - set(node.args) - set(node.options)
        problems = [f"no argument or option named {n!r}" for n in sorted(unknown)]
        validated: list[dict[str, Any]] = [{}, {}]
        for values, params in zip(validated, (node.args, node.options), strict=True):
            for name, param in params.items():
                values[name], found = _validate(name, param, given.get(name, MISSING))
                problems += found
        if problems and who is None:
            listed = "".join(f"\n  - {p}" for p in problems)
            raise UsageError(
                problems[0] if len(problems) == 1 else f"{len(problems)} invalid values:{listed}",
                hint=f"see `axogen run {' '.join(path)} --help`",
            )
        if problems:
            raise ConfigError(f"{who}:" + "".join(f"\n  - {p}" for p in problems))
        return Values(validated[0], "argument"), Values(validated[1], "option")

    def execute(
        self, path: CommandPath, node: Any, args: Values, options: Values, words: Sequence[str]
    ) -> int:
        self.running.append(path)
        try:
            command = shell_command(node)
            if command is not None:
                try:
                    return live_exec(quote_extra(command, words))
                except CommandFailed as e:
                    # a command of the config failed, not a live_exec() a Python command
                    # called: no check=False hint (an empty one is not shown)
                    e.hint = e.hint or ""
                    raise
            if isinstance(node, Parallel):
                run_parallel(node.commands)
                return 0
            function = node.exec if isinstance(node, Cmd) and node.exec is not None else node
            return self._call_function(" ".join(path), function, args, options)
        finally:
            self.running.pop()

    def _call_function(
        self, name: str, function: Callable[..., Any], args: Values, options: Values
    ) -> int:
        loaded = self.project.loaded
        ctx = CommandContext(
            name=name,
            args=args,
            options=options,
            env=loaded.env_models[0] if loaded.env_models else None,
            config=loaded.config,
            cwd=loaded.file.parent,
            verbose=self.opts.verbose,
            quiet=self.opts.quiet,
            _call=self.call,
        )
        try:
            # what the function prints through sys.stdout / sys.stderr is filtered like
            # axogen's own output (the commands it starts write to the terminal directly)
            with console.masked_output(), _environment(current_session().env):
                result = function(ctx) if _takes_context(function) else function()
        except CommandFailed as e:
            if e.hint is None and not e.command.startswith("axogen run "):
                e.hint = (
                    "live_exec() and exec() raise on a non-zero exit; pass check=False to get "
                    "the exit code and carry on"
                )
            raise
        except AxogenError:
            raise
        except Exception as e:
            message = f"command {name!r} raised {type(e).__name__}: {e}"
            if self.opts.verbose:
                raise AxogenError(message + "\n" + "".join(traceback.format_exception(e))) from e
            raise AxogenError(message, hint="run with -v to see the traceback") from e
        if isinstance(result, Parallel):
            run_parallel(result.commands)
            return 0
        if isinstance(result, int) and not isinstance(result, bool):
            return result
        return 0


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    """`os.environ` is `env` while a Python command runs: what a shell command gets (the env
    files' values, the process environment winning); afterwards it is put back as it was,
    changes the command made included."""
    saved = dict(os.environ)
    try:
        os.environ.update({k: v for k, v in env.items() if os.environ.get(k) != v})
        yield
    finally:
        if dict(os.environ) != saved:
            os.environ.clear()
            os.environ.update(saved)


def _validate(name: str, param: Param, given: Any) -> tuple[Any, list[str]]:
    """One parameter's value, and what is wrong with it (one line per problem)."""
    from pydantic import TypeAdapter, ValidationError

    label = (
        f"argument {name.upper()}"
        if param.kind == "argument"
        else "option --" + name.replace("_", "-")
    )
    value = given
    if value is MISSING or value is None or (param.shape.many and value == ()):
        if param.default is not MISSING:
            value = param.default
        elif param.shape.optional:
            return None, []
        elif param.shape.many and param.kind == "option":
            value = []
        else:
            return None, [f"missing {label}"]
    if value is None:
        return None, []
    annotation, _ = strip_none(param.annotation)
    if param.shape.many:
        value = [_choice(v, param.shape) for v in value]
    else:
        value = _choice(value, param.shape)
    try:
        return TypeAdapter(annotation).validate_python(value), []
    except ValidationError as e:
        lines = []
        for err in e.errors(include_url=False):
            loc = err["loc"]
            item = (
                f" (item {loc[0] + 1})"
                if param.shape.many and loc and isinstance(loc[0], int)
                else ""
            )
            lines.append(f"invalid value for {label}{item}: {err['msg']} (got {err['input']!r})")
        return None, lines


def _choice(value: Any, shape: Shape) -> Any:
    """The declared choice a command-line word names (`Literal[1, 2]` from "1")."""
    if isinstance(value, str):
        for choice in shape.choices:
            if str(choice) == value:
                return choice
    return value


def _takes_context(function: Callable[..., Any]) -> bool:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return True
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
        for p in signature.parameters.values()
    )


def quote_extra(command: str, extra: Sequence[str]) -> str:
    """`command` with extra words appended, each shell-quoted (passed literally)."""
    return " ".join([command, *(shlex.quote(word) for word in extra)]) if extra else command
