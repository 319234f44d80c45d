"""What a key name says about the value stored under it: secret names, weak names, quiet ones.

A key name is split into words (`dbPassword`, `DB_PASSWORD`, `db.password`, `X-Api-Key` all
give `db password` / `x api key`) and judged on whole words, so `author`, `monkey`,
`tokenizer` and `passwordless_enabled` hold no secret word. The head word decides: in
`password_file`, `token_url` or `secret_name` a trailing qualifier makes the name describe a
secret instead of holding one.

Apart from `words.py` (placeholders, references), which imports the entropy and token
rules: loading an env file can ask `cannot_be_secret` without compiling the detector.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

# How a key name bears on its value
STRONG = "strong"  # names a secret: any real value is one (`password`, `api_key`)
WEAK = "weak"  # may hold one: a random-looking value is one (`key`, `auth`, `salt`)
NEUTRAL = "neutral"  # says nothing: only the value's own shape counts
QUIET = "quiet"  # describes a secret or holds a public / hash / id value (`secret_name`, `sha`)

KeyInfo = tuple[str, tuple[str, ...]]

_SECRET_WORDS = frozenset(
    """password passwords passwd passwds pwd passphrase passcode passwort contrasena senha
    wachtwoord motdepasse secret secrets token tokens credential credentials creds psk requirepass masterauth apikey
    apikeys apitoken authtoken accesstoken refreshtoken privatekey secretkey accesskey
    clientsecret appsecret authtok bindpw rootpw""".split()
)
_SECRET_SUFFIXES = ("password", "passwd", "secret", "token")  # dbpassword, apitoken
_LAST_ONLY = frozenset({"pass", "pw", "pword"})  # DB_PASS, but not pass_through
_KEY_WORDS = frozenset({"key", "keys"})
# `<qualifier>_key` names a secret: api_key, signing_key, stripe_key…
_KEY_QUALIFIERS = frozenset(
    """api access secret private priv signing sign encryption encrypt enc decryption decrypt
    crypt crypto cipher aes hmac master auth app account shared session cookie jwt webhook
    license licence deploy client consumer service storage sas subscription admin root server
    write ingest mgmt management rest live prod secure aws gcp google azure stripe github gitlab
    slack twilio sendgrid mailgun mailchimp openai anthropic heroku digitalocean npm pypi datadog
    dd pusher shopify hubspot newrelic cloudflare cf netlify vercel okta auth0 supabase pinecone
    cohere mistral groq replicate huggingface hf langsmith postmark resend mandrill sparkpost
    plaid square paypal braintree razorpay paddle clerk doppler linear notion airtable figma
    atlassian jira discord telegram twitter facebook dropbox zoom intercom zendesk onesignal
    bugsnag rollbar honeybadger algolia openrouter together fireworks perplexity deepseek gemini
    elevenlabs deepgram brevo""".split()
)
# a word after the secret word that makes the name describe the secret, not hold it
_META = frozenset(
    """id ids uuid guid sid arn kid oid name names file files filename path paths dir directory
    url urls uri endpoint host hostname port header headers field param prefix suffix env var
    variable type kind format algorithm alg algo length len size min max count ttl expiry
    expires expiration expire lifetime timeout duration interval rotation enabled enable
    disabled required policy hint regex pattern mode method store provider manager backend
    source location mount label description desc help template encoding charset scope scopes
    audience issuer usage limit level status state option options class module handler
    strategy ref reference exists generator command cmd script plugin hash hashes sha nonce
    digest checksum fingerprint version rev revision tag image placeholder example sample flag
    flags mask masked encrypted ciphertext secure sealed code codes strength complexity days
    hours minutes seconds ms age history attempts retries reuse validator validation rules
    requirements chars characters lowercase uppercase digits symbols special budget used
    balance symbol address decimals standard supply price amount rate hasher hashers validators
    validator backends serial serialnumber modulus exponent number encryption stdin helper reqd
    region zone""".split()
)
_BARE_NEUTRAL = frozenset({"field", "fields", "param", "option", "options"})
_QUIET_PREFIX = frozenset(
    "max min num total count existing use is has require requires allow show hide skip no".split()
)
_HASH_WORDS = frozenset(
    """sha sha1 sha256 sha384 sha512 md5 commit revision rev digest checksum hash hashes etag
    integrity fingerprint crc build release head parent tree idempotency""".split()
)
_PUBLIC_WORDS = frozenset("public publishable pub site sitekey browser anon search".split())
_WEAK_WORDS = frozenset(
    """key keys auth salt sig signature seed cookie session hmac jwt bearer authorization otp
    totp mfa cipher pass pw sas""".split()
)
PASSWORD_WORDS = frozenset(
    {"password", "passwords", "passwd", "pwd", "pass", "pw", "passcode", "passphrase"}
)
ANY_SECRET_WORD = _SECRET_WORDS | _LAST_ONLY | {"key", "pwd"}

_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words_of(text: str) -> list[str]:
    """`dbPassword` -> [db, password]; `X-API-Key` -> [x, api, key]; `OAUTH2_TOKEN` -> [oauth, 2, token]."""
    return [w.lower() for w in _WORD_RE.findall(text)]


def _is_secret_word(words: list[str], i: int) -> bool:
    w = words[i]
    if w in _SECRET_WORDS or (w in _LAST_ONLY and i == len(words) - 1):
        return True
    if w in _KEY_WORDS:
        return i > 0 and words[i - 1] in _KEY_QUALIFIERS
    if w.endswith(_SECRET_SUFFIXES):
        return True
    return w.endswith(("key", "keys")) and w.rstrip("s")[:-3] in _KEY_QUALIFIERS  # apikey


def _ascii(key: str) -> str:
    """`key` with accents taken off and other non-ASCII characters dropped."""
    import unicodedata  # for the rare name that needs it: 3 ms to import

    return unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()


@lru_cache(maxsize=16384)
def key_info(key: str) -> KeyInfo:
    """How the name `key` bears on its value (STRONG, WEAK, NEUTRAL, QUIET), and its words."""
    ascii_key = key if key.isascii() else _ascii(key)
    words = words_of(ascii_key)
    info = tuple(words)
    if not words:
        return NEUTRAL, info
    if any(w in _PUBLIC_WORDS for w in words):
        return QUIET, info
    if "mixpanel" in words and words[-1] == "token":
        return QUIET, info  # Mixpanel project token: "not a secret value"
    head = max((i for i in range(len(words)) if _is_secret_word(words, i)), default=-1)
    if head >= 0:
        tail = words[head + 1 :]
        if tail == ["id"] and words[head] == "secret":  # Vault AppRole's secret_id
            return STRONG, info
        if words[0] in _QUIET_PREFIX or any(t in _META for t in tail):
            return QUIET, info
        return STRONG, info
    if (words[-1] in _META and words[-1] not in _BARE_NEUTRAL) or _HASH_WORDS.intersection(words):
        return QUIET, info
    if words[-2:] == ["cache", "key"]:
        return QUIET, info  # `cache_key`: what a cache entry is looked up by (often a hash)
    if ("md", "5") in pairwise(words):
        return QUIET, info  # `md5` splits into `md`, `5`
    if any(w in _WEAK_WORDS for w in words):
        return WEAK, info
    return NEUTRAL, info


# every provider token format is 16+ characters (tokens.py); a shorter value is only a
# secret under a secret name, or as the password of a URL or a connection string
SHORTEST_TOKEN = 16


def cannot_be_secret(key: str | None, value: str) -> bool:
    """True when no detector rule could call `value`, stored under `key`, a secret.

    The detector's own first gate (engine.judge_value), here so that a caller with many
    short plain values (an env file's `PORT=5432`, `LOG_LEVEL=debug`) can skip importing
    the detector, whose rules cost ~30 ms to compile.
    """
    value = value.strip()
    if len(value) < 4:
        return True
    if len(value) >= SHORTEST_TOKEN or "@" in value or "=" in value:
        return False
    return key is None or key_info(key)[0] is not STRONG
