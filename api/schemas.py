"""Pydantic models at the API edge (requests validated here; the engine sees plain data)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["skill", "occupation", "qualification"]


class NormaliseRequest(BaseModel):
    """Either ``text`` (one result back) or ``texts`` (a list of results back)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    text: str | None = Field(default=None, min_length=1, max_length=2_000)
    texts: list[str] | None = Field(default=None, min_length=1, max_length=1_000)
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2, qualifications only")
    limit: int = Field(default=5, ge=1, le=50)
    cutoff: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _one_of_text_or_texts(self) -> NormaliseRequest:
        if (self.text is None) == (self.texts is None):
            raise ValueError("give exactly one of 'text' or 'texts'")
        return self


class MatchOut(BaseModel):
    concept_id: str
    label: str
    score: float
    method: str
    esco_uri: str | None
    soc2020: str | None
    matched_label: str
    profession: str | None = None
    regulator: str | None = None
    level: int | None = None
    country: str | None = None


class NormaliseResultOut(BaseModel):
    text: str
    kind: Kind
    matches: list[MatchOut]


class NormaliseBatchOut(BaseModel):
    results: list[NormaliseResultOut]
