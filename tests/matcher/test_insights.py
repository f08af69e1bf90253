"""Insights on the shipped personas and vacancies: training that unlocks jobs, supply and demand.

Expected figures are read off fixtures/residents.json, vacancies.json, expected_outcomes.json
and pay_bands.json (never from the code under test): five overseas-trained doctors with the
right to work are one credential (GMC registration) from the clinical fellow post, r-003 with
nothing else left to do; three nurses are one registration from the staff nurse post.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matcher import ParsedVacancy, Resident, ResidentIndex, TaxonomyError, Vacancy
from matcher.assessment import Assessor
from matcher.insights import (
    OccupationBalance,
    PayBands,
    background_mix,
    load_pay_bands,
    postcode_district,
    shortfalls,
    supply_and_demand,
    town_and_site,
    training_insights,
    training_value,
)
from matcher.pay import band_key
from tests.conftest import FIXTURES_TODAY

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PAY = json.loads((FIXTURES / "pay_bands.json").read_text(encoding="utf-8"))
#: The current year's points (2026/27, derived from 2025/26 by the award): what reports quote.
POINTS = {band: list(found.points_gbp) for band, found in load_pay_bands().bands.items()}
RESIDENTS = json.loads((FIXTURES / "residents.json").read_text(encoding="utf-8"))["residents"]
EXPECTED = json.loads((FIXTURES / "expected_outcomes.json").read_text(encoding="utf-8"))
#: The keys every training insight had before salaries were added (clients rely on them).
CONTRACT_KEYS = {
    "credential",
    "label",
    "residents_unlocked",
    "vacancies_unlocked",
    "bands",
    "typical_weeks",
    "typical_cost_gbp",
}

Shipped = list[tuple[Vacancy, ParsedVacancy]]


def _pairs(shipped: Shipped) -> list[tuple[str, ParsedVacancy]]:
    return [(str(v.id), parsed) for v, parsed in shipped]


def _locations(shipped: Shipped) -> dict[str, str | None]:
    return {str(v.id): v.location for v, _ in shipped}


def _salary(bands: list[str]) -> tuple[int, int] | None:
    priced = [POINTS[b] for b in bands if b in POINTS]
    return (min(min(p) for p in priced), max(max(p) for p in priced)) if priced else None


@pytest.fixture(scope="module")
def training(shipped_index: ResidentIndex, shipped_vacancies: Shipped) -> dict[str, dict[str, Any]]:
    found = training_insights(shipped_index, _pairs(shipped_vacancies), top=50, with_vacancies=True)
    return {item["credential"]: item for item in found}


def test_expected_outcomes_name_gmc_registration_as_a_single_missing_step() -> None:
    """The premise of the next test: r-003 needs only GMC registration for v-013, on this date."""
    case = next(c for c in EXPECTED["cases"] if (c["resident"], c["vacancy"]) == ("r-003", "v-013"))
    assert case["pathway"] == ["gmc-registration"]
    assert date.fromisoformat(EXPECTED["today"]) == FIXTURES_TODAY


def test_gmc_registration_unlocks_most_residents(
    shipped_index: ResidentIndex, shipped_vacancies: Shipped, training: dict[str, dict[str, Any]]
) -> None:
    ranked = training_insights(shipped_index, _pairs(shipped_vacancies))
    # The Care Certificate is first: seven doctors and nurses trained abroad are one certificate
    # from the senior healthcare assistant post (their degrees and English count as level 2).
    assert [i["credential"] for i in ranked[:2]] == ["care-certificate", "gmc-registration"]
    assert training["care-certificate"]["residents_unlocked"] == 7
    gmc = training["gmc-registration"]
    # r-001..r-005 and r-028: MBBS or MD holders with the right to work; only registration is unmet.
    assert gmc["residents_unlocked"] == 6
    assert gmc["vacancies"] == [
        {"id": "v-013", "title": "Clinical Fellow (Resident Doctor) - Acute Medicine", "band": None},
        # Four years' postgraduate training is met by years as a Medical Officer or GP abroad.
        {"id": "v-014", "title": "Specialty Doctor - General Internal Medicine", "band": None},
    ]
    assert gmc["salary_min_gbp"] is None  # doctors are not on Agenda for Change
    assert gmc["typical_weeks"] == 60.0


def test_counts_only_residents_whose_route_is_open(training: dict[str, dict[str, Any]]) -> None:
    """Porters and taxi drivers are not 'one HCPC registration away' from a physiotherapy post."""
    # The physiotherapist, on the physiotherapists' part of the HCPC register.
    assert training["hcpc-registration-physiotherapist"]["residents_unlocked"] == 1
    # r-006, r-007, r-008, r-015, r-029: acute care abroad counts, as the advert says; the staff
    # nurse post names the adult field of the register.
    assert training["nmc-registration-nurse-adult"]["residents_unlocked"] == 5
    assert all(item["typical_weeks"] and item["typical_weeks"] > 0 for item in training.values())


def test_ranking_is_by_residents_then_vacancies(shipped_index: ResidentIndex, shipped_vacancies: Shipped) -> None:
    ranked = training_insights(shipped_index, _pairs(shipped_vacancies), top=50)
    keys = [(-i["residents_unlocked"], -i["vacancies_unlocked"], i["credential"]) for i in ranked]
    assert keys == sorted(keys)
    assert len(training_insights(shipped_index, _pairs(shipped_vacancies), top=2)) == 2


def test_salary_ranges_come_from_the_pay_fixture(training: dict[str, dict[str, Any]]) -> None:
    nurse = training["nmc-registration-nurse-adult"]
    assert nurse["bands"] == ["5"]
    assert (nurse["salary_min_gbp"], nurse["salary_max_gbp"]) == (
        32_074,
        39_043,
    )  # band 5, 2026/27: 2025/26 (DOMAIN.md) + 3.3%
    for item in training.values():
        expected = _salary(item["bands"])
        assert (item["salary_min_gbp"], item["salary_max_gbp"]) == (expected or (None, None)), item


def test_the_contract_only_grows(shipped_index: ResidentIndex, shipped_vacancies: Shipped) -> None:
    plain = training_insights(shipped_index, _pairs(shipped_vacancies))
    assert plain
    for item in plain:
        assert set(item) >= CONTRACT_KEYS
        assert "vacancies" not in item  # only when asked for
        assert {"salary_min_gbp", "salary_max_gbp"} <= set(item)


def test_a_different_pay_scale_changes_the_salaries(
    shipped_index: ResidentIndex, shipped_vacancies: Shipped, tmp_path: Path
) -> None:
    path = tmp_path / "pay.json"
    path.write_text(
        json.dumps(
            {
                **{k: v for k, v in PAY.items() if k not in ("years", "current")},
                "year": "2030/31",
                "bands": [{"band": "Band 5", "points_gbp": [30_000, 40_000]}],
            }
        ),
        encoding="utf-8",
    )
    found = {
        i["credential"]: i
        for i in training_insights(shipped_index, _pairs(shipped_vacancies), top=50, pay=load_pay_bands(path))
    }
    adult = found["nmc-registration-nurse-adult"]
    assert (adult["salary_min_gbp"], adult["salary_max_gbp"]) == (30_000, 40_000)
    assert found["nmc-registration-midwife"]["salary_min_gbp"] is None  # band 6 is not on that scale


# -- pay bands ------------------------------------------------------------------------------------


def test_shipped_2025_26_pay_bands_match_domain_md() -> None:
    pay = load_pay_bands(year="2025/26")
    assert pay.year == "2025/26"
    assert pay.source.startswith("https://")
    assert pay.as_of
    assert pay.confidence == "official"
    # DOMAIN.md (audit of 2026-12-01): the 2025/26 award of 3.6%, every band 2-9.
    expected = {"2": (24_465, 24_465), "3": (24_937, 26_598), "4": (27_485, 30_162), "5": (31_049, 37_796)}
    expected |= {"6": (38_682, 46_580), "7": (47_810, 54_710), "8a": (55_690, 62_682), "8b": (64_455, 74_896)}
    expected |= {"8c": (76_965, 88_682), "8d": (91_342, 105_337), "9": (109_179, 125_637)}
    for band, low_high in expected.items():
        assert pay.get(band) == low_high, band
    assert pay.bands["5"].points_gbp == (31_049, 33_487, 37_796)
    assert pay.get("1") is None  # closed to new entrants: no salary
    # Band 8 intermediate points come from a third-party copy of the table and say so.
    assert set(pay.provenance()["unconfirmed_bands"]) == {"8a", "8b", "8c", "8d"}


def test_the_current_year_is_2026_27_derived_from_2025_26_by_the_3_3_percent_award() -> None:
    pay = load_pay_bands()
    base = load_pay_bands(year="2025/26")
    assert pay.year == "2026/27"
    assert pay.confidence == "derived"
    assert pay.derived_from == "2025/26"
    assert "derived" in pay.label
    assert "to be confirmed" in pay.label
    for band, found in base.bands.items():
        assert pay.bands[band].points_gbp == tuple(round(p * 1.033) for p in found.points_gbp)
        assert pay.bands[band].confidence == "derived"
    assert pay.get("5") == (32_074, 39_043)
    assert PayBands.load_default() == pay


@pytest.mark.parametrize(
    ("text", "key"),
    [("5", "5"), ("Band 5", "5"), (" band 8A ", "8a"), ("AfC Band 3", "3"), ("8e", None), ("", None), (None, None)],
)
def test_band_names_are_read_as_adverts_write_them(text: str | None, key: str | None) -> None:
    assert band_key(text) == key


def test_a_bad_pay_file_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "pay.json"
    path.write_text(
        json.dumps({"scale": "x", "bands": [{"band": "Z", "points_gbp": [1]}, {"band": "2", "points_gbp": []}]}),
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as caught:
        load_pay_bands(path)
    problems = " ".join(caught.value.problems)
    for fragment in ("source", "as_of", "year", "bands[0].band", "bands[1].points_gbp"):
        assert fragment in problems
    with pytest.raises(TaxonomyError):
        load_pay_bands(tmp_path / "missing.json")


# -- supply and demand ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(shipped_index: ResidentIndex, shipped_vacancies: Shipped) -> dict[str, Any]:
    found = supply_and_demand(shipped_index, _pairs(shipped_vacancies), locations=_locations(shipped_vacancies))
    return found.to_dict()


def _occupation(report: dict[str, Any], occupation_id: str) -> dict[str, Any]:
    return next(o for o in report["occupations"] if o["occupation_id"] == occupation_id)


def test_totals(report: dict[str, Any]) -> None:
    assert report["residents"] == len(RESIDENTS) == 41
    assert report["open_vacancies"] == 34
    assert report["unclassified_vacancies"] == 0
    assert report["pay"]["year"] == "2026/27"


def test_staff_nurses_are_plentiful_but_few_are_eligible_yet(report: dict[str, Any]) -> None:
    nurse = _occupation(report, "occ-staff-nurse")
    # Ten residents hold a nursing qualification; two (r-039, r-040) are NMC registered in the adult field.
    assert (nurse["demand"], nurse["supply"], nurse["eligible_now"]) == (1, 10, 2)
    assert (nurse["salary_min_gbp"], nurse["salary_max_gbp"]) == (32_074, 39_043)
    assert nurse["bands"] == ["5"]


def test_related_supply_counts_the_same_family(report: dict[str, Any]) -> None:
    senior = _occupation(report, "occ-senior-healthcare-assistant")
    assert senior["supply"] == 0  # nobody has held the title
    # Residents who worked as healthcare assistants or maternity support workers (clinical support).
    assert senior["supply_related"] == 8
    for row in report["occupations"]:
        assert row["supply_related"] >= row["supply"], row


def test_jobs_residents_held_before_are_listed_without_demand(report: dict[str, Any]) -> None:
    care = _occupation(report, "occ-care-worker")
    assert (care["demand"], care["supply"], care["nhs"]) == (0, 12, False)
    demands = [row["demand"] for row in report["occupations"]]
    assert demands == sorted(demands, reverse=True)


def test_eligible_now_agrees_with_assessing_everyone(
    assessor: Assessor, shipped_index: ResidentIndex, shipped_vacancies: Shipped, report: dict[str, Any]
) -> None:
    """The exhaustive assessment is the oracle: with 41 residents retrieval reaches everyone."""
    eligible: dict[str, set[int]] = {}
    anyone: set[int] = set()
    for _, parsed in shipped_vacancies:
        rows = {r.index for r in shipped_index.assess_all(parsed, limit=1_000) if r.assessment.eligible_now}
        anyone |= rows
        if parsed.occupation_id:
            eligible.setdefault(parsed.occupation_id, set()).update(rows)
    for occupation, rows in eligible.items():
        assert _occupation(report, occupation)["eligible_now"] == len(rows), occupation
    assert report["eligible_now"] == len(anyone)
    assert _occupation(report, "occ-healthcare-assistant")["eligible_now"] > 20  # most can apply now


def test_a_small_retrieval_says_its_counts_are_lower_bounds(
    shipped_index: ResidentIndex, shipped_vacancies: Shipped, report: dict[str, Any]
) -> None:
    small = supply_and_demand(shipped_index, _pairs(shipped_vacancies), per_vacancy=3).to_dict()
    hca = _occupation(small, "occ-healthcare-assistant")
    assert hca["eligible_now"] <= 3 * hca["demand"]  # at most 3 per vacancy
    assert hca["eligible_now_capped"] is True
    assert _occupation(report, "occ-healthcare-assistant")["eligible_now_capped"] is False


def test_residents_by_postcode_district(report: dict[str, Any]) -> None:
    expected = Counter(r["postcode"].split()[0] for r in RESIDENTS)
    found = {d["district"]: d["residents"] for d in report["areas"]["districts"]}
    assert found == dict(expected)
    assert found["B66"] == 14
    b18 = next(d for d in report["areas"]["districts"] if d["district"] == "B18")
    assert b18["right_to_work"] == 8  # r-014 has no right to work; r-019's is unknown, ...
    assert b18["eligible_now"] <= b18["right_to_work"]


def test_vacancies_by_town(report: dict[str, Any]) -> None:
    towns = {t["town"]: t for t in report["areas"]["towns"]}
    assert {name: t["vacancies"] for name, t in towns.items()} == {
        "Smethwick": 17,
        "Birmingham": 11,
        "West Bromwich": 5,
        "Oldbury": 1,
    }
    assert towns["Smethwick"]["sites"][0] == {"site": "Midland Metropolitan University Hospital", "vacancies": 16}


def test_nothing_identifies_a_resident(
    shipped_index: ResidentIndex, shipped_vacancies: Shipped, report: dict[str, Any]
) -> None:
    text = json.dumps(report) + json.dumps(
        training_insights(shipped_index, _pairs(shipped_vacancies), top=50, with_vacancies=True)
    )
    for resident in RESIDENTS:
        assert resident["id"] not in text
        assert resident["postcode"] not in text  # districts only
    for district in report["areas"]["districts"]:
        assert set(district) == {"district", "residents", "right_to_work", "eligible_now"}


def test_erased_residents_are_not_counted(
    assessor: Assessor, shipped_residents: list[Resident], shipped_vacancies: Shipped
) -> None:
    index = ResidentIndex(assessor, shipped_residents, today=FIXTURES_TODAY)
    index.update(removed=["r-001", "r-003"])  # two of the doctors, both in B66 and B18
    found = supply_and_demand(index, _pairs(shipped_vacancies)).to_dict()
    assert found["residents"] == 39
    assert sum(d["residents"] for d in found["areas"]["districts"]) == 39
    assert _occupation(found, "occ-clinical-fellow")["supply"] == 4
    gmc = next(i for i in training_insights(index, _pairs(shipped_vacancies)) if i["credential"] == "gmc-registration")
    assert gmc["residents_unlocked"] == 4


def test_top_keeps_that_many_rows_of_each_list(shipped_index: ResidentIndex, shipped_vacancies: Shipped) -> None:
    found = supply_and_demand(shipped_index, _pairs(shipped_vacancies), locations=_locations(shipped_vacancies), top=2)
    assert len(found.occupations) == 2
    assert len(found.districts) == 2
    assert len(found.towns) == 2
    assert found.open_vacancies == 34  # totals are never cut


def test_progress_is_reported_per_vacancy(shipped_index: ResidentIndex, shipped_vacancies: Shipped) -> None:
    ticks: list[int] = []
    supply_and_demand(shipped_index, _pairs(shipped_vacancies), progress=ticks.append)
    assert sum(ticks) == 34
    ticks.clear()
    training_insights(shipped_index, _pairs(shipped_vacancies), progress=ticks.append)
    assert sum(ticks) == 34


def test_no_vacancies_and_no_residents(assessor: Assessor, shipped_vacancies: Shipped) -> None:
    empty = ResidentIndex(assessor, [], today=FIXTURES_TODAY)
    found = supply_and_demand(empty, _pairs(shipped_vacancies)).to_dict()
    assert (found["residents"], found["eligible_now"], found["areas"]["districts"]) == (0, 0, [])
    assert _occupation(found, "occ-staff-nurse")["supply"] == 0
    assert training_insights(empty, _pairs(shipped_vacancies)) == []


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("B66 2QT", "B66"),
        ("b66 2qt", "B66"),
        ("B662QT", "B66"),
        ("EC1A 1BB", "EC1A"),
        ("B66", "B66"),
        ("  B1  2NU ", "B1"),
        ("not a postcode", None),
        ("12345", None),
        ("", None),
        (None, None),
    ],
)
def test_postcode_district(postcode: str | None, district: str | None) -> None:
    assert postcode_district(postcode) == district


@pytest.mark.parametrize(
    ("location", "town", "site"),
    [
        (
            "Midland Metropolitan University Hospital, Smethwick",
            "Smethwick",
            "Midland Metropolitan University Hospital",
        ),
        ("Cape Hill, Smethwick (home visits across Smethwick and Bearwood)", "Smethwick", "Cape Hill"),
        ("City Hospital, Dudley Road, Birmingham, B18 7QH", "Birmingham", "City Hospital, Dudley Road"),
        ("Smethwick", "Smethwick", None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_town_and_site(location: str | None, town: str | None, site: str | None) -> None:
    assert town_and_site(location) == (town, site)


# -- views for reports ----------------------------------------------------------------------------


def test_training_value_per_pound_and_per_week() -> None:
    found = training_value(
        [
            {"credential": "a", "residents_unlocked": 4, "typical_cost_gbp": 2_000.0, "typical_weeks": 8.0},
            {"credential": "b", "residents_unlocked": 3, "typical_cost_gbp": 0.0, "typical_weeks": 16.0},
            {"credential": "c", "residents_unlocked": 2, "typical_cost_gbp": None, "typical_weeks": None},
        ]
    )
    assert [i["credential"] for i in found] == ["a", "b", "c"]  # order kept
    keys = ("fees_for_all_gbp", "residents_per_1000_gbp", "residents_per_week", "free")
    values = [tuple(i[k] for k in keys) for i in found]
    # Fees are per resident: 4 x 2,000 for all four; 1,000 pays half of one resident's fees.
    assert values[0] == (8_000.0, 0.5, 0.5, False)
    assert values[1] == (0.0, None, 3 / 16, True)  # free: no ratio per pound, but said to be free
    assert values[2] == (None, None, None, False)  # cost and length unknown: no figures, not free


def test_training_value_keeps_the_insight(training: dict[str, dict[str, Any]]) -> None:
    items = list(training.values())
    for item, valued in zip(items, training_value(items), strict=True):
        assert {k: valued[k] for k in item} == item
        if item["typical_cost_gbp"]:
            assert valued["residents_per_1000_gbp"] == pytest.approx(1_000 / item["typical_cost_gbp"])
    nmc_cbt = next(v for v in training_value(items) if v["credential"] == "nmc-cbt")
    # Three nurses; the CBT (GBP 83) is booked after the NMC's eligibility application (GBP 140).
    assert nmc_cbt["fees_for_all_gbp"] == pytest.approx(3 * (140.0 + 83.0))


def _balance(label: str, demand: int, eligible_now: int) -> OccupationBalance:
    return OccupationBalance(
        occupation_id=f"occ-{label}",
        label=label,
        family=None,
        soc2020=None,
        nhs=True,
        bands=(),
        salary_min_gbp=None,
        salary_max_gbp=None,
        demand=demand,
        supply=0,
        supply_related=0,
        eligible_now=eligible_now,
        eligible_now_capped=False,
    )


def test_shortfalls_largest_gap_first() -> None:
    rows = [_balance("a", 3, 1), _balance("b", 5, 3), _balance("c", 4, 0), _balance("d", 2, 9), _balance("e", 0, 0)]
    assert [o.label for o in shortfalls(rows)] == ["c", "b", "a"]  # gaps 4, 2 (demand 5), 2 (demand 3)
    assert [o.label for o in shortfalls(rows, top=1)] == ["c"]


def test_shortfalls_on_the_shipped_report(shipped_index: ResidentIndex, shipped_vacancies: Shipped) -> None:
    found = shortfalls(supply_and_demand(shipped_index, _pairs(shipped_vacancies)).occupations)
    labels = {o.occupation_id for o in found}
    assert "occ-consultant-doctor" in labels  # one post, nobody on the GMC Specialist Register
    assert "occ-healthcare-assistant" not in labels  # most residents can apply now
    assert all(o.demand > o.eligible_now for o in found)


def test_background_mix_of_the_personas(shipped_index: ResidentIndex) -> None:
    found = background_mix(shipped_index)
    # r-001 to r-015 and most of r-028 to r-041 trained as doctors, nurses, a midwife, pharmacists,
    # a physiotherapist, a biomedical scientist and a dentist, or work as healthcare assistants; the
    # others have worked only in care, retail, cleaning, warehouses, driving and school jobs.
    assert found.to_dict() == {"residents": 41, "nhs": 27, "other_only": 14, "none": 0}
    assert found.nhs + found.other_only + found.none == len(RESIDENTS)


def test_background_mix_counts_qualifications_and_skips_erased(
    assessor: Assessor, shipped_residents: list[Resident]
) -> None:
    nurse_on_paper = Resident.from_dict({"id": "q", "qualifications": [{"title": "BSc Nursing", "country": "IN"}]})
    nothing = Resident.from_dict({"id": "n", "skills": ["cooking"]})
    index = ResidentIndex(assessor, [*shipped_residents, nurse_on_paper, nothing], today=FIXTURES_TODAY)
    index.update(removed=["r-024"])  # a retail assistant
    assert background_mix(index).to_dict() == {"residents": 42, "nhs": 28, "other_only": 13, "none": 1}
