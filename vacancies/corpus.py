"""Agreement of the criteria reader with a panel's reading of real person-specification lines.

``tests/vacancies/data/person_spec_criteria.json`` holds criteria as NHS adverts write them,
each labelled as a fair shortlisting panel reads it (kind, where it is judged, the register it
names, the setting of experience). :func:`agreement` reads each line with a
:class:`~vacancies.criteria.CriteriaParser` and counts where the two agree; the test suite holds
floors on it and ``benchmarks/criteria.py`` prints it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.requirements import Requirement

from .criteria import CriteriaParser

#: Readings the panel's labels and the engine express differently but mean alike.
_FUNCTIONAL_SKILLS = frozenset(
    {
        "functional-skills-english-l2",
        "functional-skills-maths-l2",
        "functional-skills-english-l1",
        "functional-skills-maths-l1",
    }
)


@dataclass(slots=True)
class Agreement:
    """Counts of agreement, per aspect, and the lines that disagree (for reading, not scoring)."""

    lines: int = 0
    kind: int = 0
    assessed: int = 0
    understood: int = 0
    credentials: int = 0
    credentials_total: int = 0
    settings: int = 0
    settings_total: int = 0
    #: Criteria a panel judges at interview or after an offer that the reader would screen on.
    screened_wrongly: int = 0
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def share(self, name: str) -> float:
        total = {"credentials": self.credentials_total, "settings": self.settings_total}.get(name, self.lines)
        return getattr(self, name) / total if total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            **{
                f"{name}_agreement": round(self.share(name), 4)
                for name in ("kind", "assessed", "understood", "credentials", "settings")
            },
            "screened_wrongly": self.screened_wrongly,
        }


def load_corpus(path: str | Path) -> list[dict[str, Any]]:
    return list(json.loads(Path(path).read_text(encoding="utf-8"))["criteria"])


def _same_kind(expected: str, got: Sequence[Requirement]) -> bool:
    kinds = {r.kind for r in got}
    if expected in kinds:
        return True
    # "GCSE English and maths grade 4": a qualification to a panel, Functional Skills Level 2
    # credentials (which GCSEs satisfy) to the engine.
    credentials = {c for r in got for c in r.credentials}
    return expected == "qualification" and bool(credentials) and credentials <= _FUNCTIONAL_SKILLS


def agreement(
    parser: CriteriaParser, corpus: Iterable[Mapping[str, Any]], *, aliases: Mapping[str, str] | None = None
) -> Agreement:
    """Read every labelled line and count agreement. ``aliases`` map a label's proposed credential
    id to the engine's where the two name the same register differently."""
    aliases = dict(aliases or {})
    workplaces = parser.workplaces
    found = Agreement()
    for line in corpus:
        got = parser.parse(str(line["text"]), essential=line.get("section") == "essential")
        found.lines += 1
        understood = bool(line.get("understood", True))
        ok_understood = understood == all(r.understood for r in got)
        found.understood += ok_understood
        if not understood:
            found.kind += 1
            found.assessed += 1
            continue
        ok_kind = _same_kind(str(line["kind"]), got)
        ok_assessed = got[0].assessed == line["assessed"]
        found.kind += ok_kind
        found.assessed += ok_assessed
        if line["assessed"] != "profile" and any(r.decides_eligibility for r in got):
            found.screened_wrongly += 1
        problems = {"kind": not ok_kind, "assessed": not ok_assessed, "understood": not ok_understood}
        wanted = {aliases.get(c, c) for c in line.get("credentials") or ()}
        if wanted and line["kind"] in ("credential", "check", "language"):
            found.credentials_total += 1
            have = {c for r in got for c in r.credentials}
            found.credentials += bool(wanted & have)
            problems["credentials"] = not wanted & have
        settings = set(line.get("setting_ids") or ())
        if settings and line["kind"] == "experience":
            found.settings_total += 1
            have = {s for r in got for s in r.settings}
            # Either reading counts for the other: "catering" for "a catering kitchen".
            near = (
                any(
                    h in workplaces
                    and (workplaces.meeting(h) & settings or set().union(*map(workplaces.meeting, settings)) & {h})
                    for h in have
                    if h in workplaces
                )
                if all(s in workplaces for s in settings)
                else bool(have & settings)
            )
            found.settings += near
            problems["settings"] = not near
        if any(problems.values()):
            found.disagreements.append(
                {
                    "text": line["text"],
                    "expected": {k: line.get(k) for k in ("kind", "assessed", "credentials", "setting_ids")},
                    "got": [
                        {"kind": r.kind, "assessed": r.assessed, "credentials": list(r.credentials),
                         "settings": list(r.settings), "concept_id": r.concept_id, "understood": r.understood}
                        for r in got
                    ],
                    "problems": sorted(k for k, v in problems.items() if v),
                }
            )  # fmt: skip
    return found
