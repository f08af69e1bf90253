"""Method-of-assessment markers that NHS person specifications print beside each criterion.

"Compassionate and caring (I)", "NMC registration - A/C", "Good IT skills (Application/Interview)",
"Willing to work shifts  E  I": :func:`read_markers` takes the marker off the criterion and says
which methods it names and, when the line itself says so, whether it is essential or desirable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Letters and words adverts use for each method (NHS Jobs / Trac person specifications).
_METHOD_WORDS = {
    "a": "application",
    "af": "application",
    "app": "application",
    "application": "application",
    "application form": "application",
    "shortlisting": "application",
    "cv": "application",
    "i": "interview",
    "int": "interview",
    "interview": "interview",
    "t": "test",
    "test": "test",
    "assessment": "test",
    "r": "references",
    "ref": "references",
    "refs": "references",
    "references": "references",
    "reference": "references",
    "c": "certificates",
    "cert": "certificates",
    "certificate": "certificates",
    "certificates": "certificates",
    "p": "presentation",
    "presentation": "presentation",
}
_SECTION_WORDS = {"e": "essential", "essential": "essential", "d": "desirable", "desirable": "desirable"}
_WORD = "|".join(sorted((re.escape(w) for w in _METHOD_WORDS), key=len, reverse=True))
_SEP = r"\s*(?:/|,|&|\band\b|\bor\b|\+|\s)\s*"
_METHODS = rf"(?:{_WORD})(?:{_SEP}(?:{_WORD}))*"
#: "(A)", "(A/I)", "[I]", "(Application/Interview)", "(assessed by: A, I)".
_BRACKETED = re.compile(
    rf"[\(\[]\s*(?:(?:method of )?assess(?:ed|ment)(?: by| method)?\s*:?\s*)?(?P<m>{_METHODS})\s*[\)\]]\s*$",
    re.IGNORECASE,
)
#: "- A/I", ": Application form / Interview", "Assessed by: T", "   A, I" (a table column).
_TRAILING = re.compile(
    rf"(?:\s+[-–:|]\s*|\s*\t+\s*|\s{{2,}}|\s*\|\s*|\s+(?:method of )?assess(?:ed|ment)(?: by| method)?\s*:?\s*)"
    rf"(?P<m>{_METHODS})\s*\.?$",
    re.IGNORECASE,
)
#: "Experience of acute care A/I": letters joined by slashes are a marker even after one space.
_SLASHED = re.compile(r"\s+(?P<m>(?:AF|[AITRCP])(?:\s*/\s*(?:AF|[AITRCP]))+)\s*\.?$")
_SECTION = re.compile(r"(?:[\(\[]\s*(?P<b>E|D)\s*[\)\]]|(?:\t+|\s{2,}|\s*\|\s*)(?P<c>E|D|Essential|Desirable))\s*$")
_SECTION_WORD_END = re.compile(r"(?:\s*[-–:|]\s*|\s{2,}|\t+)(?P<c>Essential|Desirable)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Markers:
    """A criterion without its markers, the methods named (in order) and the section it states."""

    text: str
    methods: tuple[str, ...] = ()
    section: str | None = None


def _methods(found: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in re.split(_SEP, found.strip(), flags=re.IGNORECASE):
        method = _METHOD_WORDS.get(part.strip().casefold())
        if method and method not in out:
            out.append(method)
    return tuple(out)


def _single_letter_is_text(text: str, match: re.Match[str]) -> bool:
    """ "Vitamin A", "Hepatitis B", "Band C": a lone letter after a word that takes one is text."""
    found = match.group("m").strip()
    if len(found) != 1 or "(" in match.group(0) or "[" in match.group(0):
        return False
    before = text[: match.start()].split()
    return bool(before) and before[-1].casefold().strip(".,:-") in {"vitamin", "hepatitis", "band", "grade", "type"}


def read_markers(text: str) -> Markers:
    """Take method-of-assessment and essential/desirable markers off the end of a criterion."""
    rest = text.strip()
    methods: tuple[str, ...] = ()
    section: str | None = None
    for _ in range(3):  # "Caring (E) (I)", "Caring  E  A/I": markers may stack in either order
        changed = False
        for pattern in (_BRACKETED, _TRAILING, _SLASHED):
            match = pattern.search(rest)
            if match and match.start() > 0 and not _single_letter_is_text(rest, match):
                methods = _methods(match.group("m")) + tuple(m for m in methods if m not in _methods(match.group("m")))
                rest = rest[: match.start()].rstrip(" -–:|\t")
                changed = True
                break
        for pattern in (_SECTION, _SECTION_WORD_END):
            match = pattern.search(rest)
            if match and match.start() > 0 and section is None:
                word = (match.groupdict().get("b") or match.group("c")).casefold()
                section = _SECTION_WORDS.get(word)
                rest = rest[: match.start()].rstrip(" -–:|\t")
                changed = True
                break
        if not changed:
            break
    return Markers(rest or text.strip(), methods, section)
