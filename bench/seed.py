"""Fill a Conduit database with realistic synthetic usage, fast: engineers in teams with virtual keys (and a few
passthrough keys), several providers and models, agent sessions whose context grows turn by turn (with cache
reads and writes, compaction, latency that grows with context), every status, and some governance findings.

    python bench/seed.py PATH --events 1000000 [--days 30] [--seed 7]

Events go in with executemany in big transactions (secondary indexes rebuilt after), then the rollups are
rebuilt once. Deterministic for a given rng seed and `now_ms`.
"""

from __future__ import annotations

import argparse
import math
import random
import secrets
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conduit.core.pricing import PriceBook
from conduit.store.connection import connect
from conduit.store.migrations import migrate
from conduit.store.queries.rollup import rebuild
from conduit.store.writer import INSERT_EVENT_SQL

DAY_MS = 86_400_000
TEAMS = ("platform", "payments", "mobile", "data", "infra")
FIRST_NAMES = (
    "alice", "bruno", "chen", "dana", "emeka", "fatima", "gus", "hana", "ivan", "jade", "kofi", "lena",
    "mateo", "nadia", "omar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "viktor", "wen", "yusuf",
)
PASSTHROUGH = ("sk-ant-api03-Xk9q…", "sk-proj-Hb7T…", "sk-ant-api03-Lm2w…")
# (provider, api, model, weight)
MODELS = (
    ("anthropic", "anthropic_messages", "claude-sonnet-5-5", 48),
    ("anthropic", "anthropic_messages", "claude-opus-5-5", 14),
    ("anthropic", "anthropic_messages", "claude-haiku-5-5", 12),
    ("openai", "openai_responses", "gpt-6.1-sol", 14),
    ("openai", "openai_chat", "gpt-5.6-terra", 9),
    ("openai", "openai_chat", "local-llama-3", 3),
)
CLIENTS = (("claude-code", 55), ("codex", 20), ("aider", 10), ("anthropic-sdk", 8), ("other", 7))
ALERT_CATEGORIES = ("aws_access_key", "github_token", "jwt", "generic_secret", "database_url_with_password")
BLOCK_CATEGORIES = ("anthropic_api_key", "private_key", "aws_secret_key")
DENIALS = (  # status, http status, error code, probability per turn
    ("rate_limited", 429, "rate_limited", 0.010),
    ("budget_exceeded", 402, "budget_exceeded", 0.004),
    ("auth_failed", 401, "auth_failed", 0.003),
    ("model_blocked", 403, "model_blocked", 0.002),
)


@dataclass(frozen=True, slots=True)
class Engineer:
    """One seeded person: their key, team, habits."""

    key_id: str
    key_name: str | None
    key_prefix: str
    team: str | None
    client: str
    models: tuple[int, ...]


def _engineers(rng: random.Random) -> list[Engineer]:
    people = []
    model_weights = [w for *_, w in MODELS]
    for index, name in enumerate(FIRST_NAMES):
        client = rng.choices([c for c, _ in CLIENTS], [w for _, w in CLIENTS])[0]
        models = tuple(sorted(set(rng.choices(range(len(MODELS)), model_weights, k=3))))
        people.append(Engineer(f"key_{rng.getrandbits(64):016x}", name, f"vk_live_{name[:2].title()}{index:02d}…",
                               TEAMS[index % len(TEAMS)], client, models))
    for index, prefix in enumerate(PASSTHROUGH):
        models = (0, 1) if prefix.startswith("sk-ant") else (3, 4)
        people.append(Engineer(f"fp_{rng.getrandbits(64):016x}", None, prefix, None,
                               "claude-code" if index != 1 else "codex", models))
    return people


def _store_keys(conn: sqlite3.Connection, people: list[Engineer], now_ms: int) -> None:
    """A virtual_keys row for each named engineer; some carry a budget."""
    for index, person in enumerate(people):
        if person.key_name is None:
            continue
        budget = (150.0, "month") if index % 3 == 0 else (25.0, "day") if index % 5 == 1 else (None, None)
        conn.execute(
            "INSERT INTO virtual_keys (id, name, team, key_hash, key_prefix, budget_usd, budget_period, models, "
            "created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (person.key_id, person.key_name, person.team, secrets.token_hex(32), person.key_prefix, *budget,
             None, now_ms - 60 * DAY_MS),
        )


class _Generator:
    """Turns sessions into event rows."""

    def __init__(self, rng: random.Random, now_ms: int, days: int) -> None:
        self.rng = rng
        self.now_ms = now_ms
        self.start_ms = now_ms - days * DAY_MS
        self.days = days
        book = PriceBook.default()
        self.entries = [book.entry_for(model) for _, _, model, _ in MODELS]
        self.request_no = 0

    def session_start(self) -> int:
        """A start time, mostly in working hours on weekdays."""
        rng = self.rng
        while True:
            day = self.start_ms + rng.randrange(self.days + 1) * DAY_MS
            day -= day % DAY_MS
            if day > self.now_ms:
                continue
            weekday = (day // DAY_MS + 3) % 7
            if weekday < 5 or rng.random() < 0.15:
                break
        hour = min(23.5, max(0.0, rng.gauss(13.0, 3.0)))
        return day + int(hour * 3_600_000) + rng.randrange(3_600_000 // 2)

    def session(self, person: Engineer, rows: list[tuple[object, ...]], budget: int) -> None:
        """Append one agent session's turns (at most `budget`)."""
        rng = self.rng
        model_index = rng.choice(person.models)
        provider, api, model, _ = MODELS[model_index]
        entry = self.entries[model_index]
        turns = min(budget, max(1, int(rng.expovariate(1 / 34))))
        session_id = f"sess-{rng.getrandbits(48):012x}" if rng.random() < 0.92 else None
        cap = 420_000 if rng.random() < 0.12 else rng.randrange(150_000, 195_000)
        context = rng.randrange(6_000, 22_000)
        at = self.session_start()
        secret_turn = rng.randrange(turns) if rng.random() < 0.06 else -1
        blocking = rng.random() < 0.2
        flagged: str | None = None
        random_ = rng.random
        streamed = int(person.client in ("claude-code", "codex") or random_() < 0.3)
        for turn in range(turns):
            at += 15_000 + int(random_() * 105_000)
            if at >= self.now_ms:
                break
            growth = 800 + int(random_() * 8_200)
            if context + growth > cap:
                context = 20_000 + int(random_() * 20_000)
            if turn == secret_turn:
                flagged = rng.choice(BLOCK_CATEGORIES if blocking else ALERT_CATEGORIES)
            row = self.turn(person, session_id, provider, api, model, entry, at, context, growth,
                            flagged, turn == secret_turn, blocking, streamed)
            rows.append(row)
            if row[4] == "governance_blocked":
                flagged = None
            context += growth

    def turn(self, person: Engineer, session_id: str | None, provider: str, api: str, model: str, entry: object,
             at: int, context: int, growth: int, flagged: str | None, first: bool, blocking: bool, streamed: int
             ) -> tuple[object, ...]:
        """One event row, in `usage_events` column order."""
        rng = self.rng
        self.request_no += 1
        request_bytes = (context + growth) * 4 + int(rng.random() * 2_000)
        status, http, code = self.status(context)
        categories = action = governance_first = None
        if flagged is not None:
            categories, action, governance_first = flagged, "alert", int(first)
            if blocking and first:
                status, http, code, action = "governance_blocked", 451, "governance_blocked", "block"
        base = (at, f"req_{self.request_no:09d}", provider, api, status, http, model, person.key_id,
                person.key_name, person.key_prefix, person.team, session_id, person.client, streamed)
        tail = (request_bytes,)
        if status in ("success", "client_aborted"):
            return base + self.usage(entry, context, growth, status, streamed) + tail + (
                2_000 + int(rng.random() * 38_000), categories, action, code, governance_first)
        latency = rng.uniform(1.0, 6.0) if http in (401, 402, 403, 429, 451) else rng.uniform(300.0, 30_000.0)
        ttfb = None if status != "upstream_error" else round(latency, 3)
        return base + (0, 0, 0, 0, 0, 0.0, 1, round(latency, 3), ttfb) + tail + (
            300, categories, action, code, governance_first)

    def status(self, context: int) -> tuple[str, int | None, str | None]:
        """How a turn ends: errors grow with context; denials are flat."""
        rng = self.rng
        roll = rng.random()
        upstream = 0.006 + 0.05 * (context / 200_000) ** 2
        if roll < upstream:
            return "upstream_error", rng.choice((400, 429, 500, 529)), "upstream_error"
        roll -= upstream
        for status, http, code, share in DENIALS:
            if roll < share:
                return status, http, code
            roll -= share
        if roll < 0.012:
            return "client_aborted", 200, None
        if roll < 0.014:
            return "proxy_error", 502, "upstream_unreachable"
        return "success", 200, None

    def usage(self, entry: object, context: int, growth: int, status: str, streamed: int) -> tuple[object, ...]:
        """Tokens, cost, priced flag and timings for a turn that reached the model."""
        rng = self.rng
        cache_write = growth
        input_tokens = 1 + int(rng.random() * 599)
        output = int(min(16_000.0, math.exp(rng.gauss(6.4, 0.9))))
        if status == "client_aborted":
            output //= 3
        ttfb = 350.0 + context * 0.006 + rng.expovariate(1 / 250.0)
        latency = ttfb + output * (11.0 if streamed else 9.0) + rng.expovariate(1 / 150.0)
        if entry is None:
            cost, priced = 0.0, 0
        else:
            price = entry.price_for_prompt(input_tokens + context + cache_write)  # type: ignore[attr-defined]
            cost = (input_tokens * price.input + output * price.output + context * price.cache_read
                    + cache_write * price.cache_write) / 1_000_000
            priced = 1
        return (input_tokens, output, context, cache_write, 0, cost, priced, round(latency, 3), round(ttfb, 3))


def seed_database(path: Path, events: int, *, days: int = 30, rng_seed: int = 7, now_ms: int | None = None) -> None:
    """Create (or extend) the database at `path` with `events` synthetic usage events over the last `days` days
    before `now_ms` (default: now), then rebuild its rollups."""
    now_ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    rng = random.Random(rng_seed)
    migrate(path)
    people = _engineers(rng)
    generator = _Generator(rng, now_ms, max(1, days))
    rows: list[tuple[object, ...]] = []
    while len(rows) < events:
        weights_person = people[rng.randrange(len(people))] if rng.random() < 0.3 else people[
            int(len(people) * rng.random() ** 1.6)]
        generator.session(weights_person, rows, events - len(rows))
    rows.sort(key=lambda row: row[0])  # type: ignore[arg-type, return-value]
    conn = connect(path)
    try:
        _insert(conn, rows, people, now_ms)
    finally:
        conn.close()


def _insert(conn: sqlite3.Connection, rows: list[tuple[object, ...]], people: list[Engineer], now_ms: int) -> None:
    """Insert the rows with the secondary indexes dropped, recreate them, and rebuild the rollups."""
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN IMMEDIATE")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_events' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    if not conn.execute("SELECT 1 FROM virtual_keys LIMIT 1").fetchone():
        _store_keys(conn, people, now_ms)
    for start in range(0, len(rows), 100_000):
        conn.executemany(INSERT_EVENT_SQL, rows[start:start + 100_000])
    for _, sql in indexes:
        conn.execute(sql)
    rebuild(conn)
    conn.execute("COMMIT")
    conn.execute("PRAGMA synchronous = NORMAL")


def main() -> None:
    """Command line: seed PATH with --events N."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    seed_database(args.path, args.events, days=args.days, rng_seed=args.seed)
    elapsed = time.perf_counter() - started
    print(f"seeded {args.events:,} events into {args.path} in {elapsed:.1f} s ({args.events / elapsed:,.0f} events/s)")


if __name__ == "__main__":
    main()
