"""Countries by ISO 3166-1 code or English name, from ``fixtures/countries.json`` (data, not code).

Residents write where they qualified or worked as "Pakistan", "PK", "UK" or "Ivory Coast"; every
one becomes the ISO 3166-1 alpha-2 code. "Other" (the user-assigned code ``ZZ``) stands for a place
not on the list. The fixture also carries which countries each regulator counts as majority
English-speaking (the NMC's list, the HCPC's qualifying countries), each list with its source.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import InvalidInputError, TaxonomyError
from .taxonomy import default_fixtures_dir

OTHER = "ZZ"


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    alpha_3: str | None = None
    alt_names: tuple[str, ...] = ()
    majority_english_speaking_for: frozenset[str] = frozenset()


def _fold(text: str) -> str:
    """Case, accents, punctuation and "the" folded: "Côte d'Ivoire" == "cote divoire"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    words = "".join(ch if ch.isalnum() else " " for ch in plain.replace("'", "")).split()
    return " ".join(w for w in words if w != "the")


@dataclass(frozen=True, slots=True)
class Countries:
    """Every ISO 3166-1 country plus "Other", looked up by code or by any English name."""

    by_code: Mapping[str, Country]
    source: str
    as_of: str
    confidence: str
    english_lists: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    _by_name: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: str | Path) -> Countries:
        file = Path(path)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise TaxonomyError(f"cannot read countries {file}: {exc}") from exc
        problems: list[str] = []
        for key in ("source", "as_of", "confidence"):
            if not isinstance(data.get(key), str):
                problems.append(f"{key}: required")
        by_code: dict[str, Country] = {}
        names: dict[str, str] = {}
        other = data.get("other") or {}
        records = [
            *(data.get("countries") or []),
            {"code": other.get("code", OTHER), "name": other.get("name", "Other")},
        ]
        for position, record in enumerate(records):
            code = str(record.get("code", "")).upper()
            if len(code) != 2 or not code.isalpha() or not record.get("name"):
                problems.append(f"countries[{position}]: needs a two-letter code and a name")
                continue
            if code in by_code:
                problems.append(f"countries[{position}]: {code} is listed twice")
            country = Country(
                code=code,
                name=str(record["name"]),
                alpha_3=record.get("alpha_3"),
                alt_names=tuple(record.get("alt_names") or ()),
                majority_english_speaking_for=frozenset(record.get("majority_english_speaking_for") or ()),
            )
            by_code[code] = country
            for name in (country.name, *country.alt_names, country.alpha_3 or ""):
                if name:
                    names.setdefault(_fold(name), code)
        lists = dict(data.get("majority_english_speaking") or {})
        for country in by_code.values():
            for name in sorted(country.majority_english_speaking_for - set(lists)):
                problems.append(f"{country.code}: majority-English list {name!r} has no source")
        if problems:
            raise TaxonomyError(f"invalid countries in {file}", problems)
        return cls(
            by_code=by_code,
            source=str(data["source"]),
            as_of=str(data["as_of"]),
            confidence=str(data["confidence"]),
            english_lists=lists,
            _by_name=names,
        )

    def __iter__(self) -> Iterator[Country]:
        return iter(self.by_code.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.upper() in self.by_code

    def name(self, code: str | None) -> str | None:
        found = self.by_code.get((code or "").upper())
        return found.name if found else None

    def find(self, text: str | None) -> str | None:
        """The alpha-2 code for a code ("pk"), an alpha-3 code ("PAK") or an English name
        ("Pakistan", "the UK", "Ivory Coast"); None when the text names no country."""
        if text is None or not str(text).strip():
            return None
        raw = str(text).strip()
        if len(raw) == 2 and raw.isalpha():
            code = "GB" if raw.upper() == "UK" else raw.upper()
            return code if code in self.by_code else None
        return self._by_name.get(_fold(raw))

    def code(self, text: str | None, *, what: str = "country") -> str | None:
        """Like :meth:`find`, but text that names no country raises a clear error."""
        if text is None or not str(text).strip():
            return None
        found = self.find(text)
        if found is None:
            raise InvalidInputError(
                f"{what}: {str(text).strip()!r} is not a country we know; give an ISO 3166 code such as PK "
                "or an English name such as Pakistan (or Other)"
            )
        return found

    def majority_english(self, code: str | None, regulator_list: str) -> bool:
        """Whether ``regulator_list`` ("nmc", "hcpc") counts the country as majority English-speaking."""
        found = self.by_code.get((code or "").upper())
        return found is not None and regulator_list in found.majority_english_speaking_for

    def choices(self) -> list[tuple[str, str]]:
        """(code, name) by name, "Other" last: for a form's list."""
        listed = sorted((c for c in self.by_code.values() if c.code != OTHER), key=lambda c: _fold(c.name))
        return [(c.code, c.name) for c in listed] + [(OTHER, self.by_code[OTHER].name)]


@lru_cache(maxsize=2)
def _load(path: str) -> Countries:
    return Countries.load(path)


def load_countries(path: str | Path | None = None) -> Countries:
    """The shipped ``fixtures/countries.json`` (read once per process), or another file."""
    return _load(str(path or default_fixtures_dir() / "countries.json"))
