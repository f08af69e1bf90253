"""English test results as residents write them: "IELTS 7 (W 6.5)", "IELTS Academic L 8.5 R 8
W 7 S 7.5 overall 8", "IELTS 7 in each band", "OET B B B C+", "OET: Listening A, Reading B, ...".

Only what the text states is taken. Grades written in a row are in the order results are printed
(listening, reading, writing, speaking); a test named only "IELTS" is taken to be Academic (what
health regulators accept) and says so. A result without all four parts is kept as an item that
says what is missing, and stays out of the draft profile until the resident gives the rest.
"""

from __future__ import annotations

import re
from datetime import date

from .dates import relative_date, single_dates
from .draft import Item, Span
from .lexicon import Lexicon

PARTS = ("listening", "reading", "writing", "speaking")
_TEST = re.compile(r"\b(IELTS|OET)\b", re.IGNORECASE)
_BAND = r"(?:[0-8](?:\.[05])?|9(?:\.0)?)(?!\d)"
_GRADE = r"(?:A|B|C\+|C|D|E)(?![\w+])"
_OET_SCORE = r"(?:[1-4]\d0|500)"
_LABELS = {
    "listening": r"listening|list\.?|L",
    "reading": r"reading|read\.?|R",
    "writing": r"writing|writ\.?|W",
    "speaking": r"speaking|speak\.?|S",
    "overall": r"overall(?:\s+band)?(?:\s+score)?|average|total|band score|O/?A",
}
_EACH = re.compile(
    rf"({_BAND})\s+(?:in|on|for)\s+(?:each|every|all)\b|(?:each|every|all)\s+(?:band|part|section|component)s?\s*(?:of|at|=|:)?\s*({_BAND})",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:no|not yet|yet to|will|going to|want|plan|planning|studying for|preparing|booked|need|hope|next)\b",
    re.IGNORECASE,
)


def _oet_grade(raw: str) -> str:
    if raw.isdigit():  # OET's 0-500 scale: 450+ A, 350+ B, 300+ C+, 200+ C, 100+ D
        score = int(raw)
        return (
            "A"
            if score >= 450
            else "B"
            if score >= 350
            else "C+"
            if score >= 300
            else "C"
            if score >= 200
            else "D"
            if score >= 100
            else "E"
        )
    return raw.upper()


def find_tests(text: str, lexicon: Lexicon, today: date) -> list[Item]:
    """Every English test result stated in ``text``."""
    mentions = list(_TEST.finditer(text))
    items: list[Item] = []
    for number, mention in enumerate(mentions):
        end = mentions[number + 1].start() if number + 1 < len(mentions) else len(text)
        # The result runs to the end of its line or sentence (a CV puts one test per line).
        stop = re.search(
            r"\n\s*\n|\n(?=\s*[A-Z][A-Za-z ]{2,30}:)|(?<=[a-z\d)])\.\s+(?=[A-Z])|\n(?=[A-Z][A-Z ]{3,}\n)",
            text[mention.end() : end],
        )
        window_end = mention.end() + stop.start() if stop else end
        window_end = min(window_end, mention.end() + 220)
        line_start = text.rfind("\n", 0, mention.start()) + 1
        before = text[max(line_start, mention.start() - 40) : mention.start()]
        before = re.split(r"[.!?]\s", before)[-1]
        item = _read_one(text, mention, window_end, before, today)
        if item is not None:
            items.append(item)
    return items


def _read_one(text: str, mention: re.Match[str], window_end: int, before: str, today: date) -> Item | None:
    family = mention.group(1).upper()
    window = text[mention.end() : window_end]
    scores: dict[str, float | str] = {}
    value = _GRADE if family == "OET" else _BAND
    if family == "OET":
        value = rf"(?:{_GRADE}|{_OET_SCORE})"
    first_score = re.search(value, window)
    lead = window[: first_score.start()] if first_score else window
    if _NEGATIVE.search(before) or _NEGATIVE.search(lead):
        return None
    for part, label in _LABELS.items():
        match = re.search(
            rf"(?<![A-Za-z])(?:{label})(?![A-Za-z])\s*[:=\-]?\s*(?:band\s*|grade\s*)?({value})",
            window,
            re.IGNORECASE if len(label) > 2 else 0,
        )
        if match is None and part != "overall":
            match = re.search(rf"(?<![A-Za-z])(?:{label})(?![A-Za-z])\s*[:=\-]?\s*({value})", window, re.IGNORECASE)
        if match:
            raw = match.group(1)
            scores[part] = _oet_grade(raw) if family == "OET" else float(raw)
    method = "labelled parts"
    confidence = 0.9
    each = _EACH.search(window) if family == "IELTS" else None
    if each:
        band = float(each.group(1) or each.group(2))
        for part in PARTS:
            scores.setdefault(part, band)
        scores.setdefault("overall", band)
        method = "each band"
    if not any(p in scores for p in PARTS):
        # Bare results in a row: "OET B B B C+", "IELTS 7, 7.5, 6.5, 7".
        row = re.match(rf"[^\w]*(?:\w+\W+){{0,3}}?((?:{value})(?:[\s,/]+(?:{value})){{3,4}})(?!\S*\d)", window)
        if row:
            grades = re.findall(value, row.group(1))
            if len(grades) in (4, 5):
                for part, raw in zip(PARTS, grades, strict=False):
                    scores[part] = _oet_grade(raw) if family == "OET" else float(raw)
                if len(grades) == 5 and family == "IELTS":
                    scores["overall"] = float(grades[4])
                method = "results in a row (listening, reading, writing, speaking)"
                confidence = 0.7
    if family == "IELTS" and "overall" not in scores:
        before_label = re.search(rf"(?<![\d.])({_BAND})\s*(?:overall|average|band score)\b", window, re.IGNORECASE)
        if before_label:
            scores["overall"] = float(before_label.group(1))
    if family == "IELTS" and "overall" not in scores:
        # "IELTS 7 (W 6.5)", "IELTS Academic 7.5 overall": the first band right after the name.
        head = re.match(
            rf"\W*(?:academic|general(?:\s+training)?|gt|ukvi|\(academic\)|\(general\)|score|band|result|was|is|of|[,:(\s])*\s*({_BAND})(?!\s*(?:years?|months?))",
            window,
            re.IGNORECASE,
        )
        if head:
            scores["overall"] = float(head.group(1))
    if not scores:
        return None
    if family == "IELTS":
        general = re.search(r"\bgeneral\b|\bGT\b", text[mention.start() : window_end], re.IGNORECASE)
        academic = re.search(r"\bacademic\b", text[mention.start() : window_end], re.IGNORECASE)
        name = "IELTS General Training" if general and not academic else "IELTS Academic"
    else:
        name = "OET"
    notes = []
    if family == "IELTS" and not re.search(
        r"\bacademic\b|\bgeneral\b|\bGT\b", text[mention.start() : window_end], re.IGNORECASE
    ):
        notes.append("We took this to be IELTS Academic: check it was not General Training.")
        confidence = min(confidence, 0.75)
    if method.startswith("results in a row"):
        notes.append("We read the grades in the order listening, reading, writing, speaking: check them.")
    taken = None
    for _start, _end, moment in single_dates(text[mention.start() : window_end]):
        found = moment.as_date()
        if found is not None and found <= today:
            taken = found
            break
        if found is None and moment.year <= today.year:
            notes.append(f"Give the month you took it in {moment.year}: results count for 2 years.")
            break
    else:
        relative = relative_date(text[mention.start() : window_end], today)
        if relative is not None:
            taken = relative[2]
            said = text[mention.start() + relative[0] : mention.start() + relative[1]].rstrip(".")
            notes.append(f"We took \u201c{said}\u201d to be {taken:%B %Y}: check it.")
    value_out: dict[str, object] = {"test": name}
    for part in (*PARTS, "overall"):
        if part in scores:
            value_out[part] = scores[part]
    if taken is not None:
        value_out["date"] = taken.isoformat()
    missing = tuple(p for p in PARTS if p not in scores)
    span_end = _trim_end(text, mention.start(), window_end)
    return Item(
        kind="language_test",
        value=value_out,
        span=Span(mention.start(), span_end, text[mention.start() : span_end]),
        confidence=confidence,
        missing=missing,
        note=" ".join(notes)
        or (f"Add your {', '.join(missing)} result{'s' if len(missing) > 1 else ''}." if missing else None),
        method=method,
    )


def _trim_end(text: str, start: int, end: int) -> int:
    chunk = text[start:end].rstrip(" \t\n,;.")
    return start + len(chunk)
