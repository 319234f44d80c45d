"""`axogen list`: the targets and commands a config defines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axogen import console
from axogen.commands import Options
from axogen.config.loader import load_config, locate
from axogen.usercommands.model import describe_commands
from axogen.usercommands.project import Project

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig


def run_list(opts: Options, *, show_env: bool = False) -> int:
    out = console.get()
    # inspection: missing or invalid env values are shown, not fatal
    loaded = load_config(locate(opts.config_file, opts.directory), opts.run, inspect=True)
    if show_env:
        out.data(describe_env(loaded))
        note_env_issues(loaded)
        return 0
    config = loaded.config
    lines = ["targets:"]
    if not config.targets:
        lines.append("  (none)")
    width = max((len(n) for n in config.targets), default=0)
    for name, target in config.targets.items():
        note = "" if target.condition else "  (skipped: condition is false)"
        lines.append(f"  {name:<{width}}  {target.format:<5} {target.path}{note}")
    lines.append("commands:")
    if not config.commands:
        lines.append("  (none)")
    # groups are followed by their members ("db migrate"); secrets in shell strings are masked
    rows = describe_commands(config.commands)
    project = Project.of(loaded)
    width = max((len(path) for path, _ in rows), default=0)
    for path, description in rows:
        lines.append(f"  {path:<{width}}  {project.mask(description)}".rstrip())
    out.data("\n".join(lines))
    note_env_issues(loaded)
    return 0


def note_env_issues(loaded: LoadedConfig) -> None:
    """After a listing made without some env values: which, and where to set them (stderr).

    A file that could not be opened (no private key, a reference that failed) is explained
    by its own error, in full."""
    from axogen.config.env import InvalidEnv

    if not loaded.env_issues:
        return
    out = console.get()
    keys = [key for _, key in loaded.env_issues]
    count = len(keys)
    out.warn(
        f"{count} environment value{'s are' if count != 1 else ' is'} missing, invalid or "
        f"not opened ({', '.join(keys)}): shown without {'them' if count != 1 else 'it'}; "
        f"`axogen generate` needs {'them' if count != 1 else 'it'} (set in "
        f"{env_file_name(loaded)} or the environment; `axogen list --env` shows each)"
    )
    for error in loaded.env_errors:
        if not isinstance(error, InvalidEnv):
            out.warn(str(error).replace("; nothing was written", ""))


def env_file_name(loaded: LoadedConfig) -> str:
    """The first env file the config reads (.env.axogen), as the user would name it."""
    from axogen.paths import shown

    return shown(loaded.env_files[0]) if loaded.env_files else ".env.axogen"


def describe_env(loaded: LoadedConfig) -> str:
    """Every variable of the env models: its value (secrets masked) and where it came from."""
    from axogen.secrets.detect import classify
    from axogen.secrets.mask import mask

    if not loaded.env_sources:
        return "(the config does not call ax.load_env)"
    models: dict[str, Any] = {type(m).__name__: m for m in loaded.env_models}
    rows: list[tuple[str, str, str]] = []
    for model_name, key, source, secret in loaded.env_sources:
        model = models.get(model_name)
        field = (
            next((n for n, f in type(model).model_fields.items() if (f.alias or n) == key), key)
            if model is not None
            else key
        )
        value = getattr(model, field, None)
        text = _value_text(value)
        issue = loaded.env_issues.get((model_name, key))
        if issue is not None:
            kind, detail = issue
            rows.append((key, f"({kind})", detail))
            continue
        if secret or classify(key, text) is not None:
            text = mask(text) if text else "(empty)"
        rows.append((key, text, source))
    width = max(len(k) for k, _, _ in rows)
    value_width = min(max(len(v) for _, v, _ in rows), 40)
    return "\n".join(f"{k:<{width}}  {v:<{value_width}}  {s}" for k, v, s in rows)


def _value_text(value: object) -> str:
    from pydantic import SecretBytes, SecretStr

    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, SecretBytes):
        return value.get_secret_value().decode("utf-8", "replace")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))
