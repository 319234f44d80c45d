"""`axogen check`: are the generated files in sync with the config? For CI and pre-commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from axogen import console
from axogen.commands import Options, load_and_plan
from axogen.generate.write import Action, compare
from axogen.paths import shown
from axogen.pipeline import finding_rows

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig

_REASON = {
    Action.CREATED: "missing",
    Action.UPDATED: "content differs",
    Action.MODE: "mode differs",
}


def run_check(opts: Options, *, targets: Sequence[str] = ()) -> int:
    out = console.get()
    prepared = load_and_plan(opts, targets)
    loaded, plan, cache = prepared.loaded, prepared.plan, prepared.cache
    stale = []
    stale_paths: list[str] = []
    verbose = out.level >= console.VERBOSE  # the line's path costs more than the check (5 ms/100)
    for file, action, change in compare(plan.files, loaded.root):
        if action is Action.UNCHANGED:
            if verbose:
                out.verbose(f"in sync   {shown(file.rel_path, loaded.root)} ({file.name})")
            if file.content is not None:
                rows = finding_rows(file)
                cache.record(file.name, file.fingerprint, file.path, rows, inputs=file.inputs)
            continue
        reason = _REASON[action]
        if action is Action.UPDATED and change is not None and change.old_mode != change.new_mode:
            reason = "content and mode differ"
        stale.append(f"{shown(file.rel_path, loaded.root)} ({file.name}): {reason}")
        stale_paths.append(file.rel_path)
    cache.save()
    skipped = _skipped(loaded, plan.skipped)
    for line in skipped:
        out.verbose(f"skipped   {line}")
    if stale:
        count = len(stale)
        out.error(
            f"{count} generated file{'s are' if count != 1 else ' is'} out of date:"
            + "".join(f"\n  - {line}" for line in stale)
            + f"\n  hint: {_fix(loaded, stale_paths)}"
        )
        _note_skipped(loaded, plan.skipped)
        return 1
    note = f" ({len(skipped)} skipped: condition is false)" if skipped else ""
    out.out(f"all {len(plan.files)} generated files are in sync{note}")
    _note_skipped(loaded, plan.skipped)
    return 0


def _skipped(loaded: LoadedConfig, names: Sequence[str]) -> list[str]:
    """`path (name: condition is false)` for each skipped target, as -v shows them."""
    lines = []
    for name in names:
        path = loaded.config.targets[name].path
        exists = (loaded.root / path).exists()
        lines.append(
            f"{shown(path, loaded.root)} ({name}: condition is false"
            + ("; the file exists and is not checked" if exists else "")
            + ")"
        )
    return lines


def _note_skipped(loaded: LoadedConfig, names: Sequence[str]) -> None:
    """A skipped target whose file exists: check says nothing of it, so it says so."""
    present = [
        f"{shown(loaded.config.targets[n].path, loaded.root)} ({n})"
        for n in names
        if (loaded.root / loaded.config.targets[n].path).exists()
    ]
    if present:
        count = len(present)
        console.get().warn(
            f"not checked: {', '.join(present)}: {'its target is' if count == 1 else 'their targets are'} "
            "skipped here (condition is false), so check cannot tell whether "
            f"{'it is' if count == 1 else 'they are'} up to date; run check again with the "
            f"values that select {'it' if count == 1 else 'them'} (the profile or environment "
            f"that wrote {'it' if count == 1 else 'them'})"
        )


def _fix(loaded: LoadedConfig, rel_paths: Sequence[str]) -> str:
    """What to do: generate, then commit the files git commits (never the ignored ones)."""
    from axogen.secrets.gitignore import committed, find_repo

    if find_repo(loaded.root) is None:
        return "run `axogen generate`"
    verdicts = committed(loaded.root, list(rel_paths))
    to_commit = [p for p in rel_paths if verdicts.get(p, True)]
    if not to_commit:
        return "run `axogen generate` (git ignores these files: nothing to commit)"
    if len(to_commit) == len(rel_paths):
        return "run `axogen generate` and commit the result"
    paths = " ".join(shown(p, loaded.root) for p in to_commit)
    return f"run `axogen generate`, then commit {paths} (git ignores the others)"
