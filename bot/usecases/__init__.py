"""Use cases: one plain async function per user action or job step.

Each authorizes, applies the domain rule and writes in one transaction, together with the
outbox rows of the messages the change causes; it returns a result the caller renders.
"""
