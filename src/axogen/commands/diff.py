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
            out.data(render_diff(file, old, loaded.config.targets[file.name].format))
    if changed == 0:
        out.out("no changes: every generated file is up to date")
    return 1 if exit_code and changed else 0


def render_diff(file: PlannedFile, old: bytes | None, format_name: str | None = None) -> str:
    """A unified diff of `old` -> the planned content, secret values masked on both sides.

    The diff is computed on the real lines and masked afterwards, so a secret that changed
    shows as a changed line even when both values mask alike (same length).
    """
    old_text = old.decode("utf-8", "replace") if old is not None else ""
    new_text = (file.content or b"").decode("utf-8")
    masker = SecretMasker(file, old_secrets(file, old_text, format_name))
    label_old = f"a/{file.rel_path}" if old is not None else "/dev/null"
    lines = difflib.unified_diff(
        old_text.splitlines(keepends=True),
        new_text.splitlines(keepends=True),
        label_old,
        f"b/{file.rel_path}",
    )
    shown = []
    for i, line in enumerate(lines):
        if i >= 2 and not line.startswith("@@"):
            line = line[0] + masker.line(line[1:])
        shown.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(shown).rstrip("\n")


def old_secrets(file: PlannedFile, old_text: str, format_name: str | None) -> set[str]:
    """The secret values the file on disk holds, which the new content may no longer hold.

    The old text is parsed with the target's format; a value is secret when it sits where
    the new content has a secret (a SecretStr, a finding) or looks like one itself.
    """
    if not old_text or format_name is None or format_name == "env_example":
        return set()
    from axogen.formats import get_format
    from axogen.secrets.detect import find_secrets

    try:
        data = get_format(format_name).load(old_text)
    except Exception:
        return set()  # edited into something unparsable: the line rules still apply
    from axogen.values import nested_deeper_than

    if nested_deeper_than(data):
        # the detector's walk recurses; no file axogen wrote nests this deep (to_plain
        # refuses it), so this one was edited by hand: the line rules still apply
        return set()
    declared = frozenset(file.secret_paths) | {f.key_path for f in file.findings}
    values: set[str] = set()
    for finding in find_secrets(data, declared=declared):
        node = data
        try:
            for part in finding.key_path:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            continue
        _strings(node, values)
    return values


def _strings(node: object, out: set[str]) -> None:
    if isinstance(node, str):
        if node:
            out.add(node)
    elif isinstance(node, dict):
        for value in node.values():
            _strings(value, out)
    elif isinstance(node, list):
        for value in node:
            _strings(value, out)


class SecretMasker:
    """Masks, in one file's lines, the secret values it holds and the values of secret keys.

    Old content is masked too: the secrets found in the file on disk (`old_values`), a line
    whose key held a secret in the new content, and a value that looks like a credential
    never show, even if that value changed.
    """

    def __init__(self, file: PlannedFile, old_values: set[str] | frozenset[str] = frozenset()):
        from axogen.secrets.mask import mask

        self._mask = mask
        values = {v for v in file.secret_values if v} | {v for v in old_values if v}
        # each value's forms and preview once, not for every line (a value may be megabytes)
        self._forms = [
            (form, mask(value))
            for value in sorted(values, key=len, reverse=True)
            for form in _forms(value)
        ]
        self._keys = {str(p[-1]) for p in file.secret_paths if p and isinstance(p[-1], str)}

    def line(self, line: str) -> str:
        from axogen.secrets.detect import classify

        body = line.rstrip("\n")
        end = line[len(body) :]
        for form, preview in self._forms:
            if form in body:
                body = body.replace(form, preview)
        match = _ASSIGNMENT.match(body)
        if match:
            key, value = match["key"], match["value"]
            raw = value.strip("'\"")
            if "…(" in value or not raw:
                return body + end
            if (key in self._keys or key.split(".")[-1] in self._keys) or classify(
                key, raw
            ) is not None:
                # keep the quotes, so that masking alone never shows as a change
                opening = value[: len(value) - len(value.lstrip("'\""))]
                closing = value[len(value.rstrip("'\"")) :]
                body = f"{match['head']}{opening}{self._mask(raw)}{closing}{match['tail']}"
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
