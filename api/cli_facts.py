"""``useit facts``: every dated fact (fee, threshold, duration, rule, pay) by age and confidence.

Whoever keeps the fixtures runs it to see what to re-check first: the oldest facts and those not
read at an official source. ``--older-than MONTHS`` keeps facts last checked that long ago or
more; ``--confidence`` keeps the named levels. Exits 1 when a fact lacks its source, date or
confidence (so CI can run it too), 2 on bad options.
"""

from __future__ import annotations

import json
from datetime import date

import click

from matcher import MatcherError
from matcher.credentials import CONFIDENCE
from matcher.facts import Fact, collect_facts

#: Re-check the least sure first, then the oldest.
_ORDER = {"unconfirmed": 0, "third_party": 1, "derived": 2, "official": 3}


def _value(fact: Fact) -> str:
    value = fact.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:39] + "…"


@click.command("facts")
@click.option(
    "--older-than",
    "older_than",
    type=click.IntRange(0, 1200),
    default=None,
    metavar="MONTHS",
    help="Only facts last checked at least this many months ago.",
)
@click.option(
    "--confidence",
    "confidence",
    multiple=True,
    type=click.Choice(CONFIDENCE),
    help="Only facts of this confidence (repeat for several).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--today", default=None, help="Age facts as of this date (YYYY-MM-DD; default today).")
def facts(older_than: int | None, confidence: tuple[str, ...], fmt: str, today: str | None) -> None:
    """List the fixtures' facts with their source, the date they were checked and their confidence."""
    try:
        when = date.fromisoformat(today) if today else date.today()
    except ValueError:
        raise click.BadParameter(f"a date as YYYY-MM-DD, got {today!r}", param_hint="--today") from None
    try:
        found = collect_facts()
    except MatcherError as exc:
        click.echo(f"useit: error: {exc}", err=True)
        raise SystemExit(2) from None
    broken = [p for f in found for p in f.problems()]
    chosen = [
        f
        for f in found
        if (not confidence or f.confidence in confidence)
        and (older_than is None or (f.age_months(when) is None or (f.age_months(when) or 0) >= older_than))
    ]
    chosen.sort(key=lambda f: (_ORDER.get(str(f.confidence), -1), str(f.as_of), f.file, f.subject, f.figure))
    if fmt == "json":
        click.echo(
            json.dumps(
                {"today": when.isoformat(), "facts": [f.to_dict() for f in chosen], "problems": broken},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        header = ("confidence", "checked", "file", "subject", "figure", "value", "source")
        rows = [
            (str(f.confidence), str(f.as_of), f.file, f.subject, f.figure, _value(f), str(f.source)) for f in chosen
        ]
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header[:-1])]
        click.echo("  ".join(h.ljust(w) for h, w in zip(header[:-1], widths, strict=True)) + "  source")
        for row in rows:
            click.echo("  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1])
        counts = {c: sum(1 for f in chosen if f.confidence == c) for c in CONFIDENCE}
        click.echo(f"{len(chosen)} of {len(found)} facts: " + ", ".join(f"{n} {c}" for c, n in counts.items() if n))
    if broken:
        for problem in broken:
            click.echo(f"useit: fact without provenance: {problem}", err=True)
        raise SystemExit(1)
