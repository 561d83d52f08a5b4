"""Hybrid search: dense (faiss) and accent-insensitive lexical (BM25), fused.

Dense retrieval understands paraphrases but reads text typed without
diacritics poorly (its diacritics are restored first, see diacritics.py);
lexical retrieval on accent-folded syllables does not care. Passages and entry
titles are ranked both ways, the rankings are fused with weighted reciprocal
rank fusion, and each result gets a confidence in [0, 1] so the dialogue can
say "I don't know".
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

import bm25s
import faiss
import numpy as np

from knowledge.catalog import Catalog, catalog_from_passages
from knowledge.diacritics import DiacriticRestorer
from knowledge.embedder import Embedder
from knowledge.index import (
    DENSE,
    DENSE_ROWS,
    LEXICAL,
    LEXICAL_TITLES,
    PASSAGES,
    SYNONYMS,
    current_version,
    read_manifest,
    title_text,
)
from knowledge.passage_store import PassageStore
from knowledge.passages import Passage
from knowledge.text import has_diacritics, lexical_terms

log = logging.getLogger(__name__)

RRF_K = 60
# Rankings of passages by what they say, and of entries by their title and aliases.
CONTENT_RANKINGS = ("dense", "passages")
TITLE_RANKINGS = ("dense_titles", "titles")
# Content rankings always carry weight: titles that are not questions ("Luật Hộ
# tịch Điều 16") say nothing about what an entry answers.
MIN_CONTENT_WEIGHT = 0.5
# A title ranking counts for an entry only as far as its score stands out from
# the score at rank TITLE_REFERENCE_RANK: by a cosine of TITLE_DENSE_MARGIN for
# full credit, or by TITLE_LEXICAL_MARGIN of the best BM25 score. Titles alike
# ("Luật Hộ tịch Điều 15", "… Điều 16") score alike and so add nothing, where a
# title that is the question asked stands out (chosen on the tuning sets with
# bench/calibrate.py's corpora).
TITLE_REFERENCE_RANK = 10
TITLE_DENSE_MARGIN = 0.05
TITLE_LEXICAL_MARGIN = 0.3
CANDIDATES = 50
HNSW_EF_SEARCH = 128
# Fusion weights of the four rankings (dense and lexical, of passages and of
# titles) and a logistic calibration of P(top result answers the question) from the
# dense cosine, the IDF-weighted share of query terms found in the passage and
# how many rankings put the entry first.
# Both are fitted by bench/calibrate.py on the tuning questions only.
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
QUESTION_PHRASES = Path(__file__).with_name("question_phrases.txt")
RESTORER_FULL_TEXT_LIMIT = 5_000
RESTORER_CHARS_PER_PASSAGE = 300


@dataclass(frozen=True)
class Candidates:
    terms: list[str]
    vector: np.ndarray
    folded: bool  # typed without diacritics
    dense_folded: bool  # the dense search used the accent-folded passages
    rankings: dict[str, list[int]]  # passage rows, best first (title rankings: each entry's first row)
    scores: dict[str, list[float]]  # each ranking's scores (cosine or BM25), in the same order


@dataclass(frozen=True)
class SearchResult:
    entry_id: str
    title: str
    heading_path: list[str]
    text: str
    citation: str
    url: str | None
    entry_type: str
    score: float
    dense_score: float
    lexical_coverage: float
    votes: int  # how many of the four rankings put this entry first
    confidence: float
    passage_id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _standing(ranking: str, scores: list[float]) -> list[float]:
    """How far each title's score stands out from the reference rank's, in [0, 1]."""
    if not scores:
        return []
    if ranking == "dense_titles":
        reference = scores[TITLE_REFERENCE_RANK] if len(scores) > TITLE_REFERENCE_RANK else scores[-1]
        margin = TITLE_DENSE_MARGIN
    else:
        reference = scores[TITLE_REFERENCE_RANK] if len(scores) > TITLE_REFERENCE_RANK else 0.0
        margin = TITLE_LEXICAL_MARGIN * scores[0]
    return [min(1.0, max(0.0, (score - reference) / margin)) for score in scores]


def load_calibration(path: Path = CALIBRATION_FILE) -> dict:
    calibration = json.loads(path.read_text(encoding="utf-8"))
    for form, weights in calibration["fusion"].items():
        for name in CONTENT_RANKINGS:
            if weights.get(name, 0.0) < MIN_CONTENT_WEIGHT:
                raise ValueError(
                    f"{path}: the {form} fusion gives the content ranking '{name}' weight "
                    f"{weights.get(name, 0.0)} < {MIN_CONTENT_WEIGHT}: refit with `.venv/bin/python -m bench.calibrate`"
                )
    return calibration


class SearchIndex:
    """One published index version, loaded in memory and read-only."""

    def __init__(self, version_dir: Path, embedder: Embedder, calibration: dict | None = None) -> None:
        """``calibration``: fusion weights and confidence to use instead of
        calibration.json (a benchmark's other corpus, or a refit in progress)."""
        self.version_dir = version_dir
        self.manifest = read_manifest(version_dir)
        self.version = self.manifest["version"]
        if embedder.dimension != self.manifest["dimension"]:
            raise ValueError(
                f"index {self.version} was built with {self.manifest['model']} "
                f"({self.manifest['dimension']} dims), not {embedder.name}"
            )
        self.embedder = embedder
        self.passages = PassageStore(version_dir / PASSAGES)
        # Dense indexes of passages and of entry titles, each as written and
        # accent-folded for queries typed without diacritics (which the model
        # understands far less well).
        self.dense = {key: faiss.read_index(str(version_dir / name)) for key, name in DENSE.items()}
        # Not every passage has a vector (knowledge.index.dense_rows): the passage
        # row of each vector, and the vector of each row that has one.
        rows_of = json.loads((version_dir / DENSE_ROWS).read_text(encoding="utf-8"))
        self._vector_rows = {folded: rows_of[DENSE["passages", folded]] for folded in (False, True)}
        self._row_vectors = {
            folded: {row: i for i, row in enumerate(rows)} for folded, rows in self._vector_rows.items()
        }
        for index in self.dense.values():
            if hasattr(index, "hnsw"):
                index.hnsw.efSearch = HNSW_EF_SEARCH
        self.lexical = bm25s.BM25.load(str(version_dir / LEXICAL))
        self.synonyms: dict[str, str] = json.loads((version_dir / SYNONYMS).read_text(encoding="utf-8"))
        self.calibration = calibration if calibration is not None else load_calibration()
        if calibration is None and self.calibration.get("fingerprint") != self.manifest["fingerprint"]:
            log.warning(
                "calibration.json was fitted on index %s, not on %s (%s): "
                "refit it with `.venv/bin/python -m bench.calibrate`",
                self.calibration.get("fingerprint"),
                self.version,
                self.manifest["fingerprint"],
            )
        self.titles = bm25s.BM25.load(str(version_dir / LEXICAL_TITLES))
        self._first_row: dict[str, int] = {}
        for row, entry_id in enumerate(self.passages.entry_ids):
            self._first_row.setdefault(entry_id, row)
        self._title_rows = list(self._first_row.values())  # title index row -> passage row
        phrases = [line for line in QUESTION_PHRASES.read_text("utf-8").splitlines() if not line.startswith("#")]
        self.restorer = DiacriticRestorer([*phrases, *self._restorer_texts()])

    def _restorer_texts(self) -> Iterator[str]:
        """Text to learn diacritics from: all of a small KB; of a large one, every
        entry's title and aliases plus the openings of an even sample of passages
        (learning from every word of 100k passages costs hundreds of MB)."""
        if len(self.passages) <= RESTORER_FULL_TEXT_LIMIT:
            yield from (self._lexical_text(p) for p in self.passages)
            return
        for row in self._title_rows:
            yield title_text(Passage(**self.passages[row]))
        step = len(self.passages) // RESTORER_FULL_TEXT_LIMIT + 1
        for row in range(0, len(self.passages), step):
            yield self._lexical_text(self.passages[row])[:RESTORER_CHARS_PER_PASSAGE]

    def _idf(self, term: str) -> float:
        """BM25's inverse document frequency, read from the lexical index itself."""
        token = self.lexical.vocab_dict.get(term)
        indptr = self.lexical.scores["indptr"]
        n = int(indptr[token + 1] - indptr[token]) if token is not None and token + 1 < len(indptr) else 0
        return math.log(1 + (len(self.passages) - n + 0.5) / (n + 0.5))

    @staticmethod
    def _lexical_text(passage: dict) -> str:
        return Passage(**passage).lexical_text()

    def _terms(self, text: str) -> list[str]:
        return lexical_terms(text, self.synonyms)

    def coverage(self, query_terms: list[str], passage: dict) -> float:
        """IDF-weighted share of the query's terms that occur in the passage."""
        unique = set(query_terms)
        if not unique:
            return 0.0
        present = set(self._terms(self._lexical_text(passage)))
        weights = {term: self._idf(term) for term in unique}
        return sum(w for term, w in weights.items() if term in present) / sum(weights.values())

    def confidence(self, dense_score: float, coverage: float, votes: int) -> float:
        c = self.calibration
        z = c["bias"] + c["dense"] * dense_score + c["coverage"] * coverage + c["votes"] * votes
        return 1.0 / (1.0 + math.exp(-z))

    def _dense_ranking(self, dense: faiss.Index, query_vector: np.ndarray, n: int) -> tuple[list[int], list[float]]:
        similarities, ids = dense.search(query_vector[None, :], n)
        kept = [(int(i), float(s)) for i, s in zip(ids[0], similarities[0], strict=True) if i >= 0]
        return [i for i, _ in kept], [s for _, s in kept]

    @staticmethod
    def _bm25_ranking(retriever: bm25s.BM25, terms: list[str], n: int) -> tuple[list[int], list[float]]:
        if not terms:
            return [], []
        scores = retriever.get_scores(terms)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        kept = [int(i) for i in top[np.argsort(-scores[top])] if scores[i] > 0]
        return kept, [float(scores[i]) for i in kept]

    def candidates(self, query: str) -> Candidates | None:
        """Each ranking of the query's candidate passages, before fusion."""
        query = query.strip()
        if not query:
            return None
        terms = self._terms(query)
        n = min(CANDIDATES, len(self.passages))
        folded = not has_diacritics(query)
        dense_query = self.restorer.restore(query) if folded else query
        # Restored diacritics let the model read the query; failing that, the
        # unaccented query is compared with the accent-folded passages.
        dense_folded = not has_diacritics(dense_query)
        vector = self.embedder.queries([dense_query])[0]
        titles, title_scores = self._bm25_ranking(self.titles, terms, n)
        dense_titles, dense_title_scores = self._dense_ranking(self.dense["titles", dense_folded], vector, n)
        dense_ids, dense_scores = self._dense_ranking(self.dense["passages", dense_folded], vector, n)
        dense = [self._vector_rows[dense_folded][i] for i in dense_ids]
        passages, passage_scores = self._bm25_ranking(self.lexical, terms, n)
        return Candidates(
            terms=terms,
            vector=vector,
            folded=folded,
            dense_folded=dense_folded,
            rankings={
                "dense": dense,
                "dense_titles": [self._title_rows[i] for i in dense_titles],
                "passages": passages,
                "titles": [self._title_rows[i] for i in titles],
            },
            scores={
                "dense": dense_scores,
                "dense_titles": dense_title_scores,
                "passages": passage_scores,
                "titles": title_scores,
            },
        )

    def fusion_weights(self, mode: str, folded: bool) -> dict[str, float]:
        if mode == "dense":
            return {"dense": 1.0, "dense_titles": 1.0}
        if mode == "lexical":
            return {"passages": 1.0, "titles": 1.0}
        return self.calibration["fusion"]["unaccented" if folded else "accented"]

    def dense_score(self, row: int, candidates: Candidates) -> float:
        """The query's cosine with the passage, or, for a passage without a vector,
        with the closest of its entry's passages that have one."""
        folded = candidates.dense_folded
        vectors = self._row_vectors[folded]
        rows = (
            [row]
            if row in vectors
            else [r for r in self.catalog.entries[self.passages.entry_ids[row]].rows if r in vectors]
        )
        dense = self.dense["passages", folded]
        return max(float(dense.reconstruct(vectors[r]) @ candidates.vector) for r in rows)

    def _result(self, row: int, score: float, candidates: Candidates) -> SearchResult:
        passage = self.passages[row]
        dense_score = self.dense_score(row, candidates)
        coverage = self.coverage(candidates.terms, passage)
        votes = self.votes(candidates, passage["entry_id"])
        return SearchResult(
            entry_id=passage["entry_id"],
            title=passage["title"],
            heading_path=passage["heading_path"],
            text=passage["text"],
            citation=passage["citation"],
            url=passage["url"],
            entry_type=passage["entry_type"],
            score=round(score, 6),
            dense_score=round(dense_score, 4),
            lexical_coverage=round(coverage, 4),
            votes=votes,
            confidence=round(self.confidence(dense_score, coverage, votes), 4),
            passage_id=passage["passage_id"],
        )

    def votes(self, candidates: Candidates, entry_id: str) -> int:
        """Agreement: the rankings (dense and lexical, passages and titles) whose
        first candidate belongs to the entry. Wrong tops are mostly ones that a
        single ranking carried."""
        entry_ids = self.passages.entry_ids
        return sum(bool(rows) and entry_ids[rows[0]] == entry_id for rows in candidates.rankings.values())

    def fuse(self, candidates: Candidates, weights: dict[str, float]) -> list[tuple[int, float]]:
        """Weighted reciprocal rank fusion at the level of entries, best first, each
        as (its passage that answers, score).

        Title rankings say which entry, never which passage: their share goes to the
        entry as a whole. Content rankings score passages; an entry gets the share of
        its best passage, and that passage is the one returned (its first passage
        only when no content ranking holds any of its passages).
        """
        content: dict[int, float] = {}
        for name in CONTENT_RANKINGS:
            weight = weights.get(name, 0.0)
            for rank, row in enumerate(candidates.rankings[name] if weight else ()):
                content[row] = content.get(row, 0.0) + weight / (RRF_K + rank + 1)
        entry_ids = self.passages.entry_ids
        titles: dict[str, float] = {}
        for name in TITLE_RANKINGS:
            weight = weights.get(name, 0.0)
            for rank, (row, standing) in enumerate(
                zip(candidates.rankings[name], _standing(name, candidates.scores[name]), strict=True) if weight else ()
            ):
                entry = entry_ids[row]
                titles[entry] = titles.get(entry, 0.0) + weight * standing / (RRF_K + rank + 1)
        best: dict[str, tuple[int, float]] = {}
        for row, score in content.items():
            entry = entry_ids[row]
            if entry not in best or (score, -row) > (best[entry][1], -best[entry][0]):
                best[entry] = (row, score)
        fused = []
        for entry in best.keys() | titles.keys():
            row, score = best.get(entry, (self._first_row[entry], 0.0))
            fused.append((row, score + titles.get(entry, 0.0)))
        return sorted(fused, key=lambda item: (-item[1], item[0]))

    def rank(self, candidates: Candidates, k: int, weights: dict[str, float]) -> list[SearchResult]:
        """The ``k`` best entries, each with the passage that answers."""
        return [self._result(row, score, candidates) for row, score in self.fuse(candidates, weights)[:k]]

    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> list[SearchResult]:
        """Best passages for ``query``, at most one per entry, best first."""
        candidates = self.candidates(query)
        if candidates is None:
            return []
        return self.rank(candidates, k, self.fusion_weights(mode, candidates.folded))

    def best_in_entry(self, query: str, entry_id: str) -> SearchResult | None:
        """The passage of one entry that best answers ``query`` (after the user
        picked the entry from a clarification); its first passage if none ranks."""
        entry = self.catalog.entries[entry_id]
        rows = entry.rows
        candidates = self.candidates(query or entry.title)
        if candidates is None or not rows:
            return None
        allowed = set(rows)
        ranked = [
            (row, score)
            for row, score in self.fuse(candidates, self.fusion_weights("hybrid", candidates.folded))
            if row in allowed
        ]
        row, score = ranked[0] if ranked else (rows[0], 0.0)
        return self._result(row, score, candidates)

    @cached_property
    def catalog(self) -> Catalog:
        return catalog_from_passages(self.passages, self.synonyms)


def open_published(index_dir: Path, embedder: Embedder, calibration: dict | None = None) -> SearchIndex:
    """The version CURRENT points at; a clear error when nothing was built yet."""
    version = current_version(index_dir)
    if version is None:
        raise FileNotFoundError(f"no published index in {index_dir}: run `python -m knowledge build`")
    return SearchIndex(index_dir / version, embedder, calibration)
