"""Synthetic secrets for the detector tests: every value is assembled at run time from a seeded generator, so no
key-shaped literal sits in the repository for a secret scanner to flag.
"""

from __future__ import annotations

import base64
import json
import random

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"
UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
HEX = "0123456789abcdef"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"
BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
DIGITS = "0123456789"


class Forge:
    """A seeded source of random token bodies."""

    def __init__(self, seed: int) -> None:
        self._rnd = random.Random(seed)

    def pick(self, alphabet: str, n: int) -> str:
        """`n` characters drawn from `alphabet`."""
        return "".join(self._rnd.choice(alphabet) for _ in range(n))

    def uuid(self) -> str:
        """A random lower-case UUID-shaped string."""
        return "-".join(self.pick(HEX, n) for n in (8, 4, 4, 4, 12))

    def jwt(self) -> str:
        """A JWT with a real JSON header and payload and a random signature."""
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64url(json.dumps({"sub": self.pick(DIGITS, 10), "name": "Ada"}).encode())
        return f"{header}.{payload}.{self.pick(URLSAFE, 43)}"

    def discord(self) -> str:
        """A Discord bot token: the base64 of an 18-digit user id, a timestamp part and an HMAC part."""
        user = _b64url(("1" + self.pick(DIGITS, 17)).encode())
        return f"{user}.{self.pick(URLSAFE, 6)}.{self.pick(URLSAFE, 27)}"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def positives(seed: int = 11) -> list[tuple[str, str, str]]:
    """(category, text, secret) triples: `secret` is the exact span the scanner must report in `text`."""
    f = Forge(seed)
    pem_lines = "\n".join(f.pick(B64, 64) for _ in range(4))
    pem = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + pem_lines + "\n-----END RSA " + "PRIVATE KEY-----"
    teams = (f"{f.uuid()}@{f.uuid()}/IncomingWebhook/{f.pick(HEX, 32)}/{f.uuid()}")
    pairs = [
        ("age_secret_key", "AGE-SECRET-" + "KEY-1" + f.pick(BECH32, 58)),
        ("anthropic_api_key", "sk-ant-" + "api03-" + f.pick(URLSAFE, 93) + "AA"),
        ("atlassian_api_token", "ATATT3" + f.pick(URLSAFE, 186)),
        ("aws_access_key", "AK" + "IA" + f.pick(B32, 16)),
        ("bitbucket_token", "ATBB" + f.pick(ALNUM, 32)),
        ("cloudflare_origin_ca_key", "v1.0-" + f.pick(HEX, 24) + "-" + f.pick(HEX, 146)),
        ("databricks_token", "da" + "pi" + f.pick(HEX, 32)),
        ("digitalocean_token", "dop_" + "v1_" + f.pick(HEX, 64)),
        ("discord_token", f.discord()),
        ("doppler_token", "dp.pt." + f.pick(ALNUM, 43)),
        ("dynatrace_token", "dt0c01." + f.pick(UPPER_DIGITS, 24) + "." + f.pick(ALNUM, 64)),
        ("easypost_api_key", "EZ" + "AK" + f.pick(ALNUM, 54)),
        ("flyio_token", "fo1_" + f.pick(URLSAFE, 43)),
        ("gcp_api_key", "AI" + "za" + f.pick(URLSAFE, 35)),
        ("github_token", "gh" + "p_" + f.pick(ALNUM, 36)),
        ("gitlab_token", "gl" + "pat-" + f.pick(URLSAFE, 20)),
        ("grafana_token", "glsa_" + f.pick(ALNUM, 32) + "_" + f.pick(HEX, 8)),
        ("groq_api_key", "gs" + "k_" + f.pick(ALNUM, 52)),
        ("heroku_api_key", "HRKU-" + f.pick(URLSAFE, 60)),
        ("huggingface_token", "hf_" + f.pick(LETTERS, 34)),
        ("jfrog_token", "AK" + "Cp" + f.pick(ALNUM, 69)),
        ("jwt", f.jwt()),
        ("linear_api_key", "lin_" + "api_" + f.pick(ALNUM, 40)),
        ("mailchimp_api_key", f.pick(HEX, 32) + "-us12"),
        ("mailgun_api_key", "key-" + f.pick(HEX, 32)),
        ("new_relic_key", "NR" + "AK-" + f.pick(UPPER_DIGITS, 27)),
        ("npm_token", "np" + "m_" + f.pick(ALNUM, 36)),
        ("onepassword_token", "A3-" + "-".join(f.pick(UPPER_DIGITS, n) for n in (6, 11, 5, 5, 5))),
        ("openai_api_key", "sk-" + "proj-" + f.pick(URLSAFE, 24) + "T3Blbk" + "FJ" + f.pick(URLSAFE, 24)),
        ("openshift_token", "sha256~" + f.pick(URLSAFE, 43)),
        ("perplexity_api_key", "pp" + "lx-" + f.pick(ALNUM, 48)),
        ("pkcs12_file", "MII" + "KHA" + "IBAzCC" + f.pick(B64, 400)),
        ("planetscale_token", "pscale_" + "tkn_" + f.pick(ALNUM, 43)),
        ("postman_api_key", "PM" + "AK-" + f.pick(HEX, 24) + "-" + f.pick(HEX, 34)),
        ("private_key", pem),
        ("pulumi_token", "pul-" + f.pick(HEX, 40)),
        ("pypi_token", "pypi-" + "AgEIcHlwaS5vcmc" + f.pick(URLSAFE, 120)),
        ("replicate_api_token", "r8_" + f.pick(ALNUM, 37)),
        ("rubygems_token", "rubygems_" + f.pick(HEX, 48)),
        ("sendgrid_api_key", "SG." + f.pick(URLSAFE, 22) + "." + f.pick(URLSAFE, 43)),
        ("sentry_token", "sntr" + "yu_" + f.pick(HEX, 64)),
        ("shopify_token", "shp" + "at_" + f.pick(HEX, 32)),
        ("slack_token", "xo" + "xb-" + f.pick(DIGITS, 12) + "-" + f.pick(DIGITS, 13) + "-" + f.pick(ALNUM, 24)),
        ("square_token", "sq0" + "atp-" + f.pick(URLSAFE, 22)),
        ("stripe_key", "sk_" + "live_" + f.pick(ALNUM, 24)),
        ("telegram_bot_token", "7" + f.pick(DIGITS, 9) + ":AA" + f.pick(URLSAFE, 33)),
        ("terraform_token", f.pick(LOWER_DIGITS, 14) + ".atlas" + "v1." + f.pick(LOWER_DIGITS, 67)),
        ("twilio_api_key", "S" + "K" + f.pick(HEX, 32)),
        ("vault_token", "hv" + "s." + f.pick(URLSAFE, 95)),
        ("xai_api_key", "xa" + "i-" + f.pick(ALNUM, 80)),
    ]
    triples = [(category, f"token: {value}\n", value) for category, value in pairs]
    secret_key = f.pick(ALNUM + "/+", 40)
    account_key = f.pick(B64, 86) + "=="
    db_password = f.pick(ALNUM, 18)
    client_secret = "xY_" + "8Q~" + f.pick(ALNUM + "_~.-", 34)
    key_id = f.pick(HEX, 40)
    generic = "Zx9!" + f.pick(ALNUM, 14)
    slack_hook = "T" + f.pick(UPPER_DIGITS, 8) + "/B" + f.pick(UPPER_DIGITS, 8) + "/" + f.pick(ALNUM, 24)
    discord_hook = "1" + f.pick(DIGITS, 17) + "/" + f.pick(URLSAFE, 68)
    triples += [
        ("aws_secret_key", f'aws_secret_access_key = "{secret_key}"', secret_key),
        ("azure_storage_key", f"AccountName=acme;AccountKey={account_key};EndpointSuffix=x", account_key),
        ("azure_client_secret", f"AZURE_CLIENT_SECRET={client_secret}", client_secret),
        ("database_url_with_password", f"DATABASE_URL=postgres://app:{db_password}@db.internal:5432/app",
         db_password),
        ("discord_webhook", f"https://discord.com/api/webhooks/{discord_hook}", discord_hook),
        ("gcp_service_account", f'"private_key_id": "{key_id}",', key_id),
        ("generic_secret", f'db_password = "{generic}"', generic),
        ("microsoft_teams_webhook", f"https://acme.webhook.office.com/webhookb2/{teams}", teams),
        ("slack_webhook", f"https://hooks.slack.com/services/{slack_hook}", slack_hook),
    ]
    return triples


def negatives(seed: int = 12) -> list[tuple[str, str]]:
    """(what it imitates, text) pairs that must yield no finding at all."""
    f = Forge(seed)
    body36 = f.pick(ALNUM, 36)
    return [
        ("aws documentation key", "AK" + "IA" + "IOSFODNN7" + "EXAMPLE"),
        ("aws masked key", "AK" + "IA" + "X" * 16),
        ("aws key glued to a word", "xyz" + "AK" + "IA" + f.pick(B32, 16)),
        ("aws key too long", "AK" + "IA" + f.pick(B32, 20)),
        ("github masked", "gh" + "p_" + "x" * 36),
        ("github too short", "gh" + "p_" + body36[:30]),
        ("github wrong prefix", "foo_" + body36),
        ("stripe prefix inside a word", 'nonMatching := "ta' + "sk_" + "test_" + f.pick(LOWER_DIGITS, 30) + '"'),
        ("stripe publishable key", "pk_" + "live_" + f.pick(ALNUM, 24)),
        ("telegram id glued to a word", "bot" + f.pick(DIGITS, 9) + ":AA" + f.pick(URLSAFE, 33)),
        ("gitlab token with a space", "gl" + "pat-" + f.pick(ALNUM, 10) + " " + f.pick(ALNUM, 9)),
        ("slack placeholder", "xo" + "xb-" + "x" * 9 + "-" + "x" * 10 + "-" + "x" * 12),
        ("jwt with a broken header", "eyJ" + f.pick(ALNUM, 30) + "." + f.pick(ALNUM, 40) + "." + f.pick(ALNUM, 20)),
        ("private key header only", "-----BEGIN " + "PRIVATE KEY-----\nanything\n-----END " + "PRIVATE KEY-----"),
        ("password placeholder", 'password = "changeme"'),
        ("password template", 'password = "${DB_PASSWORD}"'),
        ("password angle placeholder", "api_key: <your-api-key>"),
        ("password masked", 'secret = "************"'),
        ("password from the environment", 'password = os.environ["DB_PASSWORD"]'),
        ("password attribute", "token = self.tokenizer.next_token_value"),
        ("password words", 'password = "correct_horse_battery"'),
        ("password with spaces", 'password = "value with quotes and spaces"'),
        ("token type", 'token_type = "Bearer1234567"'),
        ("max tokens", '"max_tokens": 4096123456'),
        ("tokenizer name", 'tokenizer = "cl100k_base_v2"'),
        ("database url placeholder", "postgres://user:password@localhost:5432/app"),
        ("database url same as user", "postgres://postgres:postgres@localhost/app"),
        ("database url template", "postgres://${DB_USER}:${DB_PASS}@db/app"),
        ("alphabet run", 'api_key = "abcdefghijklmnop1234"'),
        ("repeated pattern", 'api_key = "abcd1234abcd1234abcd1234"'),
        ("names in a list", '__all__ = ("BasicAuth", "ChainMapProxy", "TokenStore2")'),
        ("variable passed on", "self._sigv4_auth_cls = sigv4_auth_cls"),
        ("type annotation", "private_key: ed25519.Ed25519PrivateKey,"),
        ("documentation example", "user = User(username='scolvin', password='password1')"),
        ("url template in a docstring", 'proxy_url="socks5h://<username>:<password>@proxy-host"'),
        ("sha256 in prose", "sha256 is " + f.pick(HEX, 64) + " for the file"),
        ("uuid in prose", "request id " + f.uuid() + " failed"),
    ]
