"""The ``useit`` command line.

Every failure a user can cause (bad text, unknown kind, unreadable taxonomy, missing file)
prints a message naming each problem and exits with status 2; nothing prints a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from matcher import KINDS, MatcherError, Taxonomy

T = TypeVar("T")


def fail(message: str, problems: list[str] | None = None) -> NoReturn:
    click.echo(f"useit: error: {message}", err=True)
    for problem in problems or []:
        if problem != message:
            click.echo(f"  - {problem}", err=True)
    sys.exit(2)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn engine errors and OS errors into a message and exit status 2."""
    try:
        yield
    except MatcherError as exc:
        fail(exc.message, exc.problems)
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a defect of ours: say so plainly, never a traceback
        click.echo(f"useit: internal error ({type(exc).__name__}); please report it with the command you ran", err=True)
        sys.exit(1)


def load_taxonomy(directory: str | None) -> Taxonomy:
    return Taxonomy.load_dir(directory) if directory else Taxonomy.load_default()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="useit-match", prog_name="useit")
def main() -> None:
    """useit-match: normalise skills, jobs and qualifications; match residents to NHS vacancies."""


@main.command()
@click.option("--kind", required=True, type=click.Choice(KINDS), help="What the texts describe.")
@click.option(
    "--country",
    default=None,
    help="Where a qualification was awarded: ISO 3166 code (PK) or English name (Pakistan); unknown exits 2.",
)
@click.option("--taxonomy", "taxonomy_dir", default=None, help="Taxonomy directory (default: the curated one shipped).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50), help="Matches per text at most.")
@click.option("--cutoff", default=None, type=click.FloatRange(0.0, 1.0), help="Drop matches scoring below this.")
@click.option(
    "--mode",
    type=click.Choice(["lexical", "semantic"]),
    default=None,
    help="semantic (the default; $USEIT_NORMALISER_MODE) re-ranks with the sentence encoder `useit semantic build`"
    " makes; lexical is faster, for bulk work.",
)
@click.argument("texts", nargs=-1)
def normalise(
    kind: str,
    country: str | None,
    taxonomy_dir: str | None,
    limit: int,
    cutoff: float | None,
    mode: str | None,
    texts: tuple[str, ...],
) -> None:
    """Print one JSON object per TEXT (or per line of standard input when no TEXT, or TEXT is -)."""
    items = list(texts)
    if not items or items == ["-"]:
        if sys.stdin.isatty():
            fail("give at least one TEXT, or pipe lines into standard input")
        items = [line.rstrip("\n") for line in sys.stdin if line.strip()]
        if not items:
            fail("standard input held no text to normalise")
    if country and kind != "qualification":
        fail("--country applies to --kind qualification only")
    with user_errors():
        from .engine import Engine, semantic_mode

        engine = Engine.load(taxonomy_dir, kinds=[kind], semantic=mode == "semantic" if mode else semantic_mode())
        results = engine.normalise(items, kind=kind, country=country, limit=limit, cutoff=cutoff)
    for result in results:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))


def _read_json(path: str, what: str) -> object:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        fail(f"{what} file not found: {path}")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {what} file {path}: {exc}")
    except json.JSONDecodeError as exc:
        fail(f"{what} file {path} is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}")


@main.command()
@click.option("--resident", "resident_path", required=True, help="Resident profile (JSON, the DESIGN.md contract).")
@click.option("--vacancy", "vacancy_path", required=True, help="Vacancy (JSON, the DESIGN.md contract).")
@click.option("--today", default=None, help="Assess as of this date (YYYY-MM-DD; default today).")
@click.option("--taxonomy", "taxonomy_dir", default=None, help="Taxonomy directory (default: the curated one).")
def assess(resident_path: str, vacancy_path: str, today: str | None, taxonomy_dir: str | None) -> None:
    """Print the Assessment of one resident against one vacancy (JSON)."""
    from datetime import date

    from matcher.profile import parse_pair

    from .engine import Engine, semantic_mode

    resident_data = _read_json(resident_path, "resident")
    vacancy_data = _read_json(vacancy_path, "vacancy")
    as_of = None
    if today is not None:
        try:
            as_of = date.fromisoformat(today)
        except ValueError:
            fail(f"--today must be a date as YYYY-MM-DD, got {today!r}")
    with user_errors():
        resident, vacancy = parse_pair(resident_data, vacancy_data)
        engine = Engine.load(taxonomy_dir, semantic=semantic_mode())
        assessor, parser = engine.assessor, engine.parser
        parsed = parser.parse_vacancy(vacancy)
        result = assessor.assess(resident, parsed, today=as_of)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


def _read_jsonl(path: str, what: str, parse: Callable[[object], T]) -> list[T]:
    """Every record of a JSON-lines file, or exit 2 listing every bad line (nothing is written)."""
    records: list[T] = []
    problems: list[str] = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    records.append(parse(json.loads(line)))
                except json.JSONDecodeError as exc:
                    problems.append(f"line {number}: not valid JSON ({exc.msg})")
                except MatcherError as exc:
                    problems.extend(f"line {number}: {p}" for p in exc.problems)
                if len(problems) >= 50:
                    problems.append("... stopped after 50 problems")
                    break
    except FileNotFoundError:
        fail(f"{what} file not found: {path}")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {what} file {path}: {exc}")
    if problems:
        fail(f"{what} file {path} has bad records; nothing was matched", problems)
    if not records:
        fail(f"{what} file {path} holds no records")
    return records


@main.command()
@click.option("--residents", "residents_path", required=True, help="Residents, one JSON profile per line.")
@click.option("--vacancies", "vacancies_path", required=True, help="Vacancies, one JSON object per line.")
@click.option(
    "--limit",
    "--top",
    "top",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1_000),
    help="Residents per vacancy (--top is its older name).",
)
@click.option("--out", "out_path", required=True, help="Where to write the matches (JSON lines, one per vacancy).")
@click.option("--today", default=None, help="Match as of this date (YYYY-MM-DD; default today).")
@click.option("--quiet", is_flag=True, help="No progress bars (they go to standard error, and only to a terminal).")
def match(residents_path: str, vacancies_path: str, top: int, out_path: str, today: str | None, quiet: bool) -> None:
    """Rank residents for every vacancy (eligible first by fit, then nearest by pathway weeks)."""
    import os
    from datetime import date

    from tqdm import tqdm

    from matcher.matching import ResidentIndex
    from matcher.profile import Resident, Vacancy

    from .engine import Engine, semantic_mode

    as_of = date.today()
    if today is not None:
        try:
            as_of = date.fromisoformat(today)
        except ValueError:
            fail(f"--today must be a date as YYYY-MM-DD, got {today!r}")
    residents = _read_jsonl(residents_path, "residents", Resident.from_dict)
    vacancies = _read_jsonl(vacancies_path, "vacancies", Vacancy.from_dict)
    with user_errors():
        engine = Engine.load(None, semantic=semantic_mode())
        assessor, parser = engine.assessor, engine.parser
        parsed = [parser.parse_vacancy(v) for v in vacancies]
        # disable=None: tqdm draws only when standard error is a terminal, so logs and pipes stay clean.
        progress_off = True if quiet else None
        with tqdm(total=len(residents), desc="indexing residents", unit="resident", disable=progress_off) as bar:
            index = ResidentIndex(assessor, residents, today=as_of, progress=bar.update)
        tmp = out_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            for vacancy in tqdm(parsed, desc="matching vacancies", unit="vacancy", disable=progress_off):
                ranked = index.match_vacancy(vacancy, limit=top)
                record = {
                    "vacancy": vacancy.id,
                    "title": vacancy.title,
                    "matches": [
                        {
                            "resident": residents[r.index].id,
                            "eligible_now": r.assessment.eligible_now,
                            "fit": round(r.assessment.fit, 4),
                            "blocked_by": list(r.assessment.blocked_by),
                            # "ready now", "N weeks away" and "no route" are three answers: a
                            # resident no course brings to the post is null weeks, never 0.
                            "route": _route(r.assessment),
                            "weeks_to_ready": r.assessment.weeks_to_ready,
                            "pathway_weeks": r.assessment.weeks_to_ready,
                            "pathway_cost_gbp": round(r.assessment.pathway.total_cost_gbp, 2)
                            if r.assessment.pathway
                            else 0,
                            "pathway_steps": [s.credential for s in r.assessment.pathway.steps]
                            if r.assessment.pathway
                            else [],
                        }
                        for r in ranked
                    ],
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(tmp, out_path)
    click.echo(f"matched {len(residents):,} residents to {len(parsed):,} vacancies; wrote {out_path}", err=True)


def _route(assessment: Any) -> str:
    """ "eligible_now", "pathway" (ready after the steps listed) or "no_route" (blocked, or a gap
    no course closes)."""
    if assessment.eligible_now:
        return "eligible_now"
    return "pathway" if assessment.weeks_to_ready is not None else "no_route"


@main.group()
def taxonomy() -> None:
    """Inspect and build taxonomies."""


@taxonomy.command("import-esco")
@click.argument("esco_dir", type=click.Path(file_okay=False))
@click.option(
    "--out", "out_dir", default="instance/taxonomy/esco", show_default=True, help="Where to write the taxonomy."
)
@click.option(
    "--mode",
    type=click.Choice(["replace", "extend"]),
    default="replace",
    show_default=True,
    help="replace: ESCO occupations and skills (plus curated qualifications); extend: curated plus ESCO.",
)
@click.option("--quiet", is_flag=True, help="No progress bar (it goes to standard error, and only to a terminal).")
def import_esco_command(esco_dir: str, out_dir: str, mode: str, quiet: bool) -> None:
    """Build a taxonomy from the ESCO CSV download in ESCO_DIR; use it with --taxonomy OUT."""
    from tqdm import tqdm

    from matcher.esco import ESCO_ATTRIBUTION, import_esco

    with user_errors():
        with tqdm(desc="reading ESCO", unit=" rows", disable=True if quiet else None) as bar:
            built = import_esco(esco_dir, mode=mode, progress=bar.update)
        path = built.save_dir(out_dir)
        # Fit the normaliser's index now and keep it beside the taxonomy, so that the first
        # `useit normalise --taxonomy OUT` (and every API worker) loads it instead.
        # Indexed as read back, exactly as `--taxonomy OUT` will load it (the files round priors).
        from matcher import Normaliser

        saved = Taxonomy.load_dir(path)
        with tqdm(total=len(KINDS), desc="indexing labels", unit=" kinds", disable=True if quiet else None) as bar:
            for kind in KINDS:
                Normaliser(saved, kinds=[kind], index_dir=path)
                bar.update(1)
        # The semantic mode's label vectors too, when the encoder is built (make install builds it).
        from .engine import encoder_dir, load_semantic_model

        if (encoder_dir() / "manifest.json").is_file() or os.environ.get("USEIT_SEMANTIC_MODEL"):
            # A one-off build: every core, not the one a worker uses.
            model = load_semantic_model(threads=os.cpu_count() or 1)
            with tqdm(desc="label vectors", unit=" labels", disable=True if quiet else None) as bar:

                def progress(stage: str, done: int, total: int) -> None:
                    if bar.total != total:
                        bar.set_description(stage)
                        bar.reset(total=total)
                    bar.n = done
                    bar.refresh()

                for kind in KINDS:
                    Normaliser(saved, kinds=[kind], index_dir=path, semantic=model, progress=progress)
        else:
            click.echo(f"no sentence encoder at {encoder_dir()}: label vectors will be made on first use", err=True)
    counts = ", ".join(f"{n:,} {kind}s" for kind, n in built.counts().items())
    click.echo(f"wrote {counts} to {path}")
    click.echo(ESCO_ATTRIBUTION)


@taxonomy.command("info")
@click.option("--taxonomy", "taxonomy_dir", default=None, help="Taxonomy directory (default: the curated one).")
def taxonomy_info(taxonomy_dir: str | None) -> None:
    """Counts of concepts and labels in a taxonomy."""
    with user_errors():
        loaded = load_taxonomy(taxonomy_dir)
    report = {
        kind: {"concepts": len(loaded.concepts(kind)), "labels": sum(len(c.labels) for c in loaded.concepts(kind))}
        for kind in KINDS
    }
    click.echo(json.dumps({"name": loaded.name, "kinds": report}, indent=2))


@main.group()
def db() -> None:
    """Manage the service database (DATABASE_URL; default a SQLite file under instance/)."""


@db.command("init")
@click.option("--taxonomy", "taxonomy_dir", default=None, help="Taxonomy to load (default: the curated one).")
@click.option("--quiet", is_flag=True, help="No progress bar (it goes to standard error, and only to a terminal).")
def db_init(taxonomy_dir: str | None, quiet: bool) -> None:
    """Create or upgrade the schema and load the taxonomy (safe to run again)."""
    from sqlalchemy.exc import SQLAlchemyError
    from tqdm import tqdm

    from .config import Config
    from .db import load_taxonomy as store_taxonomy
    from .db import make_engine, upgrade

    config = Config.from_env()
    with user_errors():
        loaded = load_taxonomy(taxonomy_dir)
        try:
            upgrade(config.database_url)
            bar = tqdm(total=len(loaded), desc="loading taxonomy", unit=" concepts", disable=True if quiet else None)
            with bar:
                counts = store_taxonomy(make_engine(config.database_url), loaded, progress=bar.update)
        except SQLAlchemyError as exc:
            fail(f"database error: {type(exc).__name__}: {exc.orig if hasattr(exc, 'orig') else exc}")
    click.echo(
        f"database ready ({_redact(config.database_url)}): "
        f"{counts['inserted']} concepts added, {counts['updated']} updated"
    )


def _sqlite_path(url: str) -> str:
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        fail("backup and restore are for the SQLite default; for PostgreSQL use pg_dump and pg_restore")
    return url.removeprefix("sqlite:///")


@db.command("backup")
@click.argument("path")
def db_backup(path: str) -> None:
    """Copy the SQLite database to PATH, consistently, while the service may be running."""
    import os
    import sqlite3

    from .config import Config

    source = _sqlite_path(Config.from_env().database_url)
    if not os.path.exists(source):
        fail(f"no database at {source}; run 'useit db init' first")
    if os.path.exists(path):
        fail(f"{path} exists; choose a new file (a backup never overwrites)")
    tmp = path + ".tmp"
    try:
        with sqlite3.connect(source) as src, sqlite3.connect(tmp) as dst:
            src.backup(dst)  # SQLite's online backup: a consistent snapshot
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as exc:
        if os.path.exists(tmp):
            os.remove(tmp)
        fail(f"backup failed: {exc}")
    click.echo(f"backed up {source} to {path}")


@db.command("restore")
@click.argument("path")
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
def db_restore(path: str, yes: bool) -> None:
    """Replace the SQLite database with the backup at PATH (stop the service first)."""
    import os
    import sqlite3

    from .config import Config

    target = _sqlite_path(Config.from_env().database_url)
    if not os.path.exists(path):
        fail(f"backup file not found: {path}")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as check:
            verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
            check.execute("SELECT count(*) FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        fail(f"{path} is not a useit-match database backup: {exc}")
    if verdict != "ok":
        fail(f"{path} is damaged: {verdict}")
    if os.path.exists(target) and not yes:
        fail(f"{target} exists; pass --yes to replace it with {path}")
    tmp = target + ".restoring"
    try:
        with sqlite3.connect(path) as src, sqlite3.connect(tmp) as dst:
            src.backup(dst)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(target + suffix):
                os.remove(target + suffix)
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        if os.path.exists(tmp):
            os.remove(tmp)
        fail(f"restore failed; the current database is unchanged: {exc}")
    click.echo(f"restored {target} from {path}")


@main.group("vacancies")
def vacancies_group() -> None:
    """Import vacancies into the service database."""


@vacancies_group.command("import")
@click.argument("path")
@click.option("--dry-run", is_flag=True, help="Report what would be imported; write nothing.")
def vacancies_import(path: str, dry_run: bool) -> None:
    """Import vacancies from PATH (.json, .csv with NHS Jobs columns, or a .txt advert).

    A file with any bad row imports nothing and every bad row is listed with its line.
    """
    from vacancies.intake import parse_file

    from . import create_app
    from .errors import APIError
    from .vacancies import import_records

    report = parse_file(path)
    problems = [
        {"location": f"line {p.line}" if p.line else "file", "field": p.field, "message": p.message}
        for p in report.problems
    ]
    records = [r.to_contract() for r in report.records]
    with user_errors():
        app = create_app()
        with app.app_context():
            try:  # the API's own import: the same validation, and a dry run that answers as it would
                result = import_records(records, None, dry_run=dry_run, problems=problems)
            except APIError as exc:
                fail(f"{path}: nothing imported", [_problem(e) for e in exc.errors] or [exc.message])
    if dry_run:
        click.echo(f"{path}: {result['valid']} vacancies valid (dry run: nothing written)")
        for record in records:
            click.echo(f"  {record.get('id')}: {record.get('title')}")
        click.echo(f"  {result['created']} would be created, {result['updated']} updated")
        return
    click.echo(f"{path}: {result['created']} created, {result['updated']} updated")


def _problem(error: dict[str, Any]) -> str:
    where = str(error.get("location") or "")
    field = f"{error['field']}: " if error.get("field") else ""
    return f"{where}: {field}{error.get('message')}" if where and where != "file" else f"{field}{error.get('message')}"


@main.group()
def token() -> None:
    """Create and revoke API bearer tokens (stored hashed; shown once)."""


@token.command("create")
@click.option("--role", required=True, type=click.Choice(["adviser", "recruiter", "resident", "admin"]))
@click.option("--name", default=None, help="Who the token is for (shown in the audit log by user id only).")
@click.option("--employer", default=None, help="Recruiters: the employer, exactly as vacancies name it.")
@click.option("--resident", "resident_id", default=None, help="Residents: their record id.")
@click.option("--expires-days", default=90, show_default=True, type=click.IntRange(1, 3650))
def token_create(role: str, name: str | None, employer: str | None, resident_id: str | None, expires_days: int) -> None:
    """Print a new token for a new user of ROLE (keep it: it is never shown again)."""
    from sqlalchemy.exc import SQLAlchemyError

    from .auth import issue_token
    from .config import Config
    from .db import make_engine, session_scope, upgrade
    from .models import Resident

    config = Config.from_env()
    database = make_engine(config.database_url)
    try:
        upgrade(config.database_url)
        with session_scope(database) as session:
            if resident_id and session.get(Resident, resident_id) is None:
                fail(f"no resident with id {resident_id!r}")
            try:
                secret, record = issue_token(
                    session,
                    role=role,
                    name=name or role,
                    employer=employer,
                    resident_id=resident_id,
                    expires_in_days=expires_days,
                )
            except ValueError as exc:
                fail("cannot create the token", str(exc).split("; "))
            expires = record.expires_at.date().isoformat() if record.expires_at else "never"
    except SQLAlchemyError as exc:
        fail(f"database error: {type(exc).__name__}")
    finally:
        database.dispose()
    click.echo(secret)
    click.echo(f"role {role}; expires {expires}; id {record.prefix}...", err=True)


@token.command("revoke")
@click.argument("prefix")
def token_revoke(prefix: str) -> None:
    """Revoke the token whose first characters are PREFIX (as printed when it was made)."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from .config import Config
    from .db import make_engine, session_scope
    from .models import ApiToken

    config = Config.from_env()
    database = make_engine(config.database_url)
    try:
        with session_scope(database) as session:
            wanted = prefix.removesuffix("...")
            rows = session.scalars(select(ApiToken).where(ApiToken.prefix.startswith(wanted, autoescape=True))).all()
            if len(rows) != 1:
                fail(
                    f"{len(rows)} tokens start with {prefix!r}; give more characters"
                    if rows
                    else f"no token starts with {prefix!r}"
                )
            rows[0].revoked_at = datetime.now(UTC)
    finally:
        database.dispose()
    click.echo(f"revoked {rows[0].prefix}...")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Run the API with Flask's server (the embedded default; use gunicorn in production)."""
    from . import create_app

    with user_errors():
        app = create_app()
    app.run(host=host, port=port, debug=False, use_reloader=False)


def _redact(url: str) -> str:
    """A database URL without its password, for messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def _add_commands() -> None:
    from .cli_demo import demo  # sample data for trying the service, kept apart from real management
    from .cli_facts import facts  # the fixtures' dated facts, for whoever keeps them
    from .cli_insights import insights  # its own module: reports are not about managing the service
    from .cli_profile import profile  # residents' CVs and stories into draft profiles
    from .cli_semantic import semantic  # the normaliser's semantic model, trained from open data

    main.add_command(insights)
    main.add_command(facts)
    main.add_command(profile)
    main.add_command(semantic)
    db.add_command(demo)


_add_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
