"""Pydantic models at the API edge (requests validated here; the engine sees plain data)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from matcher.countries import load_countries

from .contract import WORDS, whole
from .errors import APIError, validation_errors

M = TypeVar("M", bound=BaseModel)

Kind = Literal["skill", "occupation", "qualification"]


class NormaliseRequest(BaseModel):
    """Either ``text`` (one result back) or ``texts`` (a list of results back)."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    kind: Kind
    text: str | None = Field(default=None, min_length=1, max_length=2_000, pattern=WORDS)
    texts: list[Annotated[str, Field(min_length=1, max_length=2_000, pattern=WORDS)]] | None = Field(
        default=None, min_length=1, max_length=1_000
    )
    country: str | None = Field(
        default=None,
        max_length=100,
        description="Where the qualification was awarded: an ISO 3166 alpha-2 code (PK) or an English name "
        "(Pakistan); qualifications only. One we do not know is a 422 naming it.",
    )
    limit: whole(ge=1, le=50) = 5  # type: ignore[valid-type]
    cutoff: float | None = Field(default=None, ge=0.0, le=1.0)

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        """A code or an English name becomes the ISO code; anything else names itself."""
        if value is None or not value.strip():
            return None
        found = load_countries().find(value)
        if found is None:
            raise ValueError(
                f"{value.strip()!r} is not a country we know: give an ISO 3166 code such as PK or an English "
                "name such as Pakistan"
            )
        return found

    @model_validator(mode="after")
    def _one_of_text_or_texts(self) -> NormaliseRequest:
        problems = self.body_problems(self.model_dump())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @staticmethod
    def body_problems(body: dict[str, Any]) -> list[str]:
        """Problems that involve several fields (checked even when a field is invalid)."""
        problems = []
        if (body.get("text") is None) == (body.get("texts") is None):
            problems.append("give exactly one of 'text' or 'texts'")
        if body.get("country") is not None and body.get("kind") in ("skill", "occupation"):
            problems.append("'country' applies to kind 'qualification' only")
        return problems


def validate(model: type[M], body: object) -> M:
    """Validate ``body`` as ``model``; on failure, one 422 listing every problem at once.

    Pydantic runs whole-body checks only when every field is valid; they are added here so a
    client learns of all its mistakes in one round trip.
    """
    try:
        # Strictly, as JSON: "7" is not a number and true is not 1, exactly as the OpenAPI
        # document says (the body was JSON to begin with, so nothing is lost on the way).
        return model.model_validate_json(json.dumps(body), strict=True)
    except ValidationError as exc:
        errors = validation_errors(exc)
        body_check = getattr(model, "body_problems", None)
        if isinstance(body, dict) and body_check is not None and all(e["location"] != "body" for e in errors):
            errors += [{"location": "body", "message": p, "type": "value_error"} for p in body_check(body)]
        raise APIError(422, "validation_error", "the request is not valid", errors) from None
