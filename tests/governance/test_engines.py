"""The two engines agree: on the corpus and on random text, hyperscan and pure `re` report exactly the findings of a
brute-force reference that tries every detector at every occurrence of each of its prefixes."""

from __future__ import annotations

import random
import re

import pytest

from conduit.governance.detectors import DETECTORS
from conduit.governance.engine import SecretScanner, available_engines, merge, verify
from conduit.governance.engine_python import COMMON_FIRST, pivot
from conduit.governance.finding import Finding
from tests.governance.corpus import CORPUS, clean_body, load_corpus
from tests.governance.secrets_samples import negatives, positives

HYPERSCAN = "hyperscan" in available_engines()
needs_hyperscan = pytest.mark.skipif(not HYPERSCAN, reason="the hyperscan package is not installed here")
NOISE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:=/+~\"' \n\t\\{}@é€😀\ud800"


def reference(text: str) -> list[Finding]:
    """Every detector tried at every occurrence of every one of its prefixes, found with str.find."""
    lowered = text.lower()
    candidates = []
    for index, detector in enumerate(DETECTORS):
        for prefix in detector.prefixes:
            haystack, needle = (lowered, prefix.lower()) if detector.caseless else (text, prefix)
            at = haystack.find(needle)
            while at != -1:
                candidates.append((index, at))
                at = haystack.find(needle, at + 1)
    return verify(DETECTORS, text, candidates)


def random_texts(count: int, seed: int) -> list[str]:
    """Texts mixing synthetic secrets, look-alikes, real code and prose, and random noise with non-ASCII."""
    rnd = random.Random(seed)
    pieces = [text for _, text, _ in positives(seed)] + [text for _, text in negatives(seed)]
    prose = clean_body(40_000)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rnd.randint(1, 8)):
            roll = rnd.random()
            if roll < 0.4:
                parts.append(rnd.choice(pieces))
            elif roll < 0.6:
                at = rnd.randrange(len(prose) - 400)
                parts.append(prose[at:at + rnd.randint(10, 400)])
            else:
                parts.append("".join(rnd.choice(NOISE) for _ in range(rnd.randint(0, 60))))
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("engine", available_engines())
def test_each_engine_matches_the_reference_on_random_text(engine: str) -> None:
    scanner = SecretScanner(engine=engine)
    texts = random_texts(400, seed=2024)
    assert sum(bool(reference(t)) for t in texts) > 100
    for text in texts:
        assert scanner.scan(text) == reference(text)


@needs_hyperscan
@pytest.mark.skipif(not CORPUS.exists(), reason=f"labelled corpus not found at {CORPUS}")
def test_engines_agree_on_every_corpus_row() -> None:
    fast, plain = SecretScanner(engine="hyperscan"), SecretScanner(engine="python")
    rows = load_corpus()
    assert sum(bool(plain.scan(r.text)) for r in rows) > 2000
    assert [fast.scan(r.text) for r in rows] == [plain.scan(r.text) for r in rows]


@needs_hyperscan
def test_engines_agree_on_a_long_body_with_secrets_spread_through_it() -> None:
    prose = clean_body(200_000)
    secrets = [text for _, text, _ in positives(31)]
    text = "".join(prose[i * 4000:(i + 1) * 4000] + secrets[i % len(secrets)] for i in range(50))
    found = SecretScanner(engine="hyperscan").scan(text)
    assert len(found) == 50
    assert found == SecretScanner(engine="python").scan(text)


def test_auto_picks_the_fastest_available_engine() -> None:
    assert available_engines()[-1] == "python"
    assert SecretScanner().engine == available_engines()[0]


def test_unknown_engine_and_category_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown scan engine"):
        SecretScanner(engine="grep")
    with pytest.raises(ValueError, match="unknown secret categories"):
        SecretScanner(["passwords"])


def test_a_scanner_reports_only_its_categories() -> None:
    aws = next(text for category, text, _ in positives() if category == "aws_access_key")
    github = next(text for category, text, _ in positives() if category == "github_token")
    scanner = SecretScanner(["github_token", "entity"], engine="python")
    assert scanner.categories == ("github_token",)
    assert [f.category for f in scanner.scan(aws + " " + github)] == ["github_token"]
    assert SecretScanner([], engine="python").scan(github) == []


def test_merge_joins_overlaps_of_one_category_and_drops_generic_under_specific() -> None:
    found = [Finding("jwt", 10, 30), Finding("jwt", 25, 40), Finding("jwt", 40, 45), Finding("generic_secret", 12, 20),
             Finding("generic_secret", 50, 60), Finding("npm_token", 0, 5)]
    assert merge(found) == [Finding("npm_token", 0, 5), Finding("jwt", 10, 40), Finding("jwt", 40, 45),
                            Finding("generic_secret", 50, 60)]


def test_every_prefix_is_searched_from_a_character_rarer_than_most() -> None:
    ranks = [COMMON_FIRST.find(p[pivot(p, d.caseless)]) for d in DETECTORS for p in d.prefixes]
    assert min(ranks) > COMMON_FIRST.index("a")


@pytest.mark.skipif(not CORPUS.exists(), reason=f"labelled corpus not found at {CORPUS}")
def test_each_core_matches_wherever_its_strict_pattern_does() -> None:
    cores = [re.compile(d.core, re.ASCII | (re.IGNORECASE if d.caseless else 0)) for d in DETECTORS]
    texts = [row.text for row in load_corpus()] + random_texts(100, seed=7)
    checked = 0
    for text in texts:
        for index, detector in enumerate(DETECTORS):
            for m in detector.compiled.finditer(text):
                checked += 1
                assert cores[index].match(text, m.start()), detector.name
    assert checked > 3000


@needs_hyperscan
def test_every_detector_core_compiles_for_hyperscan() -> None:
    from conduit.governance.engine_hyperscan import HyperscanFinder

    for detector in DETECTORS:
        HyperscanFinder([detector])
