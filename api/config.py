"""Configuration from the environment only (12-factor); one class, read at app creation."""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path


def default_instance_dir() -> Path:
    return Path(os.environ.get("USEIT_INSTANCE_DIR", Path.cwd() / "instance"))


@dataclass(frozen=True, slots=True)
class Config:
    """What the service needs to start; every field can be set from the environment."""

    database_url: str
    taxonomy_dir: str | None
    max_content_length: int
    testing: bool = False
    #: "semantic" (the default) re-ranks every use of the normaliser with the sentence encoder
    #: ``make install`` builds (USEIT_ENCODER_DIR; or the word-vector model USEIT_SEMANTIC_MODEL
    #: names); "lexical" turns that off (USEIT_NORMALISER_MODE), for bulk work.
    normaliser_mode: str = "semantic"

    @classmethod
    def from_env(cls) -> Config:
        instance = default_instance_dir()
        return cls(
            database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'useit.db'}",
            taxonomy_dir=os.environ.get("USEIT_TAXONOMY_DIR") or None,
            # Requests larger than this are refused with 413 before any parsing.
            max_content_length=int(os.environ.get("USEIT_MAX_CONTENT_LENGTH", 1_000_000)),
            normaliser_mode=os.environ.get("USEIT_NORMALISER_MODE") or "semantic",
        )


def instance_secret(env: str, filename: str) -> str:
    """A secret from the environment variable ``env``, else one made once and kept in the instance
    folder (0600 in a 0700 folder, readable by the service's user only), so it survives restarts and
    every worker on the machine shares it. Production sets the variable."""
    if value := os.environ.get(env):
        return value
    folder = default_instance_dir()
    private_folder(folder)
    path = folder / filename
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def private_folder(folder: Path) -> None:
    """Create ``folder`` readable by this user only (0700), or tighten one this user owns.

    A shared folder (sticky or owned by someone else, such as /tmp) is left as it is: its files
    are still made 0600.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid == os.getuid() and not info.st_mode & stat.S_ISVTX and stat.S_IMODE(info.st_mode) != 0o700:
        folder.chmod(0o700)
