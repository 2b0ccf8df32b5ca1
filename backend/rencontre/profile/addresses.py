"""Web addresses people type: made absolute, and never anything but http(s)."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

_HANDLE = re.compile(r"^[\w-]{2,100}$")


@functools.lru_cache(maxsize=4096)  # every card shown runs this; the same few addresses come back
def web_address(value: str, *, bare_handle_prefix: str | None = None) -> str | None:
    """``https://…`` for "example.org/x" or "https://example.org"; None if it is no web address.

    A ``javascript:`` or ``data:`` address never reaches another attendee's screen.
    """
    value = value.strip()
    if not value:
        return None
    if bare_handle_prefix and _HANDLE.match(value):
        return bare_handle_prefix + value
    if "://" not in value:
        if ":" in value.split("/", 1)[0] and not re.match(r"^[^:/]+:\d+(/|$)", value):
            return None
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        return None
    if any(c.isspace() for c in value):
        return None
    return value
