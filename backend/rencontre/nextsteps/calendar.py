"""The agreed step as an iCalendar file (RFC 5545), for either person's own calendar.

One file per step and reader: the UID is the step's (stable across changes), the
SEQUENCE its version (it only grows), so a calendar that imported the step updates
it rather than adding a second one, and a cancellation (METHOD:CANCEL, STATUS:CANCELLED)
removes it. Times are written in UTC; the summary is in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from rencontre.kit.time import as_utc
from rencontre.models import NextStepKind
from rencontre.profile.schemas import Language

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODUCT_ID = "-//Rencontre//Next step//EN"

_SUMMARY: dict[Language, dict[NextStepKind, str]] = {
    "fr": {NextStepKind.coffee: "Café avec {name}", NextStepKind.call: "Appel avec {name}"},
    "en": {NextStepKind.coffee: "Coffee with {name}", NextStepKind.call: "Call with {name}"},
}
_AGREED_ON: dict[Language, str] = {
    "fr": "Convenu sur Rencontre après « {event} ».",
    "en": "Agreed on Rencontre after “{event}”.",
}


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    sequence: int
    cancelled: bool
    kind: NextStepKind
    starts_at: datetime
    duration_minutes: int
    place: str
    link: str
    message: str
    other_name: str
    event_name: str
    stamped_at: datetime
    language: Language


def uid_of(step_id: object, public_base_url: str) -> str:
    """Globally unique and stable: the step's id at the deployment's host."""
    return f"next-step-{step_id}@{urlsplit(public_base_url).hostname or 'rencontre'}"


def summary(kind: NextStepKind, other_name: str, language: Language) -> str:
    return _SUMMARY[language][kind].format(name=other_name)


def ics(entry: CalendarEntry) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if entry.cancelled else "PUBLISH")
    event = CalendarEvent()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", as_utc(entry.stamped_at))
    starts = as_utc(entry.starts_at)
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=entry.duration_minutes))
    event.add("summary", summary(entry.kind, entry.other_name, entry.language))
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    if entry.place:
        event.add("location", entry.place)
    if entry.link:
        event.add("url", entry.link)
    lines = [entry.message] if entry.message else []
    if entry.link:
        lines.append(entry.link)
    lines.append(_AGREED_ON[entry.language].format(event=entry.event_name))
    event.add("description", "\n\n".join(lines))
    calendar.add_component(event)
    body: bytes = calendar.to_ical()
    return body
