"""Netra chat backend (ssot-lint demo project)."""
