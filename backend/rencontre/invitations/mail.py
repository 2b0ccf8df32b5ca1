"""The invitation e-mail: subject, text and HTML in the attendee's language, and the join QR.

The QR code travels inside the message as an inline PNG (``cid:``): mail clients block
remote images, and a phone at the door may have no network worth the name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape
from typing import Literal
from zoneinfo import ZoneInfo

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from rencontre.models import Attendee, Event

Language = Literal["fr", "en"]

_TEXTS: dict[Language, dict[str, str]] = {
    "fr": {
        "subject": "Votre invitation à {event}",
        "greeting": "Bonjour {name},",
        "intro": "Vous êtes attendu·e à {event}{when}{where}.",
        "when": " le {date} à {time}",
        "where": ", {venue}",
        "action": "Ouvrez ce lien sur votre téléphone pour rejoindre l'événement dans Rencontre :",
        "qr": "À l'entrée, vous pouvez aussi scanner ce code avec l'appareil photo de votre téléphone.",
        "once": "Ce lien est personnel et ne fonctionne qu'une fois : ne le transférez pas.",
        "button": "Rejoindre l'événement",
        "qr_alt": "Code QR de votre lien personnel",
    },
    "en": {
        "subject": "Your invitation to {event}",
        "greeting": "Hello {name},",
        "intro": "You are expected at {event}{when}{where}.",
        "when": " on {date} at {time}",
        "where": ", {venue}",
        "action": "Open this link on your phone to join the event in Rencontre:",
        "qr": "At the door, you can also scan this code with your phone's camera.",
        "once": "This link is yours alone and works once: please do not forward it.",
        "button": "Join the event",
        "qr_alt": "QR code of your personal link",
    },
}


@dataclass(frozen=True)
class RenderedMail:
    language: Language
    subject: str
    text: str
    html: str


def mail_language(attendee: Attendee, fallback: str = "") -> Language:
    """The attendee's own language, else the one the organiser chose when queuing, else French."""
    for candidate in (attendee.language, attendee.invite_language, fallback):
        code = (candidate or "").lower()[:2]
        if code in ("fr", "en"):
            return "en" if code == "en" else "fr"
    return "fr"


def render(
    event: Event, attendee: Attendee, link: str, language: Language, qr_cid: str = "join-qr"
) -> RenderedMail:
    texts = _TEXTS[language]
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    date = local.strftime("%d/%m/%Y") if language == "fr" else local.strftime("%Y-%m-%d")
    when = texts["when"].format(date=date, time=local.strftime("%H:%M"))
    where = texts["where"].format(venue=event.venue) if event.venue else ""
    subject = texts["subject"].format(event=event.name)
    greeting = texts["greeting"].format(name=attendee.name)
    intro = texts["intro"].format(event=event.name, when=when, where=where)
    text = "\n\n".join([greeting, intro, f"{texts['action']}\n{link}", texts["qr"], texts["once"]]) + "\n"
    intro_html = escape(texts["intro"]).format(
        event=f"<strong>{escape(event.name)}</strong>",
        when=escape(when),
        where=escape(where),
    )
    html = f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8"><title>{escape(subject)}</title></head>
<body style="font-family: Arial, sans-serif; color: #1b1b1f; max-width: 36em; margin: 0 auto; padding: 1em;">
<p>{escape(greeting)}</p>
<p>{intro_html}</p>
<p>{escape(texts["action"])}</p>
<p><a href="{escape(link, quote=True)}" style="display: inline-block; background: #3a4cc0; color: #ffffff;
 padding: 0.7em 1.2em; border-radius: 6px; text-decoration: none;">{escape(texts["button"])}</a></p>
<p style="font-size: 0.9em; word-break: break-all;">{escape(link)}</p>
<p>{escape(texts["qr"])}</p>
<p><img src="cid:join-qr" alt="{escape(texts["qr_alt"], quote=True)}" width="240" height="240"></p>
<p style="font-size: 0.9em; color: #555;">{escape(texts["once"])}</p>
</body></html>
"""
    return RenderedMail(language=language, subject=subject, text=text, html=html)


def qr_png(link: str) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(link)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


def _address(name: str, address: str) -> Address:
    # By its parts: given whole, an address whose local part is not ASCII is refused.
    username, _, domain = address.rpartition("@")
    return Address(display_name=name, username=username, domain=domain)


def build_message(
    mail: RenderedMail, link: str, *, to_name: str, to_address: str, from_name: str, from_address: str
) -> EmailMessage:
    """multipart/alternative: the text, then the HTML related to its inline QR code."""
    domain = from_address.rsplit("@", 1)[-1]
    cid = make_msgid(idstring="join-qr", domain=domain)
    html = mail.html.replace("cid:join-qr", f"cid:{cid[1:-1]}")
    # An internationalised address (RFC 6531) needs a server that speaks SMTPUTF8.
    ascii_only = to_address.isascii() and from_address.isascii()
    message = EmailMessage(policy=policy.SMTP if ascii_only else policy.SMTPUTF8)
    message["Subject"] = mail.subject
    message["From"] = _address(from_name, from_address)
    message["To"] = _address(to_name, to_address)
    message["Message-ID"] = make_msgid(domain=domain)
    message["Content-Language"] = mail.language
    message.set_content(mail.text)
    message.add_alternative(html, subtype="html")
    html_part = message.get_body(preferencelist=("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(qr_png(link), maintype="image", subtype="png", cid=cid, filename="join-qr.png")
    return message
