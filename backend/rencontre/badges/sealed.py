"""The sealed offline card cache: a card opens only on a phone that holds its badge.

Every attendee's phone keeps the event's public cards so that a scan shows a face even
offline. Handing out the cards in clear would give everyone the full list of who attends;
instead each card is sealed (AES-256-GCM) under a random key of its own, and that key is
locked twice, each lock filed under an opaque id:

- under the **badge token** (what the QR code carries, 23 bytes with a 12-byte server MAC):
  ``HKDF-SHA256(token, salt, "rencontre/card-id")`` is the id, ``…"rencontre/card-key"``
  the key. The token cannot be guessed, so only a phone that read the badge finds the lock.
- under the **short code** (six characters, 2^30 possibilities): the same two HKDF steps
  over ``PBKDF2-HMAC-SHA256(code, salt, iterations)``, a deliberately slow step, so that
  trying every code against a copy of the cache costs ``iterations`` HMACs per guess.

A card is stored once whatever the number of locks, which keeps the cache small.

The salt is per event and derived from the server's badge key. A re-issued badge has a new
token (new version, new MAC) and a new short code: what the old ones derive names no entry.
The phone mirrors this in ``frontend/src/attendee/offline/sealed.ts`` with WebCrypto; the
two are checked against each other by ``tests/unit/test_sealed_cards.py`` and the browser tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "rencontre-sealed-cards/1"
ID_BYTES = 16
KEY_BYTES = 32
NONCE_BYTES = 12
_ID_INFO = b"rencontre/card-id"
_KEY_INFO = b"rencontre/card-key"
_CARD_AAD = b"rencontre/card"


@dataclass(frozen=True, slots=True)
class Opener:
    """Where a sealed card is filed, and the key that opens it."""

    card_id: bytes
    key: bytes


@dataclass(frozen=True, slots=True)
class Sealed:
    """A card sealed under its own key."""

    nonce: str
    box: str


@dataclass(frozen=True, slots=True)
class Lock:
    """A card's key, sealed under what an opener derives, and filed under its id."""

    card_id: str
    nonce: str
    key: str


def event_salt(badge_key: bytes, event_code: str) -> bytes:
    """Per event, so that one table of code derivations serves no other event; never stored."""
    label = b"rencontre/sealed-cards/" + event_code.encode("ascii")
    return hmac.new(badge_key, label, hashlib.sha256).digest()[:16]


def opener(secret: bytes, salt: bytes) -> Opener:
    return Opener(
        card_id=_hkdf(secret, salt, _ID_INFO, ID_BYTES), key=_hkdf(secret, salt, _KEY_INFO, KEY_BYTES)
    )


def badge_opener(token: str, salt: bytes) -> Opener:
    return opener(token.encode("ascii"), salt)


def code_secret(code: str, salt: bytes, iterations: int) -> bytes:
    """The slow step: what one guess of a short code costs anyone, the phone included."""
    return hashlib.pbkdf2_hmac("sha256", code.encode("ascii"), salt, iterations, KEY_BYTES)


def seal(card_json: bytes) -> tuple[bytes, Sealed]:
    """The card sealed under a fresh random key, and that key."""
    key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    nonce = os.urandom(NONCE_BYTES)
    box = AESGCM(key).encrypt(nonce, card_json, _CARD_AAD)
    return key, Sealed(nonce=b64(nonce), box=b64(box))


def lock(card_key: bytes, opening: Opener) -> Lock:
    nonce = os.urandom(NONCE_BYTES)
    # The id is authenticated with the key: a lock moved under another id does not open.
    sealed_key = AESGCM(opening.key).encrypt(nonce, card_key, opening.card_id)
    return Lock(card_id=b64(opening.card_id), nonce=b64(nonce), key=b64(sealed_key))


def unlock(found: Lock, opening: Opener) -> bytes:
    """The card's key, or ``cryptography.exceptions.InvalidTag`` (the tests open as a phone would)."""
    return AESGCM(opening.key).decrypt(unb64(found.nonce), unb64(found.key), opening.card_id)


def unseal(sealed: Sealed, card_key: bytes) -> bytes:
    return AESGCM(card_key).decrypt(unb64(sealed.nonce), unb64(sealed.box), _CARD_AAD)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(secret: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(secret)
