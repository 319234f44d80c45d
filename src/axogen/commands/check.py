"""`axogen check`: are the generated files in sync with the config? For CI and pre-commit."""

from __future__ import annotations

from collections.abc import Sequence

from axogen import console
from axogen.commands import Options, load_and_plan
from axogen.generate.write import Action, compare
from axogen.pipeline import finding_rows

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
    for file, action, change in compare(plan.files, loaded.root):
        if action is Action.UNCHANGED:
            out.verbose(f"in sync   {file.rel_path} ({file.name})")
            if file.content is not None:
                rows = finding_rows(file)
                cache.record(file.name, file.fingerprint, file.path, rows, inputs=file.inputs)
            continue
        reason = _REASON[action]
        if action is Action.UPDATED and change is not None and change.old_mode != change.new_mode:
            reason = "content and mode differ"
        stale.append(f"{file.rel_path} ({file.name}): {reason}")
    cache.save()
    if stale:
        count = len(stale)
        out.error(
            f"{count} generated file{'s are' if count != 1 else ' is'} out of date:"
            + "".join(f"\n  - {line}" for line in stale)
            + "\n  hint: run `axogen generate` and commit the result"
        )
        return 1
    out.out(f"all {len(plan.files)} generated files are in sync")
    return 0
