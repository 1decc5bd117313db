"""Hybrid retrieval: finds paraphrases, never returns unapproved articles, re-indexes only
what changed, survives a reload, and evaluates with metrics a person can check by hand."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from casework import Workspace
from casework.cli.common import app
from casework.cli.kb_search import register
from casework.domain import Article, ArticleStatus, Message, Ticket
from casework.knowledge.chunking import MAX_WORDS, chunk_article
from casework.knowledge.demo_eval import demo_queries
from casework.knowledge.fusion import (
    FusionWeights,
    article_scores,
    first_relevant_rank,
    fuse,
    tune_fusion,
)
from casework.knowledge.index_store import (
    DEFAULT_FUSION,
    IndexStore,
    approved_documents,
    workspace_retriever,
)
from casework.knowledge.retrieval import Document, Retriever
from casework.knowledge.retrieval_eval import EvalQuery, retrieval_metrics, tune_on
from casework.store.repository import upsert_articles, upsert_tickets
from casework.text.embedders import FloatMatrix, get_embedder

NOW = datetime(2026, 11, 1, tzinfo=UTC)
KB = {
    "password": (
        "Resetting your password",
        "Use 'Forgot password' on the sign-in page. We "
        "email a reset link that is valid for 24 hours.",
    ),
    "delivery": (
        "Delivery times and shipping costs",
        "Standard delivery takes 2-4 working days "
        "and is free above 49 EUR; below that it costs 4.95 EUR.",
    ),
    "refund": (
        "When will I get my refund?",
        "Refunds are paid to the original payment method "
        "within 5 working days after your return arrives at our warehouse.",
    ),
    "cancel": (
        "Cancelling an order",
        "An order can be cancelled until it leaves the warehouse, in your account under Orders.",
    ),
    "address": (
        "Changing the delivery address",
        "Write to us with your order number before dispatch and we change where the parcel goes.",
    ),
}


def documents(**changes: tuple[str, str]) -> list[Document]:
    texts = {**KB, **changes}
    return [
        Document(i, key, 2 if key in changes else 1, title, body)
        for i, (key, (title, body)) in enumerate(sorted(texts.items()), start=1)
    ]


class CountingEmbedder:
    """The static embedder, counting every text it embeds."""

    def __init__(self) -> None:
        self._inner = get_embedder("static")
        self.name, self.version, self.dim = self._inner.name, self._inner.version, self._inner.dim
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        self.texts += len(texts)
        return self._inner.embed(texts)


def article(key: str, status: ArticleStatus = ArticleStatus.approved, body: str = "") -> Article:
    title, text = KB[key]
    return Article(
        source="test",
        external_id=key,
        title=title,
        body=body or text,
        status=status,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.mark.parametrize("backend", ["static", "minilm"])
def test_hybrid_ranks_the_right_article_first_for_a_paraphrase(backend: str) -> None:
    retriever = Retriever.build(documents(), get_embedder(backend), DEFAULT_FUSION[backend])
    hits = retriever.search("I forgot my login details and can't sign in", k=3)
    assert hits[0].external_id == "password"
    assert hits[0].lexical_rank is not None and hits[0].semantic_rank == 1
    assert len({h.article_id for h in hits}) == len(hits) == 3  # one hit per article
    money = retriever.search("how long until my money comes back after I sent the item back")
    assert money[0].external_id == "refund"


def test_draft_and_archived_articles_are_never_returned(sqlite_workspace: Workspace) -> None:
    ws = sqlite_workspace.init()
    with ws.session() as s:
        upsert_articles(
            s,
            [
                article("password"),
                article("delivery", ArticleStatus.draft),
                article("refund", ArticleStatus.archived),
                article("cancel"),
            ],
        )
    for query in ("Delivery times and shipping costs", "When will I get my refund?"):
        hits = workspace_retriever(ws, "static").search(query, k=10)
        assert {h.external_id for h in hits} == {"password", "cancel"}
    with ws.session() as s:  # archiving an approved article takes it out of the index
        upsert_articles(s, [article("cancel", ArticleStatus.archived)])
    hits = workspace_retriever(ws, "static").search("Cancelling an order", k=10)
    assert [h.external_id for h in hits] == ["password"]


def test_changing_one_article_reembeds_only_that_article(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    store = IndexStore(tmp_path / "index", embedder)
    first = store.update(documents())
    assert (first.added, first.embedded, embedder.texts) == ([1, 2, 3, 4, 5], 5, 5)
    changed = documents(refund=("When will I get my refund?", "Refunds take 3 working days."))
    second = store.update(changed)
    assert second.changed == [5] and second.unchanged == 4 and embedder.texts == 5 + 1
    third = store.update([d for d in changed if d.external_id != "cancel"])
    assert third.removed == [2] and embedder.texts == 6
    hits = store.load().search("how many days does a refund take", k=1, method="lexical")
    assert hits[0].version == 2 and "3 working days" in hits[0].passage
    assert len(list(store.folder.glob("vectors-*.npy"))) == 2  # current and previous only


def test_index_survives_a_reload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = documents()
    IndexStore(tmp_path, CountingEmbedder()).update(docs)
    built = Retriever.build(docs, get_embedder("static"), FusionWeights("convex", 0.3))
    reopened_embedder = CountingEmbedder()
    reopened = IndexStore(tmp_path, reopened_embedder)
    assert reopened.update(docs).embedded == 0
    reopened.store_fusion(FusionWeights("convex", 0.3, chosen_on="test"))
    with monkeypatch.context() as patch:  # BM25 comes from disk too, not rebuilt
        patch.setattr("casework.knowledge.retrieval.LexicalIndex", None)
        loaded = reopened.load()
    assert loaded.fusion.lexical_weight == 0.3
    query = "parcel to a different address"
    assert [h.to_dict() for h in loaded.search(query)] == [h.to_dict() for h in built.search(query)]
    assert np.array_equal(loaded.vectors, built.vectors)


def test_workspace_index_follows_an_edited_article(sqlite_workspace: Workspace) -> None:
    ws = sqlite_workspace.init()
    with ws.session() as s:
        upsert_articles(s, [article("password"), article("cancel")])
    assert workspace_retriever(ws, "static").search("reset link")[0].version == 1
    with ws.session() as s:
        upsert_articles(s, [article("password", body="Reset links now expire after 2 hours.")])
    hit = workspace_retriever(ws, "static").search("reset link expire")[0]
    assert (hit.external_id, hit.version) == ("password", 2) and "2 hours" in hit.passage
    assert [d.external_id for d in approved_documents(ws)] == ["password", "cancel"]


def test_metrics_on_a_tiny_set_match_a_hand_count() -> None:
    ranked = [["a", "b"], ["b", "c", "x", "y", "z", "a"], ["c", "a"], []]
    gold = [frozenset({"a"}), frozenset({"a"}), frozenset({"a", "c"}), frozenset({"a"})]
    metrics = retrieval_metrics(ranked, gold)
    # ranks of the first right article: 1, 6, 1, none -> recall@1 2/4, recall@5 2/4,
    # MRR (1 + 1/6 + 1 + 0) / 4
    assert metrics == {"recall_at_1": 0.5, "recall_at_5": 0.5, "mrr": pytest.approx(13 / 24)}


def test_tuning_leans_on_the_ranker_that_is_right() -> None:
    rng = np.random.default_rng(0)
    queries, articles = 60, 8
    truth = rng.integers(0, articles, queries)
    relevant = np.zeros((queries, articles), dtype=bool)
    relevant[np.arange(queries), truth] = True
    semantic = rng.random((queries, articles)).astype(np.float32) * 0.5
    semantic[relevant] += 0.6  # semantic is right every time; lexical is noise
    lexical = rng.random((queries, articles)).astype(np.float32) * 5
    starts = np.arange(articles, dtype=np.intp)
    tuned = tune_fusion(lexical, semantic, relevant, starts)
    plain = first_relevant_rank(
        article_scores(fuse(lexical, semantic, FusionWeights()), starts), relevant
    )
    best = first_relevant_rank(article_scores(fuse(lexical, semantic, tuned), starts), relevant)
    assert tuned.lexical_weight < 0.5 and "tuned on 60" in tuned.chosen_on
    assert float(np.mean(best <= 1)) == 1.0 > float(np.mean(plain <= 1))


def test_search_agrees_with_the_rankings_tuning_scores() -> None:
    retriever = Retriever.build(documents(), get_embedder("static"), FusionWeights("rrf", 0.4, 5))
    queries = [
        EvalQuery(text, frozenset({key}))
        for key, text in [
            ("refund", "money back"),
            ("cancel", "stop my order"),
            ("address", "wrong street"),
        ]
    ]
    lexical = np.vstack([retriever.lexical_scores(q.text) for q in queries])
    semantic = np.vstack([retriever.semantic_scores(q.text) for q in queries])
    fused = article_scores(fuse(lexical, semantic, retriever.fusion), retriever.starts)
    order = np.argsort(-fused, axis=1, kind="stable")
    for q, row in zip(queries, order, strict=True):
        expected = [retriever.documents[int(retriever.article_ids[i])].external_id for i in row]
        assert [h.external_id for h in retriever.search(q.text, k=5)] == expected
    assert tune_on(retriever, queries, "t").chosen_on.startswith("tuned on 3 t")


def test_passages_are_bounded_windows_that_carry_the_title() -> None:
    long = " ".join(f"word{i}." for i in range(400))
    passages = chunk_article(7, 3, "Returns", f"Intro line.\n\n## Labels\n\n{long}\n\n## Empty\n")
    assert [p.index for p in passages] == list(range(len(passages)))
    assert all(
        p.text.startswith("Returns\n") and (p.article_id, p.version) == (7, 3) for p in passages
    )
    assert all(len(p.text.split()) <= MAX_WORDS + 3 for p in passages)
    assert sum("Labels" in p.text for p in passages) == len(passages) - 1
    assert chunk_article(1, 1, "Only a title", "")[0].text == "Only a title"


def test_demo_queries_skip_intents_no_approved_article_covers(sqlite_workspace: Workspace) -> None:
    ws = sqlite_workspace.init()
    msg = [Message(author_role="customer", body="Reach me at jo@example.com", created_at=NOW)]
    with ws.session() as s:
        upsert_articles(s, [article("refund"), article("cancel", ArticleStatus.draft)])
        upsert_tickets(
            s,
            [
                Ticket(
                    source="demo", external_id=str(n), subject=subject, created_at=NOW, messages=msg
                )
                for n, subject in [(1, "Refund?"), (2, "Cancel!")]
            ],
        )
    (ws.path / "demo-truth.json").write_text(
        json.dumps(
            {
                "tickets_file": "t.jsonl",
                "article_intents": {"refund": ["refund_request"], "cancel": ["cancel_order"]},
            }
        )
    )
    (ws.path / "t.jsonl").write_text(
        '{"external_id": "1", "intent": "refund_request"}\n'
        '{"external_id": "2", "intent": "cancel_order"}\n'
    )
    queries = demo_queries(ws)
    assert [q.relevant for q in queries] == [frozenset({"refund"})]
    assert queries[0].text.startswith("Refund?") and "jo@example.com" not in queries[0].text


def test_cli_search_and_eval_print_json(sqlite_workspace: Workspace, tmp_path: Path) -> None:
    ws = sqlite_workspace.init()
    with ws.session() as s:
        upsert_articles(s, [article(key) for key in KB])
    kb_app = typer.Typer()
    register(kb_app)
    kb_app.command("noop")(lambda: None)  # a group with two commands keeps `search` a subcommand
    runner = CliRunner()
    result = runner.invoke(
        kb_app,
        [
            "search",
            "reset link",
            "--k",
            "2",
            "--mode",
            "static",
            "--workspace",
            str(ws.path),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)["hits"]
    assert len(hits) == 2 and hits[0]["external_id"] == "password"

    folder = tmp_path / "faq"
    folder.mkdir()
    for key, (title, body) in KB.items():
        (folder / f"{key}.md").write_text(f"---\nid: {key}\ntitle: {title}\n---\n{body}\n")
    (tmp_path / "q.csv").write_text(
        "query,article_id\n"
        + "".join(f"{title.lower()},{key}\n" for key, (title, _) in KB.items()) * 2
    )
    result = runner.invoke(
        app,
        [
            "eval",
            "retrieval",
            "--articles",
            str(folder),
            "--queries",
            str(tmp_path / "q.csv"),
            "--mode",
            "static",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["test_queries"] == 7 and report["lexical"]["recall_at_1"] == 1.0
    assert {"recall_at_1", "recall_at_5", "mrr", "queries_per_second"} <= set(report["hybrid"])


ROUNDS = 8


def _build_index(folder: str, barrier: object) -> None:
    """One worker process bringing the index up to date, round after round, in step
    with the others (each round's documents are new, so every process writes)."""
    for round_ in range(ROUNDS):
        barrier.wait(30)  # type: ignore[attr-defined]
        docs = [replace(d, version=d.version + round_) for d in documents()]
        IndexStore(Path(folder), get_embedder("static")).update(docs)


def test_processes_building_a_fresh_index_at_once_all_succeed(tmp_path: Path) -> None:
    """Workers started together on a new workspace each build the index: none may fail."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(6)
    procs = [ctx.Process(target=_build_index, args=(str(tmp_path), barrier)) for _ in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(90)
    assert [p.exitcode for p in procs] == [0] * 6
    last = [replace(d, version=d.version + ROUNDS - 1) for d in documents()]
    reopened = IndexStore(tmp_path, CountingEmbedder())
    assert reopened.update(last).embedded == 0  # current for everyone
    assert reopened.load().search("refund", k=1, method="lexical")
