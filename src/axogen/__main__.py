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
    import gc

    try:
        from axogen.entry import QUICK, quick

        if sys.argv[1:] in QUICK:
            # the commands run most, with nothing else on the line, run without click and
            # the CLI module: 48M of the 780M instructions of a no-op run of the example
            quick(sys.argv[1])
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)
    # click and the CLI are kept for the whole run: no collection walks them while they load,
    # nor after (gc.freeze), which spares two or three collections (2-4 ms)
    gc.disable()
    try:
        from axogen.cli import main as cli_main
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        gc.freeze()
        gc.enable()
    cli_main()


if __name__ == "__main__":
    main()
