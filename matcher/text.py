"""Text processing shared by the index and the queries.

The same function prepares labels and queries, so anything it does (folding case and accents,
joining dotted abbreviations, stemming) can never make a label unreachable by its own text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

# "M.B.B.S." -> "MBBS", "B.Sc" -> "BSc", "Pharm.D" -> "PharmD", "Node.js" -> "Nodejs":
# a dot between two letters (no space) joins them; a trailing dot after a joined run is dropped.
_INNER_DOT = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_])")
# "C++", "C#", "F#" keep their symbol; any other symbol separates words.
_SEPARATOR = re.compile(r"[^\w+#]+")
_SYMBOLS_ONLY = re.compile(r"^[+#]+$")
_AMPERSAND = re.compile(r"\s*&\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_STEMMER = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Unicode-normalise, strip accents and fold case ("Técnico" -> "tecnico")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", text).casefold()


def normalise_text(text: str) -> str:
    """Canonical form for matching: folded, abbreviations joined, punctuation to spaces.

    >>> normalise_text("  M.B.B.S. (Lahore) & B.Sc (Hons) Nursing ")
    'mbbs lahore and bsc hons nursing'
    >>> normalise_text("C++ / C#")
    'c++ c#'
    """
    text = _CONTROL.sub(" ", fold(text))
    text = _INNER_DOT.sub("", text)
    text = _AMPERSAND.sub(" and ", text)
    text = _SEPARATOR.sub(" ", text)
    # "+" and "#" only count as part of a word ("c++", "c#"); alone they are punctuation.
    return " ".join(word for word in text.split() if not _SYMBOLS_ONLY.match(word))


def tokens(normalised: str) -> list[str]:
    """Words of an already normalised text."""
    return normalised.split()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of one word, cached: labels and queries repeat words a lot."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_STEMMER.stemWord(word))


def stems(normalised: str, *, drop: frozenset[str] = frozenset()) -> list[str]:
    """Stemmed words of a normalised text, leaving out any word in ``drop``."""
    return [stem(w) for w in normalised.split() if w not in drop]


def strip_filler(normalised: str, filler: frozenset[str]) -> str:
    """Drop filler words ("skills", "experience of", "excellent") unless nothing would remain.

    Residents and advertisers wrap the thing itself in words that carry no meaning for
    matching; "good communication skills" should be compared as "communication".
    """
    kept = [w for w in normalised.split() if w not in filler]
    return " ".join(kept) if kept else normalised


def unique_in_order(items: Iterable[str]) -> list[str]:
    """Items without repeats, first occurrence kept."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
