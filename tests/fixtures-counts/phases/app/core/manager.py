"""The canonical home of Manager."""


class Manager:
    @classmethod
    def create(cls):
        return cls()
