"""Text helpers shared by validation and search."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_line(value: str) -> str:
    """One line of user text: NFC, control characters removed, spaces collapsed."""
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL.sub("", value).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return " ".join(value.split())


def non_blank_line(value: str) -> str:
    """``clean_line``, refusing text that is left empty (a validator for names and titles)."""
    value = clean_line(value)
    if not value:
        raise ValueError("must not be blank")
    return value


def clean_text(value: str) -> str:
    """Multi-line user text (a note): NFC, control characters removed, CRLF → LF."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


def fold(value: str) -> str:
    """Accent- and case-insensitive search key: "Zoé" and "ZOE" both fold to "zoe"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(value: str, *, max_length: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")
    return slug[:max_length].strip("-") or "event"
