"""``useit semantic``: train the normaliser's semantic model from the shared open data."""

from __future__ import annotations

import time
from pathlib import Path

import click


@click.group()
def semantic() -> None:
    """The normaliser's semantic model (opt-in: useit normalise --mode semantic)."""


@semantic.command("train")
@click.option(
    "--data",
    "data_dir",
    default=None,
    help="Shared data folder holding esco/ and soc2020/ (default: $USEIT_SHARED_DATA or ../shared/data).",
)
@click.option(
    "--out",
    "out_path",
    default=None,
    help="Model file (default: $USEIT_SEMANTIC_MODEL or instance/semantic-model.npz).",
)
@click.option("--dimensions", default=160, show_default=True, type=click.IntRange(16, 512))
@click.option("--epochs", default=6, show_default=True, type=click.IntRange(0, 50))
@click.option("--quiet", is_flag=True, help="No progress bar.")
def semantic_train(data_dir: str | None, out_path: str | None, dimensions: int, epochs: int, quiet: bool) -> None:
    """Train word vectors on ESCO, SOC 2020 and the curated taxonomy (about two minutes, one core)."""
    from tqdm import tqdm

    from matcher import Taxonomy
    from matcher.evaluation import shared_data_dir
    from matcher.semantic import build_from_shared_data

    from .cli import fail, user_errors  # here, not at the top: api.cli imports this module

    folder = Path(data_dir) if data_dir else shared_data_dir()
    if not folder.is_dir():
        fail(f"shared data folder not found: {folder} (give --data)")
    from .engine import semantic_model_path

    target = Path(out_path) if out_path else semantic_model_path()
    start = time.perf_counter()
    with user_errors(), tqdm(desc="training", disable=True if quiet else None) as bar:
        stages: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stages.get(stage) is None:
                stages[stage] = 0
                bar.set_description(stage)
                bar.reset(total=total)
            bar.update(done - stages[stage])
            stages[stage] = done

        model = build_from_shared_data(
            folder, Taxonomy.load_default(), dimensions=dimensions, epochs=epochs, progress=progress
        )
        path = model.save(target)
    size = path.stat().st_size / 1e6
    click.echo(
        f"wrote {path}: {len(model.words):,} words x {model.dimensions} dimensions, {size:.1f} MB, "
        f"in {time.perf_counter() - start:.0f} s"
    )
