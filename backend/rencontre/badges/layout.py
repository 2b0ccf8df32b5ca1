"""Where everything goes on a badge, whatever it is drawn on (PDF, SVG, PNG).

Sizes scale with the card, so the same rules lay out an A6 page and a quarter of
an A4 sheet. Text never overflows: a block shrinks, wraps onto a second line
(at spaces, or after a hyphen), and only a name too long for two lines at the
smallest size is cut with an ellipsis. Coordinates are points from the card's
top-left corner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from rencontre.badges.fonts import Font, FontSet
from rencontre.kit.text import clean_line

QUIET_ZONE = 4  # modules of white around a QR code, as the standard asks
MIN_TEXT_SIZE = 6.0
ELLIPSIS = "…"


@dataclass(frozen=True)
class BadgeText:
    """What a badge shows."""

    event: str
    name: str
    company: str
    job_title: str
    url: str


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool
    size: float
    center_x: float
    baseline: float
    width: float


@dataclass(frozen=True)
class QrBox:
    """The symbol's top-left corner (inside its quiet zone) and the side of one module."""

    x: float
    y: float
    module: float
    modules: int

    @property
    def side(self) -> float:
        return self.module * self.modules


@dataclass(frozen=True)
class Card:
    width: float
    height: float
    lines: tuple[Line, ...]
    qr: QrBox


@dataclass(frozen=True)
class _Block:
    """A run of text and the sizes it may take, as fractions of the card width."""

    text: str
    bold: bool
    largest: float
    smallest: float
    max_lines: int
    # Lines allowed once the smallest size is reached, before anything is cut.
    overflow_lines: int = 0


_LINE_HEIGHT = 1.18
_BLOCK_GAP = 0.022  # of the card width
_BREAKS = re.compile(r"[^\s-]+-+|[^\s-]+|-+")


def lay_out(badge: BadgeText, fonts: FontSet, *, width: float, height: float, modules: int) -> Card:
    margin_x = width * 0.07
    text_width = width - 2 * margin_x
    qr = _place_qr(width, height, modules)
    top = height * 0.09  # a lanyard hole or clip sits above this
    bottom = qr.y - QUIET_ZONE * qr.module - width * 0.02
    blocks = [
        _Block(badge.event, False, 0.034, 0.026, 1),
        _Block(badge.name, True, 0.100, 0.050, 2, overflow_lines=3),
        _Block(badge.company, True, 0.060, 0.032, 2),
        _Block(badge.job_title, False, 0.046, 0.028, 2),
    ]
    scale = 1.0
    while True:
        fitted = [_fit(blocks[0], fonts, width * scale, text_width)]
        name_size = width * scale
        for block in blocks[1:]:
            # Nothing below the name may look bigger than the name once it had to shrink.
            fitted.append(_fit(block, fonts, width * scale, text_width, cap=name_size))
            name_size = min(name_size, fitted[-1][0] * 0.8) if fitted[-1][1] else name_size
        heights = [_block_height(lines, size) for size, lines in fitted]
        gaps = _BLOCK_GAP * width * scale * (sum(1 for h in heights if h) - 1)
        if sum(heights) + gaps <= bottom - top or scale <= 0.5:
            break
        scale *= 0.94
    lines: list[Line] = []
    # The event's name sits at the top; the person is centred in the room left.
    event_size, event_lines = fitted[0]
    y = top
    y = _stack(lines, event_lines, fonts, blocks[0].bold, event_size, width / 2, y)
    person_height = sum(heights[1:]) + _BLOCK_GAP * width * scale * (sum(1 for h in heights[1:] if h) - 1)
    y = max(y, top + heights[0] + (bottom - top - heights[0] - person_height) / 2)
    for block, (size, block_lines) in zip(blocks[1:], fitted[1:], strict=True):
        if block_lines:
            y = _stack(lines, block_lines, fonts, block.bold, size, width / 2, y)
            y += _BLOCK_GAP * width * scale
    return Card(width=width, height=height, lines=tuple(lines), qr=qr)


def _place_qr(width: float, height: float, modules: int) -> QrBox:
    outer = min(width * 0.64, height * 0.44)
    module = outer / (modules + 2 * QUIET_ZONE)
    side = module * modules
    x = (width - side) / 2
    y = height - height * 0.05 - QUIET_ZONE * module - side
    return QrBox(x=x, y=y, module=module, modules=modules)


def _fit(
    block: _Block, fonts: FontSet, scale: float, max_width: float, *, cap: float | None = None
) -> tuple[float, list[str]]:
    font = fonts.bold if block.bold else fonts.regular
    text = font.printable(clean_line(block.text))
    smallest = max(MIN_TEXT_SIZE, block.smallest * scale)
    largest = max(smallest, min(block.largest * scale, cap if cap is not None else block.largest * scale))
    if not text:
        return largest, []
    prefix = _prefix(text, font)
    for max_lines in (block.max_lines, block.overflow_lines):
        if max_lines < block.max_lines:
            continue
        size = largest
        while True:
            spans = _wrap_spans(text, prefix, size, max_width)
            if len(spans) <= max_lines or size <= smallest:
                break
            size = max(smallest, size * 0.93)
        if len(spans) <= max_lines:
            break
    lines = [text[start:end].strip() for start, end in spans[:max_lines]]
    if len(spans) > max_lines:
        rest = text[spans[max_lines - 1][0] :].strip()
        lines[-1] = ellipsize(rest, font, size, max_width)
    return size, lines


def wrap(text: str, font: Font, size: float, max_width: float) -> list[str]:
    """Greedy wrapping at spaces and after hyphens; a word wider than the line is split."""
    return [text[start:end].strip() for start, end in _wrap_spans(text, _prefix(text, font), size, max_width)]


def _prefix(text: str, font: Font) -> list[float]:
    """Widths of every prefix of ``text`` (thousandths of an em): any slice is one subtraction."""
    return [0.0, *accumulate(font.advance(char) for char in text)]


def _wrap_spans(text: str, prefix: list[float], size: float, max_width: float) -> list[tuple[int, int]]:
    limit = max_width * 1000.0 / size

    def fits(start: int, end: int) -> bool:
        return prefix[end] - prefix[start] <= limit

    spans: list[tuple[int, int]] = []
    line: tuple[int, int] | None = None
    for word in re.finditer(r"\S+", text):
        for piece in _BREAKS.finditer(word.group()):
            start, end = word.start() + piece.start(), word.start() + piece.end()
            if line is not None and fits(line[0], end):
                line = (line[0], end)
                continue
            if line is not None:
                spans.append(line)
            line = (start, end)
            if fits(start, end):
                continue
            line = (start, start)
            for index in range(start, end):
                if index > line[0] and not fits(line[0], index + 1):
                    spans.append(line)
                    line = (index, index)
                line = (line[0], index + 1)
    if line is not None:
        spans.append(line)
    return spans


def ellipsize(text: str, font: Font, size: float, max_width: float) -> str:
    if font.width(text, size) <= max_width:
        return text
    while text and font.width(text.rstrip() + ELLIPSIS, size) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _block_height(lines: list[str], size: float) -> float:
    return len(lines) * size * _LINE_HEIGHT


def _stack(
    out: list[Line], texts: list[str], fonts: FontSet, bold: bool, size: float, center_x: float, y: float
) -> float:
    font = fonts.bold if bold else fonts.regular
    line_height = size * _LINE_HEIGHT
    for text in texts:
        leading = (line_height - (font.ascent + font.descent) * size) / 2
        baseline = y + leading + font.ascent * size
        out.append(
            Line(
                text=text,
                bold=bold,
                size=size,
                center_x=center_x,
                baseline=baseline,
                width=font.width(text, size),
            )
        )
        y += line_height
    return y
