"""Configuration from the environment only (12-factor); one class, read at app creation."""

from __future__ import annotations

import os
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

    @classmethod
    def from_env(cls) -> Config:
        instance = default_instance_dir()
        return cls(
            database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'useit.db'}",
            taxonomy_dir=os.environ.get("USEIT_TAXONOMY_DIR") or None,
            # Requests larger than this are refused with 413 before any parsing.
            max_content_length=int(os.environ.get("USEIT_MAX_CONTENT_LENGTH", 1_000_000)),
        )
