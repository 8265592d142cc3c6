"""The canonical home of AgentRegistry; the class still lives in app.legacy for now."""
from app.legacy.agents import AgentRegistry  # re-exported until the class body moves here
