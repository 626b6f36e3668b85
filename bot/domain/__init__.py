"""Pure rules of the product: no Telegram, no SQL."""
