"""The one home of user identifiers in the Python service."""


class UserId(str):
    pass
