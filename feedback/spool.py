"""A local queue of writes the database could not take.

When the database is briefly unavailable (restarting, network blip, a locked
SQLite file), a rating must not be lost: the write is appended to a JSON Lines
file and replayed, in order, before the next write that reaches the database.
A write that fails for any other reason (a poison entry) is moved to a
dead-letter file and logged, so it never blocks the writes behind it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

Operation = dict[str, Any]
log = logging.getLogger(__name__)


def _lines(operations: list[Operation]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False, default=str) + "\n" for o in operations)


class Spool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.dead_letters = path.with_name(path.stem + ".dead.jsonl")
        self._lock = threading.Lock()

    def append(self, operation: Operation) -> None:
        with self._lock:
            self._append(self.path, operation)

    @staticmethod
    def _append(path: Path, operation: Operation) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(_lines([operation]))

    def pending(self) -> list[Operation]:
        with self._lock:
            return self._read()

    def _read(self) -> list[Operation]:
        if not self.path.exists():
            return []
        operations = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                operations.append(json.loads(line))
            except ValueError:  # a torn line (crash mid-write): keep it for a person, skip it here
                log.error("feedback spool line %d is not JSON; moved to %s", number, self.dead_letters)
                self._append(self.dead_letters, {"unreadable_line": line})
        return operations

    def replay(self, apply: Callable[[Operation], object], retry_later: tuple[type[BaseException], ...]) -> int:
        """Apply queued operations in order. An error in ``retry_later`` (the
        database is away again) stops the replay and keeps the rest; any other
        error sends that operation to the dead-letter file and goes on."""
        with self._lock:
            operations = self._read()
            done = 0
            try:
                for operation in operations:
                    try:
                        apply(operation)
                    except retry_later:
                        raise
                    except Exception as error:
                        log.error(
                            "feedback write %s cannot be applied (%s); moved to %s",
                            operation.get("op"),
                            error,
                            self.dead_letters,
                        )
                        self._append(self.dead_letters, {**operation, "error": repr(error)[:500]})
                    done += 1
            finally:
                rest = operations[done:]
                if rest:
                    self.path.write_text(_lines(rest), "utf-8")
                elif self.path.exists():
                    self.path.unlink()
            return done
