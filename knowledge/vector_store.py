"""A content-addressed store of embeddings that outlives index versions and clones.

Embedding the national catalogue takes minutes; the same text with the same model
always gives the same vector, so vectors are kept by (embedding space, text hash)
in one SQLite file outside the clone (``EMBEDDING_CACHE``, default
``~/.cache/tro-ly-cchc/embeddings.sqlite3``). A fresh clone, a CI run or a test
index then embeds only what no build on this machine has embedded before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (space TEXT, key TEXT, vector BLOB, PRIMARY KEY (space, key))"
_BATCH = 500  # keys per SELECT (SQLite's parameter limit is 999 on old builds)


class VectorStore:
    def __init__(self, path: Path, space: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.space = space
        self._db = sqlite3.connect(str(path), timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def get(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(keys)
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), _BATCH):
            batch = keys[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE space = ? AND key IN ({marks})",
                [self.space, *batch],
            )
            found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
        return found

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (space, key, vector) VALUES (?, ?, ?)",
                [(self.space, key, np.asarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()],
            )

    def close(self) -> None:
        self._db.close()
