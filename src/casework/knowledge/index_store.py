"""The workspace's search index on disk, updated article by article.

Layout, one folder per embedding backend (``ws.path/index/<backend>/``):
``documents.json`` (each indexed article's id, version, title and passages, and
the generation they belong to), ``vectors-<generation>.npy`` (one row per
passage, same order), ``lexical-<generation>/`` (bm25s) and ``fusion.json``
(tuned weights, when some were stored). Why keyed by article id
+ version: embedding is the only costly step, so an import that changes one
article re-embeds that article's passages and nothing else. BM25 is rebuilt
whole on any change because its term statistics are global (milliseconds).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from casework.knowledge.chunking import CHUNKER_VERSION, Passage, chunk_article
from casework.knowledge.fusion import FusionWeights
from casework.knowledge.lexical import TOKENIZER_VERSION, LexicalIndex
from casework.knowledge.retrieval import DEFAULT_BACKEND, Document, Retriever, embed_stably
from casework.store.tables import ArticleRow
from casework.text.embedders import Embedder, FloatMatrix, get_embedder
from casework.workspace import Workspace

INDEX_FORMAT = 1
INDEXED_STATUS = "approved"

# Chosen by `casework eval retrieval` on the Banking77 FAQ set (924 tuning queries,
# seed 0); a workspace with labelled queries of its own stores better ones.
DEFAULT_FUSION = {
    "minilm": FusionWeights("convex", 0.05, 60, "Banking77 FAQ tuning split (924 queries)"),
    "static": FusionWeights("convex", 0.2, 60, "Banking77 FAQ tuning split (924 queries)"),
}


@dataclass
class IndexUpdate:
    """What an update did; ``embedded`` counts passages sent to the embedder."""

    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    unchanged: int = 0
    embedded: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def approved_documents(ws: Workspace) -> list[Document]:
    """The articles answers may come from: approved ones only, current version."""
    with ws.session() as session:
        rows = session.scalars(
            select(ArticleRow).where(ArticleRow.status == INDEXED_STATUS).order_by(ArticleRow.id)
        ).all()
        return [Document(r.id, r.external_id, r.version, r.title, r.body) for r in rows]


def _generation(signature: dict[str, Any], entries: list[dict[str, Any]]) -> str:
    """Names the files of one index state, so a reader never pairs documents.json with
    vectors or BM25 files written for another state."""
    digest = hashlib.sha256(json.dumps([signature, entries], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on `folder/.lock`, released when the block ends."""
    with open(folder / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class IndexStore:
    """Persisted passages + vectors for one embedder, kept in step with a document set."""

    def __init__(self, folder: Path, embedder: Embedder) -> None:
        self.folder = folder
        self.embedder = embedder

    @property
    def _signature(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "chunker": CHUNKER_VERSION,
            "tokenizer": TOKENIZER_VERSION,
            "embedder": f"{self.embedder.name}@{self.embedder.version}",
        }

    def _meta(self) -> dict[str, Any]:
        try:
            meta: dict[str, Any] = json.loads((self.folder / "documents.json").read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return meta if meta.get("signature") == self._signature else {}

    def _read(self) -> tuple[list[dict[str, Any]], FloatMatrix, str]:
        """(entries, vectors, generation); nothing if absent, damaged or from another model."""
        empty = np.zeros((0, self.embedder.dim), dtype=np.float32)
        meta = self._meta()
        generation = str(meta.get("generation", ""))
        entries: list[dict[str, Any]] = meta.get("documents", [])
        try:
            vectors = np.load(self.folder / f"vectors-{generation}.npy", allow_pickle=False)
        except (OSError, ValueError):
            return [], empty, ""
        if vectors.shape != (sum(len(e["passages"]) for e in entries), self.embedder.dim):
            return [], empty, ""
        return entries, vectors.astype(np.float32), generation

    def update(self, documents: Sequence[Document]) -> IndexUpdate:
        """Bring the stored index in line with ``documents``, embedding only what changed.

        One writer at a time across processes (an exclusive lock on the folder): workers
        started together on a fresh workspace each build the index, and two writers
        of the same generation's files broke each other's renames. The second one in
        finds the index current and writes nothing.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        with _folder_lock(self.folder):
            return self._update(documents)

    def _update(self, documents: Sequence[Document]) -> IndexUpdate:
        entries, vectors, _ = self._read()
        stored: dict[int, tuple[dict[str, Any], FloatMatrix]] = {}
        row = 0
        for entry in entries:
            n = len(entry["passages"])
            stored[int(entry["article_id"])] = (entry, vectors[row : row + n])
            row += n
        report = IndexUpdate()
        new_entries: list[dict[str, Any]] = []
        blocks: list[FloatMatrix] = []
        for doc in sorted(documents, key=lambda d: d.article_id):
            old = stored.pop(doc.article_id, None)
            if old is not None and int(old[0]["version"]) == doc.version:
                entry, block = old
                entry = {**entry, "external_id": doc.external_id, "title": doc.title}
                report.unchanged += 1
            else:
                (report.changed if old is not None else report.added).append(doc.article_id)
                texts = [
                    p.text for p in chunk_article(doc.article_id, doc.version, doc.title, doc.body)
                ]
                block = embed_stably(self.embedder, texts)
                report.embedded += len(texts)
                entry = {
                    "article_id": doc.article_id,
                    "external_id": doc.external_id,
                    "version": doc.version,
                    "title": doc.title,
                    "passages": texts,
                }
            new_entries.append(entry)
            blocks.append(block)
        report.removed = sorted(stored)
        if report.touched or not (self.folder / "documents.json").exists():
            self._write(new_entries, blocks)
        return report

    def _write(self, entries: list[dict[str, Any]], blocks: list[FloatMatrix]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        previous = str(self._meta().get("generation", ""))
        generation = _generation(self._signature, entries)
        matrix = np.vstack(blocks) if blocks else np.zeros((0, self.embedder.dim), np.float32)
        LexicalIndex([t for e in entries for t in e["passages"]]).save(
            self.folder / f"lexical-{generation}"
        )
        tmp = self.folder / f"vectors-{generation}.{os.getpid()}.tmp.npy"
        np.save(tmp, matrix.astype(np.float32), allow_pickle=False)
        os.replace(tmp, self.folder / f"vectors-{generation}.npy")
        # documents.json last: naming the generation is what makes it current.
        meta = {"signature": self._signature, "generation": generation, "documents": entries}
        _write_atomic(self.folder / "documents.json", json.dumps(meta).encode("utf-8"))
        # Keep the previous generation: a reader that just read the old documents.json
        # still finds its files. Anything older goes.
        keep = {f"{kind}-{g}" for kind in ("vectors", "lexical") for g in (generation, previous)}
        for path in [*self.folder.glob("vectors-*"), *self.folder.glob("lexical-*")]:
            if path.name.split(".")[0] not in keep:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)

    def fusion(self) -> FusionWeights:
        """Weights stored for this index, else the defaults measured for its backend."""
        try:
            data = json.loads((self.folder / "fusion.json").read_text("utf-8"))
            return FusionWeights.from_dict(data)
        except (OSError, ValueError):
            return DEFAULT_FUSION.get(self.embedder.name, FusionWeights())

    def store_fusion(self, weights: FusionWeights) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.folder / "fusion.json", json.dumps(weights.to_dict()).encode("utf-8"))

    def load(self) -> Retriever:
        """A retriever over what is stored (call ``update`` first to make it current)."""
        entries, vectors, generation = self._read()
        documents = [
            Document(int(e["article_id"]), e["external_id"], int(e["version"]), e["title"], "")
            for e in entries
        ]
        passages = [
            Passage(int(e["article_id"]), int(e["version"]), i, text)
            for e in entries
            for i, text in enumerate(e["passages"])
        ]
        try:
            lexical: LexicalIndex | None = LexicalIndex.load(
                self.folder / f"lexical-{generation}", len(passages)
            )
        except (OSError, ValueError):
            lexical = None  # missing or damaged: the retriever rebuilds it from the passages
        return Retriever(documents, passages, vectors, self.embedder, self.fusion(), lexical)


def index_store(ws: Workspace, backend: str = DEFAULT_BACKEND) -> IndexStore:
    embedder = get_embedder(backend)
    return IndexStore(ws.path / "index" / embedder.name, embedder)


def retrieval_backend(ws: Workspace, fallback: str = DEFAULT_BACKEND) -> str:
    """The workspace config's `embeddings.retrieval`, else this use's own default."""
    from casework.config.loader import ConfigError
    from casework.config.versions import active_config

    try:
        chosen = active_config(ws)[1].embeddings.retrieval
    except ConfigError:  # a broken unapplied file: search still works on the default
        return fallback
    return chosen or fallback


def workspace_retriever(
    ws: Workspace, backend: str | None = None, fallback: str = DEFAULT_BACKEND
) -> Retriever:
    """A retriever over the workspace's approved articles, re-indexing what changed first.

    `backend` (a command's `--mode`) wins; else the config's `embeddings.retrieval`;
    else `fallback`, the default of the use asking."""
    store = index_store(ws, backend or retrieval_backend(ws, fallback))
    store.update(approved_documents(ws))
    return store.load()
