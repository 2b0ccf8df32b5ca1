from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

import jwt
import pytest

from rencontre.auth.tokens import InvalidToken, Role, TokenType, issue, verify
from rencontre.config import KeyRing

RING = KeyRing(current="k2", keys={"k2": b"current-key-for-tests-0123456789"})


def _access(ring: KeyRing = RING, lifetime: timedelta = timedelta(minutes=5)) -> str:
    return issue(
        ring,
        type=TokenType.access,
        role=Role.attendee,
        subject=uuid.uuid4(),
        version=3,
        event_id=uuid.uuid4(),
        lifetime=lifetime,
    )


class TestRoundTrip:
    def test_claims_survive(self) -> None:
        claims = verify(RING, _access(), expected=TokenType.access)
        assert claims.role is Role.attendee
        assert claims.version == 3
        assert claims.event_id is not None


class TestRefusals:
    def test_expired(self) -> None:
        with pytest.raises(InvalidToken, match="expired"):
            verify(RING, _access(lifetime=timedelta(minutes=-5)), expected=TokenType.access)

    def test_type_confusion(self) -> None:
        with pytest.raises(InvalidToken, match="cannot be used"):
            verify(RING, _access(), expected=TokenType.invite)

    def test_unknown_key_id(self) -> None:
        other = KeyRing(current="k9", keys={"k9": b"another-key-for-tests-0123456789"})
        with pytest.raises(InvalidToken, match="unknown or retired"):
            verify(RING, _access(other), expected=TokenType.access)

    def test_retired_key_still_listed_verifies_but_removed_does_not(self) -> None:
        old = KeyRing(current="k1", keys={"k1": b"retired-key-for-tests-0123456789"})
        token = _access(old)
        rotated = KeyRing(current="k2", keys={**RING.keys, **old.keys})
        assert verify(rotated, token, expected=TokenType.access).version == 3
        with pytest.raises(InvalidToken):
            verify(RING, token, expected=TokenType.access)

    def test_tampered_payload(self) -> None:
        header, payload, signature = _access().split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["ver"] = 99
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        with pytest.raises(InvalidToken, match="invalid"):
            verify(RING, f"{header}.{forged}.{signature}", expected=TokenType.access)

    def test_alg_none_is_refused(self) -> None:
        token = jwt.encode(
            {"typ": "access", "sub": str(uuid.uuid4())},
            key=None,
            algorithm="none",
            headers={"kid": "k2"},
        )
        with pytest.raises(InvalidToken):
            verify(RING, token, expected=TokenType.access)

    def test_missing_claims(self) -> None:
        token = jwt.encode({"sub": "x"}, RING.signing_key, algorithm="HS256", headers={"kid": "k2"})
        with pytest.raises(InvalidToken):
            verify(RING, token, expected=TokenType.access)

    @pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "🙂", "eyJ.eyJ.sig"])
    def test_garbage(self, garbage: str) -> None:
        with pytest.raises(InvalidToken):
            verify(RING, garbage, expected=TokenType.access)
