"""How well the secret detectors do on the labelled corpus: per claimed corpus category, the Conduit category it
maps to, its rows, recall with any category and with the claimed one; then hits on look-alike rows (counted by
corpus category, never showing a value) and the findings in a megabyte of clean code and prose.

    python bench/governance_quality.py [--engine auto|hyperscan|python]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conduit.governance.engine import SecretScanner, available_engines  # noqa: E402
from tests.governance.corpus import CORPUS, clean_body, load_corpus, measure  # noqa: E402


def main() -> None:
    """Print the quality table and summary for one engine, and whether every available engine agrees."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto", choices=("auto", *available_engines()))
    engine = parser.parse_args().engine
    if not CORPUS.exists():
        sys.exit(f"corpus not found at {CORPUS}")
    rows = load_corpus()
    scanner = SecretScanner(engine=engine)
    quality = measure(scanner.scan, rows)
    print(f"{'corpus category':44} {'conduit category':28} {'rows':>5} {'recall':>7} {'exact':>7}")
    for s in quality.scores:
        print(f"{s.corpus_category:44} {s.conduit_category:28} {s.rows:5} {s.found / s.rows:7.1%} "
              f"{s.exact / s.rows:7.1%}")
    print("\nlook-alike rows with a finding, by corpus category:")
    for category, count in Counter(quality.false_hits).most_common():
        print(f"  {category:44} {count:3}")
    clean = scanner.scan(clean_body(1_000_000))
    others = [SecretScanner(engine=e) for e in available_engines() if e != scanner.engine]
    agree = all([o.scan(r.text) for r in rows] == [scanner.scan(r.text) for r in rows] for o in others)
    claimed_rows = sum(s.rows for s in quality.scores)
    print(f"\nengine={scanner.engine} claimed_categories={len(quality.scores)} claimed_rows={claimed_rows} "
          f"recall={quality.recall:.2%} exact_recall={quality.exact_recall:.2%} "
          f"claimed_false_positives={len(quality.claimed_false_hits)}/{quality.claimed_negatives}"
          f"={quality.claimed_false_positive_rate:.2%} "
          f"any_finding_on_look_alikes={len(quality.false_hits)}/{quality.negatives}={quality.false_positive_rate:.2%} "
          f"clean_1mb_findings={len(clean)} engines_agree={agree}")


if __name__ == "__main__":
    main()
