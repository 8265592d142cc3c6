"""A deprecated module: its registry symbols move, the rest stays (and is still reported)."""
from app.websocket_core.websocket_manager_factory import UnifiedWebSocketManager, get_websocket_manager_factory
from app.websocket_core.websocket_manager_factory import UserExecutionContext as Ctx
import app.websocket_core.websocket_manager_factory as factory_module
