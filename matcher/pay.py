"""Agenda for Change pay: what a band pays, from ``fixtures/pay_bands.json``.

Pay is reference data with a source and an as-of date, like fees: reports quote it and never
hard-code a figure. Bands the file leaves out (band 9 until sourced) have no salary.
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
        }


def band_order(band: str) -> tuple[int, str]:
    digits = "".join(ch for ch in band if ch.isdigit())
    return (int(digits) if digits else 99, band)


def load_pay_bands(path: str | Path | None = None) -> PayBands:
    """The pay scale in ``path`` (default: the shipped ``fixtures/pay_bands.json``)."""
    if path is None:
        return _default_pay_bands(str(default_fixtures_dir() / "pay_bands.json"))
    return _read(Path(path))


@lru_cache(maxsize=4)
def _default_pay_bands(path: str) -> PayBands:
    return _read(Path(path))


def _read(path: Path) -> PayBands:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TaxonomyError(f"cannot read pay bands {path}: {exc}") from exc
    problems: list[str] = []
    bands: dict[str, PayBand] = {}
    if not isinstance(data, dict):
        raise TaxonomyError(f"pay bands {path} must be a JSON object")
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
        bands[name] = PayBand(
            band=name,
            points_gbp=tuple(points),
            source=str(record.get("source") or data.get("source")),
            as_of=str(record.get("as_of") or data.get("as_of")),
            unconfirmed=bool(record.get("unconfirmed", False)),
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
    )
