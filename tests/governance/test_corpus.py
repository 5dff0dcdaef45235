"""Detection quality on the labelled corpus and on clean text: recall on the corpus categories Conduit claims,
hits on look-alikes, and no finding at all in a megabyte of real code and prose."""

from __future__ import annotations

import pytest

from conduit.governance.categories import SECRET_CATEGORIES
from conduit.governance.engine import SecretScanner, available_engines
from conduit.governance.public_samples import is_public_sample
from tests.governance.corpus import CLAIMED, CORPUS, Quality, clean_body, load_corpus, measure

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason=f"labelled corpus not found at {CORPUS}")


@pytest.fixture(scope="module")
def quality() -> Quality:
    return measure(SecretScanner().scan, load_corpus())


@needs_corpus
def test_claimed_categories_exist_in_the_corpus_and_in_conduit() -> None:
    labels = {row.category for row in load_corpus() if row.expect}
    assert set(CLAIMED) <= labels
    assert set(CLAIMED.values()) <= set(SECRET_CATEGORIES)


@needs_corpus
def test_recall_on_claimed_categories_is_at_least_95_percent(quality: Quality) -> None:
    assert sum(score.rows for score in quality.scores) > 2500
    assert quality.recall >= 0.95
    assert quality.exact_recall >= 0.95


@needs_corpus
def test_claimed_detectors_fire_on_at_most_two_percent_of_their_look_alikes(quality: Quality) -> None:
    assert quality.claimed_negatives > 250
    assert quality.claimed_false_positive_rate <= 0.02


@needs_corpus
def test_any_finding_on_look_alikes_stays_under_the_measured_level(quality: Quality) -> None:
    # Most look-alike rows with a finding hold a real credential of a sibling kind (a Cloudflare global key among
    # origin-CA look-alikes, a JWT in a curl header) or a random value assigned to a *_token name.
    assert quality.negatives > 600
    assert quality.false_positive_rate <= 0.05


@needs_corpus
def test_public_sample_keys_are_not_reported_but_fresh_keys_of_that_shape_are() -> None:
    scanner = SecretScanner()
    gcp = [row for row in load_corpus() if row.category == "gcp-api-key"]
    published = [row.text for row in gcp if not row.expect and is_public_sample(row.text)]
    assert len(published) >= 15
    assert all(scanner.scan(row.text) == [] for row in gcp if not row.expect)
    assert all(scanner.scan(row.text) for row in gcp if row.expect)


@pytest.mark.parametrize("engine", available_engines())
def test_a_megabyte_of_real_code_and_prose_has_no_finding(engine: str) -> None:
    body = clean_body(1_000_000)
    assert len(body) == 1_000_000 and "def " in body and "The " in body
    assert SecretScanner(engine=engine).scan(body) == []
