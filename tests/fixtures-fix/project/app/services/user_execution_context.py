class UserExecutionContext:
    """Per-user isolation."""
