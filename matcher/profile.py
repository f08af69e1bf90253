"""Residents and vacancies as plain, validated data (the DESIGN.md contract).

``Resident.from_dict`` and ``Vacancy.from_dict`` accept the contract's JSON objects and raise
one :class:`InvalidInputError` naming every problem, so a caller can fix them all at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .countries import load_countries
from .errors import InvalidInputError

RIGHT_TO_WORK = ("yes", "no", "unknown")
HOURS = ("full_time", "part_time", "any")
IELTS_PARTS = ("listening", "reading", "writing", "speaking")
OET_GRADES = ("E", "D", "C", "C+", "B", "A")  # worst to best
#: Immigration status (optional; sensitive). It decides the right to work when that is not
#: stated, and which documented concessions apply (refugees sit PLAB 1 free, ...).
IMMIGRATION_STATUSES = (
    "refugee",  # refugee status or humanitarian protection
    "asylum_seeker",  # claim pending
    "settled",  # settled or pre-settled status (EU Settlement Scheme), indefinite leave
    "visa_holder",  # a visa whose conditions decide what work is allowed
    "british_irish",  # British or Irish citizen
    "prefer_not_to_say",
)
#: What each status means for the right to work when the resident has not said (DOMAIN.md:
#: refugees and settled or pre-settled people may work; asylum seekers generally may not while
#: their claim is pending; a visa's conditions decide). None: it depends, so it stays unknown.
STATUS_RIGHT_TO_WORK: dict[str, str | None] = {
    "refugee": "yes",
    "settled": "yes",
    "british_irish": "yes",
    "asylum_seeker": "no",
    "visa_holder": None,
    "prefer_not_to_say": None,
}
#: English evidence other than a test result that a resident can state (regulators' other routes).
ENGLISH_EVIDENCE = (
    # The professional qualification (nursing, medicine, ...) was taught and examined in English.
    "qualification_taught_in_english",
    # A UK health or care employer of 12 months or more would vouch for the resident's English
    # (the NMC's supporting information from employers, SIFE; the GMC's structured reference).
    "uk_employer_reference",
)
_MAX_ITEMS = 200
_MAX_TEXT = 2_000


@dataclass(frozen=True, slots=True)
class LanguageTest:
    """One English test result. IELTS bands are numbers; OET grades are letters."""

    test: str  # "IELTS Academic", "IELTS General", "OET"
    components: Mapping[str, float | str]  # listening, reading, writing, speaking (+ overall)
    taken: date | None = None

    @property
    def is_general(self) -> bool:
        """IELTS General Training ("IELTS General", "IELTS GT"), which regulators do not accept."""
        words = set(self.test.casefold().replace("-", " ").split())
        return self.family == "ielts" and bool(words & {"general", "gt", "g.t.", "gt."})

    @property
    def family(self) -> str:
        return language_test_family(self.test)


def language_test_family(name: str) -> str:
    """ "oet", "ielts" or "toefl" for a test's name ("IELTS Academic", "TOEFL iBT"), else the name."""
    lowered = name.casefold()
    for family in ("oet", "ielts", "toefl"):
        if family in lowered:
            return family
    return lowered


@dataclass(frozen=True, slots=True)
class Experience:
    title: str
    years: float = 0.0
    country: str | None = None
    #: Optional: who it was for ("Sandwell and West Birmingham NHS Trust"), which tells NHS work.
    employer: str | None = None
    #: Optional: the year it ended (None: not said, or still doing it), for "recent" experience.
    until: int | None = None


@dataclass(frozen=True, slots=True)
class HeldQualification:
    title: str
    country: str | None = None
    year: int | None = None
    #: The resident says it was taught and examined in English (None: not said).
    taught_in_english: bool | None = None


@dataclass(frozen=True, slots=True)
class Resident:
    id: str | None
    skills: tuple[str, ...] = ()
    experience: tuple[Experience, ...] = ()
    qualifications: tuple[HeldQualification, ...] = ()
    language_tests: tuple[LanguageTest, ...] = ()
    credentials: frozenset[str] = frozenset()
    right_to_work: str = "unknown"
    #: One of IMMIGRATION_STATUSES or None: "refugee" unlocks documented concessions (PLAB 1
    #: free, no HCPC scrutiny fee); when right_to_work is not stated it decides it.
    immigration_status: str | None = None
    postcode: str | None = None
    hours: str = "any"
    #: Other English evidence the resident states (ENGLISH_EVIDENCE).
    english_evidence: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: object) -> Resident:
        problems: list[str] = []
        if not isinstance(data, Mapping):
            raise InvalidInputError("a resident must be a JSON object")
        rid = data.get("id")
        if rid is not None and not isinstance(rid, str):
            problems.append("id: must be a string")
        skills = _strings(data.get("skills"), "skills", problems)
        experience = tuple(
            _experience(item, f"experience[{i}]", problems)
            for i, item in enumerate(_list(data.get("experience"), "experience", problems))
        )
        qualifications = tuple(
            _qualification(item, f"qualifications[{i}]", problems)
            for i, item in enumerate(_list(data.get("qualifications"), "qualifications", problems))
        )
        tests = tuple(
            _language_test(item, f"language_tests[{i}]", problems)
            for i, item in enumerate(_list(data.get("language_tests"), "language_tests", problems))
        )
        credentials = frozenset(_strings(data.get("credentials"), "credentials", problems))
        rtw = data.get("right_to_work", "unknown")
        if rtw is None:
            rtw = "unknown"
        if rtw not in RIGHT_TO_WORK:
            problems.append(f"right_to_work: must be one of {', '.join(RIGHT_TO_WORK)}, got {rtw!r}")
        hours = data.get("hours", "any")
        if hours not in HOURS:
            problems.append(f"hours: must be one of {', '.join(HOURS)}, got {hours!r}")
        status = data.get("immigration_status")
        if status is not None and status not in IMMIGRATION_STATUSES:
            problems.append(f"immigration_status: must be one of {', '.join(IMMIGRATION_STATUSES)}, got {status!r}")
            status = None
        rtw = right_to_work_for(str(rtw), status, problems)
        evidence = _strings(data.get("english_evidence"), "english_evidence", problems)
        for item in evidence:
            if item not in ENGLISH_EVIDENCE:
                problems.append(f"english_evidence: {item!r} is not one of {', '.join(ENGLISH_EVIDENCE)}")
        postcode = data.get("postcode")
        if postcode is not None and not isinstance(postcode, str):
            problems.append("postcode: must be a string")
        if problems:
            raise InvalidInputError("invalid resident profile", problems)
        return cls(
            id=rid if isinstance(rid, str) else None,
            skills=tuple(skills),
            experience=tuple(e for e in experience if e is not None),
            qualifications=tuple(q for q in qualifications if q is not None),
            language_tests=tuple(t for t in tests if t is not None),
            credentials=credentials,
            right_to_work=str(rtw),
            immigration_status=status if isinstance(status, str) else None,
            postcode=postcode if isinstance(postcode, str) else None,
            hours=str(hours),
            english_evidence=frozenset(evidence),
        )


@dataclass(frozen=True, slots=True)
class Vacancy:
    id: str | None
    title: str
    employer: str | None = None
    band: str | None = None
    staff_group: str | None = None
    location: str | None = None
    hours: str | None = None
    contract: str | None = None
    closing_date: str | None = None
    essential: tuple[str | Mapping[str, Any], ...] = ()
    desirable: tuple[str | Mapping[str, Any], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_dict(cls, data: object) -> Vacancy:
        problems: list[str] = []
        if not isinstance(data, Mapping):
            raise InvalidInputError("a vacancy must be a JSON object")
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            problems.append("title: required, a non-empty string")
        for name in ("id", "employer", "band", "staff_group", "location", "hours", "contract", "closing_date"):
            value = data.get(name)
            if value is not None and not isinstance(value, str | int):
                problems.append(f"{name}: must be a string")
        criteria: dict[str, tuple[str | Mapping[str, Any], ...]] = {}
        for section in ("essential", "desirable"):
            items = _list(data.get(section), section, problems)
            for i, item in enumerate(items):
                if isinstance(item, str):
                    if not item.strip():
                        problems.append(f"{section}[{i}]: empty criterion")
                    elif len(item) > _MAX_TEXT:
                        problems.append(f"{section}[{i}]: longer than {_MAX_TEXT:,} characters")
                elif isinstance(item, Mapping):
                    if not isinstance(item.get("kind"), str):
                        problems.append(f"{section}[{i}]: a structured criterion needs a 'kind'")
                else:
                    problems.append(f"{section}[{i}]: must be text or an object")
            criteria[section] = tuple(items)
        if problems:
            raise InvalidInputError("invalid vacancy", problems)
        known = {"id", "title", "employer", "band", "staff_group", "location", "hours", "contract", "closing_date"}
        return cls(
            id=str(data["id"]) if data.get("id") is not None else None,
            title=str(title).strip(),
            employer=_opt_str(data.get("employer")),
            band=_opt_str(data.get("band")),
            staff_group=_opt_str(data.get("staff_group")),
            location=_opt_str(data.get("location")),
            hours=_opt_str(data.get("hours")),
            contract=_opt_str(data.get("contract")),
            closing_date=_opt_str(data.get("closing_date")),
            essential=criteria["essential"],
            desirable=criteria["desirable"],
            extra={k: v for k, v in data.items() if k not in known | {"essential", "desirable"}},
        )


# -- helpers ----------------------------------------------------------------------------------
def right_to_work_for(stated: str, status: str | None, problems: list[str] | None = None) -> str:
    """The right to work once the immigration status is known.

    A stated "yes" or "no" stands (an asylum seeker may hold permission to work in a listed
    shortage occupation after 12 months: that is theirs to say, never assumed); "unknown" takes
    what the status means, if it settles it. A status that rules out the stated answer (a British
    citizen saying "no") is a problem, not a silent choice.
    """
    implied = STATUS_RIGHT_TO_WORK.get(status or "")
    if stated == "unknown" or stated not in RIGHT_TO_WORK:
        return implied or stated
    if stated == "no" and implied == "yes" and problems is not None:
        problems.append(
            f"right_to_work: 'no' contradicts immigration_status {status!r}, which gives the right to work in the UK"
        )
    return stated


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _list(value: object, name: str, problems: list[str]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{name}: must be a list")
        return []
    if len(value) > _MAX_ITEMS:
        problems.append(f"{name}: at most {_MAX_ITEMS} items, got {len(value)}")
        return []
    return value


def _strings(value: object, name: str, problems: list[str]) -> list[str]:
    out: list[str] = []
    for i, item in enumerate(_list(value, name, problems)):
        if not isinstance(item, str) or not item.strip():
            problems.append(f"{name}[{i}]: must be a non-empty string")
        elif len(item) > _MAX_TEXT:
            problems.append(f"{name}[{i}]: longer than {_MAX_TEXT:,} characters")
        else:
            out.append(item.strip())
    return out


def _country(value: object, where: str, problems: list[str]) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code or an English name ("PK", "Pakistan", "Other")."""
    if value is None or value == "":
        return None
    found = load_countries().find(value) if isinstance(value, str) else None
    if found is None:
        problems.append(
            f"{where}.country: {value!r} is not a country we know; give an ISO code such as PK or an English "
            "name such as Pakistan (or Other)"
        )
    return found


def _experience(item: object, where: str, problems: list[str]) -> Experience | None:
    if not isinstance(item, Mapping):
        problems.append(f"{where}: must be an object")
        return None
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}.title: required")
        return None
    years = item.get("years", 0)
    if isinstance(years, bool) or not isinstance(years, int | float) or not 0 <= years <= 70:
        problems.append(f"{where}.years: a number from 0 to 70, got {years!r}")
        years = 0
    employer = item.get("employer")
    if employer is not None and (not isinstance(employer, str) or len(employer) > _MAX_TEXT):
        problems.append(f"{where}.employer: text of at most {_MAX_TEXT:,} characters")
        employer = None
    until = item.get("until")
    if until in ("present", "now", "current"):
        until = None
    elif until is not None and (isinstance(until, bool) or not isinstance(until, int) or not 1940 <= until <= 2100):
        problems.append(f"{where}.until: the year it ended, such as 2021, or 'present', got {until!r}")
        until = None
    return Experience(
        title.strip(),
        float(years),
        _country(item.get("country"), where, problems),
        employer.strip() or None if isinstance(employer, str) else None,
        until,
    )


def _qualification(item: object, where: str, problems: list[str]) -> HeldQualification | None:
    if isinstance(item, str):
        item = {"title": item}
    if not isinstance(item, Mapping):
        problems.append(f"{where}: must be an object")
        return None
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}.title: required")
        return None
    year = item.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1940 <= year <= 2100):
        problems.append(f"{where}.year: a year such as 2015, got {year!r}")
        year = None
    taught = item.get("taught_in_english")
    if taught is not None and not isinstance(taught, bool):
        problems.append(f"{where}.taught_in_english: true or false, got {taught!r}")
        taught = None
    return HeldQualification(title.strip(), _country(item.get("country"), where, problems), year, taught)


def _language_test(item: object, where: str, problems: list[str]) -> LanguageTest | None:
    if not isinstance(item, Mapping):
        problems.append(f"{where}: must be an object")
        return None
    name = item.get("test")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}.test: required (e.g. 'IELTS Academic' or 'OET')")
        return None
    family = language_test_family(name)
    is_oet = family == "oet"
    components: dict[str, float | str] = {}
    parts = IELTS_PARTS if is_oet else (*IELTS_PARTS, "overall")
    for part in parts:
        value = item.get(part)
        if value is None:
            if part != "overall":
                problems.append(f"{where}.{part}: required")
            continue
        if is_oet:
            grade = str(value).strip().upper()
            if grade not in OET_GRADES:
                problems.append(f"{where}.{part}: an OET grade ({', '.join(OET_GRADES)}), got {value!r}")
            else:
                components[part] = grade
        elif family == "toefl":
            top = 120 if part == "overall" else 30
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 <= value <= top
                or value != int(value)
            ):
                problems.append(f"{where}.{part}: a TOEFL iBT score, a whole number from 0 to {top}, got {value!r}")
            else:
                components[part] = float(value)
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value <= 9
            or value * 2 != int(value * 2)
        ):
            problems.append(f"{where}.{part}: an IELTS band from 0 to 9 in half bands, got {value!r}")
        else:
            components[part] = float(value)
    taken: date | None = None
    raw = item.get("date")
    if raw is not None:
        try:
            taken = date.fromisoformat(str(raw))
        except ValueError:
            problems.append(f"{where}.date: a date as YYYY-MM-DD, got {raw!r}")
    return LanguageTest(name.strip(), components, taken)


def normalise_profile(data: object) -> dict[str, Any]:
    """A resident's JSON as it should be stored: validated (raises :class:`InvalidInputError`
    naming every problem), countries as ISO codes ("Pakistan" -> "PK") and the right to work
    the immigration status settles ("refugee" -> "yes" when not stated). Other fields as given."""
    parsed = Resident.from_dict(data)
    assert isinstance(data, Mapping)
    out = dict(data)
    for key, items in (("experience", parsed.experience), ("qualifications", parsed.qualifications)):
        raw = data.get(key)
        if isinstance(raw, list):
            out[key] = [
                {**item, "country": found.country} if isinstance(item, Mapping) and item.get("country") else item
                for item, found in zip(raw, items, strict=False)
            ]
    out["right_to_work"] = parsed.right_to_work
    return out


def parse_pair(resident: object, vacancy: object) -> tuple[Resident, Vacancy]:
    """Both records, or one :class:`InvalidInputError` naming every problem in either."""
    problems: list[str] = []
    parsed_resident = parsed_vacancy = None
    try:
        parsed_resident = Resident.from_dict(resident)
    except InvalidInputError as exc:
        problems += [f"resident: {p}" for p in exc.problems]
    try:
        parsed_vacancy = Vacancy.from_dict(vacancy)
    except InvalidInputError as exc:
        problems += [f"vacancy: {p}" for p in exc.problems]
    if problems or parsed_resident is None or parsed_vacancy is None:
        raise InvalidInputError("invalid resident or vacancy", problems)
    return parsed_resident, parsed_vacancy
