"""Secret detection: the labelled corpus, the data walk, rendered text, and masking."""

from __future__ import annotations

import datetime as dt
import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axogen.secrets.detect import Finding, classify, find_secrets, scan_text
from axogen.secrets.entropy import looks_random
from axogen.secrets.mask import KNOWN_PREFIXES, known_prefix, mask
from secrets_corpus import CASES, Case

_rng = random.Random(7)
B62 = string.ascii_letters + string.digits


def token(prefix: str, n: int, alphabet: str = B62) -> str:
    return (
        prefix + "".join(_rng.choice(alphabet) for _ in range(n - 1)) + _rng.choice(string.digits)
    )


GH = token("gh" + "p_", 36)
STRIPE = token("sk" + "_live_", 24)
AKIA = token("AK" + "IA", 16, string.ascii_uppercase + string.digits)


# --- the corpus --------------------------------------------------------------------------------


def test_corpus_is_large_and_balanced() -> None:
    positives = sum(c.secret for c in CASES)
    assert len(CASES) >= 300
    assert 0.35 <= positives / len(CASES) <= 0.65
    assert len({(c.key, c.value) for c in CASES}) == len(CASES), "duplicate cases"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_corpus_case(case: Case) -> None:
    result = classify(case.key, case.value)
    if case.secret:
        assert result is not None, f"missed: {case.key}={mask(case.value)} ({case.note})"
    else:
        assert result is None, f"false positive {result}: {case.key}={case.value!r}"


def test_classify_names_the_kind_and_rule() -> None:
    assert classify("x", GH) == ("GitHub token", "github-pat")
    assert classify("AWS_ACCESS_KEY_ID", AKIA) == ("AWS access key ID", "aws-access-key-id")
    assert classify("db_url", "postgres://app:Zq8-Lw2x@db/app") == (
        "password in a URL",
        "url-credentials",
    )
    assert classify("DB_PASSWORD", "Zq8-Lw2x!") == ("secret-named key", "keyword")
    assert classify("opaque", "Zk3pQ8rT2vX9mN4bL7cW1yH6") == ("high-entropy string", "entropy")


@pytest.mark.parametrize(
    "key",
    ["password", "DB_PASSWORD", "dbPassword", "db.password", "db-password", "X-Api-Key",
     "apiKey", "APIKEY", "client_secret", "authToken", "SMTP_PASS", "secret_key_base",
     "privateKey", "Ocp-Apim-Subscription-Key", "contraseña"],
)  # fmt: skip
def test_secret_names_are_words_of_the_key(key: str) -> None:
    assert classify(key, "Vq7.Rm2-Xp9") is not None


@pytest.mark.parametrize(
    "key",
    ["author", "monkey", "tokenizer", "passwordless_enabled", "keyboard", "secretary",
     "bypass", "password_file", "token_url", "secret_name", "api_key_header",
     "password_min_length", "public_key", "max_tokens", "commit_sha"],
)  # fmt: skip
def test_names_that_hold_no_secret(key: str) -> None:
    assert classify(key, "Vq7.Rm2-Xp9") is None


@pytest.mark.parametrize(
    "value",
    ["StringWithLengthBetween1And128", "gke-gcloud-auth-plugin-linux-x86_64",
     "AbstractSingletonProxyFactoryBean", "orders-processing-dead-letter-queue-v2",
     "Policy-Min-TLS-1-2-2019-07", "550e8400-e29b-41d4-a716-446655440000",
     "sha256:" + "ab" * 32, "v2.3.0-rc.1+build.20240101", "ip-10-0-1-23.ec2.internal"],
)  # fmt: skip
def test_identifiers_do_not_look_random(value: str) -> None:
    assert not looks_random(value)


@pytest.mark.parametrize("alphabet", [B62, B62 + "+/", B62 + "-_", "0123456789abcdef"])
def test_random_tokens_look_random(alphabet: str) -> None:
    rng = random.Random(alphabet)
    tokens = ["".join(rng.choice(alphabet) for _ in range(40)) for _ in range(200)]
    assert sum(looks_random(t) for t in tokens) >= 190


# --- find_secrets ------------------------------------------------------------------------------


def test_nested_dicts_lists_and_keys_in_document_order() -> None:
    data = {
        "name": "api",
        "db": {"host": "db", "password": "Zq8-Lw2x!", "port": 5432},
        "tokens": ["ok", GH, {"inner": STRIPE}],
        STRIPE: {"note": "a secret used as a key"},
        "when": dt.datetime(2024, 1, 1),
        "flags": [True, None, 1.5],
    }

    found = find_secrets(data)

    assert [(f.key_path, f.rule) for f in found] == [
        (("db", "password"), "keyword"),
        (("tokens", 1), "github-pat"),
        (("tokens", 2, "inner"), "stripe-secret-key"),
        (("sk_live_…(32 chars)",), "stripe-secret-key"),
    ]
    assert found[3].kind == "Stripe secret key used as a key"


def test_a_secret_key_never_shows_in_any_key_path() -> None:
    found = find_secrets({"outer": {GH: {"password": "Zq8-Lw2x!"}}})

    assert [f.key_path for f in found] == [
        ("outer", "ghp_…(40 chars)"),
        ("outer", "ghp_…(40 chars)", "password"),
    ]
    assert all(GH not in str(f) for f in found)


def test_list_items_are_judged_with_the_list_key() -> None:
    found = find_secrets({"passwords": ["Zq8-Lw2x!", "${FROM_ENV}"], "hosts": ["Zq8-Lw2x!"]})

    assert [f.key_path for f in found] == [("passwords", 0)]


def test_declared_paths_are_findings_whatever_they_look_like() -> None:
    data = {"JWT_SECRET": "short", "DB": {"PASSWORD": "x"}, "NAME": "svc", "NESTED": {"a": "b"}}

    found = find_secrets(
        data, declared=frozenset({("JWT_SECRET",), ("DB", "PASSWORD"), ("NESTED",)})
    )

    assert found == [
        Finding(("JWT_SECRET",), "declared secret", "declared", "…(5 chars)"),
        Finding(("DB", "PASSWORD"), "declared secret", "declared", "…(1 chars)"),
        Finding(("NESTED", "a"), "declared secret", "declared", "…(1 chars)"),
    ]


def test_allowed_paths_are_never_findings_nor_anything_below() -> None:
    data = {"token": GH, "ci": {"key": STRIPE, "list": [GH]}, STRIPE: "x", "other": GH}

    found = find_secrets(
        data, allowed=frozenset({("token",), ("ci",), (STRIPE,)}), declared=frozenset({("token",)})
    )

    assert [f.key_path for f in found] == [("other",)]


def test_sealed_secret_ciphertext_may_be_committed() -> None:
    import base64

    rng = random.Random(7)
    ciphertext = base64.b64encode(b"\x02\x00" + rng.randbytes(700)).decode()
    token = "gh" + "p_" + "".join(rng.choice(string.ascii_letters) for _ in range(36))
    manifest = {
        "kind": "SealedSecret",
        "spec": {"encryptedData": {"password": ciphertext, "GITHUB_TOKEN": token}},
    }
    # the ciphertext is made to be committed; a plain token put there by mistake is not
    assert [(f.key_path, f.rule) for f in find_secrets(manifest)] == [
        (("spec", "encryptedData", "GITHUB_TOKEN"), "github-pat")
    ]
    # the same blob anywhere else is judged as usual
    assert find_secrets({"data": {"password": ciphertext}})


def test_plain_data_without_secrets() -> None:
    data = {
        "SERVICE_NAME": "svc1",
        "PORT": 8001,
        "DB": {"HOST": "db1.internal", "POOL": {"MIN": 1, "MAX": 11, "TIMEOUT": 2.5}},
        "TAGS": ["web", "zone-1", "tier-1"],
        "EMPTY": {},
    }

    assert find_secrets(data) == []
    assert find_secrets([]) == []
    assert find_secrets("just text") == []


def test_a_multi_line_value_is_scanned_line_by_line() -> None:
    blob = "DEBUG=false\nAPI_TOKEN=Zk3pQ8rT2vX9mN4bL7cW\nPORT=80"

    assert [(f.key_path, f.rule) for f in find_secrets({"env": blob})] == [(("env",), "keyword")]


# --- scan_text ---------------------------------------------------------------------------------


def test_scan_text_finds_each_form_on_its_line() -> None:
    text = "\n".join(
        [
            "# config",  # 1
            "log_level = info",  # 2
            f"github = {GH}",  # 3
            "DATABASE_URL=postgres://app:Zq8-Lw2x@db:5432/app",  # 4
            '"api_key": "Vq7Rm2Xp9Lk4Tn8Wd3",',  # 5
            "password: ${DB_PASSWORD}",  # 6
            "-----BEGIN OPENSSH PRIVATE KEY-----",  # 7
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            "-----END OPENSSH PRIVATE KEY-----",
            "webhook: https://hooks.example.com/x?token=Vq7Rm2Xp9Lk4Tn8Wd3",  # 10
            "author = Jane",  # 11
            f'curl -H "Authorization: Bearer {token("", 40)}" https://api.example.com',  # 12
            "<password>Zq8-Lw2x!</password>",  # 13
        ]
    )

    found = scan_text(text)

    assert [(f.key_path, f.rule) for f in found] == [
        (("line 3",), "github-pat"),
        (("line 4",), "url-credentials"),
        (("line 5",), "keyword"),
        (("line 7",), "private-key"),
        (("line 10",), "url-secret-param"),
        (("line 12",), "authorization-header"),
        (("line 13",), "keyword"),
    ]
    assert found[0].preview == "ghp_…(40 chars)"


def test_scan_text_label_and_clean_text() -> None:
    assert scan_text(f"a\ntoken: {GH}", path_label="row")[0].key_path == ("row 2",)
    assert scan_text("") == []
    assert scan_text("<h1>Hello</h1>\n<p>Rotate your token every 90 days.</p>\n") == []


def test_scan_text_ignores_certificates_and_public_keys() -> None:
    body = "".join(_rng.choice(B62) for _ in range(64))
    text = f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\nssh-ed25519 AAAAC3Nza{body} me@host\n"

    assert scan_text(text) == []


# --- mask --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (GH, "ghp_…(40 chars)"),
        (STRIPE, "sk_live_…(32 chars)"),
        (AKIA, "AKIA…(20 chars)"),
        ("xo" + "xb-" + "1" * 12 + "-" + "2" * 12, "xoxb-…(30 chars)"),
        ("hunter2", "…(7 chars)"),
        ("ghp_", "…(4 chars)"),  # a bare prefix is no token: nothing to name
        ("", "…(0 chars)"),
    ],
)
def test_mask(value: str, expected: str) -> None:
    assert mask(value) == expected


def test_mask_never_contains_the_body() -> None:
    for case in CASES:
        body = case.value[len(known_prefix(case.value)) :]
        if len(body) >= 4:
            assert body not in mask(case.value)


def test_mask_avoids_text_that_the_value_itself_contains() -> None:
    value = "zz…(12 chars)"
    assert mask(value) == "…"


_prefixed = st.builds(
    lambda p, rest: p + rest, st.sampled_from(KNOWN_PREFIXES), st.text(min_size=0, max_size=60)
)


@given(st.one_of(st.text(max_size=80), _prefixed))
def test_mask_never_holds_six_characters_of_the_secret_part(value: str) -> None:
    masked = mask(value)
    body = value[len(known_prefix(value)) :]
    grams = {body[i : i + 6] for i in range(len(body) - 5)}
    assert not any(g in masked for g in grams)
    assert masked.endswith(("chars)", "…"))


def rendered_lines(*lines: str) -> list[int]:
    """The line numbers scan_text reports for `lines` joined as one rendered file."""
    return [int(f.key_path[0].split()[1]) for f in scan_text("\n".join(lines) + "\n")]


def test_scan_text_knows_the_forms_of_common_config_files() -> None:
    rng = random.Random(11)
    pw = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(18)) + "7_"
    salt = "".join(rng.choice(string.ascii_letters + string.digits + "!#%&") for _ in range(64))
    import base64

    url = base64.b64encode(f"postgres://app:{pw}@db:5432/app".encode()).decode()
    cases = [
        [f"define( 'DB_PASSWORD', '{pw}' );"],  # PHP define()
        [f"define('AUTH_SALT', '{salt}');"],  # WordPress salts
        [f"requirepass {pw}"],  # redis.conf: name, space, value
        [f"    stats auth admin:{pw}"],  # haproxy
        [f'Environment="DB_PASSWORD={pw}"'],  # systemd
        [f"ExecStart=/usr/bin/app --session-secret {pw}"],  # a flag and its value
        [f"aws configure set aws_secret_access_key {pw}"],
        [f"db.internal:5432:app:app:{pw}"],  # ~/.pgpass
        [f'password = """{pw}"""'],  # grafana.ini
        [f"  DATABASE_URL: {url}"],  # a Kubernetes Secret's data
    ]
    for lines in cases:
        assert rendered_lines("# a generated file", *lines) == [2], lines
    jaas = [
        "KafkaServer {",
        "  org.apache.kafka.common.security.plain.PlainLoginModule required",
        f'  user_alice="{pw}";',
        "};",
    ]
    assert rendered_lines(*jaas) == [3]


def test_scan_text_leaves_references_ids_and_hashes_alone() -> None:
    clean = [
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
        "admin_password = $__file{/run/secrets/grafana_admin}",
        "token: $(vault read -field=token secret/ci)",
        "  signingkey = DC28A4D1E0F9B3C7",
        "cache_key = 60da2c8f1b0e47d39a5c6b8e2f41d7a09c3e5b11",
        "Environment=GIT_REVISION=be55c0ffee1234567890abcdef1234567890abcd",
        "LoadCredential=db-password:/etc/app/db-password",
        "smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd",
        "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']",
        "password_encryption = scram-sha-256",
        "password={SHA}07b4cbd6a1f5c0b6e6d0e2f4a6b8c0d2e4f6a8b0",
        "RUN --mount=type=secret,id=npmrc docker build --secret id=npmrc,src=.npmrc .",
    ]
    assert rendered_lines(*clean) == []
