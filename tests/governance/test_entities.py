"""The entity list: casefolded whole-word matching with offsets into the original text, validation that names the
line and never the name, and the hyperscan and pure-Python engines agreeing with a brute-force reference."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from conduit.governance.entities import EntityMatcher, parse_entities
from conduit.governance.finding import ENTITY, Finding

ENGINES = sorted({"python", EntityMatcher(["probe"]).engine}, reverse=True)


def found(terms: list[str], text: str, engine: str) -> list[str]:
    """The matched slices of `text`, in order."""
    findings = EntityMatcher(terms, engine=engine).scan(text)
    assert all(f.category == ENTITY for f in findings)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    return [text[f.start:f.end] for f in findings]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("terms", "text", "expected"), [
    (["Nestlé"], "Draft for NESTLÉ and nestlé.", ["NESTLÉ", "nestlé"]),
    (["acme"], "acmeé acmes xacme acme_x 1acme acme\u0301 ACME", ["ACME"]),
    (["acme"], "(Acme), “acme”—acme. acme's", ["Acme", "acme", "acme", "acme"]),
    (["Acme Corp"], "Acme\nCorp | ACME \t\r\n  corp | AcmeCorp | Acme-Corp", ["Acme\nCorp", "ACME \t\r\n  corp"]),
    (["Acme Corp"], "Acme\n\x00\nCorp", []),
    (["X-12", "AT&T", "Deal 2024.Q3", "Müller & Söhne"],
     "x-12 x-123 at&t AT&Tx deal 2024.q3 MÜLLER   &   SÖHNE",
     ["x-12", "at&t", "deal 2024.q3", "MÜLLER   &   SÖHNE"]),
    (["Straße"], "STRASSE strasse Straße STRAẞE straßen", ["STRASSE", "strasse", "Straße", "STRAẞE"]),
    (["ﬁnance"], "FINANCE ﬁnance", ["FINANCE", "ﬁnance"]),
    (["Acme", "Acme Corp"], "Acme Corp and Acme", ["Acme Corp", "Acme"]),
    (["Orion Falcon", "Falcon Holdings"], "Orion Falcon Holdings", ["Orion Falcon"]),
    (["Gamma"], "ΓΆΜΜΑ gamma", ["gamma"]),
    (["Σίσυφος"], "ΣΊΣΥΦΟΣ σίσυφος", ["ΣΊΣΥΦΟΣ", "σίσυφος"]),
])
def test_matches(engine: str, terms: list[str], text: str, expected: list[str]) -> None:
    assert found(terms, text, engine) == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_offsets_index_the_original_text_when_casefolding_changes_its_length(engine: str) -> None:
    text = "ßß İİ ﬃ then Acme Corp, then ß Acme"
    findings = EntityMatcher(["acme corp", "acme"], engine=engine).scan(text)
    assert findings == [Finding(ENTITY, 13, 22), Finding(ENTITY, 31, 35)]
    assert text[13:22] == "Acme Corp" and text[31:35] == "Acme"


@pytest.mark.parametrize("engine", ENGINES)
def test_long_text_with_a_few_non_ascii_words(engine: str) -> None:
    text = "plain words " * 500 + "see NESTLÉ, “Acme” and \u212aelvin café " + "more words " * 500
    expected = ["NESTLÉ", "Acme", "\u212aelvin"]
    assert found(["acme", "nestlé", "kelvin", "cafe"], text, engine) == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_text_with_lone_surrogates_is_scanned(engine: str) -> None:
    assert found(["acme"], "\ud800 acme \udfff", engine) == ["acme"]


def test_blank_terms_are_rejected_by_line_number_without_the_term() -> None:
    with pytest.raises(ValueError, match="line 3 is empty") as caught:
        EntityMatcher(["Zorblax", "Quux", " \t "])
    assert "Zorblax" not in str(caught.value)
    with pytest.raises(ValueError, match="line 2 has no letter or digit"):
        EntityMatcher(["Zorblax", "--&--"])


def test_duplicates_are_ignored() -> None:
    matcher = EntityMatcher(["Acme", "ACME", "  acme ", "Acme  Corp", "acme corp"])
    assert len(matcher) == 2
    assert len(matcher.scan("acme corp")) == 1


def test_unknown_engine_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown scan engine 'fast'"):
        EntityMatcher(["Acme"], engine="fast")


def test_auto_picks_hyperscan_when_it_imports() -> None:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        assert EntityMatcher(["Acme"]).engine == "python"
    else:
        assert EntityMatcher(["Acme"]).engine == "hyperscan"


def test_parse_entities_reads_one_name_per_line() -> None:
    text = "# customers\n  Acme Corp  \n\nNestlé\r\n\t# codenames\nProject Falcon\n"
    assert parse_entities(text) == ["Acme Corp", "Nestlé", "Project Falcon"]


def test_parse_entities_names_the_line_of_a_name_without_letters() -> None:
    with pytest.raises(ValueError, match="^line 4: ") as caught:
        parse_entities("Acme\n\n# x\n-- & --\n")
    assert "--" not in str(caught.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_ten_thousand_terms(engine: str) -> None:
    terms = [f"Customer {number:05d}" for number in range(10_000)]
    matcher = EntityMatcher(terms, engine=engine)
    assert len(matcher) == 10_000
    text = "invoice for CUSTOMER 04711, not customer 4711 nor customer 047110; cc customer\n09999."
    assert [text[f.start:f.end] for f in matcher.scan(text)] == ["CUSTOMER 04711", "customer\n09999"]


# Characters that casefold to other lengths, fold across scripts, or sit on word edges.
ALPHABET = list("aAbBcCkKsSiI ") + ["é", "É", "e\u0301", "ß", "ẞ", "ss", "İ", "ı", "\u212a", "ſ", "ﬁ", "ﬆ",
                                     "σ", "ς", "Σ", "\u0345", "—", "\xa0", "\n", "\x00", "-", "&", ".", "_", "1"]


def reference(terms: list[str], text: str) -> list[Finding]:
    """Brute force: fold char by char, try every term at every position, keep leftmost-longest."""
    folds = [char.casefold() for char in text]
    folded = "".join(folds)
    owner = [index for index, fold in enumerate(folds) for _ in fold]

    def edge(i: int) -> bool:
        return i < 0 or i >= len(folded) or not (
            folded[i].isalnum() or folded[i] == "_" or unicodedata.category(folded[i])[0] == "M")

    spans = []
    for term in {tuple(term.casefold().split()) for term in terms}:
        regex = re.compile(r"\s+".join(map(re.escape, term)))
        for a in range(len(folded)):
            match = regex.match(folded, a)
            if match and edge(a - 1) and edge(match.end()):
                spans.append((a, match.end()))
    out, last = [], 0
    for a, b in sorted(spans, key=lambda s: (s[0], -s[1])):
        if a >= last:
            out.append(Finding(ENTITY, owner[a], owner[b - 1] + 1))
            last = b
    return out


def random_text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(size))


def random_terms(rng: random.Random, source: str) -> list[str]:
    """A few pieces of `source` holding a word character, some with their case swapped."""
    terms = []
    for _ in range(rng.randrange(1, 6)):
        start = rng.randrange(len(source))
        piece = source[start:start + rng.randrange(1, 8)]
        if re.search(r"\w", piece):
            terms.append(piece.swapcase() if rng.random() < 0.5 else piece)
    return terms or ["sk"]


def test_engines_agree_with_the_reference_on_random_text() -> None:
    rng = random.Random(20240611)
    matched = 0
    for _ in range(300):
        source = random_text(rng, 60)
        terms = random_terms(rng, source)
        matchers = [EntityMatcher(terms, engine=engine) for engine in ENGINES]
        for _ in range(5):
            text = random_text(rng, rng.randrange(0, 60)) + source[rng.randrange(60):] + random_text(rng, 30)
            expected = reference(terms, text)
            matched += bool(expected)
            for matcher in matchers:
                assert matcher.scan(text) == expected, (matcher.engine, terms, text)
    assert matched > 150
