"""Triage: language, intent, urgency, sentiment and frustration, missing information.

Each part returns a typed result with its reasons, so a ticket arrives already
classified and prioritised and an agent can see why.
"""
