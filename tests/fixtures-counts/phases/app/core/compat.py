"""A tolerated re-export of Manager."""
from app.core.manager import Manager

__all__ = ["Manager"]
