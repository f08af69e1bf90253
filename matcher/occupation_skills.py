"""The core skills an occupation's work shows (``fixtures/occupation_skills.json``).

Derived once from ESCO's essential occupation-skill links for the curated occupations and
completed by hand (``fixtures/build_occupation_skills.py``). A resident who worked five years as a
staff nurse is not told she lacks medication administration because she did not type it: her job
implies it, as evidence weaker than what she wrote herself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import TaxonomyError
from .taxonomy import Concept, Taxonomy, default_fixtures_dir


class OccupationSkills:
    """Occupation -> core skill concept ids in the taxonomy in use; profession -> its occupation."""

    def __init__(
        self,
        skills_of: Mapping[str, tuple[str, ...]],
        professions: Mapping[str, str],
        *,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self._skills_of = dict(skills_of)
        #: The same skills as sets, shared by every resident whose work implies them.
        self._sets_of = {key: frozenset(skills) for key, skills in self._skills_of.items()}
        self.professions = dict(professions)
        self.metadata = dict(metadata or {})

    def for_occupation(self, occupation: Concept) -> tuple[str, ...]:
        return self._skills_of.get(occupation.id) or self._skills_of.get(occupation.esco_uri or "", ())

    def for_profession(self, profession: str | None) -> tuple[str, ...]:
        occupation = self.professions.get(profession or "")
        return self._skills_of.get(occupation or "", ())

    def skill_set(
        self, skills: tuple[str, ...], occupation: Concept | None = None, profession: str | None = None
    ) -> frozenset[str]:
        """``skills`` (from :meth:`for_occupation` or :meth:`for_profession`) as a shared set."""
        key = (
            (occupation.id if occupation.id in self._sets_of else occupation.esco_uri or "")
            if occupation is not None
            else self.professions.get(profession or "", "")
        )
        return self._sets_of.get(key) or frozenset(skills)

    def occupation_of_profession(self, profession: str | None) -> str | None:
        return self.professions.get(profession or "")

    @classmethod
    def load_default(cls, taxonomy: Taxonomy) -> OccupationSkills:
        return cls.load(default_fixtures_dir() / "occupation_skills.json", taxonomy)

    @classmethod
    def load(cls, path: str | os.PathLike[str], taxonomy: Taxonomy) -> OccupationSkills:
        """Load, keeping skills the taxonomy knows. Against a taxonomy imported from ESCO, curated
        ids are translated through the ESCO URIs the curated concepts carry."""
        file = Path(path)
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
            records = document["occupations"]
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
            raise TaxonomyError(f"cannot read occupation skills {file}: {exc}") from exc
        curated = {**_curated("skills"), **_curated("occupations")}
        skill_by_uri = taxonomy.by_esco_uri("skill")

        def present(skill_id: str) -> str | None:
            if skill_id in taxonomy:
                return skill_id
            found = skill_by_uri.get(curated.get(skill_id, ""))
            return found.id if found is not None else None

        skills_of: dict[str, tuple[str, ...]] = {}
        for record in records:
            occupation = str(record.get("occupation") or "")
            kept = tuple(dict.fromkeys(s for s in (present(str(x)) for x in record.get("skills") or ()) if s))
            if not occupation or not kept:
                continue
            skills_of[occupation] = kept
            uri = curated.get(occupation)
            if uri and occupation not in taxonomy:
                skills_of.setdefault(uri, kept)  # an ESCO occupation concept finds it by URI
        metadata = {k: v for k, v in document.items() if k != "occupations"}
        return cls(skills_of, dict(document.get("professions") or {}), metadata=metadata)


def _curated(kind: str) -> dict[str, str]:
    """Curated concept id -> ESCO URI, from the shipped taxonomy file of ``kind``."""
    path = default_fixtures_dir() / "taxonomy" / f"{kind}.json"
    try:
        records = json.loads(path.read_text(encoding="utf-8"))[kind]
    except (OSError, ValueError, KeyError):
        return {}
    return {str(r["id"]): str(r["esco_uri"]) for r in records if r.get("esco_uri")}
