"""Data analysis agents."""
