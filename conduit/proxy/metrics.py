"""Prometheus metrics of the proxy: usage events counted as they are handed to the writer, and the writer's
queue read at scrape time. Counting is plain arithmetic on the event loop; prometheus-client only formats.

Labels are provider, model, status, token kind and governance category: never content, keys or key names.
Imports prometheus-client, the standard library, `conduit.core` and the store's writer.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import accumulate

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector

from conduit.core.event import UsageEvent
from conduit.store.writer import EventWriter

LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
MAX_MODELS = 200
MAX_MODEL_CHARS = 128
UNKNOWN_MODEL = "unknown"
OTHER_MODEL = "other"
TOKEN_KINDS = ("input", "output", "cache_read", "cache_write")


class _Usage:
    """Running totals of one (provider, model, status) series."""

    __slots__ = ("requests", "tokens", "cost_usd")

    def __init__(self) -> None:
        self.requests = 0
        self.tokens = [0, 0, 0, 0]
        self.cost_usd = 0.0


class _Histogram:
    """Counts per latency bucket (not yet cumulative) and their sum, in seconds."""

    __slots__ = ("counts", "sum_s")

    def __init__(self) -> None:
        self.counts = [0] * (len(LATENCY_BUCKETS_S) + 1)
        self.sum_s = 0.0

    def observe(self, value_s: float) -> None:
        """Count one observation."""
        self.counts[bisect_left(LATENCY_BUCKETS_S, value_s)] += 1
        self.sum_s += value_s

    def buckets(self) -> list[tuple[str, float]]:
        """Cumulative `(le, count)` pairs ending with `+Inf`, as Prometheus wants them."""
        bounds = [repr(bound) for bound in LATENCY_BUCKETS_S] + ["+Inf"]
        return list(zip(bounds, map(float, accumulate(self.counts))))


class UsageMetrics:
    """Counts requests, tokens, cost, latency and governance findings from usage events; a prometheus collector."""

    def __init__(self) -> None:
        self._usage: dict[tuple[str, str, str], _Usage] = {}
        self._models: dict[str | None, str] = {}
        self._latency: dict[tuple[str, str], _Histogram] = {}
        self._ttfb: dict[str, _Histogram] = {}
        self._findings: dict[tuple[str, str], int] = {}

    def observe(self, event: UsageEvent) -> None:
        """Count one event (the request path calls this once per request, after submitting it)."""
        provider, status = event.provider, event.status.value
        key = (provider, self.model_label(event.model), status)
        usage = self._usage.get(key)
        if usage is None:
            usage = self._usage[key] = _Usage()
        usage.requests += 1
        if event.input_tokens or event.output_tokens or event.cache_read_tokens or event.cache_write_tokens:
            tokens = usage.tokens
            tokens[0] += event.input_tokens
            tokens[1] += event.output_tokens
            tokens[2] += event.cache_read_tokens
            tokens[3] += event.cache_write_tokens
        usage.cost_usd += event.cost_usd
        latency = self._latency.get((provider, status))
        if latency is None:
            latency = self._latency[(provider, status)] = _Histogram()
        latency.observe(event.latency_ms / 1000.0)
        if event.ttfb_ms is not None:
            ttfb = self._ttfb.get(provider)
            if ttfb is None:
                ttfb = self._ttfb[provider] = _Histogram()
            ttfb.observe(event.ttfb_ms / 1000.0)
        if event.governance_categories:
            self._count_findings(event.governance_categories, event.governance_action or "alert")

    def _count_findings(self, categories: str, action: str) -> None:
        """Count each governance category of one event under the action taken."""
        for category in categories.split("|"):
            self._findings[(category, action)] = self._findings.get((category, action), 0) + 1

    def model_label(self, model: str | None) -> str:
        """The label for a stored model name: `unknown` for none; `other` for odd names and for every name
        first seen after MAX_MODELS others, so a client sending made-up models cannot grow the series without end."""
        label = self._models.get(model)
        if label is not None:
            return label
        if not model:
            label = UNKNOWN_MODEL
        elif len(self._models) >= MAX_MODELS or len(model) > MAX_MODEL_CHARS or not model.isprintable():
            label = OTHER_MODEL
        else:
            label = model
        if len(self._models) < MAX_MODELS:
            self._models[model] = label
        return label

    def collect(self) -> Iterable[Metric]:
        """The current totals as Prometheus metric families."""
        yield from self._usage_families()
        latency = HistogramMetricFamily("conduit_request_duration_seconds",
                                        "Time from a request's arrival to its last byte.", labels=["provider", "status"])
        for (provider, status), histogram in sorted(self._latency.items()):
            latency.add_metric([provider, status], histogram.buckets(), histogram.sum_s)
        yield latency
        ttfb = HistogramMetricFamily("conduit_time_to_first_byte_seconds",
                                     "Time from a request's arrival to the first byte of the upstream's answer.",
                                     labels=["provider"])
        for provider, histogram in sorted(self._ttfb.items()):
            ttfb.add_metric([provider], histogram.buckets(), histogram.sum_s)
        yield ttfb
        findings = CounterMetricFamily("conduit_governance_findings", "Requests in which a governance category "
                                       "was found, by category and action taken.", labels=["category", "action"])
        for (category, action), count in sorted(self._findings.items()):
            findings.add_metric([category, action], count)
        yield findings

    def _usage_families(self) -> Iterable[Metric]:
        """Requests by status, tokens by kind and cost, each per provider and model."""
        requests = CounterMetricFamily("conduit_requests", "Requests handled, by provider, model and status.",
                                       labels=["provider", "model", "status"])
        tokens = CounterMetricFamily("conduit_tokens", "Tokens used, by provider, model and kind.",
                                     labels=["provider", "model", "kind"])
        cost = CounterMetricFamily("conduit_cost_usd", "Cost in USD at Conduit's prices, by provider and model.",
                                   labels=["provider", "model"])
        token_totals: dict[tuple[str, str], list[int]] = {}
        cost_totals: dict[tuple[str, str], float] = {}
        for (provider, label, status), usage in sorted(self._usage.items()):
            requests.add_metric([provider, label, status], usage.requests)
            totals = token_totals.setdefault((provider, label), [0, 0, 0, 0])
            for index, count in enumerate(usage.tokens):
                totals[index] += count
            cost_totals[(provider, label)] = cost_totals.get((provider, label), 0.0) + usage.cost_usd
        for (provider, label), totals in sorted(token_totals.items()):
            for kind, count in zip(TOKEN_KINDS, totals):
                tokens.add_metric([provider, label, kind], count)
            cost.add_metric([provider, label], cost_totals[(provider, label)])
        return [requests, tokens, cost]


class WriterMetrics:
    """The event writer's queue depth and lifetime counts, read when scraped; a prometheus collector."""

    def __init__(self, writer: Callable[[], EventWriter]) -> None:
        self._writer = writer

    def collect(self) -> Iterable[Metric]:
        """Queue depth and written, dropped and failed event counts."""
        writer = self._writer()
        yield GaugeMetricFamily("conduit_writer_queue_depth", "Usage events waiting to be committed.",
                                value=writer.queued)
        yield CounterMetricFamily("conduit_events_written", "Usage events committed to the database.",
                                  value=writer.written)
        yield CounterMetricFamily("conduit_events_dropped", "Usage events dropped because the writer's queue "
                                  "was full or closed.", value=writer.dropped)
        yield CounterMetricFamily("conduit_events_failed", "Usage events lost because their batch could not be "
                                  "committed.", value=writer.failed)


def metrics_registry(usage: UsageMetrics, writer: Callable[[], EventWriter]) -> CollectorRegistry:
    """A registry of its own for one proxy app (never the global one), with process metrics where available."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(usage)
    registry.register(WriterMetrics(writer))
    ProcessCollector(registry=registry)
    return registry
