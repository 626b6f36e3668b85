"""The one way out: messages the bot sends on its own are outbox rows; one sender sends them."""
