"""Agents that answer a user's chat message."""
