"""Telegram handlers, one module per feature, each with ``register(app)``."""
