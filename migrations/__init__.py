"""Alembic migrations for the service database (run by ``useit db init``)."""
