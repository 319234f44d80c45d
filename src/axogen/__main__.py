"""The `axogen` command and `python -m axogen`."""

import sys


def main() -> None:
    """Start the CLI; Ctrl-C while it is still loading ends as quietly as Ctrl-C later."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        # answered before click and the CLI are imported (about 40 ms): the same line
        # click's version option prints
        from axogen._version import __version__

        print(f"axogen {__version__}")
        sys.exit(0)
    try:
        from axogen.cli import main as cli_main
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)
    cli_main()


if __name__ == "__main__":
    main()
