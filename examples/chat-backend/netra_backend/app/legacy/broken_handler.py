"""Half-finished port of the v0 message handler.

DELIBERATE SYNTAX ERROR: the missing colon after handle_legacy_message(...) below is on purpose,
so that the demo shows ssot-lint's syntax-error warning. The rest of the file is still linted:
the import above the error and the call below it are reported too.
"""

import netra_backend.app.websocket_core.websocket_manager_factory as legacy_factory  # expect: deprecated-module


def handle_legacy_message(message: dict)  # expect: syntax-error
    return message["payload"]


async def replay(context, events: list) -> None:
    for event in events:
        await context.websocket_manager.send_event(event["type"], event["data"])  # expect: banned-pattern
