"""Deprecated: use chat_api.events."""


def emit(name, payload):
    return (name, payload)
