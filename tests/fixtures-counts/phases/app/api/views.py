"""Call sites: one compat import, one non-canonical import, two raw sends, one suppressed."""
from app.core.compat import Manager  # expect: compat-import
from app.api.helpers import Manager as HelperManager  # expect: non-canonical-import


def unrelated(value):
    doubled = value * 2
    return doubled


def handle(client, conn):
    client.send_raw(b"hello")  # expect: banned-pattern
    client.send_raw(b"hello")  # expect: banned-pattern
    conn.send_raw(b"bye")  # ssot: ignore
    return Manager, HelperManager
