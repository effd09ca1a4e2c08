"""What the services agree on: the events and who listens to them, the session fold, the interview
document, consistency tokens, the text requests accept. Pydantic only: nothing here imports the broker,
HTTP or a database (tests/unit/test_layers.py)."""
