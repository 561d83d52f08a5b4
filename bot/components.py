"""Custom Rasa NLU components for this assistant."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from knowledge.text import fold_accents

_WORD = re.compile(r"\w")
FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NoWordsClassifier(GraphComponent):
    """Messages that carry no intent go to the fallback instead of DIET's guess
    (often a confident one): no letters or digits (empty, only emoji or
    punctuation), whose action asks for a question in words; and button payloads
    ("/intent{...}"), which Rasa's RegexMessageHandler, running after every
    component, replaces with their intent when that intent exists; an unknown
    one stays a fallback, whose action says the button is no longer valid."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NoWordsClassifier:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = (message.get("text") or "").strip()
            if _WORD.search(text) and not text.startswith("/"):
                continue
            message.set("intent", {"name": FALLBACK, "confidence": 1.0}, add_to_output=True)
            message.set("intent_ranking", [{"name": FALLBACK, "confidence": 1.0}], add_to_output=True)
            message.set("entities", [], add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class VietnameseTokenizer(WhitespaceTokenizer):
    """Syllable tokens (Vietnamese writes one syllable per space-separated
    word), accent-folded: "Đăng ký" and "dang ky" get the same features, so
    an example learnt with diacritics also covers the same words typed without.
    Token offsets stay those of the original text, so entity values keep the
    user's own spelling."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        return [
            Token(fold_accents(token.text), token.start, token.end, data=token.data)
            for token in super().tokenize(message, attribute)
        ]
