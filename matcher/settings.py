"""Tuning for the normaliser, in one typed, validated place.

Every number the normaliser uses lives here with the reason for its default, so that a
benchmark or a deployment can change it without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

from .errors import InvalidInputError

KINDS: tuple[str, ...] = ("skill", "occupation", "qualification")

# Words that wrap the thing itself in queries and carry nothing for matching. Applied to
# queries only (never to labels), and never when they are all the query has.
_SKILL_FILLER = frozenset(
    "skill skills experience experienced knowledge knowledgeable ability able good excellent "
    "strong solid proven sound demonstrable demonstrated understanding proficiency proficient "
    "familiarity familiar competent confident awareness working the a an of "
    "with using on level etc eg certificate certificated certification certified course training trained".split()
)
_OCCUPATION_FILLER = frozenset(
    "job jobs vacancy vacancies position role roles hiring urgent urgently required wanted "
    "needed immediate start fulltime parttime temporary permanent contract remote based the "
    "a an on nights weekends".split()
)


_NUMBER_TYPES: dict[str, type | tuple[type, ...]] = {"float": (int, float), "int": int}


@dataclass(frozen=True, slots=True)
class NormaliserSettings:
    """Settings for :class:`matcher.Normaliser`; validated on construction."""

    #: Matches scoring below this (0-1) are dropped: "no match" beats a wrong guess.
    cutoff: float = 0.5
    #: How many matches a result holds at most.
    limit: int = 5
    #: Labels retrieved per query by the sparse index before re-ranking.
    candidates: int = 40
    #: Character n-gram range for retrieval ("char_wb" analyser: n-grams inside word
    #: boundaries). (3, 5) measured best on the Decorte validation sets (benchmarks/quality.py).
    char_ngram_range: tuple[int, int] = (3, 5)
    #: N-grams found in more than this share of labels are dropped from the index: they
    #: match almost everything, tell nothing, and dominate the cost of the sparse product.
    max_df: float = 0.05
    #: Retrieval uses only n-grams and words found in at most this share of labels (the
    #: rarer, telling ones), so one sparse product touches few labels per query; the exact
    #: cosines over all features are then computed for the retrieved candidates only.
    retrieval_max_df: float = 0.02
    #: ...but a feature in up to this many labels is always kept, so a small taxonomy (the
    #: curated one has about 3,000 labels) keeps common words such as "bachelor".
    retrieval_min_postings: int = 1_000
    #: Weight of the stemmed word-unigram channel relative to character n-grams at retrieval.
    word_weight: float = 1.0
    #: Re-rank blend (sums need not be 1; the result is clipped to 0-1). The blend weights,
    #: preferred_bonus, prior_weight and alias_penalty were chosen by coordinate ascent on the
    #: Decorte validation sets (benchmarks/tune_weights.py); TECH test was held out.
    weight_char: float = 0.50
    weight_word: float = 0.45
    weight_fuzz: float = 0.35
    #: Weight of the query's similarity to the concept's preferred label, whatever label was
    #: retrieved: among concepts sharing an alias ("Unity"), the one whose own name resembles
    #: the query is the likelier meaning.
    weight_preferred: float = 0.10
    #: How far an exact hit on an alternative label falls (from 0.98) when the concept's own
    #: name does not resemble the text: ESCO lists "agile" under "ICT project management
    #: methodologies" and "data" under "statistics", and a concept named like the text is the
    #: likelier meaning. Curated aliases ("HCA", "taking bloods") still clear every fuzzy match.
    alias_penalty: float = 0.005
    #: The semantic mode (a normaliser given a semantic model: the default mode's encoder,
    #: matcher.encoder) blends the cosine of the text's vector with the candidate label's into the
    #: re-rank at this weight, and uses the two semantic_* weights below in place of their
    #: lexical namesakes; a normaliser without a model is lexical only and ignores all five.
    #: Chosen by coordinate ascent on validation sets only (benchmarks/tune_weights.py --semantic:
    #: Decorte TECH and HOUSE validation, a tuning half of JobBERT validation, and the curated
    #: taxonomy's held-out alternative labels); Decorte TECH test was held out.
    weight_semantic: float = 3.0
    semantic_weight_char: float = 0.1
    semantic_prior_weight: float = 0.0
    #: With a semantic model, how many concepts nearest to the text by vector (their labels'
    #: centroid) join the lexical candidates. Measured on the validation sets it did not help
    #: (the lexical candidates already hold the right concept), so it is off by default.
    semantic_candidates: int = 0
    #: Preference for a concept's preferred label over its alternative labels.
    preferred_bonus: float = 0.10
    #: Weight of the concept prior (log popularity, 0-1) when the taxonomy provides one.
    prior_weight: float = 0.04
    #: Score given to an exact match on a normalised label.
    exact_score: float = 1.0
    #: Longest text accepted, in characters; longer text is an input error, not a slow request.
    max_text_length: int = 2_000
    #: Queries per chunk in batch normalisation (bounds peak memory of the sparse product).
    batch_size: int = 2_048
    #: Qualification recognition: added to a candidate awarded in the resident's country,
    #: taken from one whose countries exclude it.
    country_bonus: float = 0.08
    country_penalty: float = 0.15
    #: Qualification recognition: taken from a candidate whose level differs from a level the
    #: text states ("NVQ Level 3" is not the Level 2 award, though the words differ by a digit).
    level_mismatch_penalty: float = 0.2
    #: Query filler words per kind (see ``_SKILL_FILLER``); qualifications keep every word
    #: because "Level 2" or "Hons" can decide which award it is.
    #: Kinds whose queries are also matched part by part, split at "/", "|", ",", ";",
    #: brackets, " - ", "cum", "from" and "at" ("Accounts Clerk (Fresh Graduate)",
    #: "MBBS, KEMU Lahore", "GNM from CMC Vellore").
    segment_kinds: frozenset[str] = frozenset({"occupation", "qualification"})
    #: A part scores a little below the whole text, so the whole wins a tie.
    segment_penalty: float = 0.03
    skill_filler: frozenset[str] = _SKILL_FILLER
    occupation_filler: frozenset[str] = _OCCUPATION_FILLER
    qualification_filler: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        problems: list[str] = []
        for item in fields(self):
            value = getattr(self, item.name)
            expected = _NUMBER_TYPES.get(str(item.type))
            if expected is not None and (isinstance(value, bool) or not isinstance(value, expected)):
                problems.append(f"{item.name} must be a {item.type!s}, got {type(value).__name__} {value!r}")
        if problems:
            raise InvalidInputError("invalid normaliser settings", problems)
        for name in (
            "cutoff",
            "semantic_prior_weight",
            "max_df",
            "retrieval_max_df",
            "country_bonus",
            "country_penalty",
            "preferred_bonus",
            "prior_weight",
            "segment_penalty",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                problems.append(f"{name} must be between 0 and 1, got {value!r}")
        for name in ("limit", "candidates", "max_text_length", "batch_size", "retrieval_min_postings"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                problems.append(f"{name} must be a positive integer, got {value!r}")
        if self.semantic_candidates < 0:
            problems.append(f"semantic_candidates must not be negative, got {self.semantic_candidates!r}")
        low, high = self.char_ngram_range
        if not (1 <= low <= high <= 8):
            problems.append(f"char_ngram_range must satisfy 1 <= low <= high <= 8, got {self.char_ngram_range!r}")
        if self.candidates < self.limit:
            problems.append("candidates must be at least limit")
        for name in (
            "word_weight",
            "weight_char",
            "weight_word",
            "weight_fuzz",
            "weight_preferred",
            "weight_semantic",
            "semantic_weight_char",
        ):
            if getattr(self, name) < 0:
                problems.append(f"{name} must not be negative")
        if problems:
            raise InvalidInputError("invalid normaliser settings", problems)

    def filler(self, kind: str) -> frozenset[str]:
        """The filler words dropped from queries of ``kind``."""
        return {
            "skill": self.skill_filler,
            "occupation": self.occupation_filler,
            "qualification": self.qualification_filler,
        }[check_kind(kind)]

    def blend(self, semantic: bool) -> NormaliserSettings:
        """The settings the re-rank uses: these, or in the semantic mode these with the semantic_*
        weights in place of their lexical namesakes (made once per settings and remembered)."""
        return _semantic_blend(self) if semantic else self

    def replace(self, **changes: object) -> NormaliserSettings:
        """A copy with some settings changed (validated again)."""
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise InvalidInputError("unknown settings", [f"unknown setting {n!r}" for n in unknown])
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return NormaliserSettings(**values)


def check_kind(kind: str) -> str:
    """Return ``kind`` if it is one the engine knows, else raise naming the valid ones."""
    if kind not in KINDS:
        raise InvalidInputError(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    return kind


@lru_cache(maxsize=16)
def _semantic_blend(settings: NormaliserSettings) -> NormaliserSettings:
    return settings.replace(
        weight_char=settings.semantic_weight_char,
        prior_weight=settings.semantic_prior_weight,
    )
