"""Browser tests: the real app served over HTTP on 127.0.0.1, driven by Debian's headless Chromium.

The app runs on a fresh SQLite database holding the shipped vacancies and personas, served by
werkzeug in a background thread. Playwright (from PyPI) drives the system's Chromium at
/usr/bin/chromium: it never downloads a browser of its own. Without that browser the tests are
skipped with a message, except in CI (``CI`` set), where they fail, so CI can never skip them.

Every page a test opens is watched for console errors, uncaught exceptions and Content Security
Policy violations; any of them fails the test. Screenshots go to tests/browser/screenshots/
(ignored by git), one per journey step, named after the test.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask

from tests.api.support import TRUST

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
#: The date the shipped fixtures were written for; their closing dates are moved on by as many
#: days as have passed since, so the vacancies stay open whenever the tests run.
FIXTURES_TODAY = date(2026, 11, 25)
#: Without the background-networking switches Chromium keeps trying to reach Google's services,
#: which on a closed network is a stream of refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Personas registered with a name (the rest have none): advisers see names, recruiters never do.
NAMED = {"r-001": "Amina Qureshi", "r-002": "Joseph Okafor", "r-003": "Maria Santos"}
_APP_ENV = ("DATABASE_URL", "USEIT_TAXONOMY_DIR", "USEIT_MAX_CONTENT_LENGTH", "USEIT_FIXTURES_DIR", "USEIT_SECRET_KEY")

#: Reported to the console by every page, so a CSP violation is caught even where Chromium's own
#: message would be worded differently.
_WATCH_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""

#: What every page must be, checked at each screenshot: the skip link first in the body, a plain
#: text title, one h1 in main, and nothing wider than the window (no sideways scrolling on a phone).
#: (A phone widens its layout to fit content that overflows, so the width is the window we asked for.)
_SKELETON = """width => ({
  first: document.body.firstElementChild && document.body.firstElementChild.className,
  title_markup: document.title.includes("<"),
  h1: document.querySelectorAll("main h1").length,
  overflow: Math.max(0, document.documentElement.scrollWidth - width),
})"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: the browser tests must run in CI (.ci/run installs Debian's chromium)", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped (apt-get install chromium; pip install -e '.[dev]')")


@dataclass(frozen=True)
class Site:
    """The running app: its address, tokens for each kind of user, and the app itself (for the DB)."""

    url: str
    app: Flask
    adviser_code: str
    recruiter_code: str
    named: dict[str, str] = field(default_factory=dict)


def _shipped(name: str) -> list[dict[str, Any]]:
    return json.loads((REPO_ROOT / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))[name]


def _load_fixtures(app: Flask) -> dict[str, str]:
    """The shipped vacancies (through the API's own upsert) and personas (through POST /residents)."""
    from sqlalchemy.orm import sessionmaker

    from api.auth import issue_token
    from api.store import transaction
    from api.vacancies import upsert_vacancies

    shift = max(timedelta(0), date.today() - FIXTURES_TODAY)
    vacancies = []
    for record in _shipped("vacancies"):
        if record.get("closing_date"):
            record["closing_date"] = (date.fromisoformat(record["closing_date"]) + shift).isoformat()
        vacancies.append(record)
    with app.app_context(), transaction() as session:
        upsert_vacancies(session, vacancies, None)

    sessions = sessionmaker(app.extensions["useit_db"])
    codes = {}
    with sessions() as session, session.begin():
        codes["adviser"], _ = issue_token(session, role="adviser", name="browser adviser")
        codes["recruiter"], _ = issue_token(session, role="recruiter", name="browser recruiter", employer=TRUST)

    client = app.test_client()
    headers = {"Authorization": f"Bearer {codes['adviser']}"}
    for record in _shipped("residents"):
        body = {k: v for k, v in record.items() if k not in ("id", "persona")}
        if record["id"] in NAMED:
            body["name"] = NAMED[record["id"]]
            body["contact"] = f"{record['id']}@example.org"
        response = client.post("/api/v1/residents", json=body, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)
    return codes


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app on a fresh SQLite database, served on 127.0.0.1 at a free port for the session."""
    from werkzeug.serving import make_server

    from api import create_app
    from api.db import upgrade

    instance = tmp_path_factory.mktemp("browser-instance")
    url = f"sqlite:///{instance / 'browser.db'}"
    with pytest.MonkeyPatch.context() as patch:
        for name in _APP_ENV:
            patch.delenv(name, raising=False)
        patch.setenv("USEIT_INSTANCE_DIR", str(instance))
        upgrade(url)
        app = create_app(
            test_config={
                "DATABASE_URL": url,
                "RATELIMIT_ENABLED": False,
                "SECRET_KEY": "browser-tests-only-not-a-secret",
            }
        )
        codes = _load_fixtures(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
        thread.start()
        try:
            yield Site(f"http://127.0.0.1:{server.server_port}", app, codes["adviser"], codes["recruiter"], NAMED)
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
            app.extensions["useit_db"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once for the session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """tests/browser/screenshots/, emptied of the last run's pictures."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@dataclass
class Problems:
    """What went wrong in the pages of one test: console errors, page exceptions, CSP violations."""

    messages: list[str] = field(default_factory=list)
    #: Statuses a test provokes on purpose (a form sent back with 422, a bad access code's 401):
    #: Chromium reports the document's status to the console as "Failed to load resource".
    expected_statuses: set[int] = field(default_factory=set)

    def console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "assert"):
            return
        url = message.location.get("url") or ""
        status = re.search(r"status of (\d{3})", message.text)
        if status and int(status.group(1)) in self.expected_statuses:
            return
        self.messages.append(f"console {message.type}: {message.text} ({url})")

    def request_failed(self, request: Request) -> None:
        # Leaving a page cancels its suggestion fetches still in flight (net::ERR_ABORTED): not a fault.
        if request.failure != "net::ERR_ABORTED":
            self.messages.append(f"request failed: {request.method} {request.url} ({request.failure})")


def _open_page(
    browser: Browser, site: Site, screenshot_dir: Path, request: pytest.FixtureRequest, **context_options: Any
) -> Iterator[tuple[Page, Problems, Callable[[str], Path]]]:
    context = browser.new_context(
        base_url=site.url, accept_downloads=True, locale="en-GB", timezone_id="Europe/London", **context_options
    )
    context.set_default_timeout(15_000)
    context.add_init_script(_WATCH_CSP)
    page = context.new_page()
    problems = Problems()
    page.on("console", problems.console)
    page.on("pageerror", lambda error: problems.messages.append(f"uncaught exception: {error}"))
    page.on("requestfailed", problems.request_failed)
    steps = iter(range(1, 100))
    name = request.node.name.removeprefix("test_")

    def shoot(step: str) -> Path:
        """Save a full-page screenshot of this step, after checking the page's skeleton."""
        path = screenshot_dir / f"{name}-{next(steps):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        skeleton = page.evaluate(_SKELETON, (page.viewport_size or {"width": 0})["width"])
        assert skeleton == {"first": "skip", "title_markup": False, "h1": 1, "overflow": 0}, (step, skeleton)
        return path

    try:
        yield page, problems, shoot
    finally:
        context.close()
    assert not problems.messages, "the pages reported problems:\n" + "\n".join(problems.messages)


@pytest.fixture
def desktop(
    browser: Browser, site: Site, screenshot_dir: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Page, Problems, Callable[[str], Path]]]:
    """A fresh browser context (no cookies) at a laptop's size: the page, its problems, a screenshotter."""
    yield from _open_page(browser, site, screenshot_dir, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(
    browser: Browser, site: Site, screenshot_dir: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Page, Problems, Callable[[str], Path]]]:
    """A fresh browser context the size of a phone (390 x 844, touch), as most residents would use."""
    yield from _open_page(
        browser,
        site,
        screenshot_dir,
        request,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
