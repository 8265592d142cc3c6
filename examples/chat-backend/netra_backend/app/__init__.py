"""Application package: WebSocket core, services, agents and routes."""
