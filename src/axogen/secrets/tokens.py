"""Provider token formats, found by one prefilter over all their literal markers.

Each format is a published token shape (GitHub `ghp_` + 36, AWS `AKIA` + 16, …). Scanning
a value runs a single regex: the trie of every format's fixed marker. Only where it hits does
that provider's own pattern run, so a value without any marker costs one C-level search.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from axogen.lazyre import LazyPattern


class Hit(NamedTuple):
    kind: str
    rule: str
    token: str  # the secret part, for the masked preview


PUBLIC = Hit("", "public", "")  # a known format that is not a secret: stop judging
FILLER = Hit("", "filler", "")  # a known format filled with a placeholder (`ghp_xxxx…`)


class _Format(NamedTuple):
    rule: str
    kind: str
    anchors: tuple[str, ...]  # literals the prefilter finds; `infix` ones sit inside the token
    # its `body` group is the random part; compiled when its marker is first found (126
    # patterns: 15 ms at import otherwise, for a run that may never meet one)
    regex: LazyPattern
    infix: bool
    public: bool  # a known format that is NOT a secret (Stripe `pk_`, certificates)


_B = r"(?<![A-Za-z0-9])"  # a token starts at a word boundary
_E = r"(?![A-Za-z0-9])"  # fixed-length tokens end at one
_PREFIX, _INFIX, _PUBLIC = 0, 1, 2

# rule, kind, anchors (space-separated), where the anchor sits / public, pattern
# fmt: off
_TABLE: tuple[tuple[str, str, str, int, str], ...] = (
    ("aws-access-key-id", "AWS access key ID", "AKIA ASIA ABIA ACCA A3T", _PREFIX, r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])(?P<body>[A-Z0-9]{16})" + _E),
    ("github-pat", "GitHub token", "ghp_", _PREFIX, r"ghp_(?P<body>[A-Za-z0-9]{36,251})" + _E),
    ("github-oauth", "GitHub token", "gho_", _PREFIX, r"gho_(?P<body>[A-Za-z0-9]{36,251})" + _E),
    ("github-app-token", "GitHub token", "ghu_ ghs_", _PREFIX, r"gh[us]_(?P<body>[A-Za-z0-9]{36,251})" + _E),
    ("github-refresh-token", "GitHub token", "ghr_", _PREFIX, r"ghr_(?P<body>[A-Za-z0-9]{36,251})" + _E),
    ("github-fine-grained-pat", "GitHub token", "github_pat_", _PREFIX, r"github_pat_(?P<body>[A-Za-z0-9_]{60,255})" + _E),
    ("gitlab-token", "GitLab token", "glpat- gldt- glptt- glrt- glcbt- gloas- glsoat- glffct- glft- glimt- glagent- gltst-", _PREFIX, r"gl[a-z]{1,6}-(?P<body>[A-Za-z0-9_\-.]{20,})"),
    ("gitlab-runner-token", "GitLab token", "GR1348941", _PREFIX, r"GR1348941(?P<body>[A-Za-z0-9_\-]{20,})"),
    ("stripe-secret-key", "Stripe secret key", "sk_live_ sk_test_ sk_prod_", _PREFIX, r"sk_(?:live|test|prod)_(?P<body>[A-Za-z0-9]{16,247})" + _E),
    ("stripe-restricted-key", "Stripe restricted key", "rk_live_ rk_test_ rk_prod_", _PREFIX, r"rk_(?:live|test|prod)_(?P<body>[A-Za-z0-9]{16,247})" + _E),
    ("stripe-webhook-secret", "Stripe webhook secret", "whsec_", _PREFIX, r"whsec_(?P<body>[A-Za-z0-9+/=]{24,})"),
    ("slack-token", "Slack token", "xoxb- xoxp- xoxa- xoxo- xoxs- xoxr- xoxe- xoxe. xapp-", _PREFIX, r"(?:xox[abposre]|xoxe\.xox[bp]|xapp)-(?P<body>[0-9A-Za-z\-]{10,})"),
    ("slack-webhook", "Slack webhook URL", "hooks.slack.com/", _INFIX, r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<body>[A-Za-z0-9_/\-]{20,})"),
    ("google-api-key", "Google API key", "AIza", _PREFIX, r"AIza(?P<body>[0-9A-Za-z_\-]{35})(?![A-Za-z0-9_\-])"),
    ("google-oauth-client-secret", "Google OAuth client secret", "GOCSPX-", _PREFIX, r"GOCSPX-(?P<body>[A-Za-z0-9_\-]{24,32})"),
    ("google-oauth-token", "Google OAuth token", "ya29. 1//0", _PREFIX, r"(?:ya29\.|1//0)(?P<body>[0-9A-Za-z_\-]{20,})"),
    ("twilio-api-key", "Twilio API key", "SK", _PREFIX, r"SK(?P<body>[0-9a-fA-F]{32})" + _E),
    ("sendgrid-api-key", "SendGrid API key", "SG.", _PREFIX, r"SG\.(?P<body>[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64})"),
    ("npm-token", "npm token", "npm_", _PREFIX, r"npm_(?P<body>[A-Za-z0-9]{36})" + _E),
    ("pypi-token", "PyPI token", "pypi-AgE", _PREFIX, r"pypi-(?P<body>AgE[A-Za-z0-9_\-]{50,})"),
    ("jwt", "JSON Web Token", "eyJ", _PREFIX, r"(?P<body>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*)"),
    ("azure-ad-client-secret", "Azure AD client secret", "Q~", _INFIX, r"(?<![A-Za-z0-9_~.\-])(?P<body>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?![A-Za-z0-9_~.\-])"),
    ("heroku-api-key", "Heroku API key", "HRKU-", _PREFIX, r"HRKU-(?P<body>[A-Za-z0-9_\-]{40,})"),
    ("digitalocean-token", "DigitalOcean token", "dop_v1_ doo_v1_ dor_v1_", _PREFIX, r"do[opr]_v1_(?P<body>[a-f0-9]{64})" + _E),
    ("mailgun-api-key", "Mailgun API key", "key-", _PREFIX, r"key-(?P<body>[0-9a-f]{32})" + _E),
    ("anthropic-api-key", "Anthropic API key", "sk-ant-", _PREFIX, r"sk-ant-[a-z]{2,8}\d{0,3}-(?P<body>[A-Za-z0-9_\-]{32,})"),
    ("openai-api-key", "OpenAI API key", "sk-", _PREFIX, r"sk-(?:proj-|svcacct-|admin-|None-)?(?P<body>[A-Za-z0-9_\-]{32,})"),
    ("private-key", "private key", "-----BEGIN", _PREFIX, r"-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----(?P<body>(?:[\sA-Za-z0-9+/=:,\\]|-(?!----)){40,})(?:-----END[ A-Z0-9]*-----)?"),
    ("openvpn-static-key", "OpenVPN static key", "-----BEGIN", _PREFIX, r"-----BEGIN OpenVPN Static key V1-----(?P<body>(?:[\s0-9a-fA-F]|\\n){64,})(?:-----END OpenVPN Static key V1-----)?"),
    ("private-key", "private key", "PuTTY-User-Key-File-", _PREFIX, r"PuTTY-User-Key-File-(?P<body>.{20,})"),
    ("base64-private-key", "private key (base64)", "LS0tLS1CRUdJTi", _PREFIX, r"(?P<body>LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2})"),
    ("age-secret-key", "age secret key", "AGE-SECRET-KEY-1", _PREFIX, r"AGE-SECRET-KEY-1(?P<body>[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})"),
    ("shopify-token", "Shopify token", "shpat_ shpss_ shpca_ shppa_", _PREFIX, r"shp(?:at|ss|ca|pa)_(?P<body>[a-fA-F0-9]{32})" + _E),
    ("huggingface-token", "Hugging Face token", "hf_ api_org_", _PREFIX, r"(?:hf|api_org)_(?P<body>[A-Za-z0-9]{30,40})" + _E),
    ("atlassian-api-token", "Atlassian API token", "ATATT3", _PREFIX, r"ATATT3(?P<body>[A-Za-z0-9_\-=]{100,})"),
    ("databricks-token", "Databricks token", "dapi", _PREFIX, r"dapi(?P<body>[a-f0-9]{32})(?:-\d)?" + _E),
    ("doppler-token", "Doppler token", "dp.pt. dp.st. dp.ct. dp.sa. dp.scim. dp.audit.", _PREFIX, r"dp\.[a-z]{2,5}\.(?:[a-z0-9_\-]{2,35}\.)?(?P<body>[A-Za-z0-9]{40,44})" + _E),
    ("postman-api-key", "Postman API key", "PMAK-", _PREFIX, r"PMAK-(?P<body>[a-f0-9]{24}-[a-f0-9]{34})" + _E),
    ("linear-api-key", "Linear API key", "lin_api_", _PREFIX, r"lin_api_(?P<body>[A-Za-z0-9]{40})" + _E),
    ("discord-webhook", "Discord webhook URL", "/api/webhooks/", _INFIX, r"discord(?:app)?\.com/api/webhooks/(?P<body>\d+/[A-Za-z0-9_\-]{60,})"),
    ("telegram-bot-token", "Telegram bot token", ":AA", _INFIX, r"(?<![0-9])(?P<body>\d{8,10}:AA[0-9A-Za-z_\-]{33})" + _E),
    ("square-token", "Square token", "sq0atp- sq0csp- EAAA", _PREFIX, r"(?:sq0atp-|sq0csp-|EAAA)(?P<body>[0-9A-Za-z_\-]{22,60})" + _E),
    ("mailchimp-api-key", "Mailchimp API key", "-us", _INFIX, _B + r"(?P<body>[0-9a-f]{32})-us\d{1,2}" + _E),
    ("newrelic-key", "New Relic key", "NRAK- NRII- NRAA-", _PREFIX, r"NR(?:AK|II|AA)-(?P<body>[A-Za-z0-9_\-]{27,32})" + _E),
    ("sentry-token", "Sentry token", "sntrys_ sntryu_", _PREFIX, r"sntry[su]_(?P<body>[A-Za-z0-9+/=_\-]{40,})"),
    ("grafana-token", "Grafana token", "glc_ glsa_", _PREFIX, r"gl(?:c|sa)_(?P<body>[A-Za-z0-9+/_=]{32,})"),
    ("vault-token", "Vault token", "hvs. hvb.", _PREFIX, r"hv[sb]\.(?P<body>[A-Za-z0-9_\-]{24,})"),
    ("vault-token", "Vault token", "s.", _PREFIX, r"s\.(?P<body>(?=[A-Za-z0-9]{0,23}[0-9])(?=[A-Za-z0-9]{0,23}[A-Z])(?=[A-Za-z0-9]{0,23}[a-z])[A-Za-z0-9]{24})" + _E),
    ("terraform-token", "Terraform Cloud token", ".atlasv1.", _INFIX, r"[A-Za-z0-9]{14}\.atlasv1\.(?P<body>[A-Za-z0-9_=\-]{60,})"),
    ("pulumi-token", "Pulumi token", "pul-", _PREFIX, r"pul-(?P<body>[a-f0-9]{40})" + _E),
    ("supabase-token", "Supabase token", "sbp_ sb_secret_", _PREFIX, r"(?:sbp_|sb_secret_)(?P<body>[A-Za-z0-9_\-]{30,})"),
    ("dynatrace-token", "Dynatrace token", "dt0c01.", _PREFIX, r"dt0c01\.(?P<body>[A-Z0-9]{24}\.[A-Z0-9]{64})" + _E),
    ("alibaba-access-key", "Alibaba Cloud access key", "LTAI", _PREFIX, r"LTAI(?P<body>[A-Za-z0-9]{20})" + _E),
    ("notion-token", "Notion token", "ntn_ secret_", _PREFIX, r"(?:ntn_|secret_)(?P<body>[A-Za-z0-9]{43,46})" + _E),
    ("figma-token", "Figma token", "figd_", _PREFIX, r"figd_(?P<body>[A-Za-z0-9_\-]{40,})"),
    ("docker-hub-token", "Docker Hub token", "dckr_pat_ dckr_oat_", _PREFIX, r"dckr_(?:pat|oat)_(?P<body>[A-Za-z0-9_\-]{27,})"),
    ("groq-api-key", "Groq API key", "gsk_", _PREFIX, r"gsk_(?P<body>[A-Za-z0-9]{48,56})" + _E),
    ("xai-api-key", "xAI API key", "xai-", _PREFIX, r"xai-(?P<body>[A-Za-z0-9]{60,90})" + _E),
    ("replicate-token", "Replicate token", "r8_", _PREFIX, r"r8_(?P<body>[A-Za-z0-9]{37})" + _E),
    ("tailscale-key", "Tailscale key", "tskey-", _PREFIX, r"tskey-[a-z]+-(?P<body>[A-Za-z0-9]{8,}-[A-Za-z0-9]{16,})"),
    ("mapbox-secret-token", "Mapbox secret token", "sk.eyJ", _PREFIX, r"sk\.(?P<body>eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{16,})"),
    ("twitter-bearer-token", "Twitter bearer token", "AAAAAAAAAAAAAAAAAAAAA", _PREFIX, r"A{21}(?P<body>[A-Za-z0-9%]{30,})"),
    ("planetscale-token", "PlanetScale token", "pscale_tkn_ pscale_pw_ pscale_oauth_", _PREFIX, r"pscale_[a-z]{2,5}_(?P<body>[A-Za-z0-9_\-.=]{32,64})"),
    ("posthog-personal-key", "PostHog personal API key", "phx_", _PREFIX, r"phx_(?P<body>[A-Za-z0-9]{40,48})" + _E),
    ("prefect-api-key", "Prefect API key", "pnu_", _PREFIX, r"pnu_(?P<body>[A-Za-z0-9]{36})" + _E),
    ("readme-api-key", "ReadMe API key", "rdme_", _PREFIX, r"rdme_(?P<body>[a-z0-9]{70})" + _E),
    ("rubygems-api-key", "RubyGems API key", "rubygems_", _PREFIX, r"rubygems_(?P<body>[a-f0-9]{48})" + _E),
    ("scalingo-api-token", "Scalingo API token", "tk-us-", _PREFIX, r"tk-us-(?P<body>[A-Za-z0-9_\-]{48})" + _E),
    ("sendinblue-api-key", "Brevo (Sendinblue) API key", "xkeysib- xsmtpsib-", _PREFIX, r"xk?s?(?:keysib|smtpsib)-(?P<body>[a-f0-9]{64}-[A-Za-z0-9]{16})" + _E),
    ("shippo-api-token", "Shippo API token", "shippo_live_ shippo_test_", _PREFIX, r"shippo_(?:live|test)_(?P<body>[a-f0-9]{40})" + _E),
    ("typeform-api-token", "Typeform API token", "tfp_", _PREFIX, r"tfp_(?P<body>[A-Za-z0-9_\-.=]{59})"),
    ("infracost-api-token", "Infracost API token", "ico-", _PREFIX, r"ico-(?P<body>[A-Za-z0-9]{32})" + _E),
    ("frameio-api-token", "Frame.io API token", "fio-u-", _PREFIX, r"fio-u-(?P<body>[A-Za-z0-9_\-=]{64})"),
    ("clojars-api-token", "Clojars API token", "CLOJARS_", _PREFIX, r"CLOJARS_(?P<body>[a-z0-9]{60})" + _E),
    ("duffel-api-token", "Duffel API token", "duffel_test_ duffel_live_", _PREFIX, r"duffel_(?:test|live)_(?P<body>[A-Za-z0-9_\-=]{43})"),
    ("easypost-api-token", "EasyPost API token", "EZAK EZTK", _PREFIX, r"EZ[AT]K(?P<body>[A-Za-z0-9]{54})" + _E),
    ("flutterwave-secret-key", "Flutterwave secret key", "FLWSECK_TEST- FLWSECK-", _PREFIX, r"FLWSECK(?:_TEST)?-(?P<body>[a-h0-9]{32})-X"),
    ("harness-api-key", "Harness API key", "pat. sat.", _PREFIX, r"(?:pat|sat)\.(?P<body>[A-Za-z0-9_\-]{22}\.[a-z0-9]{24}\.[A-Za-z0-9]{20})" + _E),
    ("defined-networking-api-token", "Defined Networking API token", "dnkey-", _PREFIX, r"dnkey-(?P<body>[a-z0-9=_\-]{26}-[a-z0-9=_\-]{52})"),
    ("intra42-client-secret", "42 Intra client secret", "s-s4t2ud- s-s4t2af-", _PREFIX, r"s-s4t2(?:ud|af)-(?P<body>[a-f0-9]{64})" + _E),
    ("adobe-client-secret", "Adobe client secret", "p8e-", _PREFIX, r"p8e-(?P<body>[A-Za-z0-9]{32})" + _E),
    ("yandex-token", "Yandex token", "AQVN YC t1.", _PREFIX, r"(?:AQVN(?P<body>[A-Za-z0-9_\-]{35,38})|YC[A-Za-z0-9_\-]{38}|t1\.[A-Z0-9a-z_\-]+=*\.[A-Z0-9a-z_\-]{86}=*)" + _E),
    ("netlify-token", "Netlify token", "nfp_ nfc_", _PREFIX, r"nf[pc]_(?P<body>[A-Za-z0-9]{36,40})" + _E),
    ("1password-service-token", "1Password service account token", "ops_eyJ", _PREFIX, r"ops_(?P<body>eyJ[A-Za-z0-9+/=_\-]{200,})"),
    ("buildkite-token", "Buildkite token", "bkua_", _PREFIX, r"bkua_(?P<body>[a-f0-9]{40})" + _E),
    ("contentful-token", "Contentful token", "CFPAT-", _PREFIX, r"CFPAT-(?P<body>[A-Za-z0-9_\-]{43})"),
    ("render-api-key", "Render API key", "rnd_", _PREFIX, r"rnd_(?P<body>[A-Za-z0-9]{32})" + _E),
    ("resend-api-key", "Resend API key", "re_", _PREFIX, r"re_(?P<body>[A-Za-z0-9]{8}_[A-Za-z0-9]{24})" + _E),
    ("perplexity-api-key", "Perplexity API key", "pplx-", _PREFIX, r"pplx-(?P<body>[A-Za-z0-9]{48})" + _E),
    ("langsmith-api-key", "LangSmith API key", "lsv2_pt_ lsv2_sk_", _PREFIX, r"lsv2_(?:pt|sk)_(?P<body>[a-f0-9]{32}_[a-f0-9]{10})" + _E),
    ("pinecone-api-key", "Pinecone API key", "pcsk_", _PREFIX, r"pcsk_(?P<body>[A-Za-z0-9_]{40,})"),
    ("elevenlabs-api-key", "ElevenLabs API key", "sk_", _PREFIX, r"sk_(?P<body>[a-f0-9]{48})" + _E),
    ("jfrog-api-key", "JFrog API key", "AKCp cmVmdGtuOjAxOj", _PREFIX, r"(?:AKCp(?P<body>[A-Za-z0-9]{69})|cmVmdGtuOjAxOj[A-Za-z0-9]{50,})" + _E),
    ("bitbucket-app-password", "Bitbucket app password", "ATBB", _PREFIX, r"ATBB(?P<body>[A-Za-z0-9_=.\-]{32,})"),
    ("flyio-token", "Fly.io token", "fm1a_ fm1r_ fm2_ fo1_", _PREFIX, r"(?:fm1[ar]_|fm2_|fo1_)(?P<body>[A-Za-z0-9+/=_\-]{40,})"),
    ("firebase-server-key", "Firebase Cloud Messaging server key", ":APA91b", _INFIX, r"(?P<body>[A-Za-z0-9_\-]{7,11}:APA91b[A-Za-z0-9_\-]{100,})"),
    ("intercom-token", "Intercom token", "dG9rOi", _PREFIX, r"dG9rOi(?P<body>[A-Za-z0-9+/=_\-]{40,})"),
    ("airtable-token", "Airtable token", "pat", _PREFIX, r"pat(?P<body>[A-Za-z0-9]{14}\.[a-f0-9]{64})" + _E),
    ("clickup-api-token", "ClickUp API token", "pk_", _PREFIX, r"pk_(?P<body>\d{6,10}_[A-Z0-9]{32})" + _E),
    ("dropbox-token", "Dropbox token", "sl.", _PREFIX, r"sl\.(?P<body>[A-Za-z0-9_\-=]{130,})"),
    ("teams-webhook", "Microsoft Teams webhook URL", ".webhook.office.com/", _INFIX, r"\.webhook\.office\.com/webhookb2/(?P<body>[A-Za-z0-9@/\-]{60,}/IncomingWebhook/[A-Za-z0-9/\-]{40,})"),
    ("paypal-access-token", "PayPal / Braintree access token", "access_token$", _PREFIX, r"access_token\$(?:production|sandbox)\$(?P<body>[a-z0-9]{16}\$[a-f0-9]{32})"),
    ("plaid-access-token", "Plaid access token", "access-sandbox- access-development- access-production-", _PREFIX, r"access-(?:sandbox|development|production)-(?P<body>[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})" + _E),
    ("woocommerce-key", "WooCommerce API key", "ck_ cs_", _PREFIX, r"c[ks]_(?P<body>[a-f0-9]{40})" + _E),
    ("nuget-api-key", "NuGet API key", "oy2", _PREFIX, r"oy2(?P<body>[a-z0-9]{43})" + _E),
    ("crates-io-token", "crates.io token", "cio", _PREFIX, r"cio(?P<body>[A-Za-z0-9]{32})" + _E),
    ("circleci-token", "CircleCI token", "CCIPAT_ CCIPRJ_", _PREFIX, r"CCIP(?:AT|RJ)_(?P<body>[A-Za-z0-9]{22}_[a-f0-9]{40})" + _E),
    ("sonarqube-token", "SonarQube token", "sqp_ squ_ sqa_", _PREFIX, r"sq[pua]_(?P<body>[a-f0-9]{40})" + _E),
    ("digitalocean-spaces-key", "DigitalOcean Spaces access key", "DO00", _PREFIX, r"DO00(?P<body>[A-Z0-9]{16})" + _E),
    ("honeycomb-key", "Honeycomb API key", "hcaik_ hcxik_ hcxlk_ hcamk_", _PREFIX, r"hc[ax][ilm]k_(?P<body>[a-z0-9]{58,64})" + _E),
    ("paddle-api-key", "Paddle API key", "pdl_live_ pdl_sdbx_", _PREFIX, r"pdl_(?:live|sdbx)_(?P<body>[A-Za-z0-9_]{40,})"),
    ("neon-api-key", "Neon API key", "napi_", _PREFIX, r"napi_(?P<body>[a-z0-9]{64})" + _E),
    ("vercel-blob-token", "Vercel Blob token", "vercel_blob_rw_", _PREFIX, r"vercel_blob_rw_(?P<body>[A-Za-z0-9_]{40,})"),
    ("zapier-webhook", "Zapier webhook URL", "hooks.zapier.com/", _INFIX, r"hooks\.zapier\.com/hooks/catch/(?P<body>\d+/[A-Za-z0-9]{6,})"),
    ("ifttt-webhook", "IFTTT webhook key", "maker.ifttt.com/", _INFIX, r"maker\.ifttt\.com/(?:trigger/[^/\s]+/(?:json/)?with/)?key/(?P<body>[A-Za-z0-9_\-]{20,})"),
    ("grafana-api-key", "Grafana API key", "eyJrIjoi", _PREFIX, r"eyJrIjoi(?P<body>[A-Za-z0-9+/]{70,400}={0,3})"),
    ("cloudflare-origin-ca-key", "Cloudflare Origin CA key", "v1.0-", _PREFIX, r"v1\.0-(?P<body>[a-f0-9]{24}-[a-f0-9]{146})" + _E),
    ("asana-token", "Asana token", "1/ 2/", _PREFIX, r"[12]/(?P<body>\d{16}(?:/\d{16})?:[a-f0-9]{32})" + _E),
    ("adafruit-io-key", "Adafruit IO key", "aio_", _PREFIX, r"aio_(?P<body>[A-Za-z0-9]{28})" + _E),
    ("launchdarkly-key", "LaunchDarkly key", "sdk- api-", _PREFIX, r"(?:sdk|api)-(?P<body>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})" + _E),
    ("laravel-app-key", "Laravel APP_KEY", "base64:", _PREFIX, r"base64:(?P<body>[A-Za-z0-9+/]{43}=)" + _E),
    ("django-secret-key", "Django SECRET_KEY", "django-insecure-", _PREFIX, r"django-insecure-(?P<body>[a-z0-9!@#$%^&*(\-_=+)]{50})"),
    ("public", "", "pub", _PUBLIC, r"pub(?P<body>[a-f0-9]{32})" + _E),
    # public by design: publishable keys, client-side keys, certificates, public keys
    ("public", "", "pk_live_ pk_test_ pk.eyJ NRJS- pubkey- sb_publishable_ phc_ age1", _PUBLIC, r"(?:pk_(?:live|test)_|pk\.eyJ|NRJS-|pubkey-|sb_publishable_|phc_|age1)(?P<body>[A-Za-z0-9._\-]{16,})"),
    ("public", "", "-----BEGIN", _PUBLIC, r"-----BEGIN (?P<body>CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|PGP PUBLIC KEY BLOCK|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PGP MESSAGE|PGP SIGNATURE|ENCRYPTED MESSAGE)-----"),
    ("public", "", "ssh-rsa ssh-ed25519 ssh-dss ecdsa-sha2- sk-ssh-ed25519@", _PUBLIC, r"(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)\s+(?P<body>AAAA[A-Za-z0-9+/]{20,}={0,3})"),
)
# fmt: on

_FORMATS = tuple(
    _Format(
        rule,
        kind,
        tuple(anchors.split()),
        LazyPattern(pattern if where == _INFIX else _B + pattern),
        infix=where == _INFIX,
        public=where == _PUBLIC,
    )
    for rule, kind, anchors, where, pattern in _TABLE
)


def _trie_pattern(words: list[str]) -> str:
    """A regex matching any of `words`, sharing their prefixes; the longest match wins."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _formats_for(literal: str) -> tuple[_Format, ...]:
    """The formats a marker found by the prefilter may start, longest anchor first: a
    literal also stands for the shorter anchors it starts with (`sk-ant-` -> `sk-`)."""
    found = _DISPATCH.get(literal)
    if found is None:
        ranked = sorted(
            (
                (len(a), -i, f)
                for i, f in enumerate(_FORMATS)
                for a in f.anchors
                if literal.startswith(a)
            ),
            key=lambda t: (t[0], t[1]),
            reverse=True,
        )
        found = _DISPATCH[literal] = tuple(dict.fromkeys(f for _, _, f in ranked))
    return found


_DISPATCH: dict[str, tuple[_Format, ...]] = {}  # filled by _formats_for, a marker at a time


def _prefilter_pattern() -> str:
    prefix = sorted({a for f in _FORMATS if not f.infix for a in f.anchors})
    infix = sorted({a for f in _FORMATS if f.infix for a in f.anchors})
    return f"{_B}{_trie_pattern(prefix)}|{_trie_pattern(infix)}"


class _Prefilter(LazyPattern):
    """The trie of every marker, built and compiled when first searched."""

    def __init__(self) -> None:
        super().__init__("")

    def compiled(self) -> re.Pattern[str]:
        self.pattern = _prefilter_pattern()
        return super().compiled()


_PREFILTER = _Prefilter()


def has_marker(text: str) -> re.Match[str] | None:
    """One C-level search: could `text` hold any token at all?"""
    return _PREFILTER.search(text)


_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "1234567890",
    "qwertyuiop",
    "zyxwvutsrqponmlkjihgfedcba",
)
SEQ_GRAMS = frozenset(s[i : i + 6] for s in _SEQUENCES for i in range(len(s) - 5))
_FILLER = ("example", "xxxx", "your", "dummy", "sample", "placeholder", "redacted")


def placeholder_token(body: str) -> bool:
    """Is the random part of a token filler: `EXAMPLE`, `xxxx`, few distinct characters, a run?"""
    low = body.lower()
    if len(set(low)) < min(8, max(3, len(low) // 3)):
        return True
    if any(p in low for p in _FILLER):
        return True
    return any(
        low[i : i + 6] in SEQ_GRAMS and low[i + 1 : i + 7] in SEQ_GRAMS for i in range(len(low) - 6)
    )


def _placeholder_pem(body: str) -> bool:
    payload = re.sub(r"\\n|\s|-----END.*", "", body)
    return len(payload) < 40 or placeholder_token(payload[:64])


def b64decode_text(text: str) -> str | None:
    """`text` decoded from base64 (standard or URL-safe) when that gives printable text."""
    try:
        alt = b"-_" if "-" in text or "_" in text else None
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=alt, validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    printable = sum(c.isprintable() or c in "\r\n\t" for c in decoded)
    return decoded if decoded and printable >= 0.95 * len(decoded) else None


def format_hits(text: str) -> Iterator[tuple[int, int, Hit]]:
    """(start, end, hit) of every provider token in `text`; public formats yield PUBLIC."""
    for anchor in _PREFILTER.finditer(text):
        at = anchor.start()
        for fmt in _formats_for(anchor.group()):
            if fmt.infix:
                m = fmt.regex.search(text, max(0, at - 120), anchor.end() + 200)
                if m is None or m.start() > at:
                    continue
            else:
                m = fmt.regex.match(text, at)
                if m is None:
                    continue
            if fmt.public:
                yield m.start(), m.end(), PUBLIC
                break
            body = m.group("body") or m.group()  # some alternatives have no `body` group
            if placeholder_token(body) or (fmt.rule == "private-key" and _placeholder_pem(body)):
                yield m.start(), m.end(), FILLER
                break
            if fmt.rule == "jwt":
                claims = b64decode_text(body.split(".")[1])
                if claims is not None and re.search(r'"role"\s*:\s*"anon"', claims):
                    yield m.start(), m.end(), PUBLIC  # Supabase anon key: public by design
                    break
            if fmt.rule == "base64-private-key":
                decoded = b64decode_text(body[:80])
                if decoded is None or "PRIVATE KEY" not in decoded:
                    yield m.start(), m.end(), PUBLIC  # a base64 certificate or public key
                    break
            yield m.start(), m.end(), Hit(fmt.kind, fmt.rule, m.group())
            break
