"""Restore Vietnamese diacritics in a query, learnt from the knowledge base's own text.

The embedding model understands "làm giấy khai sinh ở đâu" but not "lam giay
khai sinh o dau". Each unaccented syllable has few accented forms in the
knowledge base, so a syllable bigram model over the KB text with a Viterbi
search picks the likeliest accented sentence; the dense search then embeds
that instead of the unaccented text.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from knowledge.text import fold_accents

_WORD = re.compile(r"\w+", re.UNICODE)
START = "<s>"


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class DiacriticRestorer:
    def __init__(self, texts: Iterable[str], smoothing: float = 0.1) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        self.forms: dict[str, set[str]] = defaultdict(set)
        for text in texts:
            previous = START
            for word in words(text):
                self.unigrams[word] += 1
                self.bigrams[previous, word] += 1
                self.forms[fold_accents(word)].add(word)
                previous = word
        self.unigrams[START] = max(1, sum(1 for _ in self.bigrams))
        self.total = sum(self.unigrams.values())
        self.vocabulary = len(self.unigrams)
        self.smoothing = smoothing

    def _log_probability(self, previous: str, word: str) -> float:
        unigram = (self.unigrams[word] + self.smoothing) / (self.total + self.smoothing * self.vocabulary)
        bigram = self.bigrams[previous, word]
        context = self.unigrams[previous]
        # interpolate the bigram estimate with the unigram back-off
        return math.log(0.7 * (bigram / context if context else 0.0) + 0.3 * unigram)

    def restore(self, text: str) -> str:
        """The likeliest accented form of ``text``; unknown words stay as typed."""
        tokens = words(text)
        if not tokens:
            return text
        # Viterbi over the accented forms of each folded token.
        paths: dict[str, tuple[float, list[str]]] = {START: (0.0, [])}
        for token in tokens:
            candidates = self.forms.get(fold_accents(token)) if token == fold_accents(token) else None
            options = sorted(candidates) if candidates else [token]
            step: dict[str, tuple[float, list[str]]] = {}
            for option in options:
                step[option] = max(
                    (score + self._log_probability(prev, option), [*path, option])
                    for prev, (score, path) in paths.items()
                )
            paths = step
        return " ".join(max(paths.values())[1])
