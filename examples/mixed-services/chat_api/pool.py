class ConnectionPool:
    pass
