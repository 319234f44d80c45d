"""`axogen diff`: what `generate` would change, as unified diffs, with secret values masked."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from axogen import console
from axogen.commands import Options, load_and_plan
from axogen.generate.plan import PlannedFile
from axogen.generate.write import Action, compare

# `KEY=value`, `key: value`, `"key": "value"`, `key = value`: the value part of a line
_ASSIGNMENT = re.compile(
    r"""^(?P<head>[\s"']*(?P<key>[\w.-]+)["']?\s*(?:=|:)\s*)(?P<value>\S.*?)(?P<tail>,?)$"""
)


def run_diff(opts: Options, *, targets: Sequence[str] = (), exit_code: bool = False) -> int:
    out = console.get()
    loaded, plan, _ = load_and_plan(opts, targets)
    changed = 0
    for file, action, change in compare(plan.files, loaded.root):
        if action is Action.UNCHANGED:
            continue
        changed += 1
        if action is Action.MODE:
            assert change is not None
            out.data(f"mode {file.rel_path}: {change.old_mode:o} -> {change.new_mode:o}")
            continue
        old = change.old_content if change is not None else None
        if file.content is not None:
            out.data(render_diff(file, old))
    if changed == 0:
        out.out("no changes: every generated file is up to date")
    return 1 if exit_code and changed else 0


def render_diff(file: PlannedFile, old: bytes | None) -> str:
    """A unified diff of `old` -> the planned content, secret values masked on both sides."""
    old_text = old.decode("utf-8", "replace") if old is not None else ""
    new_text = (file.content or b"").decode("utf-8")
    masker = SecretMasker(file)
    old_lines = [masker.line(line) for line in old_text.splitlines(keepends=True)]
    new_lines = [masker.line(line) for line in new_text.splitlines(keepends=True)]
    label_old = f"a/{file.rel_path}" if old is not None else "/dev/null"
    lines = difflib.unified_diff(old_lines, new_lines, label_old, f"b/{file.rel_path}")
    text = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    return text.rstrip("\n")


class SecretMasker:
    """Masks, in one file's lines, the secret values it holds and the values of secret keys.

    Old content is masked too: a line whose key held a secret in the new content, or whose
    value looks like a credential, never shows its value, even if that value changed.
    """

    def __init__(self, file: PlannedFile) -> None:
        from axogen.secrets.mask import mask

        self._mask = mask
        self._values = sorted({v for v in file.secret_values if v}, key=len, reverse=True)
        self._keys = {str(p[-1]) for p in file.secret_paths if p and isinstance(p[-1], str)}

    def line(self, line: str) -> str:
        from axogen.secrets.detect import classify

        body = line.rstrip("\n")
        end = line[len(body) :]
        for value in self._values:
            for form in _forms(value):
                if form in body:
                    body = body.replace(form, self._mask(value))
        match = _ASSIGNMENT.match(body)
        if match:
            key, value = match["key"], match["value"]
            raw = value.strip("'\"")
            if (key in self._keys or key.split(".")[-1] in self._keys) and "…(" not in value:
                body = f"{match['head']}{self._mask(raw)}{match['tail']}"
            elif raw and classify(key, raw) is not None:
                body = f"{match['head']}{self._mask(raw)}{match['tail']}"
        return body + end


def _forms(value: str) -> list[str]:
    """How a value may appear in a file: as is, and escaped as env/JSON/YAML would write it."""
    import json

    forms = [value]
    escaped = json.dumps(value, ensure_ascii=False)[1:-1]
    if escaped != value:
        forms.append(escaped)
    env = value.replace("\\", "\\\\").replace('"', '\\"')
    if env not in forms:
        forms.append(env)
    return forms
