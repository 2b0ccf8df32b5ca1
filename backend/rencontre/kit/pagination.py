"""Opaque cursors for keyset pagination."""

from __future__ import annotations

import base64
import json
from typing import Any

from rencontre.errors import BadRequest


class InvalidCursor(BadRequest):
    def __init__(self) -> None:
        super().__init__("The cursor is malformed or comes from another listing; start again without it.")


def encode_cursor(values: dict[str, Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: tuple[str, ...]) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(values, dict) or set(values) != set(keys):
        raise InvalidCursor()
    # Ours or forged: a NUL byte, which no stored text holds (PostgreSQL refuses it), says forged.
    if any(isinstance(value, str) and "\x00" in value for value in values.values()):
        raise InvalidCursor()
    return values
