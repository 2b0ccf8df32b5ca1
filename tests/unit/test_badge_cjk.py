"""Chinese, Japanese and Korean names print with real glyphs: in the PDF, the PNG and the SVG."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pypdf
import pypdfium2
import pytest
from PIL import Image, ImageChops

from rencontre.badges.fonts import badge_fonts, cjk_available
from rencontre.badges.layout import BadgeText, Card, Role
from rencontre.badges.pdf import BadgeSheets, PaperLayout
from rencontre.badges.render import A6, badge_png, badge_svg, card_for
from tests.support import require_or_skip

CJK_NAMES = ["山田 太郎", "김민준", "王小明"]
URL = "http://127.0.0.1:8000/b/cjk"
SCALE = 2.0  # pixels per point when rendering a page


@pytest.fixture(autouse=True)
def _cjk_fonts() -> None:
    require_or_skip(cjk_available(), "the CJK badge fonts (frontend build: dist/fonts/badge)")


def _badge(name: str) -> BadgeText:
    return BadgeText(event="Rencontres", name=name, company="Société", job_title="Chargée", url=URL)


def _pdf(name: str) -> bytes:
    sheets = BadgeSheets(PaperLayout.a6)
    return sheets.start() + sheets.add([_badge(name)]) + sheets.finish()


def _name_box(card: Card) -> tuple[int, int, int, int]:
    """Where the name's lines are, in rendered pixels."""
    lines = [line for line in card.lines if line.role is Role.name]
    left = min(line.center_x - line.width / 2 for line in lines)
    right = max(line.center_x + line.width / 2 for line in lines)
    top = lines[0].baseline - lines[0].size
    bottom = lines[-1].baseline + lines[-1].size * 0.3
    return round(left * SCALE), round(top * SCALE), round(right * SCALE), round(bottom * SCALE)


def _pdf_name_pixels(name: str) -> Image.Image:
    page = pypdfium2.PdfDocument(_pdf(name))[0]
    image = page.render(scale=SCALE).to_pil().convert("L")
    card, _ = card_for(_badge(name), *A6)
    return image.crop(_name_box(card))


def _png_name_pixels(name: str) -> Image.Image:
    image = Image.open(io.BytesIO(badge_png(_badge(name), dpi=round(72 * SCALE)))).convert("L")
    card, _ = card_for(_badge(name), *A6)
    return image.crop(_name_box(card))


def _inked(image: Image.Image) -> int:
    return sum(image.point(lambda value: 255 if value < 128 else 0).histogram()[255:])


class TestCjkNamesInThePdf:
    @pytest.mark.parametrize("name", CJK_NAMES)
    def test_the_text_extracted_from_the_pdf_is_the_name(self, name: str) -> None:
        text = pypdf.PdfReader(io.BytesIO(_pdf(name))).pages[0].extract_text()
        assert name in text.splitlines()

    @pytest.mark.parametrize("name", CJK_NAMES)
    def test_the_name_is_inked_where_the_layout_put_it(self, name: str) -> None:
        assert _inked(_pdf_name_pixels(name)) > 200

    def test_two_characters_render_as_two_different_glyphs_not_two_boxes(self) -> None:
        for first, second in (("山", "田"), ("김", "민"), ("王", "明")):
            a, b = _pdf_name_pixels(first), _pdf_name_pixels(second)
            assert a.size == b.size
            assert ImageChops.difference(a, b).getbbox() is not None, (first, second)

    def test_a_name_mixing_latin_and_cjk_keeps_both(self) -> None:
        text = pypdf.PdfReader(io.BytesIO(_pdf("Zoé 山田"))).pages[0].extract_text()
        assert "Zoé 山田" in text.splitlines()

    def test_the_cjk_font_is_embedded_as_a_subset(self) -> None:
        data = _pdf("山田 太郎")
        assert b"+NotoSansSC-Bold" in data
        assert len(data) < 200_000  # a few glyphs of a 10 MB face


class TestCjkNamesInThePng:
    @pytest.mark.parametrize("name", CJK_NAMES)
    def test_the_name_is_inked(self, name: str) -> None:
        assert _inked(_png_name_pixels(name)) > 200

    def test_two_characters_render_as_two_different_glyphs_not_two_boxes(self) -> None:
        for first, second in (("山", "田"), ("김", "민")):
            a, b = _png_name_pixels(first), _png_name_pixels(second)
            assert ImageChops.difference(a, b).getbbox() is not None, (first, second)


class TestEmoji:
    """No font here draws emoji: they are left out rather than printed as boxes."""

    def test_an_emoji_is_left_out_of_every_output(self) -> None:
        plain, decorated = _badge("Zoé Lefèvre"), _badge("Zoé 🎉 Lefèvre 👩‍💻")
        assert badge_png(decorated) == badge_png(plain)
        text = pypdf.PdfReader(io.BytesIO(_pdf(decorated.name))).pages[0].extract_text()
        assert "Zoé Lefèvre" in text.splitlines()

    def test_a_symbol_no_font_has_is_left_out_not_boxed(self) -> None:
        fonts = badge_fonts()
        assert fonts.bold.printable("Zoé \u2b50\ufe0f Lefèvre \u200d") == "Zoé Lefèvre"


SVG = "{http://www.w3.org/2000/svg}"


def _svg_name(name: str) -> tuple[list[str], list[str]]:
    """The SVG's text lines and the outlines drawn in its text group."""
    root = ET.fromstring(badge_svg(_badge(name)))  # noqa: S314 - our own rendering
    group = root.find(f"{SVG}g")
    assert group is not None
    texts = [text.text or "" for text in group.iter(f"{SVG}text")]
    return texts, [path.attrib["d"] for path in group.iter(f"{SVG}path")]


class TestCjkNamesInTheSvg:
    """An SVG viewer may have no CJK font: such a line is drawn as outlines, its text kept beneath."""

    @pytest.mark.parametrize("name", CJK_NAMES)
    def test_the_name_is_drawn_as_outlines_and_kept_as_text(self, name: str) -> None:
        texts, outlines = _svg_name(name)
        assert name in texts
        assert len(outlines) == 1
        assert outlines[0].count("M") >= len(name.replace(" ", ""))  # at least one contour a character

    def test_two_characters_have_two_different_outlines(self) -> None:
        for first, second in (("山", "田"), ("김", "민")):
            [a], [b] = _svg_name(first)[1], _svg_name(second)[1]
            assert a != b

    def test_a_latin_badge_has_no_outlines_and_no_style(self) -> None:
        svg = badge_svg(_badge("Zoé Lefèvre"))
        assert _svg_name("Zoé Lefèvre")[1] == []
        assert "style" not in badge_svg(_badge("山田 太郎"))
        assert "style" not in svg
