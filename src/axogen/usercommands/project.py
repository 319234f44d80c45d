"""The loaded config `axogen run` works on: commands checked, env-file values, secrets to mask."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from axogen.errors import ConfigError
from axogen.options import Options
from axogen.usercommands.model import validate_commands

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig
    from axogen.secrets.mask import Masker


@dataclasses.dataclass(frozen=True, slots=True)
class Project:
    """A loaded config, the values of its env files and the secrets to mask in what is shown."""

    loaded: LoadedConfig
    file_env: Mapping[str, str]
    secrets: tuple[str, ...]
    _masker: Masker = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from axogen.secrets.mask import Masker

        object.__setattr__(self, "_masker", Masker(self.secrets))

    @property
    def commands(self) -> Mapping[str, Any]:
        return self.loaded.config.commands

    @classmethod
    def of(cls, loaded: LoadedConfig) -> Project:
        from axogen.config.env import read_env_file

        file_env: dict[str, str] = {}
        for file in loaded.env_files:
            # as load_env read them: decrypted, references resolved (never read twice)
            known = loaded.env_values.get(file)
            file_env.update(known if known is not None else read_env_file(file, str(file))[0])
        from axogen.secrets.mask import remember

        secrets = (*secret_values(loaded.env_models, file_env), *filter(None, loaded.env_secrets))
        for value in secrets:
            remember(value)
        return cls(loaded, file_env, secrets)

    def require_env(self) -> None:
        """Raise the error a strict load would have: a command runs with every value."""
        if self.loaded.env_errors:
            raise self.loaded.env_errors[0]

    def mask(self, text: str) -> str:
        return self._masker.hide(text)


def load_project(opts: Options, *, inspect: bool = False) -> Project:
    """Find and run the config; its commands must be well-formed.

    `inspect=True` (listing, help, completion): missing or invalid env values do not stop
    the config (`LoadedConfig.env_errors`); `Project.require_env` before running a command.
    """
    from axogen.config.loader import load_config, locate

    loaded = load_config(locate(opts.config_file, opts.directory), opts.run, inspect=inspect)
    problems = validate_commands(loaded.config.commands)
    if problems:
        raise ConfigError(
            f"{loaded.file.name}: invalid commands:" + "".join(f"\n  - {p}" for p in problems)
        )
    return Project.of(loaded)


def secret_values(models: Sequence[object], file_env: Mapping[str, str]) -> list[str]:
    """The SecretStr values of the env models, and env-file values the secret detector flags."""
    from axogen.config.env import secret_strings

    found = [secret for model in models for secret in secret_strings(model)]
    classify = _secret_classifier()
    if classify is not None:
        found.extend(v for k, v in file_env.items() if v and classify(k, v) is not None)
    return [s for s in found if s]


def _secret_classifier() -> Callable[[str, str], Any] | None:
    import importlib

    try:
        module = importlib.import_module("axogen.secrets.detect")
    except ImportError:
        return None
    classify = getattr(module, "classify", None)
    return classify if callable(classify) else None
