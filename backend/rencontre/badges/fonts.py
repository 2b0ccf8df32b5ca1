"""The TrueType fonts badges are drawn with, and their metrics.

DejaVu Sans where the system has it (wide coverage: Latin, Greek, Cyrillic);
otherwise Bitstream Vera Sans, which ships inside the reportlab wheel, so a
clean machine still prints accents, apostrophes and œ. Every renderer (PDF,
SVG, PNG) measures text with the same metrics, so a name that fits in one fits
in all.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase.ttfonts import TTFontFile

_SYSTEM_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
_BUNDLED_DIR = Path(reportlab.__file__).parent / "fonts"


@dataclass(frozen=True)
class Font:
    """One face: where its file is and how wide its characters are."""

    name: str
    path: Path
    ttf: TTFontFile = field(repr=False, compare=False)

    def covers(self, char: str) -> bool:
        return ord(char) in self.ttf.charToGlyph

    def advance(self, char: str) -> float:
        """How far one character moves the pen, in thousandths of an em."""
        return float(self.ttf.charWidths.get(ord(char), self.ttf.defaultWidth))

    def width(self, text: str, size: float) -> float:
        return sum(self.advance(c) for c in text) * size / 1000.0

    @property
    def ascent(self) -> float:
        """Above the baseline, in ems."""
        return float(self.ttf.ascent) / 1000.0

    @property
    def descent(self) -> float:
        """Below the baseline, in ems (positive)."""
        return -float(self.ttf.descent) / 1000.0

    def printable(self, text: str) -> str:
        """``text`` with what this face cannot draw replaced by the nearest it can.

        A letter the face lacks falls back to its base letter ("ṩ" → "s");
        characters outside the Basic Multilingual Plane (emoji) are dropped, since a
        badge has no use for them and a PDF CID font addresses two bytes.
        """
        out: list[str] = []
        for char in text:
            if ord(char) > 0xFFFF:
                continue
            if self.covers(char):
                out.append(char)
                continue
            decomposed = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            if decomposed and all(self.covers(c) and ord(c) <= 0xFFFF for c in decomposed):
                out.append(decomposed)
            else:
                out.append(char)  # drawn as the face's "missing glyph" box: visibly not silently lost
        return "".join(out)


@dataclass(frozen=True)
class FontSet:
    regular: Font
    bold: Font


@dataclass(frozen=True)
class FaceFiles:
    directories: tuple[Path, ...]
    regular: str
    bold: str
    regular_name: str
    bold_name: str


DEJAVU = FaceFiles(_SYSTEM_DIRS, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans", "DejaVuSans-Bold")
VERA = FaceFiles((_BUNDLED_DIR,), "Vera.ttf", "VeraBd.ttf", "BitstreamVeraSans", "BitstreamVeraSans-Bold")


@cache
def badge_fonts() -> FontSet:
    return find_fonts((DEJAVU, VERA))


def find_fonts(candidates: tuple[FaceFiles, ...]) -> FontSet:
    """The first face whose regular and bold files are both present."""
    for face in candidates:
        for directory in face.directories:
            regular, bold = directory / face.regular, directory / face.bold
            if regular.is_file() and bold.is_file():
                return FontSet(regular=_load(face.regular_name, regular), bold=_load(face.bold_name, bold))
    raise RuntimeError(f"no badge font found: reportlab's own fonts are missing from {_BUNDLED_DIR}")


def _load(name: str, path: Path) -> Font:
    return Font(name=name, path=path, ttf=TTFontFile(str(path)))
