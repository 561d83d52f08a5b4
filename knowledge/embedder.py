"""Sentence embeddings with the e5 "query: " / "passage: " convention."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# Tokens the model reads of a text. Passages are cut at 1,200 characters (about
# 300 tokens); reading 256 instead of 512 leaves short texts' vectors unchanged
# (cosine 0.998 on average over catalogue passages, bench/results/index_build.md)
# and embeds 40 % faster.
MAX_TOKENS = 256


def embedding_space(model_name: str) -> str:
    """What a stored vector depends on besides its text: the model and how much it reads."""
    return f"{Path(model_name).name}@{MAX_TOKENS}"


class Embedder:
    """Thin wrapper around a sentence-transformers model loaded offline."""

    def __init__(self, model_name_or_path: str, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # the unused pooler weights are reported as missing
        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(model_name_or_path, device="cpu")
        self.model.max_seq_length = min(self.model.max_seq_length or MAX_TOKENS, MAX_TOKENS)
        self.name = model_name_or_path
        self.batch_size = batch_size
        self.dimension = int(self.model.get_embedding_dimension())
        prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None

    def _encode(self, texts: list[str], prompt_name: str | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            prompt_name=prompt_name,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt)

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prompt)
