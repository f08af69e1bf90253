"""How person specifications are read, and who they leave eligible (issue 10).

Reads every shipped advert (fixtures/vacancies.json, and the free-text adverts in
fixtures/intake/adverts when present) and a generated set (fixtures/generate.py), and prints:

- the share of criteria of each kind and each place of judgement (profile, interview, after an
  offer), and the share not understood;
- vacancies with nobody eligible now, for the shipped personas and a generated neighbourhood,
  beside a baseline computed from the same assessments in the same run: the rule a naive reader
  applies, where every essential criterion must be met from the profile (qualities, conditions and
  checks included);
- agreement with the labelled corpus of real person-specification lines
  (tests/vacancies/data/person_spec_criteria.json), when it is present.

Runs on any version of the engine (older requirements have no ``assessed``/``understood``: they
count as judged from the profile and understood), so "before" figures come from the same script.

    python benchmarks/criteria.py [--residents 2000] [--vacancies 200] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from typing import Any

from _common import REPO, table
from tqdm import tqdm

TODAY = date(2026, 12, 1)
KINDS = ("credential", "qualification", "experience", "skill", "language", "check", "quality", "condition")
PLACES = ("profile", "interview", "after_offer")


def _adverts() -> list[dict[str, Any]]:
    """Free-text adverts as the intake reads them (none when the reader or the files are absent)."""
    folder = REPO / "fixtures" / "intake" / "adverts"
    if not folder.is_dir():
        return []
    from vacancies.intake import parse_advert

    out: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.txt")):
        report = parse_advert(path.read_text(encoding="utf-8"))
        out += [r.to_contract() for r in report.records]
    return out


def _shares(parsed: list[Any]) -> dict[str, Any]:
    requirements = [r for p in parsed for r in p.requirements]
    total = len(requirements) or 1
    kinds = Counter(r.kind for r in requirements)
    places = Counter(getattr(r, "assessed", "profile") for r in requirements)
    unread = sum(not getattr(r, "understood", True) for r in requirements)
    return {
        "vacancies": len(parsed),
        "criteria": len(requirements),
        "kinds": {k: kinds.get(k, 0) / total for k in KINDS},
        "assessed": {p: places.get(p, 0) / total for p in PLACES},
        "not_understood": unread / total,
    }


def _nobody(index: Any, parsed: list[Any], desc: str) -> dict[str, Any]:
    """Vacancies nobody is eligible for now: as the engine decides, and by the naive rule."""
    now = naive = 0
    pairs = eligible_pairs = naive_pairs = 0
    for vacancy in tqdm(parsed, desc=desc, disable=None, leave=False):
        ranked = index.assess_all(vacancy, limit=index.live)
        engine = [r.assessment.eligible_now for r in ranked]
        rule = [
            index.evidence[r.index].resident.right_to_work == "yes"
            and all(x.met for x in r.assessment.requirements if x.requirement.essential)
            for r in ranked
        ]
        now += not any(engine)
        naive += not any(rule)
        pairs += len(ranked)
        eligible_pairs += sum(engine)
        naive_pairs += sum(rule)
    return {
        "vacancies": len(parsed),
        "nobody_eligible": now,
        "nobody_eligible_naive": naive,
        "eligible_pairs": eligible_pairs / (pairs or 1),
        "eligible_pairs_naive": naive_pairs / (pairs or 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--vacancies", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--mode",
        choices=["semantic", "lexical"],
        default="semantic",
        help="the normaliser's mode (semantic, the service's default, needs the encoder make install builds)",
    )
    args = parser.parse_args(argv)

    from fixtures.generate import generate_residents, generate_vacancies
    from matcher import Normaliser, Taxonomy
    from matcher.assessment import Assessor
    from matcher.matching import ResidentIndex
    from matcher.profile import Resident, Vacancy
    from vacancies.criteria import CriteriaParser

    semantic = None
    if args.mode == "semantic":
        from api.engine import load_semantic_model

        semantic = load_semantic_model()
    taxonomy = Taxonomy.load_default()
    assessor = Assessor.load_default(taxonomy, Normaliser(taxonomy, semantic=semantic))
    reader = CriteriaParser(assessor.normaliser)
    shipped_records = json.loads((REPO / "fixtures" / "vacancies.json").read_text(encoding="utf-8"))["vacancies"]
    personas = json.loads((REPO / "fixtures" / "residents.json").read_text(encoding="utf-8"))["residents"]
    sources = {
        "shipped adverts": [Vacancy.from_dict(v) for v in shipped_records],
        "free-text adverts": [Vacancy.from_dict(v) for v in _adverts()],
        "generated adverts": [Vacancy.from_dict(v) for v in generate_vacancies(args.vacancies, seed=args.seed)],
    }
    parsed = {name: [reader.parse_vacancy(v) for v in items] for name, items in sources.items()}
    figures: dict[str, Any] = {"reading": {name: _shares(items) for name, items in parsed.items() if items}}

    shipped_index = ResidentIndex(assessor, [Resident.from_dict(r) for r in personas], today=TODAY)
    generated = [Resident.from_dict(r) for r in generate_residents(args.residents, seed=args.seed)]
    generated_index = ResidentIndex(assessor, generated, today=TODAY)
    figures["eligibility"] = {
        f"shipped personas ({len(personas)}) x shipped adverts": _nobody(
            shipped_index, parsed["shipped adverts"], "shipped"
        ),
        f"generated residents ({args.residents:,}) x generated adverts": _nobody(
            generated_index, parsed["generated adverts"], "generated"
        ),
    }
    corpus_path = REPO / "tests" / "vacancies" / "data" / "person_spec_criteria.json"
    try:
        from vacancies.corpus import agreement, load_corpus
    except ImportError:  # an engine from before the corpus existed
        agreement = None  # type: ignore[assignment]
    if agreement is not None and corpus_path.is_file():
        figures["corpus"] = agreement(reader, load_corpus(corpus_path), aliases=CORPUS_ALIASES).to_dict()

    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print("How criteria are read (share of all criteria)")
    rows = [
        [
            name,
            f"{f['vacancies']:,}",
            f"{f['criteria']:,}",
            *[f"{f['kinds'][k]:.1%}" for k in KINDS],
            *[f"{f['assessed'][p]:.1%}" for p in PLACES],
            f"{f['not_understood']:.1%}",
        ]
        for name, f in figures["reading"].items()
    ]
    print(table(rows, ["source", "vacancies", "criteria", *KINDS, *PLACES, "not understood"]))
    print()
    print("Vacancies nobody is eligible for now (baseline: every essential criterion must be met from the profile)")
    rows = [
        [
            name,
            f"{f['vacancies']:,}",
            f"{f['nobody_eligible']:,}",
            f"{f['nobody_eligible_naive']:,}",
            f"{f['eligible_pairs']:.2%}",
            f"{f['eligible_pairs_naive']:.2%}",
            f"{f['eligible_pairs'] / f['eligible_pairs_naive']:.1f}x" if f["eligible_pairs_naive"] else "-",
        ]
        for name, f in figures["eligibility"].items()
    ]
    print(
        table(
            rows,
            ["population", "vacancies", "nobody eligible", "baseline", "pairs eligible", "baseline", "ratio"],
        )
    )
    if "corpus" in figures:
        print()
        c = figures["corpus"]
        print(
            f"Labelled corpus ({c['lines']} lines): kind {c['kind_agreement']:.1%}, place of judgement "
            f"{c['assessed_agreement']:.1%}, understood {c['understood_agreement']:.1%}, register named "
            f"{c['credentials_agreement']:.1%}, setting {c['settings_agreement']:.1%}; lines a panel judges later "
            f"that would screen applicants out: {c['screened_wrongly']}"
        )
    return 0


#: Where the corpus proposes an id the credential graph spells differently.
CORPUS_ALIASES = {
    "swe-registration-social-worker": "swe-registration",
    "hcpc-registration-operating-department-practitioner": "hcpc-registration-odp",
}

if __name__ == "__main__":
    raise SystemExit(main())
