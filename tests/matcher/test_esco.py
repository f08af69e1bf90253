"""matcher.esco: building a taxonomy from the ESCO CSV download.

Tests on tiny hand-written CSVs always run; tests on ESCO v1.1.1 itself (marked ``esco``) skip
with a message when ../shared/data/esco is absent.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from matcher import Concept, Normaliser, Taxonomy, TaxonomyError
from matcher.esco import ESCO_ATTRIBUTION, import_esco, read_esco

OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"
OCC_COLUMNS = [
    "conceptType",
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "code",
]
SKILL_COLUMNS = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


@pytest.fixture
def tiny_esco(tmp_path: Path) -> Path:
    write_csv(
        tmp_path / "occupations_en.csv",
        OCC_COLUMNS,
        [
            {
                "conceptUri": OCC + "o1",
                "iscoGroup": "3221",
                "preferredLabel": "nurse",
                "altLabels": "staff nurse\nRN",
                "status": "released",
            },
            {"conceptUri": OCC + "o2", "preferredLabel": "old job", "status": "deprecated"},
        ],
    )
    write_csv(
        tmp_path / "skills_en.csv",
        SKILL_COLUMNS,
        [
            {
                "conceptUri": SKILL + "s1",
                "skillType": "skill/competence",
                "preferredLabel": "perform venepuncture",
                "altLabels": "take blood | draw blood\nperform venepuncture",
                "hiddenLabels": "venipuncture",
                "status": "released",
            },
            {"conceptUri": SKILL + "s2", "skillType": "knowledge", "preferredLabel": "anatomy", "status": "released"},
            {"conceptUri": SKILL + "s3", "preferredLabel": "unused skill", "status": "released"},
        ],
    )
    write_csv(
        tmp_path / "occupationSkillRelations.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [
            {"occupationUri": OCC + "o1", "relationType": "essential", "skillUri": SKILL + "s1"},
            {"occupationUri": OCC + "o2", "relationType": "essential", "skillUri": SKILL + "s1"},
            {"occupationUri": OCC + "o1", "relationType": "optional", "skillUri": SKILL + "s2"},
        ],
    )
    return tmp_path


def test_read_esco_on_a_tiny_download(tiny_esco: Path) -> None:
    concepts = {c.id: c for c in read_esco(tiny_esco)}
    # Deprecated concepts are left out.
    assert set(concepts) == {"occ-esco-o1", "skill-esco-s1", "skill-esco-s2", "skill-esco-s3"}
    nurse = concepts["occ-esco-o1"]
    assert (nurse.kind, nurse.label, nurse.alt_labels, nurse.esco_uri) == (
        "occupation",
        "nurse",
        ("staff nurse", "RN"),
        OCC + "o1",
    )
    assert nurse.attributes["isco08"] == "3221"
    assert nurse.attributes["essential_skills"] == [SKILL + "s1"]
    assert nurse.attributes["optional_skills"] == [SKILL + "s2"]
    venepuncture = concepts["skill-esco-s1"]
    # Alternative labels split on newlines and " | ", hidden labels included, the preferred label not repeated.
    assert venepuncture.alt_labels == ("take blood", "draw blood", "venipuncture")
    # Priors: log popularity over occupation links (essential 1, optional 0.5), the most linked = 1.
    assert venepuncture.prior == 1.0
    assert concepts["skill-esco-s2"].prior == pytest.approx(math.log1p(0.5) / math.log1p(2.0))
    assert concepts["skill-esco-s3"].prior == 0.0


def test_read_esco_without_relations_gives_zero_priors(tiny_esco: Path) -> None:
    (tiny_esco / "occupationSkillRelations.csv").unlink()
    assert {c.prior for c in read_esco(tiny_esco)} == {0.0}


def _missing_dir(d: Path) -> Path:
    return d / "missing"


def _no_skills_csv(d: Path) -> Path:
    (d / "skills_en.csv").unlink()
    return d


def _no_csvs(d: Path) -> Path:
    for name in ("skills_en.csv", "occupations_en.csv"):
        (d / name).unlink()
    return d


def _occupations_missing_columns(d: Path) -> Path:
    write_csv(d / "occupations_en.csv", ["conceptUri", "label"], [])
    return d


def _relations_missing_columns(d: Path) -> Path:
    write_csv(d / "occupationSkillRelations.csv", ["occupationUri"], [])
    return d


def _skills_not_utf8(d: Path) -> Path:
    (d / "skills_en.csv").write_bytes(b"conceptUri,\xff\xfe\n")
    return d


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_missing_dir, "ESCO directory not found or not a directory"),
        (_no_skills_csv, "not an ESCO download: .* lacks skills_en.csv"),
        (_no_csvs, "lacks occupations_en.csv, skills_en.csv"),
        (
            _occupations_missing_columns,
            "occupations_en.csv: not an ESCO CSV; missing columns altLabels, preferredLabel, status",
        ),
        (
            _relations_missing_columns,
            "occupationSkillRelations.csv: not an ESCO CSV; missing columns relationType, skillUri",
        ),
        (_skills_not_utf8, "cannot read .*skills_en.csv"),
    ],
    ids=["missing-dir", "no-skills-csv", "no-csvs", "missing-columns", "relations-missing-columns", "not-utf8"],
)
def test_read_esco_names_the_problem(tiny_esco: Path, damage: Callable[[Path], Path], message: str) -> None:
    with pytest.raises(TaxonomyError, match=message):
        read_esco(damage(tiny_esco))


def test_read_esco_refuses_a_download_with_nothing_released(tiny_esco: Path) -> None:
    write_csv(
        tiny_esco / "occupations_en.csv",
        OCC_COLUMNS,
        [{"conceptUri": OCC + "x", "preferredLabel": "x", "status": "deprecated"}],
    )
    write_csv(tiny_esco / "skills_en.csv", SKILL_COLUMNS, [])
    with pytest.raises(TaxonomyError, match="no released concepts"):
        read_esco(tiny_esco)


def test_import_refuses_an_unknown_mode(tiny_esco: Path) -> None:
    with pytest.raises(TaxonomyError, match="unknown import mode 'merge'; expected one of: replace, extend"):
        import_esco(tiny_esco, mode="merge")


def test_extend_absorbs_esco_labels_into_the_first_concept_with_that_uri(tiny_esco: Path) -> None:
    base = Taxonomy(
        [
            Concept("occ-adult-nurse", "occupation", "Adult nurse", ("RGN",), esco_uri=OCC + "o1"),
            Concept("occ-staff-nurse", "occupation", "Staff nurse", ("SN",), esco_uri=OCC + "o1"),
            Concept("skill-venepuncture", "skill", "venepuncture", ("taking bloods",), esco_uri=SKILL + "s1"),
            Concept("qual-x", "qualification", "X"),
        ]
    )
    extended = import_esco(tiny_esco, base=base, mode="extend")
    assert extended.name == "curated+esco"
    ids = [c.id for c in extended]
    assert ids[:4] == ["occ-adult-nurse", "occ-staff-nurse", "skill-venepuncture", "qual-x"]
    # Absorbed: no ESCO concept is added for a URI a curated concept already carries.
    assert set(ids[4:]) == {"skill-esco-s2", "skill-esco-s3"}
    assert extended["occ-adult-nurse"].alt_labels == ("RGN", "nurse", "staff nurse", "RN")
    assert extended["occ-staff-nurse"].alt_labels == ("SN",)
    venepuncture = extended["skill-venepuncture"]
    assert venepuncture.alt_labels == (
        "taking bloods",
        "perform venepuncture",
        "take blood",
        "draw blood",
        "venipuncture",
    )
    assert venepuncture.prior == 1.0


def test_replace_keeps_the_curated_qualifications_only(tiny_esco: Path, taxonomy: Taxonomy) -> None:
    replaced = import_esco(tiny_esco, base=taxonomy, mode="replace")
    assert replaced.name == "esco"
    assert [c.id for c in replaced.concepts("qualification")] == [c.id for c in taxonomy.concepts("qualification")]
    assert {c.id for c in replaced.concepts("occupation")} == {"occ-esco-o1"}
    assert replaced.metadata["skill"]["licence_note"] == ESCO_ATTRIBUTION


# -- ESCO v1.1.1 itself -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def esco_concepts(esco_dir: Path) -> list[Concept]:
    return read_esco(esco_dir)


@pytest.fixture(scope="module")
def esco_extended(esco_dir: Path, taxonomy: Taxonomy) -> Taxonomy:
    return import_esco(esco_dir, base=taxonomy, mode="extend")


@pytest.fixture(scope="module")
def esco_skill_normaliser(esco_taxonomy: Taxonomy) -> Normaliser:
    return Normaliser(esco_taxonomy, kinds=["skill"])


@pytest.mark.esco
def test_read_esco_counts(esco_concepts: list[Concept]) -> None:
    kinds = [c.kind for c in esco_concepts]
    assert kinds.count("occupation") == 3_007
    assert kinds.count("skill") == 13_896
    assert len({c.id for c in esco_concepts}) == len(esco_concepts)


@pytest.mark.esco
def test_esco_priors_are_within_0_and_1(esco_concepts: list[Concept]) -> None:
    skill_priors = [c.prior for c in esco_concepts if c.kind == "skill"]
    assert all(0.0 <= p <= 1.0 for p in skill_priors)
    assert max(skill_priors) == 1.0
    assert sum(p > 0 for p in skill_priors) > 10_000
    assert {c.prior for c in esco_concepts if c.kind == "occupation"} == {0.0}


@pytest.mark.esco
def test_replace_mode_is_esco_plus_curated_qualifications(esco_taxonomy: Taxonomy, taxonomy: Taxonomy) -> None:
    assert esco_taxonomy.counts() == {
        "skill": 13_896,
        "occupation": 3_007,
        "qualification": taxonomy.counts()["qualification"],
    }
    assert all(c.id.startswith(("occ-esco-", "skill-esco-")) for c in esco_taxonomy if c.kind != "qualification")
    assert [c.id for c in esco_taxonomy.concepts("qualification")] == [c.id for c in taxonomy.concepts("qualification")]


@pytest.mark.esco
def test_extend_mode_keeps_every_curated_concept(esco_extended: Taxonomy, taxonomy: Taxonomy) -> None:
    for concept in taxonomy:
        kept = esco_extended[concept.id]
        assert (kept.kind, kept.label, kept.esco_uri) == (concept.kind, concept.label, concept.esco_uri)
        # Curated alternatives come first and stay; ESCO's are added after them.
        assert kept.alt_labels[: len(concept.alt_labels)] == concept.alt_labels


@pytest.mark.esco
def test_extend_mode_absorbs_esco_concepts_with_a_curated_uri(
    esco_extended: Taxonomy, esco_concepts: list[Concept], taxonomy: Taxonomy
) -> None:
    owners = {**taxonomy.by_esco_uri("occupation"), **taxonomy.by_esco_uri("skill")}
    absorbed = [c for c in esco_concepts if c.esco_uri in owners and owners[c.esco_uri].kind == c.kind]
    assert len(absorbed) > 100
    added = {c.id for c in esco_extended if c.id not in taxonomy}
    assert not added & {c.id for c in absorbed}, "an ESCO concept was both absorbed and added"
    assert len(esco_extended) == len(taxonomy) + len(esco_concepts) - len(absorbed)
    for esco in absorbed:
        assert esco.esco_uri is not None
        owner = esco_extended[owners[esco.esco_uri].id]
        assert esco.label == owner.label or esco.label in owner.alt_labels, (esco.label, owner.id)


@pytest.mark.esco
def test_extend_mode_gives_a_shared_uri_s_labels_to_the_first_concept_only(
    esco_extended: Taxonomy, esco_concepts: list[Concept], taxonomy: Taxonomy
) -> None:
    by_uri = {c.esco_uri: c for c in esco_concepts}
    occupations = taxonomy.concepts("occupation")
    for uri, first in taxonomy.by_esco_uri("occupation").items():
        for later in (c for c in occupations if c.esco_uri == uri and c.id != first.id):
            assert esco_extended[later.id].alt_labels == later.alt_labels
        if uri in by_uri:
            assert by_uri[uri].label in esco_extended[first.id].labels


@pytest.mark.esco
@pytest.mark.parametrize(
    ("text", "label"), [("postgresql", "PostgreSQL"), ("javascript", "JavaScript"), ("Java Script", "JavaScript")]
)
def test_normaliser_on_esco_skills(esco_skill_normaliser: Normaliser, text: str, label: str) -> None:
    best = esco_skill_normaliser.normalise(text, kind="skill").best
    assert best is not None
    assert best.label == label
    assert best.esco_uri is not None
    assert best.esco_uri.startswith(SKILL)
