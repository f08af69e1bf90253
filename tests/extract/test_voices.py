"""Stories typed the way residents type them (lower case, "yrs", "dept.", no "from" before a
university): the four that showed the extractor failing, and the general fixes they led to."""

from __future__ import annotations

import pytest

from profiles import ProfileExtractor


def _values(extractor: ProfileExtractor, text: str, kind: str) -> list[dict]:
    return [i.value for i in extractor.extract(text).items if i.kind == kind]


def _quals(extractor: ProfileExtractor, text: str) -> list[tuple]:
    return [(q["title"], q["institution"], q["country"], q["year"]) for q in _values(extractor, text, "qualification")]


# -- qualifications -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the institution written straight after the award, with no "from" or comma
        ("B.Pharm Damascus University 2009, 10 years in a pharmacy.", ("B.Pharm", "Damascus University", "SY", 2009)),
        ("BSc Physiotherapy University of Ibadan 2013.", ("BSc Physiotherapy", "University of Ibadan", "NG", 2013)),
        ("BSN 2012 Our Lady of Fatima University.", ("BSN", "Our Lady of Fatima University", None, 2012)),
        (
            "DDS Tehran University of Medical Sciences 2011",
            ("DDS", "Tehran University of Medical Sciences", "IR", 2011),
        ),
        # lower case, and the place that is the country rather than part of the title
        ("i did mbbs in pakistan in 2014.", ("mbbs", None, "PK", 2014)),
        ("bsc nursing 2016 Manipal College of Nursing", ("bsc nursing", "Manipal College of Nursing", "IN", 2016)),
        ("I did Pharm-D from University of the Punjab in 2016.", ("Pharm-D", "University of the Punjab", None, 2016)),
    ],
)
def test_qualifications_as_residents_write_them(extractor: ProfileExtractor, text: str, expected: tuple) -> None:
    assert _quals(extractor, text) == [expected]


def test_an_award_is_not_run_into_the_job_after_it(extractor: ProfileExtractor) -> None:
    text = "I did MBBS in Pakistan and worked 4 years in a government hospital in Lahore."
    assert _quals(extractor, text) == [("MBBS", None, "PK", None)]


def test_short_award_words_still_need_capitals(extractor: ProfileExtractor) -> None:
    # "ma" and "a level" are ordinary words in lower case; "MA" and "A level" are awards.
    assert _quals(extractor, "i went with my ma to a level 2 course at the college") == []


# -- languages ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("I work as a cleaner. Polish and English.", ["Polish", "English"]),
        ("Urdu, Punjabi, English.", ["Urdu", "Punjabi", "English"]),
        ("Arabic (native), English good.", ["Arabic", "English"]),
        ("tigrinya and english little.", ["Tigrinya", "English"]),
        # one the taxonomy does not know does not hide the others
        ("Hindi, Marathi and English.", ["Hindi", "English"]),
    ],
)
def test_a_sentence_that_only_lists_languages(extractor: ProfileExtractor, text: str, languages: list[str]) -> None:
    assert [v["language"] for v in _values(extractor, text, "language")] == languages


def test_a_language_in_passing_is_not_a_language_spoken(extractor: ProfileExtractor) -> None:
    text = "I worked with Polish families in a care home for 3 years."
    assert _values(extractor, text, "language") == []
