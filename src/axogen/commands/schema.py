"""`axogen schema`: the JSON Schema of the environment model(s), for editors and docs."""

from __future__ import annotations

import json
from typing import Any

from axogen import console
from axogen.commands import Options
from axogen.config.loader import load_config, locate
from axogen.errors import ConfigError, UsageError


def run_schema(opts: Options, *, model: str | None = None, indent: int = 2) -> int:
    loaded = load_config(locate(opts.config_file, opts.directory))
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
        schema = next(iter(models.values())).model_json_schema()
    else:
        schema = {name: cls.model_json_schema() for name, cls in models.items()}
    console.get().data(json.dumps(schema, indent=indent or None, ensure_ascii=False))
    return 0
