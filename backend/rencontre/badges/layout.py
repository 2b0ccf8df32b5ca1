"""Where everything goes on a badge, whatever it is drawn on (PDF, SVG, PNG).

Sizes scale with the card, so the same rules lay out an A6 page and a quarter of
an A4 sheet. A name is never cut: it is tried on one line at the largest size,
shrunk to a floor, then wrapped at spaces and after hyphens (and between CJK
characters) onto two, then three lines. A name still too long for that goes a
little smaller on three lines, then onto more lines; a word is broken inside
only when it is wider than a line by itself. The company and the job title give
way first: they shrink, drop to one line ending in an ellipsis, then disappear,
before the name takes a smaller layout to fit above the QR code. Coordinates are
points from the card's top-left corner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate

from rencontre.badges.fonts import Face, FontSet
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
    # The short human code (badges.short_code), printed large under the QR code.
    code: str = ""


class Role(StrEnum):
    event = "event"
    name = "name"
    company = "company"
    job_title = "job_title"
    code = "code"


@dataclass(frozen=True)
class Line:
    role: Role
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
    # The short code, under the QR code (``lines`` are all above it).
    code: Line | None = None

    @property
    def printed_lines(self) -> tuple[Line, ...]:
        return (*self.lines, self.code) if self.code else self.lines


@dataclass(frozen=True)
class _Block:
    """Text laid out: its size and lines."""

    role: Role
    bold: bool
    size: float
    lines: tuple[str, ...]


_LINE_HEIGHT = 1.18
_BLOCK_GAP = 0.022  # of the card width
_STEP = 0.93  # each smaller size tried is this much of the one before
# Sizes as fractions of the card width: (largest, smallest).
_EVENT = (0.034, 0.026)
_NAME = (0.100, 0.050)
_NAME_ONE_LINE = 0.070  # below this, a name wraps rather than shrinks further on one line
_COMPANY = (0.060, 0.032)
_JOB_TITLE = (0.046, 0.028)
_BELOW = 0.8  # nothing under a line may look bigger than this much of it
_NAME_THREE_LINES = 0.040  # a name too long for three lines at its smallest may go this small first
_NAME_FLOOR = 2.0  # points: smaller than anyone reads, but the name is whole
# Ideographs, kana and Hangul break anywhere; other words after a hyphen or at a space.
_CJK_CLASS = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_BREAKS = re.compile(rf"[{_CJK_CLASS}]|[^\s\-{_CJK_CLASS}]+-*|-+")


def lay_out(badge: BadgeText, fonts: FontSet, *, width: float, height: float, modules: int) -> Card:
    margin_x = width * 0.07
    text_width = width - 2 * margin_x
    code = _code_line(badge.code, fonts, width, height)
    qr = _place_qr(width, height, modules, below=_CODE_GAP * width + code.size * _CAP if code else 0.0)
    top = height * 0.09  # a lanyard hole or clip sits above this
    bottom = qr.y - QUIET_ZONE * qr.module - width * 0.02
    gap = _BLOCK_GAP * width
    event = _fit_clipped(
        Role.event,
        fonts.regular.printable(clean_line(badge.event)),
        fonts.regular,
        False,
        _EVENT,
        width,
        text_width,
        max_lines=1,
    )
    room = bottom - top - (_height(event) + gap if event.lines else 0.0)
    person = _fit_person(badge, fonts, width, text_width, room, gap)
    lines: list[Line] = []
    y = _stack(lines, event, fonts, width / 2, top)
    # The event's name sits at the top; the person is centred in the room left.
    event_height = _height(event)
    y = max(y, top + event_height + (bottom - top - event_height - _stacked_height(person, gap)) / 2)
    for block in person:
        y = _stack(lines, block, fonts, width / 2, y) + gap
    return Card(width=width, height=height, lines=tuple(lines), qr=qr, code=code)


def _place_qr(width: float, height: float, modules: int, *, below: float = 0.0) -> QrBox:
    """At the bottom, above ``below`` points kept for the short code; the text goes above."""
    outer = min(width * 0.64, height * 0.44)
    module = outer / (modules + 2 * QUIET_ZONE)
    side = module * modules
    x = (width - side) / 2
    y = height - height * _BOTTOM - below - QUIET_ZONE * module - side
    return QrBox(x=x, y=y, module=module, modules=modules)


_BOTTOM = 0.05  # of the card height, under the lowest mark
_CODE = 0.095  # of the card width: capitals about 6 mm high on A6, read from a few steps away
_CODE_GAP = 0.012
_CAP = 0.74  # capital height as a fraction of the size (the code has no descenders)


def _code_line(code: str, fonts: FontSet, width: float, height: float) -> Line | None:
    if not code:
        return None
    size = max(MIN_TEXT_SIZE, _CODE * width)
    return Line(
        role=Role.code,
        text=code,
        bold=True,
        size=size,
        center_x=width / 2,
        baseline=height - height * _BOTTOM,
        width=fonts.bold.width(code, size),
    )


def _fit_person(
    badge: BadgeText, fonts: FontSet, width: float, text_width: float, room: float, gap: float
) -> list[_Block]:
    """The name, company and job title: the first name layout for which the others can give way enough."""
    text = fonts.bold.printable(clean_line(badge.name))
    last: list[_Block] = []
    for name in name_layouts(text, fonts.bold, width, text_width):
        for others in _others(badge, fonts, width, text_width, name.size):
            blocks = [name, *(block for block in others if block.lines)]
            if _stacked_height(blocks, gap) <= room:
                return blocks
            last = blocks
    return last[:1]


def name_layouts(text: str, face: Face, width: float, max_width: float) -> Iterator[_Block]:
    """Every acceptable way to set the name, the most preferred first; each keeps every character."""
    largest, smallest = (max(MIN_TEXT_SIZE, f * width) for f in _NAME)
    one_line = max(smallest, _NAME_ONE_LINE * width)
    if not text:
        yield _Block(Role.name, True, largest, ())
        return
    prefix = _prefix(text, face)
    for size in _sizes(largest, one_line):
        if _fits(prefix, 0, len(text), size, max_width):
            yield _Block(Role.name, True, size, (text,))
    for max_lines in (2, 3):
        for size in _sizes(largest, smallest):
            spans = _wrap_spans(text, prefix, size, max_width, split_words=False)
            if spans is not None and len(spans) <= max_lines:
                yield _Block(Role.name, True, size, _cut(text, spans))
    # Too long for three lines: a little smaller on three lines, then more lines at the smallest
    # size and below, and only then a word broken inside (an unbroken 120-letter word).
    for size in _sizes(smallest, max(MIN_TEXT_SIZE, _NAME_THREE_LINES * width)):
        spans = _wrap_spans(text, prefix, size, max_width, split_words=False)
        if spans is not None and len(spans) <= 3:
            yield _Block(Role.name, True, size, _cut(text, spans))
    for split_words, floor in ((False, MIN_TEXT_SIZE), (True, _NAME_FLOOR)):
        for size in _sizes(smallest, floor):
            spans = _wrap_spans(text, prefix, size, max_width, split_words=split_words)
            if spans is not None:
                yield _Block(Role.name, True, size, _cut(text, spans))


def _others(
    badge: BadgeText, fonts: FontSet, width: float, text_width: float, name_size: float
) -> Iterator[tuple[_Block, _Block]]:
    """Company and job title, from their best to nothing: shrink, then one clipped line, then gone."""
    company_text = fonts.bold.printable(clean_line(badge.company))
    title_text = fonts.regular.printable(clean_line(badge.job_title))
    company_cap = name_size * _BELOW
    shrink = 1.0
    while True:
        company_sizes = (_COMPANY[0] * shrink, _COMPANY[1])
        company = _fit_clipped(
            Role.company, company_text, fonts.bold, True, company_sizes, width, text_width, 2, company_cap
        )
        title_cap = (company.size if company.lines else name_size) * _BELOW
        title_sizes = (_JOB_TITLE[0] * shrink, _JOB_TITLE[1])
        title = _fit_clipped(
            Role.job_title, title_text, fonts.regular, False, title_sizes, width, text_width, 2, title_cap
        )
        yield company, title
        if _JOB_TITLE[0] * shrink <= _JOB_TITLE[1] and _COMPANY[0] * shrink <= _COMPANY[1]:
            break
        shrink *= _STEP
    company_small = (_COMPANY[1], _COMPANY[1])
    title_small = (_JOB_TITLE[1], _JOB_TITLE[1])
    title_line = _fit_clipped(
        Role.job_title, title_text, fonts.regular, False, title_small, width, text_width, 1, title_cap
    )
    company_line = _fit_clipped(
        Role.company, company_text, fonts.bold, True, company_small, width, text_width, 1, company_cap
    )
    yield company, title_line
    yield company_line, title_line
    yield company_line, _Block(Role.job_title, False, title_line.size, ())
    yield (
        _Block(Role.company, True, company_line.size, ()),
        _Block(Role.job_title, False, title_line.size, ()),
    )


def _fit_clipped(
    role: Role,
    text: str,
    face: Face,
    bold: bool,
    sizes: tuple[float, float],
    width: float,
    max_width: float,
    max_lines: int,
    cap: float | None = None,
) -> _Block:
    """The largest size (at most ``cap``) at which ``text`` fits ``max_lines``, else the smallest, clipped.

    ``text`` is already as the face prints it.
    """
    smallest = max(MIN_TEXT_SIZE, min(sizes[1] * width, cap if cap is not None else sizes[1] * width))
    largest = max(smallest, min(sizes[0] * width, cap if cap is not None else sizes[0] * width))
    if not text:
        return _Block(role, bold, largest, ())
    prefix = _prefix(text, face)
    spans: list[tuple[int, int]] = []
    for size in _sizes(largest, smallest):
        spans = _wrap_spans(text, prefix, size, max_width, split_words=True) or []
        if len(spans) <= max_lines:
            return _Block(role, bold, size, _cut(text, spans))
    lines = list(_cut(text, spans[:max_lines]))
    lines[-1] = ellipsize(text[spans[max_lines - 1][0] :].strip(), face, smallest, max_width)
    return _Block(role, bold, smallest, tuple(lines))


def _sizes(largest: float, smallest: float) -> Iterator[float]:
    size = largest
    while size > smallest:
        yield size
        size *= _STEP
    yield smallest


def _cut(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    return tuple(text[start:end].strip() for start, end in spans)


def wrap(text: str, face: Face, size: float, max_width: float) -> list[str]:
    """Greedy wrapping at spaces and after hyphens; a word wider than the line is split."""
    return list(_cut(text, _wrap_spans(text, _prefix(text, face), size, max_width, split_words=True) or []))


def _prefix(text: str, face: Face) -> list[float]:
    """Widths of every prefix of ``text`` (thousandths of an em): any slice is one subtraction."""
    return [0.0, *accumulate(face.advance(char) for char in text)]


def _fits(prefix: list[float], start: int, end: int, size: float, max_width: float) -> bool:
    return (prefix[end] - prefix[start]) * size / 1000.0 <= max_width


def _wrap_spans(
    text: str, prefix: list[float], size: float, max_width: float, *, split_words: bool
) -> list[tuple[int, int]] | None:
    """Lines as (start, end) offsets; None when a word is wider than a line and may not be split."""

    def fits(start: int, end: int) -> bool:
        return _fits(prefix, start, end, size, max_width)

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
            if not split_words:
                return None
            line = (start, start)
            for index in range(start, end):
                if index > line[0] and not fits(line[0], index + 1):
                    spans.append(line)
                    line = (index, index)
                line = (line[0], index + 1)
    if line is not None:
        spans.append(line)
    return spans


def ellipsize(text: str, face: Face, size: float, max_width: float) -> str:
    if face.width(text, size) <= max_width:
        return text
    while text and face.width(text.rstrip() + ELLIPSIS, size) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _height(block: _Block) -> float:
    return len(block.lines) * block.size * _LINE_HEIGHT


def _stacked_height(blocks: list[_Block], gap: float) -> float:
    shown = [block for block in blocks if block.lines]
    return sum(_height(block) for block in shown) + gap * max(0, len(shown) - 1)


def _stack(out: list[Line], block: _Block, fonts: FontSet, center_x: float, y: float) -> float:
    face = fonts.bold if block.bold else fonts.regular
    line_height = block.size * _LINE_HEIGHT
    for text in block.lines:
        leading = (line_height - (face.ascent + face.descent) * block.size) / 2
        baseline = y + leading + face.ascent * block.size
        out.append(
            Line(
                role=block.role,
                text=text,
                bold=block.bold,
                size=block.size,
                center_x=center_x,
                baseline=baseline,
                width=face.width(text, block.size),
            )
        )
        y += line_height
    return y
