"""Example requests for the OpenAPI document, from the shipped examples (fixtures/examples/).

Read when the document is built, not at import."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "examples"
TRUST = "Sandwell and West Birmingham Hospitals NHS Trust"


@cache
def _load(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((_EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return found


def resident() -> dict[str, Any]:
    """A new resident: the shipped example without the id the server assigns."""
    return {k: v for k, v in _load("resident").items() if k != "id"}


def resident_update() -> dict[str, Any]:
    return {**resident(), "version": 1}


def vacancy() -> dict[str, Any]:
    body = {k: v for k, v in _load("vacancy").items() if k != "id"}
    return {**body, "reference": "C9999-24-0001"}


def vacancy_update() -> dict[str, Any]:
    return {**vacancy(), "version": 1}


def assess() -> dict[str, Any]:
    return {"resident": resident(), "vacancy": {**vacancy(), "id": "v-013"}}


def pathways() -> dict[str, Any]:
    return {"goals": ["gmc-registration"], "resident": resident()}


def normalise() -> dict[str, Any]:
    return {"texts": ["can take bloods", "doing obs"], "kind": "skill", "limit": 3}


def consents() -> dict[str, Any]:
    return {"employers": [TRUST]}


CSV = (
    "Reference,Job title,Employer,Band,Town,Closing date,Essential criteria\n"
    "C9999-24-0002,Porter,Sandwell and West Birmingham Hospitals NHS Trust,2,Smethwick,2027-01-31,"
    '"Able to lift and move equipment\nGood communication skills"\n'
)
ADVERT = (
    "Post Title: Healthcare Assistant\n"
    "Employer: Sandwell and West Birmingham Hospitals NHS Trust\n"
    "Reference: C9999-24-0003\n"
    "Band: Band 2\n"
    "Closing date: 31st January 2027\n\n"
    "Essential\n- Care Certificate or willingness to complete it\n- Good communication skills\n\n"
    "Desirable\n- Experience in a care setting\n"
)
