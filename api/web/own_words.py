"""Residents in their own words: a paragraph or a CV fills in today's form, to check (issue 14).

``/check/words`` takes text or a CV (PDF, DOCX or TXT up to 2 MB), read in memory and then
forgotten, and answers with the usual form pre-filled: every answer shows where it came from
("from your CV: '...'") and can be corrected or removed. Nothing is stored unless the resident
saves their results as before. Advisers do the same from a CV on ``/adviser/drafts``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from profiles import Draft

from ..errors import APIError
from ..extract import UPLOAD_LIMIT, draft_from, read_upload
from .access import check_csrf, public_page
from .prefill import prefill
from .resident import form_context

bp = Blueprint("web_words", __name__)
bp.before_request(check_csrf)


@bp.before_request
def allow_cv_uploads() -> None:
    request.max_content_length = max(UPLOAD_LIMIT, current_app.config.get("MAX_CONTENT_LENGTH") or 0)


def _words_page(problems: list[tuple[str, str]], text: str = "", status: int = 200) -> ResponseReturnValue:
    return (
        render_template("web/check_words.html", problems=problems, problem_fields={f for f, _ in problems}, text=text),
        status,
    )


def read_draft(form: MultiDict[str, str], files: Any) -> tuple[Draft | None, bool, list[tuple[str, str]]]:
    """The draft from an uploaded CV or typed text, whether it came from a file, and any problem."""
    upload = files.get("file")
    data = upload.read() if upload is not None else b""
    text = (form.get("text") or "").strip()
    try:
        if data:
            document = read_upload(data, upload.filename)
            return draft_from(document.text, source=document.source()), True, []
        if text:
            return draft_from(text), False, []
    except APIError as exc:
        field = "file" if data else "text"
        return None, bool(data), [(field, exc.message[:1].upper() + exc.message[1:] + ".")]
    return None, False, [("text", "Write something about your work and studies, or choose your CV file.")]


def prefilled_check(
    draft: dict[str, Any],
    *,
    from_file: bool,
    form: MultiDict[str, str] | None = None,
    problems: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The context for web/check.html pre-filled from ``draft`` (``Draft.to_dict()``); ``form``
    and ``problems`` when the answers were sent back and need correcting."""
    filled = prefill(draft, from_file=from_file)
    return {
        "results": None,
        **form_context(form if form is not None else filled.form, problems or []),
        **filled.context(),
        "prefill_warnings": list(draft.get("warnings", [])),
        **extra,
    }


@bp.get("/check/words")
@public_page
def words() -> ResponseReturnValue:
    return _words_page([])


@bp.post("/check/words")
@public_page
def read_words() -> ResponseReturnValue:
    draft, from_file, problems = read_draft(request.form, request.files)
    if draft is None:
        return _words_page(problems, (request.form.get("text") or "")[:40_000], 422)
    return render_template("web/check.html", **prefilled_check(draft.to_dict(), from_file=from_file))
