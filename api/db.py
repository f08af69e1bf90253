"""Database: SQLAlchemy 2.0 engine and session per app, schema managed by Alembic."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from matcher import Taxonomy

from .config import private_folder
from .models import TaxonomyConcept

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for an in-memory one)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    return None


def ensure_sqlite_dir(url: str) -> None:
    """A SQLite file readable by the service's user only: its folder 0700 (made if missing) and
    the database, WAL and shared-memory files 0600. SQLite gives the WAL and SHM files the
    database file's mode, so the file is made 0600 before SQLite first opens it."""
    path = sqlite_path(url)
    if path is None:
        return
    private_folder(path.parent)
    if not path.exists():
        with suppress(FileExistsError):  # another process made it first
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    private_files(path)


def private_files(path: Path) -> None:
    """Make the database file and its WAL and SHM companions 0600 (those that exist)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if stat.S_IMODE(candidate.stat().st_mode) != 0o600:
                candidate.chmod(0o600)
        except FileNotFoundError:
            continue


def make_engine(url: str) -> Engine:
    ensure_sqlite_dir(url)
    path = sqlite_path(url)
    engine = create_engine(url, pool_pre_ping=True, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL keeps the database consistent through crashes and skips an
            # fsync per commit (every audited read commits); production runs on PostgreSQL.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
            if path is not None:
                private_files(path)  # the WAL and SHM files exist now

    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back everything on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def upgrade(url: str) -> None:
    """Bring the schema to the newest migration (creates the database when new)."""
    from alembic import command
    from alembic.config import Config

    ensure_sqlite_dir(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser interpolation
    command.upgrade(config, "head")


def load_taxonomy(
    engine: Engine, taxonomy: Taxonomy, *, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Insert or update every concept of ``taxonomy`` in one transaction; returns counts.

    ``progress``, when given, is called with 1 for each concept written (for a progress bar).
    """
    counts = {"inserted": 0, "updated": 0}
    with session_scope(engine) as session:
        existing = {row.id: row for row in session.scalars(select(TaxonomyConcept))}
        for concept in taxonomy:
            row = existing.get(concept.id)
            values = {
                "kind": concept.kind,
                "label": concept.label,
                "alt_labels": list(concept.alt_labels),
                "esco_uri": concept.esco_uri,
                "soc2020": concept.soc2020,
                "attributes": dict(concept.attributes),
            }
            if row is None:
                session.add(TaxonomyConcept(id=concept.id, **values))
                counts["inserted"] += 1
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                counts["updated"] += 1
            if progress is not None:
                progress(1)
    return counts
