"""Scheduled jobs: each a plain async function of (application, at), run by the JobQueue
and by ``python -m bot run-job NAME --at ISO`` through the same code path."""
