"""What a notification says, in French and English (the phone shows it as given)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from rencontre.contacts.messages import long_date

Lang = Literal["fr", "en"]

FOLLOW_UP_URL = "/contacts?follow_up=todo"
MY_DATA_URL = "/my-data"


def language(*choices: str) -> Lang:
    for choice in choices:
        if choice in ("fr", "en"):
            return choice  # type: ignore[return-value]
    return "fr"


def follow_up(lang: Lang, *, count: int, hours_left: int, event_name: str) -> dict[str, str]:
    if lang == "fr":
        what = "1 contact à relancer" if count == 1 else f"{count} contacts à relancer"
        left = f"il reste {hours_left} h" if hours_left >= 1 else "il reste moins d'1 h"
        body = f"{what} — {left}"
    else:
        what = "1 contact to follow up" if count == 1 else f"{count} contacts to follow up"
        left = f"{hours_left} h left" if hours_left >= 1 else "less than 1 h left"
        body = f"{what} — {left}"
    return {"kind": "follow_up", "title": event_name, "body": body, "url": FOLLOW_UP_URL, "tag": "follow-up"}


def retention_warning(lang: Lang, *, purge_at: datetime, event_name: str) -> dict[str, str]:
    when = long_date(purge_at.date(), lang)
    if lang == "fr":
        body = f"Vos contacts et vos notes seront effacés le {when}. Gardez ceux qui comptent."
    else:
        body = f"Your contacts and notes will be erased on {when}. Keep the ones that matter."
    return {"kind": "retention", "title": event_name, "body": body, "url": MY_DATA_URL, "tag": "retention"}
