"""``useit profile``: read residents' CVs or stories into draft profiles.

``extract FILE|-`` prints the draft (JSON) and stores nothing. ``import-cvs DIR`` reads every
PDF, Word and text file in a folder, with a progress bar, into drafts an adviser reviews on the
pages (``/adviser/drafts``); a draft is never a resident until the adviser confirms it.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from profiles import ProfileExtractor

SUFFIXES = (".pdf", ".docx", ".txt")


def _extractor(today: date | None) -> ProfileExtractor:
    from profiles import ExtractSettings, ProfileExtractor

    from .config import Config
    from .engine import Engine, semantic_mode

    engine = Engine.load(Config.from_env().taxonomy_dir, semantic=semantic_mode())
    return ProfileExtractor(engine.normaliser, settings=ExtractSettings(today=today))


def _today(raw: str | None) -> date | None:
    from .cli import fail

    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        fail(f"--today must be a date as YYYY-MM-DD, got {raw!r}")


@click.group("profile")
def profile() -> None:
    """Read residents' CVs and stories into draft profiles they (or their adviser) confirm."""


@profile.command("extract")
@click.argument("source")
@click.option("--today", default=None, help="Count 'to present' up to this date (YYYY-MM-DD; default today).")
def extract_command(source: str, today: str | None) -> None:
    """Print the draft profile read from SOURCE (a .pdf, .docx or .txt file, or - for standard input).

    Nothing is stored. Every item carries the words it came from and a confidence.
    """
    from profiles import DocumentError, read_document

    # Imported here: api.cli imports this module to add the group (also when run as __main__).
    from .cli import fail, user_errors

    as_of = _today(today)
    if source == "-":
        if sys.stdin.isatty():
            fail("pipe the text into standard input, or give a file")
        text = sys.stdin.read()
        info: dict[str, object] = {}
    else:
        path = Path(source)
        if not path.is_file():
            fail(f"file not found: {source}")
        try:
            document = read_document(path.read_bytes(), filename=path.name)
        except DocumentError as exc:
            fail(f"{source}: {exc.message}")
        except OSError as exc:
            fail(f"cannot read {source}: {exc.strerror or exc}")
        text, info = document.text, document.source()
    with user_errors():
        try:
            draft = _extractor(as_of).extract(text, source=info)
        except DocumentError as exc:
            fail(f"{source}: {exc.message}")
    click.echo(json.dumps(draft.to_dict(), ensure_ascii=False, indent=2))


@profile.command("import-cvs")
@click.argument("directory")
@click.option("--dry-run", is_flag=True, help="Read every file and report; store nothing.")
@click.option("--quiet", is_flag=True, help="No progress bar (it goes to standard error, and only to a terminal).")
@click.option("--today", default=None, help="Count 'to present' up to this date (YYYY-MM-DD; default today).")
def import_cvs(directory: str, dry_run: bool, quiet: bool, today: str | None) -> None:
    """Read every CV (.pdf, .docx, .txt) in DIRECTORY into a draft profile for an adviser to review.

    Each file is read in memory and becomes one draft. A file that cannot be read is named with
    the reason, stores nothing, and makes the command exit with status 2 once the rest are done.
    """
    from sqlalchemy.exc import SQLAlchemyError
    from tqdm import tqdm

    from profiles import DocumentError, read_document

    from .cli import fail, user_errors
    from .config import Config
    from .db import make_engine, session_scope, upgrade
    from .drafts import add_draft

    folder = Path(directory)
    if not folder.is_dir():
        fail(f"not a folder: {directory}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.casefold() in SUFFIXES)
    skipped = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.casefold() not in SUFFIXES)
    if not files:
        fail(f"{directory}: no .pdf, .docx or .txt files to read", [f"skipped {name}" for name in skipped])
    as_of = _today(today)
    with user_errors():
        extractor = _extractor(as_of)
    drafts: list[tuple[str, dict[str, object]]] = []
    problems: list[str] = []
    for path in tqdm(files, desc="reading CVs", unit=" CV", disable=True if quiet else None):
        try:
            document = read_document(path.read_bytes(), filename=path.name)
            draft = extractor.extract(document.text, source=document.source())
        except DocumentError as exc:
            problems.append(f"{path.name}: {exc.message}")
            continue
        except OSError as exc:
            problems.append(f"{path.name}: cannot read it ({exc.strerror or exc})")
            continue
        drafts.append((path.name, draft.to_dict()))
    if not dry_run and drafts:
        config = Config.from_env()
        database = make_engine(config.database_url)
        try:
            upgrade(config.database_url)
            with session_scope(database) as session:
                for name, record in drafts:
                    add_draft(session, record, name, None)
        except SQLAlchemyError as exc:
            fail(f"database error: {type(exc).__name__}; no drafts were stored")
        finally:
            database.dispose()
    verb = "would make" if dry_run else "made"
    click.echo(
        f"{directory}: {verb} {len(drafts)} draft profile{'s' if len(drafts) != 1 else ''} from {len(files)} files"
    )
    for name, record in drafts:
        items = record["items"]
        assert isinstance(items, list)
        click.echo(f"  {name}: {len(items)} items")
    if skipped:
        click.echo(f"skipped {len(skipped)} other files: {', '.join(skipped)}", err=True)
    if problems:
        fail(f"{len(problems)} file{'s' if len(problems) != 1 else ''} could not be read", problems)
    if not dry_run:
        click.echo("Advisers review them at /adviser/drafts; none is a resident until confirmed.")
