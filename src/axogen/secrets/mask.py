"""Masked previews of secret values: a known token prefix and the length, never the body.

`mask("ghp_" + 36 chars)` is `ghp_…(40 chars)`; anything else is `…(N chars)`. The prefix
says which provider a token belongs to (the one fact a user needs to find and revoke it) and
carries no secret: every token of that provider starts with it.
"""

from __future__ import annotations

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
