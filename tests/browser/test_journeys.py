"""Each user's main journey through the pages, in headless Chromium.

Locators are roles and labels (``get_by_label("Qualification 1", exact=True)``, ``get_by_role("button", ...)``),
so a control a screen reader could not name fails the test too. Each journey saves full-page
screenshots of its steps to tests/browser/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.api.support import TRUST, count_rows
from tests.browser.conftest import Problems, Site

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the browser fixture fails in CI and skips elsewhere; collection must not crash
    if os.environ.get("CI"):
        raise
    pytest.skip("Playwright for Python is not installed: browser tests skipped", allow_module_level=True)

pytestmark = pytest.mark.browser

Shoot = Callable[[str], Path]


def _sign_in(page: Page, code: str) -> None:
    page.get_by_label("Your access code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def _row(page: Page, group: str, index: int) -> Locator:
    """One row of a repeating group on the resident form (its labels repeat: "Country", "Years")."""
    return page.locator(f'[data-rows="{group}"] [data-row]').nth(index)


# -- Resident, on a phone -------------------------------------------------------------------------


def test_resident_checks_saves_and_deletes(phone: tuple[Page, Problems, Shoot], site: Site) -> None:
    page, problems, shoot = phone
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Routes into NHS jobs at Midland Met")
    shoot("home")

    page.get_by_role("link", name="Check my routes into NHS jobs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check my routes into NHS jobs")
    shoot("form-empty")

    # An overseas-trained doctor: MBBS from Pakistan, six years a Medical Officer, IELTS with writing 6.5.
    page.get_by_label("Qualification 1", exact=True).fill("MBBS")
    _row(page, "q", 0).get_by_label("Country").select_option(label="Pakistan")
    _row(page, "q", 0).get_by_label("Year").fill("2013")
    page.get_by_label("Job 1", exact=True).fill("Medical Officer")
    _row(page, "x", 0).get_by_label("Years").fill("6")
    _row(page, "x", 0).get_by_label("Country").select_option(label="Pakistan")
    test = _row(page, "t", 0)
    page.get_by_label("Test 1", exact=True).select_option("IELTS Academic")
    for part, score in (("Listening", "7.5"), ("Reading", "7.0"), ("Writing", "6.5"), ("Speaking", "7.0")):
        test.get_by_label(part).fill(score)
    test.get_by_label("Overall").fill("7.0")
    test.get_by_label("Date taken").fill((date.today() - timedelta(days=60)).isoformat())
    page.get_by_label("Your skills").fill("taking bloods, clerking patients, Urdu")
    # Asked plainly (no answer is chosen for them); the status decides which help applies.
    right_to_work = page.get_by_role("group", name="Do you have the right to work in the UK?")
    expect(right_to_work.get_by_label("Yes", exact=True)).not_to_be_checked()
    right_to_work.get_by_label("Yes", exact=True).check()
    page.get_by_label("Your immigration status (optional)").select_option(
        label="Refugee status or humanitarian protection"
    )
    shoot("form-filled")

    before = count_rows(site.app)
    page.get_by_role("button", name="Show my routes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your routes into NHS jobs")
    expect(page.get_by_role("heading", name=re.compile(r"^Jobs you could reach within"))).to_be_visible()
    expect(page.locator("ol.timeline").first).to_be_visible()
    # A doctor's route: PLAB among the numbered steps, with the weeks and the fees in pounds.
    doctor = page.locator("article.route").filter(has=page.locator("ol.timeline li", has_text="PLAB")).first
    expect(doctor).to_be_visible()
    steps = doctor.locator("ol.timeline li")
    assert steps.count() >= 2
    expect(steps.first.locator(".meta")).to_contain_text(re.compile(r"About .*(week|month|year).*·"))
    expect(doctor.locator("ol.timeline li", has_text="PLAB 2").first.locator(".meta")).to_contain_text("£")
    expect(doctor.locator("p.total")).to_contain_text(re.compile(r"In all: about .*weeks.*costing £[\d,]+"))
    # A refugee doctor sits PLAB 1 free (first two attempts): the concession reaches the resident.
    expect(doctor.locator("ol.timeline li", has_text="PLAB 1").first).to_contain_text("free")
    expect(page.locator(".notice", has_text="refugee status").first).to_be_visible()
    # Every step says when its figures were checked and which are to be confirmed.
    expect(steps.first.locator(".meta")).to_contain_text("checked")
    expect(page.get_by_role("heading", name="Jobs you could do while you train")).to_be_visible()
    expect(page.locator("ul.bridges li").first).to_be_visible()
    shoot("results")
    # Checking stores nothing: not a resident, not an audit line, nothing.
    assert count_rows(site.app) == before

    save = page.get_by_role("region", name="Save your results (optional)")
    save.get_by_label("Your name (optional)").fill("Browser Test Resident")
    # Forgetting the tick keeps the results and the answers, and says so beside the box.
    problems.expected_statuses.add(422)  # the page comes back with its problem, as 422
    save.get_by_role("button", name="Save my results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your routes into NHS jobs")
    save = page.get_by_role("region", name="Save your results (optional)")
    box = save.get_by_label("I agree that useit-match may keep my answers to match me with jobs")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(save.locator("#consent-error")).to_contain_text("Tick the box to agree")
    expect(save.get_by_label("Your name (optional)")).to_have_value("Browser Test Resident")
    expect(page.get_by_label("Qualification 1", exact=True)).to_have_value("MBBS")
    save.get_by_role("link", name=re.compile("Tick the box to agree")).click()
    expect(page).to_have_url(re.compile(r"#consent$"))
    assert count_rows(site.app) == before
    shoot("save-forgot-consent")
    box.check()
    shoot("save-consent")
    save.get_by_role("button", name="Save my results").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your results are saved")
    code = page.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}", code), code
    assert count_rows(site.app)["residents"] == before["residents"] + 1
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the code").click()
    expect(page.locator("#access-code-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == code
    shoot("saved")

    page.get_by_role("link", name="See my routes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My routes into NHS jobs")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="My routes")).to_be_visible()
    expect(page.locator("ol.timeline li", has_text="PLAB").first).to_be_visible()
    shoot("my-routes")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything we keep about me").click()
    assert download.value.suggested_filename == "my-useit-data.json"
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert "Browser Test Resident" in json.dumps(exported)
    assert "MBBS" in json.dumps(exported)

    # Deleting without ticking the box says why nothing happened, beside the box.
    page.get_by_role("button", name="Delete my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My routes into NHS jobs")
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been deleted")
    expect(page.locator("#confirm-error")).to_contain_text("tick this box first")
    assert count_rows(site.app)["residents"] == before["residents"] + 1
    shoot("delete-unticked")

    page.get_by_label("I understand this deletes my answers and my access code for good").check()
    page.get_by_role("button", name="Delete my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data has been deleted")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()
    assert count_rows(site.app)["residents"] == before["residents"]
    shoot("deleted")

    # Signed out, and the code no longer works.
    page.goto("/me")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    problems.expected_statuses.add(401)
    _sign_in(page, code)
    expect(page.locator(".error-summary")).to_contain_text("not valid")


def test_resident_form_problem_is_summarised_and_focused(phone: tuple[Page, Problems, Shoot], site: Site) -> None:
    page, problems, shoot = phone
    problems.expected_statuses.add(422)  # the form comes back with its problems, as 422
    page.goto("/check")
    page.get_by_label("Job 1", exact=True).fill("Care assistant")
    _row(page, "x", 0).get_by_label("Years").fill("lots")
    page.get_by_role("group", name="Do you have the right to work in the UK?").get_by_label("I'm not sure").check()
    before = count_rows(site.app)
    page.get_by_role("button", name="Show my routes").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    link = summary.get_by_role("link", name="Job 1 years: enter a number, like 2 or 1.5")
    expect(link).to_have_attribute("href", "#x-0-years")
    years = _row(page, "x", 0).get_by_label("Years")
    expect(years).to_have_value("lots")  # answers are kept
    expect(years).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Job 1", exact=True)).to_have_value("Care assistant")
    shoot("error-summary")
    link.click()
    expect(page).to_have_url(re.compile(r"#x-0-years$"))
    expect(years).to_be_in_viewport()
    expect(years).to_be_focused()
    assert count_rows(site.app) == before


def test_suggestions_as_you_type(desktop: tuple[Page, Problems, Shoot]) -> None:
    page, _, shoot = desktop
    page.goto("/check")

    def options(input_label: str) -> list[str]:
        field = page.get_by_label(input_label, exact=True)
        list_id = field.get_attribute("list")
        assert list_id, f"{input_label} has no datalist"
        field.press_sequentially("phleb", delay=30)
        page.wait_for_function("id => document.getElementById(id).options.length > 0", arg=list_id, timeout=10_000)
        return page.evaluate("id => [...document.getElementById(id).options].map(o => o.value)", list_id)

    skills = options("Find a skill")
    assert any("phlebotomy" in s.lower() or "venepuncture" in s.lower() for s in skills), skills
    jobs = options("Job 1")
    assert any("phlebotomist" in j.lower() for j in jobs), jobs

    # "Add" moves the chosen skill into the skills box.
    page.get_by_label("Find a skill", exact=True).fill(skills[0])
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_label("Your skills")).to_have_value(skills[0])
    shoot("skills-added")


# -- Adviser --------------------------------------------------------------------------------------


def test_adviser_finds_candidates_and_prints_a_plan(desktop: tuple[Page, Problems, Shoot], site: Site) -> None:
    page, _, shoot = desktop
    page.goto("/adviser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")  # signed out: sent to sign in
    _sign_in(page, site.adviser_code)

    expect(page.get_by_role("heading", level=1)).to_have_text("Open vacancies")
    expect(page.get_by_text(re.compile(r"^34 open vacancies"))).to_be_visible()
    shoot("vacancies")
    page.get_by_label("Search by job title or employer").fill("healthcare assistant")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text('2 open vacancies matching "healthcare assistant"')).to_be_visible()
    page.get_by_role("link", name="Healthcare Assistant - Adult Inpatient Wards").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Healthcare Assistant - Adult Inpatient Wards")
    expect(page.get_by_role("heading", name="Ranked candidates")).to_be_visible()
    candidates = page.locator("ol.candidates > li")
    assert candidates.count() >= 5
    first = candidates.first
    expect(first).to_contain_text(re.compile(r"Fit \d+%"))
    evidence = first.get_by_role("group").filter(has_text="Evidence for each requirement")
    table = first.get_by_role("table")
    expect(table).to_be_hidden()
    first.get_by_text("Evidence for each requirement").click()
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Evidence")).to_be_visible()
    expect(evidence).to_have_count(1)
    # Advisers see names; at least one shipped persona was registered with one.
    names = page.locator("ol.candidates h3").all_inner_texts()
    assert set(names) & set(site.named.values()), names
    shoot("candidates")

    named = page.locator("ol.candidates > li").filter(
        has=page.get_by_role("heading", name=re.compile("|".join(site.named.values())))
    )
    person = named.first.get_by_role("heading").inner_text()
    named.first.get_by_role("link", name="Plan for this resident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Routes into NHS jobs for {person}")
    expect(page.get_by_role("button", name="Print this plan")).to_be_visible()
    header = page.locator("header.site")
    expect(header).to_be_visible()
    shoot("plan")

    page.emulate_media(media="print")
    expect(header).to_be_hidden()
    expect(page.get_by_role("button", name="Print this plan")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot("plan-print")
    page.emulate_media(media="screen")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Residents").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text(person).first).to_be_visible()
    shoot("residents")
    # Found by what they are, not only by name: doctors, with a regulator's English level or not.
    page.get_by_label("Profession").select_option("doctor")
    page.get_by_role("button", name="Find residents").click()
    rows = page.locator("table.residents tbody tr")
    assert rows.count() >= 1
    for row in rows.all_inner_texts():
        assert "Doctor" in row, row
    expect(page.get_by_label("Profession")).to_have_value("doctor")  # the filter stays chosen
    page.get_by_label("Ready for the open jobs").select_option("now")
    page.get_by_role("button", name="Find residents").click()
    for row in page.locator("table.residents tbody tr").all_inner_texts():
        assert "Can apply now" in row, row
    shoot("residents-filtered")


def test_adviser_insights(phone: tuple[Page, Problems, Shoot], site: Site) -> None:
    page, _, shoot = phone
    page.goto("/sign-in")
    _sign_in(page, site.adviser_code)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insights")
    expect(page.get_by_role("heading", name="Supply and demand by occupation")).to_have_count(1)
    expect(page.get_by_role("img", name="Registered residents by postcode district")).to_have_count(1)
    # The key of the paired chart is where the eye is: above the chart on a phone, beside it wider.
    chart = page.get_by_role("img", name="Residents with the background against open vacancies")
    key = page.locator(".chart-legend").first
    expect(key).to_contain_text("open vacancies")
    chart_box, key_box = chart.bounding_box(), key.bounding_box()
    assert chart_box
    assert key_box
    assert key_box["y"] + key_box["height"] <= chart_box["y"] + 1
    shoot("insights")
    page.set_viewport_size({"width": 1280, "height": 900})
    chart_box, key_box = chart.bounding_box(), key.bounding_box()
    assert chart_box
    assert key_box
    assert key_box["x"] >= chart_box["x"] + chart_box["width"] - 1  # to its right
    assert chart_box["y"] - 1 <= key_box["y"] <= chart_box["y"] + chart_box["height"]  # level with it
    shoot("insights-wide")


# -- Recruiter ------------------------------------------------------------------------------------


def test_recruiter_posts_a_vacancy_and_sees_pseudonymised_candidates(
    desktop: tuple[Page, Problems, Shoot], site: Site
) -> None:
    page, _, shoot = desktop
    page.goto("/sign-in")
    _sign_in(page, site.recruiter_code)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{TRUST}: vacancies")
    shoot("vacancies")

    vacancies_before = count_rows(site.app)["vacancies"]
    page.get_by_role("link", name="Post a vacancy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a vacancy")
    page.get_by_label("Job title").fill("Phlebotomist - Community Clinics")
    page.get_by_label("Agenda for Change band (optional)").fill("3")
    page.get_by_label("Location (optional)").fill("Midland Metropolitan University Hospital")
    page.get_by_label("Closing date").fill((date.today() + timedelta(days=30)).isoformat())
    essential = page.get_by_role("group", name="Essential criteria")
    criteria = [
        "Care Certificate",
        "GCSE English and maths grade 4 or Functional Skills Level 2",
        "Phlebotomy",
        "Good communication skills",
        "Right to work in the UK",
    ]
    for i, text in enumerate(criteria, start=1):
        essential.get_by_label(f"Essential {i}", exact=True).fill(text)
    essential.get_by_role("button", name="Add another").click()
    added = essential.get_by_label("Essential 6", exact=True)
    expect(added).to_be_focused()
    added.fill("Enhanced DBS check")
    page.get_by_role("group", name="Desirable criteria").get_by_label("Desirable 1", exact=True).fill(
        "Experience as a healthcare assistant"
    )
    page.get_by_role("group", name="Essential criteria").get_by_role("button", name="Add another").click()
    page.get_by_label("Essential 7", exact=True).fill("Zorblax qwerty")
    shoot("form-filled")
    # Before anything is posted: how each criterion will be read, with a warning for one not read.
    page.get_by_role("button", name="Check how it will be read").click()
    preview = page.get_by_role("region", name="How we will read your criteria")
    expect(preview).to_contain_text("We could not read 1 criterion")
    expect(preview.locator("tbody tr").filter(has_text="Enhanced DBS check")).to_contain_text("After an offer")
    assert count_rows(site.app)["vacancies"] == vacancies_before
    shoot("preview")
    page.get_by_label("Essential 7", exact=True).fill("")
    page.get_by_role("button", name="Check how it is read again").click()
    expect(page.get_by_role("region", name="How we will read your criteria")).to_contain_text("We read every criterion")
    page.get_by_role("button", name="Post the vacancy").click()

    expect(page.get_by_role("status")).to_contain_text("Your vacancy is posted")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phlebotomist - Community Clinics")
    read = page.get_by_role("region", name="How we read your criteria")
    # One row per requirement read (a criterion naming two subjects may become two).
    rows = read.locator("tbody tr")
    assert rows.count() >= 7
    for text in [*criteria, "Enhanced DBS check", "Experience as a healthcare assistant"]:
        expect(read).to_contain_text(text)
    expect(read.locator(".tag", has_text="desirable")).to_have_count(1)
    # Where each is judged: communication at interview, the DBS check after an offer.
    expect(rows.filter(has_text="Good communication skills")).to_contain_text("At interview")
    expect(rows.filter(has_text="Enhanced DBS check")).to_contain_text("After an offer")
    expect(rows.filter(has_text="Care Certificate")).to_contain_text("From the application")
    pipeline = page.get_by_role("region", name="Pipeline").get_by_role("table")
    whens = pipeline.locator("tbody tr td:first-child").all_inner_texts()
    assert whens == ["Ready now", "Ready within 3 months", "Ready within 6 months", "Ready within 12 months"]
    counts = [int(n) for n in pipeline.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts)  # cumulative
    candidates = page.get_by_role("region", name="Ranked candidates")
    names = candidates.locator("ol.candidates h3").all_inner_texts()
    assert names, "no candidates for the new vacancy"
    assert all(re.fullmatch(r"Candidate [0-9a-f]{6}", n) for n in names), names
    body = page.locator("main").inner_text()
    for name in site.named.values():
        assert name not in body
    assert "@example.org" not in body
    # Each candidate says in words where they stand, and the order is explained.
    expect(candidates).to_contain_text("In order: first those ready now")
    assert all(t.strip() for t in candidates.locator("p.standing").all_inner_texts())
    shoot("posted")

    # Changed on the web, then withdrawn.
    page.get_by_role("link", name="Change this vacancy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the vacancy")
    page.get_by_label("Job title").fill("Phlebotomist - Community Clinics (evenings)")
    page.get_by_role("button", name="Check how it will be read").click()
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your changes are saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phlebotomist - Community Clinics (evenings)")
    page.get_by_label(re.compile("I want to withdraw")).check()
    page.get_by_role("button", name="Withdraw the vacancy").click()
    expect(page.get_by_role("status")).to_contain_text("has been withdrawn")
    assert count_rows(site.app)["vacancies"] == vacancies_before
    shoot("withdrawn")


# -- Keyboard -------------------------------------------------------------------------------------


def test_keyboard_skip_link_first_and_focus_visible(desktop: tuple[Page, Problems, Shoot]) -> None:
    page, _, shoot = desktop
    page.goto("/check")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_in_viewport()
    style = focused.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none"
    assert float(style[1].removesuffix("px")) > 0, style
    shoot("skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # The next stops are the form's controls, each with a visible outline too.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    width = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(width.removesuffix("px")) > 0, width


def test_csp_violations_are_reported(desktop: tuple[Page, Problems, Shoot]) -> None:
    """The watch on every page works: an inline script and an image from elsewhere are refused and noticed."""
    page, problems, _ = desktop
    page.goto("/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ranInline = true";
          document.body.append(script);
          const img = document.createElement("img");
          img.src = "https://example.invalid/tracker.png";
          document.body.append(img);
        }"""
    )
    for _ in range(50):  # the console events arrive as Playwright's loop runs
        found = "\n".join(problems.messages)
        if "CSP violation: img-src" in found and "CSP violation: script-src" in found:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.ranInline") is None
    assert "CSP violation: script-src" in found, found
    assert "CSP violation: img-src" in found, found
    problems.messages.clear()  # provoked on purpose


def test_api_docs_read_on_a_phone(phone: tuple[Page, Problems, Shoot]) -> None:
    """An integrator reading /docs on a phone: no sideways scrolling of the page, every operation
    with its summary in words."""
    page, _, _ = phone
    page.goto("/docs")
    expect(page.get_by_text("Assess one resident against one vacancy").first).to_be_visible()
    wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"/docs is {wider}px wider than a 390px phone"
    page.screenshot(path=str(Path(__file__).parent / "screenshots" / "api-docs-phone.png"), full_page=True)
