"""The TrueType fonts badges are drawn with, and their metrics.

DejaVu Sans where the system has it (wide coverage: Latin, Greek, Cyrillic);
otherwise Bitstream Vera Sans, which ships inside the reportlab wheel, so a
clean machine still prints accents, apostrophes and œ. Neither has a single
Chinese, Japanese or Korean glyph: for those, a face falls back, character by
character, to Noto Sans SC (Han and kana) and Noto Sans KR (Hangul), which the
frontend build copies out of their npm packages into ``frontend/dist/fonts/badge``.
Both are TrueType outlines, so the PDF writer embeds a subset of them like any
other face. They weigh 6–10 MB each and take seconds to parse, so each is read
the first time a badge needs it, never for a badge in Latin script.

Every renderer (PDF, SVG, PNG) measures text with the same metrics, so a name
that fits in one fits in all.
"""

from __future__ import annotations

import threading
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
# Beside a checkout, or in the working directory of an installed package (the image).
_CJK_DIRS = (
    Path(__file__).resolve().parents[3] / "frontend" / "dist" / "fonts" / "badge",
    Path.cwd() / "frontend" / "dist" / "fonts" / "badge",
)


@dataclass(frozen=True)
class Font:
    """One font file: where it is and how wide its characters are."""

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


# Joiners and variation selectors only mean something to emoji, which are left out: some
# fonts draw them as visible placeholders.
_EMOJI_GLUE = frozenset("\u200b\u200c\u200d\u2060") | frozenset(chr(code) for code in range(0xFE00, 0xFE10))


def _is_hangul(code: int) -> bool:
    return (
        0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xA960 <= code <= 0xA97F
        or 0xAC00 <= code <= 0xD7FF
        or 0xFFA0 <= code <= 0xFFDC
    )


def is_cjk(code: int) -> bool:
    """Han, kana, Hangul, bopomofo, CJK punctuation and full-width forms."""
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or _is_hangul(code)
    )


class LazyFont:
    """A font file read the first time a character needs it (or never, if absent)."""

    def __init__(self, name: str, candidates: tuple[Path, ...]) -> None:
        self.name = name
        self.candidates = candidates
        self._lock = threading.Lock()
        self._font: Font | None = None
        self._loaded = False

    def get(self) -> Font | None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    path = next((p for p in self.candidates if p.is_file()), None)
                    self._font = _load(self.name, path) if path else None
                    self._loaded = True
        return self._font


@dataclass(frozen=True)
class CjkFaces:
    """Where Han and kana are drawn from, and where Hangul is."""

    han: LazyFont
    hangul: LazyFont

    def order(self, code: int) -> tuple[LazyFont, LazyFont]:
        # The Korean face has the common hanja and kana too, so a Korean name never reads the larger one.
        return (self.hangul, self.han) if _is_hangul(code) else (self.han, self.hangul)


class Face:
    """A typeface as the layout sees it: the main font, then the CJK ones for what it lacks."""

    def __init__(self, primary: Font, cjk: CjkFaces | None = None) -> None:
        self.primary = primary
        self._cjk = cjk
        self._choice: dict[str, Font] = {}

    @property
    def name(self) -> str:
        return self.primary.name

    def font_for(self, char: str) -> Font:
        """The font that draws ``char`` (the main one when none does: its box is the honest result)."""
        found = self._choice.get(char)
        if found is None:
            found = self._find(char)
            self._choice[char] = found
        return found

    def _find(self, char: str) -> Font:
        if self.primary.covers(char):
            return self.primary
        code = ord(char)
        if self._cjk is not None and is_cjk(code):
            for lazy in self._cjk.order(code):
                font = lazy.get()
                if font is not None and font.covers(char):
                    return font
        return self.primary

    def covers(self, char: str) -> bool:
        return self.font_for(char).covers(char)

    def advance(self, char: str) -> float:
        return self.font_for(char).advance(char)

    def width(self, text: str, size: float) -> float:
        return sum(self.advance(c) for c in text) * size / 1000.0

    def runs(self, text: str) -> list[tuple[Font, str]]:
        """``text`` cut where the font drawing it changes."""
        out: list[tuple[Font, str]] = []
        for char in text:
            font = self.font_for(char)
            if out and out[-1][0] is font:
                out[-1] = (font, out[-1][1] + char)
            else:
                out.append((font, char))
        return out

    @property
    def ascent(self) -> float:
        """Above the baseline, in ems."""
        return float(self.primary.ttf.ascent) / 1000.0

    @property
    def descent(self) -> float:
        """Below the baseline, in ems (positive)."""
        return -float(self.primary.ttf.descent) / 1000.0

    def printable(self, text: str) -> str:
        """``text`` as it will be drawn: what no font has is replaced by the nearest it can, or left out.

        A letter no font has falls back to its base letter ("ṩ" → "s"). Characters
        outside the Basic Multilingual Plane (emoji, rare Han extensions) are dropped,
        since a PDF CID font here addresses two bytes; so are symbols, joiners and
        variation selectors and joiners, which only glue emoji together, and symbols that no
        font draws, which would print as empty boxes. A letter that no font has and that has no base
        letter stays, drawn as a box: a name visibly damaged rather than silently shortened.
        """
        cmap = self.primary.ttf.charToGlyph
        if all(ord(char) in cmap for char in text) and _EMOJI_GLUE.isdisjoint(text):
            return " ".join(text.split())  # the usual name: nothing to look up
        out: list[str] = []
        for char in text:
            if ord(char) > 0xFFFF or char in _EMOJI_GLUE:
                continue
            if self.covers(char):
                out.append(char)
                continue
            decomposed = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            if decomposed and all(ord(c) <= 0xFFFF and self.covers(c) for c in decomposed):
                out.append(decomposed)
            elif unicodedata.category(char)[0] not in "LN":
                continue
            else:
                out.append(char)
        # What was left out may leave two spaces side by side, or one at an end.
        return " ".join("".join(out).split())


@dataclass(frozen=True)
class FontSet:
    regular: Face
    bold: Face


@dataclass(frozen=True)
class FaceFiles:
    directories: tuple[Path, ...]
    regular: str
    bold: str
    regular_name: str
    bold_name: str


DEJAVU = FaceFiles(_SYSTEM_DIRS, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans", "DejaVuSans-Bold")
VERA = FaceFiles((_BUNDLED_DIR,), "Vera.ttf", "VeraBd.ttf", "BitstreamVeraSans", "BitstreamVeraSans-Bold")
NOTO_SC = FaceFiles(
    _CJK_DIRS, "NotoSansSC_400Regular.ttf", "NotoSansSC_700Bold.ttf", "NotoSansSC", "NotoSansSC-Bold"
)
NOTO_KR = FaceFiles(
    _CJK_DIRS, "NotoSansKR_400Regular.ttf", "NotoSansKR_700Bold.ttf", "NotoSansKR", "NotoSansKR-Bold"
)


def _lazy(face: FaceFiles, bold: bool) -> LazyFont:
    file, name = (face.bold, face.bold_name) if bold else (face.regular, face.regular_name)
    return LazyFont(name, tuple(directory / file for directory in face.directories))


# One per weight for the whole process: a CJK font is parsed once, whichever badge needs it first.
CJK_REGULAR = CjkFaces(han=_lazy(NOTO_SC, False), hangul=_lazy(NOTO_KR, False))
CJK_BOLD = CjkFaces(han=_lazy(NOTO_SC, True), hangul=_lazy(NOTO_KR, True))


def cjk_available() -> bool:
    """Whether the CJK faces are on disk (the frontend build puts them there)."""
    return all(any(path.is_file() for path in lazy.candidates) for lazy in (CJK_BOLD.han, CJK_BOLD.hangul))


@cache
def badge_fonts() -> FontSet:
    return find_fonts((DEJAVU, VERA))


def find_fonts(
    candidates: tuple[FaceFiles, ...], cjk: tuple[CjkFaces, CjkFaces] | None = (CJK_REGULAR, CJK_BOLD)
) -> FontSet:
    """The first face whose regular and bold files are both present, falling back to ``cjk``."""
    regular_cjk, bold_cjk = cjk if cjk is not None else (None, None)
    for face in candidates:
        for directory in face.directories:
            regular, bold = directory / face.regular, directory / face.bold
            if regular.is_file() and bold.is_file():
                return FontSet(
                    regular=Face(_load(face.regular_name, regular), regular_cjk),
                    bold=Face(_load(face.bold_name, bold), bold_cjk),
                )
    raise RuntimeError(f"no badge font found: reportlab's own fonts are missing from {_BUNDLED_DIR}")


def _load(name: str, path: Path) -> Font:
    return Font(name=name, path=path, ttf=TTFontFile(str(path)))
