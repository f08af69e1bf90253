"""Turn a resident's own words (a paragraph or a CV's text) into a draft profile to confirm."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from matcher import InvalidInputError, Normaliser, Resident
from matcher.qualifications import QualificationRecogniser

from .draft import ITEM_KINDS, Draft, Item, Span
from .english import find_tests
from .errors import DocumentError
from .held import find_credentials, find_hours, find_postcode, find_status
from .jobs import JobFinder
from .layout import Piece, clauses, is_cv, lines, sentences
from .lexicon import Lexicon, load_lexicon
from .qualifications import QualificationFinder
from .settings import ExtractSettings
from .skills import (
    find_languages,
    find_resident_phrases,
    find_skills,
    language_names,
    resident_phrases,
    skill_vocabulary,
)

_TITLE_LIMIT = 200
#: Sentences about what a resident wants are not skills they have.
_WISH = re.compile(r"\b(?:want|would like|looking for|hope to|wish|plan to|interested in)\b", re.IGNORECASE)


class ProfileExtractor:
    """Reads text into a :class:`Draft`. Build once per process (it indexes the taxonomy's
    words), then call :meth:`extract` per text; it keeps nothing between calls.

    >>> from matcher import Normaliser, Taxonomy
    >>> extractor = ProfileExtractor(Normaliser(Taxonomy.load_default()))
    >>> draft = extractor.extract("Staff Nurse, Lahore General Hospital, 2016-2021")
    >>> draft.profile["experience"]
    [{'title': 'Staff Nurse', 'years': 5.0, 'country': 'PK'}]
    """

    def __init__(
        self,
        normaliser: Normaliser,
        *,
        settings: ExtractSettings | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.normaliser = normaliser
        self.settings = settings or ExtractSettings()
        self.lexicon = lexicon or load_lexicon()
        self.jobs = JobFinder(normaliser, self.lexicon, self.settings)
        self.qualifications = QualificationFinder(QualificationRecogniser(normaliser), self.lexicon, self.settings)
        self.vocabulary = skill_vocabulary(normaliser)
        self.languages = language_names(normaliser)
        self.resident_phrases = resident_phrases(normaliser)

    def check_text(self, text: object) -> str:
        """The text, or a :class:`DocumentError` saying what is wrong with it."""
        if not isinstance(text, str):
            raise DocumentError("empty", "there is no text to read")
        if len(text) > self.settings.max_text_chars:
            raise DocumentError(
                "too_long",
                f"the text is {len(text):,} characters; the limit is {self.settings.max_text_chars:,} "
                "(about 15 pages): send the CV itself, or the parts about work and qualifications",
            )
        letters = sum(ch.isalpha() for ch in text)
        if not text.strip() or letters < self.settings.min_text_chars:
            raise DocumentError("empty", "there is no text to read: tell us about your work, studies and skills")
        return text

    def extract(self, text: str, *, source: dict[str, Any] | None = None) -> Draft:
        """A draft profile from ``text``; raises :class:`DocumentError` for empty or huge text."""
        text = self.check_text(text)
        today = self.settings.as_of()
        pieces = lines(text, self.lexicon)
        cv = is_cv(pieces)
        sentence_list = [s for piece in pieces for s in sentences(piece)]
        clause_pairs = [(c, s) for s in sentence_list for c in clauses(s)]
        fragments = [f for c, _s in clause_pairs for f in _commas(c)]

        items: list[Item] = []
        if cv:
            job_items, headers = self.jobs.from_cv(pieces, today)
        else:
            job_items, headers = self.jobs.from_story(clause_pairs, text, today)
        qualification_items, qualification_spans = self.qualifications.find(
            sentence_list if not cv else pieces, text, today, cv=cv
        )
        if not cv:
            job_items = self._story_jobs(job_items, qualification_items, qualification_spans, text)
        items += job_items
        items += qualification_items
        tests = find_tests(text, self.lexicon, today)
        items += tests
        items += find_credentials(fragments, self.lexicon)
        taken = [*headers, *qualification_spans, *((t.span.start, t.span.end) for t in tests)]
        skill_pieces = [
            s
            for s in sentence_list
            if s.section not in ("languages", "english", "status", "registration", "education")
            and not (cv and s.section is None)
            and not _WISH.search(s.text)
        ]
        skills = find_skills(skill_pieces, text, self.normaliser, self.vocabulary, self.settings, taken=taken)
        # Languages are read on their own (in speaking contexts only), never as skills from
        # "GCSE English" or "Functional Skills English".
        items += [s for s in skills if s.value["concept_id"] not in self.languages.concept_ids]
        # "looked after my nan": what only the resident's words show (experience settings' phrases).
        items += find_resident_phrases(
            skill_pieces, self.resident_phrases, self.normaliser, seen={s.value["concept_id"] for s in skills}
        )
        language_items = find_languages(sentence_list, self.languages)
        items += language_items
        items += find_status(fragments, self.lexicon)
        for found in (find_postcode(pieces if cv else sentence_list), find_hours(sentence_list)):
            if found is not None:
                items.append(found)
        items = [_with_text(item, text) for item in items]
        items.sort(key=lambda item: (ITEM_KINDS.index(item.kind), item.span.start))
        # Skills that are only a language already listed are not said twice.
        spoken = {i.value["concept_id"] for i in language_items}
        items = [i for i in items if not (i.kind == "skill" and i.value.get("concept_id") in spoken)]
        profile, kept = self._profile(items)
        info = {"kind": "text", "characters": len(text), "layout": "cv" if cv else "story", **(source or {})}
        warnings = []
        if not any(kept):
            warnings.append(
                "We could not find jobs, qualifications, tests or skills in this text: fill in the form instead."
            )
        return Draft(profile=profile, items=tuple(items), in_profile=tuple(kept), source=info, warnings=tuple(warnings))

    def _story_jobs(
        self,
        jobs: list[Item],
        qualifications: list[Item],
        qualification_spans: list[tuple[int, int]],
        text: str,
    ) -> list[Item]:
        """A story's jobs, read beside its qualifications. A clause that names an award and neither
        a job title nor how long ("I did ESOL Entry 3 at college") is a course, not a job. A job in a health
        workplace with no title ("worked 4 years in a government hospital") takes the title the
        resident's professional qualification implies (MBBS: a doctor), with a note to check it."""
        profession = None
        for item in qualifications:
            concept = self.normaliser.taxonomy.get(item.value.get("concept_id", ""))
            name = concept.attributes.get("profession") if concept is not None else None
            if name in self.lexicon.profession_titles:
                profession = (self.lexicon.profession_titles[name], item.value["title"])
                break
        out = []
        for job in jobs:
            untitled = not job.value.get("title")
            if (
                untitled
                and job.value.get("years") is None
                and any(s < job.span.end and job.span.start < e for s, e in qualification_spans)
            ):
                continue
            if untitled and profession is not None:
                where = self.lexicon.health_workplace.search(text[job.span.start : job.span.end])
                if where is not None:
                    title, award = profession
                    job = replace(
                        job,
                        value={**job.value, "title": title},
                        missing=(),
                        confidence=0.5,
                        note=(
                            f"We guessed the job title from your {award} and \u201c{where.group(0)}\u201d: "
                            "check it, and say what your job was."
                        ),
                    )
            out.append(job)
        return out

    def _profile(self, items: list[Item]) -> tuple[dict[str, Any], list[bool]]:
        floor = self.settings.profile_min_confidence
        profile: dict[str, Any] = {
            "skills": [],
            "experience": [],
            "qualifications": [],
            "language_tests": [],
            "credentials": [],
            "right_to_work": "unknown",
            "hours": "any",
        }
        kept: list[bool] = []
        for item in items:
            use = item.confidence >= floor and not item.missing
            value = item.value
            if item.kind == "experience" and use:
                record: dict[str, Any] = {"title": str(value["title"])[:_TITLE_LIMIT]}
                if value.get("years") is not None:
                    record["years"] = min(70.0, float(value["years"]))
                if value.get("country"):
                    record["country"] = value["country"]
                profile["experience"].append(record)
            elif item.kind == "qualification" and use:
                record = {"title": str(value["title"])[:_TITLE_LIMIT]}
                for key in ("country", "year"):
                    if value.get(key) is not None:
                        record[key] = value[key]
                profile["qualifications"].append(record)
            elif item.kind == "language_test" and use:
                profile["language_tests"].append(dict(value))
            elif item.kind == "credential" and use:
                profile["credentials"].append(value["id"])
            elif item.kind in ("skill", "language") and use:
                if value["label"] not in profile["skills"]:
                    profile["skills"].append(value["label"])
            elif item.kind == "postcode" and use:
                profile["postcode"] = value["postcode"]
            elif item.kind == "hours" and use:
                profile["hours"] = value["hours"]
            else:
                use = False  # right to work and immigration status are hints, never decided here
            kept.append(use)
        try:
            Resident.from_dict(profile)
        except InvalidInputError as exc:  # a defect of ours: never hand back a profile that cannot be read
            raise DocumentError("internal", "the draft profile could not be built", exc.problems) from exc
        return profile, kept


def _commas(piece: Piece) -> list[Piece]:
    """A clause cut at commas and "and", for statements such as "CBT passed, waiting for OSCE"."""
    out = []
    position = 0
    for part in re.split(r",\s*|\s+and\s+(?=(?:I|i|my|waiting|now)\b)", piece.text):
        found = piece.text.find(part, position)
        if found < 0 or not part.strip():
            continue
        position = found + len(part)
        out.append(
            Piece(
                piece.start + found, piece.start + found + len(part), part, piece.section, piece.bullet, piece.indented
            )
        )
    return out or [piece]


def _with_text(item: Item, text: str) -> Item:
    span = Span(item.span.start, item.span.end, text[item.span.start : item.span.end])
    return replace(item, span=span)
