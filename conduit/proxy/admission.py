"""What a request must pass before it goes upstream: the virtual key (with bad-key throttling), the access checks
and the governance scan of its body, and the provider's sealed credential in place of the virtual key; and the
refusal, in the provider's error shape, when one of them says no. Shared by HTTP requests and WebSocket turns.
"""

from __future__ import annotations

import math
import time

from aiohttp import web
from multidict import CIMultiDict

from conduit.checks.base import Deny, Subject
from conduit.checks.governance import Blocked
from conduit.core.status import Status
from conduit.core.vkey import VirtualKey
from conduit.providers.base import Adapter
from conduit.proxy.exchange import Exchange
from conduit.proxy.headers import swap_credential
from conduit.proxy.routing import Route
from conduit.proxy.state import ProxyState


def authenticate(request: web.Request, state: ProxyState, presented: str | None) -> VirtualKey | Deny:
    """The caller's virtual key, or a 401/429 (clients that keep sending bad keys are throttled first)."""
    access = state.access
    client = request.remote or "unknown"
    now_s = time.time()
    blocked = access.throttle.blocked(client, now_s)
    if blocked is not None:
        return blocked
    found = access.keyring.authenticate(presented, int(now_s * 1000))
    if isinstance(found, Deny):
        access.throttle.record_failure(client, now_s)
    return found


def check_body(state: ProxyState, adapter: Adapter, ex: Exchange, key: VirtualKey | None, body: bytes) -> Deny | None:
    """Read the body's facts into `ex`, then run the access checks and the governance scan; a Deny if refused."""
    ex.request_bytes = len(body)
    if body:
        ex.facts = adapter.request_facts(body)
    facts = ex.facts
    input_tokens = math.ceil(len(body) / 4)
    entry = state.prices.entry_for(facts.model) if facts.model else None
    subject = Subject(
        key=key,
        team=state.access.team_of(key),
        model=facts.model,
        generating=ex.endpoint.generating,
        input_tokens=input_tokens,
        max_tokens=facts.max_tokens,
        price=entry.price_for_prompt(input_tokens) if entry else None,
        now_s=time.time(),
    )
    admitted = state.access.gate.admit(subject)
    if isinstance(admitted, Deny):
        return admitted
    ex.admission = admitted
    scanned = state.governance.inspect(facts, body, ex.identity.session_id or ex.identity.key_id or "-")
    if isinstance(scanned, Blocked):
        ex.flags = scanned.flags
    if isinstance(scanned, Deny):
        return scanned
    ex.flags = scanned
    return None


def inject_credential(state: ProxyState, route: Route, headers: CIMultiDict[str]) -> Deny | None:
    """Replace the client's virtual key with the provider's sealed credential, or say why it can't be."""
    provider = route.provider
    secret = state.access.credentials.get(provider.credential or "")
    if secret is None:
        return Deny(503, Status.PROXY_ERROR, "credential_unavailable",
                    f"provider {provider.key!r} needs credential {provider.credential!r}, which is not set; "
                    f"run `conduit credentials set {provider.credential} --provider {provider.key}`")
    swap_credential(headers, provider.credential_header, secret)
    return None


def refuse(ex: Exchange, adapter: Adapter, deny: Deny) -> web.Response:
    """A denial in the provider's error shape, recorded on the exchange (zero cost)."""
    ex.fail(deny.status, deny.http_status, deny.code)
    headers = {"x-conduit-request-id": ex.request_id, "x-conduit-error": deny.code}
    if deny.retry_after_s is not None:
        headers["retry-after"] = str(max(1, math.ceil(deny.retry_after_s)))
    return web.Response(status=deny.http_status, body=adapter.error_body(deny.http_status, deny.code, deny.message),
                        content_type="application/json", headers=headers)


def deny(ex: Exchange, adapter: Adapter, http_status: int, code: str, message: str) -> web.Response:
    """Conduit's own failure answer (status proxy_error)."""
    return refuse(ex, adapter, Deny(http_status, Status.PROXY_ERROR, code, message))
