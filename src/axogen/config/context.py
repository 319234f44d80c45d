"""What the config file being executed may ask about itself: its folder and its env files."""

from __future__ import annotations

from pathlib import Path

from axogen.runcontext import current as _run


class LoadContext:
    """The state of one config load: where it runs, and what its load_env calls found."""

    __slots__ = (
        "cwd",
        "env_errors",
        "env_files",
        "env_issues",
        "env_models",
        "env_secrets",
        "env_sources",
        "env_values",
        "inspect",
        "real_folders",
        "reference_cache",
        "root",
        "sealed_env_files",
    )

    def __init__(self, root: Path, cwd: Path | None = None, *, inspect: bool = False) -> None:
        self.root = root
        # where axogen was started; the config runs in `root`, but messages name files from
        # here
        self.cwd = cwd
        # loaded for inspection (list, schema, the listing of commands): load_env notes
        # values that are missing, invalid or cannot be opened instead of failing
        self.inspect = inspect
        # inspection: (model name, variable) -> (missing | invalid | not opened | encrypted,
        # where or why)
        self.env_issues: dict[tuple[str, str], tuple[str, str]] = {}
        # inspection: the errors a strict load would have raised, first first
        self.env_errors: list[Exception] = []
        self.env_files: list[Path] = []
        self.env_models: list[object] = []
        # (model name, variable, where its value came from, is it secret) for `list --env`
        self.env_sources: list[tuple[str, str, str, bool]] = []
        # the values of each env file read, after decryption and references (`axogen run`)
        self.env_values: dict[Path, dict[str, str]] = {}
        # every value decrypted or resolved from a reference: declared secrets, whatever
        # the type
        self.env_secrets: list[str] = []
        # env files git may commit: their values are encrypted or references (config.sealed)
        self.sealed_env_files: set[Path] = set()
        # each reference resolved once per run: (reference, base folder) -> value
        self.reference_cache: dict[tuple[str, str], str] = {}
        # template folders' real paths, asked once per load (templates.template_file)
        self.real_folders: dict[str, str] = {}


def current() -> LoadContext | None:
    """The context of the config being loaded in the run in progress, or None."""
    return _run().load


def resolve(path: str | Path) -> Path:
    """A path from a config, made absolute against the config's folder (or the cwd)."""
    p = Path(path)
    if p.is_absolute():
        return p
    ctx = _run().load
    base = ctx.root if ctx is not None else Path.cwd()
    return base / p
