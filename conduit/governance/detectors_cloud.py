"""Secret detectors for cloud and infrastructure providers: AWS, Google Cloud, Azure, DigitalOcean, Cloudflare,
Databricks, Heroku, Fly.io, HashiCorp, Doppler, Dynatrace, New Relic, OpenShift, PlanetScale and 1Password.
Pure: imports only `detector` and `entropy`.
"""

from __future__ import annotations

import re

from conduit.governance.detector import END, END_WORD, Detector, random_after, token
from conduit.governance.entropy import is_masked, is_template, looks_random

_KEY_ASSIGN = r"[\w.-]{0,20}?['\"]?\s{0,4}(?:=|:=|:|=>|,)\s{0,4}['\"`]?"


def _aws_secret_ok(m: re.Match[str]) -> bool:
    return looks_random(m.group("secret"), 4.0)


def _unmasked(m: re.Match[str]) -> bool:
    value = m.group()
    return not is_masked(value) and not is_template(value)


AWS_SECRET_PREFIXES = ("secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret_key",
                       "awssecretkey", "aws-secret-key")

DETECTORS: tuple[Detector, ...] = (
    Detector("aws_access_key_id", "aws_access_key", ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
             r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}",
             r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}" + END, validate=random_after(4, 2.5)),
    Detector("aws_secret_access_key", "aws_secret_key", AWS_SECRET_PREFIXES,
             "(?:" + "|".join(AWS_SECRET_PREFIXES) + ")",
             "(?:" + "|".join(AWS_SECRET_PREFIXES) + ")" + _KEY_ASSIGN
             + r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
             caseless=True, edge=False, validate=_aws_secret_ok),
    token("gcp_api_key", "gcp_api_key", ("AIza",), r"[0-9A-Za-z_-]{35}", end=END_WORD,
          validate=random_after(4)),
    Detector("gcp_service_account_key_id", "gcp_service_account", ('"private_key_id"',),
             r'"private_key_id"\s*:\s*"[0-9a-f]{40}"',
             r'"private_key_id"\s*:\s*"(?P<secret>[0-9a-f]{40})"', edge=False, validate=random_after(0)),
    Detector("azure_storage_account_key", "azure_storage_key", ("AccountKey=",),
             r"AccountKey=[A-Za-z0-9+/]{86}==", r"AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)",
             edge=False, validate=random_after(0)),
    Detector("azure_ad_client_secret", "azure_client_secret", ("Q~",),
             r"[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}",
             r"[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])",
             lead="_~.", lead_max=4, validate=random_after(0, 3.5)),
    token("digitalocean_token", "digitalocean_token", ("dop_v1_", "doo_v1_", "dor_v1_"), r"[a-f0-9]{64}"),
    token("cloudflare_origin_ca_key", "cloudflare_origin_ca_key", ("v1.0-",), r"[a-f0-9]{24}-[a-f0-9]{146}"),
    token("databricks_token", "databricks_token", ("dapi",), r"[a-f0-9]{32}(?:-[0-9])?",
          validate=random_after(4), core=r"[a-f0-9]{32}"),
    token("heroku_api_key_v2", "heroku_api_key", ("HRKU-",), r"[A-Za-z0-9_-]{60}", end=END_WORD),
    token("flyio_token", "flyio_token", ("fo1_",), r"[A-Za-z0-9_-]{43}", end=END_WORD),
    token("flyio_macaroon", "flyio_token", ("fm1r_", "fm1a_", "fm2_"), r"[A-Za-z0-9+/]{100,}={0,3}",
          end=r"(?![A-Za-z0-9+/=])", core=r"[A-Za-z0-9+/]{100}"),
    token("vault_service_token", "vault_token", ("hvs.",), r"[A-Za-z0-9_-]{90,120}", end=END_WORD),
    token("vault_batch_token", "vault_token", ("hvb.",), r"[A-Za-z0-9_-]{138,300}", end=END_WORD),
    Detector("terraform_api_token", "terraform_token", (".atlasv1.",),
             r"[a-z0-9]{14}\.atlasv1\.[a-z0-9_=-]{60,70}", r"[a-z0-9]{14}\.atlasv1\.[a-z0-9_=-]{60,70}(?![a-z0-9_=-])",
             lead="", lead_max=14, validate=_unmasked),
    token("doppler_token", "doppler_token", ("dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."),
          r"[a-zA-Z0-9]{40,44}"),
    token("dynatrace_token", "dynatrace_token", ("dt0c01.",), r"[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}"),
    token("new_relic_user_key", "new_relic_key", ("NRAK-",), r"[A-Za-z0-9]{27}"),
    token("new_relic_insert_key", "new_relic_key", ("NRII-",), r"[A-Za-z0-9_-]{32}", end=END_WORD),
    token("new_relic_browser_key", "new_relic_key", ("NRJS-",), r"[a-f0-9]{19}"),
    token("openshift_token", "openshift_token", ("sha256~",), r"[A-Za-z0-9_-]{43}", end=END_WORD),
    token("planetscale_token", "planetscale_token", ("pscale_tkn_", "pscale_oauth_", "pscale_pw_"),
          r"[A-Za-z0-9_=.-]{32,64}", end=r"(?![A-Za-z0-9_=.-])"),
    token("onepassword_service_account", "onepassword_token", ("ops_eyJ",), r"[A-Za-z0-9+/]{250,}={0,3}",
          end=r"(?![A-Za-z0-9+/=])", core=r"[A-Za-z0-9+/]{250}"),
    token("onepassword_secret_key", "onepassword_token", ("A3-",),
          r"[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
          validate=_unmasked),
)
"""The cloud and infrastructure detectors."""
