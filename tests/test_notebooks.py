"""notebooks/: committed without outputs, for the kernel `make test` executes them with (nbmake).

The notebooks themselves run in `make notebooks` (part of `make test`), not in this suite.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_evaluation_notebook_is_there() -> None:
    assert NOTEBOOKS_DIR / "evaluation.ipynb" in NOTEBOOKS


def test_the_insights_notebooks_are_there() -> None:
    """The community skills map and the training investment report (matcher.insights)."""
    assert NOTEBOOKS_DIR / "skills_map.ipynb" in NOTEBOOKS
    assert NOTEBOOKS_DIR / "training_investment.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3", "nbmake starts the notebook's own kernel"
    kept = [
        number
        for number, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not kept, f"{path.name}: cells {kept} keep outputs; run .venv/bin/nbstripout notebooks/{path.name}"
