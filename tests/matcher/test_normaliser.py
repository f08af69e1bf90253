"""matcher.normaliser: free text from residents and adverts to taxonomy concepts."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from matcher import KINDS, Concept, InvalidInputError, Normaliser, NormaliserSettings, Taxonomy
from matcher.normaliser import segments
from matcher.text import normalise_text

CONTRACT_MATCH_KEYS = {"concept_id", "label", "score", "method", "esco_uri", "soc2020"}
METHODS = {"exact", "alias", "stem", "fuzzy"}


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("taking bloods", "skill", "skill-venepuncture"),
        ("Bloods", "skill", "skill-venepuncture"),
        ("taking blood", "skill", "skill-venepuncture"),
        ("can take bloods", "skill", "skill-venepuncture"),
        ("doing obs", "skill", "skill-patient-observations"),
        ("experience of venepuncture", "skill", "skill-venepuncture"),
        ("good communication skills", "skill", "skill-communication-skills"),
        ("Excel", "skill", "skill-microsoft-excel"),
        ("HCA", "occupation", "occ-healthcare-assistant"),
        ("HCA - urgent", "occupation", "occ-healthcare-assistant"),
        ("Healthcare Assistant (Bank)", "occupation", "occ-healthcare-assistant"),
        ("RGN", "occupation", "occ-registered-nurse-adult"),
        ("Registered General Nurse", "occupation", "occ-registered-nurse-adult"),
        ("SALT", "occupation", "occ-speech-and-language-therapist"),
        ("Medical Officer", "occupation", "occ-resident-doctor"),
        ("SHO", "occupation", "occ-resident-doctor"),
        ("House Officer", "occupation", "occ-foundation-doctor"),
        ("Staff Nurse", "occupation", "occ-staff-nurse"),
        ("phlebotomist", "occupation", "occ-phlebotomist"),
    ],
)
def test_phrasings_residents_use(normaliser: Normaliser, text: str, kind: str, expected: str) -> None:
    result = normaliser.normalise(text, kind=kind)
    assert result.best is not None, f"{text!r} matched nothing"
    assert result.best.concept_id == expected, [m.concept_id for m in result.matches]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("venepunture", "skill", "skill-venepuncture"),
        ("venipunture", "skill", "skill-venepuncture"),
        ("infection controll", "skill", "skill-infection-prevention-and-control"),
        ("manual handeling", "skill", "skill-moving-and-handling"),
        ("healthcare assitant", "occupation", "occ-healthcare-assistant"),
        ("phlebotomyst", "occupation", "occ-phlebotomist"),
    ],
)
def test_typos_still_match(normaliser: Normaliser, text: str, kind: str, expected: str) -> None:
    best = normaliser.normalise(text, kind=kind).best
    assert best is not None, f"{text!r} matched nothing"
    assert best.concept_id == expected
    # A typo is never reported as an exact or alias hit (a stem hit is fine: "controll" -> "control").
    assert best.method in {"stem", "fuzzy"}
    assert best.score < 0.98


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", ["xqzv kwpl", "zzzzzzzz", "qwxj vbnm plkh"])
def test_nonsense_matches_nothing(normaliser: Normaliser, text: str, kind: str) -> None:
    assert normaliser.normalise(text, kind=kind).matches == ()


def test_exact_preferred_label_is_an_exact_match(normaliser: Normaliser) -> None:
    best = normaliser.normalise("  VENEPUNCTURE ", kind="skill").best
    assert best is not None
    assert (best.concept_id, best.score, best.method, best.matched_label) == (
        "skill-venepuncture",
        1.0,
        "exact",
        "venepuncture",
    )


def test_alias_match_says_which_label_it_matched(normaliser: Normaliser) -> None:
    best = normaliser.normalise("Taking Bloods", kind="skill").best
    assert best is not None
    assert best.method == "alias"
    assert best.label == "venepuncture"
    assert best.matched_label == "taking bloods"
    assert 0.95 < best.score < 1.0


def test_result_records_follow_the_contract(normaliser: Normaliser, taxonomy: Taxonomy) -> None:
    result = normaliser.normalise("taking bloods", kind="skill")
    record = result.to_dict()
    assert record["text"] == "taking bloods"
    assert record["kind"] == "skill"
    assert record["matches"], "expected at least one match"
    for match in record["matches"]:
        assert match.keys() >= CONTRACT_MATCH_KEYS
        assert match["method"] in METHODS
        concept = taxonomy[match["concept_id"]]
        assert (match["label"], match["esco_uri"], match["soc2020"]) == (
            concept.label,
            concept.esco_uri,
            concept.soc2020,
        )


def test_occupation_matches_carry_soc2020(normaliser: Normaliser) -> None:
    best = normaliser.normalise("HCA", kind="occupation").best
    assert best is not None
    assert best.soc2020 == "6131"


def test_segments_split_institutions_and_extras_off() -> None:
    assert segments("MBBS, King Edward Medical University, Lahore") == [
        "MBBS",
        "King Edward Medical University",
        "Lahore",
    ]
    assert segments("GNM from Christian Medical College Vellore") == ["GNM", "Christian Medical College Vellore"]
    assert segments("Accounts Clerk (Fresh Graduate)") == ["Accounts Clerk", "Fresh Graduate"]
    assert segments("Healthcare assistant") == []


def test_batch_equals_single_results_in_the_same_order(normaliser: Normaliser) -> None:
    texts = ["taking bloods", "xqzv kwpl", "doing obs", "venepunture", "taking bloods", "Excel", "manual handling"]
    batch = normaliser.normalise_many(texts, kind="skill")
    assert [r.text for r in batch] == texts
    assert [r.to_dict() for r in batch] == [normaliser.normalise(t, kind="skill").to_dict() for t in texts]


def test_batches_split_into_chunks_give_the_same_results(normaliser: Normaliser, taxonomy: Taxonomy) -> None:
    chunked = Normaliser(taxonomy, settings=NormaliserSettings(batch_size=2), kinds=["occupation"])
    texts = ["HCA", "RGN", "SALT", "House Officer", "healthcare assitant", "xqzv kwpl", "Staff Nurse / RGN"]
    assert [r.to_dict() for r in chunked.normalise_many(texts, kind="occupation")] == [
        r.to_dict() for r in normaliser.normalise_many(texts, kind="occupation")
    ]


@pytest.mark.parametrize("limit", [1, 2, 3, 8])
def test_limit_is_respected(normaliser: Normaliser, limit: int) -> None:
    result = normaliser.normalise("healthcare assistant", kind="occupation", limit=limit, cutoff=0.0)
    assert len(result.matches) == limit
    assert result.best is not None
    assert result.best.concept_id == "occ-healthcare-assistant"


def test_default_limit_comes_from_settings(normaliser: Normaliser) -> None:
    result = normaliser.normalise("healthcare assistant", kind="occupation", cutoff=0.0)
    assert len(result.matches) == normaliser.settings.limit


@pytest.mark.parametrize(("text", "at_least"), [("assistant", 3), ("nurse", 3)])
def test_a_common_word_alone_still_finds_the_roles_named_by_it(
    normaliser: Normaliser, text: str, at_least: int
) -> None:
    # Retrieval skips features found in many labels; a query made only of such words must still retrieve.
    matches = normaliser.normalise(text, kind="occupation").matches
    assert len(matches) >= at_least, [m.concept_id for m in matches]
    assert all(text in " ".join(_CURATED[m.concept_id].labels).lower() for m in matches)


@pytest.mark.parametrize("text", ["care", "caring"])
def test_care_is_not_read_as_attention_to_detail(normaliser: Normaliser, text: str) -> None:
    best = normaliser.normalise(text, kind="skill").best
    assert best is None or best.concept_id != "skill-attention-to-detail"


def test_cutoff_drops_weak_matches(normaliser: Normaliser) -> None:
    loose = normaliser.normalise("taking bloods", kind="skill", cutoff=0.0, limit=10)
    strict = normaliser.normalise("taking bloods", kind="skill", cutoff=0.9, limit=10)
    assert len(loose.matches) > len(strict.matches) >= 1
    assert all(m.score >= 0.9 for m in strict.matches)


def test_input_validation_names_every_bad_text(normaliser: Normaliser) -> None:
    longest = normaliser.settings.max_text_length
    texts = ["taking bloods", "", "   \t\n", 42, "x" * (longest + 1), "!!! ...", None, "x" * longest]
    with pytest.raises(InvalidInputError) as caught:
        normaliser.normalise_many(texts, kind="skill")  # type: ignore[arg-type]
    assert caught.value.message == "cannot normalise"
    assert caught.value.problems == [
        "text 2: empty text",
        "text 3: empty text",
        "text 4: expected a string, got int",
        f"text 5: {longest + 1:,} characters; the limit is {longest:,}",
        "text 6: no letters or digits to match",
        "text 7: expected a string, got NoneType",
    ]


def test_symbol_only_text_is_refused(normaliser: Normaliser) -> None:
    with pytest.raises(InvalidInputError, match="no letters or digits"):
        normaliser.normalise("+++", kind="skill")


@pytest.mark.parametrize("texts", ["taking bloods", 42, None])
def test_texts_must_be_a_list(normaliser: Normaliser, texts: object) -> None:
    with pytest.raises(InvalidInputError) as caught:
        normaliser.normalise_many(texts, kind="skill")  # type: ignore[arg-type]
    assert caught.value.problems == ["texts must be a list of strings"]


def test_empty_list_gives_no_results(normaliser: Normaliser) -> None:
    assert normaliser.normalise_many([], kind="skill") == []


@pytest.mark.parametrize(
    ("limit", "cutoff", "problems"),
    [
        (0, None, ["limit must be a positive integer, got 0"]),
        (-3, None, ["limit must be a positive integer, got -3"]),
        (2.5, None, ["limit must be a positive integer, got 2.5"]),
        (None, 1.5, ["cutoff must be between 0 and 1, got 1.5"]),
        (None, -0.1, ["cutoff must be between 0 and 1, got -0.1"]),
        (None, math.nan, ["cutoff must be between 0 and 1, got nan"]),
        (0, 2.0, ["limit must be a positive integer, got 0", "cutoff must be between 0 and 1, got 2.0"]),
    ],
)
def test_limit_and_cutoff_are_validated(
    normaliser: Normaliser, limit: object, cutoff: object, problems: list[str]
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        normaliser.normalise("taking bloods", kind="skill", limit=limit, cutoff=cutoff)  # type: ignore[arg-type]
    assert caught.value.problems == problems


def test_bad_texts_and_bad_limit_are_reported_together(normaliser: Normaliser) -> None:
    with pytest.raises(InvalidInputError) as caught:
        normaliser.normalise_many(["", "ok"], kind="skill", limit=0)
    assert caught.value.problems == ["text 1: empty text", "limit must be a positive integer, got 0"]


@pytest.mark.parametrize("kind", ["job", "skills", "", "Skill"])
def test_unknown_kind_is_rejected(normaliser: Normaliser, kind: str) -> None:
    with pytest.raises(InvalidInputError, match="unknown kind") as caught:
        normaliser.normalise("taking bloods", kind=kind)
    assert "skill, occupation, qualification" in caught.value.message


def test_a_kind_the_normaliser_was_not_fitted_for_is_rejected(taxonomy: Taxonomy) -> None:
    occupations_only = Normaliser(taxonomy, kinds=["occupation"])
    assert occupations_only.label_count("occupation") > taxonomy.counts()["occupation"]
    with pytest.raises(InvalidInputError, match="not fitted for kind 'skill'"):
        occupations_only.normalise("taking bloods", kind="skill")


def test_fitting_an_unknown_kind_is_rejected(taxonomy: Taxonomy) -> None:
    with pytest.raises(InvalidInputError, match="unknown kind 'job'"):
        Normaliser(taxonomy, kinds=["job"])


def test_a_kind_with_no_concepts_matches_nothing() -> None:
    tiny = Taxonomy([Concept("skill-a", "skill", "venepuncture")])
    normaliser = Normaliser(tiny)
    assert normaliser.label_count("occupation") == 0
    assert normaliser.normalise("healthcare assistant", kind="occupation").matches == ()
    best = normaliser.normalise("venepuncture", kind="skill").best
    assert best is not None
    assert best.concept_id == "skill-a"


def test_custom_fuzz_scorer_is_used(taxonomy: Taxonomy) -> None:
    calls: list[tuple[str, str]] = []

    def scorer(a: str, b: str, **_: object) -> float:
        calls.append((a, b))
        return 0.0

    normaliser = Normaliser(taxonomy, kinds=["skill"], fuzz_scorer=scorer)
    normaliser.normalise("venepunture", kind="skill")
    assert calls
    assert all(query == "venepunture" for query, _ in calls)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trainee nursing associate", "occ-trainee-nursing-associate"),
        ("Trainee pharmacy technician", "occ-trainee-pharmacy-technician"),
        ("trainee pharmacist", "occ-foundation-trainee-pharmacist"),
    ],
)
def test_preferred_label_with_a_filler_word_ranks_its_own_concept_first(
    normaliser: Normaliser, text: str, expected: str
) -> None:
    best = normaliser.normalise(text, kind="occupation").best
    assert best is not None
    assert best.concept_id == expected


# -- settings --------------------------------------------------------------------------------


def test_settings_defaults_are_valid() -> None:
    defaults = NormaliserSettings()
    assert 0 < defaults.cutoff < 1
    assert defaults.candidates >= defaults.limit


def test_settings_report_every_problem_at_once() -> None:
    with pytest.raises(InvalidInputError) as caught:
        NormaliserSettings(
            cutoff=1.5,
            max_df=2.0,
            limit=0,
            batch_size=-1,
            max_text_length=0,
            char_ngram_range=(5, 3),
            weight_fuzz=-1.0,
        )
    assert caught.value.message == "invalid normaliser settings"
    assert caught.value.problems == [
        "cutoff must be between 0 and 1, got 1.5",
        "max_df must be between 0 and 1, got 2.0",
        "limit must be a positive integer, got 0",
        "max_text_length must be a positive integer, got 0",
        "batch_size must be a positive integer, got -1",
        "char_ngram_range must satisfy 1 <= low <= high <= 8, got (5, 3)",
        "weight_fuzz must not be negative",
    ]


def test_settings_candidates_must_cover_the_limit() -> None:
    with pytest.raises(InvalidInputError) as caught:
        NormaliserSettings(limit=10, candidates=5)
    assert caught.value.problems == ["candidates must be at least limit"]


def test_settings_replace_validates_again_and_refuses_unknown_names() -> None:
    defaults = NormaliserSettings()
    assert defaults.replace(cutoff=0.7).cutoff == 0.7
    assert defaults.cutoff == 0.5
    with pytest.raises(InvalidInputError) as caught:
        defaults.replace(cutof=0.7, limt=3)
    assert caught.value.problems == ["unknown setting 'cutof'", "unknown setting 'limt'"]
    with pytest.raises(InvalidInputError, match="cutoff must be between 0 and 1"):
        defaults.replace(cutoff=7)


def test_settings_of_the_wrong_type_are_reported_not_crashed_on() -> None:
    with pytest.raises(InvalidInputError) as caught:
        NormaliserSettings(cutoff="0.5", limit="5")  # type: ignore[arg-type]
    problems = "\n".join(caught.value.problems)
    assert "cutoff" in problems
    assert "limit" in problems


def test_filler_words_depend_on_kind() -> None:
    defaults = NormaliserSettings()
    assert "skills" in defaults.filler("skill")
    assert "vacancy" in defaults.filler("occupation")
    # Qualifications keep every word: "Level 2" or "Hons" can decide which award it is.
    assert defaults.filler("qualification") == frozenset()
    with pytest.raises(InvalidInputError):
        defaults.filler("job")


# -- properties ------------------------------------------------------------------------------

_CURATED = Taxonomy.load_default()
_CONCEPTS = list(_CURATED)
_TEXT_WITH_LETTERS = st.text(min_size=1, max_size=80).filter(lambda t: any(ch.isalpha() for ch in t))


@given(st.sampled_from(_CONCEPTS))
@settings(max_examples=100, deadline=None)
def test_property_a_preferred_label_ranks_its_concept_first(normaliser: Normaliser, concept: Concept) -> None:
    result = normaliser.normalise(normalise_text(concept.label), kind=concept.kind)
    best = result.best
    assert best is not None
    if best.concept_id != concept.id:
        # Allowed only as a tie at 1.0 with another concept that has the very same label.
        mine = [m for m in result.matches if m.concept_id == concept.id]
        assert best.score == 1.0
        assert mine
        assert mine[0].score == 1.0
        other = _CURATED[best.concept_id]
        assert normalise_text(concept.label) in {normalise_text(label) for label in other.labels}


@given(_TEXT_WITH_LETTERS, st.sampled_from(KINDS), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
@settings(max_examples=100, deadline=None)
def test_property_raising_the_cutoff_never_adds_matches(
    normaliser: Normaliser, text: str, kind: str, a: float, b: float
) -> None:
    assume(normalise_text(text))
    low, high = sorted((a, b))
    loose = normaliser.normalise(text, kind=kind, cutoff=low).matches
    strict = normaliser.normalise(text, kind=kind, cutoff=high).matches
    assert strict == loose[: len(strict)]
    assert all(m.score >= high for m in strict)
    assert all(m.score < high for m in loose[len(strict) :])


@given(_TEXT_WITH_LETTERS, st.sampled_from(KINDS))
@settings(max_examples=50, deadline=None)
def test_property_normalising_is_deterministic(normaliser: Normaliser, text: str, kind: str) -> None:
    assume(normalise_text(text))
    first = normaliser.normalise(text, kind=kind, cutoff=0.0)
    second = normaliser.normalise_many([text, text], kind=kind, cutoff=0.0)
    assert first.to_dict() == second[0].to_dict() == second[1].to_dict()


@given(_TEXT_WITH_LETTERS, st.sampled_from(KINDS), st.integers(1, 20))
@settings(max_examples=100, deadline=None)
def test_property_scores_are_within_0_and_1_and_sorted(
    normaliser: Normaliser, text: str, kind: str, limit: int
) -> None:
    assume(normalise_text(text))
    matches = normaliser.normalise(text, kind=kind, cutoff=0.0, limit=limit).matches
    assert len(matches) <= limit
    scores = [m.score for m in matches]
    assert all(0.0 <= s <= 1.0 for s in scores), scores
    assert scores == sorted(scores, reverse=True)
    assert len({m.concept_id for m in matches}) == len(matches), "a concept appears twice"
    assert all(m.method in METHODS for m in matches)


@given(st.sampled_from(_CONCEPTS), st.sampled_from(["", " ", "  "]), st.booleans())
@settings(max_examples=50, deadline=None)
def test_property_case_and_spacing_do_not_change_the_result(
    normaliser: Normaliser, concept: Concept, pad: str, upper: bool
) -> None:
    text = concept.label.upper() if upper else concept.label
    plain = normaliser.normalise(concept.label, kind=concept.kind)
    varied = normaliser.normalise(f"{pad}{text}{pad}", kind=concept.kind)
    assert [(m.concept_id, m.score) for m in varied.matches] == [(m.concept_id, m.score) for m in plain.matches]
