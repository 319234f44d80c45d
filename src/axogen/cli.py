"""Command-line wiring: parse arguments, call one function in `commands/`, map errors to exits.

Only click is imported here, so `axogen --help` and `--version` never load a config or pydantic.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from axogen._version import __version__
from axogen.commands import Options

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="axogen", message="%(prog)s %(version)s")
@click.option("-c", "--config", "config_file", metavar="FILE", help="Use this config file instead of searching for axogen.config.py.")
@click.option("-C", "--directory", metavar="DIR", help="Act as if axogen was started in DIR.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print more: unchanged files, skipped targets, timings.")
@click.option("--no-color", is_flag=True, help="No colours in output (also set by the NO_COLOR environment variable).")
@click.pass_context
def cli(ctx: click.Context, config_file: str | None, directory: str | None, quiet: bool, verbose: bool, no_color: bool) -> None:
    """Define your project's configuration once, in axogen.config.py, and generate every file
    that repeats it.

    The config is found in the current directory or its nearest parent. Paths in it are
    relative to its own folder. Exit codes: 0 success, 1 error, 2 usage error, 130 interrupted.
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    from axogen import console

    level = console.QUIET if quiet else console.VERBOSE if verbose else console.NORMAL
    console.configure(level=level, color=False if no_color else None)
    ctx.obj = Options(config_file=config_file, directory=directory, verbose=verbose, quiet=quiet)


@cli.command()
@click.option("-t", "--target", "targets", multiple=True, metavar="NAME", help="Generate only this target (repeatable; globs such as 'k8s-*' allowed).")
@click.option("-n", "--dry-run", is_flag=True, help="Show what would be created or updated, write nothing.")
@click.pass_obj
def generate(opts: Options, targets: tuple[str, ...], dry_run: bool) -> None:
    """Generate every target (or those named with --target).

    Every target is validated and rendered before anything is written: if one fails, all
    failures are listed and no file is touched. Files whose content is unchanged are not
    rewritten.
    """
    from axogen.commands.generate import run_generate

    _exit(run_generate(opts, targets=targets, dry_run=dry_run))


@cli.command(name="list")
@click.pass_obj
def list_(opts: Options) -> None:
    """List the targets and commands the config defines."""
    from axogen.commands.list import run_list

    _exit(run_list(opts))


def _exit(code: int) -> None:
    if code:
        sys.exit(code)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: the one error boundary of the program."""
    try:
        cli.main(args=argv, prog_name="axogen", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.Abort:
        sys.exit(130)
    except KeyboardInterrupt:
        from axogen import console

        console.get().error("interrupted")
        sys.exit(130)
    except Exception as e:
        from axogen.errors import AxogenError

        from axogen import console

        if isinstance(e, AxogenError):
            console.get().error(str(e))
            sys.exit(e.exit_code)
        import traceback

        console.get().error(
            f"unexpected {type(e).__name__}: {e}\n"
            "This is a bug in axogen; please report it with the traceback below.\n"
            + "".join(traceback.format_exception(e))
        )
        sys.exit(3)
    sys.exit(0)
