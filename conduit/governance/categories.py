"""The stable names of the governance categories: every secret family the detectors report, plus the entity list.

Config validation, the database, error bodies and the dashboard all use these names. Pure: imports only `finding`.
"""

from __future__ import annotations

from conduit.governance.finding import ENTITY

SECRET_CATEGORIES: tuple[str, ...] = (
    "age_secret_key",
    "anthropic_api_key",
    "atlassian_api_token",
    "aws_access_key",
    "aws_secret_key",
    "azure_client_secret",
    "azure_storage_key",
    "bitbucket_token",
    "cloudflare_origin_ca_key",
    "database_url_with_password",
    "databricks_token",
    "digitalocean_token",
    "discord_token",
    "discord_webhook",
    "doppler_token",
    "dynatrace_token",
    "easypost_api_key",
    "flyio_token",
    "gcp_api_key",
    "gcp_service_account",
    "generic_secret",
    "github_token",
    "gitlab_token",
    "grafana_token",
    "groq_api_key",
    "heroku_api_key",
    "huggingface_token",
    "jfrog_token",
    "jwt",
    "linear_api_key",
    "mailchimp_api_key",
    "mailgun_api_key",
    "microsoft_teams_webhook",
    "new_relic_key",
    "npm_token",
    "onepassword_token",
    "openai_api_key",
    "openshift_token",
    "perplexity_api_key",
    "pkcs12_file",
    "planetscale_token",
    "postman_api_key",
    "private_key",
    "pulumi_token",
    "pypi_token",
    "replicate_api_token",
    "rubygems_token",
    "sendgrid_api_key",
    "sentry_token",
    "shopify_token",
    "slack_token",
    "slack_webhook",
    "square_token",
    "stripe_key",
    "telegram_bot_token",
    "terraform_token",
    "twilio_api_key",
    "vault_token",
    "xai_api_key",
)
"""Every secret category, sorted; each name is used unchanged in config, storage and the dashboard."""

CATEGORIES: tuple[str, ...] = SECRET_CATEGORIES + (ENTITY,)
"""Every governance category a config may set to `off`, `alert` or `block`."""
