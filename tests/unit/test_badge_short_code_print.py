"""The short code printed under the QR code: large, inside the card, clear of the QR's quiet zone."""

from __future__ import annotations

import pytest

from rencontre.badges.fonts import badge_fonts
from rencontre.badges.layout import QUIET_ZONE, BadgeText, Role, lay_out
from rencontre.badges.pdf import SHEET_CARD
from rencontre.badges.render import A6, MM, badge_svg

LONG_NAME = "Christophe-Alexandre-Maximilien de La Rochefoucauld-Montmorency-Laval"


def _badge(code: str = "7KQ M2X", name: str = "Zoé Lefèvre") -> BadgeText:
    return BadgeText(
        event="Rencontres — Lyon", name=name, company="ACME", job_title="CEO", url="http://x/b/t", code=code
    )


@pytest.mark.parametrize("size", [A6, SHEET_CARD], ids=["a6", "a4-sheet"])
@pytest.mark.parametrize("name", ["Zoé", LONG_NAME])
def test_the_code_is_large_and_under_the_quiet_zone(size: tuple[float, float], name: str) -> None:
    width, height = size
    card = lay_out(_badge(name=name), badge_fonts(), width=width, height=height, modules=33)
    code = card.code
    assert code is not None
    assert code.role is Role.code
    assert code.text == "7KQ M2X"
    assert code.bold
    # Capitals at least 5 mm high: read from a few steps away.
    assert code.size * 0.72 >= 5 * MM
    qr_bottom = card.qr.y + card.qr.side + QUIET_ZONE * card.qr.module
    assert code.baseline - code.size * 0.74 >= qr_bottom - 0.01
    assert code.baseline <= height
    assert width * 0.07 <= code.center_x - code.width / 2
    assert code.center_x + code.width / 2 <= width * 0.93
    # The QR code keeps its size, and the text above it stays above it.
    assert card.qr.side >= 45 * MM
    assert all(line.baseline < card.qr.y - QUIET_ZONE * card.qr.module for line in card.lines)


def test_a_badge_without_a_code_is_laid_out_as_before() -> None:
    card = lay_out(_badge(code=""), badge_fonts(), width=A6[0], height=A6[1], modules=33)
    assert card.code is None
    assert card.printed_lines == card.lines


def test_the_svg_carries_the_code() -> None:
    assert ">7KQ M2X</text>" in badge_svg(_badge())
