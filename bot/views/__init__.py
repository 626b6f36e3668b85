"""How things look: texts and keyboards shared by handlers, jobs and the outbox."""
