"""The config's commands as a click tree: parsing, help texts, shell completion, listings."""

from __future__ import annotations

import contextlib
import inspect
import io
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from axogen import console
from axogen.errors import UsageError, close_names, did_you_mean
from axogen.options import Options

if TYPE_CHECKING:
    from axogen.usercommands.model import Group, Param, Shape
    from axogen.usercommands.project import Project

# the tree is built to run a command, to show help, or to complete a word in the shell; help
# and completion load the config but never run a user command. `axogen.cli` imports this
# module on every start, so it imports only click at load time (the records on first use)

CommandPath = tuple[str, ...]
_PROJECT = "axogen.project"


def listing(project: Project, node: Group | None = None, path: CommandPath = ()) -> str:
    """Every command under `node` (the whole tree by default) with its description, masked."""
    from axogen.usercommands.model import describe_commands

    commands = node.commands if node is not None else project.commands
    rows = describe_commands(commands, path)
    if not rows:
        return "  (no commands)"
    width = max(len(p) for p, _ in rows)
    return "\n".join(f"  {p:<{width}}  {project.mask(d)}".rstrip() for p, d in rows)


def _options(ctx: click.Context) -> Options:
    root = ctx.find_root()
    if isinstance(root.obj, Options):
        return root.obj
    # completion parses without running callbacks: the root's own parameters are all there is
    return Options(
        config_file=root.params.get("config_file"), directory=root.params.get("directory")
    )


def project_of(ctx: click.Context) -> Project | None:
    """The project, loaded once per command line; None when completion cannot load it."""
    from axogen.usercommands.project import load_project

    root = ctx.find_root()
    if _PROJECT not in root.meta:
        if ctx.resilient_parsing:
            # completing a word: a broken config completes nothing, and prints nothing
            try:
                with (
                    contextlib.redirect_stdout(io.StringIO()),
                    contextlib.redirect_stderr(io.StringIO()),
                ):
                    root.meta[_PROJECT] = load_project(_options(ctx), inspect=True)
            except Exception:
                root.meta[_PROJECT] = None
        else:
            # help and listings work without the env values; running a command requires them
            root.meta[_PROJECT] = load_project(_options(ctx), inspect=True)
    project: Project | None = root.meta[_PROJECT]
    return project


class _Hiding:
    """Help text passes through `hide`: a help string or a default may hold a secret."""

    def get_help(self, ctx: click.Context) -> str:
        from axogen.secrets.mask import hide

        text: str = super().get_help(ctx)  # type: ignore[misc]
        return hide(text)


class HidingCommand(_Hiding, click.Command):
    """A click command whose help never shows a secret."""


class CommandTree(_Hiding, click.Group):
    """A group of the config's commands: built on demand; an unknown name gets suggestions."""

    def __init__(
        self, name: str | None, *, path: CommandPath = (), node: Group | None = None, **kw: Any
    ) -> None:
        super().__init__(name, **kw)
        self.path = path
        self.node = node

    def members(self, ctx: click.Context) -> Mapping[str, Any]:
        return self.node.commands if self.node is not None else {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.members(ctx))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        node = self.members(ctx).get(cmd_name)
        project = project_of(ctx)
        if node is None or project is None:
            return None
        return to_click(cmd_name, node, (*self.path, cmd_name), project)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        command = self.get_command(ctx, name)
        if command is None and not ctx.resilient_parsing:
            if name.startswith("-"):
                raise click.NoSuchOption(name, ctx=ctx)
            raise click.UsageError(self._unknown(ctx, name), ctx)
        return (name if command is not None else None), command, args[1:]

    def _unknown(self, ctx: click.Context, name: str) -> str:
        from axogen.usercommands.model import describe_commands

        names = list(self.members(ctx))
        where = f"group {' '.join(self.path)!r}" if self.path else "the config"
        close = close_names(name, names)
        project = project_of(ctx)
        if not self.path and project is not None:
            # `axogen run migrate` -> `db migrate`
            close += [p for p, _ in describe_commands(project.commands) if p.split()[-1] == name]
        if close:
            return f"no command {name!r} in {where}{did_you_mean(close)}"
        return f"no command {name!r} in {where}; commands: {', '.join(names) or '(none)'}"

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from axogen.usercommands.model import describe_commands

        project = project_of(ctx)
        rows = describe_commands(self.members(ctx), self.path)
        if rows and project is not None:
            with formatter.section("Commands"):
                formatter.write_dl([(p, project.mask(d)) for p, d in rows])


class RunGroup(CommandTree):
    """`axogen run`: its members are the config's commands, loaded on first use."""

    def members(self, ctx: click.Context) -> Mapping[str, Any]:
        project = project_of(ctx)
        return project.commands if project is not None else {}

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`axogen run --help` explains itself without the config: like every `--help` of
        axogen's own commands, it never runs it. Listing the config's commands does."""
        with formatter.section("Commands"):
            formatter.write_text(
                "The config's commands: `axogen run` lists them, `axogen run NAME --help` "
                "explains one. Both run the config to know them (never a command), and so "
                "does completing a command's name in the shell."
            )


class _Text(click.ParamType):  # type: ignore[type-arg]  # generic in recent click only
    """Hands click's text to pydantic unchanged; completes choices and file names."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.name = shape.metavar.lower()

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[Any]:
        from click.shell_completion import CompletionItem

        if self.shape.choices:
            words = [str(c) for c in self.shape.choices]
            return [CompletionItem(w) for w in words if w.startswith(incomplete)]
        if self.shape.path:
            return [CompletionItem(incomplete, type="file")]
        return []


class TypedCommand(HidingCommand):
    """A command with declared parameters; its help lists the arguments too."""

    def __init__(self, name: str, *, arguments: Mapping[str, Param], **kw: Any) -> None:
        super().__init__(name, **kw)
        self.arguments = arguments

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name.upper(), _param_help(param)) for name, param in self.arguments.items()]
        if rows:
            with formatter.section("Arguments"):
                formatter.write_dl(rows)
        super().format_options(ctx, formatter)


def to_click(name: str, node: Any, path: CommandPath, project: Project) -> click.Command:
    """The click command (or group) for one definition of the config."""
    from axogen.usercommands.model import Cmd, Group, Parallel, describe, shell_command

    if isinstance(node, Group):
        return CommandTree(
            name,
            path=path,
            node=node,
            help=node.help,
            invoke_without_command=True,
            callback=_group_callback(node, path, project),
        )
    callback = _leaf_callback(path, node)
    depends = (
        f"\n\nRuns first: {', '.join(node.depends)}."
        if isinstance(node, Cmd) and node.depends
        else ""
    )
    if isinstance(node, Parallel):
        lines = "".join(f"\n  {label} | {project.mask(c)}" for label, c in node.commands.items())
        help_text = f"{node.help or ''}\n\n\b\nRuns at once:{lines}".lstrip()
        return HidingCommand(name, help=help_text, callback=callback)
    command = shell_command(node)
    if command is not None:
        own = node.help if isinstance(node, Cmd) and node.help else ""
        help_text = (
            f"{own}\n\n\b\nRuns: {project.mask(command)}{depends}\n\nWords after NAME are "
            "appended, shell-quoted; put them after -- if one is -h or --help."
        ).lstrip()
        words = click.Argument(["words"], nargs=-1, type=click.UNPROCESSED)
        return HidingCommand(
            name,
            help=help_text,
            short_help=describe(node),
            params=[words],
            callback=callback,
            context_settings={"ignore_unknown_options": True},
        )
    spec = node if isinstance(node, Cmd) else None
    arguments = spec.args if spec else {}
    options = spec.options if spec else {}
    function = spec.exec if spec else node
    own = (spec.help if spec else None) or inspect.getdoc(function) or ""
    params: list[click.Parameter] = [_click_argument(n, p) for n, p in arguments.items()]
    params += [_click_option(n, p) for n, p in options.items()]
    return TypedCommand(
        name,
        arguments=arguments,
        params=params,
        help=f"{own}{depends}".lstrip() or None,
        callback=callback,
    )


def _click_argument(name: str, param: Param) -> click.Argument:
    from axogen.usercommands.model import MISSING

    default = param.default if param.default is not MISSING else None
    if param.shape.many and default is not None:
        default = tuple(default)
    return click.Argument(
        [name],
        required=param.required,
        nargs=-1 if param.shape.many else 1,
        type=_Text(param.shape),
        default=default,
    )


def _click_option(name: str, param: Param) -> click.Option:
    from axogen.usercommands.model import MISSING

    long = "--" + name.replace("_", "-")
    decls = [f"{long}/--no-{long[2:]}" if param.shape.flag else long, name]
    if param.short:
        decls.insert(0, f"-{param.short}")
    kw: dict[str, Any] = {"help": param.help or "", "required": param.required}
    if param.default is not MISSING:
        kw["default"] = tuple(param.default) if param.shape.many else param.default
        kw["show_default"] = True
    if not param.shape.flag:
        kw.update(type=_Text(param.shape), metavar=param.shape.metavar, multiple=param.shape.many)
        if param.shape.many:
            kw["help"] = f"{kw['help']} (repeatable)".lstrip()
    return click.Option(decls, **kw)


def _param_help(param: Param) -> str:
    from axogen.usercommands.model import MISSING

    metavar = param.shape.metavar
    shown = metavar[1:-1] if param.shape.choices else metavar  # "[a|b]" -> "a|b"
    notes = [shown + ("..." if param.shape.many else "")]
    if param.default is not MISSING:
        notes.append(f"default: {param.default}")
    elif param.required:
        notes.append("required")
    return f"{param.help or ''}  [{'; '.join(notes)}]".strip()


def _group_callback(node: Group, path: CommandPath, project: Project) -> Callable[..., None]:
    @click.pass_context
    def show(ctx: click.Context) -> None:
        if ctx.invoked_subcommand is None:
            console.get().data(listing(project, node, path))

    return show


def _leaf_callback(path: CommandPath, node: Any) -> Callable[..., None]:
    @click.pass_context
    def run(ctx: click.Context, /, **params: Any) -> None:
        from axogen.usercommands.execute import run_command
        from axogen.usercommands.model import shell_command

        project = project_of(ctx)
        assert project is not None  # only completion leaves it out, and it runs nothing
        project.require_env()

        def parse_words(path: CommandPath, node: Any, words: Sequence[str]) -> dict[str, Any]:
            command = to_click(path[-1], node, path, project)
            try:
                parsed = command.make_context(" ".join(path), list(words), parent=ctx)
            except click.ClickException as e:
                raise UsageError(e.format_message()) from None
            return dict(parsed.params)

        words = params.pop("words", ()) if shell_command(node) is not None else ()
        code = run_command(
            project, _options(ctx), path, node, params, words, parse_words=parse_words
        )
        if code:
            sys.exit(code)

    return run
