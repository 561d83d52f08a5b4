"""Settings of the knowledge service, read from the environment.

Defaults keep everything inside the repository (``var/``) so ``make run``
works with no configuration; ``.env.example`` documents each variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

REPO_ROOT = Path(__file__).resolve().parent.parent


def _path(name: str, default: str) -> Path:
    value = Path(os.environ.get(name, default))
    return value if value.is_absolute() else REPO_ROOT / value


@dataclass(frozen=True)
class KnowledgeSettings:
    content_dir: Path
    index_dir: Path
    embedding_model: str
    min_confidence: float
    # Who a person can turn to when the assistant cannot help (shown to users).
    support_office: str
    support_phone: str
    support_hours: str

    @classmethod
    def from_env(cls) -> KnowledgeSettings:
        load_dotenv(REPO_ROOT / ".env", override=False)
        model = os.environ.get("EMBEDDING_MODEL", "var/models/multilingual-e5-small")
        looks_like_path = model.startswith((".", "/")) or model.startswith("var/")
        return cls(
            content_dir=_path("KNOWLEDGE_CONTENT_DIR", "knowledge/content"),
            index_dir=_path("KNOWLEDGE_INDEX_DIR", "var/index"),
            embedding_model=str(_path("EMBEDDING_MODEL", model)) if looks_like_path else model,
            min_confidence=float(os.environ.get("ANSWER_MIN_CONFIDENCE", "0.5")),
            support_office=os.environ.get(
                "SUPPORT_OFFICE", "Bộ phận Một cửa của Ủy ban nhân dân cấp xã nơi bạn cư trú"
            ),
            support_phone=os.environ.get("SUPPORT_PHONE", "18001096 (Tổng đài hỗ trợ Cổng Dịch vụ công quốc gia)"),
            support_hours=os.environ.get("SUPPORT_HOURS", "trong giờ hành chính các ngày làm việc"),
        )
