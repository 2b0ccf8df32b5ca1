"""One badge as SVG or PNG, and the QR code every rendering shares.

The QR code comes from the ``qrcode`` package at error correction M: a default
badge URL (about 55 characters) fits version 4, 33 × 33 modules, which reads
from arm's length once printed a few centimetres wide. It is drawn with one
fixed mask pattern (see :data:`QR_MASK`) instead of the library's search over
all eight, which drew each code eight times and was most of a badge's cost.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from rencontre.badges.fonts import FontSet, badge_fonts
from rencontre.badges.layout import QUIET_ZONE, BadgeText, Card, Line, lay_out
from rencontre.badges.outlines import path_data

MM = 72 / 25.4
A6 = (105 * MM, 148 * MM)
# The viewer's own fonts draw the SVG: the faces the PDF embeds first, then any sans-serif
# (a browser finds CJK glyphs in whatever system font has them).
SVG_FONT_FAMILY = (
    "'DejaVu Sans', 'Bitstream Vera Sans', 'Noto Sans SC', 'Noto Sans CJK SC', 'Noto Sans KR',"
    " 'Noto Sans CJK KR', Verdana, Arial, sans-serif"
)

Matrix = list[list[bool]]

# The mask pattern every badge's QR code uses: 2, dark where the column is a multiple of 3
# (ISO/IEC 18004 mask 010). Any of the eight is a valid symbol that every decoder reads;
# the search for the best one only lowers a penalty score, for eight times the work.
# Over a thousand badge URLs, 2 is the mask that search picked most often, and it
# scored about 7% above the best on average (the worst mask, about 35%).
QR_MASK = 2


def qr_matrix(data: str) -> Matrix:
    """The dark (True) and light modules of the QR code for ``data``, without quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    code.add_data(data)
    # The smallest version that holds ``data``, found once: ``make(fit=True)`` would look twice.
    code.best_fit()
    code.make(fit=False)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def dark_runs(matrix: Matrix) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    for row_index, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            yield row_index, start, column - start


def card_for(
    badge: BadgeText, width: float, height: float, fonts: FontSet | None = None
) -> tuple[Card, Matrix]:
    matrix = qr_matrix(badge.url)
    card = lay_out(badge, fonts or badge_fonts(), width=width, height=height, modules=len(matrix))
    return card, matrix


def badge_svg(badge: BadgeText, *, size: tuple[float, float] = A6) -> str:
    """A self-contained SVG (presentation attributes only: no style, no script)."""
    width, height = size
    fonts = badge_fonts()
    card, matrix = card_for(badge, width, height, fonts)
    qr = card.qr
    m = qr.module
    path = "".join(
        f"M{qr.x + column * m:.3f} {qr.y + row * m:.3f}h{length * m:.3f}v{m:.3f}h{-length * m:.3f}z"
        for row, column, length in dark_runs(matrix)
    )
    texts = "".join(_svg_line(line, fonts) for line in card.printed_lines)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width / MM:.1f}mm" height="{height / MM:.1f}mm"'
        f' viewBox="0 0 {width:.2f} {height:.2f}">'
        f"<title>{escape(badge.name)}</title>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
        f'<g font-family={quoteattr(SVG_FONT_FAMILY)} fill="#111111">{texts}</g>'
        f'<path d="{path}" fill="#000000" shape-rendering="crispEdges"/>'
        "</svg>\n"
    )


def _svg_line(line: Line, fonts: FontSet) -> str:
    """One line as text; a line in CJK also as outlines, which need no font on the viewer's side.

    The text stays (transparent) under the outlines, so the name can still be searched and copied.
    """
    face = fonts.bold if line.bold else fonts.regular
    runs = face.runs(line.text)
    outlined = any(font is not face.primary for font, _ in runs)
    hidden = ' fill-opacity="0"' if outlined else ""
    text = (
        f'<text x="{line.center_x:.2f}" y="{line.baseline:.2f}" font-size="{line.size:.2f}"'
        f'{" font-weight=" + quoteattr("bold") if line.bold else ""} text-anchor="middle"'
        f' textLength="{line.width:.2f}" lengthAdjust="spacingAndGlyphs"'
        f"{hidden}>{escape(line.text)}</text>"
    )
    if not outlined:
        return text
    x = line.center_x - line.width / 2
    paths = []
    for font, run in runs:
        paths.append(path_data(font, run, x, line.baseline, line.size))
        x += font.width(run, line.size)
    return f'{text}<path d="{"".join(paths)}"/>'


@lru_cache(maxsize=64)
def _image_font(path: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def badge_png(badge: BadgeText, *, size: tuple[float, float] = A6, dpi: int = 200) -> bytes:
    width, height = size
    fonts = badge_fonts()
    card, matrix = card_for(badge, width, height, fonts)
    scale = dpi / 72
    image = Image.new("L", (round(width * scale), round(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    for line in card.printed_lines:
        # Run by run, each from the left edge the layout measured: PIL has no font fallback of its own.
        x = line.center_x - line.width / 2
        for font, text in (fonts.bold if line.bold else fonts.regular).runs(line.text):
            image_font = _image_font(str(font.path), round(line.size * scale, 2))
            draw.text((x * scale, line.baseline * scale), text, font=image_font, fill=17, anchor="ls")
            x += font.width(text, line.size)
    # Whole pixels per module, so that every module has the same size and edges stay sharp.
    qr = card.qr
    module = max(1, int(qr.module * scale))
    side = module * qr.modules
    left = round((qr.x + qr.side / 2) * scale - side / 2)
    top = round((qr.y + qr.side / 2) * scale - side / 2)
    quiet = QUIET_ZONE * module
    draw.rectangle((left - quiet, top - quiet, left + side + quiet - 1, top + side + quiet - 1), fill=255)
    for row, column, length in dark_runs(matrix):
        x, y = left + column * module, top + row * module
        draw.rectangle((x, y, x + length * module - 1, y + module - 1), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, dpi=(dpi, dpi))
    return buffer.getvalue()
