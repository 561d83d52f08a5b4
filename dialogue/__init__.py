"""What the assistant says in a turn: the contract with Rasa, the reply steps and the texts.

Layers, from the top: channels and actions -> dialogue -> feedback store -> knowledge.
"""
