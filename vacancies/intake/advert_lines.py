"""What one line of a free-text advert is: a heading (of a part, of Essential/Desirable, of a topic),
a label, a key to the markers, page layout, or a value the details give in their own words.

The vocabularies are what NHS Jobs, Trac and trusts' own pages and PDF packs print (see the adverts
in fixtures/intake/adverts). Recognising a line never raises; it returns None for "not this".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vacancies.markers import read_markers

from .fields import _CONTRACT, _pattern_word
from .record import _BULLET, _FIELD_OF, _key


def bulleted(line: str) -> bool:
    """A list item ("- ", "• ", "1. ", "a) "), not markdown bold ("**Essential**")."""
    return bool(_BULLET.match(line)) and not line.lstrip().startswith(("**", "__"))


_EMPHASIS = re.compile(r"\*\*|__")
_HEADING_MARK = re.compile(r"^#+\s*")
_NOT_WORD = re.compile(r"[^0-9a-z']+")
# The recognisers below are pure functions of one line, and the reader asks several of them about
# each line (and the same line again when it ends a value above): each keeps its recent answers.
_cached = lru_cache(maxsize=4096)


@_cached
def plain(line: str) -> str:
    """A line without markdown emphasis, heading marks or surrounding space."""
    return _HEADING_MARK.sub("", _EMPHASIS.sub("", line).strip()).strip()


@_cached
def words_of(text: str) -> str:
    """'Further details / informal visits contact:' -> 'further details informal visits contact'."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold().replace("&", " and ")).split())


# -- parts of an advert ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Part:
    """A part of the advert and what its lines are: ``kind`` is "spec" (the person specification),
    "prose" (skipped, for ``reason``), "contact" (skipped, labels too: a contact's "Job title" is
    not the vacancy's), "employer_heading" (Trac's heading: title and band) or "details"."""

    name: str | None
    kind: str
    reason: str = "prose"


_PARTS: dict[str, tuple[str, str]] = {}  # heading words -> (kind, reason)


def _parts(kind: str, reason: str, headings: str) -> None:
    for heading in headings.split(";"):
        _PARTS[words_of(heading)] = (kind, reason)


_parts(
    "prose",
    "about the job",
    "job summary; job overview; job purpose; purpose of the role; the role; about the role; role summary; "
    "overview; summary; main duties of the job; main duties; key duties; main responsibilities; key responsibilities; "
    "duties and responsibilities; job responsibilities; job description; job description and main responsibilities; "
    "detailed job description and main responsibilities; what you will be doing; what you'll be doing; "
    "what you will do; your role; the post; about the post",
)
_parts(
    "prose",
    "about the employer",
    "about us; about the trust; about the team; about the department; about the service; about our trust; "
    "working for our organisation; why join us; why work for us; benefits; staff benefits; what we offer; "
    "what we can offer you; what we can offer; in return we offer; in return we can offer you; our offer to you; "
    "employer certification accreditation badges; employer certification; our values; trust values",
)
_parts(
    "prose",
    "how to apply",
    "how to apply; what next; next steps; apply online now; apply now; documents to download; supporting documents; "
    "application process; the interview",
)
_parts(
    "contact",
    "contact details",
    "contact details; contact; contacts; contact information; further details informal visits contact; "
    "further details; informal enquiries; informal visits; informal enquiries and visits; further information; "
    "for further information; for more information; enquiries",
)
_parts(
    "prose",
    "notes and checks",
    "please note; additional information; important information; disclosure and barring service check; "
    "disclosure and barring service; dbs; dbs check; certificate of sponsorship; sponsorship; visa sponsorship; "
    "uk registration; right to work; rehabilitation of offenders; equality and diversity; equal opportunities; "
    "pre employment checks",
)
_parts("details", "prose", "details; job details; vacancy details; post details; summary information; employer details")
_parts("employer_heading", "about the employer", "employer heading")
_parts(
    "spec",
    "prose",
    "person specification; person spec; personnel specification; person specification and criteria; "
    "selection criteria; essential and desirable criteria; job requirements; requirements; criteria; "
    "entry criteria; about you; what we are looking for; who we are looking for; what you will need; "
    "what you'll need; the person",
)
#: Lines that open a part as they start ("Please note: we may close this advert early ..."); the
#: line itself belongs to the part. (part name, kind, reason)
_OPENERS: tuple[tuple[re.Pattern[str], str, str, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name, kind, reason)
    for pattern, name, kind, reason in (
        (r"^please\s+note\b", "Please note", "prose", "notes and checks"),
        (
            r"^(?:this|the)\s+(?:post|role|position|appointment)\s+(?:is|will\s+be)\s+subject\s+to\b",
            "Pre-employment checks",
            "prose",
            "notes and checks",
        ),
        (
            r"^all\s+(?:posts|appointments|offers)\s+(?:are|will\s+be)\s+subject\s+to\b",
            "Pre-employment checks",
            "prose",
            "notes and checks",
        ),
        (r"^we\s+reserve\s+the\s+right\b", "Please note", "prose", "notes and checks"),
        (r"^applications\s+from\s+job\s+seekers\s+who\s+require\b", "Sponsorship", "prose", "notes and checks"),
        (
            r"^(?:for\s+(?:further|more)\s+(?:information|details)|for\s+an\s+informal|informal\s+enquiries|"
            r"if\s+you\s+(?:would\s+like|have\s+any\s+questions|wish\s+to\s+discuss))\b",
            "Contact details",
            "contact",
            "contact details",
        ),
        (
            r"^(?:interviews\s+will\s+be\s+held|shortlisted\s+candidates\s+will)\b",
            "What next?",
            "prose",
            "how to apply",
        ),
    )
)


@_cached
def part_heading(line: str) -> Part | None:
    """The part a heading line opens ("Job overview", "Contact details", "Person specification")."""
    text = plain(line).rstrip(":?").strip()
    if not text or len(text) > 70 or not text[:1].isupper() or text.endswith((".", ",", ";")):
        return None  # "sponsorship." is the end of a sentence wrapped onto its own line
    found = _PARTS.get(words_of(text))
    return Part(text, *found) if found else None


@_cached
def part_opener(line: str) -> Part | None:
    """The part a line of prose opens as it starts ("Please note: ...", "This post is subject to ...")."""
    text = plain(line)
    for pattern, name, kind, reason in _OPENERS:
        if pattern.match(text):
            return Part(name, kind, reason)
    return None


# -- the person specification's own headings --------------------------------------------------------
#: Words of topic sub-headings ("Qualifications", "Knowledge and experience", "Skills and abilities").
_TOPIC_WORDS = frozenset(
    """qualification qualifications education educational training experience experiences knowledge skill skills
    ability abilities aptitude aptitudes attribute attributes personal qualities quality values value behaviour
    behaviours behavior behaviors competence competences competencies competency communication other additional
    special physical professional registration registrations eligibility fitness practise practice language languages
    english circumstances disposition interpersonal clinical technical understanding commitment learning development
    requirements requirement personality characteristics attitude attitudes motivation work-related key core
    management leadership""".split()
)
#: Words a topic or section heading may carry besides its topic ("Essential Experience Required").
_FILLER = frozenset(
    "and or of the to criteria criterion required requirements requirement include includes are is following "
    "you will need must have what we looking for areas area necessary".split()
)
_HEAD_TOPICS = _TOPIC_WORDS - {"personal", "other", "additional", "special", "key", "core", "and"}
#: A method-of-assessment column named on a section's heading row ("Essential criteria / * M.O.A.").
_METHOD_COLUMN = re.compile(
    r"\*?\s*\b(?:m\.\s*o\.\s*a\.?|moa\b|methods?\s+of\s+assessment|how\s+assessed|assessed\s+by|assessment\s+method)",
    re.IGNORECASE,
)
_SECTION_WORDS = re.compile(r"\b(?:desirable\s+but\s+not\s+essential|essential|desirable)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SectionHeading:
    """ "Essential", "Qualifications - Essential", "Desirable Criteria includes:", "Essential: text"."""

    section: str
    topic: str | None
    rest: str | None  # criterion text after "Essential:" on the same line


@_cached
def section_heading(line: str) -> SectionHeading | None:
    if bulleted(line):
        return None
    text = plain(line)
    head, colon, rest = text.partition(":")
    found = list(_SECTION_WORDS.finditer(head))
    if not found or len(head) > 80:
        return None
    kinds = {("desirable" if "desirable" in match[0].casefold() else "essential") for match in found}
    if len(kinds) != 1:
        return None  # "Essential  Desirable": a table's heading row
    remainder = _METHOD_COLUMN.sub(" ", _SECTION_WORDS.sub(" ", head))
    words = [word for word in re.split(r"[^A-Za-z'\-]+", remainder) if re.search("[A-Za-z]", word)]
    if any(word.casefold() not in _TOPIC_WORDS | _FILLER for word in words):
        return None
    topic = _topic_text(remainder)
    return SectionHeading(kinds.pop(), topic, rest.strip() or None if colon else None)


@_cached
def topic_heading(line: str) -> tuple[str, str | None] | None:
    """("Qualifications", None) for a topic heading; ("Qualifications", "NVQ 2") for "Qualifications: NVQ 2"."""
    if bulleted(line):
        return None
    text = plain(line)
    head, colon, rest = text.partition(":")
    if not colon and "\t" in head:
        head, _, rest = head.partition("\t")
    head = head.strip()
    if not head or len(head) > 60:
        return None
    marked = read_markers(head)
    if marked.methods or marked.section:
        return None
    words = [word.casefold() for word in re.split(r"[^A-Za-z'\-]+", head) if re.search("[A-Za-z]", word)]
    if not words or len(words) > 7 or any(word not in _TOPIC_WORDS | _FILLER for word in words):
        return None
    if not any(word in _HEAD_TOPICS for word in words) and words != ["other"]:
        return None
    return head.rstrip(" -–—"), rest.strip() or None


def _topic_text(remainder: str) -> str | None:
    words = [word for word in re.split(r"\s+", remainder.strip(" -–—:/()[],")) if word]
    while words and words[0].casefold().strip("()[],-–—") in _FILLER - {"and"}:
        words.pop(0)
    while words and words[-1].casefold().strip("()[],-–—") in _FILLER:
        words.pop()
    text = " ".join(words).strip(" -–—:/()[],")
    return text if any(word.casefold() in _HEAD_TOPICS for word in re.split(r"[^A-Za-z'\-]+", text)) else None


# -- keys, layout, labels ---------------------------------------------------------------------------
_LEGEND_ENTRY = re.compile(
    r"(?:\(\s*[AITRCPED]\s*\)|\b[AITRCPED]\b\s*[=:\-–])\s*(?:application|interview|test|reference|certificate|"
    r"presentation|essential|desirable|shortlisting)",
    re.IGNORECASE,
)


@_cached
def is_legend(line: str) -> bool:
    """'Key: A = application form, I = interview', 'E = Essential  D = Desirable'."""
    text = plain(line)
    if re.match(r"^(?:key|assessment\s+key|method\s+of\s+assessment\s+key|legend)\s*[:\-–]", text, re.I):
        return True
    return len(_LEGEND_ENTRY.findall(text)) >= 2


@_cached
def is_layout(line: str) -> bool:
    """A logo, a table rule, a page number: nothing to read."""
    text = plain(line)
    return bool(
        re.fullmatch(r"page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}|[-=_*|:\s]{3,}", text, re.IGNORECASE)
        or re.search(r"\blogo$", text, re.IGNORECASE)
    )


_LABEL_LINE = re.compile(r"^(?P<key>[^\t:]{1,40}?)\s*(?::|\t)\s*(?P<value>.*)$")
#: Labels NHS Jobs and Trac pages show that the service does not import (their value is skipped).
_NOT_IMPORTED = frozenset(
    words_of(label)
    for label in (
        "date posted; posted date; pay scheme; employer type; salary period; interview date; expected interview date; "
        "shortlisting date; address; employer's website; employers website; employer website; website; reporting to; "
        "responsible to; accountable to; department name; directorate; division; care group; job type; vacancy type; "
        "profession; number of posts; visa sponsorship; sponsorship; start date; annual leave; pension; allowances; "
        "job family; staff category; vacancy number; sponsorship available; disclosure"
    ).split("; ")
)
#: Fields an advert gives in its person specification, never as "Label: value".
_NOT_LABELS = ("essential", "desirable", "essential_context", "desirable_context")


@dataclass(frozen=True, slots=True)
class Label:
    """A "Label: value" line (or a label alone, value on the next lines): ``field`` is the record
    field, or None for a label the service does not import."""

    name: str
    field: str | None
    value: str
    #: A label pages print (imported or not), as against any "Word: text" line.
    known: bool = True


def field_of(name: str) -> str | None:
    field = _FIELD_OF.get(_key(name))
    return None if field in _NOT_LABELS else field


@_cached
def label(line: str) -> Label | None:
    """A label line: known fields, and labels the service knows it does not import. Unknown
    "Word: text" lines are labels only when the text after the colon is short and the label is
    a few words ("Reporting to: Lead Pharmacist"), not a sentence with a colon in it."""
    text = plain(line)
    found = _LABEL_LINE.match(text)
    if found is None:
        name, value = text.rstrip(":").strip(), ""
        if not text or len(name) > 40 or not name[:1].isupper() or name.endswith((".", ",", ";")):
            return None  # a label alone on its line is capitalised; "sponsorship." ends a sentence
        field = field_of(name)
        if field is not None or words_of(name) in _NOT_IMPORTED:
            return Label(name, field, "")
        return None
    name, value = found["key"].strip(), found["value"].strip()
    field = field_of(name)
    if field is not None or words_of(name) in _NOT_IMPORTED:
        return Label(name, field, value)
    if value and len(name.split()) <= 4 and not re.search(r"[.?!]", name) and name[:1].isupper():
        return Label(name, None, value, known=False)
    return None


# -- values as adverts write them -------------------------------------------------------------------
_REMARK = re.compile(r"\s*\(([^()]*)\)\s*$")
_CONTRACT_KIND = re.compile(r"^(permanent|fixed[\s\-_]*term|bank|secondment)\b\s*[:\-–(,]?\s*(.*)$", re.IGNORECASE)
_LENGTH = re.compile(r"\b(\d{1,3})\s*(months?|years?)\b", re.IGNORECASE)


def advert_contract(value: str) -> tuple[str, str | None]:
    """'Permanent: Full time and part time posts available' -> ('Permanent', remark left out)."""
    if _CONTRACT.match(" ".join(value.split())):
        return value, None
    found = _CONTRACT_KIND.match(value.strip())
    if found is None:
        return value, None
    length = _LENGTH.search(found[2])
    kept = f"{found[1]}: {length[1]} {length[2]}" if length else found[1]
    return kept, found[2].strip(" )") or None


_PATTERN_PREFIX = re.compile(r"^(full[\s\-]*time|part[\s\-]*time)\s*[-–—:,]?\s*(.*)$", re.IGNORECASE)


def advert_hours(lines: list[str]) -> tuple[str | None, list[str], str | None]:
    """Trac's "Full time / Part time / 37.5 hours per week (various shifts)" -> ('37.5 hours per week',
    ['Full time', 'Part time'], 'various shifts'); (None, ...) when no line gives a number."""
    hours: str | None = None
    patterns: list[str] = []
    remarks: list[str] = []
    for line in lines:
        text = line.strip()
        while remark := _REMARK.search(text):
            remarks.insert(0, remark[1].strip())
            text = text[: remark.start()].strip()
        if _pattern_word(text):
            patterns.append(text)
            continue
        prefix = _PATTERN_PREFIX.match(text)
        if prefix and prefix[2]:
            patterns.append(prefix[1])
            text = prefix[2]
        if hours is None:
            hours = text
        else:
            remarks.append(text)
    return hours, patterns, "; ".join(remarks) or None


@_cached
def looks_like_hours(line: str) -> bool:
    """A line that can continue Trac's "Hours" value: a pattern word or a number of hours."""
    text = _REMARK.sub("", line.strip())
    text = _PATTERN_PREFIX.sub(r"\2", text) if _PATTERN_PREFIX.match(text) else text
    return bool(_pattern_word(line.strip()) or re.match(r"^(?:up\s+to\s+)?\d{1,3}(?:\.\d+)?\b", text.strip(), re.I))


_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)


def advert_location(lines: list[str]) -> tuple[str, str | None]:
    """NHS Jobs' 'Job locations' address lines -> ('site, town', the lines left out).

    The site is the first line; the town the line before the postcode (or the last line)."""
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) <= 1:
        return "".join(lines), None
    town_at = len(lines) - 2 if _POSTCODE.match(lines[-1]) else len(lines) - 1
    kept = {0, town_at}
    left_out = [line for at, line in enumerate(lines) if at not in kept]
    return f"{lines[0]}, {lines[town_at]}", ", ".join(left_out) or None


_NOTHING_REQUIRED = re.compile(
    r"^(?:no|none)\b.{0,60}\b(?:required|necessary|needed|essential)\b|^(?:full\s+)?training\s+(?:will\s+be|is)\s+"
    r"(?:given|provided)|^not\s+(?:required|applicable)\b|^n/?a$",
    re.IGNORECASE,
)


def says_nothing_is_required(text: str) -> bool:
    """'No previous experience required: full training will be given' under Essential."""
    return bool(_NOTHING_REQUIRED.search(text.strip()))


_CLOSING_SENTENCE = re.compile(r"^the\s+closing\s+date\s+is\s+(.+?)\.?$", re.IGNORECASE)


def closing_sentence(line: str) -> str | None:
    """NHS Jobs' 'The closing date is 12 December 2026' -> '12 December 2026'."""
    found = _CLOSING_SENTENCE.match(plain(line))
    return found[1].strip() if found else None
