"""Vacancy intake: adverts and person specifications to normalised requirements (see DESIGN.md)."""
