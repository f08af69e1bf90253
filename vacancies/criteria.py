"""Turn person-specification criteria into requirements, read as a shortlisting panel reads them.

Every criterion gets a kind (credential, qualification, experience, skill, language, check,
quality, condition) and a place where it is judged (``assessed``: from the profile, at interview,
or after an offer). Registrations, qualifications and stated experience are screened from the
application; personal qualities and general abilities, willingness and practical conditions are
judged at interview or confirmed later; pre-employment checks come after an offer. Markers the
advert prints ("(A)", "(I)", "Application/Interview") are read and respected. A criterion that
cannot be read is kept with ``understood`` false: it never blocks, and the recruiter is told.

The patterns are data (``fixtures/criteria_rules.json``); experience settings are data too
(``fixtures/experience_settings.json``, see :mod:`matcher.workplaces`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from matcher import InvalidInputError, Match, Normaliser, TaxonomyError
from matcher.qualifications import QualificationRecogniser
from matcher.requirements import ASSESSED, REQUIREMENT_KINDS, ParsedVacancy, Requirement
from matcher.taxonomy import default_fixtures_dir
from matcher.workplaces import Workplaces

from .markers import read_markers
from .titles import read_title

#: Bumped whenever the same criterion text would be read differently: stored parses made by an
#: older parser are then read again (``api.vacancies``).
PARSER_VERSION = 3

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "eighteen": 18,
}
_COUNT = r"(\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")"
_YEARS = re.compile(rf"\b{_COUNT}\s*\+?\s*(?:full[- ]time\s+)?(years?|yrs?|months?)\b", re.IGNORECASE)
_EXPERIENCE = re.compile(r"\bexperien(?:ce|ced)\b|\bworked (?:in|as|with|on)\b|\bhistory of working\b", re.IGNORECASE)
_IELTS_SCORE = re.compile(r"\bIELTS\b[^0-9]{0,40}?\b([4-9](?:\.[05])?)\b", re.IGNORECASE)
_BAND = r"([4-9](?:\.[05])?)"
_PART = r"(?:element|component|band|part|sub-?test|sub-?score|score|section|domain|skill|area|module)s?"
#: "no element below 6.5", "at least 7.0 in each component", "7.0 in each of the four components".
_EACH = re.compile(
    rf"\b(?:no {_PART} (?:below|lower than|less than|under)\s*{_BAND}|(?:at least|minimum(?: of)?|min\.?)\s*{_BAND}\s*"
    rf"(?:in|for|across) (?:each|every|all)\b|{_BAND}\s*(?:in|for) (?:each|every|all)(?: of the (?:four|4))? {_PART})",
    re.IGNORECASE,
)
_PARTS_NAMED = ("listening", "reading", "writing", "speaking")
_EQUIVALENT = re.compile(r"\bor (?:an? )?equivalent\b|\bor (?:a )?comparable\b|\bor similar\b", re.IGNORECASE)
#: "... or equivalent", "..., or an equivalent laboratory science degree" to the end of the text.
_EQUIVALENT_TAIL = re.compile(r"[,;]?\s*\bor (?:an? )?(?:equivalent|comparable|similar)\b.*$", re.IGNORECASE)
#: "or equivalent experience", "or able to demonstrate equivalent experience", "or equivalent
#: knowledge/experience", "or an equivalent level of experience in a healthcare environment".
_EQUIVALENT_EXPERIENCE = re.compile(
    r"\bor\b[^.;]{0,40}?\b(?:equivalent|relevant|comparable)\b(?:[\s/,]+[\w']+){0,4}?[\s/,]+experience\b",
    re.IGNORECASE,
)
#: A qualification's subject ("... in Cleaning and Support Services"), and one that is no subject
#: in particular ("in a relevant subject", "in a health-related subject").
_SUBJECT = re.compile(r"\bin\s+\w", re.IGNORECASE)
_GENERIC_SUBJECT = re.compile(
    r"\bin\s+(?:a|an|any)?\s*(?:relevant|related|appropriate|suitable|health[- ]related|healthcare[- ]related|"
    r"health|healthcare|science|scientific|any)\b",
    re.IGNORECASE,
)
#: Lead-ins before the skill itself: "Competent in clinical observations", "Ability to use ...".
_SKILL_LEAD_IN = re.compile(
    r"^\s*(?:(?:good|sound|proven|demonstrable|excellent|basic|some|strong)\s+)?(?:competen(?:t|ce|cy) (?:in|at|with)|"
    r"proficien(?:t|cy) (?:in|at|with)|skilled (?:in|at)|skills? in|confident (?:in|at|with|using)|trained in|"
    r"able to|ability to|experience (?:of|in|with)|knowledge of|understanding of|awareness of|use of|using)\s+"
    # "Experience of undertaking clinical observations": the doing is not the skill.
    r"(?:(?:undertaking|carrying out|performing|providing|delivering|doing)\s+)?",
    re.IGNORECASE,
)
#: Examples after the skill asked for: "..., including NEWS2", "such as Unity".
_EXAMPLES = re.compile(r"\bincluding\b|\bsuch as\b|\be\.g\.|\bfor example\b", re.IGNORECASE)
#: Where a criterion lists several skills: "clinical observations, NEWS2 and ECG recording".
_SKILL_PARTS = re.compile(r",|;|\band\b|\bor\b|\bincluding\b|\be\.g\.|\bsuch as\b|\(|\)|/", re.IGNORECASE)
_EXPERIENCE_NOISE = re.compile(
    r"\b(previous|recent(ly)?|current(ly)?|proven|demonstrable|demonstrated|relevant|substantial|significant|"
    r"considerable|extensive|some|good|sound|minimum( of)?|at least|over|more than|years?|yrs?|months?|"
    r"full[- ]time|experien(ce|ced)|of|in|as|an?|the|working|work(ed)?|within|with|including|inc|incl|and/or|or "
    r"more|post[- ]?(registration|qualification)|pre[- ]?registration|paid|unpaid|voluntary|either|setting|"
    r"environment|capacity|role|field|area|sector|" + "|".join(_NUMBER_WORDS) + r"|\d+(\.\d+)?\+?)\b|['’]s?",
    re.IGNORECASE,
)
#: Text that says more than one thing: "NMC registration and 2 years' post-registration experience".
_AND_EXPERIENCE = re.compile(r"\b(?:and|with|plus)\b[^.;]*\bexperien", re.IGNORECASE)
#: "Post-registration", "post-qualification", "after qualifying": work in the profession itself.
_POST_QUALIFICATION = re.compile(
    r"\bpost[- ]?(?:registration|qualification|qualifying|graduat(?:e|ion))\b|\bafter qualifying\b|\bas a qualified\b"
    r"|\binternship\b|\bfoundation (?:years?|programme|training)\b|\bhouse (?:job|officer)\b|\bsince qualifying\b",
    re.IGNORECASE,
)
#: A regulator named only as the body that approves a qualification: "accredited by the IBMS",
#: "a GDC-recognised qualification", "recognised by the GPhC".
_APPROVED_BY = re.compile(
    r"\b(?:recognised|approved|accredited|validated)\s+by\s+the\s+"
    r"(?:GPhC|GDC|NMC|HCPC|HPC|GMC|IBMS|general \w+ council)\b"
    r"|\b(?:GPhC|GDC|NMC|HCPC|HPC|GMC|IBMS)[- ](?:recognised|approved|accredited)\b",
    re.IGNORECASE,
)
#: A registration named outright ("NMC registration", "registered with the HCPC", "PIN").
_NAMES_A_REGISTER = re.compile(
    r"(?<!post-)(?<!post )(?<!post)\bregistration\b|\bregistered (?:with|on)\b|\bPIN\b"
    r"|\b(?:NMC|GMC|HCPC|HPC|GPhC|GDC|SWE)\b(?!\s+(?:approved|recognised|accredited))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    kind: str
    credentials: tuple[str, ...]
    stop: bool
    only_with: re.Pattern[str] | None
    alternatives: bool
    assessed: str | None
    unless: re.Pattern[str] | None = None


def _compile_all(patterns: Sequence[str]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


class CriteriaParser:
    """Parses criteria with the normaliser and the rules fixture; build once, reuse."""

    def __init__(
        self,
        normaliser: Normaliser,
        *,
        rules_path: str | Path | None = None,
        known_credentials: frozenset[str] | None = None,
        workplaces: Workplaces | None = None,
    ) -> None:
        self.normaliser = normaliser
        #: When given, a structured criterion naming another credential id is refused.
        self.known_credentials = known_credentials
        self.recogniser = QualificationRecogniser(normaliser)
        self.workplaces = workplaces or Workplaces.load_default(normaliser.taxonomy)
        path = Path(rules_path) if rules_path else default_fixtures_dir() / "criteria_rules.json"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            self.rules = [
                _Rule(
                    re.compile(rule["pattern"], re.IGNORECASE),
                    rule["kind"],
                    tuple(rule.get("credentials") or ()),
                    bool(rule.get("stop", True)),
                    re.compile(rule["only_with"], re.IGNORECASE) if rule.get("only_with") else None,
                    bool(rule.get("any", False)),
                    rule.get("assessed"),
                    re.compile(rule["unless"], re.IGNORECASE) if rule.get("unless") else None,
                )
                for rule in document["rules"]
            ]
            self.on_the_job = re.compile(document["on_the_job_pattern"], re.IGNORECASE)
            self.conditions = _compile_all(document["conditions"]["patterns"])
            self.qualities = _compile_all(document["qualities"]["patterns"])
            self.knowledge = re.compile(document["knowledge_pattern"], re.IGNORECASE)
            self.qualification_words = re.compile(document["qualification_patterns"]["pattern"], re.IGNORECASE)
            self.nurse_fields = {
                credential: re.compile(pattern, re.IGNORECASE)
                for credential, pattern in document["nurse_fields"]["patterns"].items()
            }
            self.professions = {
                name: re.compile(pattern, re.IGNORECASE)
                for name, pattern in document["qualification_professions"]["patterns"].items()
            }
            self.levels = [
                (re.compile(level["pattern"], re.IGNORECASE), level["level"], level["label"])
                for level in document["qualification_levels"]["levels"]
            ]
            equivalent = document["equivalent_experience"]
            self.equivalent_years = float(equivalent["min_years"])
            self.equivalent_fields = {str(k): tuple(v) for k, v in equivalent["fields"].items()}
            reading = document["experience_reading"]
            self.uk_only = re.compile(reading["uk_only_pattern"], re.IGNORECASE)
            self.overseas_ok = re.compile(reading["overseas_ok_pattern"], re.IGNORECASE)
            self.students = re.compile(reading["student_pattern"], re.IGNORECASE)
            self.recent = re.compile(reading["recent_pattern"], re.IGNORECASE)
            self.recent_years = float(reading["recent_years"])
            self.similar = re.compile(reading["similar_pattern"], re.IGNORECASE)
            self.any_work = re.compile(reading["any_work_pattern"], re.IGNORECASE)
            self.lived = re.compile(reading["lived_experience_pattern"], re.IGNORECASE)
        except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
            raise TaxonomyError(f"cannot read criteria rules {path}: {exc}") from exc
        #: What the rules say each credential id is (a DBS check is a check, however it is written).
        self._credential_kinds = {c: r.kind for r in self.rules for c in r.credentials if r.kind == "check"}
        bad = [r.assessed for r in self.rules if r.assessed is not None and r.assessed not in ASSESSED]
        if bad:
            raise TaxonomyError(f"criteria rules {path}: unknown 'assessed' value(s) {sorted(set(bad))}")

    # -- one criterion ----------------------------------------------------------------------
    def parse(self, criterion: str | Mapping[str, Any], *, essential: bool) -> list[Requirement]:
        if isinstance(criterion, Mapping):
            return [self._structured(criterion, essential)]
        text = criterion.strip()
        markers = read_markers(text)
        found = self._free_text(text, markers.text, essential)
        return [self._placed(r, markers.methods) for r in found]

    def _placed(self, requirement: Requirement, methods: tuple[str, ...]) -> Requirement:
        """Where the criterion is judged: its kind's default, then the advert's own markers."""
        kind = requirement.kind
        assessed = requirement.assessed
        if kind in ("quality", "condition"):
            assessed = "after_offer" if methods and set(methods) <= {"references"} else "interview"
        elif kind == "check":
            assessed = "after_offer"
        elif methods and not requirement.on_the_job:
            screened = {"application", "certificates"} if kind in ("credential", "qualification") else {"application"}
            if not set(methods) & screened:
                assessed = "after_offer" if set(methods) <= {"references", "certificates"} else "interview"
            elif kind == "skill" and "application" in methods:
                assessed = "profile"  # the advert screens it from the form, knowledge included
        return replace(requirement, methods=methods, assessed=assessed)

    def _structured(self, item: Mapping[str, Any], essential: bool) -> Requirement:
        kind = str(item.get("kind"))
        if kind not in REQUIREMENT_KINDS:
            raise InvalidInputError(f"unknown criterion kind {kind!r}; expected one of: {', '.join(REQUIREMENT_KINDS)}")
        assessed = item.get("assessed")
        if assessed is not None and assessed not in ASSESSED:
            raise InvalidInputError(f"'assessed' must be one of {', '.join(ASSESSED)}, got {assessed!r}")
        requirement = self._structured_kind(kind, item, essential)
        if assessed is not None:
            requirement = replace(requirement, assessed=str(assessed))
        elif requirement.kind in ("quality", "condition", "check"):
            requirement = self._placed(requirement, ())
        return requirement

    def _structured_kind(self, kind: str, item: Mapping[str, Any], essential: bool) -> Requirement:
        text = str(item.get("text") or item.get("id") or "").strip()
        if kind in ("credential", "check"):
            credential = str(item.get("id") or "").strip()
            if not credential:
                raise InvalidInputError(f"a {kind} criterion needs an 'id' (a canonical credential id)")
            ids = item.get("ids")
            if ids is not None and (
                not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i.strip() for i in ids)
            ):
                raise InvalidInputError(f"a {kind} criterion's 'ids' must be a non-empty list of credential ids")
            credentials = list(dict.fromkeys([credential, *(i.strip() for i in ids or ())]))
            unknown = [c for c in credentials if self.known_credentials is not None and c not in self.known_credentials]
            if unknown:
                raise InvalidInputError(
                    f"unknown credential id(s) {', '.join(repr(c) for c in unknown)} (see fixtures/credentials.json)"
                )
            ruled = self._credential_kinds.get(credentials[0])
            if ruled is not None:
                kind = ruled  # {"kind": "credential", "id": "dbs-enhanced"} is a check
            return Requirement(
                text or " or ".join(credentials),
                kind,
                essential,
                credential=credentials[0],
                label=credentials[0],
                alternatives=tuple(credentials) if len(credentials) > 1 else (),
            )
        if not text:
            raise InvalidInputError(f"a {kind} criterion needs a 'text'")
        if kind == "experience":
            years = item.get("years", 0)
            if isinstance(years, bool) or not isinstance(years, int | float) or years < 0:
                raise InvalidInputError("an experience criterion's 'years' must be a non-negative number")
            return self._experience(text, text, essential, years=float(years))
        if kind == "qualification":
            return self._qualification(text, text, essential)
        if kind == "language":
            # A named community language ("Punjabi") is a skill; English is the general check.
            if "english" in text.casefold():
                return self._language(text, text, essential)
            return self._skill(text, text, essential)
        if kind in ("quality", "condition"):
            return self._quality_or_condition(kind, text, text, essential)
        return self._skill(text, text, essential)

    def _free_text(self, text: str, clean: str, essential: bool) -> list[Requirement]:
        on_the_job = bool(self.on_the_job.search(clean))
        if _APPROVED_BY.search(clean) and self.qualification_words.search(clean[:50]) and not on_the_job:
            # "Level 3 Diploma ..., or an equivalent qualification recognised by the GPhC": the
            # qualification, not registration with the body that approves it.
            return [self._qualification(text, clean, essential)]
        found = self._by_rules(text, clean, essential, on_the_job)
        if found:
            if on_the_job:
                # "Care Certificate, or willingness to complete it": a willingness, shown at
                # interview; the credential it names is kept for the evidence.
                return [replace(r, kind="condition", on_the_job=True, assessed="interview") for r in found]
            kinds = {r.kind for r in found}
            if "credential" in kinds and _AND_EXPERIENCE.search(clean):
                tail = clean[_AND_EXPERIENCE.search(clean).start() :]  # type: ignore[union-attr]
                found.append(self._experience(text, tail, essential))
            return found
        if on_the_job or (
            any(p.search(clean) for p in self.conditions)
            and not (_EXPERIENCE.search(clean) and self.workplaces.find(clean))
        ):
            return [self._quality_or_condition("condition", text, clean, essential)]
        if _EQUIVALENT_EXPERIENCE.search(clean) and self.qualification_words.search(clean[:60]):
            # "NVQ Level 3 or equivalent, or able to demonstrate equivalent experience": the
            # qualification is asked for; experience is the alternative.
            return [self._qualification(text, clean, essential)]
        if self.lived.search(clean):
            # "Lived experience of mental health difficulties, as a service user or carer": personal
            # history no profile holds (special category); the panel hears it at interview.
            return [
                Requirement(
                    text,
                    "experience",
                    essential,
                    label="lived experience, talked about at interview",
                    assessed="interview",
                    extra={"lived": True},
                )
            ]
        experience = _EXPERIENCE.search(clean) or _YEARS.search(clean)
        if experience and not self._quality_experience(clean):
            return [self._experience(text, clean, essential)]
        if self.qualification_words.search(clean) and not self.knowledge.search(clean):
            return [self._qualification(text, clean, essential)]
        if any(p.search(clean) for p in self.qualities):
            return [self._quality_or_condition("quality", text, clean, essential)]
        return [self._skill(text, clean, essential)]

    def _quality_experience(self, clean: str) -> bool:
        """ "Experience of working as part of a team": a general ability, not a setting. A setting or
        a stated number of years makes it experience after all."""
        if _YEARS.search(clean) or self.workplaces.find(clean):
            return False
        return any(p.search(clean) for p in self.qualities)

    def _by_rules(self, text: str, clean: str, essential: bool, on_the_job: bool) -> list[Requirement]:
        found: list[Requirement] = []
        experience_of_a_role = bool(_EXPERIENCE.search(clean)) and not _NAMES_A_REGISTER.search(clean)
        for rule in self.rules:
            if not rule.pattern.search(clean):
                continue
            if rule.only_with is not None and not rule.only_with.search(clean):
                continue
            if rule.unless is not None and rule.unless.search(clean):
                continue
            if rule.kind == "credential" and experience_of_a_role and not on_the_job:
                # "Experience as a registered nurse" asks for the work, not for UK registration.
                continue
            if rule.kind == "language" and not rule.credentials:
                found.append(self._language(text, clean, essential))
            elif rule.kind == "language":
                # "IELTS 7.0 as the NMC requires": the regulator's English level itself.
                first = rule.credentials[0]
                found.append(Requirement(text, "language", essential, credential=first, label=first))
            elif rule.alternatives and rule.credentials:
                first = rule.credentials[0]
                found.append(
                    Requirement(
                        text,
                        rule.kind,
                        essential,
                        credential=first,
                        label=first,
                        alternatives=rule.credentials,
                        assessed=rule.assessed or "profile",
                    )
                )
            else:
                for credential in rule.credentials:
                    found.append(
                        Requirement(
                            text, rule.kind, essential, credential=credential, label=credential,
                            assessed=rule.assessed or "profile",
                        )
                    )  # fmt: skip
            if rule.stop:
                break
        return [self._nurse_fields(r, clean) for r in found]

    def _nurse_fields(self, requirement: Requirement, clean: str) -> Requirement:
        """ "RN/RMN/RNLD", "Registered Nurse (Adult)": registration in any of the fields named."""
        if requirement.credentials != ("nmc-registration-nurse",):
            return requirement
        fields = tuple(c for c, pattern in self.nurse_fields.items() if pattern.search(clean))
        if not fields:
            return requirement
        return replace(
            requirement, credential=fields[0], label=fields[0], alternatives=fields if len(fields) > 1 else ()
        )

    # -- each kind --------------------------------------------------------------------------
    def _language(self, text: str, clean: str, essential: bool) -> Requirement:
        """English named by a test score is screened from the profile; English as a general
        ability ("good command of spoken and written English") is judged at interview."""
        stated = _IELTS_SCORE.search(clean)
        if stated:
            return Requirement(
                text,
                "language",
                essential,
                extra={"ielts_overall": float(stated.group(1)), "ielts": _ielts_thresholds(clean, stated)},
            )
        return Requirement(text, "language", essential, assessed="interview", label="English for the job")

    def _quality_or_condition(self, kind: str, text: str, clean: str, essential: bool) -> Requirement:
        """Qualities and conditions carry the skill they name, if any, so the resident's own
        evidence ("team player") can be shown beside "shown at interview"."""
        # Words with nothing left to match once cleaned ("ª") read as nothing, never as an error.
        best = self.normaliser.normalise(clean, kind="skill", limit=1).best if clean.strip() else None
        keep = best is not None and best.score >= _EVIDENCE_SCORE
        return Requirement(
            text,
            kind,
            essential,
            concept_id=best.concept_id if keep and best else None,
            label=best.label if keep and best else None,
            score=best.score if keep and best else None,
            assessed="interview",
        )

    def _experience(self, text: str, clean: str, essential: bool, *, years: float | None = None) -> Requirement:
        stated = _YEARS.search(clean)
        if years is None:
            years = _years(stated) if stated else 0.0
        overseas_ok = bool(self.overseas_ok.search(clean))
        extra: dict[str, Any] = {}
        if self.students.search(clean):
            extra["students"] = True
        recent = bool(self.recent.search(clean))
        if recent:
            extra["recent_years"] = self.recent_years
        uk_only = bool(self.uk_only.search(clean)) and not overseas_ok
        settings = self.workplaces.find(clean)
        if settings and all(s.qualifier for s in settings):
            # "Previous experience as a Health Care Assistant (paid or voluntary)": the words say
            # how the work was done; what was done is read from the rest.
            extra["paid_or_voluntary"] = True
            named = self._occupations_named(clean)
            if named or self._subject(clean):
                settings = []
        if any(s.nhs_only for s in settings):
            uk_only = not overseas_ok
        if settings:
            return Requirement(
                text,
                "experience",
                essential,
                label=" or ".join(s.label for s in settings),
                years=years,
                settings=tuple(s.id for s in settings),
                uk_only=uk_only,
                recent=recent,
                extra=extra,
            )
        named = self._occupations_named(clean)
        if _POST_QUALIFICATION.search(clean) and not named:
            # "2 years' post-registration experience": work in this post's own profession (see
            # parse_vacancy).
            extra.update(similar_role=True, post_qualification=True)
            return Requirement(
                text, "experience", essential, label="work in this profession", years=years,
                uk_only=uk_only, recent=recent, extra=extra,
            )  # fmt: skip
        if named:
            # "Experience of working as a care assistant or support worker", "12 months' post-
            # qualification experience as a nurse or midwife": work in any of the roles named (a
            # role of the same family counts, and a job title naming the role).
            extra["occupations"] = [m.concept_id for m in named]
            return Requirement(
                text, "experience", essential, concept_id=named[0].concept_id,
                label=" or ".join(m.label for m in named), years=years, uk_only=uk_only, recent=recent,
                extra=extra,
            )  # fmt: skip
        subject = self._subject(clean)
        extra["subject"] = subject
        if not subject or self.similar.search(clean) or self.any_work.search(clean):
            # "At least one year's recent experience", "experience in a similar role": work like
            # this job's, which the whole vacancy decides (see parse_vacancy).
            extra["similar_role"] = not (subject and self.any_work.search(clean) and not self.similar.search(clean))
            return Requirement(
                text,
                "experience",
                essential,
                label="similar work" if extra["similar_role"] else "work experience",
                years=years,
                uk_only=uk_only,
                recent=recent,
                extra=extra,
            )
        occupation = self.normaliser.normalise(subject, kind="occupation", limit=1).best if subject.strip() else None
        skill = self._best_skill(clean)
        if (
            skill is not None
            and skill.score >= _CLEAR_SKILL
            and not years
            and (occupation is None or skill.score > occupation.score)
        ):
            # "Experience of using an electronic patient record": a skill, however it is worded.
            return self._skill(text, clean, essential, found=skill)
        best = occupation if occupation and (not skill or occupation.score >= skill.score) else skill
        understood = best is not None and best.score >= _EXPERIENCE_SCORE
        return Requirement(
            text,
            "experience",
            essential,
            concept_id=best.concept_id if understood and best else None,
            label=best.label if understood and best else subject,
            years=years,
            score=best.score if best else None,
            understood=understood,
            uk_only=uk_only,
            recent=recent,
            extra=extra,
        )

    def _qualification(self, text: str, clean: str, essential: bool) -> Requirement:
        named = _EQUIVALENT_TAIL.sub("", clean).strip(" ,;-") or clean  # the award, without "or equivalent"
        best = self.recogniser.best(named)
        # "ALS certificate" names a skill (advanced life support), not an award: when the skill
        # reading is clearly the stronger one, it is a skill requirement.
        skill = self.normaliser.normalise(named, kind="skill", limit=1).best if named.strip() else None
        if skill is not None and (best is None or skill.score > best.confidence + 0.05) and skill.score >= 0.8:
            return self._skill(text, clean, essential, found=skill)
        extra: dict[str, Any] = {}
        field = None
        if best is not None:
            concept = self.normaliser.taxonomy.get(best.concept_id)
            field = concept.attributes.get("field") if concept is not None else None
        stated = self._stated_level(named)
        named_professions = [name for name, pattern in self.professions.items() if pattern.search(clean)]
        if best is not None and not best.profession and len(named_professions) == 1:
            # "A recognised midwifery qualification (degree, diploma or equivalent)": the
            # profession's qualification is asked for, whatever generic award the words also name.
            profession = named_professions[0]
            equivalent = self._equivalent_experience(clean, profession, {**extra, "field": profession})
            return Requirement(
                text, "qualification", essential, label=f"a recognised {profession} qualification",
                level=stated[0] if stated else None, profession=profession, or_equivalent=True,
                score=best.confidence, extra=equivalent,
            )  # fmt: skip
        if field:
            extra["field"] = field
        extra = self._equivalent_experience(clean, field, extra)
        understood = best is not None and best.confidence >= _QUALIFICATION_SCORE
        specific = understood and best is not None and bool(field or best.profession)
        if not understood and _SUBJECT.search(named) and not _GENERIC_SUBJECT.search(named):
            stated = None  # "NVQ Level 2 in Cleaning and Support Services": a subject not read
        if stated is not None and not (
            understood
            and best is not None
            and (best.level == stated[0] or (specific and (best.level or 0) > stated[0]))
        ):
            # "Educated to Master's level", "Degree or postgraduate diploma in a health subject":
            # the level the words state decides, whatever award the recogniser came closest to;
            # a field it read from a named award stays.
            level, label = stated
            keep_field = understood and best is not None and field
            return Requirement(
                text, "qualification", essential, label=f"{label} in {field}" if keep_field else label,
                level=level, profession=best.profession if keep_field and best else None,
                or_equivalent=bool(_EQUIVALENT.search(clean)), score=best.confidence if best else None,
                extra=extra if keep_field else {k: v for k, v in extra.items() if k != "field"},
            )  # fmt: skip
        return Requirement(
            text,
            "qualification",
            essential,
            concept_id=best.concept_id if understood and best else None,
            label=best.label if understood and best else None,
            level=best.level if understood and best else None,
            profession=best.profession if understood and best else None,
            or_equivalent=bool(_EQUIVALENT.search(clean)),
            score=best.confidence if best else None,
            understood=understood,
            extra=extra,
        )

    def _stated_level(self, award: str) -> tuple[int, str] | None:
        """The level a qualification criterion states in words, the lowest of its alternatives
        ("Degree or postgraduate diploma": 6); none when an alternative names an award without
        a level in words ("MPharm or OSPAP": the award decides)."""
        found: list[tuple[int, str]] = []
        for alternative in re.split(r"\bor\b|/|,", award, flags=re.IGNORECASE):
            if not alternative.strip(" ,;()-"):
                continue
            level = None
            for pattern, fixed, label in self.levels:
                hit = pattern.search(alternative)
                if hit:
                    value = int(fixed) if fixed is not None else int(hit.group(1))
                    level = (value, label.format(level=value))
                    break
            if level is None:
                return None
            found.append(level)
        return min(found) if found else None

    def _equivalent_experience(self, clean: str, field: str | None, extra: dict[str, Any]) -> dict[str, Any]:
        """ "... or equivalent experience": work that shows the same knowledge, in the settings
        the text names, else those of the award's field (fixtures), else (see parse_vacancy) the
        vacancy's own kind of work; for the years stated, else the fixture's minimum."""
        found = _EQUIVALENT_EXPERIENCE.search(clean)
        if not found:
            return extra
        tail = clean[found.start() :]
        stated = _YEARS.search(tail)
        settings = [s.id for s in self.workplaces.find(tail) if not s.qualifier]
        if not settings and field:
            settings = list(self.equivalent_fields.get(field, ()))
        return {
            **extra,
            "or_equivalent_experience": True,
            "equivalent_years": _years(stated) if stated else self.equivalent_years,
            "equivalent_settings": settings,
        }

    def _skill(self, text: str, clean: str, essential: bool, *, found: Match | None = None) -> Requirement:
        best = found if found is not None else self._best_skill(clean)
        understood = best is not None and best.score >= _SKILL_SCORE
        return Requirement(
            text,
            "skill",
            essential,
            concept_id=best.concept_id if understood and best else None,
            label=best.label if understood and best else None,
            score=best.score if best else None,
            understood=understood,
        )

    @staticmethod
    def _subject(clean: str) -> str:
        """What an experience criterion is about, without the words every one of them uses."""
        subject = " ".join(_EXPERIENCE_NOISE.sub(" ", clean).split())
        return re.sub(r"^[\W_]+|[\W_]+$", "", subject)

    def _occupations_named(self, clean: str) -> list[Match]:
        """Occupations an experience criterion names after "as a" ("as a nurse or midwife")."""
        found = re.search(r"\bas an? (.+?)(?:[,;(]|\bin\b|\bsince\b|\bwithin\b|$)", clean, re.IGNORECASE)
        if not found:
            return []
        parts = [p.strip() for p in re.split(r"\s+or\s+|\s*/\s*|,", found.group(1)) if p.strip()]
        results = self.normaliser.normalise_many(parts, kind="occupation", limit=1) if parts else []
        return [r.best for r in results if r.best is not None and r.best.score >= _EXPERIENCE_SCORE]

    def _best_skill(self, clean: str) -> Match | None:
        """The skill a criterion names: the whole text, without its lead-in ("Competent in"), or
        the first of the skills it lists that reads clearly ("clinical observations, NEWS2 ...")."""
        # "Clinical observations, including NEWS2": what comes before "including" is what is asked.
        head = _EXAMPLES.split(clean)[0].strip(" ,.") or clean
        core = _SKILL_LEAD_IN.sub("", head).strip(" .") or head
        parts = [p.strip(" .") for p in _SKILL_PARTS.split(core) if len(p.strip(" .")) > 2]
        texts = [t for t in dict.fromkeys([head, core, *parts, clean]) if t.strip()]
        if not texts:  # nothing left to match once cleaned: no skill, never an error
            return None
        results = self.normaliser.normalise_many(texts, kind="skill", limit=1)
        found = [r.best for r in results if r.best is not None]
        # The first that reads clearly, in the order written (the whole text first); else the best.
        clear = next((m for m in found if m.score >= _CLEAR_SKILL), None)
        return clear or max(found, key=lambda m: m.score, default=None)

    # -- a whole vacancy --------------------------------------------------------------------
    def parse_vacancy(self, vacancy: Any) -> ParsedVacancy:
        """Parse a :class:`matcher.profile.Vacancy`; every bad criterion is reported at once."""
        requirements: list[Requirement] = []
        problems: list[str] = []
        for section, essential in (("essential", True), ("desirable", False)):
            for position, criterion in enumerate(getattr(vacancy, section)):
                try:
                    requirements.extend(self.parse(criterion, essential=essential))
                except InvalidInputError as exc:
                    problems.extend(f"{section}[{position}]: {p}" for p in exc.problems)
        if problems:
            raise InvalidInputError("invalid vacancy criteria", problems)
        title = read_title(self.normaliser, vacancy.title, band=vacancy.band, staff_group=vacancy.staff_group)
        occupation = self.normaliser.taxonomy.get(title.occupation_id) if title.occupation_id else None
        similar = tuple(self.workplaces.settings_of(occupation)) if occupation is not None else ()
        resolved = tuple(_similar_role(_equivalent_work(r, similar), similar, occupation) for r in requirements)
        return ParsedVacancy(
            id=vacancy.id,
            title=vacancy.title,
            requirements=resolved,
            occupation_id=title.occupation_id,
            profession=occupation.attributes.get("profession") if occupation is not None else None,
            band=vacancy.band,
            employer=vacancy.employer,
            parser=PARSER_VERSION,
        )


#: Scores below which a reading is not trusted (the text is then "not understood").
_SKILL_SCORE = 0.6
#: A reading this strong is taken at once (the first such, in the order written).
_CLEAR_SKILL = 0.85
_EXPERIENCE_SCORE = 0.75
_QUALIFICATION_SCORE = 0.6
_EVIDENCE_SCORE = 0.6


def _ielts_thresholds(text: str, overall: re.Match[str]) -> dict[str, float]:
    """Every IELTS threshold the text states: overall, each part, named parts ("writing 6.5",
    "7.0 in reading, listening and speaking")."""
    found: dict[str, float] = {"overall": float(overall.group(1))}
    each = _EACH.search(text)
    if each:
        value = float(next(g for g in each.groups() if g))
        found.update(dict.fromkeys(_PARTS_NAMED, value))
    for part in _PARTS_NAMED:
        named = re.search(rf"\b{part}\s*(?:of\s*)?{_BAND}\b|{_BAND}\s*(?:in|for)\s*{part}\b", text, re.IGNORECASE)
        if named:
            found[part] = float(named.group(1) or named.group(2))
    for listed in re.finditer(
        rf"{_BAND}\s*(?:in|for)\s*((?:(?:listening|reading|writing|speaking)(?:,\s*|\s+and\s+|\s*&\s*)?)+)",
        text,
        re.IGNORECASE,
    ):
        for part in re.findall(r"listening|reading|writing|speaking", listed.group(2), re.IGNORECASE):
            found.setdefault(part.casefold(), float(listed.group(1)))
    return found


def _years(match: re.Match[str]) -> float:
    count, unit = match.group(1).casefold(), match.group(2).casefold()
    value = float(_NUMBER_WORDS.get(count, 0) or count)
    return round(value / 12, 2) if unit.startswith("month") else value


def _similar_role(requirement: Requirement, settings: tuple[str, ...], occupation: Any) -> Requirement:
    """ "Recent experience in a similar role" means work like this vacancy's: its occupation's
    settings (a healthcare assistant post: health or social care, personal care, ...)."""
    if requirement.kind != "experience" or not requirement.extra.get("similar_role"):
        return requirement
    if requirement.extra.get("post_qualification") and occupation is not None:
        return replace(
            requirement,
            concept_id=occupation.id,
            label=f"work as a {occupation.label.lower()} or in the same profession",
        )
    if settings:
        return replace(requirement, settings=settings, label=f"work like this job ({occupation.label.lower()})")
    if occupation is not None:
        return replace(requirement, concept_id=occupation.id, label=occupation.label)
    return replace(requirement, label="work experience")


def _equivalent_work(requirement: Requirement, settings: tuple[str, ...]) -> Requirement:
    """ "A relevant degree or equivalent experience" with no field the fixtures know: work like
    this vacancy's is the experience that is equivalent."""
    if requirement.kind != "qualification" or not requirement.extra.get("or_equivalent_experience"):
        return requirement
    if requirement.extra.get("equivalent_settings") or not settings:
        return requirement
    return replace(requirement, extra={**requirement.extra, "equivalent_settings": list(settings)})
