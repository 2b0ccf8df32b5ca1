"""Follow-up drafts and their mailto: links, re-read with urllib."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from rencontre.contacts.messages import FollowUpContext, draft, long_date, mailto, note_excerpt


def _context(**fields: object) -> FollowUpContext:
    values: dict[str, object] = {
        "kind": "message",
        "language": "fr",
        "event_name": "Rencontres Lyon",
        "met_on": date(2026, 6, 1),
        "note": "Projet d'appli",
        "sender_name": "Alex Martin",
        "recipient_name": "Zoé Lefèvre",
    }
    values.update(fields)
    return FollowUpContext(**values)  # type: ignore[arg-type]


class TestDraft:
    def test_french_message(self) -> None:
        subject, body = draft(_context())
        assert subject == "Suite à notre rencontre à Rencontres Lyon"
        assert body == (
            "Bonjour Zoé,\n\n"
            "Merci pour notre échange à Rencontres Lyon, le 1er juin 2026.\n\n"
            "Pour mémoire, nous avions évoqué : Projet d'appli\n\n"
            "Ce serait un plaisir de poursuivre la conversation.\n\n"
            "Bien cordialement,\n"
            "Alex Martin"
        )

    @pytest.mark.parametrize("kind", ["message", "coffee", "resource"])
    @pytest.mark.parametrize("language", ["fr", "en"])
    def test_every_kind_and_language(self, kind: str, language: str) -> None:
        subject, body = draft(_context(kind=kind, language=language, note=""))
        assert "Rencontres Lyon" in subject
        assert "Rencontres Lyon" in body
        assert ("1er juin 2026" if language == "fr" else "1 June 2026") in body
        assert "Pour mémoire" not in body
        assert "As a reminder" not in body
        assert body.endswith("Alex Martin")

    def test_without_a_name(self) -> None:
        _, body = draft(_context(recipient_name="", language="en"))
        assert body.startswith("Hello,\n\n")


class TestNoteExcerpt:
    def test_short_notes_become_one_line(self) -> None:
        assert note_excerpt("a\nb\n\nc") == "a b c"

    def test_long_notes_are_cut_on_a_word(self) -> None:
        excerpt = note_excerpt("mot " * 200)
        assert len(excerpt) <= 301
        assert excerpt.endswith("mot…")


class TestMailto:
    def test_round_trip(self) -> None:
        subject = "Café & croissants ? 100% oui"
        body = "Ligne 1\nLigne 2 #3 = ok"
        link = mailto("zoe+events@example.org", subject, body)
        parts = urlsplit(link)
        assert parts.scheme == "mailto"
        assert unquote(parts.path) == "zoe+events@example.org"
        query = parse_qs(parts.query)
        assert query["subject"] == [subject]
        assert query["body"] == ["Ligne 1\r\nLigne 2 #3 = ok"]
        assert " " not in link
        assert "+" not in link.split("?", 1)[1]

    def test_without_recipient(self) -> None:
        assert mailto(None, "s", "b") == "mailto:?subject=s&body=b"


def test_long_dates() -> None:
    assert long_date(date(2026, 8, 15), "fr") == "15 août 2026"
    assert long_date(date(2026, 12, 1), "en") == "1 December 2026"
