"""Agenda for Change pay: what a band pays, from ``fixtures/pay_bands.json``.

Pay is reference data with a source, an as-of date and a confidence, like fees: reports quote it
and never hard-code a figure. The file holds one table per pay year; a year whose table is not yet
published is derived from the year before by its award (``derived_from`` and ``uplift``) and is
marked ``derived``. Pages and reports quote the file's ``current`` year and say which year it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import TaxonomyError
from .taxonomy import default_fixtures_dir

_BAND = re.compile(r"^(?:afc\s*)?(?:band\s*)?([1-9])\s*([a-d])?$")


def band_key(band: str | None) -> str | None:
    """A band as the pay scale names it: "Band 5" -> "5", "8A" -> "8a"; None when not a band."""
    if not band:
        return None
    found = _BAND.match(band.strip().casefold())
    return found.group(1) + (found.group(2) or "") if found else None


@dataclass(frozen=True, slots=True)
class PayBand:
    band: str
    #: Annual basic pay of every step point, entry first (full time, GBP).
    points_gbp: tuple[int, ...]
    source: str
    as_of: str
    unconfirmed: bool = False
    confidence: str = "official"

    @property
    def min_gbp(self) -> int:
        return min(self.points_gbp)

    @property
    def max_gbp(self) -> int:
        return max(self.points_gbp)


@dataclass(frozen=True, slots=True)
class PayBands:
    """One year's pay bands, with where the figures come from (:func:`load_pay_bands`)."""

    scale: str
    country: str
    year: str
    source: str
    as_of: str
    bands: Mapping[str, PayBand]
    confidence: str = "official"
    #: The year the figures are computed from, for a derived year ("2025/26").
    derived_from: str | None = None
    uplift: float | None = None

    @property
    def label(self) -> str:
        """ "2026/27 pay (derived from 2025/26 + 3.3%, to be confirmed)": what a page says."""
        if self.derived_from and self.uplift is not None:
            return f"{self.year} pay (derived from {self.derived_from} + {self.uplift * 100:g}%, to be confirmed)"
        return f"{self.year} pay" + ("" if self.confidence == "official" else " (to be confirmed)")

    @classmethod
    def load_default(cls) -> PayBands:
        """The shipped ``fixtures/pay_bands.json`` (read once per process)."""
        return load_pay_bands()

    def band(self, band: str | None) -> PayBand | None:
        key = band_key(band)
        return self.bands.get(key) if key else None

    def get(self, band: str | None) -> tuple[int, int] | None:
        """Entry and top pay of one band ("5", "Band 5", "8a"); None when the scale lacks it."""
        found = self.band(band)
        return (found.min_gbp, found.max_gbp) if found is not None else None

    def salary_range(self, bands: Iterable[str | None]) -> tuple[int, int] | None:
        """Lowest entry point and highest top point over ``bands``; None when none has pay."""
        known = [b for b in (self.band(name) for name in bands) if b is not None]
        if not known:
            return None
        return min(b.min_gbp for b in known), max(b.max_gbp for b in known)

    def provenance(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "country": self.country,
            "year": self.year,
            "source": self.source,
            "as_of": self.as_of,
            "unconfirmed_bands": sorted((b.band for b in self.bands.values() if b.unconfirmed), key=band_order),
            "confidence": self.confidence,
            "derived_from": self.derived_from,
            "label": self.label,
        }


def band_order(band: str) -> tuple[int, str]:
    digits = "".join(ch for ch in band if ch.isdigit())
    return (int(digits) if digits else 99, band)


def load_pay_bands(path: str | Path | None = None, *, year: str | None = None) -> PayBands:
    """The pay scale in ``path`` (default: the shipped ``fixtures/pay_bands.json``) for ``year``
    (default: the file's ``current`` year)."""
    if path is None:
        return _default_pay_bands(str(default_fixtures_dir() / "pay_bands.json"), year)
    return _read(Path(path), year)


def pay_years(path: str | Path | None = None) -> list[PayBands]:
    """Every year the file holds, oldest first."""
    file = Path(path) if path is not None else default_fixtures_dir() / "pay_bands.json"
    data = _document(file)
    years = [str(y.get("year")) for y in data.get("years") or [] if isinstance(y, dict)]
    return [_read(file, y) for y in years] if years else [_read(file, None)]


@lru_cache(maxsize=8)
def _default_pay_bands(path: str, year: str | None) -> PayBands:
    return _read(Path(path), year)


def _document(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TaxonomyError(f"cannot read pay bands {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise TaxonomyError(f"pay bands {path} must be a JSON object")
    return data


def _read(path: Path, year: str | None = None) -> PayBands:
    """One year of the file; a file of the older shape (one year, ``bands`` at the top) still reads."""
    data = _document(path)
    years = {str(y.get("year")): y for y in data.get("years") or [] if isinstance(y, dict)}
    if not years:
        return _read_year(path, data, data)
    wanted = year or str(data.get("current") or max(years))
    if wanted not in years:
        raise TaxonomyError(f"pay bands {path}: no year {wanted!r} (has {', '.join(sorted(years))})")
    record = dict(years[wanted])
    base = record.get("derived_from")
    if base is not None:
        if base not in years or "uplift" not in record:
            raise TaxonomyError(
                f"pay bands {path}: {wanted} is derived from {base!r}, which needs its table and an uplift"
            )
        uplift = float(record["uplift"])
        record["bands"] = [
            {
                **band,
                "points_gbp": [round(p * (1 + uplift)) for p in band.get("points_gbp") or []],
                "confidence": "derived",
                "source": record.get("source"),
                "as_of": record.get("as_of"),
            }
            for band in years[base].get("bands") or []
        ]
    merged = {**data, **record, "year": wanted}
    return _read_year(path, merged, record)


def _read_year(path: Path, data: Mapping[str, Any], record_year: Mapping[str, Any]) -> PayBands:
    problems: list[str] = []
    bands: dict[str, PayBand] = {}
    for key in ("source", "as_of", "scale", "year"):
        if not isinstance(data.get(key), str):
            problems.append(f"{key}: required text")
    for position, record in enumerate(data.get("bands") or []):
        where = f"bands[{position}]"
        name = band_key(str(record.get("band", ""))) if isinstance(record, dict) else None
        points = record.get("points_gbp") if isinstance(record, dict) else None
        if name is None:
            problems.append(f"{where}.band: an Agenda for Change band such as '5' or '8a'")
            continue
        if not isinstance(points, list) or not points or not all(isinstance(p, int) and p > 0 for p in points):
            problems.append(f"{where}.points_gbp: a non-empty list of whole pounds")
            continue
        if name in bands:
            problems.append(f"{where}.band: band {name} is listed twice")
        confidence = str(record.get("confidence") or data.get("confidence") or "official")
        bands[name] = PayBand(
            band=name,
            points_gbp=tuple(points),
            source=str(record.get("source") or data.get("source")),
            as_of=str(record.get("as_of") or data.get("as_of")),
            unconfirmed=bool(record.get("unconfirmed", False)) or confidence != "official",
            confidence=confidence,
        )
    if not bands:
        problems.append("bands: no pay bands")
    if problems:
        raise TaxonomyError(f"invalid pay bands {path}", problems)
    return PayBands(
        scale=str(data["scale"]),
        country=str(data.get("country") or ""),
        year=str(data["year"]),
        source=str(data["source"]),
        as_of=str(data["as_of"]),
        bands=bands,
        confidence=str(record_year.get("confidence") or data.get("confidence") or "official"),
        derived_from=record_year.get("derived_from"),
        uplift=float(record_year["uplift"]) if record_year.get("uplift") is not None else None,
    )
