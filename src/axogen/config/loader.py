"""Find `axogen.config.py` and execute it; failures become ConfigError naming file and line."""

from __future__ import annotations

import os
import sys
import threading
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from axogen import console, runcontext
from axogen.config import context
from axogen.config.model import Config, LoadedConfig
from axogen.errors import AxogenError, CommandFailed, ConfigError

if TYPE_CHECKING:
    from axogen.runcontext import Run

CONFIG_NAME = "axogen.config.py"
_MODULE_NAME = "__axogen_config__"


def find_config(start: Path) -> Path:
    """`axogen.config.py` in `start` or its nearest parent that has one."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"no {CONFIG_NAME} found in {start} or any parent folder",
        hint="create one (see the README), or point to it with -c FILE or -C DIR",
    )


def locate(config_file: str | None, directory: str | None) -> Path:
    """The config file chosen by `-c FILE`, `-C DIR`, or the search from the cwd."""
    base = Path(directory) if directory else Path.cwd()
    if directory and not base.is_dir():
        raise ConfigError(f"-C {directory}: no such directory")
    if config_file:
        file = base / config_file
        if file.is_dir():
            file = file / CONFIG_NAME
        if not file.is_file():
            raise ConfigError(f"config file not found: {file}")
        return file.resolve()
    return find_config(base)


def _compile(file: Path, shown: str) -> types.CodeType:
    """The config file's code; a file that cannot be read or parsed is a ConfigError."""
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read {shown}: {e}") from None
    try:
        return compile(source, str(file), "exec", dont_inherit=True)
    except SyntaxError as e:
        line = f":{e.lineno}" if e.lineno else ""
        text = f"\n    {e.text.rstrip()}" if e.text and e.text.strip() else ""
        raise ConfigError(f"{shown}{line}: syntax error: {e.msg}{text}") from None


def _bound_config(config: Any, shown: str) -> Config:
    """What the config file bound to `config`, if it is a Config; ConfigError if not."""
    if config is None:
        raise ConfigError(
            f"{shown} does not define `config`",
            hint="end the file with `config = ax.define_config(targets={...}, commands={...})`",
        )
    if isinstance(config, dict):
        raise ConfigError(
            f"{shown}: `config` is a dict, not the result of ax.define_config(...)",
            hint=_plain_config_hint(config),
        )
    if not isinstance(config, Config):
        raise ConfigError(
            f"{shown}: `config` is a {type(config).__name__}, not the result of "
            "ax.define_config(...)",
            hint="bind `config = ax.define_config(...)` (or ax.extend_config(...))",
        )
    return config


def load_config(file: Path, run: Run | None = None, *, inspect: bool = False) -> LoadedConfig:
    """Execute the config file and return its `config`, with its folder as the root.

    The config runs inside `run` (by default the run in progress): what it asks of axogen
    while it runs (`ax.load_env`, the secrets to hide) goes there. `inspect=True` (list,
    schema, the listing of commands): env values that are missing, invalid or cannot be
    opened do not stop the config; they are noted in `env_issues` and `env_errors`, the
    fields taking their defaults or empty values.
    """
    file = file.resolve()
    root = file.parent
    shown = _display(file)
    code = _compile(file, shown)

    module = types.ModuleType(_MODULE_NAME)
    module.__file__ = str(file)
    cwd = Path.cwd()
    if run is None:
        run = runcontext.current()
    ctx = context.LoadContext(root=root, cwd=cwd, inspect=inspect)
    previous_ctx, run.load = run.load, ctx
    # registered so pydantic can resolve the annotations of models the config defines
    sys.modules[_MODULE_NAME] = module
    sys.path.insert(0, str(root))
    exits = _ExitGuard(file)
    try:
        os.chdir(root)
        # what the config prints (print, logging, sys.stderr.write) is filtered like
        # axogen's own output: a secret load_env returned is never shown
        with run, exits, console.masked_output():
            exec(code, module.__dict__)
    except _ExitCalled as e:
        where = _config_line(e, file)
        loc = f"{shown}:{where}" if where else shown
        raise ConfigError(
            f"{loc}: the config called os._exit({e.code!r}) while loading",
            hint="a config cannot end axogen; raise an exception to stop with an error",
        ) from None
    except CommandFailed as e:
        # a failure of the config, not of a command the user ran: exit 1, not the child's
        # code (which could read as 3, axogen's own bug code)
        where = _config_line(e, file)
        loc = f"{shown}:{where}" if where else shown
        raise ConfigError(
            f"{loc}: {e.message}", hint="a command the config runs while it loads failed"
        ) from None
    except AxogenError as e:
        if ctx.env_errors:
            # inspecting: what went wrong after a value was missing comes from that value
            raise ctx.env_errors[0] from None
        where = _config_line(e, file)
        if where:
            e.message = f"{e.message}\n  (raised at {shown}:{where})"
        raise
    except SystemExit as e:
        raise ConfigError(f"{shown}: the config called exit({e.code!r})") from None
    except Exception as e:
        if ctx.env_errors:
            raise ctx.env_errors[0] from None
        where = _config_line(e, file)
        loc = f"{shown}:{where}" if where else shown
        raise ConfigError(
            f"{loc}: {type(e).__name__}: {e}", hint="the config file raised an exception"
        ) from e
    finally:
        os.chdir(cwd)
        sys.path.remove(str(root))
        run.load = previous_ctx
    if exits.called is not None:
        # the config caught our exception (a bare `except:`) and went on
        loc = f"{shown}:{exits.line}" if exits.line else shown
        raise ConfigError(
            f"{loc}: the config called os._exit({exits.called!r}) while loading",
            hint="a config cannot end axogen; raise an exception to stop with an error",
        )

    config = _bound_config(module.__dict__.get("config"), shown)
    if config.root is not None:
        root, config = _project_root(config, root, shown)
    return LoadedConfig(
        config=config,
        file=file,
        root=root,
        env_files=tuple(ctx.env_files),
        env_models=tuple(ctx.env_models),
        env_sources=tuple(ctx.env_sources),
        env_values=dict(ctx.env_values),
        env_secrets=tuple(ctx.env_secrets),
        sealed_env_files=frozenset(ctx.sealed_env_files),
        env_issues=dict(ctx.env_issues),
        env_errors=tuple(ctx.env_errors),
    )


def _plain_config_hint(config: dict[object, object]) -> str:
    """The Python spelling of the TypeScript axogen's plain config object, or of its shorthand
    (a dict of variables only, which it wrote to `.env`)."""
    if any(key in config for key in ("targets", "commands", "watch")):
        return "build it with `config = ax.define_config(targets={...}, commands={...})`"
    return (
        "a dict of variables alone (the TypeScript axogen's shorthand for one .env file) is "
        'spelt `config = ax.define_config(targets={"env": ax.env(".env", {...})})`'
    )


def _project_root(config: Config, folder: Path, shown: str) -> tuple[Path, Config]:
    """The project root `define_config(root=...)` names, and the config with its target paths
    relative to that root; a path leaving the root is refused here, naming the target."""
    import posixpath

    given = config.root or ""
    root = Path(os.path.normpath(folder / given)).resolve()
    try:
        inside = folder.relative_to(root).as_posix()
    except ValueError:
        raise ConfigError(
            f"{shown}: define_config(root={given!r}) is {root}, which does not hold the "
            "config's folder",
            hint="root names the config's folder or a folder above it, such as '..'",
        ) from None
    if inside == ".":
        return root, config
    targets = {}
    for name, target in config.targets.items():
        raw = target.path.replace("\\", "/")
        if "\0" in raw or raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
            targets[name] = target  # the path checks refuse it, saying why
            continue
        rel = posixpath.normpath(f"{inside}/{raw}")
        if rel == ".." or rel.startswith("../"):
            raise ConfigError(
                f"{shown}: target {name!r}: path {target.path!r} leaves the project root {root}",
                hint="target paths may reach anywhere inside define_config(root=...), not outside",
            )
        # keep a trailing "/" so that "does not name a file" is still said
        targets[name] = target._replace(path=rel + ("/" if raw.endswith("/") else ""))
    return root, config._replace(targets=targets)


class _ExitCalled(BaseException):
    """The config called os._exit; a BaseException, so `except Exception` lets it pass."""

    def __init__(self, code: object) -> None:
        super().__init__(code)
        self.code = code


class _ExitGuard:
    """While the config runs, `os._exit` raises _ExitCalled instead of ending the process.

    os._exit ends the process at once, with the code given: a config calling os._exit(0)
    would make axogen exit 0 having done nothing, which reads as success. The exit code 0
    must only come after a command completed, so here the call becomes a config error.
    A process the config forked (or a thread it started) still exits as it asked, with 1
    for 0: only the loading thread of this process can report the error in its place.
    """

    def __init__(self, file: Path) -> None:
        self.called: object = None
        self.line: int | None = None
        self._file = str(file)
        self._pid = os.getpid()
        self._thread = threading.get_ident()
        self._real = os._exit
        # os._exit is the platform module's (posix or nt) _exit, also reachable from there
        self._modules = [os, *[m for m in (sys.modules.get(os.name),) if m is not None]]

    def __enter__(self) -> None:
        for module in self._modules:
            module._exit = self._refuse  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        for module in self._modules:
            module._exit = self._real  # type: ignore[attr-defined]

    def _refuse(self, code: int) -> NoReturn:
        if os.getpid() != self._pid:
            self._real(code)  # a forked child: its exit is its parent's business
        self.called = code
        import traceback  # here and in _config_line: errors only (0.5 ms on every run)

        lines = [f.lineno for f in traceback.extract_stack() if f.filename == self._file]
        self.line = lines[-1] if lines else None
        if threading.get_ident() == self._thread:
            raise _ExitCalled(code)
        try:
            sys.stderr.write(f"error: the config called os._exit({code!r}) while loading\n")
            sys.stderr.flush()
        finally:
            self._real(code or 1)


def _config_line(exc: BaseException, file: Path) -> int | None:
    """The line of the config file the exception went through last."""
    line = None
    import traceback

    name = str(file)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == name:
            line = frame.lineno
    return line


def _display(file: Path) -> str:
    from axogen.paths import shown

    return shown(file)
