"""The embeddable web chat widget and its Rasa channel (see channel.py)."""
