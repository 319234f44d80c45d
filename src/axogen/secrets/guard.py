"""The policy: a secret must not be written to a file git would commit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from axogen.errors import SecretLeak
from axogen.generate.render import PlannedFile
from axogen.values import format_key_path

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig


def guard(files: Sequence[PlannedFile], root: Path) -> None:
    """Raise SecretLeak listing every secret bound for a committed file (values masked)."""
    risky = [f for f in files if f.findings]
    if not risky:
        return
    from axogen.secrets.gitignore import committed

    verdict = committed(root, [f.rel_path for f in risky])
    blocked = [f for f in risky if verdict.get(f.rel_path, True)]
    if not blocked:
        return
    lines = []
    for file in blocked:
        lines.append(f"target {file.name!r} ({file.rel_path}) would be committed by git:")
        for finding in file.findings:
            where = format_key_path(finding.key_path)
            lines.append(f"    {where}: {finding.kind} [{finding.rule}] {finding.preview}")
    count = sum(len(f.findings) for f in blocked)
    paths = " ".join(sorted({f.rel_path for f in blocked}))
    raise SecretLeak(
        f"{count} secret value{'s' if count != 1 else ''} would be written to "
        f"{len(blocked)} file{'s' if len(blocked) != 1 else ''} that git would commit; "
        "nothing was written:\n  " + "\n  ".join(lines),
        hint=(
            f"add the file to .gitignore ({paths}), move the value to a file that is ignored, "
            'or, if it is not really secret, wrap it: ax.unsafe(value, reason="...")'
        ),
    )


def warn_unignored_env_files(loaded: LoadedConfig) -> None:
    """Warn when a file load_env read (it holds real values) is not ignored by git."""
    existing = [p for p in dict.fromkeys(loaded.env_files) if p.is_file()]
    if not existing:
        return
    from axogen import console
    from axogen.secrets.gitignore import committed, git_toplevel

    top = git_toplevel(loaded.root)
    if top is None:
        return  # outside git nothing is committed; the warning would be noise
    rels = {}
    for path in existing:
        try:
            rels[path.resolve().relative_to(top.resolve()).as_posix()] = path
        except ValueError:
            continue
    verdict = committed(top, list(rels))
    for rel, is_committed in verdict.items():
        if is_committed:
            console.get().warn(
                f"{rel} holds your environment values but git does not ignore it; add this "
                f"line to {top / '.gitignore'}:\n    /{rel}"
            )
