"""Secret detectors for chat, messaging, e-mail and payment services: Slack, Discord, Telegram, Microsoft Teams,
Twilio, SendGrid, Mailgun, Mailchimp, Stripe, Square, Shopify and EasyPost.
Pure: imports only `detector`.
"""

from __future__ import annotations

import base64
import binascii
import re

from conduit.governance.detector import END, END_WORD, Detector, body_is_random, random_after, token

_DISCORD_IDS = ("MT", "Mj", "Mz", "ND", "NT", "Nj", "Nz", "OD", "OT")
_DISCORD = r"[A-Za-z0-9_-]{21,24}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}"


def _discord_id_ok(m: re.Match[str]) -> bool:
    head = m.group().split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))
    except (binascii.Error, ValueError):
        return False
    return decoded.isdigit() and 17 <= len(decoded) <= 20 and body_is_random(m)


def _webhook(name: str, category: str, anchors: tuple[str, ...], path: str) -> Detector:
    head = "(?:" + "|".join(re.escape(a) for a in anchors) + ")"
    return Detector(name, category, anchors, head + path, head + f"(?P<secret>{path})" + END_WORD,
                    edge=False, validate=random_after(0, 3.0))


DETECTORS: tuple[Detector, ...] = (
    token("slack_token", "slack_token", ("xoxa-", "xoxb-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-"),
          r"(?:[0-9]{1,2}-)?[0-9]{5,15}(?:-[0-9]{5,15}){0,3}-[A-Za-z0-9]{8,64}", end=END_WORD),
    token("slack_config_token", "slack_token", ("xoxe.xoxb-", "xoxe.xoxp-", "xoxe-"), r"[0-9]-[A-Za-z0-9]{100,}"),
    token("slack_app_token", "slack_token", ("xapp-",), r"[0-9]-[A-Z0-9]{9,}-[0-9]{9,}-[A-Za-z0-9]{32,}"),
    _webhook("slack_webhook", "slack_webhook", ("hooks.slack.com/services/", "hooks.slack.com/workflows/",
                                                 "hooks.slack.com/triggers/"), r"[A-Za-z0-9+/_-]{30,}"),
    Detector("discord_bot_token", "discord_token", _DISCORD_IDS, "(?:MT|Mj|Mz|ND|NT|Nj|Nz|OD|OT)" + _DISCORD,
             "(?:MT|Mj|Mz|ND|NT|Nj|Nz|OD|OT)" + _DISCORD + END_WORD, validate=_discord_id_ok),
    _webhook("discord_webhook", "discord_webhook", ("discord.com/api/webhooks/", "discordapp.com/api/webhooks/"),
             r"[0-9]{17,20}/[A-Za-z0-9_-]{60,68}"),
    Detector("telegram_bot_token", "telegram_bot_token", (":A",), r"[0-9]{5,16}:A[A-Za-z0-9_-]{34}",
             r"[0-9]{5,16}:A[A-Za-z0-9_-]{34}" + END_WORD, lead_max=16, validate=random_after(0, 3.0)),
    _webhook("microsoft_teams_webhook", "microsoft_teams_webhook", (".webhook.office.com/webhookb2/",),
             r"[a-z0-9-]{36}@[a-z0-9-]{36}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9-]{36}"),
    token("twilio_api_key", "twilio_api_key", ("SK",), r"[0-9a-fA-F]{32}", validate=random_after(2)),
    token("sendgrid_api_key", "sendgrid_api_key", ("SG.",), r"[A-Za-z0-9_=-][A-Za-z0-9_=.-]{65}",
          end=r"(?![A-Za-z0-9_=.-])", validate=random_after(3, 3.5)),
    token("mailgun_api_key", "mailgun_api_key", ("key-",), r"[0-9a-f]{32}", validate=random_after(4)),
    Detector("mailchimp_api_key", "mailchimp_api_key", ("-us",), r"[0-9a-f]{32}-us[0-9]{1,2}",
             r"[0-9a-f]{32}-us[0-9]{1,2}" + END, lead_max=32, validate=random_after(0)),
    token("stripe_secret_key", "stripe_key", ("sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_",
                                              "rk_prod_"), r"[0-9A-Za-z]{10,247}"),
    token("square_access_token", "square_token", ("sq0atp-",), r"[0-9A-Za-z_-]{22,60}", end=END_WORD),
    token("square_oauth_secret", "square_token", ("sq0csp-",), r"[0-9A-Za-z_-]{43}", end=END_WORD),
    token("square_access_token_v2", "square_token", ("EAAA",), r"[0-9A-Za-z_-]{60}", end=END_WORD),
    token("shopify_token", "shopify_token", ("shpat_", "shpca_", "shppa_", "shpss_"), r"[a-fA-F0-9]{32}"),
    Detector("easypost_api_key", "easypost_api_key", ("EZAK", "EZTK"), r"EZ[AT]K[A-Za-z0-9]{54}",
             r"EZ[AT]K[A-Za-z0-9]{54}(?![A-Za-z0-9+/=])", glue="+/", validate=random_after(4)),
)
"""The chat, messaging, e-mail and payment detectors."""
