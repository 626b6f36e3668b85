"""Telegram's limits on what one message may hold, and texts cut to fit them."""

from __future__ import annotations

import re

MESSAGE_LIMIT = 4096  # characters of text after entity parsing
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64

# A cut never falls inside an HTML tag or an entity such as &amp;.
_UNSAFE_TAIL = re.compile(r"(<[^>]*|&[#a-zA-Z0-9]*)$")
_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")


def _safe_cut(text: str, limit: int) -> int:
    """The longest prefix length ≤ limit that does not end inside a tag or an entity."""
    cut = limit
    tail = _UNSAFE_TAIL.search(text[:cut])
    if tail is not None:
        cut = tail.start()
    return max(cut, 1)


def _balanced(chunk: str) -> bool:
    open_tags: list[str] = []
    for closing, name in _TAG.findall(chunk):
        if not closing:
            open_tags.append(name)
        elif open_tags and open_tags[-1] == name:
            open_tags.pop()
        else:
            return False
    return not open_tags


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` as messages of at most ``limit`` characters, cut between lines where it can.

    A single line longer than the limit is cut inside, never inside a tag or an entity; if
    a cut would leave a tag open, its markup is dropped from that line (it stays readable).
    """
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if not _balanced(line):
                line = _TAG.sub("", line)
                continue
            cut = _safe_cut(line, limit)
            piece = line[:cut]
            if not _balanced(piece):
                line = _TAG.sub("", line)
                continue
            if current:
                chunks.append(current)
                current = ""
            chunks.append(piece)
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, never inside a tag or entity."""
    if len(text) <= limit:
        return text
    plain = text if _balanced(text) else _TAG.sub("", text)
    if len(plain) <= limit:
        return plain
    cut = _safe_cut(plain, limit - 1)
    piece = plain[:cut]
    if not _balanced(piece):
        piece = _TAG.sub("", piece)
    return piece + "…"


NAMES_BUDGET = 1500  # characters of names in one message: room for the rest of it


def names_within(
    names: list[str], budget: int = NAMES_BUDGET, separator: str = "、"
) -> tuple[str, int]:
    """As many of ``names`` as fit in ``budget`` characters, joined; and how many were left
    out (the complete list goes in a file or a page of its own)."""
    shown: list[str] = []
    used = 0
    for name in names:
        cost = len(name) + (len(separator) if shown else 0)
        if used + cost > budget:
            break
        shown.append(name)
        used += cost
    return separator.join(shown), len(names) - len(shown)
