"""Print-ready badges as a PDF written front to back, page by page.

A PDF can be produced in one pass: each page's content stream and page object
are emitted as soon as the page is drawn, and only their object numbers and
byte offsets are kept. What must know every page — the fonts (subset to the
characters actually printed), the page tree and the cross-reference table — is
written at the end; PDF allows objects to refer forward. So printing 10,000
badges holds a few integers per page, never the document.

Text uses Type 0 fonts with Identity-H encoding: each character is written as
its Unicode code point (a CID), and a CIDToGIDMap turns it into the embedded
subset's glyph; a ToUnicode map keeps the text searchable and copyable.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path

from rencontre.badges.fonts import Font, FontSet, badge_fonts
from rencontre.badges.layout import BadgeText, Card, Line
from rencontre.badges.render import A6, MM, Matrix, card_for, dark_runs

A4 = (210 * MM, 297 * MM)
SHEET_CARD = (95 * MM, 135 * MM)  # four per A4 sheet, with room for cut marks
SHEET_COLUMNS, SHEET_ROWS = 2, 2
CUT_MARK_LENGTH = 6 * MM
CUT_MARK_OFFSET = 2 * MM

# reportlab's TrueType parser reads through a shared cursor: one subset at a time.
_SUBSET_LOCK = threading.Lock()


class PaperLayout(StrEnum):
    a6 = "a6"  # one badge per A6 page
    a4 = "a4"  # four badges per A4 sheet, with cut marks


def _fmt(value: float, places: int = 2) -> str:
    return f"{value:.{places}f}".rstrip("0").rstrip(".") or "0"


class PdfStream:
    """A PDF whose bytes are handed out as they are produced."""

    def __init__(self, fonts: FontSet, *, title: str = "") -> None:
        self._fonts: dict[str, Font] = {}
        self._keys: dict[Path, str] = {}
        self._used: dict[str, set[int]] = {}
        self._font_ids: dict[str, int] = {}
        self._offsets: dict[int, int] = {}
        self._position = 0
        self._last_id = 0
        self._title = title
        self._catalog_id = self._reserve()
        self._pages_id = self._reserve()
        self._resources_id = self._reserve()
        self._page_ids: list[int] = []
        # F1 and F2 always, so that a document's resources look the same whatever its names.
        self.font_key(fonts.regular.primary)
        self.font_key(fonts.bold.primary)

    @property
    def page_count(self) -> int:
        return len(self._page_ids)

    def font_key(self, font: Font) -> str:
        """The resource name of ``font``, registered the first time a page uses it."""
        key = self._keys.get(font.path)
        if key is None:
            key = f"F{len(self._keys) + 1}"
            self._keys[font.path] = key
            self._fonts[key] = font
            self._used[key] = {0x20}
            # Fonts are written at the end, so their objects may be numbered in between pages.
            self._font_ids[key] = self._reserve()
        return key

    def encode(self, key: str, text: str) -> str:
        """``text`` as a hex string of CIDs for font ``key``, remembering the characters used."""
        codes = [ord(c) for c in text if ord(c) <= 0xFFFF]
        self._used[key].update(codes)
        return "".join(f"{code:04X}" for code in codes)

    def start(self) -> bytes:
        return self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def page(self, width: float, height: float, content: bytes) -> bytes:
        content_id = self._reserve()
        page_id = self._reserve()
        self._page_ids.append(page_id)
        return self._stream(content_id, content) + self._object(
            page_id,
            f"<< /Type /Page /Parent {self._pages_id} 0 R /MediaBox [0 0 {_fmt(width)} {_fmt(height)}]"
            f" /Resources {self._resources_id} 0 R /Contents {content_id} 0 R >>",
        )

    def finish(self) -> bytes:
        out = [self._font(key, self._font_ids[key]) for key in self._fonts]
        fonts = " ".join(f"/{key} {object_id} 0 R" for key, object_id in self._font_ids.items())
        out.append(self._object(self._resources_id, f"<< /Font << {fonts} >> /ProcSet [/PDF /Text] >>"))
        kids = " ".join(f"{page_id} 0 R" for page_id in self._page_ids)
        out.append(
            self._object(self._pages_id, f"<< /Type /Pages /Kids [{kids}] /Count {len(self._page_ids)} >>")
        )
        out.append(self._object(self._catalog_id, f"<< /Type /Catalog /Pages {self._pages_id} 0 R >>"))
        info_id = self._reserve()
        out.append(
            self._object(
                info_id, f"<< /Title <{_utf16(self._title)}> /Producer (Rencontre) /Creator (Rencontre) >>"
            )
        )
        xref_at = self._position
        rows = ["xref", f"0 {self._last_id + 1}", "0000000000 65535 f "]
        rows.extend(f"{self._offsets[object_id]:010d} 00000 n " for object_id in range(1, self._last_id + 1))
        trailer = (
            "\n".join(rows)
            + f"\ntrailer\n<< /Size {self._last_id + 1} /Root {self._catalog_id} 0 R /Info {info_id} 0 R >>"
            + f"\nstartxref\n{xref_at}\n%%EOF\n"
        )
        out.append(self._emit(trailer.encode("ascii")))
        return b"".join(out)

    def _font(self, key: str, type0_id: int) -> bytes:
        font = self._fonts[key]
        codes = sorted(self._used[key])
        with _SUBSET_LOCK:
            subset = font.ttf.makeSubset(codes)
        cid_to_gid = _subset_glyph_ids(font, codes)
        tag = "".join(chr(ord("A") + b % 26) for b in hashlib.sha256(repr(codes).encode()).digest()[:6])
        base_font = f"/{tag}+{font.name}"
        file_id, descriptor_id, cid_font_id, map_id, unicode_id = (self._reserve() for _ in range(5))
        ttf = font.ttf
        bbox = " ".join(str(round(v)) for v in ttf.bbox)
        widths = " ".join(f"{code} [{round(ttf.charWidths.get(code, ttf.defaultWidth))}]" for code in codes)
        gid_map = bytearray(2 * (codes[-1] + 1))
        for code, gid in cid_to_gid.items():
            gid_map[2 * code : 2 * code + 2] = gid.to_bytes(2, "big")
        return b"".join(
            [
                self._stream(file_id, subset, f"/Length1 {len(subset)}"),
                self._object(
                    descriptor_id,
                    f"<< /Type /FontDescriptor /FontName {base_font} /Flags 4 /FontBBox [{bbox}]"
                    f" /ItalicAngle {round(ttf.italicAngle)} /Ascent {round(ttf.ascent)}"
                    f" /Descent {round(ttf.descent)} /CapHeight {round(ttf.capHeight)}"
                    f" /StemV {round(ttf.stemV)} /FontFile2 {file_id} 0 R >>",
                ),
                self._stream(map_id, bytes(gid_map)),
                self._stream(unicode_id, _to_unicode_cmap(codes)),
                self._object(
                    cid_font_id,
                    f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {base_font}"
                    " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                    f" /FontDescriptor {descriptor_id} 0 R /DW {round(ttf.defaultWidth)} /W [{widths}]"
                    f" /CIDToGIDMap {map_id} 0 R >>",
                ),
                self._object(
                    type0_id,
                    f"<< /Type /Font /Subtype /Type0 /BaseFont {base_font} /Encoding /Identity-H"
                    f" /DescendantFonts [{cid_font_id} 0 R] /ToUnicode {unicode_id} 0 R >>",
                ),
            ]
        )

    def _reserve(self) -> int:
        self._last_id += 1
        return self._last_id

    def _emit(self, data: bytes) -> bytes:
        self._position += len(data)
        return data

    def _object(self, object_id: int, body: str | bytes) -> bytes:
        self._offsets[object_id] = self._position
        raw = body.encode("latin-1") if isinstance(body, str) else body
        return self._emit(b"%d 0 obj\n" % object_id + raw + b"\nendobj\n")

    def _stream(self, object_id: int, data: bytes, extra: str = "") -> bytes:
        packed = zlib.compress(data, 6)
        head = f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode("ascii")
        return self._object(object_id, head + packed + b"\nendstream")


def _subset_glyph_ids(font: Font, codes: Sequence[int]) -> dict[int, int]:
    """Glyph ids in reportlab's subset: 0 stays .notdef, then each new glyph in the order of ``codes``."""
    new_ids: dict[int, int] = {0: 0}
    mapping: dict[int, int] = {}
    for code in codes:
        original = font.ttf.charToGlyph.get(code, 0)
        if original not in new_ids:
            new_ids[original] = len(new_ids)
        mapping[code] = new_ids[original]
    return mapping


def _to_unicode_cmap(codes: Sequence[int]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(codes), 100):
        chunk = codes[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{code:04X}> <{code:04X}>" for code in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _utf16(text: str) -> str:
    return (b"\xfe\xff" + text.encode("utf-16-be")).hex().upper()


class BadgeSheets:
    """Badges to PDF pages: one per A6 page, or four per A4 sheet with cut marks."""

    def __init__(self, layout: PaperLayout, *, title: str = "", fonts: FontSet | None = None) -> None:
        self.layout = layout
        self._fonts = fonts or badge_fonts()
        self._pdf = PdfStream(self._fonts, title=title)
        self._pending: list[BadgeText] = []

    @property
    def page_count(self) -> int:
        return self._pdf.page_count

    def start(self) -> bytes:
        return self._pdf.start()

    def add(self, badges: Iterable[BadgeText]) -> bytes:
        """The pages completed by these badges (an A4 sheet waits until it has four)."""
        out: list[bytes] = []
        per_page = 1 if self.layout is PaperLayout.a6 else SHEET_COLUMNS * SHEET_ROWS
        for badge in badges:
            self._pending.append(badge)
            if len(self._pending) == per_page:
                out.append(self._page(self._pending))
                self._pending = []
        return b"".join(out)

    def finish(self) -> bytes:
        last = self._page(self._pending) if self._pending else b""
        self._pending = []
        return last + self._pdf.finish()

    def _page(self, badges: Sequence[BadgeText]) -> bytes:
        if self.layout is PaperLayout.a6:
            width, height = A6
            card = self._card_ops(badges[0], 0, 0, width, height, height)
            return self._pdf.page(width, height, card.encode("latin-1"))
        width, height = A4
        card_width, card_height = SHEET_CARD
        left = (width - SHEET_COLUMNS * card_width) / 2
        top = (height - SHEET_ROWS * card_height) / 2
        ops: list[str] = []
        for index, badge in enumerate(badges):
            row, column = divmod(index, SHEET_COLUMNS)
            x, y = left + column * card_width, top + row * card_height
            ops.append(self._card_ops(badge, x, y, card_width, card_height, height))
        ops.append(_cut_marks(left, top, card_width, card_height, height))
        return self._pdf.page(width, height, "\n".join(ops).encode("latin-1"))

    def _card_ops(
        self, badge: BadgeText, x: float, y: float, width: float, height: float, page_height: float
    ) -> str:
        card, matrix = card_for(badge, width, height, self._fonts)
        return "\n".join(
            [
                *(self._text_ops(line, x, y, page_height) for line in card.printed_lines),
                _qr_ops(card, matrix, x, y, page_height),
            ]
        )

    def _text_ops(self, line: Line, x: float, y: float, page_height: float) -> str:
        """One text object; where the font changes (a CJK run) the next run starts where the last ended.

        Each embedded font's /W widths are the metrics the layout measured with, so the
        pen advances exactly as planned without placing every run.
        """
        face = self._fonts.bold if line.bold else self._fonts.regular
        left = x + line.center_x - line.width / 2
        baseline = page_height - (y + line.baseline)
        runs = []
        for font, text in face.runs(line.text):
            key = self._pdf.font_key(font)
            runs.append(f"/{key} {_fmt(line.size)} Tf <{self._pdf.encode(key, text)}> Tj")
        return f"BT 0.067 g 1 0 0 1 {_fmt(left)} {_fmt(baseline)} Tm {' '.join(runs)} ET"


def _qr_ops(card: Card, matrix: Matrix, x: float, y: float, page_height: float) -> str:
    """The QR code as one path, filled once, so that adjacent modules merge without hairline seams.

    The path is drawn in module units: one ``cm`` puts the symbol's top-left corner at the
    origin, one module per unit and rows going down, so each run of dark modules is four
    small integers. Written in points instead (four formatted floats for each of ~300 runs),
    the QR code took about seven times as long to write.
    """
    qr = card.qr
    left, top = x + qr.x, page_height - (y + qr.y)
    transform = f"{_fmt(qr.module, 4)} 0 0 {_fmt(-qr.module, 4)} {_fmt(left, 4)} {_fmt(top, 4)} cm"
    rects = " ".join(f"{column} {row} {length} 1 re" for row, column, length in dark_runs(matrix))
    return f"q {transform} 0 g {rects} f Q"


def _cut_marks(left: float, top: float, card_width: float, card_height: float, page_height: float) -> str:
    """Short lines in the margins, in line with every cut, never over a badge."""
    right = left + SHEET_COLUMNS * card_width
    bottom = top + SHEET_ROWS * card_height
    segments: list[tuple[float, float, float, float]] = []
    for column in range(SHEET_COLUMNS + 1):
        cut_x = left + column * card_width
        segments.append((cut_x, top - CUT_MARK_OFFSET, cut_x, top - CUT_MARK_OFFSET - CUT_MARK_LENGTH))
        segments.append((cut_x, bottom + CUT_MARK_OFFSET, cut_x, bottom + CUT_MARK_OFFSET + CUT_MARK_LENGTH))
    for row in range(SHEET_ROWS + 1):
        cut_y = top + row * card_height
        segments.append((left - CUT_MARK_OFFSET, cut_y, left - CUT_MARK_OFFSET - CUT_MARK_LENGTH, cut_y))
        segments.append((right + CUT_MARK_OFFSET, cut_y, right + CUT_MARK_OFFSET + CUT_MARK_LENGTH, cut_y))
    lines = " ".join(
        f"{_fmt(x1)} {_fmt(page_height - y1)} m {_fmt(x2)} {_fmt(page_height - y2)} l"
        for x1, y1, x2, y2 in segments
    )
    return f"0.5 w 0 G {lines} S"
