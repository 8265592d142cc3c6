"""Linted with the TOML converted from ../SSOT_IMPORT_REGISTRY.md (see tests/registry_import.rs)."""
from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager
from netra_backend.app.websocket_core import UnifiedWebSocketManager as Compat  # expect: compat-import
from netra_backend.app.agents.execution_engine import ExecutionEngine  # expect: deprecated-module, non-canonical-import
from netra_backend.app.config import get_config
from netra_backend.app.core.config import get_config as old_config  # expect: deprecated-module, non-canonical-import
from shared.types.execution_types import UserExecutionContext  # expect: non-canonical-import
from shared.logging import get_logger  # expect: non-canonical-import
import netra_backend.app.websocket_core.legacy_events  # expect: deprecated-module
from test_framework.base import SSotBaseTestCase  # expect: compat-import
from auth_service.auth_core.legacy_session import SessionManager  # expect: deprecated-module, non-canonical-import
from analytics_service.analytics_core.models.events import AnalyticsEvent, EventBatch
from test_framework.legacy_fixtures import real_postgres_connection
