"""``POST /api/v1/profile/extract``: a resident's own words or CV become a draft profile.

Stateless: the text or file is read in memory, nothing is written to disk or the database, and
nothing identifying is logged. Send JSON ``{"text": "..."}`` or a multipart form with ``file``
(PDF, DOCX or TXT, up to 2 MB). The answer is a draft profile (the DESIGN.md contract, which
``/assess`` accepts once the resident has confirmed it) and every item found with the words it
came from and a confidence.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any, Literal

from flask import Blueprint, Flask, Request, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field

from profiles import Document, DocumentError, Draft, ExtractSettings, ProfileExtractor, read_document

from .auth import public
from .contract import ExperienceIn, LanguageTestIn, QualificationIn
from .errors import APIError
from .openapi import documented
from .schemas import validate

bp = Blueprint("profile_extract", __name__)
#: A 2 MB file plus the multipart envelope and a text field.
UPLOAD_LIMIT = 2 * 1024 * 1024 + 64 * 1024
_STATUS = {"too_large": 413, "too_long": 413, "wrong_type": 415}
_EXAMPLE_TEXT = (
    "I am staff nurse from Pakistan. Staff Nurse, Lahore General Hospital, 2016-2021. "
    "IELTS 7 (W 6.5) in March 2026. I speak Urdu and English."
)


class InMemoryUploadRequest(Request):
    """Uploaded files stay in memory (werkzeug spools large ones to a temporary file on disk).
    ``MAX_CONTENT_LENGTH`` (or this endpoint's own limit) bounds their size first."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> io.BytesIO:
        return io.BytesIO()


class ExtractRequest(BaseModel):
    """Text in the resident's own words, or a CV's text."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": _EXAMPLE_TEXT}]})

    text: str = Field(min_length=1, max_length=40_000, description="A story or a CV's text (up to 40,000 characters)")
    today: date | None = Field(default=None, description="Count 'to present' up to this date (default today)")


class ExtractUpload(BaseModel):
    """A CV file as multipart/form-data."""

    file: bytes = Field(
        description="PDF, Word (.docx) or text (.txt), at most 2 MB", json_schema_extra={"format": "binary"}
    )


class SpanOut(BaseModel):
    start: int = Field(description="Offset of the first character in the text read")
    end: int
    text: str = Field(description="The words the item came from, as written")


class ExtractedItemOut(BaseModel):
    id: str
    kind: Literal[
        "experience",
        "qualification",
        "language_test",
        "credential",
        "skill",
        "language",
        "right_to_work",
        "immigration_status",
        "postcode",
        "hours",
    ]
    value: dict[str, Any] = Field(description="What was read; fields depend on the kind")
    span: SpanOut
    confidence: float = Field(ge=0, le=1)
    method: str
    in_profile: bool = Field(description="false: offered to the resident, kept out of the draft profile")
    missing: list[str] = Field(description="What the resident must add before it counts")
    note: str | None


class DraftProfileOut(BaseModel):
    """The DESIGN.md resident profile; ``right_to_work`` is always "unknown" until the resident answers."""

    skills: list[str]
    experience: list[ExperienceIn]
    qualifications: list[QualificationIn]
    language_tests: list[LanguageTestIn]
    credentials: list[str]
    right_to_work: Literal["unknown"]
    hours: Literal["full_time", "part_time", "any"]
    postcode: str | None = None


class SourceOut(BaseModel):
    kind: Literal["text", "pdf", "docx", "txt"]
    characters: int
    pages: int | None = None
    layout: Literal["cv", "story"]


class ExtractResponse(BaseModel):
    """A draft to confirm: nothing was stored."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "profile": {
                        "skills": ["Urdu", "spoken English"],
                        "experience": [{"title": "Staff Nurse", "years": 5.0, "country": "PK"}],
                        "qualifications": [],
                        "language_tests": [],
                        "credentials": [],
                        "right_to_work": "unknown",
                        "hours": "any",
                    },
                    "items": [
                        {
                            "id": "item-1",
                            "kind": "experience",
                            "value": {
                                "title": "Staff Nurse",
                                "employer": "Lahore General Hospital",
                                "country": "PK",
                                "years": 5.0,
                            },
                            "span": {"start": 33, "end": 80, "text": "Staff Nurse, Lahore General Hospital, 2016-2021"},
                            "confidence": 0.95,
                            "method": "sentence",
                            "in_profile": True,
                            "missing": [],
                            "note": None,
                        },
                        {
                            "id": "item-2",
                            "kind": "language_test",
                            "value": {"test": "IELTS Academic", "overall": 7.0, "writing": 6.5, "date": "2026-03-01"},
                            "span": {"start": 82, "end": 111, "text": "IELTS 7 (W 6.5) in March 2026"},
                            "confidence": 0.75,
                            "method": "labelled parts",
                            "in_profile": False,
                            "missing": ["listening", "reading", "speaking"],
                            "note": "We took this to be IELTS Academic: check it was not General Training.",
                        },
                    ],
                    "source": {"kind": "text", "characters": 135, "pages": None, "layout": "story"},
                    "warnings": [],
                }
            ]
        }
    )

    profile: DraftProfileOut
    items: list[ExtractedItemOut]
    source: SourceOut
    warnings: list[str]


def extractor() -> ProfileExtractor:
    """One extractor per app (it indexes the taxonomy's words once)."""
    found = current_app.extensions.get("useit_extractor")
    if found is None:
        found = ProfileExtractor(current_app.extensions["useit_engine"].normaliser)
        current_app.extensions["useit_extractor"] = found
    return found


def document_error(exc: DocumentError, location: str) -> APIError:
    status = _STATUS.get(exc.code, 422)
    return APIError(status, exc.code, exc.message, [{"location": location, "message": p} for p in exc.problems])


def read_upload(data: bytes, filename: str | None) -> Document:
    """A CV file's text, or an :class:`APIError` naming the problem (nothing is kept)."""
    try:
        return read_document(data, filename=filename)
    except DocumentError as exc:
        raise document_error(exc, "file") from None


def draft_from(text: str, *, source: dict[str, Any] | None = None, today: date | None = None) -> Draft:
    engine = extractor()
    if today is not None:
        engine = ProfileExtractor(engine.normaliser, settings=ExtractSettings(today=today), lexicon=engine.lexicon)
    try:
        return engine.extract(text, source=source)
    except DocumentError as exc:
        raise document_error(exc, "text") from None


@bp.before_request
def _allow_cv_uploads() -> None:
    # The app-wide body limit is 1 MB; a CV may be 2 MB.
    request.max_content_length = max(UPLOAD_LIMIT, current_app.config.get("MAX_CONTENT_LENGTH") or 0)


@bp.post("/profile/extract")
@public
@documented(body=ExtractRequest, response=ExtractResponse, multipart=ExtractUpload)
def extract_profile() -> ResponseReturnValue:
    """Read a story or a CV into a draft profile, with the words each item came from (stores nothing)."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise APIError(
                422,
                "validation_error",
                "the request is not valid",
                [{"location": "file", "message": "send the CV as the form field 'file'"}],
            )
        document = read_upload(upload.read(), upload.filename)
        draft = draft_from(document.text, source=document.source())
    elif request.is_json:
        body = request.get_json(silent=True)
        if body is None:
            raise APIError(400, "bad_json", "the request body is not valid JSON (UTF-8)")
        payload = validate(ExtractRequest, body)
        draft = draft_from(payload.text, today=payload.today)
    else:
        raise APIError(
            415,
            "unsupported_media_type",
            'send JSON {"text": ...} with Content-Type: application/json, or a file as multipart/form-data',
        )
    response = jsonify(draft.to_dict())
    response.headers["Cache-Control"] = "no-store"
    return response


def install(app: Flask) -> None:
    app.request_class = InMemoryUploadRequest
    app.register_blueprint(bp, url_prefix="/api/v1")
