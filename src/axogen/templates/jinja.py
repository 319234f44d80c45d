"""jinja2 (and nunjucks, the same syntax): StrictUndefined, no autoescape, line numbers."""

from __future__ import annotations

import contextvars
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from axogen.templates import (
    HELPERS,
    TemplateProblem,
    include_file,
    leaves_message,
    note,
    read_template,
    shown_for,
    text,
)

_JINJA_ENVS: dict[tuple[str, bool], Any] = {}


# the template being rendered, whose own path was checked by `template=` (it may be a
# symlink to elsewhere in the project); every other file must stay in the template's folder
_MAIN: contextvars.ContextVar[str] = contextvars.ContextVar("axogen_jinja_main", default="")


def _loader(folder: str) -> Any:
    """A loader of the templates in `folder` (and below) that reads through `read_template`,
    so the render cache learns every file a template includes, imports or extends (each
    render records its own: see `templates.recording`)."""
    import jinja2
    from jinja2.loaders import split_template_path

    class Loader(jinja2.BaseLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            if template == _MAIN.get():
                file = Path(folder) / template
            else:
                # names are relative to the folder, a leading `/` too, as jinja2 reads them;
                # jinja2 refuses `..` as "not found": say why instead
                if ".." in template.replace(os.sep, "/").split("/"):
                    raise TemplateProblem("", leaves_message("included template", template))
                found = include_file(
                    Path(folder), "/".join(split_template_path(template)), "included template"
                )
                if found is None:
                    raise jinja2.TemplateNotFound(template)
                file = found
            try:
                source, identity = read_template(file)
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                raise jinja2.TemplateNotFound(template) from None
            key = str(file.absolute())

            def uptodate() -> bool:
                # jinja2 asks before each use of the compiled template it keeps: a render
                # that uses it without reading it again still counts it among its inputs
                try:
                    st = file.stat()
                except OSError:
                    return False
                if (st.st_ino, st.st_size, st.st_mtime_ns) != identity:
                    return False
                note(key, identity)
                return True

            return source, str(file), uptodate

    return Loader()


def render_jinja(path: str, data: dict[str, Any], strict: bool, shown: str) -> str:
    import jinja2

    folder = str(Path(path).parent)
    env = _JINJA_ENVS.get((folder, strict))
    if env is None:
        env = jinja2.Environment(
            loader=_loader(folder),
            undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
            autoescape=False,
            keep_trailing_newline=True,
            finalize=_jinja_finalize,
        )
        env.filters.update(HELPERS)
        from axogen.templates.logic import COMPARISONS

        env.globals.update(COMPARISONS)
        _JINJA_ENVS[(folder, strict)] = env
    token = _MAIN.set(Path(path).name)
    try:
        return str(env.get_template(Path(path).name).render(data))
    except TemplateProblem as e:  # an include leaving the folder
        raise TemplateProblem(_jinja_where(e, path, shown), e.reason) from None
    except jinja2.TemplateSyntaxError as e:
        file = e.filename or path
        raise TemplateProblem(
            f"{shown_for(file, path, shown)}:{e.lineno}", e.message or "syntax error"
        ) from None
    except jinja2.TemplateNotFound as e:
        raise TemplateProblem(
            _jinja_where(e, path, shown),
            f"included template {e.name!r} not found (includes are relative to the template's folder)",
        ) from None
    except jinja2.UndefinedError as e:
        raise TemplateProblem(
            _jinja_where(e, path, shown), f"{e.message} (a missing variable)"
        ) from None
    except Exception as e:
        raise TemplateProblem(_jinja_where(e, path, shown), f"{type(e).__name__}: {e}") from None
    finally:
        _MAIN.reset(token)


def _jinja_finalize(value: Any) -> str:
    import jinja2

    if isinstance(value, jinja2.Undefined):
        return str(value)  # StrictUndefined raises here, naming the variable
    return text(value)


def _jinja_where(error: BaseException, path: str, shown: str) -> str:
    """`file:line` of the last template frame in the traceback (jinja2 maps frames to lines)."""
    folder = Path(path).parent
    where = shown
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.lineno and Path(frame.filename).is_relative_to(folder):
            where = f"{shown_for(frame.filename, path, shown)}:{frame.lineno}"
    return where
