"""The policy: a secret must not be written to a file git would commit.

When axogen cannot be sure, it refuses: a file git's answer is needed for, and git cannot
give it (see `gitignore`), is refused like a committed one, with why and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from axogen.errors import SecretLeak
from axogen.generate.render import PlannedFile
from axogen.values import format_key_path

if TYPE_CHECKING:
    from axogen.config.model import LoadedConfig
    from axogen.secrets.gitignore import Unknown, Verdict


class SecretCheck(NamedTuple):
    """The policy's answer: the refusal (None when every secret may be written) and the
    warnings about env files git does not ignore. Nothing is printed here."""

    refusal: SecretLeak | None = None
    warnings: tuple[str, ...] = ()


def check_secrets(loaded: LoadedConfig, files: Sequence[PlannedFile]) -> SecretCheck:
    """The whole policy with one git process: the env files git does not ignore, and the
    secrets bound for a file git would commit (or cannot judge).

    A run with no secret to place and no env file starts no git at all.
    """
    risky = [f for f in files if f.findings]
    # an env file whose values are encrypted or references may be committed (team secrets)
    sealed = loaded.sealed_env_files
    env_paths = [
        p.resolve()
        for p in dict.fromkeys(loaded.env_files)
        if p.is_file() and p.resolve() not in sealed
    ]
    if not risky and not env_paths:
        return SecretCheck()
    from axogen.secrets.gitignore import find_repo, judge

    root = loaded.root.resolve()
    if find_repo(root) is None:
        env_paths = []  # outside git nothing is committed; the warning would be noise
    if not risky and not env_paths:
        return SecretCheck()
    targets = [root / f.rel_path for f in risky]
    verdicts = judge([*targets, *env_paths], root, planned_gitignores(files))
    refusal = _refusal(risky, [verdicts.get(p, True) for p in targets], root)
    # a reason the refusal gives already need not be a warning too
    told = set() if refusal is None else refusal[1]
    warnings = _env_file_warnings(root, {p: verdicts[p] for p in env_paths if p in verdicts}, told)
    return SecretCheck(None if refusal is None else refusal[0], tuple(warnings))


def planned_gitignores(files: Sequence[PlannedFile]) -> dict[str, bytes]:
    """The `.gitignore` files this run writes, by path: the ignore rules after the run.

    A file the render cache vouches for (no content) is already on disk as planned.
    """
    return {
        f.rel_path: f.content
        for f in files
        if f.content is not None and f.rel_path.rsplit("/", 1)[-1] == ".gitignore"
    }


def _refusal(
    risky: Sequence[PlannedFile], verdicts: Sequence[Verdict], root: Path
) -> tuple[SecretLeak, set[Unknown]] | None:
    """The error for the files a secret must not go to, and the unknowns it explains."""
    from axogen.secrets.gitignore import Unknown, tracked

    blocked = [(f, v) for f, v in zip(risky, verdicts, strict=True) if v]
    if not blocked:
        return None
    unknowns = {v for _, v in blocked if isinstance(v, Unknown)}
    certain = [f for f, v in blocked if not isinstance(v, Unknown)]
    only = next(iter(unknowns)) if len(unknowns) == 1 and not certain else None
    lines = []
    for file, verdict in blocked:
        if not isinstance(verdict, Unknown):
            lines.append(f"target {file.name!r} ({file.rel_path}) would be committed by git:")
        elif only is not None:
            lines.append(f"target {file.name!r} ({file.rel_path}):")
        else:
            lines.append(
                f"target {file.name!r} ({file.rel_path}): cannot tell whether git would commit "
                f"it: {verdict.why}:"
            )
        for finding in file.findings:
            where = format_key_path(finding.key_path)
            lines.append(f"    {where}: {finding.kind} [{finding.rule}] {finding.preview}")
    count = sum(len(f.findings) for f, _ in blocked)
    values = f"{count} secret value{'s' if count != 1 else ''}"
    files = f"{len(blocked)} file{'s' if len(blocked) != 1 else ''}"
    if only is not None:
        head = f"cannot tell whether git would commit {files} holding {values}: {only.why}"
    elif unknowns:
        head = f"{values} would go to {files} that git would commit or axogen cannot check"
    else:
        head = f"{values} would be written to {files} that git would commit"
    hints = [u.hint for u in sorted(unknowns, key=lambda u: u.why)]
    if certain:
        rels = sorted({f.rel_path for f in certain})
        # a tracked file stays committed whatever .gitignore says: git must forget it
        known = tracked(root, rels)
        untracked = [r for r in rels if r not in known]
        if known:
            paths = " ".join(sorted(known))
            hints.append(
                f"git tracks {paths}, so .gitignore does not apply to "
                f"{'them' if len(known) > 1 else 'it'}: `git rm --cached {paths}` (your copy "
                "stays), commit that, and make sure .gitignore ignores "
                f"{'them' if len(known) > 1 else 'it'}"
            )
        if untracked:
            hints.append(
                f"add the file to .gitignore ({' '.join(untracked)}), move the value to a "
                "file that is ignored, or, if it is not really secret, wrap it: ax.unsafe("
                'value, reason="...")'
            )
    error = SecretLeak(
        f"{head}; nothing was written:\n  " + "\n  ".join(lines), hint="; ".join(hints)
    )
    return error, unknowns


def _env_file_warnings(
    root: Path, verdicts: Mapping[Path, Verdict], told: set[Unknown]
) -> list[str]:
    """A warning for each env file (it holds real values) git would commit, or could not
    check."""
    from axogen.secrets.gitignore import Unknown, find_repo

    warnings: list[str] = []
    unchecked: dict[Unknown, list[Path]] = {}
    top = find_repo(root) or root
    for path, verdict in verdicts.items():
        if isinstance(verdict, Unknown):
            unchecked.setdefault(verdict, []).append(path)
        elif verdict:
            rel = path.relative_to(top).as_posix()
            warnings.append(
                f"{rel} holds your environment values but git does not ignore it; add this "
                f"line to {top / '.gitignore'}:\n    /{rel}\n  or encrypt its secrets to "
                "commit it: axogen env encrypt (docs/team-secrets.md)"
            )
    for unknown, paths in unchecked.items():
        if unknown in told:
            continue
        names = ", ".join(_shown(p, top) for p in paths)
        warnings.append(
            f"could not check that git ignores {names} (it holds your environment values): "
            f"{unknown.why}\n  hint: {unknown.hint}"
        )
    return warnings


def _shown(path: Path, top: Path) -> str:
    try:
        return path.relative_to(top).as_posix()
    except ValueError:
        return str(path)
