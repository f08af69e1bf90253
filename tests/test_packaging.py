"""Packaging: every folder of the shipped packages is declared, so `pip install` neither warns
("Package would be ignored", about 300 lines) nor drops a template or a fixture (issue 13)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_folder_is_declared_with_its_files() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["packages"]["find"]["namespaces"] is True
    declared = config["package-data"]
    roots = [ROOT / "api", ROOT / "fixtures"]
    for root in roots:
        for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
            if folder.name == "__pycache__":
                continue
            data = [f for f in folder.iterdir() if f.is_file() and f.suffix not in (".py", ".pyc")]
            if not data:
                continue
            package = ".".join(folder.relative_to(ROOT).parts)
            assert package in declared, f"{package} holds {data[0].name} but is not in package-data"
            patterns = declared[package]
            for file in data:
                assert any(file.match(pattern) for pattern in patterns), f"{file} is not shipped"
