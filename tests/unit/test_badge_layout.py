"""A name is never cut: it shrinks and wraps, and the company and job title give way first."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rencontre.badges.fonts import FontSet, badge_fonts
from rencontre.badges.layout import BadgeText, Card, Line, Role, lay_out
from rencontre.badges.pdf import SHEET_CARD, BadgeSheets, PaperLayout
from rencontre.badges.render import A6, MM, badge_svg
from rencontre.kit.text import clean_line

ISSUE_NAME = "Christophe-Alexandre-Maximilien de La Rochefoucauld-Montmorency-Laval"
LONG_COMPANY = "Compagnie Générale des Établissements Industriels et Commerciaux de Bourgogne-Franche-Comté"
LONG_TITLE = "Directrice adjointe des partenariats institutionnels, de l'innovation et de la communication"
NAME_MAX_LENGTH = 120  # the attendee schema's limit
CARDS = {"a6": A6, "a4-sheet": SHEET_CARD}
QR_MODULES = 33


def _card(name: str, size: tuple[float, float], *, company: str = "ACME", job_title: str = "CEO") -> Card:
    badge = BadgeText(
        event="Rencontres de l'innovation — Lyon",
        name=name,
        company=company,
        job_title=job_title,
        url="http://127.0.0.1:8000/b/x",
    )
    return lay_out(badge, badge_fonts(), width=size[0], height=size[1], modules=QR_MODULES)


def _lines(card: Card, role: Role) -> list[Line]:
    return [line for line in card.lines if line.role is role]


def _printed(fonts: FontSet, name: str) -> str:
    """The name as the badge draws it, spaces aside (a line break replaces a space)."""
    return "".join(fonts.bold.printable(clean_line(name)).split())


def _assert_inside(card: Card, fonts: FontSet) -> None:
    text_width = card.width * 0.86
    for line in card.lines:
        face = fonts.bold if line.bold else fonts.regular
        assert face.width(line.text, line.size) <= text_width + 1e-6, line
        assert line.center_x - line.width / 2 >= card.width * 0.07 - 1e-6
        assert line.baseline < card.qr.y - 4 * card.qr.module, line


class TestTheNameIsNeverCut:
    @pytest.mark.parametrize("size", CARDS.values(), ids=CARDS.keys())
    def test_the_name_from_the_issue_is_printed_whole_on_at_most_three_lines(
        self, size: tuple[float, float]
    ) -> None:
        card = _card(ISSUE_NAME, size, company="Société Générale", job_title="Chargée d'affaires")
        name_lines = [line.text for line in _lines(card, Role.name)]
        assert " ".join(name_lines).replace("- ", "-") == ISSUE_NAME
        assert len(name_lines) <= 3
        assert not any(line.text.endswith("…") for line in _lines(card, Role.name))
        _assert_inside(card, badge_fonts())

    @pytest.mark.parametrize("size", CARDS.values(), ids=CARDS.keys())
    def test_a_short_name_stays_on_one_line_at_the_largest_size(self, size: tuple[float, float]) -> None:
        [line] = _lines(_card("Zoé Lefèvre", size), Role.name)
        assert line.text == "Zoé Lefèvre"
        assert line.size == pytest.approx(size[0] * 0.1)

    @pytest.mark.parametrize("size", CARDS.values(), ids=CARDS.keys())
    def test_a_name_wraps_at_spaces_and_hyphens_before_a_word_is_broken(
        self, size: tuple[float, float]
    ) -> None:
        name = "Anne-Charlotte Wolfeschlegelsteinhausen Bergerdorff-Voralternwaren"
        lines = [line.text for line in _lines(_card(name, size), Role.name)]
        assert " ".join(lines).replace("- ", "-") == name
        assert all(name.find(line) == 0 or name[name.find(line) - 1] in " -" for line in lines)

    @pytest.mark.parametrize("size", CARDS.values(), ids=CARDS.keys())
    @pytest.mark.parametrize("letter", ["x", "W", "山", "김"])
    def test_an_unbroken_name_of_the_longest_allowed_length_is_kept_whole(
        self, letter: str, size: tuple[float, float]
    ) -> None:
        card = _card(letter * NAME_MAX_LENGTH, size, company=LONG_COMPANY, job_title=LONG_TITLE)
        assert "".join(line.text for line in _lines(card, Role.name)) == letter * NAME_MAX_LENGTH
        _assert_inside(card, badge_fonts())


# Letters of the scripts badges print, spaces, hyphens and apostrophes, wide and narrow.
NAME_ALPHABET = st.sampled_from(
    list("aeilmnorstuvwxyzAEILMWOQéèçœŒßøÆŁżÿ'’ -")
    + list("ΑΩαωЖжЩщ")
    + list("山田太郎王小明李陈张")
    + list("あいうアイウ")
    + list("김민준이박최")
)
NAMES = st.text(NAME_ALPHABET, min_size=1, max_size=NAME_MAX_LENGTH).filter(lambda name: name.strip())


class TestEveryNameFits:
    @settings(max_examples=150, deadline=None)
    @given(name=NAMES, card=st.sampled_from(list(CARDS.values())), busy=st.booleans())
    def test_every_character_is_printed_in_order_and_every_line_fits(
        self, name: str, card: tuple[float, float], busy: bool
    ) -> None:
        fonts = badge_fonts()
        company, job_title = (LONG_COMPANY, LONG_TITLE) if busy else ("ACME", "")
        laid = _card(name, card, company=company, job_title=job_title)
        printed = "".join("".join(line.text.split()) for line in _lines(laid, Role.name))
        assert printed == _printed(fonts, name)
        _assert_inside(laid, fonts)

    def test_the_alphabet_is_drawn_by_the_fonts_not_replaced(self) -> None:
        fonts = badge_fonts()
        alphabet = "aéœŒßøÆŁżÿ'’-ΑΩЖщ山田太郎王小明李陈张あいうアイウ김민준이박최"
        assert fonts.bold.printable(alphabet) == alphabet


class TestCompanyAndJobTitleGiveWayFirst:
    @pytest.mark.parametrize("size", CARDS.values(), ids=CARDS.keys())
    def test_they_clip_or_disappear_while_the_name_keeps_its_size(self, size: tuple[float, float]) -> None:
        alone = _card(ISSUE_NAME, size, company="", job_title="")
        crowded = _card(ISSUE_NAME, size, company=LONG_COMPANY * 2, job_title=LONG_TITLE * 2)
        [name_size] = {line.size for line in _lines(alone, Role.name)}
        assert {line.size for line in _lines(crowded, Role.name)} == {name_size}
        assert [line.text for line in _lines(crowded, Role.name)] == [
            line.text for line in _lines(alone, Role.name)
        ]
        for role in (Role.company, Role.job_title):
            lines = _lines(crowded, role)
            assert len(lines) <= 2
            assert not lines or lines[-1].text.endswith("…")
        _assert_inside(crowded, badge_fonts())

    @pytest.mark.parametrize("size", CARDS.values(), ids=CARDS.keys())
    def test_nothing_under_the_name_is_larger_than_it(self, size: tuple[float, float]) -> None:
        card = _card("W" * NAME_MAX_LENGTH, size, company="ACME", job_title="CEO")
        name_size = _lines(card, Role.name)[0].size
        below = [line for line in card.lines if line.role in (Role.company, Role.job_title)]
        assert all(line.size <= name_size for line in below)

    def test_a_long_company_shrinks_before_it_is_clipped(self) -> None:
        card = _card("Zoé Lefèvre", A6, company="Société Générale d'Électricité et de Gaz de France")
        company = _lines(card, Role.company)
        assert " ".join(line.text for line in company) == "Société Générale d'Électricité et de Gaz de France"
        assert company[0].size < A6[0] * 0.060
        assert company[0].size >= 95 * MM * 0.032


class TestEveryOutputPrintsTheWholeName:
    def test_the_svg_and_the_pdf_carry_the_name_from_the_issue_uncut(self) -> None:
        badge = BadgeText(
            event="Rencontres",
            name=ISSUE_NAME,
            company=LONG_COMPANY,
            job_title=LONG_TITLE,
            url="http://x/b/1",
        )
        root = ET.fromstring(badge_svg(badge))  # noqa: S314 - our own rendering
        svg_text = [text.text or "" for text in root.iter("{http://www.w3.org/2000/svg}text")]
        for layout in PaperLayout:
            sheets = BadgeSheets(layout)
            pdf = sheets.start() + sheets.add([badge]) + sheets.finish()
            pdf_text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
            for lines in (svg_text, pdf_text):
                start = next(index for index, line in enumerate(lines) if line.startswith("Christophe"))
                joined = " ".join(lines[start : start + 3]).replace("- ", "-")
                assert joined == ISSUE_NAME
