"""A draft profile (profiles.Draft as a dict) as today's resident form, pre-filled, with where
each answer came from.

Every row the draft fills carries its provenance ("from your CV: 'Staff Nurse, Lahore General
Hospital, 2016-2021'"), a note when the resident must check or add something, and a "Remove"
box. The right to work is never filled in: the hint is shown beside the question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from .forms import COUNTRIES, ENGLISH_TESTS, MAX_ROWS, TICKABLE

_PARTS = ("listening", "reading", "writing", "speaking", "overall")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one pre-filled answer came from."""

    words: str
    note: str | None = None
    confidence: float = 1.0
    extra: str | None = None  # what was read but has no place on the form ("Saudi Arabia")

    @property
    def unsure(self) -> bool:
        return self.confidence < 0.6


@dataclass(slots=True)
class Prefill:
    form: MultiDict[str, str] = field(default_factory=MultiDict)
    rows: dict[str, Origin] = field(default_factory=dict)  # "q-0", "x-1", "t-0", "postcode", "hours"
    skills: list[tuple[str, Origin]] = field(default_factory=list)  # (label, where)
    credentials: dict[str, Origin] = field(default_factory=dict)
    right_to_work: list[Origin] = field(default_factory=list)
    source: str = "your words"

    def context(self) -> dict[str, Any]:
        return {
            "prefill_rows": self.rows,
            "prefill_skills": self.skills,
            "prefill_credentials": self.credentials,
            "prefill_right_to_work": self.right_to_work,
            "prefill_source": self.source,
        }


def _clip(words: str, limit: int = 160) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _origin(item: dict[str, Any], extra: str | None = None) -> Origin:
    return Origin(_clip(item["span"]["text"]), item.get("note"), float(item.get("confidence", 1.0)), extra)


def _country(code: str | None) -> tuple[str, str | None]:
    """The form's value for a country, and what to say when the list does not hold it."""
    if not code:
        return "", None
    if code in COUNTRIES:
        return code, None
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    name = getattr(found, "common_name", None) or getattr(found, "name", code)
    return "", f"We read the country as {name}, which is not in the list: leave it empty or choose another."


def prefill(draft: dict[str, Any], *, from_file: bool) -> Prefill:
    out = Prefill(source="your CV" if from_file else "your words")
    form: MultiDict[str, str] = MultiDict()
    counts = {"q": 0, "x": 0, "t": 0}
    skills: list[str] = []
    for item in draft["items"]:
        kind, value = item["kind"], item["value"]
        if kind == "experience" and counts["x"] < MAX_ROWS:
            i = counts["x"]
            counts["x"] += 1
            country, extra = _country(value.get("country"))
            form[f"x-{i}-title"] = (value.get("title") or "")[:200]
            if value.get("years") is not None:
                form[f"x-{i}-years"] = f"{value['years']:g}"
            form[f"x-{i}-country"] = country
            out.rows[f"x-{i}"] = _origin(item, extra)
        elif kind == "qualification" and counts["q"] < MAX_ROWS:
            i = counts["q"]
            counts["q"] += 1
            country, extra = _country(value.get("country"))
            form[f"q-{i}-title"] = value["title"][:200]
            form[f"q-{i}-country"] = country
            if value.get("year"):
                form[f"q-{i}-year"] = str(value["year"])
            out.rows[f"q-{i}"] = _origin(item, extra)
        elif kind == "language_test" and counts["t"] < MAX_ROWS:
            i = counts["t"]
            counts["t"] += 1
            form[f"t-{i}-test"] = value["test"] if value["test"] in ENGLISH_TESTS else ""
            for part in _PARTS:
                if value.get(part) is not None:
                    form[f"t-{i}-{part}"] = f"{value[part]:g}" if isinstance(value[part], float) else str(value[part])
            if value.get("date"):
                form[f"t-{i}-date"] = value["date"]
            out.rows[f"t-{i}"] = _origin(item)
        elif kind == "credential":
            if value["id"] in TICKABLE:
                form.add("credentials", value["id"])
            out.credentials[value["id"]] = _origin(item)
        elif kind in ("skill", "language"):
            if value["label"] not in skills:
                skills.append(value["label"])
                out.skills.append((value["label"], _origin(item)))
        elif kind == "right_to_work":
            out.right_to_work.append(_origin(item))
        elif kind == "postcode":
            form["postcode"] = value["postcode"]
            out.rows["postcode"] = _origin(item)
        elif kind == "hours":
            form["hours"] = value["hours"]
            out.rows["hours"] = _origin(item)
    form["skills"] = "\n".join(skills)
    # The right to work is never assumed, not even "not sure": the resident answers it.
    out.form = form
    return out


def without_removed(form: MultiDict[str, str]) -> MultiDict[str, str]:
    """The form without the rows the resident ticked "Remove" on (``remove=q-0`` and so on)."""
    removed = set(form.getlist("remove"))
    if not removed:
        return form
    kept: MultiDict[str, str] = MultiDict()
    for key, value in form.items(multi=True):
        row = "-".join(key.split("-")[:2])
        if key == "remove" or row in removed:
            continue
        kept.add(key, value)
    return kept
