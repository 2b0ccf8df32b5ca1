"""Short badge codes: an alphabet without look-alikes, and forgiving typing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rencontre.badges import short_code
from rencontre.badges.short_code import ALPHABET, LENGTH, InvalidShortCode, normalise, printed


class TestTheAlphabet:
    def test_has_no_letter_read_as_another(self) -> None:
        assert not set("OILU") & set(ALPHABET)
        assert len(set(ALPHABET)) == len(ALPHABET) == 32

    def test_codes_are_drawn_from_it_at_the_printed_length(self) -> None:
        codes = {short_code.generate() for _ in range(2000)}
        assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)
        # 2^30 codes: two thousand draws practically never repeat.
        assert len(codes) > 1990


class TestTyping:
    @pytest.mark.parametrize(
        ("typed", "code"),
        [
            ("7KQM2X", "7KQM2X"),
            ("7kq m2x", "7KQM2X"),
            (" 7KQ-M2X ", "7KQM2X"),
            ("7kq.m2x", "7KQM2X"),
            ("7KQ–M2X", "7KQM2X"),
            ("OIL0U1", "011" + "0V1"),
        ],
    )
    def test_case_spaces_dashes_and_look_alikes_are_forgiven(self, typed: str, code: str) -> None:
        assert normalise(typed) == code

    @pytest.mark.parametrize(
        ("typed", "says"),
        [
            ("", "Type the 6-character code"),
            ("   ", "Type the 6-character code"),
            ("7KQM2", "5 were typed"),
            ("7KQM2XY", "7 were typed"),
            ("7KQ*2X", "'*'"),
            ("Zoé Lef", "'É'"),
            ("x" * 40, "far longer"),
        ],
    )
    def test_what_cannot_be_a_code_is_refused_saying_why(self, typed: str, says: str) -> None:
        with pytest.raises(InvalidShortCode) as refused:
            normalise(typed)
        assert says in refused.value.detail

    @given(st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH))
    def test_a_printed_code_reads_back_as_itself(self, code: str) -> None:
        assert normalise(printed(code)) == code
        assert normalise(printed(code).lower()) == code

    @given(st.text(max_size=40))
    def test_any_text_is_a_code_or_a_clear_refusal(self, typed: str) -> None:
        try:
            code = normalise(typed)
        except InvalidShortCode as refused:
            detail = refused.detail
            code = ""
        else:
            detail = ""
        assert detail or (len(code) == LENGTH and set(code) <= set(ALPHABET))
