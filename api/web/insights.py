"""Insights for advisers and commissioners: which training unlocks most jobs, supply and demand.

Charts are drawn as inline SVG on the server (no scripts, no chart library in the browser),
each with a table of the same numbers for screen readers and for copying.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from matcher.insights import supply_and_demand, training_insights

from ..index import resident_index
from ..store import transaction
from ..vacancies import open_vacancies, open_vacancy_locations
from .access import check_csrf, page_for

bp = Blueprint("web_insights", __name__)
bp.before_request(check_csrf)


#: Charts are drawn 400 units wide: on a phone that is about their real size, so labels stay legible.
CHART_WIDTH = 400


def bars(rows: list[tuple[str, float]], *, width: int = CHART_WIDTH, bar: int = 14) -> dict[str, Any]:
    """Geometry for a bar chart: per (label, value) a label line and a bar, scaled to the largest."""
    top = max((value for _, value in rows), default=0) or 1
    span = width - 50
    step = bar + 26
    return {
        "width": width,
        "height": step * len(rows) + 4,
        "bar": bar,
        "bars": [
            {"label": label, "value": value, "y": i * step, "length": max(2, round(span * value / top))}
            for i, (label, value) in enumerate(rows)
        ],
    }


def paired_bars(rows: list[tuple[str, float, float]], *, width: int = CHART_WIDTH, bar: int = 12) -> dict[str, Any]:
    """Geometry for two bars per label (supply above demand), on one scale."""
    top = max((max(a, b) for _, a, b in rows), default=0) or 1
    span = width - 50
    step = 2 * bar + 34
    return {
        "width": width,
        "height": step * len(rows) + 4,
        "bar": bar,
        "rows": [
            {
                "label": label,
                "y": i * step,
                "first": first,
                "second": second,
                "first_length": max(2, round(span * first / top)),
                "second_length": max(2, round(span * second / top)),
            }
            for i, (label, first, second) in enumerate(rows)
        ],
    }


@bp.get("/insights")
@page_for("adviser", "admin")
def insights() -> ResponseReturnValue:
    """Which one step unlocks most jobs; supply and demand by occupation and by area."""
    today = date.today()
    with transaction() as session:
        index, _ = resident_index(session)
        vacancies = open_vacancies(session, today)
        locations = open_vacancy_locations(session, today)
    training = training_insights(index, vacancies)
    report = supply_and_demand(index, vacancies, locations=locations)
    occupations = [o for o in report.occupations if o.demand][:12]
    gaps = sorted((o for o in report.occupations if o.demand), key=lambda o: (o.eligible_now - o.demand, -o.demand))[
        :12
    ]
    districts = [d for d in report.districts if d.district][:12]
    return render_template(
        "web/insights.html",
        residents=index.live,
        open_vacancies=len(vacancies),
        report=report,
        training=training,
        training_chart=bars([(i["label"], i["residents_unlocked"]) for i in training]),
        occupations=occupations,
        demand_chart=paired_bars([(o.label, o.supply, o.demand) for o in occupations]),
        gaps=gaps,
        districts=districts,
        district_chart=bars([(d.district or "", d.residents) for d in districts]),
    )
