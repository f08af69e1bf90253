"""Golden test: every curated alternative label must find its own concept (quality floor 95%)."""

from __future__ import annotations

import pytest

from matcher import Normaliser, Taxonomy
from matcher.qualifications import QualificationRecogniser
from matcher.text import normalise_text

FLOOR = 0.95
_ANYWHERE = "*"


def _report(kind: str, failures: list[str], total: int) -> str:
    shown = "\n  ".join(failures[:40])
    more = f"\n  ... and {len(failures) - 40} more" if len(failures) > 40 else ""
    return f"{kind}: {total - len(failures)}/{total} alt labels find their own concept\n  {shown}{more}"


def _alt_label_hits(normaliser: Normaliser, taxonomy: Taxonomy, kind: str) -> tuple[int, list[str]]:
    texts: list[str] = []
    gold: list[str] = []
    for concept in taxonomy.concepts(kind):
        for label in concept.alt_labels:
            texts.append(label)
            gold.append(concept.id)
    results = normaliser.normalise_many(texts, kind=kind)
    failures = [
        f"{text!r}: expected {expected}, got {result.best.concept_id if result.best else None}"
        for text, expected, result in zip(texts, gold, results, strict=True)
        if result.best is None or result.best.concept_id != expected
    ]
    return len(texts), failures


@pytest.fixture(scope="module", params=["lexical", "semantic"])
def golden(request: pytest.FixtureRequest, taxonomy: Taxonomy) -> dict[str, tuple[int, list[str]]]:
    """In both modes: the lexical one, and the semantic default the service runs."""
    chosen = request.getfixturevalue("normaliser" if request.param == "lexical" else "semantic_normaliser")
    return {kind: _alt_label_hits(chosen, taxonomy, kind) for kind in ("occupation", "skill")}


@pytest.mark.parametrize("kind", ["occupation", "skill"])
def test_alt_labels_find_their_own_concept(golden: dict[str, tuple[int, list[str]]], kind: str) -> None:
    total, failures = golden[kind]
    assert total > 1_000
    assert (total - len(failures)) / total >= FLOOR, _report(kind, failures, total)


def test_alt_labels_find_their_own_concept_overall(golden: dict[str, tuple[int, list[str]]]) -> None:
    total = sum(n for n, _ in golden.values())
    failures = [f for _, fs in golden.values() for f in fs]
    assert (total - len(failures)) / total >= FLOOR, _report("overall", failures, total)


def test_qualification_alt_labels_are_recognised_in_their_country(
    recogniser: QualificationRecogniser, taxonomy: Taxonomy
) -> None:
    texts: list[str] = []
    countries: list[str | None] = []
    gold: list[str] = []
    for concept in taxonomy.concepts("qualification"):
        first = concept.attributes["countries"][0]
        for label in concept.alt_labels:
            texts.append(label)
            countries.append(None if first == _ANYWHERE else first)
            gold.append(concept.id)
    results = recogniser.recognise_many(texts, countries)
    failures: list[str] = []
    for text, country, expected, found in zip(texts, countries, gold, results, strict=True):
        best = found[0] if found else None
        if best is not None and best.concept_id == expected:
            continue
        if best is not None:
            # Another award written exactly the same way and given in that country is as good an answer
            # ("BSc Nursing" from India is qual-bsc-nursing-overseas, whichever concept listed it).
            other = taxonomy[best.concept_id]
            awarded = other.attributes.get("countries") or []
            same_text = normalise_text(text) in {normalise_text(label) for label in other.labels}
            if same_text and (country in awarded or _ANYWHERE in awarded):
                continue
        failures.append(f"{text!r} ({country}): expected {expected}, got {best.concept_id if best else None}")
    assert len(texts) > 1_000
    assert (len(texts) - len(failures)) / len(texts) >= FLOOR, _report("qualification", failures, len(texts))
