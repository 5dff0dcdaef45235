"""Secret detectors for LLM and AI providers: Anthropic, OpenAI, Hugging Face, Groq, Replicate, Perplexity and
xAI. Each key format has a fixed prefix and length, so a mask check is enough on top of the shape.
Pure: imports only `detector` and `entropy`.
"""

from __future__ import annotations

import re

from conduit.governance.detector import END_WORD, Detector, random_after, token
from conduit.governance.entropy import is_masked, is_placeholder, is_template, looks_random

_OPENAI_PREFIXES = ("sk-",)
_OPENAI = r"sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}"
_OPENAI_CORE = r"sk-[A-Za-z0-9_-]{20,}T3BlbkFJ"


def _unmasked(m: re.Match[str]) -> bool:
    value = m.group()
    return not is_masked(value) and not is_template(value)


def _anthropic_ok(m: re.Match[str]) -> bool:
    return not is_placeholder(m.group().split("-", 3)[3])


def _mixed_letters(m: re.Match[str]) -> bool:
    body = m.group()[m.group().index("_") + 1:]
    if body.startswith("org_"):
        body = body[4:]
    return looks_random(body, 3.5) and not body.islower() and not body.isupper()


DETECTORS: tuple[Detector, ...] = (
    token("anthropic_api_key", "anthropic_api_key", ("sk-ant-api", "sk-ant-admin"),
          r"[0-9]{2}-[A-Za-z0-9_-]{93}AA", end=END_WORD, validate=_anthropic_ok),
    token("anthropic_oauth_token", "anthropic_api_key", ("sk-ant-oat", "sk-ant-ort"),
          r"[0-9]{2}-[A-Za-z0-9_-]{80,120}", end=END_WORD, validate=random_after(13, 4.0)),
    Detector("openai_api_key", "openai_api_key", _OPENAI_PREFIXES, _OPENAI_CORE, _OPENAI + END_WORD,
             validate=_unmasked),
    token("huggingface_token", "huggingface_token", ("hf_",), r"[A-Za-z]{34}", validate=_mixed_letters),
    token("huggingface_org_token", "huggingface_token", ("api_org_",), r"[A-Za-z]{34}",
          validate=_mixed_letters),
    token("groq_api_key", "groq_api_key", ("gsk_",), r"[A-Za-z0-9]{52}", validate=random_after(4)),
    token("replicate_api_token", "replicate_api_token", ("r8_",), r"[A-Za-z0-9]{37}", validate=random_after(3)),
    token("perplexity_api_key", "perplexity_api_key", ("pplx-",), r"[A-Za-z0-9]{48}", validate=random_after(5)),
    token("xai_api_key", "xai_api_key", ("xai-",), r"[A-Za-z0-9]{80}", validate=random_after(4)),
)
"""The LLM and AI provider detectors."""
