# a copy of the manager from before the migration
class UnifiedWebSocketManager:
    pass
