"""CRLF line endings survive the removal."""
# ssot: ignore-file -- nothing here needs it
x = 1  # ssot: ignore
y = 2
