"""The shape of a text: lines, CV sections and sentences, every piece with its offsets.

A CV has headings ("EMPLOYMENT HISTORY", "Languages: ...") that say what the lines under them
are; a story has none, and is read sentence by sentence. PDF text wraps long lines, so a line
that was cut at the margin is joined to the next one again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon

#: "HEADING: content" on one line ("LANGUAGES: Tamil, English").
_INLINE_HEADING = re.compile(r"^\s*([A-Za-z][A-Za-z &/]{1,40}?)\s*:\s*(\S.*)?$")
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦–]|\d+[.)])\s+")
# A sentence ends at . ! ? followed by a space, except after abbreviations and initials.
_ABBREVIATIONS = {"st", "dr", "mr", "mrs", "ms", "no", "eg", "e.g", "ie", "i.e", "etc", "approx", "dept", "hons", "inc"}
#: Abbreviations that come before a name ("St. Luke's", "Dr. Khan"): a sentence never ends there.
#: The others ("dept.", "etc.") often end one: "in the medicine dept. Came to UK 2021."
_NAME_ABBREVIATIONS = {"st", "dr", "mr", "mrs", "ms", "no"}
#: Words that start a new sentence even in lower case ("... emergency dept. now HCA in ...").
_STARTS_SENTENCE = re.compile(r"\s+(?:[A-Z]|(?:now|then|i|im|i'm|before|after|since|currently|also|came|come|moved)\b)")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s+|$)")
# Clauses: where one sentence tells two things ("..., then ...", "...; ...", "... and then ...").
_CLAUSE_SPLIT = re.compile(
    r"\s*(?:;|,?\s+then\s+|,?\s+and then\s+|,\s*before that\s+|,\s+now\s+|,\s+but\s+|\s+but\s+|,\s+(?=I\s))\s*",
    re.IGNORECASE,
)
_WRAP_MIN = 75  # a PDF line this long that ends mid-sentence was probably wrapped at the margin


@dataclass(frozen=True, slots=True)
class Piece:
    """Characters ``start:end`` of the text, with what part of a CV they are in."""

    start: int
    end: int
    text: str
    section: str | None  # None: no heading above (a story, or a CV's contact lines)
    bullet: bool = False
    indented: bool = False


def _heading(line: str, lexicon: Lexicon) -> tuple[str | None, int]:
    """The section a line opens, and where its own content starts (0: the line is all heading)."""
    stripped = line.strip().rstrip(":").strip()
    kind = lexicon.headings.get(stripped.casefold())
    if kind:
        return kind, len(line)
    match = _INLINE_HEADING.match(line)
    if match:
        kind = lexicon.headings.get(match.group(1).strip().casefold())
        if kind and match.group(2):
            return kind, match.start(2)
    return None, 0


def lines(text: str, lexicon: Lexicon) -> list[Piece]:
    """Logical lines (wrapped ones joined) with their sections; blank lines and headings dropped."""
    raw: list[tuple[int, int]] = []
    position = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            raw.append((position, position + len(body)))
        position += len(line)
    out: list[Piece] = []
    section: str | None = None
    seen_heading = False
    for start, end in raw:
        line = text[start:end]
        kind, content = _heading(line, lexicon)
        if kind:
            section, seen_heading = kind, True
            if content >= len(line):
                continue
            start += content
            line = text[start:end]
        stripped = line.strip()
        if out and _continues(out[-1], line):
            previous = out[-1]
            out[-1] = Piece(
                previous.start, end, text[previous.start : end], previous.section, previous.bullet, previous.indented
            )
            continue
        lead = len(line) - len(line.lstrip())
        out.append(
            Piece(
                start + lead,
                end - (len(line) - len(line.rstrip())),
                stripped,
                section if seen_heading else None,
                bullet=bool(_BULLET.match(line)),
                indented=lead >= 2,
            )
        )
    return out


def _continues(previous: Piece, line: str) -> bool:
    """Whether ``line`` is the rest of ``previous``, cut at a PDF's margin."""
    stripped = line.strip()
    if not stripped or _BULLET.match(line):
        return False
    before = previous.text.rstrip()
    if before.endswith(",") and len(before) >= 40 and len(stripped) <= 40 and not re.search(r"\d{4}", stripped):
        return True
    return len(before) >= _WRAP_MIN and not before.endswith((".", ":", "!", "?")) and stripped[0].islower()


def sentences(piece: Piece) -> list[Piece]:
    """The sentences of one line or paragraph."""
    out: list[Piece] = []
    begin = 0
    text = piece.text
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"([\w.]+)$", text[: match.start()])
        abbreviation = word.group(1).casefold().rstrip(".") if word else ""
        if word and (
            (
                abbreviation in _ABBREVIATIONS
                and (abbreviation in _NAME_ABBREVIATIONS or not _STARTS_SENTENCE.match(text, match.end()))
            )
            or (len(word.group(1)) == 1 and word.group(1).isalpha())
        ):
            continue
        _add(out, piece, begin, match.end())
        begin = match.end()
    _add(out, piece, begin, len(text))
    return out


def clauses(piece: Piece) -> list[Piece]:
    """The clauses of one sentence (see ``_CLAUSE_SPLIT``)."""
    out: list[Piece] = []
    begin = 0
    for match in _CLAUSE_SPLIT.finditer(piece.text):
        _add(out, piece, begin, match.start())
        begin = match.end()
    _add(out, piece, begin, len(piece.text))
    return out


def _add(out: list[Piece], piece: Piece, begin: int, end: int) -> None:
    chunk = piece.text[begin:end]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk) - len(chunk.rstrip())
    if chunk.strip():
        out.append(
            Piece(
                piece.start + begin + lead,
                piece.start + end - trail,
                chunk.strip(),
                piece.section,
                piece.bullet,
                piece.indented,
            )
        )


def is_cv(pieces: list[Piece]) -> bool:
    """Whether the text has CV headings (else it is read as a story)."""
    return sum(1 for p in pieces if p.section is not None) >= max(2, len(pieces) // 3)


_SHORT_BRACKETS = re.compile(r"\([^(),;|]{1,15}\)")


def split_parts(text: str, separators: re.Pattern[str], *, whole_brackets: bool = True) -> list[tuple[int, int, str]]:
    """``text`` cut at ``separators`` (start, end, part), never inside a short bracket such as
    "(Hons)", "(Band 3)" or "(BPT)"; with ``whole_brackets`` a longer bracket is not cut at its
    commas either ("(work placement, 12 weeks)")."""
    masked = _SHORT_BRACKETS.sub(lambda m: "\x01" * len(m.group(0)), text)
    if whole_brackets:
        masked = re.sub(
            r"\([^()]*\)", lambda m: m.group(0)[0] + re.sub(r"[,;|]", "\x02", m.group(0)[1:-1]) + m.group(0)[-1], masked
        )
    out = []
    position = 0
    for match in separators.finditer(masked):
        if match.start() > position:
            out.append((position, match.start(), text[position : match.start()]))
        position = match.end()
    if position < len(text):
        out.append((position, len(text), text[position:]))
    return [(s, e, p) for s, e, p in out if p.strip()]
