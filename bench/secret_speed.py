"""How long the secret scan takes on the request hot path: medians and p90s of SecretScanner.scan over a 100 KB
and a 1 MB body of real code and prose (no secrets), each as found (a few non-ASCII characters) and pure ASCII,
for every available engine, plus the one-off compile time. One core, repeated runs, nothing else measured.

    python bench/secret_speed.py [--runs 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conduit.governance.engine import SecretScanner, available_engines  # noqa: E402
from tests.governance.corpus import clean_body  # noqa: E402

TARGET_MS = {100_000: 0.3, 1_000_000: 3.0}


def timings_ms(scanner: SecretScanner, text: str, runs: int) -> list[float]:
    """Wall times of `runs` scans of `text`, after two warm-up scans."""
    scanner.scan(text)
    scanner.scan(text)
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        scanner.scan(text)
        out.append((time.perf_counter() - start) * 1e3)
    return out


def main() -> None:
    """Print one line per engine and body: size, kind, median, p90 and the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="scans per 100 KB body (a tenth of that for 1 MB)")
    runs = parser.parse_args().runs
    bodies = []
    for size in TARGET_MS:
        text = clean_body(size)
        bodies += [(size, "mixed", text), (size, "ascii", text.encode("ascii", "replace").decode("ascii"))]
    for engine in available_engines():
        start = time.perf_counter()
        scanner = SecretScanner(engine=engine)
        compile_ms = (time.perf_counter() - start) * 1e3
        print(f"{engine}: compile {compile_ms:.1f} ms")
        for size, kind, text in bodies:
            times = timings_ms(scanner, text, max(10, runs if size < 1_000_000 else runs // 10))
            p50 = statistics.median(times)
            p90 = statistics.quantiles(times, n=10)[-1]
            verdict = "ok" if p50 <= TARGET_MS[size] else "over"
            print(f"  {engine:9} {size // 1000:5} KB {kind:5}  p50 {p50:8.3f} ms  p90 {p90:8.3f} ms  "
                  f"target {TARGET_MS[size]:.1f} ms {verdict}")


if __name__ == "__main__":
    main()
