"""Wish wall rules (心愿征集墙): how many wishes one resident may have waiting."""

from __future__ import annotations

# Wishes one resident may have waiting for a secretary at once: a burst of /wish never
# floods the secretaries' review (another waits until one of these is decided).
MAX_PENDING_WISHES = 3
