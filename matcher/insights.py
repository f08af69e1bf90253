"""Insights for advisers and funders: which training unlocks most jobs; supply and demand.

Both reports retrieve, for every open vacancy, the residents the index ranks best for it and
assess only those (``per_vacancy`` of them), never every pair, so they stay fast for large
populations. Counts that come from that retrieval are therefore lower bounds when more than
``per_vacancy`` residents would qualify for one vacancy (``eligible_now_capped`` says when).

Nothing in either report identifies a resident: counts only, and areas as postcode districts.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .assessment import Assessment
from .matching import ResidentIndex
from .pay import PayBand, PayBands, band_key, band_order, load_pay_bands
from .requirements import ParsedVacancy

__all__ = [
    "BackgroundMix",
    "DistrictBalance",
    "OccupationBalance",
    "PayBand",
    "PayBands",
    "SiteDemand",
    "SupplyDemand",
    "TownDemand",
    "background_mix",
    "load_pay_bands",
    "postcode_district",
    "shortfalls",
    "supply_and_demand",
    "town_and_site",
    "training_insights",
    "training_value",
]

_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}$")


def postcode_district(postcode: str | None) -> str | None:
    """The district (outward code) of a UK postcode: "B66 2QT" -> "B66"; None when not a postcode.

    Only the district ever leaves a report: enough to see where people live, not who they are.
    """
    if not postcode:
        return None
    text = " ".join(postcode.upper().split())
    full = _POSTCODE.match(text)
    if full:
        return full.group(1)
    return text if _OUTWARD.match(text) else None


def town_and_site(location: str | None) -> tuple[str | None, str | None]:
    """A vacancy's town and site from its location as adverts write it.

    "Midland Metropolitan University Hospital, Smethwick" -> ("Smethwick", "Midland Metropolitan
    University Hospital"); "Cape Hill, Smethwick (home visits ...)" -> ("Smethwick", "Cape Hill");
    the last part that is not a postcode is the town.
    """
    if not location:
        return None, None
    text = re.sub(r"\([^)]*\)?", " ", location)
    parts = [" ".join(p.split()) for p in text.split(",")]
    parts = [p for p in parts if p and postcode_district(p) is None]
    if not parts:
        return None, None
    return parts[-1], ", ".join(parts[:-1]) or None


def _assessed(
    index: ResidentIndex,
    vacancies: Iterable[tuple[str, ParsedVacancy]],
    per_vacancy: int,
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[str, ParsedVacancy, list[tuple[int, Assessment]]]]:
    """Each vacancy with the exact assessments of the residents retrieved for it, best first."""
    for vacancy_id, vacancy in vacancies:
        rows = index.candidates(vacancy, per_vacancy)
        yield (
            vacancy_id,
            vacancy,
            [(int(row), index.assessor.assess(index.evidence[int(row)], vacancy, today=index.today)) for row in rows],
        )
        if progress is not None:
            progress(1)


# -- training insights ------------------------------------------------------------------------


@dataclass(slots=True)
class CredentialInsight:
    credential: str
    label: str
    residents: set[int] = field(default_factory=set)
    vacancies: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # id -> (title, band)
    bands: set[str] = field(default_factory=set)
    weeks: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)

    def to_dict(self, pay: PayBands | None = None, *, with_vacancies: bool = False) -> dict[str, Any]:
        salary = pay.salary_range(self.bands) if pay is not None else None
        record: dict[str, Any] = {
            "credential": self.credential,
            "label": self.label,
            "residents_unlocked": len(self.residents),
            "vacancies_unlocked": len(self.vacancies),
            "bands": sorted(self.bands, key=band_order),
            "typical_weeks": _median(self.weeks),
            "typical_cost_gbp": _median(self.costs),
            "salary_min_gbp": salary[0] if salary else None,
            "salary_max_gbp": salary[1] if salary else None,
        }
        if with_vacancies:
            record["vacancies"] = [
                {"id": vacancy_id, "title": title, "band": band}
                for vacancy_id, (title, band) in sorted(self.vacancies.items())
            ]
        return record


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def training_insights(
    index: ResidentIndex,
    vacancies: Iterable[tuple[str, ParsedVacancy]],
    *,
    per_vacancy: int = 200,
    top: int = 10,
    pay: PayBands | None = None,
    with_vacancies: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """The credentials that would make the most residents newly eligible, best first.

    A resident counts for a credential when it is the only essential requirement they miss for
    an open vacancy, they have the right to work, and the route to it is open to them (their
    qualifications let them start it: a pathway with nothing unreachable). ``vacancies`` are
    ``(vacancy id, parsed vacancy)`` pairs; ``pay`` defaults to the shipped pay bands.

    Each item: ``{"credential", "label", "residents_unlocked", "vacancies_unlocked",
    "bands": ["3", "5"], "typical_weeks": float | None, "typical_cost_gbp": float | None,
    "salary_min_gbp": int | None, "salary_max_gbp": int | None}`` (the salary range is the
    lowest entry point to the highest top point of the bands unlocked that the pay scale knows;
    None when none is, e.g. doctors, who are not on Agenda for Change), plus
    ``"vacancies": [{"id", "title", "band"}]`` when ``with_vacancies``. Medians are over the
    residents' pathways. ``progress`` is called with 1 after each vacancy.
    """
    pay = pay if pay is not None else load_pay_bands()
    graph = index.assessor.graph
    found: dict[str, CredentialInsight] = {}
    for vacancy_id, vacancy, assessed in _assessed(index, vacancies, per_vacancy, progress):
        for row, assessment in assessed:
            if assessment.eligible_now or assessment.blocked_by:
                continue
            if index.evidence[row].resident.right_to_work != "yes":
                continue
            # One gap left, closed by one credential whose route the resident can start (a
            # resident with no qualification of the profession is not one registration away).
            if len(assessment.gaps) != 1 or not assessment.gaps[0].closable:
                continue
            goals = assessment.gaps[0].closed_by
            if len(goals) != 1 or goals[0] not in graph:
                continue
            credential = goals[0]
            if assessment.pathway is None or assessment.pathway.unreachable:
                continue
            insight = found.setdefault(credential, CredentialInsight(credential, graph[credential].label))
            insight.residents.add(row)
            insight.vacancies[vacancy_id] = (vacancy.title, vacancy.band)
            if vacancy.band:
                insight.bands.add(vacancy.band)
            insight.weeks.append(assessment.pathway.total_weeks)
            insight.costs.append(assessment.pathway.total_cost_gbp)
    ranked = sorted(found.values(), key=lambda i: (-len(i.residents), -len(i.vacancies), i.credential))
    return [i.to_dict(pay, with_vacancies=with_vacancies) for i in ranked[:top]]


# -- supply and demand --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OccupationBalance:
    """Demand for one occupation against the residents who could fill it.

    ``demand``: open vacancies whose title normalises to the occupation. ``supply``: residents
    with it in their work history, or holding a recognised qualification of its profession
    (a BSc Nursing counts for staff nurse posts). ``supply_related``: residents with work in the
    same family (healthcare assistants for a senior healthcare assistant post), or of its
    profession; it includes ``supply``. ``eligible_now``: residents eligible now for at least
    one of its open vacancies (a lower bound when ``eligible_now_capped``: for some vacancy even
    the last resident retrieved was eligible, and more were left unassessed).
    """

    occupation_id: str
    label: str
    family: str | None
    soc2020: str | None
    #: A role at an acute NHS trust (false: a job residents held before, such as retail).
    nhs: bool
    bands: tuple[str, ...]
    salary_min_gbp: int | None
    salary_max_gbp: int | None
    demand: int
    supply: int
    supply_related: int
    eligible_now: int
    eligible_now_capped: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "occupation_id": self.occupation_id,
            "label": self.label,
            "family": self.family,
            "soc2020": self.soc2020,
            "nhs": self.nhs,
            "bands": list(self.bands),
            "salary_min_gbp": self.salary_min_gbp,
            "salary_max_gbp": self.salary_max_gbp,
            "demand": self.demand,
            "supply": self.supply,
            "supply_related": self.supply_related,
            "eligible_now": self.eligible_now,
            "eligible_now_capped": self.eligible_now_capped,
        }


@dataclass(frozen=True, slots=True)
class DistrictBalance:
    """Residents living in one postcode district (None: no usable postcode)."""

    district: str | None
    residents: int
    right_to_work: int
    #: Residents eligible now for at least one open vacancy (among those retrieved).
    eligible_now: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "district": self.district,
            "residents": self.residents,
            "right_to_work": self.right_to_work,
            "eligible_now": self.eligible_now,
        }


@dataclass(frozen=True, slots=True)
class SiteDemand:
    site: str | None
    vacancies: int

    def to_dict(self) -> dict[str, Any]:
        return {"site": self.site, "vacancies": self.vacancies}


@dataclass(frozen=True, slots=True)
class TownDemand:
    """Open vacancies in one town (None: no location given), by site."""

    town: str | None
    vacancies: int
    sites: tuple[SiteDemand, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"town": self.town, "vacancies": self.vacancies, "sites": [s.to_dict() for s in self.sites]}


@dataclass(frozen=True, slots=True)
class SupplyDemand:
    """The supply-and-demand report; :meth:`to_dict` is its JSON form.

    ``{"residents", "open_vacancies", "eligible_now", "unclassified_vacancies",
    "occupations": [OccupationBalance.to_dict()], "areas": {"districts": [DistrictBalance.to_dict()],
    "towns": [TownDemand.to_dict()]}, "pay": PayBands.provenance()}``
    """

    residents: int
    open_vacancies: int
    #: Residents eligible now for at least one open vacancy (among those retrieved).
    eligible_now: int
    #: Open vacancies whose title matched no occupation (counted in no occupation row).
    unclassified_vacancies: int
    occupations: tuple[OccupationBalance, ...]
    districts: tuple[DistrictBalance, ...]
    towns: tuple[TownDemand, ...]
    pay: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "residents": self.residents,
            "open_vacancies": self.open_vacancies,
            "eligible_now": self.eligible_now,
            "unclassified_vacancies": self.unclassified_vacancies,
            "occupations": [o.to_dict() for o in self.occupations],
            "areas": {
                "districts": [d.to_dict() for d in self.districts],
                "towns": [t.to_dict() for t in self.towns],
            },
            "pay": dict(self.pay),
        }


@dataclass(slots=True)
class _Backgrounds:
    """Counts over residents' work histories and qualifications (no resident is kept)."""

    occupation: Counter[str] = field(default_factory=Counter)
    profession: Counter[str] = field(default_factory=Counter)
    family: Counter[str] = field(default_factory=Counter)
    #: Residents with occupation o in their history AND a qualification of o's profession.
    occupation_and_own_profession: Counter[str] = field(default_factory=Counter)
    family_and_profession: Counter[tuple[str, str]] = field(default_factory=Counter)

    def supply(self, occupation: str, profession: str | None) -> int:
        if not profession:
            return self.occupation[occupation]
        return (
            self.occupation[occupation] + self.profession[profession] - self.occupation_and_own_profession[occupation]
        )

    def related(self, occupation: str, family: str | None, profession: str | None) -> int:
        if not family:
            return self.supply(occupation, profession)
        if not profession:
            return self.family[family]
        return self.family[family] + self.profession[profession] - self.family_and_profession[(family, profession)]


def supply_and_demand(
    index: ResidentIndex,
    vacancies: Iterable[tuple[str, ParsedVacancy]],
    *,
    locations: Mapping[str, str | None] | None = None,
    per_vacancy: int = 200,
    top: int | None = None,
    pay: PayBands | None = None,
    progress: Callable[[int], None] | None = None,
) -> SupplyDemand:
    """Open vacancies by occupation and town against residents' backgrounds and districts.

    ``vacancies`` are ``(vacancy id, parsed vacancy)`` pairs (their titles were normalised to
    occupations when parsed); ``locations`` maps vacancy ids to the advert's location text
    ("Midland Metropolitan University Hospital, Smethwick"), from which the town is taken.
    Occupations listed: every one with open vacancies, and every one in residents' work
    histories (demand 0), most demanded first, then most supplied. ``top`` keeps that many
    occupations, districts and towns each (None: all). ``progress`` is called with 1 after each
    vacancy. Eligibility comes from the index's retrieval, as in :func:`training_insights`.
    """
    pay = pay if pay is not None else load_pay_bands()
    taxonomy = index.assessor.taxonomy
    cutoff = index.assessor.settings.evidence_cutoff
    locations = locations or {}

    def attribute(occupation_id: str, name: str) -> str | None:
        concept = taxonomy.get(occupation_id)
        value = concept.attributes.get(name) if concept is not None else None
        return str(value) if value else None

    backgrounds = _Backgrounds()
    district_of: dict[int, str | None] = {}
    district_residents: Counter[str | None] = Counter()
    district_rtw: Counter[str | None] = Counter()
    for row, evidence in enumerate(index.evidence):
        if not index.alive[row]:
            continue
        resident = evidence.resident
        district = district_of[row] = postcode_district(resident.postcode)
        district_residents[district] += 1
        if resident.right_to_work == "yes":
            district_rtw[district] += 1
        occupations = {
            ev.concept_id for ev, _, _ in evidence.experience if ev.concept_id and (ev.score or 0.0) >= cutoff
        }
        families = {f for f in (attribute(o, "family") for o in occupations) if f}
        professions = set(evidence.professions)
        for occupation in occupations:
            backgrounds.occupation[occupation] += 1
            if attribute(occupation, "profession") in professions:
                backgrounds.occupation_and_own_profession[occupation] += 1
        backgrounds.profession.update(professions)
        backgrounds.family.update(families)
        backgrounds.family_and_profession.update((f, p) for f in families for p in professions)

    demand: Counter[str] = Counter()
    bands: defaultdict[str, set[str]] = defaultdict(set)
    eligible: defaultdict[str, set[int]] = defaultdict(set)
    capped: set[str] = set()
    eligible_any: set[int] = set()
    towns: defaultdict[str | None, Counter[str | None]] = defaultdict(Counter)
    open_count = unclassified = 0
    for vacancy_id, vacancy, assessed in _assessed(index, vacancies, per_vacancy, progress):
        open_count += 1
        town, site = town_and_site(locations.get(vacancy_id))
        towns[town][site] += 1
        rows = {row for row, assessment in assessed if assessment.eligible_now}
        eligible_any |= rows
        occupation_id = vacancy.occupation_id
        if occupation_id is None:
            unclassified += 1
            continue
        demand[occupation_id] += 1
        if vacancy.band:
            bands[occupation_id].add(band_key(vacancy.band) or vacancy.band)
        eligible[occupation_id] |= rows
        if assessed and assessed[-1][1].eligible_now and len(assessed) < index.live:
            capped.add(occupation_id)

    rows_out = []
    for occupation in set(demand) | set(backgrounds.occupation):
        concept = taxonomy.get(occupation)
        family, profession = attribute(occupation, "family"), attribute(occupation, "profession")
        salary = pay.salary_range(bands[occupation])
        rows_out.append(
            OccupationBalance(
                occupation_id=occupation,
                label=concept.label if concept is not None else occupation,
                family=family,
                soc2020=concept.soc2020 if concept is not None else None,
                nhs=bool(concept.attributes.get("nhs")) if concept is not None else False,
                bands=tuple(sorted(bands[occupation], key=band_order)),
                salary_min_gbp=salary[0] if salary else None,
                salary_max_gbp=salary[1] if salary else None,
                demand=demand[occupation],
                supply=backgrounds.supply(occupation, profession),
                supply_related=backgrounds.related(occupation, family, profession),
                eligible_now=len(eligible[occupation]),
                eligible_now_capped=occupation in capped,
            )
        )
    rows_out.sort(key=lambda o: (-o.demand, -o.supply, -o.supply_related, o.label))

    district_eligible = Counter(district_of[row] for row in eligible_any if row in district_of)
    districts = sorted(
        (DistrictBalance(d, district_residents[d], district_rtw[d], district_eligible[d]) for d in district_residents),
        key=lambda d: (-d.residents, d.district is None, d.district or ""),
    )
    town_rows = sorted(
        (
            TownDemand(
                town,
                sum(sites.values()),
                tuple(
                    SiteDemand(site, n)
                    for site, n in sorted(sites.items(), key=lambda s: (-s[1], s[0] is None, s[0] or ""))
                ),
            )
            for town, sites in towns.items()
        ),
        key=lambda t: (-t.vacancies, t.town is None, t.town or ""),
    )
    limit = len(rows_out) + len(districts) + len(town_rows) if top is None else top
    return SupplyDemand(
        residents=index.live,
        open_vacancies=open_count,
        eligible_now=len(eligible_any),
        unclassified_vacancies=unclassified,
        occupations=tuple(rows_out[:limit]),
        districts=tuple(districts[:limit]),
        towns=tuple(town_rows[:limit]),
        pay=pay.provenance(),
    )


# -- views for reports (notebooks, pages) --------------------------------------------------------


def training_value(insights: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each :func:`training_insights` item with what funding it would cost and return.

    Fees are paid per resident, so the figures are: ``"fees_for_all_gbp"``, the typical cost
    times the residents unlocked (an estimate of the fees to make all of them eligible);
    ``"residents_per_1000_gbp"``, how many residents' typical fees GBP 1,000 pays (1,000 / cost,
    however many residents need the step); ``"residents_per_week"``, residents unlocked per week
    of the typical route (reach for the wait); and ``"free"``, the typical route costs the
    resident nothing. A figure is None when the cost or length it needs is unknown, or zero where
    it divides (a free route has no "per pound": ``free`` says why). Order is kept.
    """
    found = []
    for item in insights:
        residents = item["residents_unlocked"]
        cost, weeks = item.get("typical_cost_gbp"), item.get("typical_weeks")
        found.append(
            {
                **item,
                "fees_for_all_gbp": residents * cost if cost is not None else None,
                "residents_per_1000_gbp": 1_000 / cost if cost else None,
                "residents_per_week": residents / weeks if weeks else None,
                "free": cost == 0,
            }
        )
    return found


def shortfalls(occupations: Iterable[OccupationBalance], *, top: int | None = None) -> list[OccupationBalance]:
    """The occupations with more open vacancies than residents eligible now, largest gap first.

    The gap is ``demand - eligible_now`` (posts left over if every eligible resident took one);
    ties go to the more demanded occupation, then by label. Where ``eligible_now_capped``, the
    eligible count is a lower bound, so the gap may be smaller than shown.
    """
    short = [o for o in occupations if o.demand > o.eligible_now]
    short.sort(key=lambda o: (o.eligible_now - o.demand, -o.demand, o.label))
    return short if top is None else short[:top]


@dataclass(frozen=True, slots=True)
class BackgroundMix:
    """Residents by the kind of work behind them; every resident is in exactly one group.

    ``nhs``: an NHS role (an occupation the taxonomy marks ``nhs``, such as healthcare
    assistant, nurse or doctor) in their work history, wherever they did it, or a recognised
    qualification of such a role's profession (a BSc Nursing). ``other_only``: recognised work
    history, all of it outside NHS roles (retail, care work, driving). ``none``: neither.
    """

    residents: int
    nhs: int
    other_only: int
    none: int

    def to_dict(self) -> dict[str, int]:
        return {"residents": self.residents, "nhs": self.nhs, "other_only": self.other_only, "none": self.none}


def background_mix(index: ResidentIndex) -> BackgroundMix:
    """How many residents bring NHS-type backgrounds, only other work, or none the taxonomy
    recognises (work history counted as in :func:`supply_and_demand`). Counts only."""
    taxonomy = index.assessor.taxonomy
    cutoff = index.assessor.settings.evidence_cutoff
    nhs_roles = {c.id for c in taxonomy.concepts("occupation") if c.attributes.get("nhs")}
    nhs_professions = {
        str(c.attributes["profession"])
        for c in taxonomy.concepts("occupation")
        if c.id in nhs_roles and c.attributes.get("profession")
    }
    counts: Counter[str] = Counter()
    for row, evidence in enumerate(index.evidence):
        if not index.alive[row]:
            continue
        occupations = {
            ev.concept_id for ev, _, _ in evidence.experience if ev.concept_id and (ev.score or 0.0) >= cutoff
        }
        if occupations & nhs_roles or evidence.professions & nhs_professions:
            counts["nhs"] += 1
        elif occupations:
            counts["other_only"] += 1
        else:
            counts["none"] += 1
    return BackgroundMix(index.live, counts["nhs"], counts["other_only"], counts["none"])
