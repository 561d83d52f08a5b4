"""Rasa SDK actions. Kept thin: the logic lives in ``knowledge/``."""
