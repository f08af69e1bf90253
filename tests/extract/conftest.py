"""Fixtures for extraction tests: one extractor for the session, as of the fixtures' date."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher import Normaliser
from profiles import ExtractSettings, ProfileExtractor
from profiles.evaluation import FIXTURES_TODAY

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def extractor(normaliser: Normaliser) -> ProfileExtractor:
    return ProfileExtractor(normaliser, settings=ExtractSettings(today=FIXTURES_TODAY))
