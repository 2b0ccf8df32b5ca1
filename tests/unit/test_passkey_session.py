"""What makes a session 'passkey presented': a signed claim; and where the relying party is."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from rencontre.auth.tokens import ALGORITHM, AUDIENCE, Role, TokenType, issue, verify
from rencontre.config import KeyRing
from rencontre.passkeys.lock import is_locked
from tests.support import make_settings

RING = KeyRing(current="k1", keys={"k1": b"passkey-claim-key-for-tests-0123456789"})


def _token(*, passkey: bool) -> str:
    return issue(
        RING,
        type=TokenType.access,
        role=Role.attendee,
        subject=uuid.uuid4(),
        version=1,
        event_id=uuid.uuid4(),
        lifetime=timedelta(minutes=5),
        passkey=passkey,
    )


class TestThePasskeyClaim:
    def test_a_session_opened_with_a_passkey_carries_it(self) -> None:
        assert verify(RING, _token(passkey=True), expected=TokenType.access).passkey is True

    def test_an_ordinary_session_does_not(self) -> None:
        assert verify(RING, _token(passkey=False), expected=TokenType.access).passkey is False

    def test_only_a_true_claim_counts(self) -> None:
        now = datetime.now(UTC)
        claims = {
            "typ": "access",
            "role": "attendee",
            "sub": str(uuid.uuid4()),
            "evt": str(uuid.uuid4()),
            "ver": 1,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + timedelta(minutes=5),
            "pk": "yes",
        }
        token = jwt.encode(claims, RING.keys["k1"], algorithm=ALGORITHM, headers={"kid": "k1"})
        assert verify(RING, token, expected=TokenType.access).passkey is False


class TestTheLock:
    def test_notes_are_locked_only_with_a_passkey_not_presented(self) -> None:
        assert is_locked(has_passkey=True, presented=False)
        assert not is_locked(has_passkey=True, presented=True)
        assert not is_locked(has_passkey=False, presented=False)


class TestRelyingParty:
    def test_it_is_the_public_address_by_default(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path, public_base_url="https://rencontre.example.org:8443/")
        assert settings.webauthn_rp_id == "rencontre.example.org"
        assert settings.webauthn_origin == "https://rencontre.example.org:8443"

    def test_it_can_be_set_apart(self, tmp_path: Path) -> None:
        settings = make_settings(
            tmp_path,
            public_base_url="https://app.example.org",
            passkey_rp_id="example.org",
            passkey_origin="https://app.example.org/",
        )
        assert settings.webauthn_rp_id == "example.org"
        assert settings.webauthn_origin == "https://app.example.org"
