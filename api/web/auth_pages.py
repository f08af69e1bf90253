"""The home page, signing in with an access code, and signing out."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..limits import failed_authentication
from .access import check_csrf, public_page, safe_next, sign_in, sign_out, web_principal

bp = Blueprint("web_auth", __name__)
bp.before_request(check_csrf)

#: Where each role starts after signing in.
HOME_OF = {
    "resident": "web_resident.mine",
    "adviser": "web_adviser.vacancies",
    "recruiter": "web_recruiter.vacancies",
    "admin": "web_adviser.vacancies",
}


@bp.get("/")
@public_page
def home() -> ResponseReturnValue:
    return render_template("web/home.html")


@bp.get("/sign-in")
@public_page
def sign_in_page() -> ResponseReturnValue:
    return render_template("web/sign_in.html", next=safe_next(request.args.get("next"), ""), problems=[])


@bp.post("/sign-in")
@public_page
def sign_in_submit() -> ResponseReturnValue:
    code = (request.form.get("code") or "").strip()
    target = request.form.get("next")
    if not code:
        problems = [("code", "Enter your access code")]
    elif len(code) > 200 or sign_in(code) is None:
        failed_authentication(code)  # 429 once this address or code has failed too often here
        problems = [("code", "That access code is not valid, has expired or has been withdrawn")]
    else:
        who = web_principal()
        assert who is not None
        return redirect(safe_next(target, url_for(HOME_OF[who.role])))
    return render_template("web/sign_in.html", next=safe_next(target, ""), problems=problems), 401


@bp.post("/sign-out")
@public_page
def sign_out_submit() -> ResponseReturnValue:
    sign_out()
    return redirect(url_for("web_auth.home"))
