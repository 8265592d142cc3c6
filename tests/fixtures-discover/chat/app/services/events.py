from app.config.settings import Settings


class SessionManager:
    pass


with open(__file__) as _source:
    def format_event(event):
        return repr(event)
