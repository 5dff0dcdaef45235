"""How long the governance scan takes on the request hot path: decode, walk and scan Claude-Code-shaped
bodies of 100 KB and 1 MB (real source code and prose, no secrets) with every detector on and 1,000 entities,
for each available engine. Prints medians and p99s in milliseconds.

    python bench/governance.py [--runs 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sysconfig
import time
from pathlib import Path

import orjson

from conduit.governance.categories import SECRET_CATEGORIES
from conduit.governance.engine import available_engines
from conduit.governance.scan import Governor


def source_text(size: int) -> str:
    """Deterministic real text: the standard library's own source files, concatenated."""
    root = Path(sysconfig.get_paths()["stdlib"])
    parts: list[str] = []
    total = 0
    for path in sorted(root.glob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        parts.append(text)
        total += len(text)
        if total >= size:
            break
    return "".join(parts)[:size]


def request_body(size: int) -> bytes:
    """A Claude-Code-shaped request of about `size` bytes whose tool results carry `source_text`."""
    text = source_text(size)
    chunk = 8_000
    messages: list[dict[str, object]] = []
    for i in range(0, len(text), chunk):
        messages.append({"role": "assistant", "content": [{"type": "tool_use", "id": f"toolu_{i}", "name": "Read",
                                                           "input": {"file_path": f"/src/module_{i}.py"}}]})
        messages.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": f"toolu_{i}",
                                                      "content": text[i:i + chunk]}]})
    return orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 32000,
                         "system": [{"type": "text", "text": "You are Claude Code."}], "messages": messages})


def entity_terms(count: int) -> list[str]:
    rng = random.Random(7)
    words = ["Acme", "Falcon", "Nestlé", "Orion", "Helix", "Quartz", "Borealis", "Zephyr", "Kestrel", "Tundra"]
    return [f"{rng.choice(words)} {rng.choice(words)}{i} Holdings" for i in range(count)]


def measure(governor: Governor, body: bytes, runs: int) -> tuple[float, float, int]:
    """Median and p99 ms of decode + walk + scan, and the number of hits (expected 0)."""
    times: list[float] = []
    hits = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        inspection = governor.inspect_json(orjson.loads(body))
        times.append((time.perf_counter() - t0) * 1000)
        hits = len(inspection.hits)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    entities = entity_terms(1000)
    bodies = {"100 KB": request_body(100_000), "1 MB": request_body(1_000_000)}
    print(f"{len(SECRET_CATEGORIES)} secret detectors, {len(entities)} entities, engines: {', '.join(available_engines())}")
    for engine in available_engines():
        governor = Governor("alert", {}, entities, engine=engine)
        for label, body in bodies.items():
            runs = args.runs if len(body) < 500_000 else max(20, args.runs // 10)
            p50, p99, hits = measure(governor, body, runs)
            print(f"{engine:<10} {label:>7} body ({len(body) / 1000:7.1f} KB): p50 {p50:7.3f} ms  p99 {p99:7.3f} ms"
                  f"  findings {hits}")


if __name__ == "__main__":
    main()
