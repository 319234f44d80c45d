"""`axogen schema`: the JSON Schema of the environment model(s), for editors and docs."""

from __future__ import annotations

import json
from typing import Any

from axogen.commands import Options
from axogen.config.loader import load_config, locate
from axogen.errors import ConfigError, UsageError


def run_schema(opts: Options, *, model: str | None = None, indent: int = 2) -> int:
    # the schema is the models', whatever the values: missing ones are not an error here
    loaded = load_config(locate(opts.config_file, opts.directory), opts.run, inspect=True)
    models: dict[str, Any] = {}
    for instance in loaded.env_models:
        cls = type(instance)
        models.setdefault(cls.__name__, cls)
    if not models:
        raise ConfigError(
            f"{loaded.file.name} does not call ax.load_env(Model); there is no schema to print"
        )
    if model is not None:
        if model not in models:
            raise UsageError(f"no env model named {model!r}; models: {', '.join(models)}")
        models = {model: models[model]}
    if len(models) == 1:
        schema = without_secret_defaults(next(iter(models.values())).model_json_schema())
    else:
        schema = {
            name: without_secret_defaults(cls.model_json_schema()) for name, cls in models.items()
        }
    opts.run.console.data(json.dumps(schema, indent=indent or None, ensure_ascii=False))
    return 0


# what pydantic writes for the default of a SecretStr
_MASKED = "**********"


def without_secret_defaults(node: Any) -> Any:
    """Drop the `default` (and `examples`) of secret fields and of defaults that look secret.

    pydantic writes a SecretStr default as `**********`, which documents nothing, and a
    plain field may hold a credential as its default; the schema is meant for sharing.
    """
    if isinstance(node, list):
        return [without_secret_defaults(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: without_secret_defaults(value) for key, value in node.items()}
    properties = out.get("properties")
    if isinstance(properties, dict):
        for name, prop in properties.items():
            if isinstance(prop, dict) and (
                _is_secret(prop) or _looks_secret(name, prop.get("default"))
            ):
                prop.pop("default", None)
                prop.pop("examples", None)
    return out


def _is_secret(prop: dict[str, Any]) -> bool:
    if prop.get("writeOnly") is True or prop.get("format") == "password":
        return True
    return any(
        isinstance(option, dict) and _is_secret(option)
        for key in ("anyOf", "oneOf", "allOf")
        for option in prop.get(key, ())
    )


def _looks_secret(name: str, default: Any) -> bool:
    if default is None:
        return False
    if _MASKED in json.dumps(default, default=str):
        return True
    from axogen.secrets.detect import find_secrets

    return bool(find_secrets({name: default}))
