"""Read-only access to an index version's passages without holding them all in memory.

At 100,000 passages the texts alone take hundreds of megabytes as Python
objects; the search needs only the few it returns. The JSON Lines file is
memory-mapped and each passage is parsed when asked for.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterator
from pathlib import Path

import numpy as np


class PassageStore:
    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        offsets = [0]
        entry_ids: list[str] = []
        for line in iter(self._map.readline, b""):
            offsets.append(offsets[-1] + len(line))
            entry_ids.append(json.loads(line)["entry_id"])
        self._offsets = np.array(offsets, dtype=np.int64)
        self.entry_ids = entry_ids  # row -> entry id (needed for every candidate)

    def __len__(self) -> int:
        return len(self.entry_ids)

    def __getitem__(self, row: int) -> dict:
        return json.loads(self._map[self._offsets[row] : self._offsets[row + 1]])

    def __iter__(self) -> Iterator[dict]:
        return (self[row] for row in range(len(self)))

    def close(self) -> None:
        self._map.close()
        self._file.close()
