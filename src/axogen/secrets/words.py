"""What key names and plain values say: secret names, placeholders, references.

Key names are judged in `keynames.py` (re-exported here); this module adds what a plain
value says: a placeholder, a reference to a secret kept elsewhere, a value naming its slot.
"""

from __future__ import annotations

import re
from functools import lru_cache

from axogen.lazyre import LazyPattern
from axogen.secrets.entropy import looks_random
from axogen.secrets.keynames import ANY_SECRET_WORD, words_of
from axogen.secrets.tokens import SEQ_GRAMS

_SECRET_NOUNS = frozenset({"secret", "secrets", "credential", "credentials", "creds", "cred"})
_PLURAL_NOUNS = frozenset({"secrets", "credentials", "creds"})


# --- placeholders ------------------------------------------------------------------------------

# interpolations of template engines, shells and build tools: `${X}`, `{{ x }}`, `$(X)`…
TEMPLATE_RE = LazyPattern(
    r"\$\{[^}]+\}|\{\{.+?\}\}|\{%.+?%\}|<%.+?%>|\$\([^()]+\)|%\(\w+\)s|#\{[\w.\-]+\}"
    r"|\[\[ *[\w.\-]+ *\]\]|\(\( *[\w.\-]+ *\)\)|@@\w+@@|\$__(?:file|env|vault)\{[^}]+\}"
)
_PLACEHOLDER_RE = LazyPattern(
    r"""^(?:
        \$[A-Za-z_]\w*              # $VAR
      | %[A-Za-z_]\w*%              # %VAR%
      | <[^<>]*>                    # <your-key>
      | \{[A-Za-z_][\w.\-]*\}       # {password}
      | \[[^\[\]]*\]                # [REDACTED]
      | __[A-Za-z][A-Za-z0-9_]*__   # __TOKEN__
      | :[a-z_]+                    # :password (a route parameter)
    )$""",
    re.VERBOSE,
)
_ANGLED_RE = LazyPattern(r"<[A-Za-z][\w .\-]*>")  # postgres://<user>:<password>@…
_PLACEHOLDER_PARTS = (
    "example", "sample", "placeholder", "dummy", "changeme", "change_me", "change-me",
    "changeit", "replace_me", "replaceme", "replace-me", "redacted", "xxxx", "****", "•••",
    "…", "...", "your_", "your-", "yourkey", "yourtoken", "yoursecret", "yourpassword",
    "yourapikey", "notreal", "not_real", "not-real", "not-a-", "not_a_", "fake_", "_fake",
    "-fake", "fake-", "insert_", "insert-", "_here", "-here", "tobemodified",
)  # fmt: skip
_PLACEHOLDER_WORDS = frozenset(
    "xxx example sample placeholder dummy your here todo fixme tbd fake mock test insert paste "
    "replace redacted none null nil undefined changeme optional empty blank provided changed "
    "change need needs".split()
)
# values that documentation and local setups use; not credentials anyone can leak
_DEV_VALUES = frozenset(
    """password passwd pass pwd secret secrets changeme changeit admin administrator root toor
    guest user username test testing tester demo dev devel development local localdev default
    example sample postgres postgresql mysql mariadb redis mongo mongodb rabbitmq minio
    minioadmin elastic kibana oracle tiger sa letmein qwerty 123456 1234567 12345678
    123456789 1234567890 1234 12345 0000 000000 test123 passw0rd p@ssw0rd p@ssword pa$$word
    mysecret supersecret topsecret keyboardcat secretkey mypassword foo bar baz foobar xyz abc
    token apikey key none null nil undefined true false yes no on off enabled disabled enable
    disable auto required optional unset empty n/a na tbd todo fixme redacted hidden masked
    secure insecure random generate generated dummy placeholder notasecret notsecret notset
    unknown include omit read write read-all write-all foobared bitnami tobemodified string str
    bool boolean int integer number float bytes text any object char varchar secretstr
    cafebabe deadbeef feedface decafbad baadf00d bearer basic digest negotiate""".split()
) | {"keyboard cat", "not a secret"}
# a value made only of these words names the slot, is a stock example or describes what
# belongs there (`mysecretpassword`, `Master Password`, `tempString`,
# `some-long-random-string`); the same words with digits are a chosen password
# (`mypassword123`, `root123`)
_STOCK_WORDS = frozenset(
    """my your our super strong very top some the a an and or of for with any at least secret
    password passwd pass pwd word key token api app admin root user test demo default sample
    example dummy fake db change me it dev local foo bar baz qwerty letmein guest postgres mysql
    redis mongo master temp string value new old s random long short secure unique
    alphanumeric characters chars char generated generate access private basic auth encryption
    """.split()
)
_LONGEST_STOCK = max(map(len, _STOCK_WORDS))
_UNLEET = str.maketrans("0134@$57", "oieaasst")
_NON_LETTERS_RE = LazyPattern(r"[^a-z]+")
_SEPARATORS_RE = LazyPattern(r"[\s_\-.]+")


def is_placeholder(value: str, *, chosen: bool = False) -> bool:
    """`${VAR}`, `<your-key>`, `xxxx`, "example…", `changeme`, `12345678`: not a real value.

    Stock words alone (`password`, `mysecretpassword`, `P@ssw0rd`) are placeholders too; the
    same words with a chosen part (`mypassword123`, `Harbor12345`) are not. With `chosen`
    (a value under a credential name, which someone picked), keyboard and digit runs
    (`123456`, `qwerty`) are weak choices, not placeholders.
    """
    v = value.strip().strip("'\"`")
    if not v:
        return True
    if TEMPLATE_RE.search(v) or _PLACEHOLDER_RE.match(v) or _ANGLED_RE.search(v):
        return True
    low = v.lower()[:256]  # a placeholder shows itself early; long values are not re-read
    if len(set(low)) <= 2 or (low in _DEV_VALUES and not (chosen and _only_runs(low))):
        return True
    if len(low) >= 6 and max(low.count(c) for c in set(low)) >= 0.6 * len(low):
        return True  # ghp_000000…, aaaaaaa1
    if len(low) >= 12 and _repeats(low):
        return True  # AABBCCDDAABBCCDD…, abcabcabcabc: a filler
    if any(p in low for p in _PLACEHOLDER_PARTS):
        return True
    if not chosen and _only_runs(low):
        return True  # 123456, abcdef, qwerty, 1234567890abcdef
    if not any(c.isdigit() for c in low) and _stock_words(_NON_LETTERS_RE.sub("", low)):
        return True  # mysecretpassword, my_api_key, Master Password, myassword
    if _NON_LETTERS_RE.sub("", low.translate(_UNLEET)) in _DEV_VALUES:
        return True  # P@ssw0rd!, s3cr3t
    return any(w in _PLACEHOLDER_WORDS for w in words_of(v))


def _stock_words(letters: str, extra: frozenset[str] = frozenset()) -> bool:
    """Only stock words (`mysecretpassword`), one of them maybe with a letter missing or
    extra: a typo of stock words (`myassword`, `passwword`) is no more chosen than they are.

    `extra` are more words that only name the slot: the key's own (`minio` for
    MINIO_SECRET_KEY: `miniosecretkey`).
    """
    return _segments(letters, extra, typos=6 <= len(letters) <= 24)


def _segments(letters: str, extra: frozenset[str], *, typos: bool = False) -> bool:
    """Can `letters` be cut into stock words (and `extra` words)? With `typos`, one of the
    pieces may be a stock word with a letter missing or extra."""
    if not letters:
        return False
    variants = _typo_variants() if typos else frozenset()
    longest = max(_LONGEST_STOCK + 1, max(map(len, extra), default=0))
    # exact[i] / typo[i]: letters[:i] can be cut without / with one typo
    exact = [True] + [False] * len(letters)
    typo = [False] * (len(letters) + 1)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - longest), end):
            piece = letters[start:end]
            word = piece in _STOCK_WORDS or piece in extra
            if exact[start] and word:
                exact[end] = True
            if (typo[start] and word) or (exact[start] and piece in variants):
                typo[end] = True
    return exact[-1] or typo[-1]


@lru_cache(maxsize=1)
def _typo_variants() -> frozenset[str]:
    """Every stock word of 4+ letters with one letter left out or one letter added."""
    out: set[str] = set()
    for word in _STOCK_WORDS:
        if len(word) < 4:
            continue
        for i in range(len(word) + 1):
            if i < len(word):
                out.add(word[:i] + word[i + 1 :])
            out.update(word[:i] + c + word[i:] for c in "abcdefghijklmnopqrstuvwxyz")
    return frozenset(out - _STOCK_WORDS)


def names_the_slot(value: str, key_words: tuple[str, ...]) -> bool:
    """Does `value` only name its slot, in the key's own words and stock words?

    `MINIO_SECRET_KEY: miniosecretkey`, `DB_PASSWORD: postgres_password`; not with digits.
    """
    low = value.lower()
    if any(c.isdigit() for c in low):
        return False
    letters = _NON_LETTERS_RE.sub("", low)
    return len(letters) >= 4 and _segments(letters, frozenset(key_words))


def _repeats(low: str) -> bool:
    """Is `low` one unit of at most 8 characters, said three times or more?"""
    return any(
        len(low) >= 3 * n and low == (low[:n] * (len(low) // n + 1))[: len(low)]
        for n in range(1, 9)
    )


def _only_runs(low: str) -> bool:
    """Is `low` nothing but keyboard or alphabet runs of 6+ (`123456`, `qwerty`, `abcdef`)?"""
    text = _SEPARATORS_RE.sub("", low)
    if len(text) < 6:
        return False
    covered = [False] * len(text)
    for i in range(len(text) - 5):
        if text[i : i + 6] in SEQ_GRAMS:
            covered[i : i + 6] = [True] * 6
    return all(covered)


# --- references: values that name a secret kept elsewhere -------------------------------------

_ENV_NAME_RE = LazyPattern(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_REF_RE = LazyPattern(
    r"^(?:arn:aws[\w-]*:|projects/[^/]+/secrets/|(?:env|file|vault|awssm|aws-sm|ssm|gcpsm|"
    r"azkv|keyvault|op|bw|doppler|sops|k8s|secretsmanager|ref\+[a-z]+)[:+]|ENC[\[(]|vault:v\d+:"
    r"|![A-Za-z]\w*\s"  # YAML tags: `!vault |`, `!Ref DbPassword`, `!env DB_PASSWORD`
    # Terraform and code references: var.db_password, process.env.X, secrets.TOKEN
    r"|(?:var|local|data|module|each|self|process\.env|env|secrets|vars|config|settings|params"
    r"|props|this|os\.environ|ENV)[.\[][\w.\[\]'\"]+$)"
)
_PATH_RE = LazyPattern(
    r"^(?:/|\./|\.\./|~/|[A-Za-z]:[\\/]|file:)"
    r"|^[\w.\-]+(?:/[\w.\-]+)*\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|json|txt|ya?ml|env"
    r"|conf|cfg|ini|pub|gpg|asc|enc|secret|token|properties|toml)$"
)
_EMAIL_RE = LazyPattern(r"^[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}$")
_NAME_RE = LazyPattern(r"^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+$")
_IDENTIFIER_RE = LazyPattern(r"^[A-Za-z][a-z]+(?:[A-Z][a-z]+)+$")  # NextToken, clientSecret
# django.contrib.auth.Hasher, process.env.DB_PASSWORD, settings.SECRET_KEY
_DOTTED_PATH_RE = LazyPattern(
    r"^[a-z_][a-z_0-9]*(?:\.[A-Za-z_]\w*)*\.(?:[A-Z_]\w*|[a-z]+[A-Z]\w*)$|^[a-z_]\w*(?:\.[A-Za-z_]\w*){2,}$"
)
_NAME_PART_RE = LazyPattern(r"^[a-z]+\d{0,3}$|^\d{1,4}$")
# `<word>_secret` names that always hold the material itself, never a Secret object's name
_MATERIAL_WORDS = frozenset(
    "jwt session cookie csrf signing hmac encryption webhook client app api nextauth".split()
)
_CRYPT_HASH_RE = LazyPattern(
    r"(?:^|:)\$(?:2[abxy]|apr1|[156]|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*)\$"
)


# LDAP / Dovecot / supervisor password-hash schemes: `{SSHA}…`, `{SHA}…` (not `{PLAIN}`)
_SCHEME_HASH_RE = LazyPattern(
    r"^\{(?:S?SHA(?:1|256|384|512)?|S?MD5|CRYPT|(?:PBKDF2|ARGON2|BCRYPT|SCRYPT)[\w.\-]*)\}\S+$",
    re.I,
)
# `ID:/path` names a file (systemd `LoadCredential=db:/etc/db`, postfix `hash:/etc/sasl_passwd`)
_ID_PATH_RE = LazyPattern(r"^[\w.\-]+:/(?!/)[\w.\-/]+$")


def is_reference(value: str, key_words: tuple[str, ...]) -> bool:
    """Does `value` point at a secret instead of holding one (env name, path, ARN, k8s name)?"""
    if _ENV_NAME_RE.match(value) or _REF_RE.match(value) or _PATH_RE.match(value):
        return True
    if _ID_PATH_RE.match(value):
        return True
    if _EMAIL_RE.match(value) or _CRYPT_HASH_RE.search(value) or _SCHEME_HASH_RE.match(value):
        return True  # an address; a password hash (htpasswd, bcrypt) is not the password
    if value.lower() in key_words:
        return True  # rapt_token: rapt
    if _DOTTED_PATH_RE.match(value) and not looks_random(value.rsplit(".", 1)[-1], relaxed=True):
        return True  # a module path; not `s.<24 random>` (a Vault token)
    if value.count(" ") >= 2 and ANY_SECRET_WORD.intersection(words_of(value)):
        return True  # "Password used to generate the key": a description
    if _IDENTIFIER_RE.match(value) and ANY_SECRET_WORD.intersection(words_of(value)):
        return True  # input_token: NextToken names a field
    if _NAME_RE.match(value):
        parts = re.split(r"[-_.]", value)
        if any(len(p) >= 2 and p.isdigit() for p in parts):
            return False  # `dev-jwt-secret-123`: a chosen value, not a name
        if ANY_SECRET_WORD.intersection(parts):  # `db-password`, `jwt_secret`: a name
            return True
        # under `secret` / `credentials`, a dashed lowercase name is a stored secret's name
        if key_words and key_words[-1] in _SECRET_NOUNS:
            if _MATERIAL_WORDS.intersection(key_words[:-1]):
                return False  # jwt_secret: amber-onyx-raven-42 is a passphrase
            return all(_NAME_PART_RE.match(p) for p in parts)
    # `imagePullSecrets: regcred`: a list of secrets holds their names
    return (
        bool(key_words) and key_words[-1] in _PLURAL_NOUNS and value.isalpha() and value.islower()
    )
