"""Every dated fact the engine relies on, with where it comes from and how sure it is.

Fees, thresholds, durations, rules and pay live in fixtures (credentials.json, pay_bands.json,
bridges.json, countries.json). :func:`collect_facts` lists each one as a :class:`Fact` with its
``source`` (a URL), ``as_of`` (the date it was checked) and ``confidence`` (official, third_party,
derived, unconfirmed), so whoever keeps the data can see what to re-check first
(``useit facts --older-than 12``) and a test can fail when one lacks them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .credentials import CONFIDENCE
from .errors import TaxonomyError
from .taxonomy import default_fixtures_dir


@dataclass(frozen=True, slots=True)
class Fact:
    file: str  # "credentials.json"
    subject: str  # "plab-1", "english-nmc", "band 5 (2026/27)"
    figure: str  # "cost_gbp", "weeks", "rule", "threshold IELTS Academic", "pay"
    value: Any
    source: str | None
    as_of: str | None
    confidence: str | None
    note: str | None = None

    def problems(self) -> list[str]:
        """What this fact lacks: a URL source, an ISO as_of date, a known confidence."""
        found: list[str] = []
        if not isinstance(self.source, str) or not self.source.startswith(("https://", "http://")):
            found.append(f"source must be a URL, got {self.source!r}")
        try:
            date.fromisoformat(str(self.as_of))
        except ValueError:
            found.append(f"as_of must be a date (YYYY-MM-DD), got {self.as_of!r}")
        if self.confidence not in CONFIDENCE:
            found.append(f"confidence must be one of {', '.join(CONFIDENCE)}, got {self.confidence!r}")
        return [f"{self.file} {self.subject} {self.figure}: {p}" for p in found]

    def age_months(self, today: date) -> float | None:
        try:
            seen = date.fromisoformat(str(self.as_of))
        except ValueError:
            return None
        return (today.year - seen.year) * 12 + (today.month - seen.month) + (today.day - seen.day) / 31

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "subject": self.subject,
            "figure": self.figure,
            "value": self.value,
            "source": self.source,
            "as_of": self.as_of,
            "confidence": self.confidence,
            "note": self.note,
        }


def _fact(file: str, subject: str, figure: str, value: Any, record: Mapping[str, Any]) -> Fact:
    return Fact(
        file,
        subject,
        figure,
        value,
        record.get("source"),
        record.get("as_of"),
        record.get("confidence"),
        record.get("note") or record.get("source_note"),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TaxonomyError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path} must be a JSON object")
    return data


def _credential_facts(data: Mapping[str, Any]) -> Iterator[Fact]:
    file = "credentials.json"
    for record in data.get("credentials") or []:
        cid = str(record.get("id"))
        yield _fact(file, cid, "rule", record.get("requires"), record)
        facts = record.get("facts") or {}
        for name in ("cost_gbp", "weeks", "max_attempts"):
            if (name in record and record[name] is not None) or name in facts:
                yield _fact(file, cid, name, record.get(name), facts.get(name) or {})
        for position, item in enumerate(record.get("concessions") or []):
            yield _fact(file, cid, f"concession {position + 1} ({item.get('who')})", item.get("cost_gbp"), item)
        for position, item in enumerate(record.get("time_limits") or []):
            yield _fact(file, cid, f"time limit {position + 1}", f"{item.get('within_months')} months", item)
        for position, item in enumerate(record.get("waived_by") or []):
            yield _fact(file, cid, f"waiver {position + 1}", item.get("waives"), item)
        for position, item in enumerate(record.get("suggested_first") or []):
            yield _fact(file, cid, f"suggested first {position + 1}", item.get("id"), item)
        if record.get("met_by_experience"):
            rule = record["met_by_experience"]
            yield _fact(file, cid, "met by experience", f"{rule.get('min_years')} years", rule)
    for record in data.get("english_requirements") or []:
        rid = str(record.get("id"))
        yield _fact(file, rid, "rule", record.get("regulator"), record)
        for item in record.get("accepted") or []:
            thresholds = {
                k: v for k, v in item.items() if k in ("overall", "listening", "reading", "writing", "speaking")
            }
            yield _fact(file, rid, f"threshold {item.get('test')}", thresholds, item)
        if record.get("validity"):
            yield _fact(file, rid, "validity", f"{record['validity'].get('months')} months", record["validity"])
        else:
            yield Fact(file, rid, "validity", record.get("validity_months"), None, None, None)
        if record.get("combining_sittings"):
            rule = record["combining_sittings"]
            yield _fact(file, rid, "combining sittings", f"within {rule.get('within_months')} months", rule)
        for item in record.get("other_evidence") or []:
            yield _fact(file, rid, f"other evidence {item.get('id')}", item.get("kind"), item)


def _pay_facts(data: Mapping[str, Any]) -> Iterator[Fact]:
    from .pay import load_pay_bands

    file = "pay_bands.json"
    path = default_fixtures_dir() / file
    for year in data.get("years") or []:
        scale = load_pay_bands(path, year=str(year.get("year")))
        for band in scale.bands.values():
            record = {"source": band.source, "as_of": band.as_of, "confidence": band.confidence}
            yield _fact(file, f"band {band.band} ({scale.year})", "pay", list(band.points_gbp), record)


def collect_facts(fixtures: str | Path | None = None) -> list[Fact]:
    """Every fact in the shipped fixtures (or those in ``fixtures``), in file order."""
    root = Path(fixtures) if fixtures is not None else default_fixtures_dir()
    out: list[Fact] = list(_credential_facts(_read(root / "credentials.json")))
    out.extend(_pay_facts(_read(root / "pay_bands.json")))
    for record in _read(root / "bridges.json").get("bridges") or []:
        subject = f"{record.get('occupation_id')} -> {record.get('target_profession')}"
        out.append(_fact("bridges.json", subject, "bridge", record.get("requires"), record))
    countries = _read(root / "countries.json")
    out.append(_fact("countries.json", "ISO 3166-1", "countries", len(countries.get("countries") or []), countries))
    for name, record in (countries.get("majority_english_speaking") or {}).items():
        members = sum(
            1 for c in countries.get("countries") or [] if name in (c.get("majority_english_speaking_for") or ())
        )
        out.append(_fact("countries.json", f"majority English-speaking ({name})", "list", members, record))
    return out
