"""Volunteering and preparation open to residents who may not work in the UK yet.

A matcher must never present a job as open to someone without the right to work, and must still
show what they can do meanwhile (DOMAIN.md): the training steps of their routes, and volunteering,
which asylum seekers may do at any stage of their claim (``fixtures/volunteering.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import TaxonomyError
from .taxonomy import default_fixtures_dir

CONFIDENCE = ("official", "third_party", "derived", "unconfirmed")


@dataclass(frozen=True, slots=True)
class Volunteering:
    id: str
    label: str
    why: str
    where: str
    source: str
    as_of: str
    confidence: str

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def load_volunteering(path: str | Path | None = None) -> tuple[Volunteering, ...]:
    file = Path(path) if path else default_fixtures_dir() / "volunteering.json"
    try:
        records = json.loads(file.read_text(encoding="utf-8"))["options"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise TaxonomyError(f"cannot read volunteering options {file}: {exc}") from exc
    problems: list[str] = []
    out: list[Volunteering] = []
    for position, record in enumerate(records):
        missing = [k for k in ("id", "label", "why", "where", "source", "as_of", "confidence") if not record.get(k)]
        if missing or record.get("confidence") not in CONFIDENCE:
            problems.append(f"options[{position}]: needs {', '.join(missing) or 'a known confidence'}")
            continue
        out.append(Volunteering(**{k: str(record[k]) for k in Volunteering.__dataclass_fields__}))
    if problems:
        raise TaxonomyError(f"invalid volunteering options in {file}", problems)
    return tuple(out)
