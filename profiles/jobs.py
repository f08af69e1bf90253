"""Jobs: title, employer, country and years, from CV entries and from residents' sentences.

A CV entry is a line with a date range ("Staff Nurse, Lahore General Hospital, 2016-2021"), or
up to three short lines above one ("Dispenser / Well Pharmacy, Birmingham / 2020 - present");
bullets and indented lines under it are duties. In a story each clause that says someone worked
("I worked as a staff nurse in the ICU at St. Luke's Medical Center, Manila from 2017 to 2022")
is a job. A job title must normalise to an occupation; when the text gives none, the title is
taken from the workplace ("care home": care assistant) or from what the resident says they are
("I am staff nurse from Pakistan"), with a low confidence and a note asking them to check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from matcher import Normaliser
from matcher.text import normalise_text

from .dates import Period, periods
from .draft import Item, Span
from .layout import Piece, split_parts
from .lexicon import Lexicon
from .settings import ExtractSettings

_WORD = re.compile(r"[A-Za-z][\w'’.&-]*")
_WORKED = re.compile(
    r"\b(?:work|works|worked|working|was|were|been|employed|job|did|done|looked after|cared for|helped|helping|"
    r"am|i'm|have|ran|run|running)\b",
    re.IGNORECASE,
)
_IDENTITY = re.compile(r"\b(?:i am|i'm|im|qualified as|trained as|graduated as)\s+(?:an?\s+)?$", re.IGNORECASE)
_JOB_INTENT = re.compile(
    r"\b(?:want|wants|would like|looking for|look for|hope|hoping|wish|plan|planning|going to|will|intend|aim|"
    r"seeking|interested in|apply|applying|when i can|learn|become|towards)\b",
    re.IGNORECASE,
)
#: A job told in the present tense is the one the resident does now, in the UK.
_PRESENT = re.compile(
    r"\b(?:i|im|i'm)\s+(?:am\s+|also\s+|still\s+)?(?:work|working|do|clean|cook|drive)\b(?!\s+(?:before|back))"
    r"|^\s*(?:working|work)\s+(?:as|at|in|for)\b|\bsince\s+(?:\w+\s+)?(?:19|20)\d\d\b(?!\s*(?:-|–|to|until|till))",
    re.IGNORECASE,
)
_CAME = re.compile(
    r"\b(?:came|come|coming|moved|arrived|migrated)\s+(?:to\s+|in\s+|into\s+)?(?:the\s+)?"
    r"(?:uk|u\.k\.|england|britain|birmingham|here)\b|\b(?:in|to)\s+(?:the\s+)?uk\s+since\b",
    re.IGNORECASE,
)
_NOW = re.compile(r"\b(?:now|currently|current|at the moment|at present|present|in the uk|in uk|here)\b", re.IGNORECASE)
_EMPLOYER = re.compile(
    r"\b(?:at|in|for|with)\s+((?:the\s+|a\s+|an\s+|my\s+|her\s+|his\s+)?"
    r"[A-Za-z][\w'’.&-]*(?:\s+(?!(?:for|since|from|in|as|on|at|to|and|then|until|till)\b)[A-Za-z0-9][\w'’.&-]*){0,6})",
    re.IGNORECASE,
)
_PART_SPLIT = re.compile(r"\s*(?:,|\||·|\t|\s[-–—]\s|\s{3,}|;|:\s|\((?=[^)]{16,}\))|\)|\s(?:at|@)\s(?=[A-Z]))\s*")
#: Last words of some occupation labels that are not job titles on their own in a sentence.
_NOT_HEADS = frozenset("academic staff home general bank care health hospital ward team service services work".split())
_NOT_MODIFIERS = frozenset("and or of the a an in for with to at as on i work working worked job".split())
_DURATION_WORDS = frozenset("year years yr yrs month months".split())
_ARTICLE = re.compile(r"^(?:the|a|an|my|her|his)\s+", re.IGNORECASE)
_FILLER_END = re.compile(r"\s+(?:(?:for|since|from|in|as|on|at|to|and|then)\b.*)?$", re.IGNORECASE)


@dataclass(slots=True)
class _Job:
    title: str | None
    title_span: tuple[int, int] | None
    title_score: float
    employer: str | None
    country: str | None
    period: Period | None
    span: tuple[int, int]
    note: str | None = None
    header: list[tuple[int, int]] = field(default_factory=list)
    span_from_story: bool = False
    sentence: int | None = None  # where a story's sentence starts


class JobFinder:
    def __init__(self, normaliser: Normaliser, lexicon: Lexicon, settings: ExtractSettings) -> None:
        self.normaliser = normaliser
        self.lexicon = lexicon
        self.settings = settings
        heads: set[str] = set(lexicon.title_heads)
        modifiers: set[str] = set()
        for concept in normaliser.taxonomy.concepts("occupation"):
            for label in concept.labels:
                words = normalise_text(re.sub(r"\(.*?\)", " ", label)).split()
                if not words:
                    continue
                heads.add(words[-1])
                modifiers.update(words[:-1])
        self.heads = frozenset(
            h for h in heads if (len(h) > 2 or h in lexicon.title_heads) and not h.isdigit() and h not in _NOT_HEADS
        )
        self.modifiers = frozenset(m for m in modifiers if m not in _NOT_MODIFIERS)

    # -- titles ---------------------------------------------------------------------------
    def title_spans(self, text: str) -> list[tuple[int, int]]:
        """Phrases ending in an occupation's head word ("staff nurse", "senior healthcare assistant")."""
        words = list(_WORD.finditer(text))
        out: list[tuple[int, int]] = []
        for i, word in enumerate(words):
            folded = normalise_text(word.group(0))
            if folded not in self.heads:
                continue
            after = text[word.end() : word.end() + 8].casefold()
            if after.startswith((" visa", "s ")):
                continue
            first = i
            while first > 0 and i - first < 3:
                previous = normalise_text(words[first - 1].group(0))
                gap = text[words[first - 1].end() : words[first].start()]
                if previous not in self.modifiers or gap.strip():
                    break
                if previous in _DURATION_WORDS and re.search(r"\d\s*$", text[: words[first - 1].start()]):
                    break  # "6 years staff nurse": the years say how long, not what kind of nurse
                first -= 1
            if i > 0 and words[i - 1].group(0).upper() in ("IELTS", "OET"):
                continue
            if (
                word.group(0)[:1].isupper()
                and re.match(r"\s+[A-Z]", text[word.end() :])
                and (
                    self.lexicon.organisation.match(text, word.end() + 1)
                    and (i == 0 or words[i - 1].group(0)[:1].isupper())
                )
            ):
                continue  # a word of a name: "King Faisal Specialist Hospital", "Nurse Training School"
            end = word.end() - (len(word.group(0)) - len(word.group(0).rstrip(".")))  # "operative." ends a sentence
            out.append((words[first].start(), end))
        # "staff nurse", not also "staff": a span inside a longer one is the same title.
        return [s for s in out if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in out)]

    def _scores(self, phrases: list[str]) -> list[float]:
        usable = [p for p in phrases if normalise_text(p)]
        if not usable:
            return [0.0] * len(phrases)
        results = dict(
            zip(usable, self.normaliser.normalise_many(usable, kind="occupation", limit=1, cutoff=0.0), strict=True)
        )
        return [results[p].best.score if p in results and results[p].best else 0.0 for p in phrases]  # type: ignore[union-attr]

    # -- CVs ------------------------------------------------------------------------------
    def from_cv(self, pieces: Sequence[Piece], today: date) -> tuple[list[Item], list[tuple[int, int]]]:
        """Jobs in a CV's experience sections, and the spans of their header lines."""
        entries: list[tuple[list[Piece], Period | None]] = []
        pending: list[Piece] = []
        for piece in pieces:
            if piece.section != "experience":
                pending = []
                continue
            ranged = [p for p in periods(piece.text, today) if p.kind in ("range", "since")]
            duty = (
                piece.bullet
                or piece.indented
                or piece.text[:1].islower()
                or piece.text.rstrip().endswith(".")
                or ";" in piece.text
            )
            if ranged:
                rest = (piece.text[: ranged[0].start] + piece.text[ranged[0].end :]).strip(" ,|-–—()\t")
                if re.search(r"[A-Za-z]{2}", rest) and (self.title_spans(rest) or not pending):
                    header = [piece]
                else:
                    header = [*pending[-3:], piece]
                entries.append((header, ranged[0]))
                pending = []
            elif duty or len(piece.text) > 70:
                continue
            else:
                pending.append(piece)
        jobs = [self._cv_job(header, period) for header, period in entries]
        return self._items(jobs), [span for job in jobs for span in job.header]

    def _cv_job(self, header: list[Piece], period: Period | None) -> _Job:
        parts: list[tuple[int, int, str]] = []
        for piece in header:
            text = piece.text
            if period is not None and piece is header[-1]:
                text = text[: period.start] + " " * (period.end - period.start) + text[period.end :]
            for found, _end, chunk in split_parts(text, _PART_SPLIT):
                clean = _balanced(chunk.strip(" -–—:\t"))
                if clean.startswith("(") and clean.endswith(")"):
                    clean = clean[1:-1].strip()
                if re.search(r"[A-Za-z]{2}", clean) and not re.fullmatch(r"(?i)present|now|current|to date", clean):
                    offset = piece.start + found + max(0, chunk.find(clean))
                    parts.append((offset, offset + len(clean), clean))
        joined = " ".join(p[2] for p in parts)
        places = [p for p in parts if self._is_place(p[2])]
        others = [p for p in parts if p not in places]
        scores = self._scores([p[2] for p in others])
        title = None
        title_score = 0.0
        for part, score in zip(others, scores, strict=True):
            if score >= self.settings.title_min_score and not self.lexicon.organisation.search(part[2]):
                title, title_score = part, score
                break
        note = None
        if title is None and others:
            title = others[0]
            title_score = 0.7 if self.title_spans(title[2]) else 0.45
            note = "We could not tell the job title for sure: check it."
        employer = next(
            (p for p in others if p is not title and self.lexicon.organisation.search(p[2])),
            next((p for p in others if p is not title and p[2][:1].isupper() and len(p[2].split()) <= 6), None),
        )
        country = self.lexicon.country_of(joined) or ("GB" if self.lexicon.uk_organisation.search(joined) else None)
        start = min(p.start for p in header)
        end = max(p.end for p in header)
        return _Job(
            title=title[2] if title else None,
            title_span=(title[0], title[1]) if title else None,
            title_score=title_score,
            employer=re.sub(r"\s*\(.*?\)\s*$", "", employer[2]) if employer else None,
            country=country,
            period=period,
            span=(start, end),
            note=note,
            # Only the title and employer are kept from skill search: duties on the same line count.
            header=[(p[0], p[1]) for p in (title, employer) if p is not None],
        )

    def _is_place(self, text: str) -> bool:
        found = self.lexicon.countries_in(text)
        if not found:
            return False
        covered = sum(e - s for s, e, _ in found)
        rest = re.sub(r"(?i)\bcity\b", "", text)
        return covered >= len(re.sub(r"\W", "", rest)) * 0.7

    # -- stories --------------------------------------------------------------------------
    def from_story(
        self, clauses: Sequence[tuple[Piece, Piece]], source: str, today: date
    ) -> tuple[list[Item], list[tuple[int, int]]]:
        """Jobs in a story's clauses; each pair is (clause, its sentence)."""
        only_country = {c for _s, _e, c in self.lexicon.countries_in(source)}
        # Jobs told before "came to UK 2021" were in the one other country the story names.
        abroad = {c for c in only_country if c != "GB"}
        origin = next(iter(abroad)) if len(abroad) == 1 else None
        moved = _CAME.search(source)
        came = moved.start() if moved else None
        # Where the resident says they are from ("I am doctor from egypt", "Pharmacist from Syria").
        home = next(
            (
                c
                for m in re.finditer(r"\b(?:from|back home in|in my country,?)\s+", source, re.IGNORECASE)
                for _s, _e, c in self.lexicon.countries_in(source[m.end() : m.end() + 30])[:1]
                if c != "GB" and _s == 0
            ),
            None,
        )
        identity: str | None = None
        found: list[_Job] = []
        candidates = []
        for clause, _sentence in clauses:
            for start, end in self.title_spans(clause.text):
                candidates.append((clause, start, end))
        scores = self._scores([c[0].text[c[1] : c[2]] for c in candidates])
        titles: dict[int, list[tuple[int, int, float]]] = {}
        for (clause, start, end), score in zip(candidates, scores, strict=True):
            if score >= self.settings.title_min_score:
                titles.setdefault(id(clause), []).append((start, end, score))
        for clause, sentence in clauses:
            text = clause.text
            spans = titles.get(id(clause), [])
            job_periods = [p for p in periods(text, today)]
            worked = _WORKED.search(text)
            chosen = None
            for start, end, score in spans:
                before = text[:start]
                if _JOB_INTENT.search(before):
                    continue
                introduces = _IDENTITY.search(before) or (
                    # "Pharmacist from Syria, ...", "Medical doctor from Sudan."
                    not before.strip() and self._from_place(text[end:])
                )
                if introduces and not job_periods and not re.search(r"\b(?:working|worked)\b", text, re.IGNORECASE):
                    identity = identity or text[start:end]
                    continue
                if re.search(r"\bas\s+(?:an?\s+)?$", before) or chosen is None:
                    chosen = (start, end, score)
            if chosen is None and spans:
                continue
            if _JOB_INTENT.search(text[: (chosen[0] if chosen else len(text))]):
                continue
            ranged = [p for p in job_periods if p.kind in ("range", "since")]
            if chosen is not None and chosen[0] == 0 and ranged and "," in text:
                # A CV-style line with no headings around it: "Staff Nurse, Lahore General Hospital, 2016-2021".
                found.append(self._cv_job([clause], ranged[0]))
                found[-1].span_from_story = True
                continue
            employer = self._employer(text, chosen)
            workplace = self.lexicon.workplace.search(text)
            activity = self.lexicon.activity_title(text) if chosen is None and not workplace else None
            if chosen is None:
                org = employer is not None and self.lexicon.organisation.search(employer[2])
                # "10 years in community pharmacy in Aleppo" says it without a verb;
                # "been cleaning offices for 9 years" names the work, not the workplace.
                if (
                    not (worked or job_periods)
                    or not (workplace or org or (activity and job_periods))
                    or self.lexicon.intent.search(text)
                ):
                    continue
            elif not (job_periods or employer or worked):
                continue
            country = self.lexicon.country_of(text)
            if country is None and (
                _NOW.search(text) or _PRESENT.search(text) or self.lexicon.uk_organisation.search(text)
            ):
                country = "GB"
            if country is None:
                # Only what the sentence said up to the end of this clause: in "worked in a hospital
                # 2013-2018, then GP in Riyadh", Riyadh is where the second job was.
                country = self.lexicon.country_of(source[sentence.start : clause.end])
            before_uk = came is not None and clause.end <= came
            if country is None and origin is not None and before_uk:
                country = origin
            if country is None and came is None and home is not None:
                country = home  # "i am doctor from egypt ... worked as resident at Kasr Al Ainy 2013-2018"
            if country is None and len(only_country) == 1 and not (before_uk and only_country == {"GB"}):
                country = next(iter(only_country))
            period = job_periods[0] if job_periods else None
            note = None
            if chosen is not None:
                title = text[chosen[0] : chosen[1]]
                title_span = (clause.start + chosen[0], clause.start + chosen[1])
                title_score = chosen[2]
            elif workplace is not None:
                title = self.lexicon.workplace_titles[workplace.group(0).casefold()]
                title_span = (clause.start + workplace.start(), clause.start + workplace.end())
                title_score = 0.5
                note = f"We guessed the job title from \u201c{workplace.group(0)}\u201d: check it."
            elif activity is not None:
                title, (a_start, a_end) = activity
                title_span = (clause.start + a_start, clause.start + a_end)
                title_score = 0.5
                note = f"We guessed the job title from \u201c{text[a_start:a_end]}\u201d: check it."
            elif identity is not None:
                title, title_span, title_score = identity, None, 0.5
                note = f"We took the job title from \u201c{identity}\u201d: check it."
            elif (
                found
                and found[-1].title
                and found[-1].sentence == sentence.start
                and self.lexicon.health_workplace.search(text)
            ):
                # "staff nurse in the ER of a hospital in Quezon City 2012-2016, then 4 yrs in King
                # Faisal Specialist Hospital": the same work, somewhere else.
                title, title_span, title_score = found[-1].title, None, 0.5
                note = f"We took the job title from the job before (\u201c{title}\u201d): check it."
            else:
                title, title_span, title_score = None, None, 0.5
                note = "Say what your job was."
            found.append(
                _Job(
                    title=title,
                    title_span=title_span,
                    title_score=title_score,
                    employer=employer[2] if employer else None,
                    country=country,
                    period=period,
                    span=(clause.start, clause.end),
                    note=note,
                    span_from_story=True,
                    sentence=sentence.start,
                    header=[
                        s
                        for s in (
                            title_span,
                            (clause.start + employer[0], clause.start + employer[1]) if employer else None,
                        )
                        if s
                    ],
                )
            )
        # A titleless job before "I am staff nurse" is stated still takes that title.
        for job in found:
            if job.title is None and identity is not None:
                job.title, job.title_score = identity, 0.5
                job.note = f"We took the job title from \u201c{identity}\u201d: check it."
        return self._items(found), [span for job in found for span in job.header]

    def _from_place(self, after: str) -> bool:
        """Whether ``after`` (what follows a title) says where the resident is from: "from Syria"."""
        found = re.match(r"\s+(?:from|in)\s+(?:the\s+)?([A-Z][\w .'-]{1,40}?)\s*(?:[,.;]|$)", after)
        return bool(found and self.lexicon.country_of(found.group(1)))

    def _employer(self, text: str, title: tuple[int, int, float] | None) -> tuple[int, int, str] | None:
        best = None
        for match in _EMPLOYER.finditer(text):
            phrase = _ARTICLE.sub("", match.group(1)).strip(" .,")
            phrase = _FILLER_END.sub("", phrase) if False else phrase
            start = match.start(1) + (len(match.group(1)) - len(match.group(1).lstrip()))
            if title and start < title[1] and match.end(1) > title[0]:
                continue
            if not phrase or self._is_place(phrase) or (re.fullmatch(r"(?i)(the )?(uk|nhs)", phrase) and False):
                continue
            if re.search(r"\d{4}|\byears?\b|\bmonths?\b", phrase):
                phrase = re.split(r"\s+\d|\s+(?:for|since)\b", phrase)[0]
            org = self.lexicon.organisation.search(phrase) or self.lexicon.uk_organisation.search(phrase)
            named = phrase[:1].isupper()
            if org and not named:
                # "cafe making coffee": a workplace written in lower case ends at its own word.
                phrase = phrase[: org.end()]
            if not (org or named):
                continue
            if self._is_place(phrase) or re.fullmatch(r"(?i)ward|unit|icu|the icu|medical ward|home", phrase):
                continue
            # Drop a trailing place ("Lahore General Hospital" keeps it; "nursing home in Smethwick" too).
            after_title = title is None or start >= title[1]
            rank = (1 if org else 0, 1 if after_title else 0)
            if best is None or rank > best[0]:
                best = (rank, (start, start + len(phrase), phrase))
        return best[1] if best else None

    def _items(self, jobs: list[_Job]) -> list[Item]:
        items = []
        for job in jobs:
            value = {
                "title": job.title,
                "employer": job.employer,
                "country": job.country,
                "years": job.period.years if job.period else None,
            }
            missing = ("title",) if not job.title else ()
            confidence = job.title_score if job.title else 0.5
            if job.period is None and job.title_score > 0.5:
                confidence *= 0.9
            items.append(
                Item(
                    kind="experience",
                    value=value,
                    span=Span(job.span[0], job.span[1], ""),
                    confidence=min(0.95, confidence),
                    missing=missing,
                    note=job.note,
                    method="sentence" if job.span_from_story else "CV entry",
                )
            )
        return items


def _balanced(text: str) -> str:
    text = text.strip(" ,-–")
    if text.count("(") > text.count(")"):
        text += ")"
    elif text.count(")") > text.count("("):
        text = text.replace(")", "", text.count(")") - text.count("("))
    return text.strip()
