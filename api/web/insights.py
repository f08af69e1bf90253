"""Insights for advisers and commissioners: which training unlocks most jobs, supply and demand.

Charts are drawn as inline SVG on the server (no scripts, no chart library in the browser),
each with a table of the same numbers for screen readers and for copying.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from matcher.insights import training_insights

from ..index import resident_index
from ..store import transaction
from ..vacancies import open_vacancies
from .access import check_csrf, page_for

bp = Blueprint("web_insights", __name__)
bp.before_request(check_csrf)


def bars(rows: list[tuple[str, float]], *, width: int = 640, bar: int = 28, label_width: int = 260) -> dict[str, Any]:
    """Geometry for a horizontal bar chart: one bar per (label, value), scaled to the largest."""
    top = max((value for _, value in rows), default=0) or 1
    span = width - label_width - 60
    return {
        "width": width,
        "height": bar * len(rows) + 8,
        "label_width": label_width,
        "bars": [
            {"label": label, "value": value, "y": i * bar + 4, "length": max(2, round(span * value / top))}
            for i, (label, value) in enumerate(rows)
        ],
        "bar": bar - 8,
    }


@bp.get("/insights")
@page_for("adviser", "admin")
def insights() -> ResponseReturnValue:
    with transaction() as session:
        index, _ = resident_index(session)
        vacancies = open_vacancies(session, date.today())
    training = training_insights(index, vacancies)
    chart = bars([(i["label"], i["residents_unlocked"]) for i in training])
    return render_template(
        "web/insights.html",
        residents=index.live,
        open_vacancies=len(vacancies),
        training=training,
        training_chart=chart,
    )
