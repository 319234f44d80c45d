"""python-dotenv's parser and `${NAME}` expansion: the two modules env files are read with.

`import dotenv.parser` runs `dotenv/__init__.py` first, which imports `dotenv.main` and with
it `logging`, `tempfile` and the rest of the package, none of which reading a file needs:
22M instructions, 3% of a no-op generate of examples/microservices. Both modules import only
the standard library, so they are loaded from the package's own files under names of their
own (`axogen.config.pydotenv.parser`, `.variables`); when the package is already imported
(a config that uses python-dotenv itself), its modules are used.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import ModuleType
from typing import IO, TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from dotenv.parser import Binding
    from dotenv.variables import Atom
    from dotenv.variables import Literal as Text


def _module(name: str) -> ModuleType:
    real = sys.modules.get("dotenv." + name)
    if real is not None:
        return real
    own = f"{__name__}.{name}"
    loaded = sys.modules.get(own)
    if loaded is not None:
        return loaded
    import importlib.util
    from pathlib import Path

    package = importlib.util.find_spec("dotenv")  # finds the package without running it
    folders = package.submodule_search_locations if package else None
    if not folders:  # pragma: no cover - python-dotenv is a dependency
        import importlib

        return importlib.import_module("dotenv." + name)
    spec = importlib.util.spec_from_file_location(own, Path(folders[0], f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[own] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[own]
        raise
    return module


def parse_stream(stream: IO[str]) -> Iterator[Binding]:
    """python-dotenv's bindings of a stream, in order, errors included."""
    bindings: Iterator[Binding] = _module("parser").parse_stream(stream)
    return bindings


def parse_variables(value: str) -> Iterator[Atom]:
    """The literal parts and `${NAME}` / `${NAME:-default}` references of a value."""
    atoms: Iterator[Atom] = _module("variables").parse_variables(value)
    return atoms


def is_literal(atom: Atom) -> TypeGuard[Text]:
    """Whether an atom of `parse_variables` is text rather than a reference."""
    literal: type = _module("variables").Literal
    return isinstance(atom, literal)
