"""Qualifications: title, institution, country and year ("BSc (Hons) Nursing, University of
Health Sciences, Lahore, Pakistan, 2015"; "MBBS from Dhaka Medical College in 2015"; "GCSE
maths and English grade C"). A phrase counts when it holds a qualification word (MBBS, BSc,
GNM, NVQ, GCSE, Diploma, ...) and the QualificationRecogniser recognises it; GCSEs and A levels
listed by subject become one qualification per subject, with the grade.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from matcher.qualifications import QualificationRecogniser

from .dates import single_dates
from .draft import Item, Span
from .layout import Piece, clauses, split_parts
from .lexicon import Lexicon
from .settings import ExtractSettings

_PARTS = re.compile(
    r"\s*(?:,|;|\||\(|\)|\s[-–—]\s|\bfrom\b|\bat\b|\bin\s+(?=19|20)|\band\s+(?-i:(?=(?:post\b|the\s+Care|[A-Z]{2,}|[A-Z]\.)))"
    r"|\b(?:and|then)\s+(?=(?:i|worked|work|working|was|got|came|have|had|did|now|then)\b)|:(?=\s))\s*",
    re.IGNORECASE,
)
#: A word that may start an institution's name written straight after the award ("B.Pharm Damascus
#: University", "BSN 2012 Our Lady of Fatima University"): capitalised, or a joining word.
_NAME_WORD = re.compile(r"[A-Z][\w'’.&-]*|of|and|&|the")
_INSTITUTION = re.compile(r"\b(?:university|college|institute|school|academy|polytechnic|faculty)\b", re.IGNORECASE)
_UK_ONLY = re.compile(r"\b(?:GCSEs?|A[- ]levels?|AS levels?|NVQ|BTEC|T Level|Access to|HND|HNC)\b", re.IGNORECASE)
_SCHOOL_AWARD = re.compile(r"\b(GCSEs?|A[- ]?levels?|AS[- ]levels?|O[- ]levels?)\b", re.IGNORECASE)
_GRADE = r"(?:grade\s*)?([A-G]\*?|[1-9])"
_CREDENTIAL_WORDS = re.compile(r"care certificate|functional skills", re.IGNORECASE)


class QualificationFinder:
    def __init__(self, recogniser: QualificationRecogniser, lexicon: Lexicon, settings: ExtractSettings) -> None:
        self.recogniser = recogniser
        self.lexicon = lexicon
        self.settings = settings

    def find(
        self, pieces: Sequence[Piece], source: str, today: date, *, cv: bool
    ) -> tuple[list[Item], list[tuple[int, int]]]:
        candidates: list[tuple[Piece, int, int, str, str | None, str | None, int | None]] = []
        # An award that names no place was most likely taken in the one country other than the UK
        # that the text names ("Services Hospital Lahore ... Pharm-D from University of the Punjab").
        abroad = {c for _s, _e, c in self.lexicon.countries_in(source) if c != "GB"}
        home = next(iter(abroad)) if len(abroad) == 1 else None
        guessed: set[int] = set()
        for piece in pieces:
            if cv and piece.section not in ("education", "training", "english", "registration", None, "profile"):
                continue
            if cv and piece.section in (None, "profile") and not _SCHOOL_AWARD.search(piece.text):
                # A CV's contact lines and profile name degrees in passing ("MBBS (Pakistan)").
                continue
            text = piece.text
            if not self.lexicon.qualification_cue.search(text) and not re.search(
                r"\bstudied\s+(medicine|nursing|pharmacy|dentistry)", text, re.IGNORECASE
            ):
                continue
            if re.search(
                r"\b(?:doing|studying|want|will|without|plan|planning|hope|towards|currently studying)\b",
                text,
                re.IGNORECASE,
            ) and not re.search(r"\b(?:passed|completed|graduated|finished|have|did)\b", text, re.IGNORECASE):
                continue
            country = self.lexicon.country_of(text)
            institution = None
            years = [(s, m.year) for s, _e, m in single_dates(text) if m.year <= today.year]
            for start, end, title in self._titles(text):
                if _CREDENTIAL_WORDS.search(title):
                    continue
                title, inst = self._own_institution(title)
                inst = inst or self._institution(text, start, end)
                institution = inst
                part_years = [m.year for _s, _e, m in single_dates(title) if m.year <= today.year]
                clean = _balanced(re.sub(r"\s*\(\s*(19|20)\d\d\s*\)|\s*\b(19|20)\d\d\b", "", title).strip(" ,-–"))
                # "MBBS in Pakistan", "GNM in Kerala": the place is the country, not the title.
                clean = self._without_place(clean)
                if not clean:
                    continue
                place = country or (self.lexicon.country_of(inst) if inst else None)
                if place is None and _UK_ONLY.search(clean):
                    place = "GB"
                if place is None and home is not None:
                    place = home
                    guessed.add(len(candidates))
                after = [y for s, y in years if s >= start]
                year = part_years[-1] if part_years else (after[0] if after else (years[-1][1] if years else None))
                candidates.append((piece, start, end, clean, institution, place, year))
        if not candidates:
            return [], []
        found = self.recogniser.recognise_many(
            [c[3] for c in candidates], [c[5] for c in candidates], limit=1, cutoff=0.0
        )
        items: list[Item] = []
        taken: list[tuple[int, int]] = []
        seen: set[tuple[str, str]] = set()
        for index, ((piece, start, end, title, institution, country, year), recognised) in enumerate(
            zip(candidates, found, strict=True)
        ):
            best = recognised[0] if recognised else None
            if best is None or best.confidence < self.settings.qualification_min_score:
                continue
            note = None
            if index in guessed:
                note = "We took the country from the rest of what you wrote: check where this was awarded."
            concept = self.recogniser.taxonomy.get(best.concept_id)
            countries = list(concept.attributes.get("countries") or []) if concept is not None else []
            if country is None and len(countries) == 1:
                country = countries[0]  # an award of one country only ("NEBDN", "BSN (Philippines)")
            elif note is not None and concept is not None and concept.attributes.get("uk"):
                country, note = "GB", None  # "Level 3 Diploma in Adult Care" in a CV that names Poland
            if _CREDENTIAL_WORDS.search(best.label):
                continue
            key = (best.concept_id, title.casefold())
            if key in seen or any(k[0] == best.concept_id and not _SCHOOL_AWARD.search(title) for k in seen):
                continue
            seen.add(key)
            taken.append((piece.start + start, piece.start + end))
            items.append(
                Item(
                    kind="qualification",
                    value={
                        "title": title,
                        "institution": institution,
                        "country": country,
                        "year": year,
                        "concept_id": best.concept_id,
                        "label": best.label,
                    },
                    span=_clause_span(piece, start, source),
                    confidence=min(0.95, best.confidence) - (0.1 if note else 0.0),
                    note=note,
                    method="qualification phrase",
                )
            )
        return items, taken

    def _titles(self, text: str) -> list[tuple[int, int, str]]:
        """Phrases holding a qualification word; school awards split by subject."""
        school = _SCHOOL_AWARD.search(text)
        if school and self.lexicon.subjects.search(text):
            return self._subjects(text, school)
        out = []
        studied = re.search(r"\bstudied\s+(medicine|nursing|pharmacy|dentistry)\b", text, re.IGNORECASE)
        if studied:
            subject = studied.group(1).casefold()
            names = {
                "medicine": "Doctor of Medicine (MD)",
                "nursing": "Nursing degree",
                "pharmacy": "Pharmacy degree",
                "dentistry": "Dentistry degree",
            }
            out.append((studied.start(), studied.end(), names[subject]))
        for found, _end, chunk in split_parts(text, _PARTS, whole_brackets=False):
            if (
                self.lexicon.qualification_cue.search(chunk)
                and (not _INSTITUTION.search(chunk.split("(")[0]) or self._own_institution(chunk)[1])
            ) or re.match(r"(?i)(bsc|bachelor|master|diploma|degree)\b", chunk):
                piece = re.sub(
                    r"^(?:i\s+(?:have|did|got|finished|completed)\s+(?:an?\s+|my\s+)?|(?:finished|completed|did|have)\s+)",
                    "",
                    chunk,
                    flags=re.IGNORECASE,
                )
                piece = piece.strip(" .")
                if piece:
                    out.append((found, found + len(chunk), piece))
        return out

    def _subjects(self, text: str, award: re.Match[str]) -> list[tuple[int, int, str]]:
        name = award.group(1)
        kind = (
            "GCSE"
            if name.casefold().startswith("gcse")
            else "A level"
            if name.casefold().startswith("a") and "s" not in name.casefold()[:2]
            else name.rstrip("s")
        )
        if name.casefold().startswith(("a level", "a-level", "alevel")):
            kind = "A level"
        shared = re.search(r"\bgrade\s*([A-G]\*?|[1-9])\b", text[award.end() :], re.IGNORECASE)
        out = []
        for subject in self.lexicon.subjects.finditer(text, award.start()):
            after = text[subject.end() : subject.end() + 16]
            grade = re.match(rf"\s*(?:\(|-|:)?\s*{_GRADE}\)?", after)
            value = grade.group(1) if grade and grade.group(1) else (shared.group(1) if shared else None)
            if grade and not re.match(r"\s*(?:\(|-|:|grade)", after, re.IGNORECASE):
                value = shared.group(1) if shared else None
            label = subject.group(0)
            label = label[:1].upper() + label[1:]
            title = f"{kind} {label}" + (f" (grade {value.upper()})" if value else "")
            out.append((subject.start(), subject.end(), title))
        return out

    def _own_institution(self, chunk: str) -> tuple[str, str | None]:
        """An award and the institution written straight after it, with no "from" or comma between:
        "B.Pharm Damascus University" is B.Pharm at Damascus University; "BSc Physiotherapy
        University of Ibadan" is BSc Physiotherapy at the University of Ibadan (a subject word such
        as "Physiotherapy" or "Nursing" belongs to the award, not to the institution's name)."""
        found = _INSTITUTION.search(chunk)
        if not found or not self.lexicon.qualification_cue.search(chunk[: found.start()]):
            return chunk, None
        begin = found.start()
        for word in reversed(list(re.finditer(r"\S+", chunk[: found.start()]))):
            token = word.group(0)
            if (
                self.lexicon.qualification_cue.search(token)
                or not _NAME_WORD.fullmatch(token)
                or token.casefold().strip(".,()") in self.lexicon.award_subjects
            ):
                break
            begin = word.start()
        title = chunk[:begin].strip(" ,-–")
        institution = re.sub(r"\s*\(?\b(19|20)\d\d\b\)?.*$", "", chunk[begin:]).strip(" .,()")
        if not title or not self.lexicon.qualification_cue.search(title) or not institution:
            return chunk, None
        return title, institution

    def _without_place(self, title: str) -> str:
        places = self.lexicon.countries_in(title)
        if places and places[-1][1] >= len(title.rstrip(" .")):
            cut = re.sub(r"\s+(?:in|from|,)\s*$", "", title[: places[-1][0]].rstrip())
            if self.lexicon.qualification_cue.search(cut):
                return cut.strip(" ,")
        return title

    def _institution(self, text: str, start: int, end: int) -> str | None:
        """The institution named with the award: the first one after it ("RN from School of
        Nursing Ibadan and BNSc from Obafemi Awolowo University"), else the first one before."""
        names = []
        for found, _end, chunk in split_parts(text, _PARTS, whole_brackets=False):
            if (
                _INSTITUTION.search(chunk)
                and chunk.strip()
                and not self.lexicon.qualification_cue.search(chunk.split("(")[0])
            ):
                name = re.sub(r"\s*\(?\b(19|20)\d\d\b\)?", "", chunk).strip(" .,()")
                name = re.sub(r"^(?:the\s+)", "", name, flags=re.IGNORECASE)
                name = re.split(r"\s+(?:and|where|in|then)\s+(?=[a-z])", name)[0]
                # "University of Health Sciences, Lahore": keep the name, not the town.
                if name:
                    names.append((found, name))
        after = [n for s, n in names if s >= end]
        return after[0] if after else (names[0][1] if names else None)


def _balanced(text: str) -> str:
    """Close a bracket the cut left open ("Doctor of Medicine (MD" -> "Doctor of Medicine (MD)")."""
    text = text.strip(" ,-–")
    if text.count("(") > text.count(")"):
        text += ")"
    elif text.count(")") > text.count("("):
        text = text.rstrip(")")
    return text.strip()


def _clause_span(piece: Piece, start: int, source: str) -> Span:
    """The clause of ``piece`` holding offset ``start`` (a story's sentence can tell three things)."""
    for clause in clauses(piece):
        if clause.start <= piece.start + start < clause.end:
            return Span(clause.start, clause.end, source[clause.start : clause.end])
    return Span(piece.start, piece.end, source[piece.start : piece.end])
