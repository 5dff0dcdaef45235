"""The labelled secrets corpus and the clean text the detectors are measured on, shared by the quality test and
the benches: which corpus categories Conduit claims (and as which category), and a deterministic body of real
source code and prose from this machine's Python standard library.
"""

from __future__ import annotations

import json
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from pydoc_data.topics import topics

from conduit.governance.finding import Finding

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "secrets.jsonl"

CLAIMED: dict[str, str] = {
    # cloud and infrastructure
    "aws-access-token": "aws_access_key",
    "gcp-api-key": "gcp_api_key",
    "Azure Storage Account access key": "azure_storage_key",
    "azure-ad-client-secret": "azure_client_secret",
    "digitalocean-access-token": "digitalocean_token",
    "digitalocean-pat": "digitalocean_token",
    "digitalocean-refresh-token": "digitalocean_token",
    "cloudflare-origin-ca-key": "cloudflare_origin_ca_key",
    "databricks-api-token": "databricks_token",
    "heroku-api-key-v2": "heroku_api_key",
    "flyio-access-token": "flyio_token",
    "vault-batch-token": "vault_token",
    "hashicorp-tf-api-token": "terraform_token",
    "doppler-api-token": "doppler_token",
    "dynatrace-api-token": "dynatrace_token",
    "new-relic-user-api-key": "new_relic_key",
    "new-relic-insert-key": "new_relic_key",
    "new-relic-browser-api-token": "new_relic_key",
    "openshift-user-token": "openshift_token",
    "planetscale-api-token": "planetscale_token",
    "planetscale-oauth-token": "planetscale_token",
    "planetscale-password": "planetscale_token",
    "1password-secret-key": "onepassword_token",
    "1password-service-account-token": "onepassword_token",
    # code hosting, registries, developer platforms
    "GitHub Token": "github_token",
    "github-pat": "github_token",
    "github-oauth": "github_token",
    "github-app-token": "github_token",
    "github-refresh-token": "github_token",
    "github-fine-grained-pat": "github_token",
    "gitlab-pat": "gitlab_token",
    "gitlab-pat-routable": "gitlab_token",
    "gitlab-ptt": "gitlab_token",
    "gitlab-rrt": "gitlab_token",
    "gitlab-runner-authentication-token": "gitlab_token",
    "gitlab-runner-authentication-token-routable": "gitlab_token",
    "gitlab-cicd-job-token": "gitlab_token",
    "gitlab-deploy-token": "gitlab_token",
    "gitlab-feature-flag-client-token": "gitlab_token",
    "gitlab-feed-token": "gitlab_token",
    "gitlab-incoming-mail-token": "gitlab_token",
    "gitlab-kubernetes-agent-token": "gitlab_token",
    "gitlab-oauth-app-secret": "gitlab_token",
    "gitlab-scim-token": "gitlab_token",
    "gitlab-session-cookie": "gitlab_token",
    "npm-access-token": "npm_token",
    "NPM tokens": "npm_token",
    "PyPI Token": "pypi_token",
    "pypi-upload-token": "pypi_token",
    "rubygems-api-token": "rubygems_token",
    "jfrog-api-key": "jfrog_token",
    "artifactory-api-key": "jfrog_token",
    "artifactory-reference-token": "jfrog_token",
    "grafana-api-key": "grafana_token",
    "grafana-cloud-api-token": "grafana_token",
    "grafana-service-account-token": "grafana_token",
    "sentry-org-token": "sentry_token",
    "sentry-user-token": "sentry_token",
    "postman-api-token": "postman_api_key",
    "linear-api-key": "linear_api_key",
    "pulumi-api-token": "pulumi_token",
    # chat, messaging, e-mail, payment
    "slack-bot-token": "slack_token",
    "slack-user-token": "slack_token",
    "slack-app-token": "slack_token",
    "slack-legacy-bot-token": "slack_token",
    "slack-legacy-token": "slack_token",
    "slack-config-access-token": "slack_token",
    "slack-config-refresh-token": "slack_token",
    "slack-webhook-url": "slack_webhook",
    "microsoft-teams-webhook": "microsoft_teams_webhook",
    "telegram-bot-api-token": "telegram_bot_token",
    "Telegram Bot Token": "telegram_bot_token",
    "twilio-api-key": "twilio_api_key",
    "sendgrid-api-token": "sendgrid_api_key",
    "SendGrid API Key": "sendgrid_api_key",
    "mailgun-private-api-token": "mailgun_api_key",
    "mailchimp-api-key": "mailchimp_api_key",
    "Mailchimp Access Key": "mailchimp_api_key",
    "stripe-access-token": "stripe_key",
    "Stripe Access Key": "stripe_key",
    "square-access-token": "square_token",
    "shopify-access-token": "shopify_token",
    "shopify-custom-access-token": "shopify_token",
    "shopify-private-app-access-token": "shopify_token",
    "shopify-shared-secret": "shopify_token",
    "easypost-api-token": "easypost_api_key",
    "easypost-test-api-token": "easypost_api_key",
    # LLM providers
    "anthropic-api-key": "anthropic_api_key",
    "anthropic-admin-api-key": "anthropic_api_key",
    "openai-api-key": "openai_api_key",
    "OpenAI Token": "openai_api_key",
    "huggingface-access-token": "huggingface_token",
    "huggingface-organization-api-token": "huggingface_token",
    "perplexity-api-key": "perplexity_api_key",
    # keys, tokens and assignments
    "private-key": "private_key",
    "jwt": "jwt",
    "jwt-base64": "jwt",
    "JSON Web Token": "jwt",
    "generic-api-key": "generic_secret",
    "hashicorp-tf-password": "generic_secret",
    "cohere-api-token": "generic_secret",
    "octopus-deploy-api-key": "generic_secret",
    "privateai-api-token": "generic_secret",
}
"""Corpus category -> the Conduit category that reports it, for every corpus category Conduit claims to cover."""


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled corpus sample."""

    text: str
    category: str
    expect: bool


def load_corpus(path: Path = CORPUS) -> list[Row]:
    """Every row of the labelled corpus."""
    rows = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            raw = json.loads(line)
            rows.append(Row(str(raw["text"]), str(raw["category"]), bool(raw["expect"])))
    return rows


def stdlib_sources() -> list[Path]:
    """The standard library's own modules (top level and packages, no tests), in a fixed order."""
    root = Path(sysconfig.get_paths()["stdlib"])
    skip = ("test", "tests", "idle_test", "site-packages", "dist-packages", "lib2to3", "__pycache__")
    files = [p for p in root.rglob("*.py") if not any(part in skip for part in p.relative_to(root).parts)]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def clean_body(size: int) -> str:
    """About `size` characters of real code and prose with no secrets: stdlib modules and the stdlib's own
    documentation topics, interleaved in 4 KB / 2 KB slices so both kinds appear throughout."""
    prose = "\n\n".join(topics[name] for name in sorted(topics))
    code_parts: list[str] = []
    total = 0
    for path in stdlib_sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        code_parts.append(text)
        total += len(text)
        if total > size:
            break
    code = "\n".join(code_parts)
    out: list[str] = []
    length = at_code = at_prose = 0
    while length < size:
        for piece in (code[at_code:at_code + 4096], prose[at_prose % len(prose):at_prose % len(prose) + 2048]):
            out.append(piece)
            length += len(piece)
        at_code += 4096
        at_prose += 2048
    return "".join(out)[:size]


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """How one claimed corpus category fares: its rows, those with any finding, those with the claimed one."""

    corpus_category: str
    conduit_category: str
    rows: int
    found: int
    exact: int


@dataclass(frozen=True, slots=True)
class Quality:
    """Recall on the claimed categories; on look-alike rows, the claimed category's own hits and any finding."""

    scores: tuple[CategoryScore, ...]
    negatives: int
    false_hits: tuple[str, ...]
    claimed_negatives: int
    claimed_false_hits: tuple[str, ...]

    @property
    def recall(self) -> float:
        """The share of claimed secret rows where any category is reported."""
        return sum(s.found for s in self.scores) / sum(s.rows for s in self.scores)

    @property
    def exact_recall(self) -> float:
        """The share of claimed secret rows where the claimed category is reported."""
        return sum(s.exact for s in self.scores) / sum(s.rows for s in self.scores)

    @property
    def false_positive_rate(self) -> float:
        """The share of `expect: false` rows (all categories) with any finding."""
        return len(self.false_hits) / self.negatives

    @property
    def claimed_false_positive_rate(self) -> float:
        """The share of `expect: false` rows of claimed categories where that claimed category is reported: the
        detector for X firing on a look-alike of X (a look-alike that is a real secret of another kind, such as
        a GitHub token among GitLab look-alikes, is reported as that kind and is not counted here)."""
        return len(self.claimed_false_hits) / self.claimed_negatives


def measure(scan: Callable[[str], list[Finding]], rows: list[Row]) -> Quality:
    """Run `scan` over every corpus row and score it against CLAIMED."""
    counts: dict[str, list[int]] = {}
    false_hits: list[str] = []
    claimed_false_hits: list[str] = []
    for row in rows:
        found = scan(row.text)
        if not row.expect:
            if found:
                false_hits.append(row.category)
            if row.category in CLAIMED and any(f.category == CLAIMED[row.category] for f in found):
                claimed_false_hits.append(row.category)
        elif row.category in CLAIMED:
            count = counts.setdefault(row.category, [0, 0, 0])
            count[0] += 1
            count[1] += bool(found)
            count[2] += any(f.category == CLAIMED[row.category] for f in found)
    scores = tuple(CategoryScore(name, CLAIMED[name], *counts[name]) for name in sorted(counts, key=str.lower))
    claimed_negatives = sum(not row.expect and row.category in CLAIMED for row in rows)
    return Quality(scores, sum(not row.expect for row in rows), tuple(false_hits), claimed_negatives,
                   tuple(claimed_false_hits))
