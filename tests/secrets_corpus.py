"""Labelled (key, value, secret?) cases for the secret detector.

Positives follow the token formats that providers publish (prefix, length, alphabet) and the
shapes public secret-scanner rules describe; negatives are ordinary config values, placeholders
from documentation, and look-alikes. No real credential is here: every token's random part is
drawn at import time from a seeded generator, so this file never holds a whole token (push
protection would rightly refuse one) and the corpus is the same on every run.
"""

from __future__ import annotations

import base64
import json
import random
import string
import uuid
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class Case:
    key: str | None
    value: str
    secret: bool
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.key}:{'+' if self.secret else '-'}{self.note or len(self.value)}"


_rng = random.Random(0x5EC12E7)

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
HEX = "0123456789abcdef"
B62 = LOWER + UPPER + DIGITS
B64 = B62 + "+/"
B64URL = B62 + "-_"
B32 = UPPER + "234567"


def r(alphabet: str, n: int) -> str:
    """`n` random characters of `alphabet`, with at least one digit when it has digits."""
    while True:
        out = "".join(_rng.choice(alphabet) for _ in range(n))
        if n < 8 or not set(alphabet) & set(DIGITS) or any(c.isdigit() for c in out):
            return out


def b64(n_bytes: int, *, urlsafe: bool = False, pad: bool = True) -> str:
    raw = bytes(_rng.getrandbits(8) for _ in range(n_bytes))
    out = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(raw).decode()
    return out if pad else out.rstrip("=")


def pw(n: int = 14) -> str:
    """A human-made password: letters, digits and a couple of URL-safe symbols."""
    chars = [_rng.choice(B62) for _ in range(n - 2)] + [_rng.choice("!*-_.~"), _rng.choice(DIGITS)]
    _rng.shuffle(chars)
    return "".join(chars)


def an_uuid() -> str:
    return str(uuid.UUID(int=_rng.getrandbits(128), version=4))


def jwt(claims: dict[str, object]) -> str:
    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return (
        f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{b64(32, urlsafe=True, pad=False)}"
    )


def pem(label: str, n_bytes: int = 600, *, escaped: bool = False) -> str:
    body = b64(n_bytes)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    sep = "\\n" if escaped else "\n"
    return sep.join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + sep


def P(key: str | None, value: str, note: str = "") -> Case:
    return Case(key, value, True, note)


def N(key: str | None, value: str, note: str = "") -> Case:
    return Case(key, value, False, note)


AKIA = "AK" + "IA" + r(UPPER + DIGITS, 16)
GH_PAT = "gh" + "p_" + r(B62, 36)
GL_PAT = "gl" + "pat-" + r(B62 + "-_", 20)
SLACK_BOT = "xo" + "xb-" + r(DIGITS, 12) + "-" + r(DIGITS, 13) + "-" + r(B62, 24)
OPENAI_LEGACY = "sk" + "-" + r(B62, 20) + "T3BlbkFJ" + r(B62, 20)
AZURE_KEY = b64(64)

# --- positives: provider formats -------------------------------------------------------------

PROVIDERS = [
    P("AWS_ACCESS_KEY_ID", AKIA, "aws-akia"),
    P("aws.accessKeyId", "AS" + "IA" + r(UPPER + DIGITS, 16), "aws-asia"),
    P("credentials", "[default]\naws_access_key_id = " + AKIA, "aws-ini"),
    P("AWS_SECRET_ACCESS_KEY", r(B64, 40), "aws-secret"),
    P("aws_secret_access_key", r(B62 + "/", 40), "aws-secret-lower"),
    P("secretAccessKey", r(B64, 40), "aws-secret-camel"),
    P("GITHUB_TOKEN", GH_PAT, "ghp"),
    P("gh.oauth", "gh" + "o_" + r(B62, 36), "gho"),
    P("installation_token", "gh" + "s_" + r(B62, 36), "ghs"),
    P("user_to_server", "gh" + "u_" + r(B62, 36), "ghu"),
    P("refresh", "gh" + "r_" + r(B62, 76), "ghr"),
    P("GH_PAT", "github" + "_pat_" + r(B62, 22) + "_" + r(B62, 59), "github-fine-grained"),
    P(
        "remote",
        "https://x-access-token:" + "gh" + "s_" + r(B62, 36) + "@github.com/o/r.git",
        "ghs-url",
    ),
    P("ci.token", GL_PAT, "glpat"),
    P("GITLAB_DEPLOY_TOKEN", "gl" + "dt-" + r(B62, 20), "gldt"),
    P("trigger", "gl" + "ptt-" + r(HEX, 40), "glptt"),
    P("runner_registration", "GR13" + "48941" + r(B62 + "_-", 20), "gitlab-runner"),
    P("STRIPE_SECRET_KEY", "sk" + "_live_" + r(B62, 24), "stripe-live"),
    P("stripe", "sk" + "_live_" + r(B62, 99), "stripe-live-long"),
    P("payments.key", "sk" + "_test_" + r(B62, 99), "stripe-test"),
    P("STRIPE_RESTRICTED", "rk" + "_live_" + r(B62, 24), "stripe-restricted"),
    P("STRIPE_WEBHOOK_SECRET", "wh" + "sec_" + r(B62, 32), "stripe-webhook"),
    P("SLACK_BOT_TOKEN", SLACK_BOT, "slack-bot"),
    P(
        "slack.user",
        "xo" + "xp-" + r(DIGITS, 12) + "-" + r(DIGITS, 12) + "-" + r(DIGITS, 13) + "-" + r(HEX, 32),
        "slack-user",
    ),
    P(
        "SLACK_APP_TOKEN",
        "xa" + "pp-1-A" + r(UPPER + DIGITS, 10) + "-" + r(DIGITS, 13) + "-" + r(HEX, 64),
        "slack-app",
    ),
    P(
        "alerts.webhook",
        "https://hooks.slack.com/services/T"
        + r(UPPER + DIGITS, 8)
        + "/B"
        + r(UPPER + DIGITS, 10)
        + "/"
        + r(B62, 24),
        "slack-webhook",
    ),
    P("GOOGLE_API_KEY", "AI" + "za" + r(B62 + "-_", 35), "google-api"),
    P(
        "maps",
        "https://maps.googleapis.com/maps/api/js?key=" + "AI" + "za" + r(B62 + "-_", 35),
        "google-in-url",
    ),
    P("GOOGLE_CLIENT_SECRET", "GOC" + "SPX-" + r(B62 + "-_", 28), "google-oauth-secret"),
    P("oauth", "ya" + "29." + r(B62 + "-_", 120), "google-access-token"),
    P("gcloud_refresh", "1//" + "0" + r(B62 + "-_", 100), "google-refresh"),
    P("TWILIO_API_KEY", "S" + "K" + r(HEX, 32), "twilio-sk"),
    P("TWILIO_AUTH_TOKEN", r(HEX, 32), "twilio-auth-token"),
    P("SENDGRID_API_KEY", "S" + "G." + r(B62 + "-_", 22) + "." + r(B62 + "-_", 43), "sendgrid"),
    P("mail.api", "S" + "G." + r(B62, 22) + "." + r(B62, 43), "sendgrid-2"),
    P("NPM_TOKEN", "np" + "m_" + r(B62, 36), "npm"),
    P(
        "npmrc",
        "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=" + an_uuid(),
        "npmrc-legacy",
    ),
    P("PYPI_API_TOKEN", "py" + "pi-AgEIcHlwaS5vcmc" + r(B64URL, 70), "pypi"),
    P("TWINE_PASSWORD", "py" + "pi-AgENdGVzdC5weXBpLm9yZw" + r(B64URL, 70), "testpypi"),
    P("jwt", jwt({"sub": an_uuid(), "iat": 1716239022, "role": "admin"}), "jwt"),
    P(
        "SUPABASE_SERVICE_ROLE_KEY",
        jwt({"iss": "supabase", "role": "service_role", "exp": 1983812996}),
        "jwt-supabase",
    ),
    P("id_token", jwt({"sub": r(DIGITS, 21), "aud": "app", "email": "a@b.co"}), "jwt-id"),
    P(
        "AZURE_STORAGE_CONNECTION_STRING",
        "DefaultEndpointsProtocol=https;AccountName=prodassets;AccountKey="
        + AZURE_KEY
        + ";EndpointSuffix=core.windows.net",
        "azure-storage-conn",
    ),
    P("AZURE_STORAGE_KEY", b64(64), "azure-storage-key"),
    P(
        "servicebus",
        "Endpoint=sb://orders-ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey="
        + b64(32),
        "azure-servicebus",
    ),
    P(
        "eventhub",
        "Endpoint=sb://telemetry.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey="
        + b64(32)
        + ";EntityPath=events",
        "azure-eventhub",
    ),
    P(
        "blob_url",
        "https://prodassets.blob.core.windows.net/exports/report.csv?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2025-12-31T00:00:00Z&spr=https&sig="
        + quote(b64(32), safe=""),
        "azure-sas",
    ),
    P(
        "AZURE_CLIENT_SECRET",
        r(B62, 3) + r(DIGITS, 1) + "Q" + "~" + r(B62 + "_~.-", 34),
        "azure-ad-secret",
    ),
    P("HEROKU_API_KEY", an_uuid(), "heroku-uuid"),
    P("heroku", "HR" + "KU-AA" + r(B62 + "_-", 58), "heroku-v2"),
    P("DIGITALOCEAN_TOKEN", "do" + "p_v1_" + r(HEX, 64), "do-pat"),
    P("do.oauth", "do" + "o_v1_" + r(HEX, 64), "do-oauth"),
    P("MAILGUN_API_KEY", "ke" + "y-" + r(HEX, 32), "mailgun"),
    P("MAILGUN_SIGNING_KEY", r(HEX, 32) + "-" + r(HEX, 8) + "-" + r(HEX, 8), "mailgun-signing"),
    P(
        "OPENAI_API_KEY",
        "sk" + "-proj-" + r(B62 + "-_", 74) + "T3BlbkFJ" + r(B62 + "-_", 74),
        "openai-proj",
    ),
    P("openai_key", OPENAI_LEGACY, "openai-legacy"),
    P("llm.api_key", "sk" + "-svcacct-" + r(B62 + "-_", 120), "openai-svcacct"),
    P("ANTHROPIC_API_KEY", "sk" + "-ant-api03-" + r(B62 + "-_", 93) + "AA", "anthropic"),
    P("settings", "claude: sk" + "-ant-admin01-" + r(B62 + "-_", 93) + "AA", "anthropic-admin"),
    P("HF_TOKEN", "h" + "f_" + r(B62, 34), "huggingface"),
    P("SHOPIFY_ACCESS_TOKEN", "sh" + "pat_" + r(HEX, 32), "shopify"),
    P("DATABRICKS_TOKEN", "da" + "pi" + r(HEX, 32), "databricks"),
    P("LINEAR_API_KEY", "lin" + "_api_" + r(B62, 40), "linear"),
    P("POSTMAN_API_KEY", "PM" + "AK-" + r(HEX, 24) + "-" + r(HEX, 34), "postman"),
    P(
        "DISCORD_WEBHOOK",
        "https://discord.com/api/webhooks/" + r(DIGITS, 18) + "/" + r(B62 + "-_", 68),
        "discord-webhook",
    ),
    P(
        "notify",
        "https://api.telegram.org/bot" + r(DIGITS, 10) + ":AA" + r(B62 + "-_", 33) + "/sendMessage",
        "telegram",
    ),
    P("NOTION_TOKEN", "sec" + "ret_" + r(B62, 43), "notion"),
    P("FIGMA_TOKEN", "fi" + "gd_" + r(B62 + "-_", 40), "figma"),
    P("DOPPLER_TOKEN", "dp" + ".st." + r(B62, 40), "doppler"),
    P("MAILCHIMP_API_KEY", r(HEX, 32) + "-us" + "6", "mailchimp"),
    P("NEW_RELIC_API_KEY", "NR" + "AK-" + r(UPPER + DIGITS, 27), "newrelic"),
    P("NEW_RELIC_LICENSE_KEY", r(HEX, 36) + "NRAL", "newrelic-license"),
    P("GRAFANA_TOKEN", "gl" + "sa_" + r(B62, 32) + "_" + r(HEX, 8), "grafana-sa"),
    P("PULUMI_ACCESS_TOKEN", "pu" + "l-" + r(HEX, 40), "pulumi"),
    P("SUPABASE_ACCESS_TOKEN", "sb" + "p_" + r(HEX, 40), "supabase"),
    P("age.identity", "AGE-SECRET" + "-KEY-1" + r("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58), "age"),
    P("SQUARE_ACCESS_TOKEN", "EA" + "AA" + r(B62 + "-_", 60), "square"),
    P("ATLASSIAN_API_TOKEN", "ATA" + "TT3" + r(B62 + "-_", 180) + "=" + r(HEX, 8), "atlassian"),
    P(
        "DT_API_TOKEN",
        "dt0" + "c01." + r(UPPER + DIGITS, 24) + "." + r(UPPER + DIGITS, 64),
        "dynatrace",
    ),
    P("ALIBABA_ACCESS_KEY_ID", "LT" + "AI" + r(B62, 20), "alibaba"),
    P("PLANETSCALE_PASSWORD", "psc" + "ale_pw_" + r(B62 + "_", 43), "planetscale"),
    P("TAILSCALE_AUTHKEY", "tsk" + "ey-auth-" + r(B62, 12) + "CNTRL-" + r(B62, 33), "tailscale"),
    P("REPLICATE_API_TOKEN", "r" + "8_" + r(B62, 37), "replicate"),
    P("GROQ_API_KEY", "gs" + "k_" + r(B62, 52), "groq"),
    P("XAI_API_KEY", "xa" + "i-" + r(B62, 80), "xai"),
    P("DOCKERHUB_TOKEN", "dck" + "r_pat_" + r(B62 + "-_", 27), "dockerhub"),
    P("VAULT_TOKEN", "hv" + "s." + r(B62 + "-_", 90), "vault"),
    P("TF_TOKEN_app_terraform_io", r(B62, 14) + ".atl" + "asv1." + r(B62 + "-_", 67), "terraform"),
    P("SENTRY_AUTH_TOKEN", "sntr" + "yu_" + r(HEX, 64), "sentry-user"),
    P(
        "MAPBOX_SECRET_TOKEN",
        "s" + "k." + "eyJ1IjoiYWNtZSIsImEiOiJ" + r(B62, 20) + "." + r(B62 + "-_", 22),
        "mapbox-secret",
    ),
    P("TWITTER_BEARER_TOKEN", "A" * 21 + r(B62, 20) + "%3D" + r(B62, 50), "twitter-bearer"),
]

PRIVATE_KEYS = [
    P("private_key", pem("RSA PRIVATE KEY", 1190), "pem-rsa"),
    P("SSH_PRIVATE_KEY", pem("OPENSSH PRIVATE KEY", 300), "pem-openssh"),
    P("tls.key", pem("EC PRIVATE KEY", 120), "pem-ec"),
    P("signing", pem("ENCRYPTED PRIVATE KEY", 800), "pem-encrypted"),
    P("gpg_key", pem("PGP PRIVATE KEY BLOCK", 900), "pgp-private"),
    P("bundle", pem("CERTIFICATE", 700) + pem("PRIVATE KEY", 1200), "cert-then-key"),
    P(
        "GOOGLE_CREDENTIALS",
        json.dumps(
            {
                "type": "service_account",
                "project_id": "acme-prod",
                "private_key_id": r(HEX, 40),
                "private_key": pem("PRIVATE KEY", 1200),
                "client_email": "deploy@acme-prod.iam.gserviceaccount.com",
            }
        ),
        "gcp-sa-json",
    ),
    P(
        "deploy_key_b64",
        base64.b64encode(pem("OPENSSH PRIVATE KEY", 300).encode()).decode(),
        "pem-base64",
    ),
    P("ssh.identity", pem("PRIVATE KEY", 1200, escaped=True), "pem-escaped-newlines"),
]

URLS = [
    P("DATABASE_URL", "postgres://app:" + pw() + "@db.internal:5432/app", "postgres-url"),
    P(
        "MONGO_URI",
        "mongodb+srv://admin:"
        + pw(20)
        + "@cluster0.ab1cd.mongodb.net/?retryWrites=true&w=majority",
        "mongo-srv",
    ),
    P("REDIS_URL", "redis://:" + pw(24) + "@redis.prod:6379/0", "redis-password-only"),
    P("broker", "amqps://orders:" + pw() + "@mq.example.com:5671/prod", "amqp-example-host"),
    P("mysql", "mysql://root:" + pw(10) + "@127.0.0.1:3306/shop", "mysql-root"),
    P("proxy", "http://svc-proxy:" + pw() + "@proxy.corp.local:3128", "http-proxy"),
    P("upload", "ftp://deploy:" + pw() + "@files.example.org/uploads", "ftp"),
    P(
        "sentry_legacy",
        "https://" + r(HEX, 32) + ":" + r(HEX, 32) + "@sentry.io/12345",
        "sentry-legacy-secret",
    ),
    P(
        "jdbc",
        "jdbc:postgresql://db:5432/app?user=app&password=" + pw() + "&ssl=true",
        "jdbc-password-param",
    ),
    P("smtp", "smtps://mailer%40corp.com:" + pw() + "@smtp.gmail.com:465", "smtp-encoded-user"),
    P("git", "https://deploy:" + r(B62, 20) + "@bitbucket.org/team/repo.git", "git-https-password"),
    P("callback", "https://api.partner.io/hook?token=" + r(B62, 32), "token-param"),
    P(
        "client.endpoint",
        "https://api.weather.io/v2/forecast?city=berlin&api_key=" + r(HEX, 32),
        "api-key-param",
    ),
    P(
        "download",
        "https://bucket.s3.amazonaws.com/file.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
        + AKIA
        + "%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature="
        + r(HEX, 64),
        "s3-presigned",
    ),
    P(
        "gcs",
        "https://storage.googleapis.com/bkt/obj?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20240101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20240101T000000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature="
        + r(HEX, 256),
        "gcs-signed",
    ),
    P(
        "feed",
        "https://gitlab.example.com/api/v4/projects?private_token=" + r(B62, 20),
        "private-token-param",
    ),
    P("stream", "wss://stream.example.net/ws?access_token=" + r(B64URL, 40), "ws-access-token"),
    P(
        "links.reset",
        "https://app.example.com/reset?email=a%40b.co&secret=" + r(B62, 24),
        "secret-param",
    ),
    P(
        "SQLSERVER",
        "Server=tcp:prod-sql.database.windows.net,1433;Initial Catalog=orders;User ID=sqladmin;Password="
        + pw()
        + ";Encrypt=True;",
        "ado-net",
    ),
    P(
        "PG_DSN",
        "host=db.internal port=5432 user=app password=" + pw() + " dbname=app sslmode=require",
        "libpq-dsn",
    ),
    P(
        "ConnectionStrings__Default",
        "Data Source=db;Database=app;Uid=app;Pwd=" + pw() + ";",
        "ado-pwd",
    ),
    P("oracle", "User Id=scott;Password=" + pw(10) + ";Data Source=orcl", "oracle"),
    P("env_blob", "DEBUG=false\nAPI_KEY=" + r(B62, 32) + "\nPORT=8080", "env-blob"),
    P(
        "docker_config",
        json.dumps(
            {
                "auths": {
                    "registry.example.com": {
                        "auth": base64.b64encode(("ci:" + pw()).encode()).decode()
                    }
                }
            }
        ),
        "docker-config-json",
    ),
]

KEYWORD = [
    P("DB_PASSWORD", pw(12), "db-password"),
    P("MYSQL_ROOT_PASSWORD", pw(16), "mysql-root"),
    P("password", "correct horse battery staple", "passphrase-words"),
    P("admin_password", "Kj8#mP2$vL9q", "symbols"),
    P("smtp.pass", pw(10), "smtp-pass"),
    P("SMTP_PASSWORD", r(B62, 16), "smtp-password"),
    P("dbPassword", "s3cr3t-Pa55", "camel"),
    P("REDIS_PASS", pw(20), "redis-pass"),
    P("DB_PW", pw(12), "db-pw"),
    P("pwd", "Xy7!pQ2z", "pwd"),
    P("passphrase", "purple monkey dishwasher 42", "passphrase"),
    P("password", "hunter2", "short-classic"),
    P("password", "Summer2024!", "season-year"),
    P("PGPASSWORD", pw(12), "pgpassword"),
    P("ldap.bind.password", pw(), "dotted"),
    P("keystore-password", pw(), "kebab"),
    P("JWT_SECRET", r(B62, 64), "jwt-secret"),
    P("SECRET_KEY", "django-insecure-" + r(LOWER + DIGITS + "!@#$%^&*(-_=+)", 50), "django"),
    P("SECRET_KEY_BASE", r(HEX, 128), "rails"),
    P("APP_KEY", "base64:" + b64(32), "laravel"),
    P("SESSION_SECRET", r(HEX, 32), "session-secret"),
    P("cookie_secret", r(B62, 32), "cookie-secret"),
    P("client_secret", r(B62 + "-_", 40), "client-secret"),
    P("clientSecret", r(B62, 24), "client-secret-camel"),
    P("DATADOG_API_KEY", r(HEX, 32), "datadog-api-key"),
    P("DD_APP_KEY", r(HEX, 40), "datadog-app-key"),
    P("apiKey", r(B62, 32), "api-key-camel"),
    P("x-api-key", r(B62, 40), "x-api-key"),
    P("X-Auth-Token", r(HEX, 40), "x-auth-token"),
    P("auth_token", r(HEX, 32), "auth-token"),
    P("access_token", r(B64URL, 43), "access-token"),
    P("refresh_token", r(B64URL, 64), "refresh-token"),
    P("BOT_TOKEN", r(B62, 30), "bot-token"),
    P("encryption_key", r(HEX, 64), "encryption-key-hex"),
    P("ENCRYPTION_KEY", b64(32), "encryption-key-b64"),
    P("signing_key", r(B62, 48), "signing-key"),
    P("master_key", r(HEX, 32), "rails-master-key"),
    P("private_key", "0x" + r(HEX, 64), "eth-private-key"),
    P("ALGOLIA_ADMIN_API_KEY", r(HEX, 32), "algolia-admin"),
    P("CLOUDFLARE_API_TOKEN", r(B62 + "-_", 40), "cloudflare"),
    P("OKTA_API_TOKEN", "00" + r(B62 + "-_", 40), "okta"),
    P("RECAPTCHA_SECRET_KEY", "6L" + r(B62 + "-_", 38), "recaptcha-secret"),
    P("VAULT_SECRET_ID", an_uuid(), "vault-secret-id"),
    P("secret", r(B62, 20), "bare-secret"),
    P("token", r(LOWER + DIGITS, 40), "bare-token-lower"),
    P("credentials", "deploy:" + pw(), "credentials-pair"),
    P("db_creds", pw(), "creds"),
    P("API_KEY", r(UPPER + DIGITS, 32), "upper-api-key"),
    P("apikey", r(B62, 24), "apikey-one-word"),
    P("WEBHOOK_SECRET", r(B62, 32), "webhook-secret"),
    P("hmac_secret", r(HEX, 64), "hmac-secret"),
    P("consumer_secret", r(B62, 50), "twitter-consumer-secret"),
    P("access_token_secret", r(B62, 45), "twitter-access-secret"),
    P("MINIO_SECRET_KEY", pw(20), "minio-secret"),
    P("RABBITMQ_DEFAULT_PASS", pw(14), "rabbit-default-pass"),
    P("pin_password", "482915", "numeric-password"),
    P(
        "license_key",
        r(UPPER + DIGITS, 5)
        + "-"
        + r(UPPER + DIGITS, 5)
        + "-"
        + r(UPPER + DIGITS, 5)
        + "-"
        + r(UPPER + DIGITS, 5),
        "license",
    ),
    P("Ocp-Apim-Subscription-Key", r(HEX, 32), "azure-apim"),
    P("contraseña", pw(), "spanish"),
    P("Authorization", "Bearer " + r(B64URL, 40), "bearer"),
    P(
        "headers.Authorization",
        "Basic " + base64.b64encode(("api:" + pw()).encode()).decode(),
        "basic",
    ),
    P("auth_header", "Token " + r(HEX, 40), "token-header"),
]

ENTROPY = [
    P("value", r(B62, 32), "b62-32"),
    P("SOME_SETTING", b64(33), "b64-44"),
    P("opaque", r(B64URL, 40), "b64url-40"),
    P("data", r(B62, 24), "b62-24"),
    P("X_INTERNAL", r(B62, 64), "b62-64"),
    P("config.blob", r(B64, 28) + "==", "b64-padded"),
    P("salt", b64(16, pad=False), "weak-salt"),
    P("hmac", r(HEX, 64), "weak-hmac-hex"),
    P("auth", base64.b64encode(("deploy:" + pw()).encode()).decode(), "docker-auth"),
    P("signature", r(B64URL, 43), "weak-signature"),
    P("key", r(B62, 32), "weak-key"),
    P("session", r(B62, 40), "weak-session"),
    P("cache.seed", r(B62, 24), "weak-seed"),
]


# more published formats, one case each
MORE_PROVIDERS = [
    P("PREFECT_API_KEY", "pn" + "u_" + r(B62, 36), "prefect"),
    P("README_API_KEY", "rd" + "me_" + r(LOWER + DIGITS, 70), "readme"),
    P("GEM_HOST_API_KEY", "rubygems" + "_" + r(HEX, 48), "rubygems"),
    P("BREVO_API_KEY", "xkey" + "sib-" + r(HEX, 64) + "-" + r(B62, 16), "brevo"),
    P("SHIPPO_TOKEN", "shippo" + "_live_" + r(HEX, 40), "shippo"),
    P("TYPEFORM_TOKEN", "tf" + "p_" + r(B62, 59), "typeform"),
    P("INFRACOST_API_KEY", "ic" + "o-" + r(B62, 32), "infracost"),
    P("CLOJARS_TOKEN", "CLOJARS" + "_" + r(LOWER + DIGITS, 60), "clojars"),
    P("DUFFEL_TOKEN", "duffel" + "_live_" + r(B62, 43), "duffel"),
    P("EASYPOST_API_KEY", "EZ" + "AK" + r(B62, 54), "easypost"),
    P("FLW_SECRET_KEY", "FLWSECK" + "_TEST-" + r("abcdefgh0123456789", 32) + "-X", "flutterwave"),
    P("NETLIFY_AUTH_TOKEN", "nf" + "p_" + r(B62, 36), "netlify"),
    P("OP_SERVICE_ACCOUNT_TOKEN", "ops" + "_" + "eyJ" + r(B64URL, 300), "1password"),
    P("BUILDKITE_API_TOKEN", "bk" + "ua_" + r(HEX, 40), "buildkite"),
    P("CONTENTFUL_MANAGEMENT_TOKEN", "CF" + "PAT-" + r(B62, 43), "contentful"),
    P("RENDER_API_KEY", "rn" + "d_" + r(B62, 32), "render"),
    P("RESEND_API_KEY", "r" + "e_" + r(B62, 8) + "_" + r(B62, 24), "resend"),
    P("PERPLEXITY_API_KEY", "pp" + "lx-" + r(B62, 48), "perplexity"),
    P("LANGSMITH_API_KEY", "lsv2" + "_pt_" + r(HEX, 32) + "_" + r(HEX, 10), "langsmith"),
    P("PINECONE_API_KEY", "pc" + "sk_" + r(B62, 6) + "_" + r(B62, 64), "pinecone"),
    P("ELEVENLABS_API_KEY", "s" + "k_" + r(HEX, 48), "elevenlabs"),
    P("ARTIFACTORY_API_KEY", "AK" + "Cp" + r(B62, 69), "jfrog"),
    P("BITBUCKET_APP_PASSWORD", "AT" + "BB" + r(B62, 32) + r(HEX, 8), "bitbucket"),
    P("FLY_API_TOKEN", "FlyV1 " + "fm" + "2_" + r(B64, 120), "flyio"),
    P("FCM_SERVER_KEY", "AAAA" + r(B62, 7) + ":APA" + "91b" + r(B62 + "-_", 134), "firebase-fcm"),
    P("INTERCOM_TOKEN", "dG9r" + "Oi" + r(B62, 52) + "=", "intercom"),
    P("AIRTABLE_TOKEN", "pa" + "t" + r(B62, 14) + "." + r(HEX, 64), "airtable"),
    P("CLICKUP_TOKEN", "p" + "k_" + r(DIGITS, 8) + "_" + r(UPPER + DIGITS, 32), "clickup"),
    P("DROPBOX_TOKEN", "s" + "l." + r(B62 + "-_", 138), "dropbox"),
    P(
        "TEAMS_WEBHOOK",
        "https://acme.webhook.office.com/webhookb2/"
        + an_uuid()
        + "@"
        + an_uuid()
        + "/IncomingWebhook/"
        + r(HEX, 32)
        + "/"
        + an_uuid(),
        "teams-webhook",
    ),
    P(
        "BRAINTREE_ACCESS_TOKEN",
        "access" + "_token$production$" + r(LOWER + DIGITS, 16) + "$" + r(HEX, 32),
        "paypal",
    ),
    P("PLAID_ACCESS_TOKEN", "access" + "-production-" + an_uuid(), "plaid"),
    P("WC_CONSUMER_SECRET", "c" + "s_" + r(HEX, 40), "woocommerce"),
    P("NUGET_API_KEY", "oy" + "2" + r(LOWER + DIGITS, 43), "nuget"),
    P("CARGO_REGISTRY_TOKEN", "ci" + "o" + r(B62, 32), "crates"),
    P("CIRCLE_TOKEN", "CCI" + "PAT_" + r(B62, 22) + "_" + r(HEX, 40), "circleci"),
    P("SONAR_TOKEN", "sq" + "p_" + r(HEX, 40), "sonarqube"),
    P("SPACES_ACCESS_KEY_ID", "DO" + "00" + r(UPPER + DIGITS, 16), "do-spaces"),
    P("HONEYCOMB_API_KEY", "hca" + "ik_" + r(LOWER + DIGITS, 58), "honeycomb"),
    P("PADDLE_API_KEY", "pdl" + "_live_apikey_" + r(B62, 26) + "_" + r(B62, 22), "paddle"),
    P("NEON_API_KEY", "na" + "pi_" + r(LOWER + DIGITS, 64), "neon"),
    P(
        "BLOB_READ_WRITE_TOKEN",
        "vercel" + "_blob_rw_" + r(B62, 16) + "_" + r(B62, 30),
        "vercel-blob",
    ),
    P(
        "MNEMONIC",
        " ".join(
            _rng.choice(
                [
                    "abandon",
                    "ability",
                    "orbit",
                    "cable",
                    "sugar",
                    "vivid",
                    "pepper",
                    "hollow",
                    "rival",
                    "tunnel",
                    "frost",
                    "glide",
                ]
            )
            for _ in range(12)
        ),
        "seed-phrase",
    ),
    P(
        "CLOUDINARY_URL",
        "cloudinary://" + r(DIGITS, 15) + ":" + r(B62 + "-_", 27) + "@democloud",
        "cloudinary",
    ),
    P(
        "DATABASE_URL",
        "postgresql://appuser:" + r(B62, 6) + "#" + r(B62, 8) + "@prod-db:5432/app",
        "hash-in-password",
    ),
]

# what real projects' .env, compose, Helm, Actions and Spring files hold
REALISTIC = [
    N("APP_KEYS", "toBeModified1,toBeModified2", "strapi-placeholder"),
    N("JWT_EXPIRES_IN", "90d"),
    N("GITHUB_ID", "Iv1.a629723bfd8e9c4e", "github-app-client-id"),
    N("ALLOWED_HOSTS", "localhost,127.0.0.1,.example.com"),
    N("DJANGO_SETTINGS_MODULE", "config.settings.production"),
    N("PASSWORD_HASHERS", "django.contrib.auth.hashers.Argon2PasswordHasher"),
    N("AUTH_PASSWORD_VALIDATORS", "django.contrib.auth.password_validation.MinimumLengthValidator"),
    N("SESSION_COOKIE_NAME", "sessionid"),
    N("CSRF_COOKIE_NAME", "csrftoken"),
    N("permissions.id-token", "write", "actions-permission"),
    N("uses", "actions/setup-node@8f152de45cc393bb48ce5d89d36b731f54556e65", "pinned-action"),
    N("ansible_become_pass", "{{ vault_become_pass }}"),
    N("server.ssl.key-store-password", "changeit"),
    N("server.ssl.key-store", "classpath:keystore.p12"),
    N("server.ssl.key-alias", "tomcat"),
    N("mfa_serial", "arn:aws:iam::123456789012:mfa/jane"),
    N("username", "__token__"),
    N("token_address", "0x" + r(HEX, 40), "erc20-address"),
    N("token_symbol", "USDC"),
    N("password_strength", "strong"),
    N("secret_rotation_days", "30"),
    N("valueFrom.secretKeyRef.key", "password"),
    N("imagePullSecrets", "regcred"),
    N("auth.secretKeys.adminPasswordKey", "postgres-password"),
    N("certKeyFilename", "tls.key"),
    N("serviceAccount.automountServiceAccountToken", "false"),
    N("image.tag", "16.1.0-debian-11-r15"),
    N("type", "kubernetes.io/dockerconfigjson"),
    N("token_endpoint_auth_method", "client_secret_basic"),
    N("grant_type", "client_credentials"),
    N(
        "SOPS_AGE_RECIPIENTS",
        "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
        "age-public-key",
    ),
    N("description", "API token for the deploy bot; stored in Vault"),
    N("i18n.token_expired", "Your session token has expired"),
    N("test_card", "4242424242424242", "stripe-test-card"),
    N("tokenizer_path", "models/tokenizer.json"),
    N("healthcheck", "curl -f http://localhost:8080/health || exit 1"),
    N("volumes", "./data:/var/lib/postgresql/data"),
    N("REDIS_URL", "redis://:foobared@localhost:6379", "redis-docs-password"),
    N("MONGO_URL", "mongodb://root:example@mongo:27017/"),
    N("DATABASE_URL", "postgres://USER:PASSWORD@HOST:PORT/DATABASE"),
    N(
        "postgres_url",
        "postgres://postgres:mysecretpassword@localhost:5432/postgres",
        "docker-docs-password",
    ),
    P("k8s.data.password", "cGFzc3dvcmQxMjM=", "base64-of-chosen-weak-password"),
    N("code", "const key = crypto.randomBytes(32)", "code-call"),
    N("shape", "StringWithLengthBetween1And128", "camel-identifier"),
    N("enum", "Policy-Min-TLS-1-2-2019-07"),
    N("input_token", "NextToken", "field-name"),
    N(
        "ipfs",
        "Qm" + r("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 44),
        "ipfs-cid",
    ),
    N("entity", "group-" + r(HEX, 64), "prefixed-hex-id"),
    N("digest", "sha256=" + r(HEX, 64)),
    N("stripe_checkout", "cs_test_" + r(B62, 58), "stripe-checkout-session-id"),
]


# credentials inside larger values, and names that sound secret but hold none
COMPOSITE = [
    P(
        "ConnectionStrings:Default",
        "Host=db;Port=5432;Database=app;Username=app;Password=" + pw(16),
        "npgsql",
    ),
    P("BROKER", "kafka://svc:" + pw() + "@broker:9092", "kafka-url"),
    P("elastic_url", "https://elastic:" + r(B62, 20) + "@es.example.com:9243", "elastic-url"),
    P(
        "pip_extra_index",
        "https://__token__:" + "py" + "pi-AgEIcHlwaS5vcmc" + r(B64URL, 60) + "@pypi.org/simple",
        "pypi-in-url",
    ),
    P("netrc", "machine api.heroku.com\n  login me@example.com\n  password " + an_uuid(), "netrc"),
    P("htpasswd_user", "admin:" + pw(), "user-pass-pair"),
    P(
        "proxy_auth",
        "Basic " + base64.b64encode(("proxyuser:" + pw()).encode()).decode(),
        "proxy-basic",
    ),
    P(
        "headers",
        json.dumps({"Authorization": "Bearer " + r(B62, 40), "Accept": "application/json"}),
        "headers-json",
    ),
    P("aws", json.dumps({"accessKeyId": AKIA, "secretAccessKey": r(B64, 40)}), "aws-json"),
    P("CONFIG", "api_key=" + r(HEX, 32) + "&region=eu", "query-string"),
    P(
        "values.yaml",
        "postgresql:\n  auth:\n    password: " + pw(18) + "\n    database: app\n",
        "yaml-blob",
    ),
    P("docker_run", "-e POSTGRES_PASSWORD=" + pw(16) + " -e POSTGRES_DB=app", "docker-env-flags"),
    P("cmd", "mysql -h db -u root --password=" + pw(12) + " app", "cli-flag"),
    P(
        "oauth_redirect",
        "https://app.example.com/callback#access_token=" + r(B64URL, 40) + "&token_type=bearer",
        "fragment-token",
    ),
    P("WP_AUTH_KEY", r(B62 + "!@#$%^&*()-_[]{}<>~+=,.;:/?|", 64), "wordpress-salt"),
    P("RABBITMQ_ERLANG_COOKIE", r(UPPER, 20), "erlang-cookie"),
    P("HASHIDS_SALT", r(B62, 32), "hashids-salt"),
    P("opaque_blob", "/" + r(B64, 63), "base64-leading-slash"),
    P("generated", r(HEX, 64), "token-hex"),
    P("LAUNCHDARKLY_SDK_KEY", "sdk-" + an_uuid(), "launchdarkly"),
]

NOT_SECRET_NAMES = [
    N(
        "ConnectionStrings:Default",
        "Host=db;Port=5432;Database=app;Username=app;Password=${DB_PASSWORD}",
    ),
    N(
        "conn",
        "Server=(localdb)\\mssqllocaldb;Database=App;Trusted_Connection=True;MultipleActiveResultSets=true",
    ),
    N("kafka", "PLAINTEXT://kafka:9092"),
    N("htpasswd_file", "/etc/nginx/.htpasswd"),
    N("auth_basic", "Restricted Area"),
    N("headers", json.dumps({"Accept": "application/json", "User-Agent": "acme/1.0"})),
    N("values.yaml", "postgresql:\n  auth:\n    existingSecret: pg-auth\n    database: app\n"),
    N("docker_run", "-e POSTGRES_PASSWORD=$POSTGRES_PASSWORD -e POSTGRES_DB=app"),
    N("cmd", "mysql -h db -u root -p app"),
    N("slack", "xo" + "xb-your-bot-token"),
    N("GOOGLE_MAPS_KEY", "YOUR_API_KEY"),
    N("stripe", "sk" + "_live_" + "*" * 16),
    N("csr", pem("CERTIFICATE REQUEST", 300)),
    N("pgp_public", pem("PGP PUBLIC KEY BLOCK", 400)),
    N("known_hosts", "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + r(B64, 43)),
    N("CLOUDFLARE_ACCOUNT_ID", r(HEX, 32)),
    N("AUTH0_DOMAIN", "acme.us.auth0.com"),
    N("OKTA_ISSUER", "https://acme.okta.com/oauth2/default"),
    N("TABLE_PREFIX", "wp_"),
    N("AUTH_GITHUB_ID", "Ov23li" + r(B62, 14)),
    N("DISCORD_CLIENT_ID", r(DIGITS, 18)),
    N("signature_version", "v4"),
    N("hmac_algorithm", "sha256"),
    N("seed_file", "db/seeds.rb"),
    N("docker_tag", "2024.11.05-" + r(HEX, 7)),
    N("git_describe", "v1.4.2-17-g" + r(HEX, 7)),
    N("release", "api@1.4.2+" + r(HEX, 12)),
    N("blob_sha", r(HEX, 40)),
    N("lockfile_hash", r(HEX, 64)),
    N("cache_key", "deps-" + r(HEX, 64)),
    N("fingerprint", ":".join(r(HEX, 2) for _ in range(20))),
    N("order_id", "ORD-2024-" + r(DIGITS, 6)),
    N("tracking_number", "1Z" + r(UPPER + DIGITS, 16)),
    N("vin", "1HGCM82633A004352"),
    N("android_package", "com.acme.mobile.app"),
    N("font_url", "https://fonts.googleapis.com/css2?family=Inter:wght@400;700&display=swap"),
    N("analytics_url", "https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ9"),
    N("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    N("presigned_placeholder", "https://bucket.s3.amazonaws.com/key?X-Amz-Signature=..."),
    N("login_url", "https://app.acme.com/login?next=%2Fdashboard"),
    N("token_name", "ci-deploy"),
    N("token_scopes", "read:packages,write:packages"),
    N("token_expiration", "2025-12-31"),
    N("password_hint", "the usual"),
    N("key_file", "/etc/ssl/private/server.key"),
    N("key_type", "ed25519"),
    N("encryption", "AES256"),
    N("auth_provider", "github"),
    N("authority", "https://login.microsoftonline.com/" + an_uuid()),
    N("pass_rate", "0.95"),
    N("token_bucket_capacity", "100"),
    N("keystore_path", "/opt/app/keystore.jks"),
    N("secret_backend", "vault"),
    N("creds_path", "~/.aws/credentials"),
    N("pwd", "/home/runner/work/acme/acme", "pwd-env"),
    N("PGPASSFILE", "/root/.pgpass"),
    N(
        "markup",
        '<span class="hljs-keyword">const</span> pass = <span class="hljs-keyword">new</span>',
    ),
    N("code", "const aliceSecret = alice.computeSecret(bobKey);"),
    N("doc", "password will now be properly URI decoded."),
]


# human passwords under the many names they go by, and values that only look secret
def human() -> str:
    word = _rng.choice(["Sunshine", "Dragon", "Monkey", "Football", "Shadow", "Harley"])
    return word + str(_rng.randint(10, 9999)) + _rng.choice(["!", "#", "$", "", ".", "?"])


NAMES = [
    *(
        P(k, human(), "human-password")
        for k in [
            "DB_PASSWD",
            "MYSQL_PWD",
            "adminPassword",
            "root-password",
            "ADMIN_PASS",
            "ROOT_PW",
            "ftp_pass",
            "bind_password",
            "vpn_psk",
            "wifi_password",
        ]
    ),
    P("x-hasura-admin-secret", r(B62, 32), "hasura"),
    P("note", "use " + GH_PAT + " for CI", "token-in-prose"),
    P(
        "jwk",
        json.dumps(
            {
                "kty": "RSA",
                "n": b64(256, urlsafe=True, pad=False),
                "e": "AQAB",
                "d": b64(256, urlsafe=True, pad=False),
            }
        ),
        "private-jwk",
    ),
    P(
        "SMTP_URL",
        "smtp://apikey:" + "S" + "G." + r(B62, 22) + "." + r(B62, 43) + "@smtp.sendgrid.net:587",
        "sendgrid-in-url",
    ),
    P("csrf_secret", r(B62, 32), "csrf-secret"),
    N("passwordLess", "true"),
    N("google_site_verification", r(B64URL, 43), "site-verification"),
    N("csp_nonce", b64(16)),
    N("paypal_client_id", r(B64URL, 80), "paypal-client-id"),
    N("jwt_public_key", pem("PUBLIC KEY", 294)),
    N(
        "jwks",
        json.dumps(
            {
                "keys": [
                    {
                        "kty": "RSA",
                        "kid": r(B62, 10),
                        "n": b64(256, urlsafe=True, pad=False),
                        "e": "AQAB",
                        "use": "sig",
                    }
                ]
            }
        ),
        "public-jwks",
    ),
    N("db_password_secret", "db-password-v2"),
    N("password_env_var", "DB_PASSWORD"),
    N("token_env", "GITHUB_TOKEN"),
    N("GITHUB_TOKEN", "$(cat /run/secrets/gh)", "command-substitution"),
    N("password", "!vault |", "ansible-vault-tag"),
    N("password", "{{ lookup('env', 'DB_PASSWORD') }}"),
    N("db_password", "<%= ENV['DB_PASSWORD'] %>"),
    N("token", "#{TOKEN}"),
    N("password", "(none)"),
    N("password", "N/A"),
    N("secret", "CHANGE_ME_IN_PRODUCTION"),
    N("JWT_SECRET", "super-secret-jwt-key-change-me"),
    P("password", "Password123!", "weak-chosen-password"),
    N("camel", "ThisIsAVeryLongCamelCaseIdentifierName2"),
    N("snake", "this_is_a_very_long_snake_case_identifier_name_v2"),
    N("dotted", "com.acme.platform.billing.v2.InvoiceService"),
    N("k8s_pod", "api-deployment-5d8f7c9b6d-xk2p9"),
    N(
        "arn",
        "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000",
    ),
    N("tf_state", "acme-terraform-state-eu-west-1-123456789012"),
    N("modulus", "B56CE45CB740B09A13F64AC543B712FF9EE8E4C284B542A1708A27E82A8D151C"),
    N("serialNumber", "66593D57F20CBC573E433381B5FEC280"),
]


# whole files and snippets as single values (kubeconfig, Terraform, .env, INI…) and URLs
SNIPPETS = [
    P("requirepass", pw(16), "redis-requirepass"),
    P("masterauth", pw(16), "redis-masterauth"),
    P(
        "kubeconfig",
        "apiVersion: v1\nusers:\n- name: admin\n  user:\n    token: " + r(B62, 40) + "\n",
        "kubeconfig-token",
    ),
    P(
        "kubeconfig_key",
        "users:\n- name: admin\n  user:\n    client-key-data: "
        + base64.b64encode(pem("RSA PRIVATE KEY").encode()).decode()
        + "\n",
        "kubeconfig-client-key",
    ),
    P(
        "terraform",
        'provider "aws" {\n  access_key = "' + AKIA + '"\n  secret_key = "' + r(B64, 40) + '"\n}\n',
        "terraform-provider",
    ),
    P("helm_args", "--set postgresql.auth.password=" + pw(14) + " --set image.tag=1.2", "helm-set"),
    P("pgpass_line", "db.internal:5432:app:app:" + pw(16), "pgpass"),
    P(
        "dotenv",
        "NODE_ENV=production\nSTRIPE_SECRET_KEY=" + "sk" + "_live_" + r(B62, 24) + "\n",
        "dotenv-blob",
    ),
    P("ini", "[database]\nhost = db\npassword = " + pw(14) + "\n", "ini-blob"),
    P("toml", '[server]\nport = 8080\n[auth]\nsecret = "' + r(B62, 32) + '"\n', "toml-blob"),
    P(None, GH_PAT, "no-key-token"),
    P(None, "postgres://app:" + pw(12) + "@db/app", "no-key-url"),
    P(None, r(B62, 40), "no-key-entropy"),
    P(
        "GCP_SA_KEY",
        base64.b64encode(
            json.dumps(
                {"type": "service_account", "private_key": pem("PRIVATE KEY", 1200)}
            ).encode()
        ).decode(),
        "sa-json-base64",
    ),
    P("LINE_CHANNEL_ACCESS_TOKEN", r(B64, 172) + "=", "line"),
    P("ETHERSCAN_API_KEY", r(UPPER + DIGITS, 34), "etherscan"),
    P(
        "weather",
        "https://api.openweathermap.org/data/2.5/weather?q=London&appid=" + r(HEX, 32),
        "appid-param",
    ),
    P(
        "zapier",
        "https://hooks.zapier.com/hooks/catch/" + r(DIGITS, 7) + "/" + r(LOWER + DIGITS, 6) + "/",
        "zapier",
    ),
    P("ifttt", "https://maker.ifttt.com/trigger/deploy/with/key/" + r(B64URL, 43), "ifttt"),
    N(
        "kubeconfig",
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: "
        + base64.b64encode(pem("CERTIFICATE").encode()).decode()
        + "\n    server: https://10.0.0.1:6443\n  name: prod\n",
        "kubeconfig-ca",
    ),
    N(
        "kubeconfig_exec",
        "users:\n- name: eks\n  user:\n    exec:\n      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n",
    ),
    N("terraform", 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'),
    N(
        "terraform_ref",
        'resource "aws_db_instance" "db" {\n  password = var.db_password\n  username = "admin"\n}\n',
    ),
    N(
        "aws_config",
        "[profile prod]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n",
    ),
    N("dotenv", "NODE_ENV=production\nPORT=3000\nLOG_LEVEL=info\nSTRIPE_SECRET_KEY=\n"),
    N(
        "properties",
        "spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.password=${DB_PASSWORD}\n",
    ),
    N(None, "production"),
    N(None, "my-service-name"),
    N(
        "github_workflow",
        "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n        env:\n          TOKEN: ${{ secrets.TOKEN }}\n",
    ),
    N(
        "dockerfile",
        'FROM python:3.12-slim\nWORKDIR /app\nENV PORT=8000\nCMD ["gunicorn", "app:app"]\n',
    ),
    N(
        "nginx",
        "server {\n  listen 443 ssl;\n  ssl_certificate /etc/ssl/cert.pem;\n  ssl_certificate_key /etc/ssl/key.pem;\n  auth_basic_user_file /etc/nginx/.htpasswd;\n}\n",
    ),
    N("sql", "CREATE USER app WITH PASSWORD :'app_password';\n"),
    N(
        "typescript",
        "interface User {\n  password: string;\n  apiToken?: string\n}\n",
        "type-annotations",
    ),
    N("terraform_var", "var.db_password", "terraform-reference"),
    N("js", "const key = process.env.API_KEY", "env-reference"),
    N("SPOTIFY_CLIENT_ID", r(HEX, 32), "client-id-hex"),
    N("SQUARE_APPLICATION_ID", "sq0idp-" + r(B64URL, 22)),
    N("TX_HASH", "0x" + r(HEX, 64), "tx-hash"),
    N("gravatar", "https://www.gravatar.com/avatar/" + r(HEX, 32) + "?s=200"),
    N("cdn_asset", "https://cdn.example.com/assets/app-" + r(HEX, 20) + ".js"),
    N("s3_object", "uploads/" + an_uuid() + "/avatar.png"),
    N("deep_link", "myapp://open?screen=settings&tab=security"),
]

# --- negatives -----------------------------------------------------------------------------

PLAIN = [
    N("PORT", "8080"),
    N("DB_HOST", "db.internal.example.com"),
    N("REDIS_URL", "redis://localhost:6379/0"),
    N("API_URL", "https://api.example.com/v1"),
    N("DATABASE_URL", "postgres://app@db:5432/app", "user-only-url"),
    N("DATABASE_URL", "postgres://user:password@localhost:5432/mydb", "placeholder-url-password"),
    N("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/postgres", "dev-default-url"),
    N("MONGO_URL", "mongodb://${MONGO_USER}:${MONGO_PASSWORD}@mongo:27017/app", "templated-url"),
    N("AMQP_URL", "amqp://guest:guest@rabbitmq:5672/", "guest-guest"),
    N("db", "mysql://root:<password>@localhost/app", "angle-placeholder-url"),
    N("db2", "postgres://{user}:{password}@{host}/{db}", "format-placeholders-url"),
    N(
        "SENTRY_DSN",
        "https://" + r(HEX, 32) + "@o123456.ingest.sentry.io/4504123456789",
        "sentry-dsn",
    ),
    N("callback_url", "https://app.example.com/auth/callback?next=/dashboard&state=pending"),
    N("search", "https://www.google.com/search?q=token+rotation+best+practices"),
    N(
        "authorize_url",
        "https://github.com/login/oauth/authorize?client_id=Iv1.8a61f9b3a7aba766&scope=repo",
    ),
    N("token_url", "https://oauth2.googleapis.com/token"),
    N("jwks_uri", "https://login.example.com/.well-known/jwks.json"),
    N("docs", "https://docs.stripe.com/keys#obtain-api-keys"),
    N("repo", "git@github.com:org/repo.git"),
    N("repo_https", "https://github.com/org/repo.git"),
    N("http_proxy", "http://proxy.corp:3128"),
    N("mirror", "ftp://anonymous@ftp.example.org/pub", "anonymous-ftp"),
    N("clone", "https://user@bitbucket.org/team/repo.git", "user-only-git"),
    N("reset_link", "https://app.example.com/reset?token={{ token }}", "templated-query"),
    N("ADMIN_EMAIL", "ops@example.com"),
    N("from", "Jane Doe <jane.doe@company.io>"),
    N("VERSION", "1.14.2"),
    N("version", "v2.3.0-rc.1+build.20240101"),
    N("python", "3.11.7"),
    N("created_at", "2024-01-15T10:30:00Z"),
    N("date", "2023-12-31"),
    N("cron", "0 */6 * * *"),
    N("request_id", "550e8400-e29b-41d4-a716-446655440000"),
    N("TENANT", an_uuid(), "uuid-neutral-key"),
    N("trace_id", r(HEX, 32), "hex32-trace-id"),
    N("color", "#1a2b3c"),
    N("theme.primary", "#FF5733"),
    N("mac", "00:1A:2B:3C:4D:5E"),
    N("ipv6", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
    N("ip", "10.0.12.7"),
    N("cidr", "10.0.0.0/16"),
    N("commit", r(HEX, 40), "git-sha"),
    N("GIT_SHA", r(HEX, 40), "git-sha-env"),
    N("revision", r(HEX, 40), "revision"),
    N("sha256", r(HEX, 64), "sha256"),
    N("checksum", "sha256:" + r(HEX, 64), "checksum-prefixed"),
    N("integrity", "sha512-" + b64(64), "npm-integrity"),
    N("etag", '"' + r(HEX, 40) + '"', "etag"),
    N("build", r(HEX, 7), "short-sha"),
    N("image", "nginx:1.25-alpine"),
    N("image", "ghcr.io/org/api@sha256:" + r(HEX, 64), "image-digest"),
    N("IMAGE", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:2024.01.15-3f9c2a1", "ecr-image"),
    N("base_image", "python:3.12-slim-bookworm"),
    N("CERT_PATH", "/etc/ssl/certs/ca-certificates.crt"),
    N("private_key", "/run/secrets/tls.key", "path-under-secret-key"),
    N("private_key_path", "~/.ssh/id_ed25519"),
    N("GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json"),
    N("password_file", "/run/secrets/db_password"),
    N("KUBECONFIG", "~/.kube/config"),
    N("log_dir", "./var/log/app"),
    N("windows_path", "C:\\Program Files\\App\\config.ini"),
    N("ssl.key", "certs/server.key", "relative-key-path"),
    N("NODE_ENV", "production"),
    N("LOG_LEVEL", "debug"),
    N("DEBUG", "false"),
    N("RAILS_ENV", "staging"),
    N("TZ", "Europe/Berlin"),
    N("LANG", "en_US.UTF-8"),
    N("JAVA_OPTS", "-Xmx512m -Xms256m -XX:+UseG1GC"),
    N("PATH", "/usr/local/bin:/usr/bin:/bin"),
    N("description", "Rotate the API token every 90 days"),
    N(
        "user_agent",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    ),
    N("regex", "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$"),
    N("feature_flags", "new-checkout,beta-search"),
    N("locale", "de-DE"),
    N("timeout", "30s"),
    N("max_connections", "100"),
    N("ratio", "0.75"),
    N("greeting", "Hello, world!"),
    N("motd", "Welcome to the staging cluster"),
    N("name", "payments-api"),
    N("replicas", "3"),
    N("k8s_namespace", "production-eu"),
    N("region", "us-east-1"),
    N("zone", "europe-west1-b"),
    N("bucket", "gs://my-bucket/path/to/obj"),
    N("backup", "s3://company-backups/db/2024/01/15/"),
    N("sql", "SELECT id, name FROM users WHERE active = true"),
    N("shell", "docker compose up --build -d"),
    N("html", '<div class="container">Hello</div>'),
    N("json", '{"retries": 3, "backoff": "exponential"}'),
    N("sentence", "The quick brown fox jumps over the lazy dog"),
    N("bundle", "static/js/main.3f9a8c7e.chunk.js"),
    N("font", "Inter-Regular.woff2"),
    N("ulid", "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
    N("mongo_id", "507f1f77bcf86cd799439011"),
    N("eth_address", "0x742d35Cc6634C0532925a3b844Bc454e4438f44e"),
    N("stripe_api_version", "2024-06-20"),
    N("model", "gpt-4o-mini-2024-07-18"),
    N("model_id", "meta-llama/Llama-3.1-8B-Instruct"),
    N("chart", "oci://registry-1.docker.io/bitnamicharts/postgresql"),
    N("pip_index", "https://pypi.org/simple"),
    N(
        "encoded_config",
        base64.b64encode(b'{"debug":true,"log_level":"info","retries":3}').decode(),
        "base64-json",
    ),
    N(
        "greeting_b64",
        base64.b64encode(b"Hello World, this is a test message").decode(),
        "base64-text",
    ),
    N(
        "logo",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "base64-png",
    ),
    N("class", "AbstractSingletonProxyFactoryBean"),
    N("component", "UserProfileSettingsPanelV2"),
    N("event", "checkout.session.completed"),
    N("queue", "orders-processing-dead-letter-queue-v2"),
    N("java_class", "com.example.payments.StripeWebhookController"),
    N("handler", "src/handlers/processPayment.handler"),
    N("lambda", "arn:aws:lambda:us-east-1:123456789012:function:my-function"),
    N("role_arn", "arn:aws:iam::123456789012:role/DeployRole"),
    N("queue_url", "https://sqs.us-east-1.amazonaws.com/123456789012/my-queue"),
    N("topic", "projects/my-project/topics/orders"),
    N(
        "cluster_endpoint",
        "https://" + r(UPPER + DIGITS, 32) + ".gr7.us-west-2.eks.amazonaws.com",
        "eks-endpoint",
    ),
    N("hostname", "ip-10-0-1-23.ec2.internal"),
    N("pod", "web-7d4b9c8f6d-x2k9p"),
    N("node", "gke-prod-pool-1-8f7e6d5c-w3x9"),
    N("ami", "ami-0c55b159cbfafe1f0"),
    N("instance", "i-0abcd1234efgh5678"),
    N("distribution", "E2QWRUHAPOMQZL"),
    N("s3_bucket", "my-app-assets-prod-eu-west-1"),
    N("TWILIO_PHONE", "+14155552671"),
    N("SLACK_CHANNEL", "#alerts-prod"),
    N("SLACK_CHANNEL_ID", "C024BE91L"),
    N("GITHUB_REPOSITORY", "octo-org/octo-repo"),
    N("GITHUB_RUN_ID", "1658821493"),
    N("azure_endpoint", "https://myaccount.blob.core.windows.net/"),
    N("key_vault_uri", "https://my-vault.vault.azure.net/"),
    N("AZURE_TENANT_ID", an_uuid()),
    N("AZURE_CLIENT_ID", an_uuid()),
    N(
        "cdn",
        "https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css",
        "at-in-path",
    ),
    N("webpack_hash", r(HEX, 20), "hex-20"),
    N("word_b64_lookalike", "AccountManagementServiceV3Beta", "camel-words"),
    N("snake_words", "customer_lifetime_value_threshold_v2"),
    N("css", "font-family: Inter, sans-serif; color: #333;"),
    N("jinja", "{% if env == 'prod' %}on{% endif %}"),
    N("empty", ""),
    N("space", "   "),
]

PLACEHOLDERS = [
    N("API_KEY", "<your-api-key>"),
    N("API_KEY", "your_api_key_here"),
    N("password", "changeme"),
    N("password", "${DB_PASSWORD}"),
    N("password", "${DB_PASSWORD:-postgres}"),
    N("token", "$GITHUB_TOKEN"),
    N("secret", "{{ secret }}"),
    N("SECRET", "{{ .Values.secret }}"),
    N("GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}"),
    N("api_key", "xxxxxxxxxxxxxxxxxxxxxxxx"),
    N("password", "********"),
    N("password", "••••••••"),
    N("client_secret", "REPLACE_ME"),
    N("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "aws-docs-example"),
    N("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws-docs-secret"),
    N("STRIPE_KEY", "sk" + "_test_" + "x" * 24, "stripe-xxx"),
    N("GITHUB_TOKEN", "gh" + "p_" + "x" * 36, "ghp-xxx"),
    N("token", "gh" + "p_YOUR_TOKEN_HERE"),
    N("api_key", "dummy-api-key"),
    N("api_key", "placeholder"),
    N("OPENAI_API_KEY", "sk-..."),
    N("OPENAI_API_KEY", "sk-" + "your-openai-key-here"),
    N(
        "SLACK_WEBHOOK",
        "https://hooks.slack.com/services/T00000000/B00000000/" + "X" * 24,
        "slack-docs-example",
    ),
    N("password", "%DB_PASSWORD%"),
    N("password", "<password>"),
    N("DB_PASSWORD", ""),
    N("token", "null"),
    N("secret", "[REDACTED]"),
    N("api_key", "sample-key-123"),
    N("password", "password"),
    N("password", "admin"),
    N("SECRET_KEY", "example-secret-key"),
    N("jwt_secret", "your-256-bit-secret"),
    N("API_TOKEN", "TODO"),
    N("password", "$(DB_PASSWORD)"),
    N("password", "#{db_password}"),
    N("token", "op://vault/github/token", "1password-ref"),
    N("secret", "vault:secret/data/app#api_key", "vault-ref"),
    N(
        "password",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
        "aws-sm-ref",
    ),
    N("DB_PASSWORD", "DB_PASSWORD", "self-name"),
    N("password", "env:DB_PASSWORD", "env-ref"),
    N(
        "db.password",
        "ENC[AES256_GCM,data:" + b64(24) + ",iv:" + b64(32) + ",tag:" + b64(16) + ",type:str]",
        "sops-encrypted",
    ),
    P("api_key", "1234567890abcdef", "weak-chosen-sequence"),
    N("password", "secret"),
    N("api_key", "test"),
    N("token", "none"),
    N("secret", "true"),
    N("SECRET_KEY", "django-insecure-CHANGE_ME"),
    N("password", "{password}"),
    N("secret", "***"),
    N("API_KEY", "insert-your-key"),
    N("auth_token", "paste_token_here"),
    N("token", "__TOKEN__"),
]

SECRET_NAMED_BUT_NOT = [
    N("secret_name", "my-k8s-secret"),
    N("secretName", "db-credentials"),
    N("existingSecret", "postgres-auth"),
    N("secret", "my-app-secret", "k8s-secret-name"),
    N("secrets", "server-cert", "compose-secret-name"),
    N("token_type", "Bearer"),
    N("TOKEN_EXPIRY", "3600"),
    N("password_min_length", "12"),
    N("PASSWORD_POLICY", "strong"),
    N("api_key_header", "X-API-Key"),
    N("token_ttl", "15m"),
    N("auth_method", "oauth2"),
    N("secret_version", "latest"),
    N("credentials_file", "/etc/app/creds.json"),
    N("password_hash_algorithm", "argon2id"),
    N("password_hash", "$2b$12$" + r(B62 + "./", 53), "bcrypt-hash"),
    N("use_tls", "true"),
    N("require_password", "true"),
    N("passwordless_enabled", "true"),
    N("max_tokens", "4096"),
    N("tokenizer", "bert-base-uncased"),
    N("author", "Jane Doe"),
    N("monkey", "banana"),
    N("keyboard_layout", "us-intl"),
    N("secretary", "Alice Smith"),
    N("compass", "north"),
    N("bypass_cache", "false"),
    N("tokens_per_minute", "90000"),
    N("passenger_count", "3"),
    N("keycloak_realm", "master"),
    N("token_endpoint", "https://auth.example.com/oauth/token"),
    N("secret_ref", "db-password"),
    N("kms_key_id", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    N("primary_key", "user_id"),
    N("sort_key", "created_at"),
    N("partition_key", "/tenantId"),
    N("cache_key", "user:{id}:profile"),
    N("routing_key", "orders.created"),
    N("key", "app.name"),
    N("idempotency_key_header", "Idempotency-Key"),
    N("ssh_key_path", "~/.ssh/id_rsa"),
    N(
        "public_key",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + r(B64, 43) + " deploy@ci",
        "ssh-public",
    ),
    N(
        "ssh_public_key",
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + r(B64, 300) + " me@laptop",
        "ssh-rsa-public",
    ),
    N("ca_cert", pem("CERTIFICATE", 900), "certificate"),
    N("tls.crt", base64.b64encode(pem("CERTIFICATE", 900).encode()).decode(), "certificate-base64"),
    N("public_key", pem("PUBLIC KEY", 91), "public-key-pem"),
    N("STRIPE_PUBLISHABLE_KEY", "pk" + "_live_" + r(B62, 24), "stripe-publishable"),
    N("NEXT_PUBLIC_STRIPE_KEY", "pk" + "_test_" + r(B62, 99), "stripe-publishable-test"),
    N(
        "MAPBOX_TOKEN",
        "pk" + ".eyJ1IjoiYWNtZSIsImEiOiJ" + r(B62, 20) + "." + r(B62 + "-_", 22),
        "mapbox-public",
    ),
    N(
        "GOOGLE_CLIENT_ID",
        r(DIGITS, 12) + "-" + r(LOWER + DIGITS, 32) + ".apps.googleusercontent.com",
        "google-client-id",
    ),
    N("recaptcha_site_key", "6L" + r(B62 + "-_", 38), "recaptcha-site"),
    N("algolia_search_key", r(HEX, 32), "algolia-search"),
    N("posthog_key", "ph" + "c_" + r(B62, 43), "posthog-public"),
    N("TWILIO_ACCOUNT_SID", "AC" + r(HEX, 32), "twilio-sid"),
    N("client_id", "0oa" + r(B62, 17), "okta-client-id"),
    N("stripe_price_id", "price_" + r(B62, 24), "stripe-object-id"),
    N("customer", "cus_" + r(B62, 14), "stripe-customer"),
    N("GA_MEASUREMENT_ID", "G-" + r(UPPER + DIGITS, 10)),
    N("firebase_app_id", "1:" + r(DIGITS, 12) + ":web:" + r(HEX, 22)),
    N("subnet", "subnet-0bb1c79de3EXAMPLE"),
    N("credentials", "include", "fetch-credentials"),
    N("credentials", "same-origin", "fetch-credentials-2"),
    N("auth", "oauth2"),
    N("auth_type", "basic"),
    N("session_store", "cookie"),
    N("signature_algorithm", "RS256"),
    N("salt_rounds", "12"),
    N("key", "{{ item.key }}"),
    N("token", "", "empty-token"),
    N("DB_PASSWORD_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"),
    N("password_reset_url", "https://app.example.com/reset"),
    N("GITHUB_TOKEN_SCOPES", "repo,read:org"),
    N("api_keys_enabled", "yes"),
    N("aws_secret_name", "prod/app/db"),
    N("vault.secret_path", "secret/data/payments"),
    N("jwt_algorithm", "HS256"),
    N("jwt_issuer", "https://auth.example.com/"),
    N("API_KEY_PREFIX", "sk_live_"),
    N("oauth_scope", "openid profile email"),
]

# formats and key names a held-out audit found missing (kept last: the values above stay as
# they were drawn)
_HEXL = "0123456789abcdef"
_DJANGO = LOWER + DIGITS + "!@#$%^&*(-_=+)"
AUDIT = [
    P("OPTION_B", r(_HEXL, 32) + "-" + r(_HEXL, 8) + "-" + r(_HEXL, 8), "mailgun-private-key"),
    P("field", "eyJr" + "Ijoi" + b64(60).rstrip("="), "grafana-legacy-api-key"),
    P("CF_ORIGIN_CA_KEY", "v1.0-" + r(_HEXL, 24) + "-" + r(_HEXL, 146), "cloudflare-origin-ca"),
    P("v", "v1.0-" + r(_HEXL, 24) + "-" + r(_HEXL, 146), "cloudflare-origin-ca-bland-key"),
    P("item_7", "2/" + r(DIGITS, 16) + "/" + r(DIGITS, 16) + ":" + r(_HEXL, 32), "asana-pat"),
    P("spec", "ai" + "o_" + r(B62, 28), "adafruit-io-key"),
    P("field", "sd" + "k-" + an_uuid(), "launchdarkly-sdk-key"),
    P("field", b64(48), "bare-word-field-is-no-description"),
    P("setting", "base64:" + b64(32), "laravel-app-key"),
    P("ENTRY", "django-insecure-" + "".join(_rng.choice(_DJANGO) for _ in range(50)), "django"),
    N("HF_TOKEN", "hf_xxx", "placeholder-xxx"),
    N(
        "SUPABASE_ANON_KEY",
        jwt({"iss": "supabase", "ref": r(LOWER, 20), "role": "anon", "iat": 1700000000}),
        "supabase-anon-key-is-public",
    ),
    N("DD_CLIENT_TOKEN", "pub" + r(_HEXL, 32), "datadog-browser-client-token"),
    N("MIXPANEL_TOKEN", r(_HEXL, 32), "mixpanel-project-token-is-public"),
    N("COMMIT", r(_HEXL, 40), "git-sha-under-commit"),
]

# a second held-out audit: shapes found in compose files, manifests and CI scripts
_PWCHARS = B62 + "!#%^*-_=+."
_DOCKER_AUTH = json.dumps(
    {"auths": {"ghcr.io": {"username": "acme-bot", "password": "gh" + "p_" + r(B62, 36)}}}
)
AUDIT_2 = [
    P("JFROG_ACCESS_TOKEN", "cmVmdGtuOjAxOjE3" + r(B62, 48), "jfrog-reference-token"),
    P(".dockerconfigjson", base64.b64encode(_DOCKER_AUTH.encode()).decode(), "dockerconfig-b64"),
    P(
        "KUBECONFIG_DATA",
        base64.b64encode(
            (
                "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: "
                + r(B64URL, 64)
                + "\n"
            ).encode()
        ).decode(),
        "kubeconfig-b64-with-token",
    ),
    P(
        "settings.xml",
        "<settings><servers><server><id>nexus</id><username>ci</username><password>"
        + r(_PWCHARS, 20)
        + "</password></server></servers></settings>",
        "maven-settings-one-line",
    ),
    P("headers", "Authorization: ApiKey " + b64(30), "elastic-apikey-header"),
    P("headers[1]", "Authorization: SSWS 00" + r(B64URL, 40), "okta-ssws-header"),
    P("VAULT_TOKEN", "s." + r(B62, 24), "vault-legacy-token"),
    P("DOPPLER_TOKEN", "dp.st.prd." + r(B62, 43), "doppler-with-config-name"),
    P("JWT_SECRET", "yarrow-zephyr-copper-basil-" + r(DIGITS, 3), "dashed-passphrase"),
    P("ORACLE_CONNECT", "scott/" + r(_PWCHARS, 14) + "@//ora.internal:1521/ORCLPDB1", "ezconnect"),
    P(None, "api:" + r(B62, 20) + "@broker.internal:5672", "bare-userinfo"),
    P("entrypoint", "mysql -h db -u root -p" + r(B62, 14) + " -e 'SELECT 1'", "mysql-p"),
    P("curl", "curl -u admin:" + r(B62, 14) + " https://jenkins.acme.dev/api/json", "curl-u"),
    N("traceparent", "00-" + r(HEX, 32) + "-" + r(HEX, 16) + "-01", "w3c-traceparent"),
    N("md5", r(HEX, 32), "md5-checksum"),
    N("Idempotency-Key", an_uuid(), "idempotency-key"),
    N(
        "NEXT_PAGE",
        "https://www.googleapis.com/drive/v3/files?pageSize=100&pageToken=" + r(B64URL, 60),
        "page-token-cursor",
    ),
    N("GF_SECURITY_ADMIN_PASSWORD", "$__file{/run/secrets/grafana_admin}", "grafana-expansion"),
    N("MAC", "02:42:ac:11:00:02", "mac-address"),
    N("IPV6", "2001:db8:85a3::8a2e:370:7334", "ipv6"),
    N("entrypoint", "mysql -h db -u root -p$MYSQL_ROOT_PASSWORD", "mysql-p-variable"),
    N("healthcheck", "curl -u $CI_USER:$CI_TOKEN https://ci.internal/api", "curl-u-variables"),
    N("image", "nginx:1.25@sha256:" + r(HEX, 64), "image-digest"),
    N("data", base64.b64encode(b"Hello from the config map, nothing to hide").decode(), "b64-text"),
    N("contact", "mailto:ops@example.com", "mailto"),
]

# the second wave's policy: concrete chosen values under credential names are secrets however
# weak; stock words, slot names, placeholders and references are not
WEAK_CHOSEN = [
    P("JWT_SECRET", "dev-jwt-secret-123", "guide-dev-jwt"),
    P("JWT_SECRET", "my-super-secret-jwt-key-32-chars", "guide-jwt-32"),
    P("DB_PASSWORD", "mypassword123", "readme-db-password"),
    P("DATABASE_URL", "postgres://postgres:mypassword123@localhost:5432/auth", "readme-url"),
    P("HARBOR_ADMIN_PASSWORD", "Harbor12345", "harbor-default"),
    P("POSTGRESQL_PASSWORD", "root123", "harbor-db-default"),
    P("DB_PASSWORD", "difyai123456", "dify-default"),
    P("MINIO_ROOT_PASSWORD", "minio123", "minio-sample"),
    P("password", "admin123", "admin-digits"),
    P("ADMIN_PASSWORD", "qwerty123", "keyboard-digits"),
    P("spring.datasource.password", "${MYSQL_PASSWORD:db-57xsl}", "spring-default"),
    P("POSTGRES_PASSWORD", "${POSTGRES_PASSWORD:-pg-s3cret-42}", "compose-default"),
    P("DB_PASSWORD", "nextcloud", "service-name-alone"),
    P("REDIS_URL", "redis://:difyai123456@redis:6379/0", "redis-url-weak"),
    N("password", "user_provided", "cf-user-provided"),
    N("label", "Master Password", "ui-label"),
    N("password", "Master Password", "label-under-password"),
    N("password", "tempString", "code-placeholder"),
    N("secret_key", "CAFEBABE", "hex-magic"),
    N("api_key", "DEADBEEF", "hex-magic-2"),
    P("command", "redis-server --appendonly yes --requirepass redispass123", "requirepass-flag"),
    N("command", "psql --password --host db shop", "psql-prompt-switch"),
    N("command", "psql --password dbname", "psql-prompt-switch-2"),
    N("password", base64.b64encode(b"changeme").decode(), "b64-changeme"),
    N("password", base64.b64encode(b"your-password-here").decode(), "b64-your-password"),
    N("DB_PASSWORD", "postgres_password", "slot-name"),
    N("password", "mysecretpassword", "docker-docs-word"),
    N("password", "P@ssw0rd", "leet-word"),
    N("password", "${spring.datasource.password:}", "empty-default"),
    N("password", "${DB_PASSWORD:?set DB_PASSWORD}", "required-reference"),
    N("password", "test123", "test-prefix"),
]

CASES: list[Case] = [
    *PROVIDERS,
    *PRIVATE_KEYS,
    *URLS,
    *KEYWORD,
    *ENTROPY,
    *MORE_PROVIDERS,
    *COMPOSITE,
    *PLAIN,
    *REALISTIC,
    *NOT_SECRET_NAMES,
    *NAMES,
    *SNIPPETS,
    *PLACEHOLDERS,
    *SECRET_NAMED_BUT_NOT,
    *AUDIT,
    *AUDIT_2,
    *WEAK_CHOSEN,
]

# a mix of ordinary config values, for throughput figures
TYPICAL_VALUES: list[tuple[str, str]] = [
    (c.key or "", c.value) for c in (*PLAIN, *SECRET_NAMED_BUT_NOT) if len(c.value) < 200
]
