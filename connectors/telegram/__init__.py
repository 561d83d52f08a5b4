"""Telegram channel: a bridge between the Telegram Bot API and Rasa's REST channel."""
