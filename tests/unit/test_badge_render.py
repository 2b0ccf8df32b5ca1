from __future__ import annotations

import io
import re
import secrets
import xml.etree.ElementTree as ET

import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageDraw
from qrcode.constants import ERROR_CORRECT_M

from rencontre.badges.fonts import DEJAVU, VERA, FontSet, badge_fonts, find_fonts
from rencontre.badges.layout import QUIET_ZONE, BadgeText, Card, lay_out, wrap
from rencontre.badges.render import A6, MM, QR_MASK, Matrix, badge_png, badge_svg, qr_matrix
from rencontre.badges.token import BadgeRef, badge_url, issue, token_from_scan
from rencontre.config import Settings
from tests.support import require_or_skip

LONG_NAME = "Marie-Françoise Éléonore de La Tour d'Auvergne-Lauraguais y Mendoza"
NAMES = [
    "Zoé Lefèvre",
    "Jean-Noël O'Connor",
    "Œdipe Ærøskøbing",
    "Łukasz Żółć-Ślęzak",
    LONG_NAME,
    "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflege",
]


def _url(base: str = "http://127.0.0.1:8000") -> str:
    ref = BadgeRef(secrets.token_hex(4), secrets.token_hex(6), 255)
    return badge_url(base, issue(b"k" * 32, ref))


def _badge(name: str = "Zoé Lefèvre", **fields: str) -> BadgeText:
    values = {
        "event": "Rencontres de l'innovation — Lyon",
        "name": name,
        "company": "Société Générale d'Électricité",
        "job_title": "Chargée d'affaires",
        "url": _url(),
    }
    values.update(fields)
    return BadgeText(**values)


def _decode(image: Image.Image) -> list[zxingcpp.Barcode]:
    return [code for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


class TestQrSize:
    def test_default_base_url_fits_version_4_at_level_m(self) -> None:
        url = _url(Settings().public_base_url)
        assert len(qr_matrix(url)) <= 33  # version 4 is 33 × 33 modules
        [code] = _decode(Image.open(io.BytesIO(badge_png(_badge(url=url)))))
        assert code.text == url
        assert int(code.extra["Version"]) <= 4
        assert code.ec_level == "M"


def _matrix_image(matrix: Matrix, pixels: int = 4) -> Image.Image:
    """The bare symbol, with its quiet zone, as a decoder would see it on paper."""
    side = (len(matrix) + 2 * QUIET_ZONE) * pixels
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                left, top = (column + QUIET_ZONE) * pixels, (row + QUIET_ZONE) * pixels
                draw.rectangle((left, top, left + pixels - 1, top + pixels - 1), fill=0)
    return image


# A badge for which the encoder's own search picks another mask (5, with qrcode 8.2):
# a QR code drawn with the search instead of the fixed mask shows here.
SEARCH_PICKS_ANOTHER_MASK = BadgeRef("0a1b2c3d", "00112233aabb", 1)


class TestQrMask:
    """Badges skip the encoder's search over the eight masks: what that shortcut must keep."""

    def test_a_badge_token_is_version_4_m_with_the_fixed_mask_and_decodes_to_itself(self) -> None:
        token = issue(b"k" * 32, SEARCH_PICKS_ANOTHER_MASK)
        url = badge_url(Settings().public_base_url, token)
        matrix = qr_matrix(url)
        assert len(matrix) == 33  # version 4
        [code] = _decode(_matrix_image(matrix))
        assert code.text == url
        assert token_from_scan(code.text) == token
        assert code.extra["Version"] == "4"
        assert code.ec_level == "M"
        assert code.extra["DataMask"] == QR_MASK

    def test_the_symbol_is_the_encoders_own_for_that_mask(self) -> None:
        url = _url()
        reference = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
        reference.add_data(url)
        reference.make(fit=True)
        assert qr_matrix(url) == [[bool(cell) for cell in row] for row in reference.get_matrix()]

    def test_the_single_badge_images_use_it_too(self) -> None:
        badge = _badge(url=badge_url("http://127.0.0.1:8000", issue(b"k" * 32, SEARCH_PICKS_ANOTHER_MASK)))
        [from_png] = _decode(Image.open(io.BytesIO(badge_png(badge))))
        [from_svg] = _decode(_rasterise_svg_qr(badge_svg(badge)))
        for code in (from_png, from_svg):
            assert code.text == badge.url
            assert code.extra["DataMask"] == QR_MASK


class TestPng:
    @pytest.mark.parametrize("name", NAMES)
    def test_an_independent_decoder_reads_the_badge(self, name: str) -> None:
        badge = _badge(name)
        image = Image.open(io.BytesIO(badge_png(badge)))
        assert image.size == (round(A6[0] * 200 / 72), round(A6[1] * 200 / 72))
        [code] = _decode(image)
        assert code.text == badge.url


def _rasterise_svg_qr(svg: str) -> Image.Image:
    """Draw the SVG's QR path (M x y h w v h h -w z runs) on a white canvas."""
    root = ET.fromstring(svg)  # noqa: S314 - our own rendering
    path = root.find("{http://www.w3.org/2000/svg}path")
    assert path is not None
    scale = 3
    width, height = (float(v) for v in root.attrib["viewBox"].split()[2:])
    image = Image.new("L", (round(width * scale), round(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w, h in re.findall(r"M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-[\d.]+z", path.attrib["d"]):
        left, top = float(x) * scale, float(y) * scale
        draw.rectangle((left, top, left + float(w) * scale - 1, top + float(h) * scale - 1), fill=0)
    return image


class TestSvg:
    def test_is_well_formed_and_names_the_person(self) -> None:
        svg = badge_svg(_badge("Jean-Noël O'Connor"))
        root = ET.fromstring(svg)  # noqa: S314 - our own rendering
        text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert "Jean-Noël O'Connor" in text
        assert "Société Générale d'Électricité" in text

    def test_markup_in_a_name_stays_text(self) -> None:
        svg = badge_svg(_badge('<script>alert("x")</script> & Co'))
        assert "<script>" not in svg
        root = ET.fromstring(svg)  # noqa: S314 - our own rendering
        assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
        assert "style" not in svg  # presentation attributes only: nothing a strict CSP would block

    def test_the_qr_drawn_from_the_svg_decodes(self) -> None:
        badge = _badge()
        [code] = _decode(_rasterise_svg_qr(badge_svg(badge)))
        assert code.text == badge.url


def _name_lines(card: Card) -> list[str]:
    first = next(line for line in card.lines if line.bold)
    return [line.text for line in card.lines if line.bold and line.size == first.size]


class TestLayout:
    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("size", [A6, (95 * MM, 135 * MM)])
    def test_text_stays_inside_the_card_and_above_the_code(
        self, name: str, size: tuple[float, float]
    ) -> None:
        width, height = size
        card = lay_out(
            _badge(name, company=LONG_NAME, job_title=LONG_NAME),
            badge_fonts(),
            width=width,
            height=height,
            modules=33,
        )
        for line in card.lines:
            assert line.center_x - line.width / 2 >= width * 0.07 - 0.01
            assert line.center_x + line.width / 2 <= width * 0.93 + 0.01
            assert line.baseline < card.qr.y - 4 * card.qr.module
        assert card.qr.side >= 50 * MM if width > 100 * MM else card.qr.side >= 45 * MM

    def test_a_short_name_is_kept_whole_and_large(self) -> None:
        card = lay_out(_badge("Zoé Lefèvre"), badge_fonts(), width=A6[0], height=A6[1], modules=33)
        [name] = [line for line in card.lines if line.text == "Zoé Lefèvre"]
        assert name.bold
        assert name.size >= 24

    def test_a_long_name_wraps_on_two_lines_without_loss(self) -> None:
        card = lay_out(_badge(LONG_NAME), badge_fonts(), width=A6[0], height=A6[1], modules=33)
        name_lines = _name_lines(card)
        assert 2 <= len(name_lines) <= 3
        assert " ".join(name_lines).replace("- ", "-") == LONG_NAME

    def test_an_endless_word_of_the_longest_allowed_name_is_kept_whole(self) -> None:
        card = lay_out(_badge("x" * 120), badge_fonts(), width=A6[0], height=A6[1], modules=33)
        name_lines = _name_lines(card)
        assert "".join(name_lines) == "x" * 120
        assert all(line.baseline < card.qr.y for line in card.lines)

    def test_wrap_breaks_after_hyphens(self) -> None:
        fonts = badge_fonts()
        lines = wrap("Anne-Sophie-Charlotte", fonts.bold, 20, fonts.bold.width("Anne-Sophie-", 20) + 1)
        assert lines == ["Anne-Sophie-", "Charlotte"]


class TestFonts:
    def test_bundled_fallback_draws_french(self) -> None:
        vera: FontSet = find_fonts((VERA,))
        for char in "éèêëàâçîïôöùûüÿœæÉÈÀÇŒÆ'’«»":
            assert vera.regular.covers(char), char
            assert vera.bold.covers(char), char

    def test_missing_letters_fall_back_to_their_base(self) -> None:
        vera = find_fonts((VERA,))
        assert vera.regular.printable("Ṩam 🎉") == "Sam"

    def test_system_font_preferred_when_present(self) -> None:
        require_or_skip(any((d / DEJAVU.regular).is_file() for d in DEJAVU.directories), "DejaVu Sans")
        assert badge_fonts().regular.name == "DejaVuSans"
