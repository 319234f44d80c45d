"""Command-line wiring: parse arguments, call one function in `commands/`, map errors to exits.

Only click is imported here, so `axogen --help` and `--version` never load a config or pydantic.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from axogen._version import __version__
from axogen.commands import Options

if TYPE_CHECKING:
    from axogen.runcontext import Run

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

_OUTPUT_FLAGS = [
    ("quiet", ("-q", "--quiet"), "Print errors only."),
    ("verbose", ("-v", "--verbose"), "Print more: unchanged files, skipped targets, timings."),
    ("no_color", ("--no-color",), "No colours (also set by the NO_COLOR environment variable)."),
]


def _set_output(ctx: click.Context, *, flag: str) -> None:
    """Record one output flag on the root options and give the run its console."""
    from axogen import console

    root = ctx.find_root()
    opts: Options = root.obj if isinstance(root.obj, Options) else Options()
    change: dict[str, Any] = {flag: True}
    opts = opts.replace(**change)
    if opts.quiet and opts.verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    root.obj = opts
    level = console.QUIET if opts.quiet else console.VERBOSE if opts.verbose else console.NORMAL
    opts.run.console = console.Console(level=level, color=False if opts.no_color else None)


def _output_options(func: F) -> F:
    """Add -q/-v/--no-color; they work before or after the subcommand (`axogen generate -v`)."""

    def apply(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        if value and param.name:
            _set_output(ctx, flag=param.name)
        return value

    for name, flags, help_text in reversed(_OUTPUT_FLAGS):
        func = click.option(
            *flags, name, is_flag=True, expose_value=False, callback=apply, help=help_text
        )(func)
    return func


def _options(ctx: click.Context) -> Options:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Options) else Options()


# other names of commands: `gen`, as the TypeScript axogen spelt `generate`
_ALIASES = {"gen": "generate"}


class _Group(click.Group):
    """The top-level group, which knows the commands' other names (`_ALIASES`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        name = _ALIASES.get(cmd_name, cmd_name)
        if name in _LAZY and name not in self.commands:
            self.add_command(_LAZY[name][0](), name)
        return super().get_command(ctx, name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        return (command.name if command is not None else name), command, rest

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            command: click.Command | None
            if name in _LAZY and name not in self.commands:
                command = click.Command(name, help=_LAZY[name][1])  # its help, unloaded
            else:
                command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                also = [alias for alias, target in _ALIASES.items() if target == name]
                rows.append((name + "".join(f" ({a})" for a in also), command))
        if rows:
            limit = formatter.width - 6 - max(len(label) for label, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(label, c.get_short_help_str(limit)) for label, c in rows])


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(
    __version__, "-V", "--version", prog_name="axogen", message="%(prog)s %(version)s"
)
@click.option(
    "-c",
    "--config",
    "config_file",
    metavar="FILE",
    help="Use this config file instead of searching for axogen.config.py.",
)
@click.option("-C", "--directory", metavar="DIR", help="Act as if axogen was started in DIR.")
@click.option(
    "-p",
    "--profile",
    metavar="NAME",
    envvar="AXOGEN_PROFILE",
    help="Also read .env.axogen.NAME (between .env.axogen and .env.axogen.local); "
    "same as AXOGEN_PROFILE=NAME.",
)
@_output_options
@click.pass_context
def cli(
    ctx: click.Context, config_file: str | None, directory: str | None, profile: str | None
) -> None:
    """Define your project's configuration once, in axogen.config.py, and generate every file
    that repeats it.

    The config is found in the current directory or its nearest parent; paths in it are
    relative to its own folder. Exit codes: 0 success, 1 error (config, validation,
    generation), 2 usage error, 130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP.
    """
    opts = _options(ctx)
    ctx.obj = opts.replace(config_file=config_file, directory=directory)
    if profile:
        import os

        # load_env reads it, and so do the commands axogen runs (a nested axogen agrees)
        os.environ["AXOGEN_PROFILE"] = profile


@cli.command()
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    metavar="NAME",
    help="Generate only this target (repeatable; globs such as 'k8s-*' allowed).",
)
@click.option(
    "-n", "--dry-run", is_flag=True, help="Show what would be created or updated; write nothing."
)
@click.option(
    "-w",
    "--watch",
    is_flag=True,
    help="Keep running: generate again whenever the config, an env file or another file in "
    "the config's folder changes. Ctrl-C stops.",
)
@click.option(
    "--debounce",
    metavar="MS",
    type=click.IntRange(10, 60_000),
    default=200,
    show_default=True,
    help="With --watch: wait until files have been quiet this long before generating.",
)
@_output_options
@click.pass_context
def generate(
    ctx: click.Context, targets: tuple[str, ...], dry_run: bool, watch: bool, debounce: int
) -> None:
    """Generate every target (or those named with --target).

    Every target is validated and rendered before anything is written: if one fails, all
    failures are listed and no file is touched. Files whose content is unchanged are not
    rewritten.
    """
    if watch:
        from axogen.commands.watch import run_watch

        _exit(run_watch(_options(ctx), targets=targets, dry_run=dry_run, debounce_ms=debounce))
        return
    from axogen.commands.generate import run_generate

    _exit(run_generate(_options(ctx), targets=targets, dry_run=dry_run))


@cli.command()
@click.option(
    "-t", "--target", "targets", multiple=True, metavar="NAME", help="Check only this target."
)
@_output_options
@click.pass_context
def check(ctx: click.Context, targets: tuple[str, ...]) -> None:
    """Exit 1 if any generated file is missing or differs from what `generate` would write.

    Lists each such file and why (missing, content differs, mode differs). Writes nothing.
    Use it in CI and as a pre-commit hook.
    """
    from axogen.commands.check import run_check

    _exit(run_check(_options(ctx), targets=targets))


@cli.command()
@click.option(
    "-t", "--target", "targets", multiple=True, metavar="NAME", help="Diff only this target."
)
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when there are differences (like git diff)."
)
@_output_options
@click.pass_context
def diff(ctx: click.Context, targets: tuple[str, ...], exit_code: bool) -> None:
    """Show, as unified diffs, what `generate` would change. Secret values are masked."""
    from axogen.commands.diff import run_diff

    _exit(run_diff(_options(ctx), targets=targets, exit_code=exit_code))


@cli.command()
@click.option("--model", metavar="NAME", help="Print only this env model's schema.")
@_output_options
@click.pass_context
def schema(ctx: click.Context, model: str | None) -> None:
    """Print the JSON Schema of the model(s) passed to load_env (for editors and docs)."""
    from axogen.commands.schema import run_schema

    _exit(run_schema(_options(ctx), model=model))


@cli.command()
@click.option(
    "--from",
    "sources",
    multiple=True,
    metavar="FILE",
    help="Import this existing .env file (repeatable): infer the model from its values, move "
    "them to .env.axogen, and write a config that generates the file again.",
)
@click.option(
    "-f",
    "--force",
    is_flag=True,
    help="Replace an existing axogen.config.py (and, with --from, .env.axogen).",
)
@_output_options
@click.pass_context
def init(ctx: click.Context, sources: tuple[str, ...], force: bool) -> None:
    """Create axogen.config.py, .env.axogen and .gitignore lines in the current folder.

    Without --from: a small working example to start from. With --from: a config whose
    targets write the imported files again, with the same values. An existing
    axogen.config.py is never replaced without --force; .gitignore only gets the lines it
    lacks (.env.axogen, .env.axogen.local, and each generated file that holds secrets).
    """
    from axogen.commands.init import run_init

    _exit(run_init(_options(ctx), sources=sources, force=force))


@cli.command()
@click.argument("target")
@click.option("-l", "--list", "list_only", is_flag=True, help="List the backups, newest first.")
@click.option(
    "-b",
    "--backup",
    "which",
    metavar="N|NAME",
    help="Restore this backup (a number from --list, or a file name); default: the newest.",
)
@_output_options
@click.pass_context
def restore(ctx: click.Context, target: str, list_only: bool, which: str | None) -> None:
    """Put back a backup of TARGET's file (targets with backup=True keep them).

    The content being replaced is itself backed up first, so a restore can be undone.
    """
    from axogen.commands.restore import run_restore

    _exit(run_restore(_options(ctx), target=target, list_only=list_only, which=which))


@cli.command(name="list")
@click.option(
    "--env",
    "show_env",
    is_flag=True,
    help="List the environment values instead: each with the layer it came from "
    "(.env.axogen, the profile file, .env.axogen.local, the environment, or the default). "
    "Secret values are masked.",
)
@_output_options
@click.pass_context
def list_(ctx: click.Context, show_env: bool) -> None:
    """List the targets and commands the config defines."""
    from axogen.commands.list import run_list

    _exit(run_list(_options(ctx), show_env=show_env))


@cli.group(name="env")
@_output_options
def env_group() -> None:
    """Create .env.axogen from the model (init), or encrypt its values in place,
    dotenvx-compatible, so that it can be committed and a teammate needs only the key.

    The private key is DOTENV_PRIVATE_KEY_AXOGEN (…_AXOGEN_<PROFILE> for a profile file),
    read from the environment or from .env.keys beside the file (git-ignored). Every command
    acts on .env.axogen in the config's folder, or .env.axogen.PROFILE with --profile (or
    axogen -p), or the file named with -f.
    """


def _env_file_options(func: F) -> F:
    func = click.option(
        "--profile",
        metavar="NAME",
        help="Use .env.axogen.NAME (default: the global -p/--profile, AXOGEN_PROFILE).",
    )(func)
    func = click.option(
        "-f", "--file", "file", metavar="FILE", help="Use this env file (from the current folder)."
    )(func)
    return func


@env_group.command(name="init")
@click.option(
    "-f", "--file", "file", metavar="FILE", help="Write this file (from the current folder)."
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option(
    "--no-input",
    is_flag=True,
    help="Ask nothing, even on a terminal: list the values still to set (the default "
    "without a terminal).",
)
@_output_options
@click.pass_context
def env_init(ctx: click.Context, file: str | None, force: bool, no_input: bool) -> None:
    """Create .env.axogen from the model passed to load_env, for a first checkout.

    Secrets that can be random get a random value of the length they need (a field with
    json_schema_extra={"generate": False}, or a pattern random text cannot match, is asked
    for); fields with a default keep it, as a comment; the other required values are asked
    on a terminal (secrets hidden) or listed with where to set them. Written atomically,
    mode 0600; an existing file is never replaced without --force.
    """
    from axogen.commands.env_init import run_env_init

    _exit(run_env_init(_options(ctx), file=file, force=force, no_input=no_input))


@env_group.command(name="encrypt")
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@click.option(
    "--all", "everything", is_flag=True, help="Encrypt every plain value, not only the secrets."
)
@_env_file_options
@_output_options
@click.pass_context
def env_encrypt(
    ctx: click.Context,
    keys: tuple[str, ...],
    everything: bool,
    file: str | None,
    profile: str | None,
) -> None:
    """Encrypt values in place: the KEYs named (globs allowed), else every value the secret
    detector calls a secret (--all: every value).

    A file without a key pair gets one: its public key on a DOTENV_PUBLIC_KEY line at the
    top, its private key in .env.keys (created 0600; refused when git would commit it).
    Encrypted values are declared secrets wherever they go, so leave ports, hosts and flags
    plain.
    """
    from axogen.commands.env import run_encrypt

    _exit(run_encrypt(_options(ctx), file=file, profile=profile, keys=keys, everything=everything))


@env_group.command(name="decrypt")
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@_env_file_options
@_output_options
@click.pass_context
def env_decrypt(
    ctx: click.Context, keys: tuple[str, ...], file: str | None, profile: str | None
) -> None:
    """Decrypt values in place (the KEYs named, else all), with the file's private key."""
    from axogen.commands.env import run_decrypt

    _exit(run_decrypt(_options(ctx), file=file, profile=profile, keys=keys))


@env_group.command(name="set")
@click.argument("key")
@click.argument("value", required=False)
@click.option("--plain", is_flag=True, help="Write the value as it is, not encrypted.")
@_env_file_options
@_output_options
@click.pass_context
def env_set(
    ctx: click.Context,
    key: str,
    value: str | None,
    plain: bool,
    file: str | None,
    profile: str | None,
) -> None:
    """Set KEY to VALUE, encrypted (creating the key pair if needed); --plain writes it as
    it is. Without VALUE it is read from standard input (a hidden prompt on a terminal), so
    that it stays out of the shell's history. A reference (ref+…://, op://) is written as
    it is: it holds no secret.
    """
    from axogen.commands.env import run_set

    _exit(run_set(_options(ctx), file=file, profile=profile, key=key, value=value, plain=plain))


@env_group.command(name="get")
@click.argument("key")
@_env_file_options
@_output_options
@click.pass_context
def env_get(ctx: click.Context, key: str, file: str | None, profile: str | None) -> None:
    """Print KEY's value as axogen reads it: decrypted, its reference resolved.

    The one command that prints a secret, and only the one you name.
    """
    from axogen.commands.env import run_get

    _exit(run_get(_options(ctx), file=file, profile=profile, key=key))


@env_group.command(name="rotate")
@_env_file_options
@_output_options
@click.pass_context
def env_rotate(ctx: click.Context, file: str | None, profile: str | None) -> None:
    """Make a new key pair: re-encrypt every value, put the new private key in .env.keys.

    Then share the new key; the old one no longer decrypts the file.
    """
    from axogen.commands.env import run_rotate

    _exit(run_rotate(_options(ctx), file=file, profile=profile))


_RUN_HELP = """Run a command the config defines; `axogen run` alone lists them.

    Commands run in the config's folder, with the values of .env.axogen added to the
    environment. Words after a shell command's name are appended to it, shell-quoted.
    axogen exits with the command's exit code (130 when interrupted).
    """


def _run_group() -> click.Command:
    """`axogen run`, declared when a run asks for it (`_Group.get_command`)."""
    from axogen.commands.run import RunGroup

    @click.group(cls=RunGroup, invoke_without_command=True, help=_RUN_HELP)
    @_output_options
    @click.pass_context
    def run(ctx: click.Context) -> None:
        if ctx.invoked_subcommand is None:
            from axogen.commands.run import run_list_commands

            _exit(run_list_commands(_options(ctx)))

    return run


# commands declared on first use: `axogen run`'s group class brings the console and the
# config's command tree (5-8 ms), which `--help` and every other command do without
_LAZY: dict[str, tuple[Callable[[], click.Command], str]] = {"run": (_run_group, _RUN_HELP)}


@cli.command(name="help", context_settings={"ignore_unknown_options": True})
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def help_(ctx: click.Context, command: tuple[str, ...]) -> None:
    """Show the help of axogen, or of COMMAND (`axogen help run deploy`)."""
    opts = _options(ctx)
    args = [*(["-c", opts.config_file] if opts.config_file else [])]
    args += ["-C", opts.directory] if opts.directory else []
    # the same as `axogen [COMMAND...] --help`, where click says what is unknown
    code = cli.main(args=[*args, *command, "--help"], prog_name="axogen", standalone_mode=False)
    _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> None:
    if code:
        sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: the one error boundary of the program.

    Each call is one run (`axogen.runcontext.Run`): its console, the secrets it has seen and
    the config it loads belong to it alone, so a program (or test) calling main() twice
    starts the second run afresh.
    """
    from axogen.runcontext import Run

    with Run() as run:
        _main(run, argv)


def _main(run: Run, argv: list[str] | None) -> None:
    from axogen.entry import guarded

    guarded(run, lambda: cli.main(args=argv, prog_name="axogen", standalone_mode=False))
