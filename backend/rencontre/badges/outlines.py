"""Glyph outlines as SVG path data, for text the viewer of an SVG may have no font for.

A badge SVG carries no style sheet (nothing a strict Content-Security-Policy would
block), so it cannot embed a font; and a machine without a CJK font draws a
Chinese or Korean name as boxes. A line that needs the CJK faces is therefore drawn
as outlines, read from the same files and placed with the same metrics as the PDF.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from rencontre.badges.fonts import Font

# fontTools reads tables lazily from one open file: one reader at a time.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Outlines:
    glyphs: Any  # the font's glyph set
    cmap: dict[int, str]
    units_per_em: int


@cache
def _outlines(path: str) -> _Outlines:
    font = TTFont(path, lazy=True)
    return _Outlines(font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm)


def path_data(font: Font, text: str, x: float, baseline: float, size: float) -> str:
    """SVG path data drawing ``text`` in ``font`` at ``size``, its baseline starting at (x, baseline)."""
    with _LOCK:
        outlines = _outlines(str(font.path))
        pen = SVGPathPen(outlines.glyphs, ntos=lambda value: f"{value:.2f}".rstrip("0").rstrip("."))
        scale = size / outlines.units_per_em
        for char in text:
            name = outlines.cmap.get(ord(char))
            if name is not None:
                outlines.glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x, baseline)))
            x += font.advance(char) * size / 1000.0
        return str(pen.getCommands())
