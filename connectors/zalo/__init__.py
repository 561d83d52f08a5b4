"""Zalo-style channel: a Zalo Official Account webhook bridged to Rasa's REST channel."""
