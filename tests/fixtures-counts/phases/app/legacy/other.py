"""A competing manager and its factory (phase 4: reported as warnings at phase 2)."""


class OtherManager:  # expect: duplicate-class
    pass


def make_manager():  # expect: competing-factory
    return OtherManager()


def use():
    return make_manager()  # expect: deprecated-factory-call
