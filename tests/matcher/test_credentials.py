"""matcher.credentials: the credential graph and the regulators' English rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matcher import TaxonomyError
from matcher.credentials import CredentialGraph, SuggestedFirst, expression_ids
from matcher.profile import LanguageTest

TODAY = date(2026, 11, 25)

#: DESIGN.md: the minimum vocabulary of canonical credential ids ("add more, never rename").
CANONICAL_IDS = [
    "english-gmc",
    "plab-1",
    "plab-2",
    "gmc-registration",
    "english-nmc",
    "nmc-cbt",
    "nmc-osce",
    "nmc-registration-nurse",
    "nmc-registration-midwife",
    "nmc-registration-nursing-associate",
    "english-hcpc",
    "english-hcpc-slt",
    "hcpc-registration",
    "ibms-certificate",
    "english-ospap",
    "ospap",
    "pharmacy-foundation-year",
    "gphc-assessment",
    "gphc-registration",
    "ore-1",
    "ore-2",
    "gdc-registration",
    "care-certificate",
    "functional-skills-english-l2",
    "functional-skills-maths-l2",
    "nursing-associate-fdsc",
    "dbs-enhanced",
    "right-to-work",
]
PARTS = ("listening", "reading", "writing", "speaking")


def ielts(overall: float, *, writing: float | None = None, each: float | None = None, **kw: Any) -> LanguageTest:
    """An IELTS result: every part ``each`` (default: the overall band), writing overridable."""
    parts: dict[str, float | str] = {p: each if each is not None else overall for p in PARTS}
    if writing is not None:
        parts["writing"] = writing
    return LanguageTest(
        kw.get("test", "IELTS Academic"), {"overall": overall, **parts}, kw.get("taken", date(2026, 3, 1))
    )


def toefl(total: int, *, taken: date = date(2026, 3, 1)) -> LanguageTest:
    return LanguageTest("TOEFL iBT", {"overall": float(total), **{p: 25.0 for p in PARTS}}, taken)


def oet(*, writing: str = "B", others: str = "B", taken: date | None = date(2026, 5, 20)) -> LanguageTest:
    return LanguageTest("OET", {"listening": others, "reading": others, "writing": writing, "speaking": others}, taken)


# -- the shipped graph ---------------------------------------------------------------------------
@pytest.mark.parametrize("credential_id", CANONICAL_IDS)
def test_every_canonical_id_is_in_the_graph(credential_graph: CredentialGraph, credential_id: str) -> None:
    assert credential_id in credential_graph


def test_every_rule_carries_its_source_and_date(credential_graph: CredentialGraph) -> None:
    undated = [c.id for c in credential_graph if not c.source or not c.as_of]
    assert undated == []
    for requirement in credential_graph.english.values():
        assert requirement.source, requirement.id
        assert requirement.as_of, requirement.id


def test_right_to_work_is_a_gate_and_nothing_else_is(credential_graph: CredentialGraph) -> None:
    assert [c.id for c in credential_graph if c.is_gate] == ["right-to-work"]
    # Every step a pathway can contain has a duration; only the gate and credentials no route
    # plans (the GMC's specialist register, registration where a nurse trained) have none.
    untimed = [c.id for c in credential_graph if c.weeks is None]
    assert [c for c in untimed if not credential_graph[c].extra.get("no_planned_route")] == ["right-to-work"]


def test_prerequisites_follow_the_regulators_routes(credential_graph: CredentialGraph) -> None:
    def requires(credential_id: str) -> set[str]:
        return expression_ids(credential_graph[credential_id].requires)

    assert "english-gmc" in requires("plab-1")
    assert "plab-1" in requires("plab-2")
    assert {"english-gmc", "plab-2"} <= requires("gmc-registration")
    # NMC order (DOMAIN.md, audit of 2026-12-01): the eligibility and qualification application
    # first, then the CBT the NMC invites; English evidence goes with the registration
    # application, before the OSCE.
    assert requires("nmc-application") == set()
    assert requires("nmc-cbt") == {"nmc-application"}
    assert {"nmc-cbt", "english-nmc"} <= requires("nmc-osce")
    assert "english-nmc" not in requires("nmc-cbt") | requires("nmc-application")
    # Nursing associate apprentices aged 19+ need not achieve level 2 English and maths since
    # Feb 2025: no longer a national prerequisite (an advert that asks says so itself).
    assert requires("nursing-associate-fdsc") == set()
    assert "english-hcpc-slt" in requires("hcpc-registration-slt")
    assert {"english-hcpc", "ibms-certificate"} <= requires("hcpc-registration-biomedical-scientist")
    assert "ore-1" in requires("ore-2")


def test_unknown_credential_lookup_names_the_id(credential_graph: CredentialGraph) -> None:
    with pytest.raises(KeyError, match="no-such-credential"):
        credential_graph["no-such-credential"]


# -- English -------------------------------------------------------------------------------------
def test_ielts_7_with_writing_6_5_fails_gmc_naming_each_shortfall(credential_graph: CredentialGraph) -> None:
    result = ielts(7.0, writing=6.5, each=7.0)
    verdict = credential_graph.evaluate_english("english-gmc", [result], TODAY)
    assert not verdict.met
    assert verdict.evidence == result
    assert len(verdict.shortfalls) == 2
    assert any(s.startswith("writing 6.5") and "7" in s for s in verdict.shortfalls), verdict.shortfalls
    assert any(s.startswith("overall 7") and "7.5" in s for s in verdict.shortfalls), verdict.shortfalls


def test_ielts_7_with_writing_6_5_meets_nmc(credential_graph: CredentialGraph) -> None:
    result = ielts(7.0, writing=6.5, each=7.0)
    verdict = credential_graph.evaluate_english("english-nmc", [result], TODAY)
    assert verdict.met
    assert verdict.evidence == result
    assert verdict.shortfalls == ()


@pytest.mark.parametrize(
    ("requirement", "result", "met"),
    [
        ("english-gmc", ielts(7.5, each=7.0), True),
        ("english-gmc", ielts(8.0, writing=6.5), False),
        ("english-gmc", oet(), True),
        ("english-gmc", oet(writing="C+"), False),
        ("english-gmc", oet(others="A"), True),
        ("english-nmc", oet(writing="C+"), True),
        ("english-nmc", oet(writing="C"), False),
        ("english-nmc", oet(writing="A", others="C+"), False),
        ("english-nmc", ielts(7.0, writing=6.0, each=7.0), False),
        ("english-nmc", ielts(6.5, each=7.0), False),
        ("english-hcpc", ielts(7.0, each=6.5), True),
        ("english-hcpc", ielts(7.0, writing=6.0, each=7.0), False),
        ("english-hcpc-slt", ielts(8.0, each=7.5), True),
        ("english-hcpc-slt", ielts(7.5, each=7.5), False),
        # GPhC: IELTS Academic 7.0 overall AND 7.0 in every part, or OET (Pharmacy) B in all four.
        ("english-ospap", ielts(7.0, each=7.0), True),
        ("english-ospap", ielts(7.0, writing=6.5, each=7.0), False),
        ("english-ospap", ielts(7.5, each=6.5), False),
        ("english-ospap", oet(), True),
        ("english-ospap", oet(writing="C+"), False),
        # HCPC: TOEFL iBT 100 (SLT 118).
        ("english-hcpc", toefl(100), True),
        ("english-hcpc", toefl(99), False),
        ("english-hcpc-slt", toefl(110), False),
    ],
)
def test_english_thresholds(
    credential_graph: CredentialGraph, requirement: str, result: LanguageTest, met: bool
) -> None:
    assert credential_graph.evaluate_english(requirement, [result], TODAY).met is met


@pytest.mark.parametrize("requirement", ["english-gmc", "english-nmc", "english-hcpc"])
@pytest.mark.parametrize(
    ("taken", "met"),
    [
        (date(2026, 11, 24), True),
        (date(2024, 11, 26), True),
        (date(2024, 11, 25), True),  # exactly 24 months: still valid on the day
        (date(2024, 11, 24), False),
        (date(2023, 1, 4), False),
        (date(2026, 12, 1), False),  # dated in the future: not a real result
    ],
)
def test_a_result_is_valid_for_24_months(
    credential_graph: CredentialGraph, requirement: str, taken: date, met: bool
) -> None:
    for result in (ielts(8.5, taken=taken), oet(others="A", writing="A", taken=taken)):
        verdict = credential_graph.evaluate_english(requirement, [result], TODAY)
        assert verdict.met is met, (result, verdict)
        if not met:
            assert any(taken.isoformat() in s for s in verdict.shortfalls), verdict.shortfalls


def test_an_expired_result_names_the_24_month_rule(credential_graph: CredentialGraph) -> None:
    verdict = credential_graph.evaluate_english("english-nmc", [ielts(8.0, taken=date(2024, 5, 18))], TODAY)
    assert not verdict.met
    assert verdict.shortfalls == ("taken 2024-05-18, more than 24 months ago",)


@pytest.mark.parametrize("name", ["IELTS General Training", "IELTS General", "ielts general training (GT)"])
@pytest.mark.parametrize("requirement", ["english-gmc", "english-nmc", "english-hcpc", "english-ospap"])
def test_ielts_general_training_is_not_academic(credential_graph: CredentialGraph, requirement: str, name: str) -> None:
    verdict = credential_graph.evaluate_english(requirement, [ielts(9.0, test=name)], TODAY)
    assert not verdict.met
    assert any("General Training" in s for s in verdict.shortfalls), verdict.shortfalls


def test_ielts_gt_abbreviation_is_not_academic(credential_graph: CredentialGraph) -> None:
    verdict = credential_graph.evaluate_english("english-nmc", [ielts(9.0, test="IELTS GT")], TODAY)
    assert not verdict.met


def test_one_good_result_among_several_is_enough(credential_graph: CredentialGraph) -> None:
    expired = ielts(8.5, taken=date(2023, 6, 1))
    short = ielts(7.0, writing=6.5, each=7.0)
    good = oet(taken=date(2026, 5, 20))
    verdict = credential_graph.evaluate_english("english-gmc", [expired, short, good], TODAY)
    assert verdict.met
    assert verdict.evidence == good


def test_parts_from_different_sittings_are_not_combined_for_the_gmc(credential_graph: CredentialGraph) -> None:
    # Writing 7.5 in one sitting and the rest in another: each sitting is judged on its own.
    first = ielts(7.5, writing=6.5, each=7.5, taken=date(2026, 2, 1))
    second = ielts(7.0, writing=7.5, each=6.5, taken=date(2026, 3, 1))
    assert not credential_graph.evaluate_english("english-gmc", [first, second], TODAY).met


@pytest.mark.parametrize(
    ("first_taken", "second_taken", "met"),
    [
        (date(2026, 2, 7), date(2026, 6, 13), True),  # 4 months apart
        (date(2025, 12, 5), date(2026, 10, 5), True),  # 10 months: within the NMC's 12 (since Feb 2023)
        (date(2025, 8, 1), date(2026, 10, 1), False),  # 14 months: too far apart
    ],
)
def test_nmc_combines_two_sittings_within_12_months(
    credential_graph: CredentialGraph, first_taken: date, second_taken: date, met: bool
) -> None:
    # Reading short in the first sitting, writing short in the second: together every part is met,
    # and no score is below the NMC's minimum for combining (6.5; writing 6.0).
    first = ielts(7.0, each=7.0, taken=first_taken)
    first = LanguageTest(first.test, {**first.components, "reading": 6.5}, first.taken)
    second = ielts(7.0, writing=6.0, each=7.5, taken=second_taken)
    assert not credential_graph.evaluate_english("english-nmc", [first], TODAY).met
    assert not credential_graph.evaluate_english("english-nmc", [second], TODAY).met
    assert credential_graph.evaluate_english("english-nmc", [first, second], TODAY).met is met


def test_no_result_at_all_says_so(credential_graph: CredentialGraph) -> None:
    verdict = credential_graph.evaluate_english("english-nmc", [], TODAY)
    assert not verdict.met
    assert verdict.evidence is None
    assert verdict.shortfalls == ("no accepted English test result",)


# -- loading and validating a graph --------------------------------------------------------------
def credential(cid: str, requires: Any = None, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "label": cid.title(), "kind": "exam", "requires": requires, "weeks": 4, **extra}


def write_graph(tmp_path: Path, credentials: list[Any], english: list[Any] | None = None) -> Path:
    path = tmp_path / "credentials.json"
    path.write_text(
        json.dumps(
            {"source": "test", "as_of": "2026-11-25", "credentials": credentials, "english_requirements": english or []}
        ),
        encoding="utf-8",
    )
    return path


def test_a_small_valid_graph_loads(tmp_path: Path) -> None:
    path = write_graph(
        tmp_path,
        [credential("lang"), credential("exam-1", "lang"), credential("reg", {"all": ["exam-1", "lang"]})],
        [{"id": "lang", "validity_months": 24, "accepted": [{"test": "OET", "writing": "B"}]}],
    )
    graph = CredentialGraph.load(path)
    assert [c.id for c in graph] == ["lang", "exam-1", "reg"]
    assert graph.metadata["source"] == "test"
    assert graph.evaluate_english("lang", [oet()], TODAY).met


def test_the_loader_reports_unknown_prerequisites_and_cycles_all_at_once(tmp_path: Path) -> None:
    path = write_graph(
        tmp_path,
        [
            credential("a", "b"),
            credential("b", {"all": ["c", "ghost-1"]}),
            credential("c", {"any": ["a", "ghost-2"]}),
            credential("solo", "ghost-3"),
            credential("solo"),
        ],
        [{"id": "english-nowhere", "accepted": []}],
    )
    with pytest.raises(TaxonomyError) as excinfo:
        CredentialGraph.load(path)
    problems = excinfo.value.problems
    assert "b: requires unknown credential 'ghost-1'" in problems
    assert "c: requires unknown credential 'ghost-2'" in problems
    assert "solo: duplicate credential id" in problems
    assert "english-nowhere: English requirement without a credential of that id" in problems
    cycles = [p for p in problems if p.startswith("prerequisite cycle")]
    assert len(cycles) == 1, problems
    assert all(name in cycles[0] for name in ("a", "b", "c"))


def test_a_self_cycle_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError) as excinfo:
        CredentialGraph.load(write_graph(tmp_path, [credential("loop", {"all": ["loop"]})]))
    assert excinfo.value.problems == ["prerequisite cycle: loop -> loop"]


def test_the_loader_reports_every_malformed_record(tmp_path: Path) -> None:
    path = write_graph(
        tmp_path,
        [{"id": "no-label", "kind": "exam"}, "not an object", credential("bad-weeks", weeks=-2), credential("fine")],
    )
    with pytest.raises(TaxonomyError) as excinfo:
        CredentialGraph.load(path)
    assert excinfo.value.problems == [
        "credentials[0]: needs id, label and kind",
        "credentials[1]: needs id, label and kind",
        "credentials[2] (bad-weeks): weeks must be a non-negative number",
    ]


def test_record_and_graph_problems_are_reported_together(tmp_path: Path) -> None:
    path = write_graph(tmp_path, [{"id": "no-label", "kind": "exam"}, credential("x", "ghost")])
    with pytest.raises(TaxonomyError) as excinfo:
        CredentialGraph.load(path)
    problems = excinfo.value.problems
    assert "credentials[0]: needs id, label and kind" in problems
    assert "x: requires unknown credential 'ghost'" in problems


def test_a_malformed_prerequisite_expression_is_reported(tmp_path: Path) -> None:
    path = write_graph(tmp_path, [credential("a"), credential("b", {"al": ["a"]})])
    with pytest.raises(TaxonomyError):
        CredentialGraph.load(path)


def test_an_unreadable_graph_is_a_taxonomy_error(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="cannot read credential graph"):
        CredentialGraph.load(path)
    with pytest.raises(TaxonomyError, match="cannot read credential graph"):
        CredentialGraph.load(tmp_path / "missing.json")


# -- suggested-first steps -----------------------------------------------------------------------
@pytest.mark.parametrize("subject", ["english", "maths"])
def test_functional_skills_level_2_suggests_level_1_first_typed(
    credential_graph: CredentialGraph, subject: str
) -> None:
    level_2 = credential_graph[f"functional-skills-{subject}-l2"]
    [suggestion] = level_2.suggested_first
    assert isinstance(suggestion, SuggestedFirst)
    assert suggestion.id == f"functional-skills-{subject}-l1"
    assert suggestion.no_qualification_at_or_above_level == 1
    assert suggestion.source
    assert suggestion.as_of
    assert suggestion.note
    assert "suggested_first" not in level_2.extra
    assert (credential_graph[suggestion.id].level, level_2.level) == (1, 2)


@pytest.mark.parametrize(
    ("at_level", "levels", "applies"),
    [(1, (), True), (1, (1,), False), (1, (2, 6), False), (2, (1,), True), (2, (1, 3), False)],
)
def test_a_suggestion_applies_only_without_a_qualification_at_or_above_its_level(
    at_level: int, levels: tuple[int, ...], applies: bool
) -> None:
    assert SuggestedFirst("first", no_qualification_at_or_above_level=at_level).applies(levels) is applies


def test_the_loader_reports_every_malformed_suggestion(tmp_path: Path) -> None:
    level_1 = {"no_qualification_at_or_above_level": 1}
    path = write_graph(
        tmp_path,
        [
            credential("ghostly", suggested_first=[{"id": "ghost", "when": level_1}]),
            credential("no-when", suggested_first=[{"id": "ghostly"}]),
            credential("odd-when", suggested_first=[{"id": "ghostly", "when": {"moon": "full"}}]),
            credential(
                "bad-level", suggested_first=[{"id": "ghostly", "when": {"no_qualification_at_or_above_level": 9}}]
            ),
            credential("not-a-list", suggested_first={"id": "ghostly"}),
            credential("bad-own-level", level="two"),
            credential("first", suggested_first=[{"id": "second", "when": level_1}]),
            credential("second", "first"),
        ],
    )
    with pytest.raises(TaxonomyError) as excinfo:
        CredentialGraph.load(path)
    problems = excinfo.value.problems
    assert "credentials[1] (no-when): suggested_first[0] (ghostly): needs a 'when' condition" in problems
    assert "credentials[2] (odd-when): suggested_first[0] (ghostly): unknown condition(s) moon" in problems
    bad_level = "no_qualification_at_or_above_level must be a level 1-8"
    assert f"credentials[3] (bad-level): suggested_first[0] (ghostly): {bad_level}" in problems
    assert "credentials[4] (not-a-list): suggested_first must be a list, got {'id': 'ghostly'}" in problems
    assert "credentials[5] (bad-own-level): level must be an RQF/FHEQ level 1-8" in problems
    assert "ghostly: suggests unknown credential 'ghost' first" in problems
    # A suggested-first step is ordered before its credential, so it can close a cycle too.
    assert any(p.startswith("prerequisite cycle") and "first" in p and "second" in p for p in problems), problems
