"""fixtures.samples: the populations notebooks analyse, the same whenever they run."""

from __future__ import annotations

from datetime import date

from fixtures.samples import fixtures_date, shipped_population, synthetic_population
from matcher.assessment import Assessor
from matcher.insights import training_insights


def test_shipped_population_is_every_persona_and_advert_as_of_the_fixtures_date(assessor: Assessor) -> None:
    population = shipped_population(assessor=assessor)
    assert population.today == fixtures_date() == date(2026, 11, 25)
    assert population.index.live == 41
    assert len(population.vacancies) == 34
    assert population.locations["v-001"] == "Midland Metropolitan University Hospital, Smethwick"
    top = [i["credential"] for i in training_insights(population.index, population.vacancies)[:2]]
    # Overseas doctors and nurses are one Care Certificate from a senior HCA post, and the doctors
    # one registration from a doctor's post.
    assert top == ["care-certificate", "gmc-registration"]


def test_closed_adverts_are_left_out(assessor: Assessor) -> None:
    population = shipped_population(today=date(2027, 1, 1), assessor=assessor)
    assert 0 < len(population.vacancies) < 34


def test_a_synthetic_population_is_the_same_for_the_same_seed(assessor: Assessor) -> None:
    first = synthetic_population(200, 20, seed=3, assessor=assessor)
    again = synthetic_population(200, 20, seed=3, assessor=assessor)
    assert first.index.live == 200
    assert training_insights(first.index, first.vacancies) == training_insights(again.index, again.vacancies)
