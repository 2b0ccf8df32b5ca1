"""Follow-up drafts in French and English, and the ``mailto:`` link that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from rencontre.contacts.schemas import FollowUpKind
from rencontre.kit.text import clean_line
from rencontre.profile.schemas import Language

NOTE_EXCERPT_LENGTH = 300

_MONTHS: dict[Language, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

_GREETING: dict[Language, tuple[str, str]] = {
    "fr": ("Bonjour {name},", "Bonjour,"),
    "en": ("Hello {name},", "Hello,"),
}
_CONTEXT: dict[Language, str] = {
    "fr": "Pour mémoire, nous avions évoqué : {note}",
    "en": "As a reminder, we talked about: {note}",
}

# (subject, opening, request, sign-off) for each kind.
_TEMPLATES: dict[Language, dict[FollowUpKind, tuple[str, str, str, str]]] = {
    "fr": {
        "message": (
            "Suite à notre rencontre à {event}",
            "Merci pour notre échange à {event}, le {date}.",
            "Ce serait un plaisir de poursuivre la conversation.",
            "Bien cordialement,",
        ),
        "coffee": (
            "Un café après {event} ?",
            "J'ai apprécié notre échange à {event}, le {date}.",
            "Auriez-vous un moment pour un café dans les prochains jours ? Dites-moi ce qui vous arrange.",
            "À bientôt,",
        ),
        "resource": (
            "La ressource promise — {event}",
            "Comme promis lors de notre échange à {event}, le {date}, "
            "voici la ressource dont nous avons parlé :",
            "[lien ou pièce jointe]",
            "Bonne lecture,",
        ),
    },
    "en": {
        "message": (
            "Following up on {event}",
            "Thank you for our conversation at {event} on {date}.",
            "I would be glad to continue the conversation.",
            "Best regards,",
        ),
        "coffee": (
            "Coffee after {event}?",
            "I enjoyed our conversation at {event} on {date}.",
            "Would you have time for a coffee in the coming days? Let me know what suits you.",
            "See you soon,",
        ),
        "resource": (
            "The resource I promised — {event}",
            "As promised when we spoke at {event} on {date}, here is the resource we talked about:",
            "[link or attachment]",
            "Enjoy,",
        ),
    },
}


@dataclass(frozen=True)
class FollowUpContext:
    kind: FollowUpKind
    language: Language
    event_name: str
    met_on: date
    note: str
    sender_name: str
    recipient_name: str = ""


def long_date(day: date, language: Language) -> str:
    month = _MONTHS[language][day.month - 1]
    if language == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else ""


def note_excerpt(note: str, *, length: int = NOTE_EXCERPT_LENGTH) -> str:
    """The note as one line, cut on a word boundary so a mail link stays short."""
    line = clean_line(note)
    if len(line) <= length:
        return line
    cut = line[:length].rsplit(" ", 1)[0] or line[:length]
    return cut.rstrip(" ,;:.") + "…"


def draft(context: FollowUpContext) -> tuple[str, str]:
    """The subject and body of a follow-up message (lines joined by LF)."""
    subject, opening, request, sign_off = _TEMPLATES[context.language][context.kind]
    values = {"event": context.event_name, "date": long_date(context.met_on, context.language)}
    named, anonymous = _GREETING[context.language]
    recipient = first_name(context.recipient_name)
    paragraphs = [named.format(name=recipient) if recipient else anonymous, opening.format(**values)]
    excerpt = note_excerpt(context.note)
    if excerpt:
        paragraphs.append(_CONTEXT[context.language].format(note=excerpt))
    paragraphs.append(request)
    body = "\n\n".join(paragraphs) + f"\n\n{sign_off}\n{context.sender_name}".rstrip()
    return subject.format(**values), body


def mailto(address: str | None, subject: str, body: str) -> str:
    """RFC 6068 link: every reserved character escaped, line breaks as CRLF."""
    recipient = quote(address, safe="@") if address else ""
    crlf_body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{recipient}?subject={quote(subject, safe='')}&body={quote(crlf_body, safe='')}"
