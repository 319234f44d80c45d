"""Is this value a secret? Pure rules over key names, values and rendered text; no I/O.

The public entry points: `classify` (one value under a key name), `find_secrets` (plain
data), `scan_text` / `scan_text_values` (rendered text). The rules are small functions
registered in order, one tuple per kind: `rules_value.VALUE_RULES` and `COMPOSITE_RULES`
(one value), `rules_text.TEXT_RULES`, `LINE_RULES` and `NAMED_LINE_RULES` (text); the
engine (`engine.py`, the walker in `walk.py`) asks them and keeps what they find.

A value is judged in this order; the first rule that decides wins.

1. Provider token formats (GitHub, AWS, Stripe, Slack, Google, …; see `tokens.py`), found
   by one prefilter regex over all their literal markers. A format filled with a placeholder
   (`AKIA…EXAMPLE`, `ghp_xxxx…`) is not a secret; a format that is public by design (Stripe
   `pk_`, Mapbox `pk.`, certificates, SSH public keys) settles the value as not secret,
   whatever its key says.
2. Credentials inside composite values: URLs (`scheme://user:pass@host`; query parameters
   `?token=`, `&api_key=`, `&sig=`), connection strings (`Password=…;`, `AccountKey=…`,
   libpq `password=…`), `Bearer …` / `Basic …` header values, and every line of a
   multi-line value.
3. The key name (`words.py`): a secret name (`password`, `secret`, `token`, `api_key`, …)
   makes any real value a secret; a weak one (`key`, `auth`, `salt`, `signature`) one that
   looks random.
4. High entropy (`entropy.py`): a long unbroken string of letters and digits that reads
   neither as words nor as an identifier, or 32+ random hex digits. Names that hold hashes
   and ids (`commit`, `sha`, `checksum`, `*_id`, `public_key`) are never judged by entropy.
5. A wallet recovery phrase (12-24 words) under a `mnemonic` / `seed` name; a JSON Web Key
   holding its private part `d`.

Never secrets: placeholders (`${VAR}`, `$VAR`, `{{ var }}`, `<your-key>`, `xxxx`, `****`,
texts with "example", "placeholder", "dummy", "your…", documented defaults like `changeme`
or `postgres`), references to a secret kept elsewhere (`DB_PASSWORD`, `/run/secrets/db`,
`arn:…`, `vault:…`, `op://…`, a Kubernetes secret's name), a URL with a user but no password
(`postgres://app@db`, a Sentry DSN), and password hashes (`$2b$…`).
"""

from __future__ import annotations

from collections.abc import Set

from axogen.secrets.engine import judge, text_hits
from axogen.secrets.finding import Finding, KeyPath
from axogen.secrets.mask import mask
from axogen.secrets.trivial import TRIVIAL_RULES, is_trivial_hit, names_in_data, names_in_text
from axogen.secrets.walk import DECLARED_INSIDE, embeddable, find_secrets

__all__ = [
    "Finding",
    "KeyPath",
    "classify",
    "embeddable",
    "find_secrets",
    "names_in_data",
    "names_in_text",
    "scan_text",
    "scan_text_values",
]


def classify(key: str | None, value: str) -> tuple[str, str] | None:
    """(kind, rule) when `value`, stored under the key name `key`, is a secret; else None."""
    hit = judge(key, value)
    return None if hit is None else (hit.kind, hit.rule)


def scan_text(
    text: str, *, path_label: str = "line", declared: Set[str] = frozenset()
) -> list[Finding]:
    """Secrets in rendered text (a template's output), one finding per secret, in order.

    The key path of a finding is `(f"{path_label} {line_number}",)`, e.g. `("line 3",)`.
    """
    return [f for f, _ in scan_text_values(text, path_label=path_label, declared=declared)]


def scan_text_values(
    text: str, *, path_label: str = "line", declared: Set[str] = frozenset()
) -> list[tuple[Finding, str]]:
    """Like `scan_text`, each finding with the secret itself (to hide it from output).

    Every place a value of `declared` (the env model's secrets) shows is a finding too, and
    a password that repeats a service, user or database name of the text is not.
    """
    hits = list(text_hits(text))
    if any(hit.rule in TRIVIAL_RULES for _, hit in hits):
        names = names_in_text(text)
        hits = [(line, hit) for line, hit in hits if not is_trivial_hit(hit, names)]
    found = [
        (Finding((f"{path_label} {line}",), hit.kind, hit.rule, mask(hit.token)), hit.token)
        for line, hit in hits
    ]
    for value in embeddable(declared):
        at = text.find(value)
        while at >= 0:
            line = text.count("\n", 0, at) + 1
            label = (f"{path_label} {line}",)
            if not any(f.key_path == label and value in token for f, token in found):
                found.append((Finding(label, *DECLARED_INSIDE, mask(value)), value))
            at = text.find(value, at + len(value))
    return found
