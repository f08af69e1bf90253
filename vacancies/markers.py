"""Markers that person specifications print after a criterion: how it is assessed, and E or D.

NHS adverts say where each criterion is judged: "(A)" application form, "(I)" interview, "(T)"
test, "(R)" references, "(C)" certificates, "(P)" presentation. They write it as codes ("A/I",
"A, I", "App/Int"), as words ("Application form / Interview", "Shortlisting", "Application form
and interview"), after a label ("Assessed by: A/I/T"), in brackets, after a dash, or in a table
column that copying turned into a tab, a pipe or a run of spaces. Some lines also say "(E)" or
"(D)", "Essential", "Desirable" or "desirable but not essential". :func:`read_markers` reads
them off the end of a criterion (and an "(E)"/"(D)" off its start):

>>> read_markers("Compassionate and caring (E) (I)")
Markers(text='Compassionate and caring', methods=('interview',), section='essential')

A letter that belongs to the criterion is left alone: "Vitamin A", "Hepatitis B", "Band A",
"GCSE maths at grade 4 (C)" and "A&E" are not markers, and single-letter codes count only in
capitals. Pure: no I/O, and nothing from the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["METHODS", "SECTIONS", "Markers", "format_methods", "read_markers", "with_methods"]

#: Where a criterion is assessed, in the order adverts usually list the codes.
METHODS = ("application", "interview", "test", "references", "certificates", "presentation")
SECTIONS = ("essential", "desirable")
_CODE = dict(zip(METHODS, "AITRCP", strict=True))


@dataclass(frozen=True, slots=True)
class Markers:
    """A criterion without its markers, where it is assessed (in the order written), and E or D
    when the line itself says which (else None)."""

    text: str
    methods: tuple[str, ...]
    section: str | None


_PHRASES: dict[str, tuple[str, ...]] = {
    "application": (
        "app",
        "apps",
        "application",
        "applications",
        "application form",
        "application forms",
        "app form",
        "af",
        "form",
        "shortlisting",
        "short listing",
        "short-listing",
        "shortlist",
        "sl",
        "cv",
        "supporting statement",
        "supporting information",
        "personal statement",
    ),
    "interview": ("int", "interview", "interviews", "selection centre", "selection center", "panel interview"),
    "test": (
        "test",
        "tests",
        "testing",
        "practical test",
        "written test",
        "numeracy test",
        "literacy test",
        "typing test",
        "skills test",
        "practical assessment",
        "assessment centre",
        "assessment center",
    ),
    "references": ("ref", "refs", "reference", "references"),
    "certificates": (
        "cert",
        "certs",
        "certificate",
        "certificates",
        "certification",
        "certificate check",
        "documents",
        "documentation",
        "registration check",
        "qualification certificates",
    ),
    "presentation": ("pres", "presentation", "presentations"),
    "essential": ("essential",),
    "desirable": ("desirable", "preferred", "desirable but not essential", "but not essential", "not essential"),
}
#: Lower-case word or phrase -> method or section name.
_WORDS = {phrase: name for name, phrases in _PHRASES.items() for phrase in phrases}
#: Capital letter codes (a lower-case "a" or "i" is a word, or a list numbering, not a code).
_LETTERS = {**{code: name for name, code in _CODE.items()}, "E": "essential", "D": "desirable"}

#: "Assessed by:", "Method of assessment -", "How assessed:" before the codes; the plain words
#: "Assessment", "Method" and "Evidence" only with a colon or dash ("risk assessment" is a skill).
_LABEL = re.compile(
    r"^(?:(?:assessed\s+(?:by|at|via|through)|methods?\s+of\s+assessment|assessment\s+method|how\s+(?:assessed|"
    r"evidenced|identified|measured)|evidenced\s+by|measured\s+by|when\s+(?:is\s+this\s+)?evaluated|m\.?o\.?a\.?)"
    r"\s*[:\-–—]?|(?:assessment|method|evidence)\s*[:\-–—])\s*",
    re.IGNORECASE,
)
# A group's pieces: separated by / , & + ; or the word "and" (a lone space only between codes: "E A").
_SPLIT = re.compile(r"\s*(?:[/,&+;\\]|\band\b)\s*", re.IGNORECASE)
#: Words right before letters that make them part of the criterion ("Vitamin A", "grade 4 (C)",
#: "Category C licence", "Class A drugs", "blood group A").
_OWNS_LETTER = re.compile(
    r"(?:\b(?:vitamins?|hepatitis|hep|bands?|categor(?:y|ies)|class|blood\s+group|annex|appendix|schedule)\s*|"
    r"\bgrades?\s*(?:\d+\s*)?)$",
    re.IGNORECASE,
)
_LISTED_LETTERS = re.compile(r"(?:\b[A-Z]\b(?:\s*(?:[,/&+]|\band\b))?\s*)+$")
#: Words too common in criteria to be read as markers without brackets, a label or a column.
_WEAK = frozenset(
    "form forms documents documentation certification testing tested tests cv af sl reference applications "
    "interviews presentations preferred".split()
) | {"not essential", "but not essential"}
# Where a table cell or a trailing marker starts: a tab, a pipe, a run of spaces, a spaced dash or slash.
_CELL_BREAK = re.compile(r"\t|\s*\|\s*|\s{2,}|\s+[-–—/]+\s+|\s+[-–—]+$")
_DOTTED = re.compile(r"[AITRCPED](?:\.[AITRCPED])+\.?")
_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]\s*$")
_WORD_START = re.compile(r"(?:(?<=^)|(?<=[\s\-–—:;,|]))(?=[A-Za-z])")
_LEADING = re.compile(r"^\s*[(\[]\s*(E|D|[Ee]ssential|[Dd]esirable)\s*[)\]]\s*")
#: Space and punctuation left at either end when the markers are gone ("Evidence of CPD -").
_ENDS = re.compile(r"^[\s|:;,\-–—]+|[\s|:;,\-–—]+$")
_TRAILING = re.compile(r"[\s|:;,.\-–—]+$")


def read_markers(text: str) -> Markers:
    """The criterion ``text`` without its markers; its methods in the order written; E or D."""
    rest = text.rstrip()
    first: list[str] = []
    if leading := _LEADING.match(rest):  # "(E) Current NMC registration"
        first.append(_LETTERS.get(leading[1]) or _WORDS[leading[1].casefold()])
        rest = rest[leading.end() :]
    groups: list[list[str]] = []  # right to left
    while True:
        found = _trailing_group(rest)
        if found is None:
            break
        rest, names = found
        groups.append(names)
    if (bare := _ENDS.sub("", rest)) and (whole := _group(bare)) is not None:
        groups.append(whole)  # a table cell that holds only the markers: "A/I", "Interview", "E"
        rest = ""
    names = first + [name for group in reversed(groups) for name in group]
    methods = tuple(dict.fromkeys(name for name in names if name in _CODE))
    section = next((name for name in names if name in SECTIONS), None)
    text = " ".join(rest.split())
    return Markers(_ENDS.sub("", text) if names else text, methods, section)


def format_methods(methods: Iterable[str]) -> str:
    """('application', 'interview') -> '(A/I)'; nothing -> ''."""
    codes = [_CODE[method] for method in dict.fromkeys(methods)]
    return f"({'/'.join(codes)})" if codes else ""


def with_methods(text: str, methods: Iterable[str]) -> str:
    """The criterion with its methods written the one way: 'Compassionate and caring (I)'."""
    marker = format_methods(methods)
    return f"{text} {marker}" if marker and text else text or marker


def _trailing_group(text: str) -> tuple[str, list[str]] | None:
    """(text before, names) for the last marker group of ``text``, or None when it ends otherwise."""
    stripped = _TRAILING.sub("", text)
    if not stripped:
        return None
    # "(A/I)", "[Shortlisting]", "(Assessed by: A/I)". A bracket that is not a marker ends the search.
    if bracketed := _BRACKETED.search(stripped):
        names = _group(bracketed[1])
        before = stripped[: bracketed.start()]
        if names is None or _owns(before, bracketed[1]):
            return None
        return before.rstrip(), names
    # "... - Assessed by: A/I/T", "...; Assessment: Application form".
    for start in _WORD_START.finditer(stripped):
        candidate = stripped[start.start() :]
        if _LABEL.match(candidate) and (names := _group(candidate)) is not None:
            return stripped[: start.start()].rstrip(), names
    # A table cell or a part after a spaced dash: "...\tA/I", "...  Essential", "... - A/I", "... | I".
    breaks = list(_CELL_BREAK.finditer(stripped))
    if breaks:
        cell = stripped[breaks[-1].end() :]
        names = _group(cell) if cell else None
        if names is not None and not _owns(stripped[: breaks[-1].start()], cell):
            return stripped[: breaks[-1].start()], names
    # Bare codes after a space: "... A/I", "... A, I, T"; or words: "... Application form/Interview".
    return _bare_group(stripped)


def _bare_group(text: str) -> tuple[str, list[str]] | None:
    for start in [match.start() for match in re.finditer(r"(?<=\s)\S", text)][-8:]:  # longest first
        candidate = text[start:]
        if not candidate[:1].isupper() or not _SPLIT.search(candidate) or _owns(text[:start], candidate, listed=True):
            continue  # one bare word belongs to the criterion ("at interview", "Vitamin A")
        names = _group(candidate, bare=True)
        if names is not None and len(names) >= 2:
            return text[:start].rstrip(), names
    return None


def _group(text: str, *, bare: bool = False) -> list[str] | None:
    """The names in one marker group ("A/I", "Application form, interview", "Assessed by: T"), or None."""
    body = text.strip()
    if label := _LABEL.match(body):
        body = body[label.end() :]
    body = body.strip(" .:-–—")
    if not body:
        return None
    pieces = [piece.strip().rstrip(".") for piece in _SPLIT.split(body)]
    names: list[str] = []
    for piece in pieces:
        found = _piece(piece, bare=bare)
        if found is None:
            return None
        names.extend(found)
    joined = {separator.strip().casefold() for separator in _SPLIT.findall(body)}
    if joined & {"&", "and"} and (set(pieces) == {"A", "E"} or {"E", "D"} <= set(pieces)):
        return None  # "A&E", "A and E" (the department), "E&D" (equality and diversity)
    return names


def _piece(piece: str, *, bare: bool) -> list[str] | None:
    """One piece of a group: a known word or phrase, a capital code, or codes spaced out ("E A")."""
    if piece in _LETTERS:
        return [_LETTERS[piece]]
    words = " ".join(piece.casefold().split())
    if words in _WORDS and not (bare and words in _WEAK):
        return [_WORDS[words]]
    parts = piece.split()
    if len(parts) > 1 and all(part in _LETTERS for part in parts):
        return [_LETTERS[part] for part in parts]
    if _DOTTED.fullmatch(piece):  # "A.I", "A.I.T."
        return [_LETTERS[letter] for letter in piece.replace(".", "")]
    return None


def _owns(before: str, group: str, *, listed: bool = False) -> bool:
    """True when code letters belong to the words before them: "Vitamin (A)", "grade 4 (C)", "Vitamins A, C"."""
    letters = [piece.strip(" ()[]") for piece in _SPLIT.split(group.strip(" ()[]"))]
    if not all(len(letter) == 1 for letter in letters):
        return False
    before = before.rstrip(" -–—\t|")
    if listed:  # "Vitamins A, C and D": letters listed before a bare group belong to the same word
        before = _LISTED_LETTERS.sub("", before)
    return bool(_OWNS_LETTER.search(before))
