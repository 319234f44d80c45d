"""Masked previews of secret values: a known token prefix and the length, never the body.

`mask("ghp_" + 36 chars)` is `ghp_…(40 chars)`; anything else is `…(N chars)`. The prefix
says which provider a token belongs to (the one fact a user needs to find and revoke it) and
carries no secret: every token of that provider starts with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from axogen.lazyre import LazyPattern
from axogen.runcontext import current

if TYPE_CHECKING:
    from axogen.generate.render import PlannedFile

# Longest first, so `sk-ant-` wins over `sk-`. Only fixed markers every token of a format
# starts with; a prefix is shown only when the value is long enough for it to be a token.
KNOWN_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "github_pat_",
            "ghp_",
            "gho_",
            "ghu_",
            "ghs_",
            "ghr_",
            "glpat-",
            "gldt-",
            "glptt-",
            "glrt-",
            "gloas-",
            "GR1348941",
            "sk_live_",
            "sk_test_",
            "rk_live_",
            "rk_test_",
            "whsec_",
            "xoxb-",
            "xoxp-",
            "xoxa-",
            "xoxo-",
            "xoxr-",
            "xoxs-",
            "xoxe-",
            "xoxe.",
            "xapp-",
            "https://hooks.slack.com/",
            "AKIA",
            "ASIA",
            "AIza",
            "GOCSPX-",
            "ya29.",
            "SG.",
            "npm_",
            "pypi-",
            "eyJ",
            "dop_v1_",
            "doo_v1_",
            "dor_v1_",
            "key-",
            "sk-proj-",
            "sk-svcacct-",
            "sk-admin-",
            "sk-ant-",
            "sk-",
            "hf_",
            "shpat_",
            "shpss_",
            "shpca_",
            "shppa_",
            "dckr_pat_",
            "hvs.",
            "hvb.",
            "HRKU-",
            "glc_",
            "glsa_",
            "sntrys_",
            "sntryu_",
            "PMAK-",
            "lin_api_",
            "NRAK-",
            "dapi",
            "pul-",
            "sbp_",
            "figd_",
            "gsk_",
            "xai-",
            "r8_",
            "tskey-",
            "-----BEGIN",
            "AGE-SECRET-KEY-",
        },
        key=lambda p: (-len(p), p),
    )
)

_NGRAM = 6  # a preview never holds 6 consecutive characters of the secret part


def known_prefix(value: str) -> str:
    """The provider marker `value` starts with, or '' (none, or too short to be a token)."""
    for prefix in KNOWN_PREFIXES:
        if value.startswith(prefix) and len(value) >= len(prefix) + 8:
            return prefix
    return ""


def mask(value: str) -> str:
    """A preview safe to print: a known token prefix and the length, e.g. `ghp_…(40 chars)`."""
    prefix = known_prefix(value)
    body = value[len(prefix) :]
    # The fixed text could, for a hostile or unlucky value, repeat part of the value itself
    # (a value containing "(12 chars)"); fall back to shorter forms until it does not.
    for candidate in (f"{prefix}…({len(value)} chars)", f"…({len(value)} chars)", "…"):
        if not _shares_ngram(candidate, body):
            return candidate
    return "…"  # pragma: no cover - "…" is shorter than an n-gram


def _shares_ngram(text: str, secret: str) -> bool:
    if len(secret) < _NGRAM:
        return False
    return any(text[i : i + _NGRAM] in secret for i in range(len(text) - _NGRAM + 1))


# --- secrets output must never show ------------------------------------------------------------

# values shorter than this are not hidden in output: masking every "x" or "ab" would mangle
# all output and protect nothing
MIN_HIDDEN = 4


class Masker:
    """Hides a set of secret values in text, each as its masked preview (`mask`).

    The forms files write a value in are hidden too: each line of a multi-line value, and
    the value as JSON, XML, CSV, `.properties`, `.env` and URLs escape it. The one way
    axogen hides secrets: the console's filter, `diff`, and the commands `run` echoes.
    """

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._known: set[str] = set()
        self._values: set[str] = set()  # the values added, whose forms are in _known
        # Every form under its first MIN_HIDDEN characters, longest first, and the preview
        # each is shown as. `hide` looks for these short prefixes and compares a whole form
        # only where its prefix occurs: the work grows with the length of the text, not
        # with the length of the secrets (one secret may be megabytes; a regex of them all
        # took seconds to build each time a secret was added).
        self._index: dict[str, list[str]] | None = None
        self._previews: dict[str, str] = {}
        for value in values:
            self.add(value)

    def __bool__(self) -> bool:
        return bool(self._known)

    @property
    def forms(self) -> frozenset[str]:
        """Every form hidden (each at least MIN_HIDDEN characters)."""
        return frozenset(self._known)

    def add(self, value: str) -> None:
        """Hide `value` (and its forms) from now on."""
        if value in self._values:
            return  # each target holding it remembers it again: its forms are known already
        self._values.add(value)
        for form in _forms(value):
            if len(form) >= MIN_HIDDEN and form not in self._known:
                self._known.add(form)
                if self._index is not None:  # kept up to date: values come one by one
                    forms = self._index.setdefault(form[:MIN_HIDDEN], [])
                    forms.append(form)
                    forms.sort(key=len, reverse=True)

    def hide(self, text: str) -> str:
        """`text` with every value replaced by its masked preview.

        Scanning from the left, the longest form that starts at a place is replaced, and
        the scan goes on after it (what a regex of every form, longest first, would do).
        """
        if not self._known or not text:
            return text
        return self._hide(text, final=True)[0]

    def hide_head(self, text: str) -> tuple[str, str]:
        """For text that more text will follow (a stream written piece by piece): the masked
        part that can be shown now, and the rest of `text`, held back because a secret may
        begin there. Feeding the held rest again in front of the next piece, and the last
        one to `hide`, shows exactly what `hide` of the whole text would."""
        if not self._known or not text:
            return text, ""
        shown, cut = self._hide(text, final=False)
        return shown, text[cut:]

    def _hide(self, text: str, *, final: bool) -> tuple[str, int]:
        """The masked text up to the cut, and the cut (len(text) when `final`)."""
        index = self._index
        if index is None:
            index = self._index = _build_index(self._known)
        size = len(text)
        parts: list[str] = []
        done = 0
        for at in _starts(text, index):
            if at < done:
                continue  # inside a form already replaced
            forms = index[text[at : at + MIN_HIDDEN]]
            if not final and any(
                len(form) > size - at and text.startswith(form[: size - at], at) for form in forms
            ):
                # what follows may complete a (longer) form starting here: undecided
                parts.append(text[done:at])
                return "".join(parts), at
            for form in forms:
                if text.startswith(form, at):
                    preview = self._previews.get(form)
                    if preview is None:
                        preview = self._previews[form] = mask(form)
                    parts += (text[done:at], preview)
                    done = at + len(form)
                    break
        cut = size
        if not final:
            # the last characters, too few for a prefix, may be the start of one
            for at in range(max(done, size - MIN_HIDDEN + 1), size):
                rest = text[at:]
                if any(prefix.startswith(rest) for prefix in index):
                    cut = at
                    break
        if not parts and cut == size:
            return text, size
        parts.append(text[done:cut])
        return "".join(parts), cut


# what axogen prints passes through the masker of the run in progress (`runcontext`)


def remember(value: str) -> None:
    """Hide `value` from everything the run in progress prints from now on."""
    current().masker.add(value)


def hide(text: str) -> str:
    """`text` with every secret of the run in progress replaced by its masked preview."""
    return current().masker.hide(text)


def hide_head(text: str) -> tuple[str, str]:
    """`Masker.hide_head` with every secret of the run in progress."""
    return current().masker.hide_head(text)


def _forms(value: str) -> Iterator[str]:
    import json
    from urllib.parse import quote

    yield value
    if "\n" in value:
        yield from (line.strip() for line in value.splitlines() if len(line.strip()) >= 8)
    yield json.dumps(value, ensure_ascii=False)[1:-1]
    yield json.dumps(value)[1:-1]
    yield value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    yield value.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&apos;")
    yield value.replace('"', '""')
    yield value.replace("\\", "\\\\").replace('"', '\\"')  # .env double quotes
    yield value.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=")
    yield quote(value, safe="")


def _build_index(known: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for form in known:
        index.setdefault(form[:MIN_HIDDEN], []).append(form)
    for forms in index.values():
        forms.sort(key=len, reverse=True)  # longest first: no partial masks
    return index


def _starts(text: str, index: dict[str, list[str]]) -> list[int]:
    """Every place in `text` where a remembered form's prefix occurs, in order."""
    starts: list[int] = []
    if len(index) <= len(text):
        # str.find scans in C: one pass per prefix, cheap for the handful of secrets a
        # project has, whatever the text's length
        for prefix in index:
            at = text.find(prefix)
            while at != -1:
                starts.append(at)
                at = text.find(prefix, at + 1)
        starts.sort()
    else:
        # more prefixes than characters (a short line, many secrets): look up each place
        last = len(text) - MIN_HIDDEN
        starts = [at for at in range(last + 1) if text[at : at + MIN_HIDDEN] in index]
    return starts


# --- one file's lines, old and new (`axogen diff`) ----------------------------------------------

# `KEY=value`, `key: value`, `"key": "value"`, `key = value`: the value part of a line
_ASSIGNMENT = LazyPattern(
    r"""^(?P<head>[\s"']*(?P<key>[\w.-]+)["']?\s*(?:=|:)\s*)(?P<value>\S.*?)(?P<tail>,?)$"""
)


def secrets_on_disk(file: PlannedFile, old_text: str, format_name: str | None) -> set[str]:
    """The secret values the file on disk holds, which the new content may no longer hold.

    The old text is parsed with the target's format; a value is secret when it sits where
    the new content has a secret (a SecretStr, a finding) or looks like one itself.
    """
    if not old_text or format_name is None:
        return set()
    from axogen.formats import get_format
    from axogen.secrets.detect import find_secrets

    fmt = get_format(format_name)
    if fmt.load is None:
        return set()  # a format axogen only writes (a template, a .env.example)
    try:
        data = fmt.load(old_text)
    except Exception:
        return set()  # edited into something unparsable: the line rules still apply
    from axogen.values import collect_strings, nested_deeper_than

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
        collect_strings(node, values)
    return values


class FileMasker:
    """Masks, in one file's lines, the secret values it holds and the values of secret keys.

    Old content is masked too: the secrets found in the file on disk (`old_values`), a line
    whose key held a secret in the new content, and a value that looks like a credential
    never show, even if that value changed.
    """

    def __init__(self, file: PlannedFile, old_values: set[str] | frozenset[str] = frozenset()):
        values = {v for v in file.secret_values if v} | {v for v in old_values if v}
        self._values = Masker(values)
        self._keys = {str(p[-1]) for p in file.secret_paths if p and isinstance(p[-1], str)}

    def line(self, line: str) -> str:
        from axogen.secrets.detect import classify

        body = line.rstrip("\n")
        end = line[len(body) :]
        body = self._values.hide(body)
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
                body = f"{match['head']}{opening}{mask(raw)}{closing}{match['tail']}"
        return body + end
