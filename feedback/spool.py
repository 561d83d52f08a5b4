"""A local queue of writes the database could not take.

When the database is briefly unavailable (restarting, network blip, a locked
SQLite file), a rating must not be lost: the write is appended to a JSON Lines
file and replayed, in order, before the next write that reaches the database.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

Operation = dict[str, Any]


class Spool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, operation: Operation) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(operation, ensure_ascii=False, default=str) + "\n")

    def pending(self) -> list[Operation]:
        with self._lock:
            return self._read()

    def _read(self) -> list[Operation]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def replay(self, apply: Callable[[Operation], None]) -> int:
        """Apply queued operations in order; keep those after the first failure."""
        with self._lock:
            operations = self._read()
            done = 0
            try:
                for operation in operations:
                    apply(operation)
                    done += 1
            finally:
                rest = operations[done:]
                if rest:
                    self.path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in rest), "utf-8")
                elif self.path.exists():
                    self.path.unlink()
            return done
