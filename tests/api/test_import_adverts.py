"""Bulk import's answer: a dry run says what each row or advert would become, and a pasted advert
says what was read and what was skipped, line by line."""

from __future__ import annotations

from flask.testing import FlaskClient

from .support import REPO_ROOT, TRUST, unique

URL = "/api/v1/vacancies/import"
ADVERTS = REPO_ROOT / "fixtures" / "intake" / "adverts"


def _advert(name: str, marker: str) -> str:
    """A fixture advert with a reference no other test uses."""
    text = (ADVERTS / name).read_text(encoding="utf-8")
    return text.replace("C9389-26-0455", f"{marker}-1").replace("C9389-26-0412", f"{marker}-1")


def _references(client: FlaskClient, headers: dict[str, str], marker: str) -> list[str]:
    items = client.get("/api/v1/vacancies?per_page=100", headers=headers).get_json()["items"]
    return [item["reference"] for item in items if str(item["reference"]).startswith(marker)]


def test_a_dry_run_of_an_advert_says_what_it_would_become_and_writes_nothing(
    db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    marker = unique("DRY")
    text = _advert("staff_nurse_band5_emergency.txt", marker)
    response = db_client.post(
        URL + "?dry_run=true", data=text.encode(), headers={**recruiter_headers, "Content-Type": "text/plain"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["dry_run"], body["valid"], body["references"]) == (True, 1, [f"{marker}-1"])
    [would_be] = body["vacancies"]
    vacancy = would_be["vacancy"]
    assert (vacancy["reference"], vacancy["title"], vacancy["band"], vacancy["hours_per_week"]) == (
        f"{marker}-1",
        "Staff Nurse - Emergency Department",
        "5",
        37.5,
    )
    assert vacancy["essential"][0] == "Registered Nurse (RN/RMN/RNLD) with current NMC registration (A/C)"
    assert len(would_be["requirements"]) == len(vacancy["essential"]) + len(vacancy["desirable"])
    assert all({"text", "kind", "essential"} <= set(requirement) for requirement in would_be["requirements"])
    # Line by line: the details and criteria read, the overview, notes and checks skipped.
    read = {(item["line"], item["field"]) for item in body["advert"]["read"]}
    assert {(5, "title"), (9, "band"), (10, "hours"), (24, "essential"), (28, "desirable")} <= read
    skipped = [(run["line"], run["end_line"], run["reason"]) for run in body["advert"]["skipped"]]
    assert (19, 21, "about the job") in skipped
    assert (49, 50, "notes and checks") in skipped
    assert _references(db_client, recruiter_headers, marker) == []


def test_a_dry_run_of_a_csv_lists_each_vacancy_and_its_requirements(
    db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    marker = unique("DRYCSV")
    text = (
        "Reference,Job title,Employer,Band,Hours,Essential criteria\n"
        f'{marker}-1,Porter,{TRUST},Band 2,37.5,"Good standard of literacy and numeracy (A)\n'
        'Willing to work shifts, including nights (I)"\n'
        f"{marker}-2,Domestic Assistant,{TRUST},Band 2,Full time,Able to follow cleaning schedules\n"
    )
    response = db_client.post(
        URL + "?dry_run=true", data=text.encode(), headers={**recruiter_headers, "Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [entry["vacancy"]["reference"] for entry in body["vacancies"]] == [f"{marker}-1", f"{marker}-2"]
    assert body["vacancies"][0]["vacancy"]["essential"] == [
        "Good standard of literacy and numeracy (A)",
        "Willing to work shifts, including nights (I)",
    ]
    assert [len(entry["requirements"]) for entry in body["vacancies"]] == [2, 1]
    assert "advert" not in body  # a CSV has rows, not an advert's lines
    assert _references(db_client, recruiter_headers, marker) == []


def test_importing_an_advert_reports_its_reading_with_the_counts(
    db_client: FlaskClient, recruiter_headers: dict[str, str]
) -> None:
    marker = unique("ADVREAD")
    text = _advert("porter_band2_nhsjobs.txt", marker)
    response = db_client.post(URL, data=text.encode(), headers={**recruiter_headers, "Content-Type": "text/plain"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["dry_run"], body["created"], body["updated"]) == (False, 1, 0)
    reasons = {run["reason"] for run in body["advert"]["skipped"]}
    assert {"about the job", "about the employer", "not imported", "notes and checks"} <= reasons
    assert _references(db_client, recruiter_headers, marker) == [f"{marker}-1"]
