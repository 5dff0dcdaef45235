"""How long the entity list and the request-text walk take on one core: `EntityMatcher.scan` over 100 KB and 1 MB
of real prose and code that holds none of the names (1,000 and 10,000 names, each engine), and `from_json` over
Claude-Code-shaped request bodies of about 100 KB and 1 MB. Prints p50 and p99 in milliseconds.

    python bench/entity_speed.py [--runs 500]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from conduit.governance.entities import EntityMatcher
from conduit.governance.extract import from_json

WORDS = ["Acme", "Falcon", "Nestlé", "Orion", "Helix", "Quartz", "Borealis", "Zephyr", "Kestrel", "Tundra"]
COMMON = ["Project", "The", "Global", "First", "United", "General", "Data", "Bank", "Target", "Square"]


def corpus(size: int) -> str:
    """Real text with no names in it: half the stdlib's help topics (prose), half its source code."""
    root = Path(sysconfig.get_paths()["stdlib"])
    prose = (root / "pydoc_data" / "topics.py").read_text(encoding="utf-8")[20_000:20_000 + size // 2]
    code: list[str] = []
    for path in sorted(root.glob("*.py")):
        code.append(path.read_text(encoding="utf-8", errors="replace"))
        if sum(map(len, code)) >= size:
            break
    return (prose + "".join(code))[:size]


def names(count: int, first: list[str]) -> list[str]:
    """`count` distinct names of two or three words, the first drawn from `first`."""
    rng = random.Random(count)
    return [f"{rng.choice(first)} {rng.choice(WORDS)}{i} Holdings" for i in range(count)]


def claude_code_body(size: int) -> bytes:
    """A Claude-Code-shaped request of about `size` bytes: system blocks, 17 tools, and a history of tool calls."""
    text = corpus(size)
    schema = {"type": "object", "properties": {
        name: {"type": "string", "description": f"The {name} to use; see the tool description for details."}
        for name in ("file_path", "command", "pattern", "description", "timeout")}, "required": ["file_path"]}
    tools = [{"name": f"Tool{i}", "description": text[i * 900:(i + 1) * 900], "input_schema": schema}
             for i in range(17)]
    first = {"type": "text", "text": "Fix the failing test."}
    messages: list[dict[str, object]] = [{"role": "user", "content": [first]}]
    at = 17 * 900
    while at < len(text):
        chunk = text[at:at + 2_500]
        messages.append({"role": "assistant", "content": [
            {"type": "text", "text": "Let me read the next file."},
            {"type": "tool_use", "id": f"toolu_{at}", "name": "Read", "input": {"file_path": f"/src/m{at}.py"}}]})
        messages.append({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": f"toolu_{at}", "content": chunk}]})
        at += 2_500
    system = [{"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude."},
              {"type": "text", "text": "Use the tools to help the user.", "cache_control": {"type": "ephemeral"}}]
    return orjson.dumps({"model": "claude-sonnet-4-6", "max_tokens": 32000, "system": system, "tools": tools,
                         "messages": messages, "metadata": {"user_id": "user_abc"}, "stream": True})


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """p50 and p99 of `call` in milliseconds."""
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)]


def samples(size: int) -> dict[str, str]:
    """The corpus as pure ASCII, with one non-ASCII character, and with every 20th `e` accented."""
    text = corpus(size).encode("ascii", "ignore").decode()
    accented = "".join(part + ("é" if i % 20 == 0 else "e") for i, part in enumerate(text.split("e")))[:-1]
    return {"ASCII": text, "one em dash": text[:-1] + "—", "accented": accented}


def bench_entities(runs: int) -> None:
    """Scan 100 KB (and 1 MB for the first list) with each list and engine."""
    engines = sorted({"python", EntityMatcher(["probe"]).engine})
    lists = [(1000, WORDS, "distinct"), (1000, COMMON, "common first word"), (10_000, WORDS, "distinct")]
    for number, (count, first, label) in enumerate(lists):
        terms = names(count, first)
        for engine in engines:
            start = time.perf_counter()
            matcher = EntityMatcher(terms, engine=engine)
            built_ms = (time.perf_counter() - start) * 1000
            for size in (100_000, 1_000_000) if number == 0 else (100_000,):
                for kind, sample in samples(size).items():
                    assert matcher.scan(sample) == []
                    p50, p99 = timed(lambda m=matcher, s=sample: m.scan(s), runs if size < 500_000 else runs // 10)
                    print(f"entities {count:>6} {label:<17} {engine:<9} {size // 1000:>5} KB {kind:<11}: "
                          f"p50 {p50:6.3f} ms  p99 {p99:6.3f} ms  (built in {built_ms:,.0f} ms)")


def bench_extract(runs: int) -> None:
    """Walk Claude-Code-shaped bodies of about 100 KB and 1 MB, with orjson.loads alongside for scale."""
    for size in (100_000, 1_000_000):
        body = claude_code_body(size)
        doc = orjson.loads(body)
        scannable = from_json(doc)
        count = runs if size < 500_000 else runs // 10
        p50, p99 = timed(lambda d=doc: from_json(d), count)
        load50, load99 = timed(lambda b=body: orjson.loads(b), count)
        print(f"from_json {len(body) / 1000:7.1f} KB body ({len(scannable.values or [])} values): "
              f"p50 {p50:6.3f} ms  p99 {p99:6.3f} ms;  orjson.loads p50 {load50:6.3f} ms  p99 {load99:6.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    bench_entities(args.runs)
    bench_extract(args.runs)


if __name__ == "__main__":
    main()
