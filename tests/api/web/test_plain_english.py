"""Every shipped persona's results page, read as a resident would: no engine ids, rule names or
broken grammar (issue 13)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from flask import Flask

from api.web.forms import form_from_record
from tests.api.support import REPO_ROOT, IssuedToken, vacancy_body

from .pages import post_form, text

_PERSONAS = json.loads((REPO_ROOT / "fixtures" / "residents.json").read_text(encoding="utf-8"))["residents"]
_VACANCIES = json.loads((REPO_ROOT / "fixtures" / "vacancies.json").read_text(encoding="utf-8"))["vacancies"]
_CREDENTIALS = json.loads((REPO_ROOT / "fixtures" / "credentials.json").read_text(encoding="utf-8"))["credentials"]
#: A credential's id where words should be ("dbs-enhanced"), not inside an address or a longer word.
_IDS = re.compile(
    r"(?<![\w/.-])("
    + "|".join(re.escape(c["id"]) for c in sorted(_CREDENTIALS, key=lambda c: -len(c["id"])))
    + r")(?![\w-])"
)
_AWKWARD = re.compile(r"costing no cost|\b1 (steps|weeks|years|jobs)\b|suggested first|concession:|\bRQF\b")


@pytest.fixture(scope="module")
def every_vacancy(db_app: Flask, issue: Callable[..., IssuedToken]) -> None:
    client = db_app.test_client()
    admin = issue(role="admin").headers
    for vacancy in _VACANCIES:
        response = client.post("/api/v1/vacancies", json=vacancy_body(vacancy["id"]), headers=admin)
        assert response.status_code == 201, response.get_data(as_text=True)


def _answers(persona: dict[str, object]) -> dict[str, list[str]]:
    form = form_from_record(persona)
    answers = {key: form.getlist(key) for key in form}
    answers.setdefault("right_to_work", ["unknown"])
    answers["within"] = ["156"]
    return answers


def test_no_page_shows_an_engine_id_or_a_rule_name(db_app: Flask, every_vacancy: None) -> None:
    client = db_app.test_client()
    seen: dict[str, str] = {}
    for persona in _PERSONAS:
        response = post_form(client, "/check", _answers(persona), form_page="/check")
        assert response.status_code == 200, (persona.get("id"), text(response)[:500])
        page = text(response)
        for found in [*_IDS.finditer(page), *_AWKWARD.finditer(page)]:
            seen.setdefault(found.group(0), page[max(0, found.start() - 100) : found.end() + 40])
    assert not seen, seen
