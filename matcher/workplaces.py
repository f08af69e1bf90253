"""Settings and activities that experience criteria name, and which work meets each.

Person specifications ask for experience of a setting or an activity ("acute care", "a health or
social care setting", "working with people with dementia", "an office environment"), not for a
job title. ``fixtures/experience_settings.json`` (curated data, with sources) lists each setting,
the phrases adverts use for it, and what meets it: occupations (by taxonomy id or ESCO URI),
occupation families, other settings (experience in a care home is experience in health or social
care), skills (a resident who writes "dementia care" has worked with people with dementia) and,
where an advert adds "including as a student", the professions whose training includes it.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import TaxonomyError
from .taxonomy import Concept, Taxonomy, default_fixtures_dir

_NON_WORD = re.compile(r"[^a-z0-9+]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation folded to single spaces, padded for whole-word search."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return f" {' '.join(_NON_WORD.sub(' ', plain).split())} "


@dataclass(frozen=True, slots=True)
class Setting:
    id: str
    label: str
    phrases: tuple[str, ...]
    met_by_occupations: frozenset[str]
    #: ESCO URIs of those occupations, for taxonomies imported from ESCO (curated ids are absent).
    met_by_uris: frozenset[str]
    met_by_families: frozenset[str]
    met_by_settings: frozenset[str]
    met_by_skills: frozenset[str]
    #: Professions whose training includes placements here ("including as a student").
    student_professions: frozenset[str]
    #: Only NHS work meets it ("NHS experience").
    nhs_only: bool = False
    #: An activity ("personal care", "working with people with dementia") rather than a place.
    activity: bool = False
    #: Says how work was done ("paid or voluntary") when named beside another setting.
    qualifier: bool = False
    source: str | None = None
    confidence: str | None = None


@dataclass(frozen=True, slots=True)
class SettingHit:
    setting: Setting
    start: int
    end: int


class Workplaces:
    """The settings catalogue: find settings in criterion text; say which work meets each."""

    def __init__(self, settings: Iterable[Setting], *, metadata: Mapping[str, Any] | None = None) -> None:
        self.settings: dict[str, Setting] = {}
        problems: list[str] = []
        for setting in settings:
            if setting.id in self.settings:
                problems.append(f"{setting.id}: duplicate setting id")
            self.settings[setting.id] = setting
        for setting in self.settings.values():
            for other in sorted(setting.met_by_settings - set(self.settings)):
                problems.append(f"{setting.id}: met_by_settings names unknown setting {other!r}")
        if problems:
            raise TaxonomyError("invalid experience settings", problems)
        self.metadata = dict(metadata or {})
        # Longest phrases first, so "acute hospital setting" wins over "hospital".
        self._phrases = sorted(
            ((fold(p), s) for s in self.settings.values() for p in (s.label, *s.phrases)),
            key=lambda item: -len(item[0]),
        )
        self._closure: dict[str, frozenset[str]] = {}
        self._curated = frozenset(_curated_uris())
        # Assessments ask the same questions of the same job titles many times: remember answers.
        self._named: dict[str, frozenset[str]] = {}
        self._met: dict[tuple[str, str], bool] = {}
        self._skills_meeting: dict[str, frozenset[str]] = {}
        self._settings_of: dict[str, list[str]] = {}

    def __contains__(self, setting_id: object) -> bool:
        return setting_id in self.settings

    def __getitem__(self, setting_id: str) -> Setting:
        return self.settings[setting_id]

    def __len__(self) -> int:
        return len(self.settings)

    # -- reading criteria --------------------------------------------------------------------
    def find(self, text: str, *, activities_first: bool = True) -> list[Setting]:
        """Settings the text names, in the order written; a phrase inside a longer one found
        already ("hospital" inside "acute hospital setting") does not count again. With
        ``activities_first`` (reading a criterion), an activity named beside places is what is
        asked for; without it (reading a resident's job title), everything named counts."""
        folded = fold(text)
        taken: list[tuple[int, int]] = []
        hits: list[SettingHit] = []
        for phrase, setting in self._phrases:
            start = folded.find(phrase)
            while start >= 0:
                # Spans without the padding spaces, so "hospital" and "care home" side by side
                # do not overlap.
                end = start + len(phrase) - 1
                start += 1
                if not any(start < e and s < end for s, e in taken):
                    taken.append((start, end))
                    if all(h.setting.id != setting.id for h in hits):
                        hits.append(SettingHit(setting, start, end))
                start = folded.find(phrase, start)
        ordered = [h.setting for h in sorted(hits, key=lambda h: h.start)]
        # "Personal care in a hospital, care home or the community": the activity is what is
        # asked for, wherever it was done; places alone are alternatives.
        if activities_first:
            # "(paid or voluntary)" beside a setting says how the work was done, not what it was.
            named = [s for s in ordered if not s.qualifier] or ordered
            activities = [s for s in named if s.activity]
            return activities or named
        return ordered

    def named_in(self, text: str) -> frozenset[str]:
        """Settings a job's own words name ("Medical Officer (Internal Medicine)", "Porter, SWBH
        NHS Trust"), with every broader setting they count for."""
        found = self._named.get(text)
        if found is None:
            named = {s.id for s in self.find(text, activities_first=False)}
            found = frozenset(sid for sid in self.settings if self.meeting(sid) & named)
            if len(self._named) < 100_000:
                self._named[text] = found
        return found

    # -- what meets a setting ----------------------------------------------------------------
    def meeting(self, setting_id: str) -> frozenset[str]:
        """The setting and every setting whose experience counts for it (transitively)."""
        if setting_id not in self._closure:
            seen: set[str] = set()
            frontier = [setting_id]
            while frontier:
                node = frontier.pop()
                if node in seen or node not in self.settings:
                    continue
                seen.add(node)
                frontier.extend(self.settings[node].met_by_settings)
            self._closure[setting_id] = frozenset(seen)
        return self._closure[setting_id]

    def met_by_occupation(self, setting_id: str, occupation: Concept) -> bool:
        """Whether work in ``occupation`` is experience of the setting (by id or family; an
        occupation of an imported ESCO taxonomy by its URI). Several curated occupations share an
        ESCO URI (care worker, senior care worker), so curated ones never match by URI."""
        key = (setting_id, occupation.id)
        known = self._met.get(key)
        if known is not None:
            return known
        family = occupation.attributes.get("family")
        by_uri = occupation.id not in self._curated and occupation.esco_uri
        met = False
        for sid in self.meeting(setting_id):
            setting = self.settings[sid]
            if occupation.id in setting.met_by_occupations or (family and family in setting.met_by_families):
                met = True
                break
            if by_uri and occupation.esco_uri in setting.met_by_uris:
                met = True
                break
        self._met[key] = met
        return met

    def met_by_skill(self, setting_id: str, skill_ids: Iterable[str]) -> str | None:
        """The first of the resident's skills that shows experience of the setting, if any."""
        wanted = self._skills_meeting.get(setting_id)
        if wanted is None:
            wanted = frozenset().union(*(self.settings[s].met_by_skills for s in self.meeting(setting_id)))
            self._skills_meeting[setting_id] = wanted
        if not wanted:
            return None
        return next((s for s in skill_ids if s in wanted), None)

    def student_professions(self, setting_id: str) -> frozenset[str]:
        return frozenset().union(*(self.settings[s].student_professions for s in self.meeting(setting_id)))

    def settings_of(self, occupation: Concept) -> list[str]:
        """Every setting work in this occupation meets (for explanations and features)."""
        found = self._settings_of.get(occupation.id)
        if found is None:
            found = self._settings_of[occupation.id] = [
                sid for sid in self.settings if self.met_by_occupation(sid, occupation)
            ]
        return found

    # -- loading ----------------------------------------------------------------------------
    @classmethod
    def load_default(cls, taxonomy: Taxonomy | None = None) -> Workplaces:
        return cls.load(default_fixtures_dir() / "experience_settings.json", taxonomy=taxonomy)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, taxonomy: Taxonomy | None = None) -> Workplaces:
        """Load and validate; with a taxonomy, occupation ids also match by the ESCO URI they carry
        (so an imported ESCO taxonomy meets settings curated against the shipped occupations)."""
        file = Path(path)
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TaxonomyError(f"cannot read experience settings {file}: {exc}") from exc
        uris = _curated_uris()
        problems: list[str] = []
        settings: list[Setting] = []
        for position, record in enumerate(document.get("settings") or []):
            where = f"settings[{position}]"
            if not isinstance(record, dict) or not record.get("id") or not record.get("label"):
                problems.append(f"{where}: needs an id and a label")
                continue
            occupations = frozenset(_strings(record.get("met_by_occupations")))
            settings.append(
                Setting(
                    id=str(record["id"]),
                    label=str(record["label"]),
                    phrases=tuple(_strings(record.get("phrases"))),
                    met_by_occupations=occupations,
                    met_by_uris=frozenset(uris[o] for o in occupations if o in uris),
                    met_by_families=frozenset(_strings(record.get("met_by_families"))),
                    met_by_settings=frozenset(_strings(record.get("met_by_settings"))),
                    met_by_skills=frozenset(_strings(record.get("met_by_skills"))),
                    student_professions=frozenset(_strings(record.get("student_professions"))),
                    nhs_only=bool(record.get("nhs_only", False)),
                    activity=record.get("type") == "activity",
                    qualifier=bool(record.get("qualifier", False)),
                    source=record.get("source"),
                    confidence=record.get("confidence"),
                )
            )
        if problems:
            raise TaxonomyError(f"invalid experience settings in {file}", problems)
        metadata = {k: v for k, v in document.items() if k != "settings"}
        try:
            catalogue = cls(settings, metadata=metadata)
        except TaxonomyError as exc:
            raise TaxonomyError(f"invalid experience settings in {file}", exc.problems) from exc
        if taxonomy is not None:
            catalogue.check_against(taxonomy)
        return catalogue

    def check_against(self, taxonomy: Taxonomy) -> None:
        """Curated ids must name occupations and skills of the shipped taxonomy (only checked
        against it: an imported ESCO taxonomy matches by URI instead)."""
        if taxonomy.name not in (None, "curated"):
            return
        problems = [
            f"{s.id}: unknown {what} {name!r}"
            for s in self.settings.values()
            for what, names in (("occupation", s.met_by_occupations), ("skill", s.met_by_skills))
            for name in sorted(names)
            if name not in taxonomy
        ]
        if problems:
            raise TaxonomyError("experience settings name concepts the taxonomy lacks", problems)


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _curated_uris() -> dict[str, str]:
    """Shipped occupation id -> its ESCO URI (read from the curated taxonomy file)."""
    path = default_fixtures_dir() / "taxonomy" / "occupations.json"
    try:
        records: Sequence[Mapping[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["occupations"]
    except (OSError, ValueError, KeyError):
        return {}
    return {str(r["id"]): str(r["esco_uri"]) for r in records if r.get("esco_uri")}
