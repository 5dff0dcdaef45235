"""Conduit's own endpoints through a real proxy: /healthz, /readyz (and its 503s), /metrics cross-checked against
the events in the database, GET/HEAD only, never recorded as usage, never showing content."""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from typing import Any

import aiohttp
import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conduit.config.schema import RESERVED_PROVIDER_KEYS
from conduit.core.event import UsageEvent
from conduit.core.status import Status
from conduit.proxy.metrics import MAX_MODELS, UsageMetrics
from conduit.proxy.ops import OPS_PATHS
from conduit.store.connection import connect
from conduit.store.policy_version import bump

CANARY = f"CANARY-{uuid.uuid4().hex}"
AWS_KEY = "AKIA" + "QYLPMN5H" + "HHFPZAM2"
ANTHROPIC = {"x-api-key": "sk-ant-api03-ops-tests", "anthropic-version": "2023-06-01",
             "content-type": "application/json"}
OPENAI = {"authorization": "Bearer sk-proj-ops-tests", "content-type": "application/json"}
GOVERNANCE = '[governance]\nmode = "alert"\nblock = ["aws_access_key"]\n'


def anthropic_body(stream: bool, text: str = f"say {CANARY}", model: str = "claude-sonnet-4-6") -> bytes:
    return orjson.dumps({"model": model, "max_tokens": 64, "stream": stream,
                         "system": [{"type": "text", "text": "be brief", "cache_control": {"type": "ephemeral"}}],
                         "messages": [{"role": "user", "content": text}]})


def openai_body(stream: bool) -> bytes:
    return orjson.dumps({"model": "gpt-4.1-mini", "stream": stream, "stream_options": {"include_usage": True},
                         "messages": [{"role": "user", "content": CANARY}]})


async def traffic(url: str) -> None:
    """Successes (streamed and not, both APIs), an upstream error, a governance block and an unknown model."""
    async with aiohttp.ClientSession() as session:
        for stream in (False, True):
            async with session.post(f"{url}/anthropic/v1/messages", data=anthropic_body(stream),
                                    headers=ANTHROPIC) as r:
                assert r.status == 200
                await r.read()
            async with session.post(f"{url}/openai/v1/chat/completions", data=openai_body(stream),
                                    headers=OPENAI) as r:
                assert r.status == 200
                await r.read()
        async with session.post(f"{url}/anthropic/v1/messages", data=anthropic_body(False),
                                headers={**ANTHROPIC, "x-sim-status": "529"}) as r:
            assert r.status == 529
        async with session.post(f"{url}/anthropic/v1/messages", data=anthropic_body(False, f"{AWS_KEY} {CANARY}"),
                                headers=ANTHROPIC) as r:
            assert r.status == 451
        async with session.post(f"{url}/anthropic/v1/messages", data=b'{"messages": []}', headers=ANTHROPIC) as r:
            await r.read()


async def get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession() as session:
        async with session.request(method, url) as r:
            return r.status, dict(r.headers), await r.read()


def samples(text: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """Every sample of a /metrics answer: name → sorted labels → value."""
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = defaultdict(dict)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[sample.name][tuple(sorted(sample.labels.items()))] = sample.value
    return found


def by_labels(series: dict[tuple[tuple[str, str], ...], float], *names: str) -> dict[tuple[str, ...], float]:
    """Sum a metric's samples by the given labels."""
    summed: dict[tuple[str, ...], float] = defaultdict(float)
    for labels, value in series.items():
        as_dict = dict(labels)
        summed[tuple(as_dict[name] for name in names)] += value
    return dict(summed)


async def test_healthz_and_readyz_answer_ok_and_are_not_recorded(proxy: Any) -> None:
    status, headers, body = await get(f"{proxy.url}/healthz")
    assert (status, orjson.loads(body)) == (200, {"status": "ok"})
    assert headers["Content-Type"].startswith("application/json")
    status, _, body = await get(f"{proxy.url}/readyz")
    assert status == 200
    assert orjson.loads(body) == {"status": "ready", "checks": {"config": "ok", "shutdown": "ok", "writer": "ok",
                                                                "database": "ok"}}
    status, _, _ = await get(f"{proxy.url}/metrics")
    assert status == 200
    assert await proxy.events() == []


@pytest.mark.parametrize("path", OPS_PATHS)
async def test_ops_endpoints_answer_get_and_head_only(proxy: Any, path: str) -> None:
    status, headers, body = await get(f"{proxy.url}{path}", "HEAD")
    assert (status, body) == (200, b"")
    for method in ("POST", "PUT", "DELETE"):
        status, headers, body = await get(f"{proxy.url}{path}", method)
        assert status == 405
        assert headers["Allow"] == "GET, HEAD"
        assert orjson.loads(body)["error"]["code"] == "method_not_allowed"
    assert await proxy.events() == []


def test_every_ops_path_is_a_reserved_provider_key() -> None:
    assert {path.lstrip("/") for path in OPS_PATHS} <= RESERVED_PROVIDER_KEYS


async def test_metrics_match_the_recorded_events(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url, extra=GOVERNANCE)
    await traffic(proxy.url)
    events = await proxy.events()
    assert len(events) == 7
    status, headers, body = await get(f"{proxy.url}/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = body.decode()
    found = samples(text)

    requests: dict[tuple[str, ...], float] = defaultdict(float)
    tokens: dict[tuple[str, ...], float] = defaultdict(float)
    cost: dict[tuple[str, ...], float] = defaultdict(float)
    for event in events:
        model = event["model"] or "unknown"
        requests[(event["provider"], model, event["status"])] += 1
        for kind in ("input", "output", "cache_read", "cache_write"):
            tokens[(event["provider"], model, kind)] += event[f"{kind}_tokens"]
        cost[(event["provider"], model)] += event["cost_usd"]
    assert by_labels(found["conduit_requests_total"], "provider", "model", "status") == requests
    assert by_labels(found["conduit_tokens_total"], "provider", "model", "kind") == tokens
    assert sum(tokens.values()) > 0 and tokens[("anthropic", "claude-sonnet-4-6", "cache_write")] > 0
    metric_cost = by_labels(found["conduit_cost_usd_total"], "provider", "model")
    assert metric_cost.keys() == cost.keys()
    assert all(metric_cost[key] == pytest.approx(cost[key]) for key in cost) and sum(cost.values()) > 0
    assert {("anthropic", "governance_blocked"), ("anthropic", "upstream_error"), ("anthropic", "success")} <= set(
        by_labels(found["conduit_request_duration_seconds_count"], "provider", "status"))
    assert sum(found["conduit_request_duration_seconds_count"].values()) == len(events)
    assert sum(found["conduit_time_to_first_byte_seconds_count"].values()) == sum(
        1 for event in events if event["ttfb_ms"] is not None)
    assert found["conduit_governance_findings_total"] == {(("action", "block"), ("category", "aws_access_key")): 1.0}
    assert found["conduit_events_written_total"][()] == len(events)
    assert found["conduit_writer_queue_depth"][()] == 0
    assert found["conduit_events_dropped_total"][()] == 0
    assert found["conduit_events_failed_total"][()] == 0
    assert CANARY not in text and AWS_KEY not in text and "sk-ant-api03" not in text and "sk-proj" not in text


async def test_each_proxy_has_its_own_metrics(sim: Any, make_proxy: Any) -> None:
    first, second = await make_proxy(sim.url, extra=GOVERNANCE), await make_proxy(sim.url, extra=GOVERNANCE)
    await traffic(first.url)
    _, _, body = await get(f"{second.url}/metrics")
    assert "conduit_requests_total" not in samples(body.decode())
    _, _, body = await get(f"{first.url}/metrics")
    assert sum(samples(body.decode())["conduit_requests_total"].values()) == 7


async def test_readyz_is_503_while_the_writer_cannot_commit(sim: Any, make_proxy: Any) -> None:
    proxy = await make_proxy(sim.url, extra=GOVERNANCE)
    with sqlite3.connect(proxy.db) as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON usage_events BEGIN SELECT RAISE(ABORT, 'no'); END")
    await traffic(proxy.url)
    await proxy.events()
    status, _, body = await get(f"{proxy.url}/readyz")
    answer = orjson.loads(body)
    assert status == 503 and answer["status"] == "not_ready"
    assert answer["checks"]["writer"] == "the latest usage events could not be committed (7 lost so far)"
    assert answer["checks"]["database"] == "ok"
    _, _, metrics = await get(f"{proxy.url}/metrics")
    assert samples(metrics.decode())["conduit_events_failed_total"][()] == 7
    with sqlite3.connect(proxy.db) as conn:
        conn.execute("DROP TRIGGER refuse")
    await traffic(proxy.url)
    assert len(await proxy.events()) == 7
    status, _, body = await get(f"{proxy.url}/readyz")
    assert (status, orjson.loads(body)["checks"]["writer"]) == (200, "ok")


async def test_readyz_is_503_when_the_database_file_is_gone(proxy: Any) -> None:
    conn = connect(proxy.db)
    conn.execute("BEGIN")
    bump(conn)
    conn.execute("COMMIT")
    conn.close()
    await proxy.policy_synced()  # the proxy's connections are open: none re-creates the file below
    moved = proxy.db.with_name("moved.db")
    proxy.db.rename(moved)
    try:
        status, _, body = await get(f"{proxy.url}/readyz")
    finally:
        moved.rename(proxy.db)
    answer = orjson.loads(body)
    assert status == 503
    assert answer["checks"]["database"] == "the database file is missing"
    assert str(proxy.db.parent) not in body.decode()


async def test_readyz_is_503_while_shutting_down(proxy: Any) -> None:
    proxy.state.shutting_down = True
    status, _, body = await get(f"{proxy.url}/readyz")
    proxy.state.shutting_down = False
    assert status == 503 and orjson.loads(body)["checks"]["shutdown"] == "shutting down"


async def test_ops_paths_do_not_reach_providers(proxy: Any, sim: Any) -> None:
    status, _, body = await get(f"{proxy.url}/metrics/v1/messages", "POST")
    assert status == 404 and orjson.loads(body)["error"]["code"] == "unknown_provider"
    events = await proxy.events()
    assert [event["provider"] for event in events] == []


def test_model_labels_stay_bounded() -> None:
    metrics = UsageMetrics()
    for index in range(MAX_MODELS + 50):
        metrics.observe(UsageEvent(0, f"r{index}", "openai", "openai_chat", Status.UPSTREAM_ERROR, 404,
                                   model=f"made-up-{index}"))
    metrics.observe(UsageEvent(0, "none", "openai", "openai_chat", Status.PROXY_ERROR, 400, model=None))
    labels = {metrics.model_label(f"made-up-{index}") for index in range(MAX_MODELS + 50)}
    assert len(labels) == MAX_MODELS + 1 and "other" in labels
    assert metrics.model_label(None) == "unknown"
    assert metrics.model_label("x" * 500) == "other" and metrics.model_label("a\nb") == "other"
