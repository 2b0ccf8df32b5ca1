"""The invitation e-mail and the mail settings, without a server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from rencontre.config import Settings
from rencontre.invitations import mail
from rencontre.models import Attendee, Event

LINK = "https://rencontre.example.org/join#token"


def _event(**fields: object) -> Event:
    start = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "name": "Soirée <b>d'été</b>",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "timezone": "Europe/Paris",
        "venue": "Lyon",
    }
    values.update(fields)
    return Event(**values)


def _attendee(**fields: object) -> Attendee:
    values: dict[str, object] = {"name": "Zoé <script>alert(1)</script>", "email": "zoe@example.org"}
    values.update(fields)
    return Attendee(**values)


class TestTheMailSpeaksTheAttendeesLanguage:
    def test_their_own_language_wins_then_the_organisers_choice_then_french(self) -> None:
        assert mail.mail_language(_attendee(language="en-GB"), "fr") == "en"
        assert mail.mail_language(_attendee(language="", invite_language="en"), "fr") == "en"
        assert mail.mail_language(_attendee(language=""), "en") == "en"
        assert mail.mail_language(_attendee(language="de"), "") == "fr"

    def test_the_time_is_the_events_local_time(self) -> None:
        french = mail.render(_event(), _attendee(), LINK, "fr")
        assert "le 04/12/2026 à 18:30, Lyon" in french.text
        english = mail.render(_event(), _attendee(), LINK, "en")
        assert "on 2026-12-04 at 18:30, Lyon" in english.text


class TestNamesAreTextInTheHtml:
    def test_markup_in_a_name_or_an_event_is_escaped(self) -> None:
        rendered = mail.render(_event(), _attendee(), LINK, "en")
        assert "<script>" not in rendered.html
        assert "&lt;script&gt;" in rendered.html
        assert "<b>d" not in rendered.html
        assert f'href="{LINK}"' in rendered.html
        # The text part is plain text: names as given.
        assert "Zoé <script>alert(1)</script>" in rendered.text


class TestMailSettings:
    def test_a_host_needs_a_from_address(self, tmp_path: Path) -> None:
        with pytest.raises(ValidationError, match="RENCONTRE_SMTP_FROM_ADDRESS"):
            Settings(data_dir=tmp_path, smtp_host="smtp.example.org")
        configured = Settings(data_dir=tmp_path, smtp_host="smtp.example.org", smtp_from_address="a@b.org")
        assert configured.mail_configured

    def test_no_host_means_no_mail(self, tmp_path: Path) -> None:
        assert not Settings(data_dir=tmp_path).mail_configured

    @pytest.mark.parametrize(
        "field",
        [{"smtp_tls": "ssl"}, {"smtp_port": 0}, {"smtp_rate_per_minute": 0}, {"smtp_max_attempts": 0}],
    )
    def test_impossible_values_are_refused(self, tmp_path: Path, field: dict[str, object]) -> None:
        with pytest.raises(ValidationError):
            Settings(data_dir=tmp_path, **field)  # type: ignore[arg-type]

    def test_the_password_stays_out_of_the_settings_repr(self, tmp_path: Path) -> None:
        settings = Settings(data_dir=tmp_path, smtp_password="hunter2-but-longer")
        assert "hunter2" not in repr(settings)
        assert settings.smtp_password.get_secret_value() == "hunter2-but-longer"
