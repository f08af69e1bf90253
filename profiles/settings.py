"""Every limit and threshold of profile extraction, in one typed, validated place."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from matcher import InvalidInputError


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """Settings for :class:`profiles.ProfileExtractor` and :func:`profiles.read_document`."""

    #: Largest file accepted, in bytes (the page promises "up to 2 MB").
    max_file_bytes: int = 2 * 1024 * 1024
    #: Longest text accepted, in characters: about 15 pages of CV; more is not one person's story.
    max_text_chars: int = 40_000
    #: Fewer characters than this are not a story or a CV ("hi").
    min_text_chars: int = 3
    #: A PDF with more pages than this is not a CV (and may be built to exhaust the reader).
    max_pdf_pages: int = 20
    #: Most bytes any one PDF content stream or the whole of a DOCX may inflate to: a CV's are
    #: tens of kilobytes, so this stops decompression bombs long before memory is at risk.
    max_inflated_bytes: int = 8 * 1024 * 1024
    #: Most parts a DOCX zip may hold (a CV has about 20).
    max_zip_entries: int = 500
    #: A PDF page with fewer letters than this on every page has no text layer (a scan).
    min_letters_per_document: int = 20
    #: Skills: a window of at most this many words is normalised.
    skill_window_words: int = 6
    #: Skills: a one-word window must match a label exactly (method exact/alias/stem) and
    #: longer windows must score at least this (0-1), so "ward" or "care" alone never count.
    #: 0.82 has the best loose span F1 on SkillSpan train (0.465; 0.88: 0.445; 0.97: 0.390).
    skill_min_score: float = 0.82
    #: Ranking a sentence's skills (retrieval at k, not a profile): a window counts from this
    #: score. 0.6 was chosen on Decorte TECH validation (benchmarks/extract.py); TECH test and
    #: HOUSE validation were not used to choose it.
    rank_min_score: float = 0.6
    #: Jobs: a phrase counts as a job title when it normalises to an occupation at least this well.
    title_min_score: float = 0.72
    #: Qualifications: a phrase counts when recognised at least this well.
    qualification_min_score: float = 0.62
    #: Items below this confidence are offered to the resident but kept out of the draft profile.
    profile_min_confidence: float = 0.5
    #: "Now" for "2019 - present" and for rejecting test dates in the future (None: today).
    today: date | None = None

    def __post_init__(self) -> None:
        problems = []
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "today":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                problems.append(f"{item.name} must be a non-negative number, got {value!r}")
        for name in (
            "skill_min_score",
            "rank_min_score",
            "title_min_score",
            "qualification_min_score",
            "profile_min_confidence",
        ):
            if not 0 <= getattr(self, name) <= 1:
                problems.append(f"{name} must be between 0 and 1")
        if problems:
            raise InvalidInputError("invalid extraction settings", problems)

    def as_of(self) -> date:
        return self.today or date.today()
