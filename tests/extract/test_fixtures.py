"""The extractor against the profiles careful advisers wrote (tests/extract/data), with floors.

The development fixtures were written before the extractor and it was then developed on them;
the held-out ones were written after it and never tuned on, so their floor is the honest one.
The full figures, beside a baseline, are in ``benchmarks/extract.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matcher import Normaliser, Resident
from profiles import ProfileExtractor, read_document
from profiles.evaluation import Scorer, Scores, baseline_profile, load_case, predicted_profile

from .conftest import DATA

STORIES = sorted((DATA / "stories").glob("*.txt"))
CVS = sorted((DATA / "cvs").glob("*.txt"))
HELD_OUT = sorted((DATA / "heldout").glob("*.txt"))


def test_the_fixtures_are_all_there() -> None:
    assert len(STORIES) == 15
    assert len(CVS) == 10
    for cv in CVS:
        assert cv.with_suffix(".pdf").is_file()
        assert cv.with_suffix(".docx").is_file()


def _score(
    paths: list[Path], extractor: ProfileExtractor, normaliser: Normaliser, kind: str = "txt"
) -> tuple[Scores, Scores]:
    scorer = Scorer(normaliser)
    ours, base = Scores(), Scores()
    for path in paths:
        text, gold = load_case(path)
        if kind != "txt":
            text = read_document(path.with_suffix(f".{kind}").read_bytes()).text
        ours.add(scorer.score(predicted_profile(extractor.extract(text)), gold))
        base.add(scorer.score(baseline_profile(text, normaliser), gold))
    return ours, base


@pytest.mark.parametrize(
    ("paths", "kind", "floor"), [(STORIES, "txt", 0.85), (CVS, "txt", 0.85), (CVS, "pdf", 0.85), (CVS, "docx", 0.85)]
)
def test_development_fixtures_keep_their_quality(
    paths: list[Path], kind: str, floor: float, extractor: ProfileExtractor, normaliser: Normaliser
) -> None:
    ours, base = _score(paths, extractor, normaliser, kind)
    assert ours.total.f1 >= floor, {g: round(t.f1, 2) for g, t in ours.groups.items()}
    assert ours.total.f1 > base.total.f1 + 0.2  # far above reading each sentence whole


def test_held_out_fixtures_beat_the_baseline(extractor: ProfileExtractor, normaliser: Normaliser) -> None:
    ours, base = _score(HELD_OUT, extractor, normaliser)
    assert ours.total.f1 >= 0.6
    assert ours.total.f1 > base.total.f1


@pytest.mark.parametrize("path", STORIES + CVS + HELD_OUT, ids=lambda p: p.stem)
def test_every_draft_is_a_valid_profile_with_honest_spans(path: Path, extractor: ProfileExtractor) -> None:
    text = path.read_text(encoding="utf-8")
    draft = extractor.extract(text)
    Resident.from_dict(draft.profile)
    assert draft.profile["right_to_work"] == "unknown"  # never decided from the text
    for item in draft.items:
        assert text[item.span.start : item.span.end] == item.span.text
        assert 0 <= item.confidence <= 1


@pytest.mark.parametrize("cv", CVS, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_files_read_to_the_same_words_as_the_text(cv: Path, kind: str) -> None:
    words = re.findall(r"\w+", cv.read_text(encoding="utf-8").casefold())
    document = read_document(cv.with_suffix(f".{kind}").read_bytes(), filename=cv.with_suffix(f".{kind}").name)
    read = re.findall(r"\w+", document.text.casefold())
    assert document.kind == kind
    assert read == words or sum(w in set(read) for w in words) / len(words) > 0.98
