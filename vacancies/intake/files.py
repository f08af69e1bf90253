"""Files: read one and parse it by its extension."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .adverts import parse_advert
from .csv_reader import parse_csv
from .fields import DEFAULT_LIMITS, IntakeLimits
from .json_reader import parse_json
from .report import ImportReport, _Problems

_PARSERS: dict[str, Callable[..., ImportReport]] = {
    ".json": parse_json,
    ".csv": parse_csv,
    ".txt": parse_advert,
    ".md": parse_advert,
}


def parse_file(path: str | Path, *, limits: IntakeLimits | None = None) -> ImportReport:
    """Read one file and parse it by its extension (.json, .csv, .txt or .md)."""
    limits = limits or DEFAULT_LIMITS
    path = Path(path)
    problems = _Problems(limits.max_problems)

    def failed(message: str, line: int | None = None) -> ImportReport:
        problems.add(line, None, message)
        return ImportReport([], problems.items)

    parse = _PARSERS.get(path.suffix.casefold())
    if parse is None:
        hint = " (save a spreadsheet as CSV UTF-8)" if path.suffix.casefold() in (".xlsx", ".xls", ".ods") else ""
        return failed(f"cannot import {path.name!r}: use a .json, .csv, .txt or .md file{hint}")
    try:
        with path.open("rb") as handle:
            content = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        return failed(f"file not found: {path}")
    except IsADirectoryError:
        return failed(f"{path} is a directory, not a file")
    except OSError as exc:
        return failed(f"cannot read {path}: {exc.strerror or exc}")
    if len(content) > limits.max_file_bytes:
        return failed(
            f"{path.name} is larger than {limits.max_file_bytes / (1024 * 1024):g} MB; split it into smaller files"
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return failed(f"{path.name} is UTF-16 text; save it as UTF-8")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return failed(f"{path.name} is not valid UTF-8 (byte {exc.start + 1}); save it as UTF-8", line)
    if not text.strip():
        return failed(f"{path.name} is empty")
    return parse(text, limits=limits)
