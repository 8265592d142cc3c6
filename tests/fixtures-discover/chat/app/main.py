"""Entry point."""
from app.config import Settings
from app.websocket import factory


def main() -> None:
    settings = Settings()
    factory.get_websocket_manager_factory()(settings)
