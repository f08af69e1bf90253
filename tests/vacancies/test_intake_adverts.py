"""vacancies.intake.adverts: adverts pasted as free text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vacancies.intake_support import (
    SAMPLES,
    TRUST,
    assert_rejected,
    where,
)
from vacancies.intake import (
    ImportReport,
    parse_advert,
    parse_file,
    parse_json,
)
from vacancies.intake.report import SKIP_REASONS
from vacancies.markers import read_markers


def test_advert_sample_keeps_polish_and_arabic() -> None:
    [vacancy] = parse_file(SAMPLES / "advert_staff_nurse.txt").records
    assert "język polski" in vacancy.desirable[1]
    assert "العربية" in vacancy.desirable[1]


# -- free-text adverts --------------------------------------------------------------------------
def test_advert_sample_with_labels_and_headings_inside_sections() -> None:
    report = parse_file(SAMPLES / "advert_staff_nurse.txt")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.reference, vacancy.title, vacancy.employer) == (
        "C9-389-26-0401",
        "Staff Nurse - Acute Medical Unit",
        TRUST,
    )
    assert (vacancy.band, vacancy.contract, vacancy.hours, vacancy.closing_date) == (
        "5",
        "permanent",
        37.5,
        date(2026, 12, 31),
    )
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.working_pattern) == (
        29970,
        36483,
        ["full_time", "flexible"],
    )
    assert vacancy.essential == [
        "Current NMC registration as an adult nurse",
        "Evidence of continuing professional development",
        "Experience of caring for acutely unwell adults, including patients with complex needs",
        "Able to recognise and escalate a deteriorating patient (NEWS2)",
        "Effective written and spoken communication in English",
    ]
    assert vacancy.essential_context == [
        "Qualifications",
        "Qualifications",
        "Experience",
        "Knowledge and skills",
        "Knowledge and skills",
    ]
    assert len(vacancy.desirable) == 2
    assert vacancy.desirable_context == []


def test_advert_sample_pasted_from_an_nhs_jobs_page() -> None:
    report = parse_file(SAMPLES / "advert_porter.txt")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.reference, vacancy.title, vacancy.employer, vacancy.band) == (
        "C9-389-26-0402",
        "Porter",
        TRUST,
        "2",
    )
    assert (vacancy.site, vacancy.town, vacancy.closing_date) == (
        "Midland Metropolitan University Hospital",
        "Smethwick",
        date(2026, 12, 14),
    )
    assert vacancy.working_pattern == ["full_time", "shifts"]
    assert vacancy.essential == ["Good standard of spoken English", "Able to work as part of a team"]
    assert vacancy.desirable == [
        "NVQ Level 2 in Health and Social Care",
        "Experience of moving and handling people safely",
    ]
    assert vacancy.essential_context == ["Qualifications", "Experience"]
    assert vacancy.desirable_context == ["Qualifications", "Experience"]


ADVERT_HEAD = "Job title: Porter\nReference: R-1\nEmployer: SWBH\n"


@pytest.mark.parametrize(
    "spec",
    [
        "Essential criteria\n- Team work\n- Lifting\nDesirable criteria\n- NVQ 2",
        "ESSENTIAL\n* Team work\n* Lifting\nDESIRABLE\n* NVQ 2",
        "Essential:\n1. Team work\n2. Lifting\n\nDesirable:\n1) NVQ 2",
        "## Essential\n• Team work\n• Lifting\n## Desirable\n• NVQ 2",
        "**Essential**\nTeam work\nLifting\n\n**Desirable**\nNVQ 2",
        "Essential: Team work\nLifting\nDesirable: NVQ 2",
        "Essential criteria\nQualifications:\n- Team work\nExperience: Lifting\nDesirable\n- NVQ 2",
    ],
)
def test_advert_person_specification_variants(spec: str) -> None:
    report = parse_advert(ADVERT_HEAD + "\n" + spec + "\n")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.essential, vacancy.desirable) == (["Team work", "Lifting"], ["NVQ 2"])


@pytest.mark.parametrize(
    "head",
    [
        "Job title: Porter\nReference: R-1\nEmployer: SWBH\nBand: Band 2\nClosing date: 14/12/2026",
        "JOB TITLE: Porter\nREFERENCE: R-1\nEMPLOYER: SWBH\nBAND: AfC Band 2\nCLOSING DATE: 14 December 2026",
        "Job title\tPorter\nJob reference\tR-1\nEmployer\tSWBH\nBand\tband 2\nClosing date\t2026-12-14",
        "**Job title:** Porter\n**Reference:** R-1\n**Employer:** SWBH\n**Band:** 2\n**Closing date:** 14/12/2026",
        "Job title\nPorter\nReference number\nR-1\nEmployer name\nSWBH\nBand\nBand 2\nClosing date\n14/12/2026",
    ],
)
def test_advert_label_variants(head: str) -> None:
    report = parse_advert(head + "\n\nEssential\n- Team work\n")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.title, vacancy.reference, vacancy.employer, vacancy.band) == ("Porter", "R-1", "SWBH", "2")
    assert vacancy.closing_date == date(2026, 12, 14)


def test_advert_prose_and_unknown_labels_are_ignored() -> None:
    text = (
        ADVERT_HEAD + "Date posted: 25 November 2026\nPay scheme: Agenda for change\n\nJob summary\n"
        "Please note: we welcome applications from refugees.\n\nEssential\n- Team work\n\n"
        "Disclosure and Barring Service Check\nThis post is subject to a DBS check.\n"
    )
    [vacancy] = parse_advert(text).records
    assert vacancy.essential == ["Team work"]


def test_advert_labels_after_the_specification_end_it() -> None:
    text = "Job title: Porter\nEmployer: SWBH\nEssential\n- Team work\nDesirable\n- NVQ 2\nReference: R-1\n"
    [vacancy] = parse_advert(text).records
    assert (vacancy.reference, vacancy.desirable) == ("R-1", ["NVQ 2"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Employer: SWBH\nEssential\n- Team work\n", [(None, "reference"), (None, "title")]),
        (ADVERT_HEAD + "\nJob summary\nWe move patients.\n", [(None, "essential")]),
        (ADVERT_HEAD + "Essential criteria\n\nDesirable\n- NVQ 2\n", [(None, "essential")]),
        (ADVERT_HEAD + "Band: Band 12\nEssential\n- Team work\n", [(4, "Band")]),
        (ADVERT_HEAD + "Closing date: 31/02/2027\nEssential\n- Team work\n", [(4, "Closing date")]),
        (ADVERT_HEAD + "Essential\n- Team work\n- " + "x" * 2001 + "\n", [(6, "essential[1]")]),
        (ADVERT_HEAD + "Band: 2\nBand: 3\nEssential\n- Team work\n", [(5, "Band")]),
        ("", [(None, None)]),
    ],
)
def test_bad_adverts_are_reported(text: str, expected: list[tuple[int | None, str | None]]) -> None:
    report = parse_advert(text)
    assert_rejected(report)
    assert sorted(where(report), key=str) == sorted(expected, key=str)


def test_a_missing_title_or_reference_says_so() -> None:
    report = parse_advert("Employer: SWBH\nEssential\n- Team work\n")
    messages = {p.field: p.message for p in report.problems}
    assert messages == {"reference": "required: the advert reference", "title": "required: the job title"}


def test_wrapped_bullet_lines_join_their_criterion() -> None:
    text = (
        ADVERT_HEAD + "Essential\n- Experience of caring for adults\n  with complex needs\n- Team work\nand honesty\n"
    )
    [vacancy] = parse_advert(text).records
    assert vacancy.essential == ["Experience of caring for adults with complex needs", "Team work and honesty"]


# -- headings, sections and markers as adverts write them ---------------------------------------
def criteria(text: str) -> tuple[list[str | dict[str, object]], list[str | dict[str, object]], list[str | None]]:
    """(essential, desirable, essential context) of an advert made of ADVERT_HEAD and ``text``."""
    report = parse_advert(ADVERT_HEAD + text)
    assert report.ok, [str(problem) for problem in report.problems]
    [vacancy] = report.records
    return vacancy.essential, vacancy.desirable, vacancy.essential_context


@pytest.mark.parametrize(
    ("spec", "essential", "desirable", "context"),
    [
        ("Essential Skills:\n- Team work\n", ["Team work"], [], ["Skills"]),
        ("Essential Experience Required\n- Team work\n", ["Team work"], [], ["Experience"]),
        ("Qualifications - Essential\n- NVQ 2\n", ["NVQ 2"], [], ["Qualifications"]),
        ("Experience (Essential)\n- Team work\n", ["Team work"], [], ["Experience"]),
        ("Skills & Abilities – Essential\n- Team work\n", ["Team work"], [], ["Skills & Abilities"]),
        ("ESSENTIAL CRITERIA\n• Team work\nDesirable Criteria includes:\n• NVQ 2\n", ["Team work"], ["NVQ 2"], []),
        ("Essential requirements:\nTeam work\nDesirable but not essential:\nNVQ 2\n", ["Team work"], ["NVQ 2"], []),
        (
            "Knowledge and experience\nEssential\n- Team work\nDesirable\n- NVQ 2\n",
            ["Team work"],
            ["NVQ 2"],
            ["Knowledge and experience"],
        ),
        (
            "Essential\nKnowledge and experience\n- Team work\nDesirable\n- NVQ 2\n",
            ["Team work"],
            ["NVQ 2"],
            ["Knowledge and experience"],
        ),
    ],
)
def test_heading_forms(spec: str, essential: list[str], desirable: list[str], context: list[str]) -> None:
    assert criteria(spec) == (essential, desirable, context)


def test_a_line_that_says_desirable_moves_there_and_the_report_says_so() -> None:
    text = ADVERT_HEAD + "Essential\n- Team work\n- Till experience - desirable but not essential\n- Kind (D) (I)\n"
    report = parse_advert(text)
    [vacancy] = report.records
    assert (vacancy.essential, vacancy.desirable) == (["Team work"], ["Till experience", "Kind (I)"])
    assert report.advert is not None
    moved = [item for item in report.advert.read if item.field == "desirable"]
    assert [(item.line, item.note) for item in moved] == [(6, "moved to desirable: the line says so")] * 1 + [
        (7, "moved to desirable: the line says so")
    ]


def test_e_and_d_on_each_line_need_no_headings_and_a_line_with_neither_is_reported() -> None:
    text = ADVERT_HEAD + "Person Specification\nNMC registration (E) (A)\nMentorship (D) (A/I)\nGood at everything\n"
    report = parse_advert(text)
    [vacancy] = report.records
    assert (vacancy.essential, vacancy.desirable) == (["NMC registration (A)"], ["Mentorship (A/I)"])
    assert report.advert is not None
    [skipped] = report.advert.skipped
    assert (skipped.line, skipped.reason, skipped.text) == (7, "no section", "Good at everything")


@pytest.mark.parametrize(
    "after",
    [
        "Benefits\n- NHS pension\n- 27 days' leave",
        "About us\nWe are a teaching trust.",
        "## What we offer\n- Free parking",
        "Contact details\nJob title: Housekeeping Manager\nEmail: x@example.org",
        "What next?\nShortlisted candidates will be emailed.",
        "Please note: we may close this advert early.",
        "This post is subject to an enhanced DBS check.",
        "For further information please contact the ward manager.",
        "Further details / informal visits contact\nName\nWard Manager\nJob title\nSister",
    ],
)
def test_the_specification_ends_where_the_advert_moves_on(after: str) -> None:
    report = parse_advert(ADVERT_HEAD + "Essential\n- Team work\n\n" + after + "\n")
    assert report.ok, report.problems
    [vacancy] = report.records
    assert (vacancy.title, vacancy.essential, vacancy.desirable) == ("Porter", ["Team work"], [])
    assert report.advert is not None
    assert report.advert.skipped


@pytest.mark.parametrize(
    ("hours", "weekly", "pattern"),
    [
        ("Hours: 37.5 hours per week", 37.5, []),
        ("Hours: 37.5", 37.5, []),
        ("Hours: Full time", None, ["full_time"]),
        ("Hours: Part time 22.5 hrs", 22.5, ["part_time"]),
        ("Hours: Full time - 37.5 hours per week (including nights)", 37.5, ["full_time"]),
        ("Hours\nFull time\nPart time\n37.5 hours per week (various shifts)", 37.5, ["full_time", "part_time"]),
    ],
)
def test_hours_as_adverts_write_them(hours: str, weekly: float | None, pattern: list[str]) -> None:
    [vacancy] = parse_advert(ADVERT_HEAD + hours + "\nEssential\n- Team work\n").records
    assert (vacancy.hours, vacancy.working_pattern) == (weekly, pattern)


def test_remarks_left_out_of_a_value_are_reported() -> None:
    text = (
        ADVERT_HEAD + "Contract: Permanent: 22hrs per week on a rota\nClosing date: 14/12/2026 23:59\nEssential\n- X\n"
    )
    report = parse_advert(text)
    [vacancy] = report.records
    assert (vacancy.contract, vacancy.closing_date) == ("permanent", date(2026, 12, 14))
    assert report.advert is not None
    [contract] = [item for item in report.advert.read if item.field == "contract"]
    assert (contract.line, contract.text, contract.note) == (4, "Permanent", "left out: '22hrs per week on a rota'")


def test_a_value_in_prose_that_cannot_be_read_is_skipped_but_in_the_details_it_is_a_problem() -> None:
    prose = ADVERT_HEAD + "Job overview\nHours: various shift patterns\nEssential\n- X\n"
    report = parse_advert(prose)
    assert report.ok, report.problems
    assert report.advert is not None
    assert [(run.line, run.reason) for run in report.advert.skipped] == [(5, "value not read")]
    assert_rejected(parse_advert(ADVERT_HEAD + "Hours: various shift patterns\nEssential\n- X\n"))


def test_an_nhs_jobs_headline_gives_employer_title_and_closing_date() -> None:
    text = (
        "Sandwell Trust\nGeneral Porter\nThe closing date is 12 December 2026\nReference number\nC9-1\nEssential\n- X\n"
    )
    report = parse_advert(text)
    [vacancy] = report.records
    assert (vacancy.employer, vacancy.title, vacancy.closing_date) == (
        "Sandwell Trust",
        "General Porter",
        date(2026, 12, 12),
    )


def test_a_contact_s_job_title_is_not_the_vacancy_s() -> None:
    text = "Reference: R-1\nEmployer: SWBH\nEssential\n- X\nContact details\nJob title: Ward Manager\n"
    report = parse_advert(text)
    assert [(p.field, p.message) for p in report.problems] == [("title", "required: the job title")]
    assert report.advert is not None
    assert [(run.line, run.end_line, run.reason) for run in report.advert.skipped] == [(6, 6, "contact details")]


@pytest.mark.parametrize(
    "table",
    [
        "Criteria\tEssential\tDesirable\tHow assessed\nSkills\tTeam work\tNVQ 2\tA/I\n\tand honesty\t\t\n",
        "| Criteria | Essential | Desirable | Method of assessment |\n|---|---|---|---|\n"
        "| Skills | Team work and honesty | NVQ 2 | Application form, interview |\n",
        "| Area | Criteria | Essential | Desirable | Assessment |\n|---|---|---|---|---|\n"
        "| Skills | Team work and honesty | ✓ | | A/I |\n| | NVQ 2 | | ✓ | A/I |\n",
        "Factor    Criteria                 E/D    Assessment\nSkills    Team work and            E      A/I\n"
        "          honesty\n          NVQ 2                    D      A/I\n",
    ],
)
def test_tables_flattened_to_tabs_pipes_or_padded_columns(table: str) -> None:
    essential, desirable, context = criteria("Person specification\n" + table)
    assert (essential, desirable, context) == (["Team work and honesty (A/I)"], ["NVQ 2 (A/I)"], ["Skills"])


def test_the_report_says_what_was_read_and_skipped_and_keeps_it_when_the_advert_is_rejected() -> None:
    text = "Job title: Porter\nPay scheme: Agenda for change\nEssential\n- Team work (I)\n"
    report = parse_advert(text)
    assert_rejected(report)  # no reference, no employer
    body = report.to_dict()
    assert body["advert"]["read"] == [
        {"line": 1, "end_line": 1, "field": "title", "text": "Porter", "heading": None, "note": None},
        {"line": 3, "end_line": 3, "field": "heading", "text": "Essential", "heading": None, "note": None},
        {"line": 4, "end_line": 4, "field": "essential", "text": "Team work (I)", "heading": None, "note": None},
    ]
    [skipped] = body["advert"]["skipped"]
    assert skipped == {
        "line": 2,
        "end_line": 2,
        "part": None,
        "reason": "not imported",
        "why": "'Pay scheme' is not a field this service imports",
        "text": "Pay scheme: Agenda for change",
    }
    assert "advert" not in parse_json('[{"reference": "R", "title": "T", "employer": "E"}]').to_dict()


def test_a_numbered_table_exported_with_slashes() -> None:
    # A trust's Word person specification saved as text: "No. / Criterion / M.O.A." rows.
    spec = (
        "Person Specification\n"
        "Essential criteria / Necessary requirements / * M.O.A.\n"
        "1 / Relevant experience of supporting someone to maintain their dignity / A.I\n"
        "2 / Ability to cope with the physical demands of moving and handling / I\n"
        "Desirable criteria\n"
        "1 / NVQ Level 3 in Health and Social Care or equivalent / A\n"
        "* M.O.A. = Method of assessment: A = Application, I = Interview\n"
    )
    assert criteria(spec) == (
        [
            "Relevant experience of supporting someone to maintain their dignity (A/I)",
            "Ability to cope with the physical demands of moving and handling (I)",
        ],
        ["NVQ Level 3 in Health and Social Care or equivalent (A)"],
        [],
    )


def covered_lines(report: ImportReport, text: str) -> tuple[set[int], set[int], set[int]]:
    """(lines read, lines skipped, non-blank lines) of an advert's report."""
    lines = text.splitlines()
    assert report.advert is not None
    read = {n for item in report.advert.read for n in range(item.line, item.end_line + 1) if lines[n - 1].strip()}
    skipped = {n for run in report.advert.skipped for n in range(run.line, run.end_line + 1) if lines[n - 1].strip()}
    return read, skipped, {n for n, line in enumerate(lines, start=1) if line.strip()}


@given(st.text(max_size=600))
@settings(max_examples=300, deadline=None)
def test_parse_advert_never_raises_and_accounts_for_every_line(text: str) -> None:
    report = parse_advert(text)
    assert report.problems or report.records
    assert not (report.problems and report.records)
    read, skipped, lines = covered_lines(report, text.removeprefix("\ufeff"))
    assert read | skipped == lines
    assert not read & skipped
    assert all(run.reason in SKIP_REASONS for run in report.advert.skipped)


_ADVERT_LINE = st.sampled_from(
    [
        "Job title: Porter",
        "Reference: R-1",
        "Employer: SWBH",
        "Band: Band 2",
        "Band",
        "Band 2",
        "Hours",
        "Full time",
        "37.5 hours per week (shifts)",
        "Job locations",
        "B66 2QT",
        "Essential",
        "Desirable criteria:",
        "Qualifications - Essential",
        "Essential Skills:",
        "Desirable but not essential:",
        "Experience",
        "Qualifications: NVQ",
        "Person Specification",
        "Job overview",
        "Contact details",
        "Please note: we may close early",
        "Key: A = Application, I = Interview",
        "Criteria\tEssential\tDesirable\tHow assessed",
        "Skills\tTeam work\tNVQ 2\tA/I",
        "\tor equivalent\t\t",
        "| Criteria | Essential | Desirable | Method of assessment |",
        "|---|---|---|---|",
        "| Skills | Team work | | I |",
        "Factor    Criteria        E/D    Assessment",
        "Skills    Team work       E      A/I",
        "          continued here",
        "- Team work (E) (A/I)",
        "- Hepatitis B (C)",
        "Kind and caring (D) - Interview",
        "No previous experience required",
        "  continued",
        "Employer details",
        "Employer heading",
        "The closing date is 12 December 2026",
        "Closing date\t31/02/2027",
        "Page 1 of 2",
        "",
    ]
)


@given(st.lists(_ADVERT_LINE | st.text(max_size=40), max_size=40))
@settings(max_examples=400, deadline=None)
def test_parse_advert_never_raises_on_shuffled_advert_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    report = parse_advert(text)
    assert report.problems or report.records
    read, skipped, non_blank = covered_lines(report, text)
    assert read | skipped == non_blank
    assert not read & skipped
    for vacancy in report.records:
        for criterion in [*vacancy.essential, *vacancy.desirable]:
            assert isinstance(criterion, str)
            assert read_markers(criterion).section is None
