"""Residents: "Check my routes into NHS jobs", saving results by choice, and "My routes".

The checker needs no account and stores nothing: the answers are assessed against the open
vacancies and shown back. Only if the resident ticks the consent box and presses "Save" is a
record created, with an access code shown once so they can come back, see their data and
delete it.
"""

from __future__ import annotations

import json
import smtplib
from datetime import date
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from matcher import Resident as ResidentProfile

from ..auth import Principal, issue_token
from ..code_delivery import configured_sender
from ..errors import APIError
from ..models import Vacancy
from ..residents import (
    add_resident,
    erase,
    export_body,
    load_resident,
    replace_consents,
    resident_routes,
    store_update,
    validated_resident,
)
from ..store import audit, stored_profile, transaction
from . import present
from .access import check_csrf, me, page_for, public_page, sign_in, sign_out
from .forms import (
    COMMON_COUNTRIES,
    COUNTRIES,
    ENGLISH_EVIDENCE,
    ENGLISH_TESTS,
    EXPERIENCE_ROWS,
    HOURS,
    IMMIGRATION_STATUSES,
    QUALIFICATION_ROWS,
    RIGHT_TO_WORK,
    TEST_ROWS,
    TICKABLE,
    form_from_record,
    keep_what_the_form_hides,
    resident_from_form,
    resident_from_json,
    row_numbers,
)
from .prefill import without_removed

bp = Blueprint("web_resident", __name__)
bp.before_request(check_csrf)
#: How far ahead the checker looks, in weeks, and the choices offered.
HORIZONS = {26: "6 months", 52: "1 year", 104: "2 years", 156: "3 years"}
DEFAULT_HORIZON = 104


def _horizon(form: MultiDict[str, str]) -> int:
    raw = form.get("within", "")
    return int(raw) if raw.isdigit() and int(raw) in HORIZONS else DEFAULT_HORIZON


def _form_context(form: MultiDict[str, str], problems: list[tuple[str, str]]) -> dict[str, Any]:
    graph = present.graph()
    return {
        "form": form,
        "problems": problems,
        "problem_fields": {field for field, _ in problems},
        "rows": {
            "q": len(row_numbers(form, "q", QUALIFICATION_ROWS)),
            "x": len(row_numbers(form, "x", EXPERIENCE_ROWS)),
            "t": len(row_numbers(form, "t", TEST_ROWS)),
        },
        "tests": ENGLISH_TESTS,
        "countries": COUNTRIES,
        "common_countries": [(code, COUNTRIES[code]) for code in COMMON_COUNTRIES],
        "immigration_statuses": IMMIGRATION_STATUSES,
        "english_evidence": ENGLISH_EVIDENCE,
        "tickable": [(c, graph[c].label) for c in TICKABLE if c in graph],
        "right_to_work": RIGHT_TO_WORK,
        "hours": HOURS,
        "horizons": HORIZONS,
        "within": _horizon(form),
        "can_send_code": configured_sender() is not None,
    }


#: The form's context, for pages that show the same form (pre-filled from a resident's own words).
form_context = _form_context

#: Jobs shown per section: enough to choose from on a phone; the page says how many more there are.
SHOWN_PER_SECTION = 12


def routes_view(
    session: Session, profile: ResidentProfile, within: int, *, shown: int = SHOWN_PER_SECTION
) -> dict[str, Any]:
    """Jobs open now and reachable (the best ``shown`` of each, ranked as the engine ranks them),
    with each vacancy's advert details and a timeline."""
    routes = resident_routes(session, profile, within_weeks=within)
    more = {section: max(0, len(items) - shown) for section, items in routes.items()}
    routes = {section: items[:shown] for section, items in routes.items()}
    listed = routes["open_now"] + routes["reachable"] + routes["when_allowed"]
    ids = [i["vacancy"] for i in listed]
    adverts = {v.id: v for v in session.scalars(select(Vacancy).where(Vacancy.id.in_(ids)))} if ids else {}
    for item in listed:
        advert = adverts.get(item["vacancy"])
        item["location"] = advert.location if advert else None
        item["closing_date"] = advert.closing_date if advert else None
        item["pay"] = present.band_pay(item["band"])
    reachable = routes["reachable"]
    return {
        "open_now": routes["open_now"],
        "reachable": reachable,
        "more_open_now": more["open_now"],
        "more_reachable": more["reachable"],
        "when_allowed": routes["when_allowed"],
        "more_when_allowed": more["when_allowed"],
        "volunteering": present.volunteering() if profile.right_to_work == "no" else [],
        "bridges": present.bridge_roles(i["assessment"] for i in reachable),
        "within": within,
        "within_label": HORIZONS.get(within, f"{within} weeks"),
        "today": date.today(),
        # What the resident said of their status: the pages explain what it means for work and fees.
        "immigration_status": profile.immigration_status,
        "right_to_work": profile.right_to_work,
    }


@bp.get("/check")
@public_page
def check() -> ResponseReturnValue:
    return render_template("web/check.html", results=None, **_form_context(MultiDict(), []))


@bp.post("/check")
@public_page
def check_submit() -> ResponseReturnValue:
    form = without_removed(request.form)  # rows pre-filled from a resident's words and ticked "Remove"
    read = resident_from_form(form)
    problems = list(read.problems)
    if not problems:
        # The same rules as saving (and the API): what this page accepts, "save" accepts too.
        try:
            validated_resident(read.record)
        except APIError as exc:
            problems = [_form_problem(e) for e in exc.errors]
    if problems:
        return render_template("web/check.html", results=None, **_form_context(form, problems)), 422
    profile = ResidentProfile.from_dict(read.record)
    with transaction() as session:
        results = routes_view(session, profile, _horizon(form))
    return render_template(
        "web/check.html",
        results=results,
        profile_json=json.dumps(read.record, separators=(",", ":")),
        **_form_context(form, []),
    )


@bp.post("/check/save")
@public_page
def save() -> ResponseReturnValue:
    """Register by choice: store the answers, issue an access code and sign in."""
    read = resident_from_json(request.form.get("profile", ""))
    problems = list(read.problems)
    if request.form.get("consent") != "yes":
        problems.append(("consent", "Tick the box to agree, or close this page: nothing has been saved"))
    identity = {k: (request.form.get(k) or "").strip() or None for k in ("name", "contact")}
    if not read.problems:
        # The hidden field came back from the visitor's browser: it is checked exactly as the
        # API checks a new resident (unknown keys, an id or version of its own, lengths, formats).
        try:
            validated_resident({**read.record, **identity})
        except APIError as exc:
            problems += [_save_problem(e) for e in exc.errors]
    if problems:
        if any(field == "profile" for field, _ in problems):  # the answers came back unreadable
            return render_template("web/save_problem.html", problems=problems), 422
        # A box left unticked (or a name too long): the results and the answers stay on the page,
        # with the problem beside the field it is about.
        form = form_from_record(read.record)
        with transaction() as session:
            results = routes_view(session, ResidentProfile.from_dict(read.record), _horizon(request.form))
        context = {**_form_context(form, []), "within": _horizon(request.form)}
        return render_template(
            "web/check.html",
            results=results,
            profile_json=json.dumps(read.record, separators=(",", ":")),
            save_problems=problems,
            identity=identity,
            **context,
        ), 422
    with transaction() as session:
        row = add_resident(session, {**read.record, **identity})
        code, token = issue_token(session, role="resident", name="self-registered", resident_id=row.id)
        audit(session, Principal(token.user_id, "resident", resident_id=row.id), "create", "resident", [row.id])
    sign_in(code)
    return render_template("web/saved.html", code=code, delivery=_deliver(code, identity.get("contact")))


def _deliver(code: str, contact: str | None) -> str | None:
    """Send the code to the resident's email when they asked and a sender is configured; what the
    page then says. Never claims a message was sent that was not."""
    if request.form.get("send_code") != "yes" or not contact:
        return None
    sender = configured_sender()
    if sender is None:
        return "We cannot send codes by email or text from here, so keep the code above."
    if not sender.can_reach(contact):
        return "We can send the code only to an email address, so keep the code above."
    try:
        sender.send(contact, code)
    except (OSError, smtplib.SMTPException):
        current_app.logger.warning("an access code could not be emailed")  # never the address
        return "We could not send the email just now, so keep the code above."
    return "We have also emailed the code to the address you gave."


#: Where a problem the API names appears on the checker's form, and what the form calls it.
_FORM_ROWS = {
    "qualifications": ("q", "Qualification"),
    "experience": ("x", "Job"),
    "language_tests": ("t", "English test"),
}
_FORM_LABELS = {"skills": "Skills", "postcode": "Postcode", "credentials": "Credentials", "hours": "Hours"}


def _form_problem(error: dict[str, Any]) -> tuple[str, str]:
    """(form field id, message) for a problem the API's validation names."""
    parts = str(error.get("location") or "").split(".")
    message = str(error.get("message"))
    if parts[0] in _FORM_ROWS and len(parts) > 1 and parts[1].isdigit():
        prefix, label = _FORM_ROWS[parts[0]]
        part = parts[2] if len(parts) > 2 and parts[2] in ("title", "country", "year", "years") else "title"
        field_id = f"{prefix}-{parts[1]}-{'test' if prefix == 't' else part}"
        return field_id, f"{label} {int(parts[1]) + 1}: {message}"
    if parts[0] in _FORM_LABELS:
        return parts[0], f"{_FORM_LABELS[parts[0]]}: {message}"
    return "q-0-title", f"Your answers: {message}"


def _save_problem(error: dict[str, Any]) -> tuple[str, str]:
    """An API validation problem as the save page shows it: name and contact are the visitor's
    own fields; anything else means the answers carried from the results page were changed."""
    where = str(error.get("location") or "")
    if where in ("name", "contact"):
        return where, f"{where.title()}: {error.get('message')}"
    message = f"Your answers could not be saved ({where or 'answers'}: {error.get('message')})."
    return "profile", message + " Go back and check them again."


def _mine(session: Session, who: Principal) -> Any:
    assert who.resident_id is not None
    return load_resident(session, who.resident_id, who)


@bp.get("/me")
@page_for("resident")
def mine() -> ResponseReturnValue:
    who = me()
    within = _horizon(request.args)
    with transaction() as session:
        row = _mine(session, who)
        profile = stored_profile(row)
        results = routes_view(session, profile, within)
        consents = sorted(c.employer for c in row.consents)
        employers = _employers(session)
    return render_template(
        "web/mine.html",
        results=results,
        consents=consents,
        employers=sorted(set(employers) | set(consents)),
        horizons=HORIZONS,
        erase_unconfirmed=request.args.get("erase") == "confirm",
        updated=request.args.get("updated") == "1",
        shared=request.args.get("shared") == "1",
    )


@bp.get("/me/answers")
@page_for("resident")
def my_answers() -> ResponseReturnValue:
    """The resident's stored answers in the checker's form, to change."""
    with transaction() as session:
        row = _mine(session, me())
        form = form_from_record(dict(row.profile or {}))
    return render_template("web/check.html", results=None, **_edit_context(form, []))


def _edit_context(form: MultiDict[str, str], problems: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        **_form_context(form, problems),
        "editing": True,
        "form_action": url_for("web_resident.update_my_answers"),
        "submit_label": "Save my answers",
    }


@bp.post("/me/answers")
@page_for("resident")
def update_my_answers() -> ResponseReturnValue:
    """Store changed answers through the same validation as the API's update; name, contact and
    consents are kept as they are."""
    who = me()
    form = without_removed(request.form)
    read = resident_from_form(form)
    problems = list(read.problems)
    if problems:
        return render_template("web/check.html", results=None, **_edit_context(form, problems)), 422
    with transaction() as session:
        row = _mine(session, who)
        # Credentials the form cannot tick (recorded by an adviser, say) are kept.
        kept = [c for c in (row.profile or {}).get("credentials") or [] if c not in TICKABLE]
        record = {**read.record, "credentials": [*read.record.get("credentials", []), *kept]}
        # What the form never shows (a job's employer, its end year, ...) is kept as stored.
        record = keep_what_the_form_hides(dict(row.profile or {}), record)
        body = {**record, "name": row.name, "contact": row.contact, "version": row.version}
        try:
            profile, identity, _ = validated_resident(body, resident_id=row.id)
        except APIError as exc:
            problems = [_form_problem(e) for e in exc.errors]
            return render_template("web/check.html", results=None, **_edit_context(form, problems)), 422
        store_update(session, row, profile, identity, who)
    return redirect(url_for("web_resident.mine", updated=1), 303)


@bp.post("/me/sharing")
@page_for("resident")
def update_sharing() -> ResponseReturnValue:
    """Which employers may see the resident's name and contact details (ticked boxes)."""
    who = me()
    with transaction() as session:
        row = _mine(session, who)
        # Employers shown: those with vacancies, and those already consented to (shown ticked).
        offered = set(_employers(session)) | {c.employer for c in row.consents}
        wanted = [e for e in request.form.getlist("employer") if e in offered]
        replace_consents(session, row, wanted, who)
    return redirect(url_for("web_resident.mine", shared=1) + "#sharing", 303)


def _employers(session: Session) -> list[str]:
    """Employers with a vacancy on the service: those a resident can choose to share with."""
    return sorted(e for e in session.scalars(select(Vacancy.employer).distinct()) if e)


@bp.get("/me/data")
@page_for("resident")
def my_data() -> ResponseReturnValue:
    """Everything held about me, as a file to keep."""
    who = me()
    with transaction() as session:
        body = export_body(session, _mine(session, who), who)
    response = current_app.response_class(json.dumps(body, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-useit-data.json"'
    return response


@bp.post("/me/erase")
@page_for("resident")
def erase_mine() -> ResponseReturnValue:
    who = me()
    if request.form.get("confirm") != "yes":
        return redirect(url_for("web_resident.mine", erase="confirm") + "#delete")
    with transaction() as session:
        erase(session, _mine(session, who), who)
    sign_out()
    return render_template("web/erased.html")
