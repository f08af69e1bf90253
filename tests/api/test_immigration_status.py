"""The resident profile's immigration status through the API (issue 11): validated, it settles
the right to work when that is not stated, countries may be named in English, and a recruiter
never sees it."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.api.support import assert_error, hca_profile

URL = "/api/v1/residents"


@pytest.mark.parametrize(
    ("status", "stated", "stored"),
    [
        ("refugee", None, "yes"),
        ("settled", None, "yes"),
        ("british_irish", "unknown", "yes"),
        ("asylum_seeker", None, "no"),
        ("asylum_seeker", "yes", "yes"),  # permission to work after 12 months is theirs to say
        ("visa_holder", None, "unknown"),
        ("prefer_not_to_say", None, "unknown"),
    ],
)
def test_the_status_settles_the_right_to_work_only_when_not_stated(
    db_client: FlaskClient, adviser_headers: dict[str, str], status: str, stated: str | None, stored: str
) -> None:
    profile = hca_profile(immigration_status=status)
    profile.pop("right_to_work")
    if stated is not None:
        profile["right_to_work"] = stated
    response = db_client.post(URL, json=profile, headers=adviser_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    record = body.get("profile", body)
    assert record["right_to_work"] == stored
    assert record["immigration_status"] == status


def test_an_unknown_status_and_a_contradiction_are_422_naming_each(
    db_client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    bad = db_client.post(URL, json=hca_profile(immigration_status="illegal"), headers=adviser_headers)
    body = assert_error(bad, 422)
    assert any("immigration_status" in str(e) for e in body["errors"])
    clash = db_client.post(
        URL, json=hca_profile(immigration_status="british_irish", right_to_work="no"), headers=adviser_headers
    )
    body = assert_error(clash, 422)
    assert any("contradicts" in str(e) for e in body["errors"])


def test_countries_may_be_named_and_are_stored_as_codes(
    db_client: FlaskClient, adviser_headers: dict[str, str]
) -> None:
    profile = hca_profile(
        qualifications=[{"title": "BSc Nursing", "country": "Philippines"}],
        experience=[{"title": "Staff Nurse", "years": 4, "country": "United Arab Emirates"}],
    )
    response = db_client.post(URL, json=profile, headers=adviser_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    record = body.get("profile", body)
    assert record["qualifications"][0]["country"] == "PH"
    assert record["experience"][0]["country"] == "AE"
    unknown = db_client.post(
        URL, json=hca_profile(qualifications=[{"title": "MBBS", "country": "Narnia"}]), headers=adviser_headers
    )
    body = assert_error(unknown, 422)
    assert any("'Narnia' is not a country we know" in str(e) for e in body["errors"])


def test_assess_reads_the_status_for_a_refugees_concessions(db_client: FlaskClient) -> None:
    resident = {
        "qualifications": [{"title": "MBBS", "country": "Syria"}],
        "experience": [{"title": "Medical Officer", "years": 5, "country": "Syria"}],
        "immigration_status": "refugee",
    }
    vacancy = {"title": "Clinical Fellow", "essential": [{"kind": "credential", "id": "gmc-registration"}]}
    response = db_client.post("/api/v1/assess", json={"resident": resident, "vacancy": vacancy})
    assert response.status_code == 200, response.get_data(as_text=True)
    steps = {s["credential"]: s for s in response.get_json()["pathway"]["steps"]}
    assert steps["plab-1"]["cost_gbp"] == 0
    assert any("free" in n for n in steps["plab-1"]["notes"])
    assert any("help with registration fees" in n for n in steps["gmc-registration"]["notes"])
    # Each figure says where it comes from and how sure it is (additive to the contract).
    fee = next(f for f in steps["plab-2"]["facts"] if f["figure"] == "cost_gbp")
    assert fee["confidence"] == "third_party"
    assert fee["to_be_confirmed"] is True
    assert fee["source"].startswith("https://")
    assert steps["plab-2"]["checked"] == "December 2026"
