"""vacancies.markers: method-of-assessment and E/D markers read off person-specification lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vacancies.markers import METHODS, SECTIONS, Markers, format_methods, read_markers, with_methods

A, I, T, R, C, P = METHODS  # noqa: E741 (the letters adverts print)


@pytest.mark.parametrize(
    ("line", "text", "methods", "section"),
    [
        # Brackets, as most trust adverts print them.
        ("Compassionate and caring (I)", "Compassionate and caring", (I,), None),
        ("Current NMC registration (A/I)", "Current NMC registration", (A, I), None),
        ("Good written English (A, I)", "Good written English", (A, I), None),
        ("Accurate calculations (Test)", "Accurate calculations", (T,), None),
        ("Experience of acute care, including as a student or overseas (Shortlisting)", None, (A,), None),
        ("Able to escalate a deteriorating patient (Application/Interview)", None, (A, I), None),
        ("Independent prescribing (Application form / Interview)", None, (A, I), None),
        ("OET grade B in each part (Assessed by: A/C)", "OET grade B in each part", (A, C), None),
        ("Teaching experience [A/P]", "Teaching experience", (A, P), None),
        ("Sound clinical knowledge (I/T)", "Sound clinical knowledge", (I, T), None),
        # E/D on the line itself, before or after the methods.
        ("Kind and patient (E) (I)", "Kind and patient", (I,), "essential"),
        ("Basic computer skills (D) (A/I)", "Basic computer skills", (A, I), "desirable"),
        ("Good English (A/I) (D)", "Good English", (A, I), "desirable"),
        ("NVQ Level 2 in Health and Social Care (D)", "NVQ Level 2 in Health and Social Care", (), "desirable"),
        ("Registered with the GPhC (E/A)", "Registered with the GPhC", (A,), "essential"),
        ("(E) Current NMC registration", "Current NMC registration", (), "essential"),
        ("Till or barista experience - desirable but not essential", "Till or barista experience", (), "desirable"),
        ("Car driver (desirable but not essential)", "Car driver", (), "desirable"),
        # After a dash or a label.
        ("Evidence of CPD since registration - A/I", "Evidence of CPD since registration", (A, I), None),
        ("Immediate Life Support within six months - A", "Immediate Life Support within six months", (A,), None),
        ("Passed the NMC computer-based test (CBT) – A/C", "Passed the NMC computer-based test (CBT)", (A, C), None),
        ("Acute adult nursing, overseas experience counts – App/Int", None, (A, I), None),
        ("Committed to the NHS values – Interview", "Committed to the NHS values", (I,), None),
        ("Registered Nurse (RN/RMN/RNLD) - Assessed by: A/C", "Registered Nurse (RN/RMN/RNLD)", (A, C), None),
        ("Degree in nursing - Application form, interview, certificates", "Degree in nursing", (A, I, C), None),
        ("BSc (Hons) Physiotherapy or equivalent - Shortlisting", None, (A,), None),
        ("Clinical placements - Shortlisting/Interview", "Clinical placements", (A, I), None),
        ("Good communication skills - Application Form/Interview", "Good communication skills", (A, I), None),
        ("Typing at 40 words per minute; Assessment: Test", "Typing at 40 words per minute", (T,), None),
        ("Able to lead a team. Assessed by: A/I/T", "Able to lead a team.", (A, I, T), None),
        # Bare at the end: codes joined, or method words with a capital.
        ("MRCP (UK) or equivalent A, I", "MRCP (UK) or equivalent", (A, I), None),
        ("Experience of acute care A/I", "Experience of acute care", (A, I), None),
        ("Experience of acute care Application form and interview", "Experience of acute care", (A, I), None),
        # Table columns that copying turned into tabs, pipes or runs of spaces.
        ("MBBS or equivalent\tE\tA/I", "MBBS or equivalent", (A, I), "essential"),
        ("MBBS or equivalent\tEssential\tApplication form, certificates\t\t", None, (A, C), "essential"),
        ("Previous NHS experience | D | A", "Previous NHS experience", (A,), "desirable"),
        ("Ability to communicate sensitively / A.I", "Ability to communicate sensitively", (A, I), None),
        ("MRCP (UK) or equivalent          Desirable    A, I", "MRCP (UK) or equivalent", (A, I), "desirable"),
        ("On-call rota          Essential    Assessed by: I", "On-call rota", (I,), "essential"),
        ("Registered pharmacy technician    E      A/C", "Registered pharmacy technician", (A, C), "essential"),
        # A cell that is only markers.
        ("A/I", "", (A, I), None),
        ("Interview", "", (I,), None),
        ("Application form, certificates", "", (A, C), None),
        ("E", "", (), "essential"),
    ],
)
def test_markers_as_adverts_write_them(
    line: str, text: str | None, methods: tuple[str, ...], section: str | None
) -> None:
    found = read_markers(line)
    assert (found.methods, found.section) == (methods, section)
    if text is not None:
        assert found.text == text
    assert found.text == found.text.strip()


@pytest.mark.parametrize(
    "line",
    [
        "Knowledge of Vitamin A",
        "Evidence of immunity to Hepatitis B",
        "Hepatitis B",
        "Band A",
        "GCSE English and maths at grade 4 (C)",
        "GCSE maths Grade C",
        "Vitamins A, C and D",
        "Vitamin (A)",
        "Full driving licence (Category C)",
        "Experience of working in A&E",
        "Experience in A and E",
        "Awareness of E&D (E&D)",
        "Registered with the General Pharmaceutical Council (GPhC)",
        "Knowledge of information technology (IT)",
        "Able to perform well at interview",
        "Experience of risk assessment",
        "Knowledge of Word, Excel and Outlook",
        "Completion of all forms and documents",
        "List the following (i)",
        "Evidence of CPD",
        "Immediate Life Support (ILS) or willing to complete",
        "Ward Clerk - Maternity",
        "Full time / Part time",
        "NVQ / BTEC",
    ],
)
def test_letters_and_words_that_belong_to_the_criterion_are_kept(line: str) -> None:
    assert read_markers(line) == Markers(line, (), None)


def test_the_criterion_keeps_a_letter_and_loses_only_its_marker() -> None:
    assert read_markers("Evidence of immunity to Hepatitis B (C)") == Markers(
        "Evidence of immunity to Hepatitis B", (C,), None
    )
    assert read_markers("GCSE maths at grade 4 (C) (A)") == Markers("GCSE maths at grade 4 (C)", (A,), None)
    assert read_markers("Experience of working in A&E (A/I)") == Markers("Experience of working in A&E", (A, I), None)
    assert read_markers("Vitamin A - Assessed by: I") == Markers("Vitamin A", (I,), None)


def test_methods_are_kept_in_the_order_written_once_each() -> None:
    assert read_markers("Presentation skills (P) (I/A)").methods == (P, I, A)
    assert read_markers("Literacy (A) (A/T)").methods == (A, T)


def test_methods_are_written_one_way() -> None:
    assert format_methods([A, I]) == "(A/I)"
    assert format_methods([I, A, I]) == "(I/A)"
    assert format_methods([]) == ""
    assert with_methods("Compassionate and caring", [I]) == "Compassionate and caring (I)"
    assert with_methods("Compassionate and caring", []) == "Compassionate and caring"
    assert format_methods(METHODS) == "(A/I/T/R/C/P)"


_WORD = st.sampled_from(
    "experience of working in a hospital setting registered nurse with current NMC PIN able to escalate "
    "deteriorating patient compassionate caring willing rotas nights weekends GCSE maths English "
    "NVQ level care certificate 12 months post-registration".split()
)
_CRITERION = st.lists(_WORD, min_size=1, max_size=12).map(lambda words: "Experience " + " ".join(words))


@given(_CRITERION, st.lists(st.sampled_from(METHODS), max_size=4, unique=True))
@settings(max_examples=300, deadline=None)
def test_a_criterion_written_with_its_methods_reads_back(text: str, methods: list[str]) -> None:
    assert read_markers(with_methods(text, methods)) == Markers(text, tuple(methods), None)


@given(_CRITERION, st.sampled_from(SECTIONS), st.lists(st.sampled_from(METHODS), min_size=1, max_size=3, unique=True))
@settings(max_examples=200, deadline=None)
def test_a_table_row_reads_back(text: str, section: str, methods: list[str]) -> None:
    row = f"{text}\t{section.capitalize()}\t{format_methods(methods).strip('()')}"
    assert read_markers(row) == Markers(text, tuple(methods), section)


@given(st.text(max_size=200))
@settings(max_examples=500, deadline=None)
def test_read_markers_never_raises_and_gives_known_names(text: str) -> None:
    found = read_markers(text)
    assert set(found.methods) <= set(METHODS)
    assert len(set(found.methods)) == len(found.methods)
    assert found.section in (*SECTIONS, None)
    assert found.text == " ".join(found.text.split())
    again = read_markers(found.text)
    assert again.text == found.text or not found.text


@given(st.text(alphabet="AITRCPED/,&()[]- \tabcdefghij", max_size=60))
@settings(max_examples=500, deadline=None)
def test_read_markers_never_raises_on_marker_like_text(text: str) -> None:
    found = read_markers(text)
    assert set(found.methods) <= set(METHODS)
