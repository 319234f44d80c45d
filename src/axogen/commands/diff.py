"""`axogen diff`: what `generate` would change, as unified diffs, with secret values masked."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from axogen.commands import Options, load_and_plan
from axogen.generate.plan import PlannedFile
from axogen.generate.write import Action, compare
from axogen.paths import shown


def run_diff(opts: Options, *, targets: Sequence[str] = (), exit_code: bool = False) -> int:
    out = opts.run.console
    prepared = load_and_plan(opts, targets)
    loaded, plan = prepared.loaded, prepared.plan
    changed = 0
    for file, action, change in compare(plan.files, loaded.root):
        if action is Action.UNCHANGED:
            continue
        changed += 1
        if action is Action.MODE:
            assert change is not None
            where = shown(file.rel_path, loaded.root)
            out.data(f"mode {where}: {change.old_mode:o} -> {change.new_mode:o}")
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
    from axogen.secrets.mask import FileMasker, secrets_on_disk

    masker = FileMasker(file, secrets_on_disk(file, old_text, format_name))
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
