"""``useit db demo``: sample data and access codes so a fresh machine has something to look at."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from click.testing import CliRunner

from api.cli import main


def test_demo_loads_samples_once_and_prints_codes_that_sign_in(runner: CliRunner, tmp_path: Path) -> None:
    first = runner.invoke(main, ["db", "demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "34 vacancies, 41 residents" in first.output
    codes = dict(re.findall(r"^\s+(adviser|recruiter|admin)\s+(uim_\S+)$", first.output, flags=re.M))
    assert set(codes) == {"adviser", "recruiter", "admin"}
    kept = tmp_path / "instance" / "demo-access-codes.txt"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # access codes are secrets
    assert codes["adviser"] in kept.read_text()

    again = runner.invoke(main, ["db", "demo", "--if-empty"])
    assert again.exit_code == 0
    assert "already holds data" in again.output

    from api import create_app

    from .web.pages import post_form

    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    browser = app.test_client()
    assert post_form(browser, "/sign-in", {"code": codes["adviser"]}).status_code == 302
    page = browser.get("/adviser").get_data(as_text=True)
    assert "34 open vacancies" in page  # closing dates that passed are kept open for the demo
