"""The sealed card cache's cryptography: one badge, or one short code, opens one card."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from rencontre.badges import sealed

SALT = bytes(range(16))
TOKEN = "AAECAwQFBgcICQoLDA0ODxAREhMUFRY"


class TestOpening:
    def test_the_badge_that_sealed_a_card_opens_it(self) -> None:
        box = sealed.seal(b'{"name":"Zo\\u00e9"}', sealed.badge_opener(TOKEN, SALT))
        assert sealed.unseal(box, sealed.badge_opener(TOKEN, SALT)) == b'{"name":"Zo\\u00e9"}'
        assert box.card_id == sealed.b64(sealed.badge_opener(TOKEN, SALT).card_id)

    def test_another_badge_names_another_entry_and_cannot_open_this_one(self) -> None:
        box = sealed.seal(b"card", sealed.badge_opener(TOKEN, SALT))
        other = sealed.badge_opener(TOKEN[:-1] + "A", SALT)
        assert sealed.b64(other.card_id) != box.card_id
        with pytest.raises(InvalidTag):
            sealed.unseal(box, other)

    def test_the_same_badge_in_another_event_names_another_entry(self) -> None:
        assert sealed.badge_opener(TOKEN, SALT).card_id != sealed.badge_opener(TOKEN, bytes(16)).card_id

    def test_a_box_moved_under_another_id_does_not_open(self) -> None:
        opening = sealed.badge_opener(TOKEN, SALT)
        box = sealed.seal(b"card", opening)
        moved = sealed.Opener(card_id=bytes(16), key=opening.key)
        with pytest.raises(InvalidTag):
            sealed.unseal(box, moved)

    def test_a_short_code_opens_through_the_slow_derivation(self) -> None:
        secret = sealed.code_secret("7KQM2X", SALT, 1000)
        box = sealed.seal(b"card", sealed.opener(secret, SALT))
        assert sealed.unseal(box, sealed.opener(sealed.code_secret("7KQM2X", SALT, 1000), SALT)) == b"card"
        assert sealed.code_secret("7KQM2Y", SALT, 1000) != secret
        assert sealed.code_secret("7KQM2X", SALT, 1001) != secret


class TestKnownAnswers:
    """Fixed vectors: the phone's WebCrypto code (offline/sealed.ts) derives the same bytes."""

    def test_badge_derivation(self) -> None:
        opening = sealed.badge_opener(TOKEN, SALT)
        assert sealed.b64(opening.card_id) == VECTORS["badge_id"]
        assert sealed.b64(opening.key) == VECTORS["badge_key"]

    def test_code_derivation(self) -> None:
        assert sealed.b64(sealed.code_secret("7KQM2X", SALT, 1000)) == VECTORS["code_secret"]


# Computed with WebCrypto (crypto.subtle HKDF and PBKDF2, as offline/sealed.ts calls them).
VECTORS = {
    "badge_id": "NF6_e9QBKWi-0INkxc2zsw",
    "badge_key": "uJG8DGEwwSo9tBgQitmu4oNooavOBqArmqt9IkwdIp8",
    "code_secret": "5lZ6gfkzYUjkCcFz_IXNiWynxEgr7ZYV-SNwx6vjyRo",
}
