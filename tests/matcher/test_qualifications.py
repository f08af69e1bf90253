"""matcher.qualifications: what a resident's qualification is, given where it was awarded."""

from __future__ import annotations

import pytest

from matcher import InvalidInputError, Normaliser
from matcher.qualifications import QualificationRecogniser, RecognisedQualification, normalise_country


def best(recogniser: QualificationRecogniser, text: str, country: str | None) -> RecognisedQualification:
    found = recogniser.best(text, country)
    assert found is not None, f"{text!r} ({country}) was not recognised"
    return found


@pytest.mark.parametrize(
    ("text", "country", "concept_id", "profession", "regulator", "level"),
    [
        ("M.B.B.S.", "PK", "qual-mbbs-overseas", "doctor", "GMC", 7),
        ("MBBS, King Edward Medical University, Lahore", "PK", "qual-mbbs-overseas", "doctor", "GMC", 7),
        ("MBBS", "GB", "qual-mbbs-mbchb-uk", "doctor", "GMC", 7),
        ("B.Sc (Hons) Nursing", "GB", "qual-bsc-nursing-uk", "nurse", "NMC", 6),
        ("BSc Nursing", "PH", "qual-bsn-philippines", "nurse", "NMC", 6),
        ("BSc Nusring", "IN", "qual-bsc-nursing-overseas", "nurse", "NMC", 6),
        ("GNM from Christian Medical College Vellore", "IN", "qual-gnm-india", "nurse", "NMC", 5),
        ("B.Pharm", "NG", "qual-bpharm-overseas", "pharmacist", "GPhC", 6),
        ("Pharm.D", "PK", "qual-pharmd-overseas", "pharmacist", "GPhC", 7),
        ("BDS", "SD", "qual-bds-overseas", "dentist", "GDC", 7),
        ("Bachelor of Physiotherapy", "IN", "qual-bpt-south-asia", "physiotherapist", "HCPC", 6),
    ],
)
def test_overseas_and_uk_awards(
    recogniser: QualificationRecogniser,
    text: str,
    country: str,
    concept_id: str,
    profession: str,
    regulator: str,
    level: int,
) -> None:
    found = best(recogniser, text, country)
    assert (found.concept_id, found.profession, found.regulator, found.level) == (
        concept_id,
        profession,
        regulator,
        level,
    )
    assert 0.5 <= found.confidence <= 1.0


def test_md_depends_on_the_country(recogniser: QualificationRecogniser) -> None:
    syria = best(recogniser, "MD", "SY")
    india = best(recogniser, "MD", "IN")
    # A Syrian MD is a primary medical degree; an Indian MD is a specialist degree after an MBBS.
    assert syria.concept_id == "qual-md-primary-overseas"
    assert india.concept_id == "qual-md-postgraduate-south-asia"
    assert syria.profession == india.profession == "doctor"
    assert syria.regulator == india.regulator == "GMC"


def test_gcse_english_satisfies_functional_skills_english(recogniser: QualificationRecogniser) -> None:
    found = best(recogniser, "GCSE English grade 5", None)
    assert found.concept_id == "qual-gcse-english-grade-4"
    assert "functional-skills-english-l2" in found.satisfies
    assert found.uk is True
    assert found.level == 2


def test_country_moves_awards_given_there_up(recogniser: QualificationRecogniser) -> None:
    nowhere = recogniser.recognise("MBBS", None)
    pakistan = recogniser.recognise("MBBS", "PK")
    assert {r.concept_id for r in nowhere[:2]} == {"qual-mbbs-mbchb-uk", "qual-mbbs-overseas"}
    assert pakistan[0].concept_id == "qual-mbbs-overseas"
    assert pakistan[0].confidence > pakistan[1].confidence


@pytest.mark.parametrize(
    ("text", "resident_country", "concept_id", "award_country"),
    [
        # A UK award held by a Nigerian resident: the award is from GB, not NG.
        ("GCSE English grade 4", "NG", "qual-gcse-english-grade-4", "GB"),
        ("MBBS", "GB", "qual-mbbs-mbchb-uk", "GB"),
        ("M.B.B.S.", "PK", "qual-mbbs-overseas", "PK"),
        ("GNM", "IN", "qual-gnm-india", "IN"),
    ],
)
def test_match_country_is_the_awards_country(
    recogniser: QualificationRecogniser, text: str, resident_country: str, concept_id: str, award_country: str
) -> None:
    found = best(recogniser, text, resident_country)
    assert found.concept_id == concept_id
    assert found.country == award_country


def test_award_given_in_several_other_countries_has_no_country(recogniser: QualificationRecogniser) -> None:
    # For a Filipino resident "MD" is the primary degree; the South Asian one, also listed, is from
    # one of six countries, none of them the resident's: the country is unknown, not guessed.
    found = {r.concept_id: r for r in recogniser.recognise("MD", "PH", limit=5)}
    assert found["qual-md-primary-overseas"].country == "PH"
    assert found["qual-md-postgraduate-south-asia"].country is None


def test_nothing_recognised_for_nonsense(recogniser: QualificationRecogniser) -> None:
    assert recogniser.recognise("xqzv kwpl", "PK") == []
    assert recogniser.best("xqzv kwpl", "PK") is None


def test_limit_and_order(recogniser: QualificationRecogniser) -> None:
    found = recogniser.recognise("MBBS, King Edward Medical University, Lahore", "PK", limit=2)
    assert len(found) <= 2
    assert [r.confidence for r in found] == sorted((r.confidence for r in found), reverse=True)


def test_record_carries_provenance(recogniser: QualificationRecogniser) -> None:
    record = best(recogniser, "BDS", "SD").to_dict()
    assert set(record) == {
        "concept_id",
        "label",
        "confidence",
        "method",
        "profession",
        "regulator",
        "level",
        "country",
        "uk",
        "satisfies",
        "source",
        "as_of",
        "unconfirmed",
        "matched_label",
    }
    assert record["source"]
    assert record["as_of"]
    assert record["matched_label"] == "bds"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("PK", "PK"),
        ("pk", "PK"),
        (" ng ", "NG"),
        ("uk", "GB"),
        ("UK", "GB"),
        ("GB", "GB"),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_normalise_country(given: str | None, expected: str | None) -> None:
    assert normalise_country(given) == expected


@pytest.mark.parametrize("given", ["Narnia", "P1", "XX", "P", "12", "G-B"])
def test_bad_country_is_refused(given: str) -> None:
    with pytest.raises(InvalidInputError, match="is not a country we know"):
        normalise_country(given)


@pytest.mark.parametrize(("given", "code"), [("Pakistan", "PK"), ("PAK", "PK"), ("Syria", "SY"), ("Other", "ZZ")])
def test_a_country_may_be_named_in_english(given: str, code: str) -> None:
    assert normalise_country(given) == code


def test_recognise_reports_bad_countries_and_bad_texts_together(recogniser: QualificationRecogniser) -> None:
    with pytest.raises(InvalidInputError) as caught:
        recogniser.recognise_many(["MBBS", "", "BDS"], ["Narnia", "PK", "P1"])
    assert caught.value.message == "cannot recognise qualifications"
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("text 1: country: 'Narnia' is not a country we know")
    assert problems[1].startswith("text 3: country: 'P1' is not a country we know")
    assert problems[2] == "text 2: empty text"


def test_recognise_many_needs_one_country_per_text(recogniser: QualificationRecogniser) -> None:
    with pytest.raises(InvalidInputError, match="same length"):
        recogniser.recognise_many(["MBBS", "BDS"], ["PK"])


def test_normalise_with_attributes_follows_the_contract(recogniser: QualificationRecogniser) -> None:
    [result] = recogniser.normalise_with_attributes(["GCSE English grade 4"], "NG")
    record = result.to_dict()
    assert record["kind"] == "qualification"
    first = record["matches"][0]
    assert {"concept_id", "label", "score", "method", "esco_uri", "soc2020"} <= first.keys()
    assert {"profession", "regulator", "level", "country"} <= first.keys()
    assert (first["concept_id"], first["country"], first["level"]) == ("qual-gcse-english-grade-4", "GB", 2)


def test_recognition_uses_only_the_qualification_index(normaliser: Normaliser) -> None:
    recogniser = QualificationRecogniser(normaliser)
    assert all(r.concept_id.startswith("qual-") for r in recogniser.recognise("Staff nurse", "GB", limit=5))
