"""The `axogen` command and `python -m axogen`."""

import sys


def main() -> None:
    """Start the CLI; Ctrl-C while it is still loading ends as quietly as Ctrl-C later."""
    try:
        from axogen.cli import main as cli_main
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)
    cli_main()


if __name__ == "__main__":
    main()
