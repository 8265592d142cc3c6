"""WebSocket core: connections, per-user managers and event delivery.

The package re-exports the canonical manager for convenience, but the SSOT registry wants
callers to import it from ``unified_manager`` itself (see routes/websocket_routes.py).
"""

from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager

__all__ = ["UnifiedWebSocketManager"]
