from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# The one strength rule, for `rencontre organiser create` and a password change alike.
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("rencontre-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
