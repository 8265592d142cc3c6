"""Deprecated factory module."""
from app.services.user_execution_context import UserExecutionContext
from app.websocket_core.unified_manager import UnifiedWebSocketManager


def get_websocket_manager_factory():
    return UnifiedWebSocketManager
