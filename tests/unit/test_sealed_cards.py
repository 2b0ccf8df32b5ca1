"""The sealed card cache's cryptography: one badge, or one short code, opens one card."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from rencontre.badges import sealed

SALT = bytes(range(16))
TOKEN = "AAECAwQFBgcICQoLDA0ODxAREhMUFRY"


class TestOpening:
    def test_the_badge_that_locked_a_card_opens_it(self) -> None:
        card_key, box = sealed.seal(b'{"name":"Zo\\u00e9"}')
        found = sealed.lock(card_key, sealed.badge_opener(TOKEN, SALT))
        assert found.card_id == sealed.b64(sealed.badge_opener(TOKEN, SALT).card_id)
        opened_key = sealed.unlock(found, sealed.badge_opener(TOKEN, SALT))
        assert sealed.unseal(box, opened_key) == b'{"name":"Zo\\u00e9"}'

    def test_another_badge_names_another_lock_and_cannot_open_this_one(self) -> None:
        card_key, _ = sealed.seal(b"card")
        found = sealed.lock(card_key, sealed.badge_opener(TOKEN, SALT))
        other = sealed.badge_opener(TOKEN[:-1] + "A", SALT)
        assert sealed.b64(other.card_id) != found.card_id
        with pytest.raises(InvalidTag):
            sealed.unlock(found, other)

    def test_the_same_badge_in_another_event_names_another_lock(self) -> None:
        assert sealed.badge_opener(TOKEN, SALT).card_id != sealed.badge_opener(TOKEN, bytes(16)).card_id

    def test_a_lock_moved_under_another_id_does_not_open(self) -> None:
        opening = sealed.badge_opener(TOKEN, SALT)
        found = sealed.lock(sealed.seal(b"card")[0], opening)
        with pytest.raises(InvalidTag):
            sealed.unlock(found, sealed.Opener(card_id=bytes(16), key=opening.key))

    def test_a_card_does_not_open_with_another_cards_key(self) -> None:
        _, box = sealed.seal(b"card")
        other_key, _ = sealed.seal(b"other")
        with pytest.raises(InvalidTag):
            sealed.unseal(box, other_key)

    def test_each_sealing_draws_a_fresh_key(self) -> None:
        assert sealed.seal(b"card")[0] != sealed.seal(b"card")[0]

    def test_a_short_code_opens_through_the_slow_derivation(self) -> None:
        secret = sealed.code_secret("7KQM2X", SALT, 1000)
        card_key, box = sealed.seal(b"card")
        found = sealed.lock(card_key, sealed.opener(secret, SALT))
        again = sealed.opener(sealed.code_secret("7KQM2X", SALT, 1000), SALT)
        assert sealed.unseal(box, sealed.unlock(found, again)) == b"card"
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
