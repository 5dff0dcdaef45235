"""Routing: `/<provider_key>/<rest>` goes to that provider's configured upstream and nowhere else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiohttp import web
from yarl import URL

from conduit.config.schema import ProviderConfig
from conduit.proxy.routing import Route, RouteError, Router


@pytest.fixture
async def trap() -> AsyncIterator[tuple[str, list[str]]]:
    """A server no request may ever reach; it records what reaches it."""
    hits: list[str] = []

    async def record(request: web.Request) -> web.Response:
        hits.append(request.raw_path)
        return web.Response(text="trapped")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"127.0.0.1:{runner.addresses[0][1]}", hits
    await runner.cleanup()


async def raw_request(proxy_url: str, target: str, host: str = "localhost") -> tuple[int, bytes]:
    """Send one request with an exact request target; return status and body."""
    hostname, port = proxy_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(hostname, int(port))
    writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nx-api-key: sk-test\r\n"
                 f"anthropic-version: 2023-06-01\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), timeout=5)
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


@pytest.mark.parametrize(
    "target",
    [
        "/anthropic/../openai/v1/models",
        "/anthropic/v1/../../x",
        "/anthropic/%2e%2e/x",
        "/anthropic/%2E%2e/x",
        "/anthropic/./v1/models",
        "/anthropic//{trap}/v1/models",
        "/anthropic/v1%2f..%2fx",
        "/anthropic/v1\\..\\x",
        "http://{trap}/v1/models",
        "//{trap}/v1/models",
    ],
)
async def test_escapes_are_refused_and_reach_nothing(target: str, trap: Any, proxy: Any, sim: Any) -> None:
    trap_host, hits = trap
    seen_before = len(sim.state.requests)
    status, _ = await raw_request(proxy.url, target.format(trap=trap_host), host=trap_host)
    assert status == 400
    assert hits == []
    assert len(sim.state.requests) == seen_before


async def test_host_header_and_userinfo_tricks_stay_on_the_configured_upstream(trap: Any, proxy: Any, sim: Any) -> None:
    trap_host, hits = trap
    status, _ = await raw_request(proxy.url, "/anthropic/v1/models", host=trap_host)
    assert status == 200
    status, _ = await raw_request(proxy.url, f"/anthropic/@{trap_host}/v1/models", host=trap_host)
    assert status == 404  # the simulated provider's own 404 for an unknown path
    assert hits == []
    assert [r.path_qs for r in sim.state.requests[-2:]] == ["/v1/models", f"/@{trap_host}/v1/models"]
    assert sim.state.requests[-1].headers["host"] == sim.url.removeprefix("http://")


@pytest.mark.parametrize("target", ["/nope/v1/messages", "/", "/favicon.ico"])
async def test_unknown_provider_lists_configured_keys(target: str, proxy: Any) -> None:
    status, body = await raw_request(proxy.url, target)
    assert status == 404
    doc = orjson.loads(body)
    assert doc["providers"] == ["anthropic", "openai"]
    assert doc["error"]["type"] == "unknown_provider"
    assert "/anthropic" in doc["error"]["message"] and "/openai" in doc["error"]["message"]
    assert await proxy.events() == []


def test_router_appends_rest_and_query_to_an_upstream_with_a_base_path() -> None:
    router = Router({"gw": ProviderConfig("gw", "https://gw.example:8443/team/openai", "openai")})
    route = router.resolve("/gw/v1/chat/completions?api-version=2024-10-21&x=%2F")
    assert isinstance(route, Route)
    assert route.path == "/v1/chat/completions"
    assert route.target == URL("https://gw.example:8443/team/openai/v1/chat/completions?api-version=2024-10-21&x=%2F",
                               encoded=True)
    assert str(route.target).endswith("x=%2F")
    bare = router.resolve("/gw")
    assert isinstance(bare, Route) and str(bare.target) == "https://gw.example:8443/team/openai"
    assert isinstance(router.resolve("/gw/../admin"), RouteError)
    assert isinstance(router.resolve("/gw/v1/%2e%2e/admin"), RouteError)
