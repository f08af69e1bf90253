"""matcher.text: the one canonical form shared by labels and queries."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.settings import NormaliserSettings
from matcher.text import normalise_text, stem, stems, strip_filler, tokens, unique_in_order


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("M.B.B.S.", "mbbs"),
        ("M.B.B.S", "mbbs"),
        ("B.Sc (Hons)", "bsc hons"),
        ("B.Sc. (Hons) Nursing", "bsc hons nursing"),
        ("Pharm.D", "pharmd"),
        ("U.K.", "uk"),
        ("  M.B.B.S. (Lahore) & B.Sc (Hons) Nursing ", "mbbs lahore and bsc hons nursing"),
        ("Técnico en Enfermería", "tecnico en enfermeria"),
        ("Licență în Moașe", "licenta in moase"),
        ("ÉCOLE", "ecole"),
        ("Straße", "strasse"),
        ("C++", "c++"),
        ("C#", "c#"),
        ("C++ / C#", "c++ c#"),
        ("F# and C++", "f# and c++"),
        ("Health & Safety", "health and safety"),
        ("H&S", "h and s"),
        ("A&E nurse", "a and e nurse"),
        ("data\x00entry\x07skills", "data entry skills"),
        ("line one\nline two\ttab\r\n", "line one line two tab"),
        ("\u00a0nurse\u2003aide ", "nurse aide"),
        ("1.5 years", "1 5 years"),
        ("Python3", "python3"),
        ("...", ""),
        ("!!! ?", ""),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize("raw", ["+++", "###", "+ #", "!!! +"])
def test_symbols_not_attached_to_a_word_separate_words(raw: str) -> None:
    assert normalise_text(raw) == ""


@given(st.text(max_size=200))
@settings(max_examples=100, deadline=None)
def test_normalised_text_is_canonical(raw: str) -> None:
    out = normalise_text(raw)
    assert out == out.strip()
    assert "  " not in out
    assert out == out.casefold()
    assert not re.search(r"[\x00-\x1f\x7f]", out)
    assert all(ch.isalnum() or ch in " _+#" for ch in out), out


@given(st.text(max_size=200))
@settings(max_examples=100, deadline=None)
def test_normalise_text_is_idempotent(raw: str) -> None:
    # Labels are stored normalised and queries are normalised again: a second pass must be a no-op.
    once = normalise_text(raw)
    assert normalise_text(once) == once


def test_tokens_split_on_spaces() -> None:
    assert tokens("bsc hons nursing") == ["bsc", "hons", "nursing"]
    assert tokens("") == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("nursing", "nurs"),
        ("nurses", "nurs"),
        ("taking", "take"),
        ("bloods", "blood"),
        # Short words and words with digits or symbols are left alone: "obs" is not "ob".
        ("obs", "obs"),
        ("c++", "c++"),
        ("nvq3", "nvq3"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_stems_drop_words_and_keep_order() -> None:
    assert stems("taking bloods") == ["take", "blood"]
    assert stems("good communication skills", drop=frozenset({"good", "skills"})) == ["communic"]


def test_word_forms_share_stems() -> None:
    assert stems("taking bloods") == stems("take blood")


@pytest.mark.parametrize(
    ("normalised", "expected"),
    [
        ("good communication skills", "communication"),
        ("excellent excel skills", "excel"),
        ("experience of venepuncture", "venepuncture"),
        ("venepuncture", "venepuncture"),
        # Nothing but filler: the text is kept as it was, never emptied.
        ("good skills", "good skills"),
        ("skills", "skills"),
    ],
)
def test_strip_filler(normalised: str, expected: str) -> None:
    assert strip_filler(normalised, NormaliserSettings().skill_filler) == expected


_FILLER = sorted(NormaliserSettings().skill_filler | NormaliserSettings().occupation_filler)


@given(
    st.lists(
        st.one_of(st.sampled_from(_FILLER), st.from_regex(r"[a-z]{1,8}", fullmatch=True)),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=100, deadline=None)
def test_strip_filler_never_returns_empty(words: list[str]) -> None:
    text = " ".join(words)
    filler = NormaliserSettings().skill_filler | NormaliserSettings().occupation_filler
    out = strip_filler(text, filler)
    assert out
    kept = [w for w in words if w not in filler]
    assert out == (" ".join(kept) if kept else text)


def test_unique_in_order() -> None:
    assert unique_in_order(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]
