"""Offline sentence embedders read from artefacts shipped inside the package.

Nothing here downloads weights: both models live under ``casework/text/models`` and are
built by ``scripts/build_static_embedder.py`` and ``scripts/export_minilm_onnx.py``.
Runtime needs only numpy, ``tokenizers`` and (for "minilm") ``onnxruntime`` -- no torch.

* ``static``: model2vec distillation of all-MiniLM-L6-v2; a text is the mean of its token
  vectors.  Tens of thousands of texts per second on one core; the default for bulk work.
* ``minilm``: the full all-MiniLM-L6-v2 transformer as int8 ONNX.  Better quality, a few
  milliseconds per short text.
"""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Callable, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = [
    "Embedder",
    "MiniLMEmbedder",
    "StaticEmbedder",
    "available_embedders",
    "get_embedder",
]

FloatMatrix = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """What callers rely on: a named, versioned text -> vector function.

    ``embed`` returns float32 of shape ``(len(texts), dim)`` whose rows have unit L2 norm.
    The one exception: a text with no usable token under the static model (e.g. "") gets an
    all-zero row, so it is similar to nothing rather than spuriously similar to something.
    ``name`` + ``version`` identify the vector space, so stored vectors can be invalidated
    when the artefact changes.
    """

    name: str
    version: str
    dim: int

    def embed(self, texts: Sequence[str]) -> FloatMatrix: ...


def _resource(model: str, filename: str) -> bytes:
    """Read a packaged artefact as bytes (works from wheels and zip imports alike)."""
    return resources.files("casework.text").joinpath("models", model, filename).read_bytes()


def _meta(model: str) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads(_resource(model, "meta.json"))
    return meta


def _load_tokenizer(model: str) -> Tokenizer:
    """Load ``tokenizer.json`` with padding/truncation cleared; callers set their own."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"the {model!r} embedder needs the 'tokenizers' package: pip install tokenizers"
        ) from exc
    tok = Tokenizer.from_str(_resource(model, "tokenizer.json").decode("utf-8"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def _check_texts(texts: Sequence[str]) -> list[str]:
    # A bare str is a Sequence[str] too; embedding it character by character is never wanted.
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts, not a single str")
    items = list(texts)
    if not all(isinstance(t, str) for t in items):
        raise TypeError("embed() takes str items only")
    return items


def _normalise(vectors: FloatMatrix) -> FloatMatrix:
    """L2-normalise rows in place; all-zero rows stay zero."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


class StaticEmbedder:
    """Mean of static token vectors (model2vec), then L2 normalise.

    Why: a lookup table plus a mean is ~100x cheaper than a transformer and keeps most of
    its quality for short support texts, so it suits bulk indexing and CI.  Matches
    ``model2vec.StaticModel.encode``: no special tokens, [UNK] dropped, SIF weights already
    folded into the table at build time.
    """

    def __init__(self, model: str = "static") -> None:
        meta = _meta(model)
        self.name: str = str(meta["name"])
        self.version: str = str(meta["version"])
        self._tokenizer = _load_tokenizer(model)
        self._max_tokens = int(meta.get("max_tokens", 512))
        self._tokenizer.enable_truncation(self._max_tokens)
        unk = meta.get("unk_token_id")
        self._unk: int | None = None if unk is None else int(unk)
        table = np.load(io.BytesIO(_resource(model, "embeddings.npy")), allow_pickle=False)
        # float32 in memory: float16 arithmetic in numpy is emulated and several times slower.
        self._table: FloatMatrix = np.ascontiguousarray(table, dtype=np.float32)
        self.dim: int = int(self._table.shape[1])
        self._chunk = 256

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        items = _check_texts(texts)
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        if not items:
            return out
        encodings = self._tokenizer.encode_batch(items, add_special_tokens=False)
        id_lists = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        if self._unk is not None:
            id_lists = [ids[ids != self._unk] for ids in id_lists]
        lengths = np.fromiter((len(ids) for ids in id_lists), dtype=np.int64, count=len(items))
        rows = np.flatnonzero(lengths)
        if rows.size == 0:
            return out
        # A gather + segmented sum per chunk instead of a Python loop per text; chunks keep
        # the gathered block cache-sized (one big gather was ~5x slower on 10k texts).
        for start in range(0, rows.size, self._chunk):
            part = rows[start : start + self._chunk]
            flat = np.concatenate([id_lists[i] for i in part])
            starts = np.concatenate(([0], np.cumsum(lengths[part])[:-1]))
            sums = np.add.reduceat(self._table[flat], starts, axis=0)
            out[part] = sums / lengths[part, None].astype(np.float32)
        return _normalise(out)


def _default_threads() -> int:
    """Intra-op threads: CASEWORK_EMBED_THREADS, else all cores up to 4.

    Why capped: MiniLM-L6 gains little past 4 threads, and the rest of the service
    (database, web workers) needs cores too.
    """
    env = os.environ.get("CASEWORK_EMBED_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, os.cpu_count() or 1))


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) with attention-masked mean pooling, then L2 normalise.

    Why sorted batches: padding to the longest text in a batch wastes compute, so texts are
    ordered by token count before batching and results put back in input order.
    """

    def __init__(
        self, model: str = "minilm", batch_size: int = 32, threads: int | None = None
    ) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "the 'minilm' embedder needs the 'onnxruntime' package: pip install onnxruntime"
            ) from exc
        meta = _meta(model)
        self.name: str = str(meta["name"])
        self.version: str = str(meta["version"])
        self.dim: int = int(meta["dim"])
        self.batch_size = max(1, batch_size)
        self._max_tokens = int(meta.get("max_tokens", 256))
        self._tokenizer = _load_tokenizer(model)
        self._tokenizer.enable_truncation(self._max_tokens)

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads if threads and threads > 0 else _default_threads()
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(
            _resource(model, "model.onnx"), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        items = _check_texts(texts)
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        if not items:
            return out
        encodings = self._tokenizer.encode_batch(items, add_special_tokens=True)
        order = sorted(range(len(items)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = np.asarray(self._session.run(None, feed)[0], dtype=np.float32)
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[chunk] = pooled
        return _normalise(out)


_FACTORIES: dict[str, Callable[[], Embedder]] = {
    "static": StaticEmbedder,
    "minilm": MiniLMEmbedder,
}
_CACHE: dict[str, Embedder] = {}
_LOCK = threading.Lock()


def available_embedders() -> list[str]:
    """Names accepted by :func:`get_embedder`."""
    return sorted(_FACTORIES)


def get_embedder(name: str) -> Embedder:
    """Return the process-wide embedder called ``name`` ("static" or "minilm").

    Cached because loading costs 0.1-1 s and tens of MB; both classes are safe to share
    between threads (onnxruntime sessions and tokenizers are re-entrant).
    """
    key = name.strip().lower()
    if key not in _FACTORIES:
        raise KeyError(f"unknown embedder {name!r}; choose one of {available_embedders()}")
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _FACTORIES[key]()
        return _CACHE[key]
