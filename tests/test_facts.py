"""Every rule, fee, threshold, duration and pay figure the product ships carries its source (a
URL), the date it was checked and how sure it is (issue 11); the audited rules read as DOMAIN.md
says (audit of 2026-12-01)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.credentials import CONFIDENCE, CredentialGraph
from matcher.facts import Fact, collect_facts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FACTS = collect_facts()


def test_every_fact_has_a_url_source_a_date_and_a_confidence() -> None:
    problems = [p for fact in FACTS for p in fact.problems()]
    assert not problems, "\n".join(problems)


def test_every_figure_of_every_credential_is_a_fact() -> None:
    # A fee, a duration or an attempt limit without its own provenance would hide in the record's.
    for record in json.loads((FIXTURES / "credentials.json").read_text(encoding="utf-8"))["credentials"]:
        for figure in ("cost_gbp", "weeks", "max_attempts"):
            if record.get(figure) is not None:
                assert figure in (record.get("facts") or {}), (record["id"], figure)
                assert record["facts"][figure]["confidence"] in CONFIDENCE


def test_the_check_catches_a_fact_without_provenance() -> None:
    bare = Fact("credentials.json", "plab-1", "cost_gbp", 268, "GMC via DOMAIN.md", "last year", "likely")
    problems = bare.problems()
    assert len(problems) == 3
    assert any("URL" in p for p in problems)
    assert any("YYYY-MM-DD" in p for p in problems)
    assert any("confidence" in p for p in problems)


def test_figures_seen_only_on_other_sites_are_not_called_official() -> None:
    graph = CredentialGraph.load_default()
    # DOMAIN.md: PLAB fees, the ORE contract of Aug 2026 and the GDC annual fee are third-party figures;
    # the NMC's 2026 rise is a consultation proposal; 2026/27 pay is derived from 2025/26.
    for credential, confidence in [
        ("plab-1", "third_party"),
        ("plab-2", "third_party"),
        ("ore-1", "third_party"),
        ("ore-2", "third_party"),
        ("gdc-registration", "third_party"),
        ("nmc-registration-nurse", "unconfirmed"),
        ("gmc-registration", "unconfirmed"),
    ]:
        assert graph[credential].fact("cost_gbp")["confidence"] == confidence, credential
        assert graph[credential].unconfirmed, credential
    pay = [f for f in FACTS if f.file == "pay_bands.json" and "(2026/27)" in f.subject]
    assert pay
    assert {f.confidence for f in pay} == {"derived"}


@pytest.mark.parametrize(
    ("credential", "fee"),
    [
        ("plab-1", 268),
        ("plab-2", 981),
        ("gmc-registration", 433),
        ("nmc-application", 140),
        ("nmc-cbt", 83),
        ("nmc-osce", 794),
        ("nmc-registration-nurse", 182),
        ("nmc-registration-nursing-associate", 143),
        ("ore-1", 485 + 115),
        ("ore-2", 6967),
        ("gdc-registration", 698),
        ("english-gmc", 225),
        ("hcpc-registration", 678.38 + 2 * 123.34),
    ],
)
def test_fees_are_those_of_the_audit(credential: str, fee: float) -> None:
    assert CredentialGraph.load_default()[credential].cost_gbp == pytest.approx(fee)


def test_care_certificate_has_16_standards() -> None:
    label = CredentialGraph.load_default()["care-certificate"].label
    assert "16 standards" in label
