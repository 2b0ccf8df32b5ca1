from __future__ import annotations

import base64
import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rencontre.badges.token import (
    TOKEN_BYTES,
    TOKEN_LENGTH,
    BadgeRef,
    InvalidBadgeToken,
    badge_url,
    issue,
    read,
    token_from_scan,
    verify,
)

KEY = b"badge-key-for-unit-tests-0123456789"
REF = BadgeRef(event_code="0a1b2c3d", attendee_code="00ff10ee20dd", version=1)


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=")


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class TestRoundTrip:
    def test_a_token_names_its_badge(self) -> None:
        assert verify(KEY, issue(KEY, REF)) == REF

    def test_layout_is_event_attendee_version_mac(self) -> None:
        raw = _raw(issue(KEY, REF))
        assert len(raw) == TOKEN_BYTES == 23
        assert raw[:4].hex() == REF.event_code
        assert raw[4:10].hex() == REF.attendee_code
        assert raw[10] == REF.version

    def test_token_is_short_unpadded_base64url(self) -> None:
        token = issue(KEY, REF)
        assert len(token) == TOKEN_LENGTH == 31
        assert "=" not in token

    def test_versions_are_signed_apart(self) -> None:
        second = BadgeRef(REF.event_code, REF.attendee_code, 2)
        assert issue(KEY, second) != issue(KEY, REF)
        assert verify(KEY, issue(KEY, second)).version == 2

    @pytest.mark.parametrize("version", [0, 256, -1])
    def test_version_out_of_range_is_not_issued(self, version: int) -> None:
        with pytest.raises(ValueError, match="version"):
            issue(KEY, BadgeRef(REF.event_code, REF.attendee_code, version))

    def test_codes_of_the_wrong_length_are_not_issued(self) -> None:
        with pytest.raises(ValueError, match="bytes"):
            issue(KEY, BadgeRef("0a1b2c", REF.attendee_code, 1))


class TestRefusals:
    def test_forged_token(self) -> None:
        forged = _encode(secrets.token_bytes(TOKEN_BYTES))
        with pytest.raises(InvalidBadgeToken, match="signature"):
            verify(KEY, forged)

    def test_forged_by_guessing_the_attendee_code(self) -> None:
        raw = bytearray(_raw(issue(KEY, REF)))
        raw[4:10] = bytes.fromhex("00ff10ee20de")
        with pytest.raises(InvalidBadgeToken, match="signature"):
            verify(KEY, _encode(bytes(raw)))

    @pytest.mark.parametrize("length", [1, 10, 20, 30])
    def test_truncated_token(self, length: int) -> None:
        with pytest.raises(InvalidBadgeToken, match="incomplete"):
            verify(KEY, issue(KEY, REF)[:length])

    def test_token_too_long(self) -> None:
        with pytest.raises(InvalidBadgeToken, match="too long"):
            verify(KEY, issue(KEY, REF) + "A")

    @pytest.mark.parametrize("position", range(TOKEN_BYTES))
    def test_any_tampered_byte_is_refused(self, position: int) -> None:
        raw = bytearray(_raw(issue(KEY, REF)))
        raw[position] ^= 0x01
        with pytest.raises(InvalidBadgeToken):
            verify(KEY, _encode(bytes(raw)))

    def test_raising_the_version_without_the_key(self) -> None:
        raw = bytearray(_raw(issue(KEY, REF)))
        raw[10] = 2
        with pytest.raises(InvalidBadgeToken, match="signature"):
            verify(KEY, _encode(bytes(raw)))

    def test_wrong_key(self) -> None:
        with pytest.raises(InvalidBadgeToken, match="signature"):
            verify(b"another-key-another-key-another-key", issue(KEY, REF))

    def test_second_spelling_of_the_same_bytes(self) -> None:
        token = issue(KEY, REF)
        # The last character carries 2 spare bits: another letter decodes to the same 23 bytes.
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        last = alphabet.index(token[-1])
        twin = token[:-1] + alphabet[last ^ 0b01]
        assert _raw(twin) == _raw(token)
        with pytest.raises(InvalidBadgeToken, match="malformed"):
            verify(KEY, twin)

    @pytest.mark.parametrize("token", ["", "!" * 31, "a b", "ab+cd/ef" * 4, "é" * 31])
    def test_not_base64url(self, token: str) -> None:
        with pytest.raises(InvalidBadgeToken):
            verify(KEY, token)


class TestScannedText:
    def test_bare_token(self) -> None:
        token = issue(KEY, REF)
        assert read(KEY, token) == (token, REF)

    @pytest.mark.parametrize(
        "template",
        [
            "http://127.0.0.1:8000/b/{t}",
            "https://rencontre.example.org/b/{t}",
            "HTTPS://Rencontre.Example.org/b/{t}/",
            "https://example.org/events/rencontre/b/{t}?utm_source=camera#top",
            "  \n https://example.org/b/{t} \t",
            "\u00a0{t}\u2003",
        ],
    )
    def test_badge_url_on_any_host(self, template: str) -> None:
        token = issue(KEY, REF)
        assert read(KEY, template.format(t=token)) == (token, REF)

    @pytest.mark.parametrize(
        "text",
        [
            "https://example.org/x/{t}",
            "https://example.org/{t}",
            "https://example.org/b/",
            "https://example.org/b",
            "ftp://example.org/b/{t}",
            "javascript:alert(1)//b/{t}",
            "example.org/b/{t}",
            "http://[::1/b/{t}",
            "/b/{t}",
            "WIFI:S:venue;T:WPA;P:secret;;",
            "   ",
        ],
    )
    def test_other_codes_are_not_badges(self, text: str) -> None:
        with pytest.raises(InvalidBadgeToken):
            read(KEY, text.format(t=issue(KEY, REF)))

    def test_url_of_a_token(self) -> None:
        assert badge_url("http://127.0.0.1:8000", "abc") == "http://127.0.0.1:8000/b/abc"
        assert token_from_scan(badge_url("http://127.0.0.1:8000", "abc")) == "abc"


class TestParsingNeverCrashes:
    @given(st.text(max_size=600))
    def test_any_text_is_a_badge_or_a_typed_refusal(self, text: str) -> None:
        refusal: InvalidBadgeToken | None = None
        try:
            token, ref = read(KEY, text)
        except InvalidBadgeToken as exc:
            refusal = exc
        else:  # pragma: no cover - a random text carrying a valid signature
            assert issue(KEY, ref) == token
        if refusal is not None:
            assert refusal.detail
            assert refusal.status_code == 422

    @given(st.binary(min_size=0, max_size=40), st.sampled_from(["", "https://h.example/b/", "http://x/a/b/"]))
    def test_any_bytes_as_a_token_are_refused(self, raw: bytes, prefix: str) -> None:
        with pytest.raises(InvalidBadgeToken):
            read(KEY, prefix + _encode(raw))

    @given(
        st.from_regex(r"[0-9a-f]{8}", fullmatch=True),
        st.from_regex(r"[0-9a-f]{12}", fullmatch=True),
        st.integers(min_value=1, max_value=255),
    )
    def test_every_issued_token_reads_back(self, event: str, attendee: str, version: int) -> None:
        ref = BadgeRef(event, attendee, version)
        token = issue(KEY, ref)
        assert read(KEY, badge_url("http://127.0.0.1:8000", token)) == (token, ref)
