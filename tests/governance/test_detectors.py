"""The detector catalogue as a table: each category finds its synthetic secret at the exact span, look-alikes find
nothing, and secrets glued to JSON escapes, quotes or `=` are still found with str offsets."""

from __future__ import annotations

import uuid

import re

import pytest

from conduit.governance.categories import CATEGORIES, SECRET_CATEGORIES
from conduit.governance.detectors import DETECTORS, detectors_for
from conduit.governance.engine import SecretScanner, available_engines
from conduit.governance.finding import ENTITY, Finding
from tests.governance.secrets_samples import ALNUM, Forge, negatives, positives

ENGINES = available_engines()
POSITIVES = positives()
NEGATIVES = negatives()


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request: pytest.FixtureRequest) -> SecretScanner:
    return SecretScanner(engine=request.param)


def test_category_names_are_stable_snake_case_and_sorted() -> None:
    assert len(SECRET_CATEGORIES) >= 25
    assert list(SECRET_CATEGORIES) == sorted(set(SECRET_CATEGORIES))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in CATEGORIES)
    assert CATEGORIES[-1] == ENTITY and ENTITY not in SECRET_CATEGORIES


def test_every_category_has_a_detector_and_a_sample() -> None:
    assert {d.category for d in DETECTORS} == set(SECRET_CATEGORIES)
    assert {category for category, _, _ in POSITIVES} == set(SECRET_CATEGORIES)
    assert len({d.name for d in DETECTORS}) == len(DETECTORS)


@pytest.mark.parametrize(("category", "text", "secret"), POSITIVES, ids=[c for c, _, _ in POSITIVES])
def test_each_category_finds_its_secret_at_the_exact_span(scanner: SecretScanner, category: str, text: str,
                                                          secret: str) -> None:
    start = text.index(secret)
    assert scanner.scan(text) == [Finding(category, start, start + len(secret))]


@pytest.mark.parametrize(("imitates", "text"), NEGATIVES, ids=[name for name, _ in NEGATIVES])
def test_look_alikes_find_nothing(scanner: SecretScanner, imitates: str, text: str) -> None:
    assert scanner.scan(text) == [], imitates


def _github_token() -> str:
    return "gh" + "p_" + Forge(3).pick(ALNUM, 36)


@pytest.mark.parametrize("before", ["\\n", "\\t", "\\u0022", "\n", '"', "'", "=", ":", "`", "(", "[", " "])
@pytest.mark.parametrize("after", ["\\n", "\\\"", "\n", '"', ",", ";", ")", ". "])
def test_secrets_glued_to_escapes_and_punctuation_are_found(scanner: SecretScanner, before: str,
                                                             after: str) -> None:
    secret = _github_token()
    text = '{"content": "x' + before + secret + after + 'y"}'
    start = text.index(secret)
    assert scanner.scan(text) == [Finding("github_token", start, start + len(secret))]


@pytest.mark.parametrize("glue", ["x", "7", "_"])
def test_a_token_glued_to_a_longer_word_is_not_a_token(scanner: SecretScanner, glue: str) -> None:
    assert scanner.scan("id=" + glue + _github_token() + " ") == []
    assert scanner.scan("id=" + _github_token() + glue + " ") == []


def test_offsets_are_str_indexes_after_non_ascii_text(scanner: SecretScanner) -> None:
    secret = _github_token()
    text = "Überprüfung — 日本語 😀 \ud800 " + secret + " ✓"
    start = text.index(secret)
    assert scanner.scan(text) == [Finding("github_token", start, start + len(secret))]


def test_a_specific_finding_wins_over_the_generic_one(scanner: SecretScanner) -> None:
    secret = _github_token()
    text = f'github_token = "{secret}"'
    start = text.index(secret)
    assert scanner.scan(text) == [Finding("github_token", start, start + len(secret))]


def test_generic_assignments_in_code_env_yaml_and_json(scanner: SecretScanner) -> None:
    value = "Qm7#" + Forge(5).pick(ALNUM, 16)
    forms = [f'password = "{value}"', f"DB_PASSWORD={value}", f"  client_secret: {value}", f'{{"apiKey": "{value}"}}',
             f"const authToken = '{value}';", f"--password={value}", f"mysql --password {value} -h db",
             f"<password>{value}</password>",
             f'System.setProperty("API_TOKEN", "{value}")', f"API_KEY: str = '{value}'",
             f'curl -H "Authorization: Bearer {value}" https://api.example.com']
    for form in forms:
        start = form.index(value)
        assert scanner.scan(form) == [Finding("generic_secret", start, start + len(value))], form


def test_a_random_uuid_assigned_to_a_token_is_reported_but_a_time_or_name_based_one_is_not(
        scanner: SecretScanner) -> None:
    random_v4, time_v1, name_v5 = (str(uuid.uuid4()), str(uuid.uuid1()),
                                   str(uuid.uuid5(uuid.NAMESPACE_DNS, "conduit.test")))
    assert [f.category for f in scanner.scan(f"_authToken={random_v4}")] == ["generic_secret"]
    assert scanner.scan(f"_authToken={time_v1}") == []
    assert scanner.scan(f'request_token = "{name_v5}"') == []


def test_findings_are_ordered_by_start_and_overlaps_of_one_category_merge(scanner: SecretScanner) -> None:
    samples = [text for _, text, _ in POSITIVES]
    text = " | ".join(samples)
    found = scanner.scan(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert len(found) == len(samples)


def test_detectors_for_chooses_by_category_and_rejects_unknown_names() -> None:
    assert {d.category for d in detectors_for(["aws_access_key"])} == {"aws_access_key"}
    assert detectors_for(None) == DETECTORS
    with pytest.raises(ValueError, match="no_such_category"):
        detectors_for(["no_such_category"])
