"""``python -m dealgraph``: the command line."""

from .cli import app

app()
