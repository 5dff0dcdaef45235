"""Which headers cross the proxy: everything except hop-by-hop headers (RFC 9110 §7.6.1) and framing.

Request headers lose `Host` and `Content-Length` too (the client library sets them for the upstream hop);
response headers keep `Content-Length`, since the body passes through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from multidict import CIMultiDict, CIMultiDictProxy

_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_REQUEST_DROP = _HOP_BY_HOP | {"host", "content-length", "expect"}
_RESPONSE_DROP = _HOP_BY_HOP
# Headers aiohttp's client adds when absent; a proxy must not invent them.
CLIENT_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


def _connection_tokens(headers: CIMultiDictProxy[str]) -> frozenset[str]:
    """Header names that the `Connection` header marks as hop-by-hop for this message."""
    values = headers.getall("connection", ())
    if not values:
        return frozenset()
    return frozenset(token.strip().lower() for value in values for token in value.split(","))


def _filtered(headers: CIMultiDictProxy[str], drop: frozenset[str]) -> CIMultiDict[str]:
    """A copy of `headers` (order and repeats kept) without the names in `drop` or listed in `Connection`."""
    extra = _connection_tokens(headers)
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in headers.items():
        lower = name.lower()
        if lower in drop or lower in extra:
            continue
        out.add(name, value)
    return out


def upstream_request_headers(headers: CIMultiDictProxy[str]) -> CIMultiDict[str]:
    """The headers to send upstream for a client request."""
    return _filtered(headers, _REQUEST_DROP)


def client_response_headers(headers: CIMultiDictProxy[str]) -> CIMultiDict[str]:
    """The headers to send the client for an upstream response."""
    return _filtered(headers, _RESPONSE_DROP)


def absent_auto_headers(headers: Iterable[str]) -> frozenset[str]:
    """The client-library default headers that the original request did not carry (so none are added)."""
    present = {name.lower() for name in headers}
    return frozenset(name for name in CLIENT_AUTO_HEADERS if name.lower() not in present)


_CLIENT_AUTH = ("x-api-key", "authorization", "api-key")


def swap_credential(headers: CIMultiDict[str], header: str, secret: str) -> None:
    """Remove every credential the client sent and put the provider's own in `header`
    (`authorization` carries it as a Bearer token)."""
    for name in _CLIENT_AUTH:
        headers.popall(name, None)
    headers[header] = f"Bearer {secret}" if header == "authorization" else secret
