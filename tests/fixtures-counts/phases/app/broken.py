def broken(:  # expect: syntax-error
    pass
