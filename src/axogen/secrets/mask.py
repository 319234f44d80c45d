"""Masked previews of secret values: a known token prefix and the length, never the body.

`mask("ghp_" + 36 chars)` is `ghp_…(40 chars)`; anything else is `…(N chars)`. The prefix
says which provider a token belongs to (the one fact a user needs to find and revoke it) and
carries no secret: every token of that provider starts with it.
"""

from __future__ import annotations

from collections.abc import Iterator

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
_KNOWN: set[str] = set()
_VALUES: set[str] = set()  # the values remembered, whose forms are in _KNOWN
# Every remembered form under its first MIN_HIDDEN characters, longest first, and the
# preview each is shown as. `hide` looks for these short prefixes and compares a whole
# form only where its prefix occurs: the work grows with the length of the text, not with
# the length of the secrets (one secret may be megabytes; a regex of them all took seconds
# to build each time a secret was added).
_index: dict[str, list[str]] | None = None
_previews: dict[str, str] = {}


def remember(value: str) -> None:
    """Hide `value` from everything axogen prints from now on (in this process).

    The forms files write it in are hidden too: each line of a multi-line value, and the
    value as JSON, XML, CSV, `.properties` and URLs escape it.
    """
    if value in _VALUES:
        return  # each target holding it remembers it again: its forms are known already
    _VALUES.add(value)
    for form in _forms(value):
        if len(form) >= MIN_HIDDEN and form not in _KNOWN:
            _KNOWN.add(form)
            if _index is not None:  # kept up to date: secrets are remembered one by one
                forms = _index.setdefault(form[:MIN_HIDDEN], [])
                forms.append(form)
                forms.sort(key=len, reverse=True)


def forget() -> None:
    """Forget every remembered secret (a new run of the CLI in the same process)."""
    global _index
    _KNOWN.clear()
    _VALUES.clear()
    _previews.clear()
    _index = None


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
    yield value.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=")
    yield quote(value, safe="")


def _build_index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for form in _KNOWN:
        index.setdefault(form[:MIN_HIDDEN], []).append(form)
    for forms in index.values():
        forms.sort(key=len, reverse=True)  # longest first: no partial masks
    return index


def hide(text: str) -> str:
    """`text` with every remembered secret replaced by its masked preview.

    Scanning from the left, the longest remembered form that starts at a place is replaced,
    and the scan goes on after it (what a regex of every form, longest first, would do).
    """
    if not _KNOWN or not text:
        return text
    return _hide(text, final=True)[0]


def hide_head(text: str) -> tuple[str, str]:
    """For text that more text will follow (a stream written piece by piece): the masked part
    that can be shown now, and the rest of `text`, held back because a secret may begin
    there. Feeding the held rest again in front of the next piece, and the last one to
    `hide`, shows exactly what `hide` of the whole text would."""
    if not _KNOWN or not text:
        return text, ""
    shown, cut = _hide(text, final=False)
    return shown, text[cut:]


def _hide(text: str, *, final: bool) -> tuple[str, int]:
    """The masked text up to the cut, and the cut (len(text) when `final`)."""
    global _index
    index = _index
    if index is None:
        index = _index = _build_index()
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
                preview = _previews.get(form)
                if preview is None:
                    preview = _previews[form] = mask(form)
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
