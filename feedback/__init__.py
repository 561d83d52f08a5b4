"""Satisfaction feedback, unanswered questions and handoff requests: storage and reports."""
