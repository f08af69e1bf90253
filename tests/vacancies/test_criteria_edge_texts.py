"""Criteria with nothing left to match once cleaned (a bare assessment marker "(A/I)", a heading
"Essential" pasted as a row, "A") are read as not understood, never refused: the OpenAPI document
accepts them, so the server must too (found by Schemathesis)."""

from __future__ import annotations

import pytest

from matcher import Assessor
from matcher.profile import Vacancy
from vacancies.criteria import CriteriaParser


@pytest.mark.parametrize("words", ["(A)", "(A/I)", "(I)", "A", "Essential", "ª"])
def test_words_with_nothing_to_match_are_read_not_refused(assessor: Assessor, words: str) -> None:
    parser = CriteriaParser(assessor.normaliser, known_credentials=frozenset(assessor.graph.credentials))
    vacancy = Vacancy.from_dict(
        {
            "id": "v-edge",
            "title": "Porter",
            "employer": "Trust",
            "essential": [words],
            "desirable": [{"kind": k, "text": words} for k in ("skill", "experience", "quality", "condition")],
        }
    )
    parsed = parser.parse_vacancy(vacancy)
    assert len(parsed.requirements) >= 5
    assert parsed.requirements[0].essential
