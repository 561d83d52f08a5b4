"""Channels that bring the assistant to citizens (loaded by the Rasa server)."""
