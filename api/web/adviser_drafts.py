"""Advisers: a resident's CV into a draft profile, checked on the resident form, then saved.

Drafts live in their own table (``profile_drafts``), so nothing unconfirmed reaches matching,
insights, exports or recruiters; saving creates the resident and deletes the draft in one
transaction. ``useit profile import-cvs DIR`` fills the same list from a folder.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from ..drafts import DRAFT_DAYS, add_draft, list_drafts
from ..errors import APIError
from ..models import ProfileDraft
from ..residents import add_resident, validated_resident
from ..store import audit, transaction
from .access import check_csrf, me, page_for
from .forms import resident_from_form
from .own_words import allow_cv_uploads, read_draft
from .prefill import without_removed

bp = Blueprint("web_drafts", __name__)
bp.before_request(check_csrf)
bp.before_request(allow_cv_uploads)


def _list_page(problems: list[tuple[str, str]], status: int = 200) -> ResponseReturnValue:
    with transaction() as session:
        drafts = list_drafts(session)
        page = render_template(
            "web/adviser_drafts.html",
            drafts=drafts,
            problems=problems,
            problem_fields={f for f, _ in problems},
            days=DRAFT_DAYS,
        )
    return page, status


@bp.get("/adviser/drafts")
@page_for("adviser", "admin")
def drafts() -> ResponseReturnValue:
    return _list_page([])


@bp.post("/adviser/drafts")
@page_for("adviser", "admin")
def upload() -> ResponseReturnValue:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _list_page([("file", "Choose the CV file to read.")], 422)
    draft, _from_file, problems = read_draft(request.form, request.files)
    if draft is None:
        return _list_page([("file", message) for _field, message in problems], 422)
    who = me()
    with transaction() as session:
        row = add_draft(session, draft.to_dict(), upload.filename, who.user_id)
        audit(session, who, "create", "draft", [row.id])
    return redirect(url_for("web_drafts.review", draft_id=row.id))


def _review_page(
    row: ProfileDraft,
    form: MultiDict[str, str] | None = None,
    problems: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    from .own_words import prefilled_check

    context = prefilled_check(
        row.draft,
        from_file=True,
        form=form,
        problems=problems,
        form_action=url_for("web_drafts.save", draft_id=row.id),
        submit_label="Save as a resident",
        identity_fields=True,
    )
    return render_template("web/check.html", **context), status


@bp.get("/adviser/drafts/<draft_id>")
@page_for("adviser", "admin")
def review(draft_id: str) -> ResponseReturnValue:
    with transaction() as session:
        row = session.get(ProfileDraft, draft_id) or abort(404)
        audit(session, me(), "read", "draft", [row.id])
        return _review_page(row)


@bp.post("/adviser/drafts/<draft_id>")
@page_for("adviser", "admin")
def save(draft_id: str) -> ResponseReturnValue:
    form = without_removed(request.form)
    read = resident_from_form(form)
    problems = list(read.problems)
    if form.get("consent") != "yes":
        problems.append(("consent", "Tick the box once the resident has checked these answers and agrees"))
    identity = {k: (form.get(k) or "").strip() or None for k in ("name", "contact")}
    record = {**read.record, **{k: v for k, v in identity.items() if v}}
    if not problems:
        # The one validation every path into storage uses: the draft's answers as the API checks them.
        try:
            validated_resident(record)
        except APIError as exc:
            problems += [(str(e.get("location") or "body"), str(e.get("message"))) for e in exc.errors]
    who = me()
    with transaction() as session:
        row = session.get(ProfileDraft, draft_id) or abort(404)
        if problems:
            return _review_page(row, form, problems, 422)
        resident = add_resident(session, record)
        audit(session, who, "create", "resident", [resident.id])
        audit(session, who, "delete", "draft", [row.id])
        session.delete(row)
    return redirect(url_for("web_adviser.plan", resident_id=resident.id))


@bp.post("/adviser/drafts/<draft_id>/discard")
@page_for("adviser", "admin")
def discard(draft_id: str) -> ResponseReturnValue:
    with transaction() as session:
        row = session.get(ProfileDraft, draft_id) or abort(404)
        audit(session, me(), "delete", "draft", [row.id])
        session.delete(row)
    return _list_page([])
