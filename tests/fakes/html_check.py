"""Telegram's HTML parse mode, checked the way the Bot API does (the errors it answers with)."""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


def _offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_html(text: str) -> tuple[str, str | None]:
    """(plain text, None) when ``text`` is valid Telegram HTML, else (text, error description)."""
    plain: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG.match(text, i)
            if match is None:
                return text, (
                    "Bad Request: can't parse entities: Unexpected character"
                    f' "<" at byte offset {_offset(text, i)}'
                )
            closing, name = match.group(1), match.group(2).lower()
            if name not in ALLOWED_TAGS:
                kind = "end" if closing else "start"
                return text, (
                    f"Bad Request: can't parse entities: Unsupported {kind} tag"
                    f' "{name}" at byte offset {_offset(text, i)}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    expected = f'"</{stack[-1]}>"' if stack else "none"
                    return text, (
                        "Bad Request: can't parse entities: Unmatched end tag at byte offset"
                        f' {_offset(text, i)}, expected {expected}, found "</{name}>"'
                    )
                stack.pop()
            else:
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                # stricter than Telegram, which may keep a lone "&": the docs require escaping
                return text, (
                    "Bad Request: can't parse entities: Character '&' is reserved and must be"
                    f" escaped at byte offset {_offset(text, i)}"
                )
            plain.append(html.unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            plain.append(">")
            i += 1
        else:
            plain.append(char)
            i += 1
    if stack:
        return text, (
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag"
            f' "{stack[-1]}"'
        )
    return "".join(plain), None
