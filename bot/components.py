"""Custom Rasa NLU components for this assistant."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

_WORD = re.compile(r"\w")
FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NoWordsClassifier(GraphComponent):
    """A message with no letters or digits (empty, only emoji or punctuation)
    carries no intent; DIET would still pick one, often with high confidence.
    Such messages go to the fallback, whose action asks for a question in words."""

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
            text = message.get("text") or ""
            if text.startswith("/") or _WORD.search(text):
                continue
            message.set("intent", {"name": FALLBACK, "confidence": 1.0}, add_to_output=True)
            message.set("intent_ranking", [{"name": FALLBACK, "confidence": 1.0}], add_to_output=True)
            message.set("entities", [], add_to_output=True)
        return messages
