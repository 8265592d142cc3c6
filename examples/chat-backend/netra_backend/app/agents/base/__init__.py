"""Execution strategies shared by all agents."""
