"""Skills found in sentences, and languages spoken.

Every run of one to ``skill_window_words`` words inside a phrase (between punctuation) that
holds a word of some skill label is normalised with the Normaliser in one batch; the best
non-overlapping windows are kept, exact and alias matches first. A list that shares its verb
("helping with washing, dressing and meals") is also read item by item with the verb
("helping with dressing", "helping with meals"), so each item finds its own skill.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from matcher import Match, Normaliser
from matcher.taxonomy import default_fixtures_dir
from matcher.text import normalise_text, stem

from .draft import Item, Span
from .layout import Piece
from .settings import ExtractSettings

_WORD = re.compile(r"[A-Za-z0-9][\w'’+#./-]*[\w+#]|[A-Za-z0-9]")
#: Hard boundaries: no window crosses these.
_BOUNDARY = re.compile(
    r"[,;:()\[\]|•·!?\n]|\.(?=\s|$)|\s[-–—]\s|\s(?:including|such as|e\.g\.|eg|like|then|also|but|because|while|when|who|which|that)\s",  # noqa: E501
    re.IGNORECASE,
)
_STOP = frozenset(
    "a an the and or of to in on at for with by from as into onto about my our your their his her its "
    "i we you he she they it me us them is was were be been being am are have has had do did done "
    "this that these those there here very also so just some any all each every other more most "
    "not no nor but if then than when while who which what where how why can could will would "
    "should may might must shall up out over under after before since until per via etc".split()
)
#: A list whose items share one verb: "helping with washing, dressing and meals".
_SHARED_LIST = re.compile(
    r"\b((?:\w+ing|help|helped|assist|assisted|support|supported)\s+"
    r"(?:(?:the\s+)?(?:residents?|patients?|clients?|service\s+users?|people|elderly(?:\s+people)?|them|him|her)\s+)?"
    r"(?:with|in|to|for|on)\s+)"
    r"([\w'’ -]+?(?:\s*,\s*[\w'’ -]+?)*\s*,?\s*(?:and|or|&)\s+[\w'’ -]+?)(?=[.;:)\n]|,|$)",
    re.IGNORECASE,
)
_GENERIC = frozenset(
    "care patient patients people person residents resident clients client staff ward wards hospital work job "
    "years year months team home homes service services nurse nurses doctor doctors day days life".split()
)
_EXACT_METHODS = ("exact", "alias", "stem")
#: Words of registrations and exams: "NMC registration" is not the skill "patient registration".
_REGULATORY = frozenset("nmc gmc gphc hcpc gdc plab ielts oet cbt osce ore pin dbs visa".split())


@dataclass(frozen=True, slots=True)
class _Window:
    start: int  # offsets in the source text
    end: int
    query: str  # what is normalised (may carry a list's shared verb)
    words: int


def skill_vocabulary(normaliser: Normaliser) -> frozenset[str]:
    """Stems of every word in a skill label (windows without one are never normalised)."""
    words: set[str] = set()
    for concept in normaliser.taxonomy.concepts("skill"):
        for label in concept.labels:
            for word in normalise_text(label).split():
                if word not in _STOP:
                    words.add(stem(word))
    return frozenset(words)


def _windows(piece: Piece, vocabulary: frozenset[str], longest: int) -> list[_Window]:
    text = piece.text
    out: list[_Window] = []
    cuts = [0, *[m.start() for m in _BOUNDARY.finditer(text)], len(text)]
    chunks = []
    for left, right in itertools.pairwise(cuts):
        words = [(m.start() + left, m.end() + left, m.group(0)) for m in _WORD.finditer(text[left:right])]
        if words:
            chunks.append(words)
    for words in chunks:
        folded = [w[2].casefold().strip(".'’") for w in words]
        useful = [stem(normalise_text(w) or w) in vocabulary and w not in _STOP for w in folded]
        for i in range(len(words)):
            if folded[i] in _STOP:
                continue
            for j in range(i, min(len(words), i + longest)):
                if folded[j] in _STOP:
                    continue
                if not any(useful[i : j + 1]) or any(w in _REGULATORY for w in folded[i : j + 1]):
                    continue
                if i == j and (folded[i] in _GENERIC or len(folded[i]) < 2):
                    continue
                start, end = words[i][0], words[j][1]
                out.append(_Window(piece.start + start, piece.start + end, text[start:end], j - i + 1))
    # Lists sharing a verb: "helping with washing, dressing and meals".
    for match in _SHARED_LIST.finditer(text):
        verb = match.group(1)
        # "helping residents with washing, ...": the verb without its object reads as the skill
        # ("helping with washing"), so the first item is read with it too.
        bare = re.sub(
            r"\s+(?:the\s+)?(?:residents?|patients?|clients?|service\s+users?|people|elderly(?:\s+people)?|them|him|her)\s+",
            " ",
            verb,
            flags=re.IGNORECASE,
        )
        position = match.end(1)
        for item in re.split(r"\s*(?:,|\band\b|\bor\b|&)\s*", match.group(2)):
            item = item.strip()
            if not item:
                continue
            found = text.find(item, position)
            if found < 0:
                break
            position = found + len(item)
            if (found == match.end(1) and bare == verb) or len(item.split()) > 3:
                continue  # the first item already carries the verb
            out.append(_Window(piece.start + found, piece.start + found + len(item), bare + item, 2))
    return out


def skill_candidates(
    pieces: Sequence[Piece],
    normaliser: Normaliser,
    vocabulary: frozenset[str],
    settings: ExtractSettings,
    *,
    taken: Sequence[tuple[int, int]] = (),
) -> list[tuple[tuple[int, float, int], _Window, Match]]:
    """Every window that normalises to a skill well enough, with its rank (exact first, then
    score, then length), best first; overlapping windows are all kept."""
    windows: list[_Window] = []
    for piece in pieces:
        for window in _windows(piece, vocabulary, settings.skill_window_words):
            if any(window.start < e and window.end > s for s, e in taken):
                continue
            windows.append(window)
    if not windows:
        return []
    unique = list(dict.fromkeys(w.query for w in windows))
    usable = [q for q in unique if normalise_text(q)]
    results = dict(zip(usable, normaliser.normalise_many(usable, kind="skill", limit=1, cutoff=0.5), strict=True))
    candidates = []
    for window in windows:
        result = results.get(window.query)
        if result is None or result.best is None:
            continue
        match = result.best
        exact = match.method in _EXACT_METHODS
        if window.words == 1 and not exact:
            continue
        if not exact and match.score < settings.skill_min_score:
            continue
        # Scores that differ only in the third decimal are a tie, which the longer phrase wins:
        # "cleaning wards" (hospital cleaning, 0.9782) over "cleaning" (general cleaning, 0.9783).
        candidates.append(((1 if exact else 0, round(match.score, 2), window.words), window, match))
    candidates.sort(key=lambda c: c[0], reverse=True)
    return candidates


def find_skills(
    pieces: Sequence[Piece],
    source: str,
    normaliser: Normaliser,
    vocabulary: frozenset[str],
    settings: ExtractSettings,
    *,
    taken: Sequence[tuple[int, int]] = (),
) -> list[Item]:
    """Skills stated in ``pieces``: the best non-overlapping windows, one item per concept."""
    chosen: list[tuple[_Window, Match]] = []
    occupied: list[tuple[int, int]] = []
    seen: set[str] = set()
    for _rank, window, match in skill_candidates(pieces, normaliser, vocabulary, settings, taken=taken):
        if any(window.start < e and window.end > s for s, e in occupied):
            continue
        occupied.append((window.start, window.end))
        if match.concept_id in seen:
            continue
        seen.add(match.concept_id)
        chosen.append((window, match))
    return [
        Item(
            kind="skill",
            value={"text": source[window.start : window.end], "concept_id": match.concept_id, "label": match.label},
            span=Span(window.start, window.end, source[window.start : window.end]),
            confidence=min(0.95, float(match.score)),
            method=f"{match.method} label",
        )
        for window, match in sorted(chosen, key=lambda c: c[0].start)
    ]


def rank_skill_concepts(
    piece: Piece, normaliser: Normaliser, vocabulary: frozenset[str], settings: ExtractSettings, *, limit: int = 5
) -> list[str]:
    """Concept ids of the skills a sentence states, best first (for sentence-level retrieval,
    where a likely skill is worth offering: windows count from ``settings.rank_min_score``)."""
    ranked: list[str] = []
    relaxed = replace(settings, skill_min_score=settings.rank_min_score)
    for _rank, _window, match in skill_candidates([piece], normaliser, vocabulary, relaxed):
        if match.concept_id not in ranked:
            ranked.append(match.concept_id)
            if len(ranked) == limit:
                break
    return ranked


# -- languages ---------------------------------------------------------------------------------
_NOT_LANGUAGES = frozenset(
    "skill-interpreting skill-telephone-interpreting skill-advocacy-interpreting skill-translation "
    "skill-sight-translation skill-using-languages-with-patients skill-written-english skill-reading-english "
    "skill-english-listening".split()
)
_SPEAK = re.compile(
    r"\b(?:my english|speak|speaks|spoke|spoken|speaking|fluent|native|mother tongue|first language|languages?|interpret\w*|translat\w*|bilingual)\b",  # noqa: E501
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LanguageNames:
    pattern: re.Pattern[str]
    concept: dict[str, tuple[str, str, str]]  # folded name -> (concept id, taxonomy label, plain name)

    @property
    def concept_ids(self) -> frozenset[str]:
        return frozenset(c[0] for c in self.concept.values()) | {
            "skill-spoken-english",
            "skill-written-english",
            "skill-reading-english",
            "skill-english-listening",
        }


def language_names(normaliser: Normaliser) -> LanguageNames:
    concept: dict[str, tuple[str, str, str]] = {}
    for item in normaliser.taxonomy.concepts("skill"):
        if item.attributes.get("group") != "language" or item.id in _NOT_LANGUAGES:
            continue
        plain = "English" if item.id == "skill-spoken-english" else item.label
        names = [plain] + [
            a
            for a in item.alt_labels
            if len(a.split()) <= 2
            and not re.search(r"speak|spoken|language|written|skills|fluent|conversational|good", a, re.IGNORECASE)
        ]
        for name in names:
            concept.setdefault(name.casefold(), (item.id, item.label, plain))
    names = sorted(concept, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.IGNORECASE)
    return LanguageNames(pattern, concept)


#: What may stand beside language names in a sentence that only lists them ("Urdu, Punjabi,
#: English." "Arabic (native), English good." "Tigrinya and English little.").
_LANGUAGE_LIST_FILLER = re.compile(
    r"\b(?:and|&|also|a|little|bit|some|basic|good|very|well|fluent|fluently|native|mother|tongue|first|"
    r"language|intermediate|advanced|beginner|conversational|and\s+some|[ABC][12])\b|[,.;:/()+-]|\s+",
    re.IGNORECASE,
)


def _only_languages(text: str, names: LanguageNames) -> bool:
    """Whether a sentence is only a list of languages, with how well each is spoken."""
    found = list(names.pattern.finditer(text))
    if not found or (len(found) < 2 and len(text) > 40):
        return False
    rest = _LANGUAGE_LIST_FILLER.sub(" ", names.pattern.sub(" ", text)).split()
    # A language we do not know ("Hindi, Marathi and English") may stand in a list of ones we do.
    unknown = [w for w in rest if w[:1].isupper() and w.isalpha()]
    return len(rest) == len(unknown) and (not unknown or len(unknown) < len(found))


def find_languages(pieces: Sequence[Piece], names: LanguageNames) -> list[Item]:
    """Languages spoken: in a Languages section, or in a sentence about speaking them."""
    items: list[Item] = []
    seen: set[str] = set()
    for piece in pieces:
        in_section = piece.section == "languages"
        if not in_section and not _SPEAK.search(piece.text) and not _only_languages(piece.text, names):
            continue
        for match in names.pattern.finditer(piece.text):
            concept_id, label, plain = names.concept[match.group(0).casefold()]
            if concept_id in seen:
                continue
            before = piece.text[max(0, match.start() - 25) : match.start()].casefold()
            if plain == "English" and re.search(
                r"(?:gcse|functional skills|ielts|oet|esol)\W*$|learn\w*\s+(?:\w+\s+)?$", before
            ):
                continue
            seen.add(concept_id)
            start = piece.start + match.start()
            items.append(
                Item(
                    kind="language",
                    value={"language": plain, "concept_id": concept_id, "label": label},
                    span=Span(piece.start, piece.end, piece.text),
                    confidence=0.9 if in_section else 0.8,
                    method="languages section" if in_section else "phrase",
                )
            )
            del start
    return items


@dataclass(frozen=True, slots=True)
class ResidentPhrases:
    """What residents write for an activity no job title shows ("looked after my nan"), from the
    ``resident_phrases`` of ``fixtures/experience_settings.json``, to the skill that setting names."""

    pattern: re.Pattern[str]
    skill: dict[str, str]  # folded phrase -> skill concept id


def resident_phrases(normaliser: Normaliser, path: Path | None = None) -> ResidentPhrases:
    data = json.loads((path or default_fixtures_dir() / "experience_settings.json").read_text(encoding="utf-8"))
    skill: dict[str, str] = {}
    for setting in data.get("settings", []):
        skills = [s for s in setting.get("met_by_skills", []) if normaliser.taxonomy.get(s) is not None]
        # Only settings that nothing but the resident's words can show, and that name one skill.
        if setting.get("met_by_occupations") or len(skills) != 1:
            continue
        for phrase in setting.get("resident_phrases", []):
            skill.setdefault(phrase.casefold(), skills[0])
    if not skill:
        return ResidentPhrases(re.compile(r"(?!)"), {})
    names = sorted(skill, key=len, reverse=True)
    return ResidentPhrases(re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE), skill)


def find_resident_phrases(
    pieces: Sequence[Piece], phrases: ResidentPhrases, normaliser: Normaliser, *, seen: set[str]
) -> list[Item]:
    items = []
    for piece in pieces:
        for match in phrases.pattern.finditer(piece.text):
            concept_id = phrases.skill[match.group(0).casefold()]
            if concept_id in seen:
                continue
            seen.add(concept_id)
            concept = normaliser.taxonomy[concept_id]
            start = piece.start + match.start()
            items.append(
                Item(
                    kind="skill",
                    value={"text": match.group(0), "concept_id": concept_id, "label": concept.label},
                    span=Span(start, start + len(match.group(0)), match.group(0)),
                    confidence=0.8,
                    method="resident phrase",
                )
            )
    return items
