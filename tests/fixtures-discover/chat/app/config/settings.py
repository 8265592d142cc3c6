class Settings:
    debug = False
