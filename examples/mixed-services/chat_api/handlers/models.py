from chat_api.ids import UserId

__all__ = ["UserId"]
