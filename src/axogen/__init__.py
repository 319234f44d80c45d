"""axogen: define a project's configuration once, in Python, and generate every file from it.

Names are imported on first use so that `import axogen` (and `axogen --version`) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axogen._version import __version__

__all__ = [
    "AxogenError",
    "Backup",
    "CommandContext",
    "CommandFailed",
    "ConfigError",
    "EnvError",
    "SecretLeak",
    "TargetError",
    "UsageError",
    "__version__",
    "arg",
    "cmd",
    "cson",
    "csv",
    "define_config",
    "env",
    "env_example",
    "exec",
    "extend_config",
    "group",
    "hjson",
    "ini",
    "json",
    "json5",
    "jsonc",
    "live_exec",
    "load_env",
    "load_file",
    "option",
    "parallel",
    "properties",
    "template",
    "toml",
    "unsafe",
    "xml",
    "yaml",
]

_WHERE = {
    "Backup": "axogen.generate.backup",
    "define_config": "axogen.config.model",
    "extend_config": "axogen.config.model",
    "load_env": "axogen.config.env",
    "unsafe": "axogen.values",
    "env": "axogen.targets",
    "env_example": "axogen.targets",
    "json": "axogen.targets",
    "yaml": "axogen.targets",
    "toml": "axogen.targets",
    "json5": "axogen.targets",
    "jsonc": "axogen.targets",
    "hjson": "axogen.targets",
    "ini": "axogen.targets",
    "properties": "axogen.targets",
    "xml": "axogen.targets",
    "csv": "axogen.targets",
    "cson": "axogen.targets",
    "template": "axogen.targets",
    "load_file": "axogen.loading",
    "AxogenError": "axogen.errors",
    "CommandFailed": "axogen.errors",
    "ConfigError": "axogen.errors",
    "EnvError": "axogen.errors",
    "SecretLeak": "axogen.errors",
    "TargetError": "axogen.errors",
    "UsageError": "axogen.errors",
    "cmd": "axogen.usercommands.model",
    "group": "axogen.usercommands.model",
    "arg": "axogen.usercommands.model",
    "option": "axogen.usercommands.model",
    "parallel": "axogen.usercommands.model",
    "CommandContext": "axogen.usercommands.model",
    "live_exec": "axogen.usercommands.session",
    "exec": "axogen.usercommands.session",
}

if TYPE_CHECKING:
    from axogen.config.env import load_env
    from axogen.config.model import define_config, extend_config
    from axogen.errors import (
        AxogenError,
        CommandFailed,
        ConfigError,
        EnvError,
        SecretLeak,
        TargetError,
        UsageError,
    )
    from axogen.generate.backup import Backup
    from axogen.loading import load_file
    from axogen.targets import (
        cson,
        csv,
        env,
        env_example,
        hjson,
        ini,
        json,
        json5,
        jsonc,
        properties,
        template,
        toml,
        xml,
        yaml,
    )
    from axogen.usercommands.model import CommandContext, arg, cmd, group, option, parallel
    from axogen.usercommands.session import exec, live_exec
    from axogen.values import unsafe


def __getattr__(name: str) -> Any:
    import importlib
    import importlib.machinery

    module_name = _WHERE.get(name)
    if module_name is None:
        # `from axogen import console` asks here before it imports the submodule: say no
        # without loading the format registry below (datetime, decimal, pathlib: ~30 ms)
        if name.startswith("__") or importlib.machinery.PathFinder.find_spec(name, __path__):
            raise AttributeError(f"module 'axogen' has no attribute {name!r}")
        # a target factory: one per registered format, made from its record
        from axogen.formats import FORMATS

        if name not in FORMATS:
            raise AttributeError(f"module 'axogen' has no attribute {name!r}")
        module_name = "axogen.targets"
        try:
            value = getattr(importlib.import_module(module_name), name)
        except AttributeError:  # a format with no factory (txt is only read)
            raise AttributeError(f"module 'axogen' has no attribute {name!r}") from None
        globals()[name] = value
        return value

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
