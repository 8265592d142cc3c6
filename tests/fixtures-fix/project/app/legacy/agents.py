class AgentRegistry:
    """Still lives here until the migration moves it."""
