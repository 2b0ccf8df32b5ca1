from __future__ import annotations

import gc
import io
import secrets
import tracemalloc

import pypdf
import pypdfium2
import pytest
import zxingcpp

from rencontre.badges import render
from rencontre.badges.fonts import VERA, badge_fonts, find_fonts
from rencontre.badges.layout import BadgeText
from rencontre.badges.pdf import A4, BadgeSheets, PaperLayout
from rencontre.badges.render import A6, QR_MASK
from rencontre.badges.token import BadgeRef, badge_url, issue

NAMES = [
    "Zoé Lefèvre",
    "Jean-Noël O'Connor",
    "Anaïs d’Hauteville",
    "Œdipe Ærøskøbing",
    "Łukasz Żółć",
    "Marie-Françoise Éléonore de La Tour d'Auvergne-Lauraguais",
    "Ünal Çelik",
]


def _badges(count: int) -> list[BadgeText]:
    return [
        BadgeText(
            event="Rencontres de l'innovation",
            name=NAMES[index % len(NAMES)],
            company="Société d'Électricité",
            job_title="Chargée d'affaires",
            url=badge_url(
                "http://127.0.0.1:8000",
                issue(b"k" * 32, BadgeRef(secrets.token_hex(4), secrets.token_hex(6), 1)),
            ),
        )
        for index in range(count)
    ]


def _pdf(layout: PaperLayout, badges: list[BadgeText], **kwargs: object) -> tuple[bytes, list[bytes]]:
    sheets = BadgeSheets(layout, title="Badges — Rencontres", **kwargs)  # type: ignore[arg-type]
    chunks = [sheets.start()]
    for start in range(0, len(badges), 3):
        chunks.append(sheets.add(badges[start : start + 3]))
    chunks.append(sheets.finish())
    return b"".join(chunks), chunks


def _codes_per_page(data: bytes) -> list[list[str]]:
    document = pypdfium2.PdfDocument(data)
    pages = []
    for page in document:
        image = page.render(scale=2).to_pil()
        pages.append(sorted(code.text for code in zxingcpp.read_barcodes(image)))
    return pages


class TestA6:
    def test_one_page_per_badge_each_code_readable(self) -> None:
        badges = _badges(len(NAMES))
        data, _ = _pdf(PaperLayout.a6, badges)
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) == len(badges)
        for page in reader.pages:
            assert float(page.mediabox.width) == pytest.approx(A6[0], abs=0.01)
            assert float(page.mediabox.height) == pytest.approx(A6[1], abs=0.01)
        assert _codes_per_page(data) == [[badge.url] for badge in badges]

    def test_accents_and_apostrophes_are_real_text(self) -> None:
        badges = _badges(len(NAMES))
        data, _ = _pdf(PaperLayout.a6, badges)
        reader = pypdf.PdfReader(io.BytesIO(data))
        for badge, page in zip(badges, reader.pages, strict=True):
            text = " ".join(page.extract_text().split())
            assert badge.name in text.replace("- ", "-")
            assert "Société d'Électricité" in text
        assert reader.metadata is not None
        assert reader.metadata.title == "Badges — Rencontres"


class TestA4:
    def test_four_badges_per_sheet_with_a_partial_last_sheet(self) -> None:
        badges = _badges(9)
        data, _ = _pdf(PaperLayout.a4, badges)
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 3
        assert float(reader.pages[0].mediabox.width) == pytest.approx(A4[0], abs=0.01)
        codes = _codes_per_page(data)
        assert [len(page) for page in codes] == [4, 4, 1]
        assert sorted(code for page in codes for code in page) == sorted(badge.url for badge in badges)
        for index, page in enumerate(codes):
            assert page == sorted(badge.url for badge in badges[index * 4 : index * 4 + 4])

    def test_every_code_is_version_4_m_with_the_fixed_mask(self) -> None:
        badges = _badges(4)
        data, _ = _pdf(PaperLayout.a4, badges)
        [page] = pypdfium2.PdfDocument(data)
        codes = zxingcpp.read_barcodes(page.render(scale=2).to_pil())
        assert sorted(code.text for code in codes) == sorted(badge.url for badge in badges)
        for code in codes:
            assert (code.extra["Version"], code.ec_level, code.extra["DataMask"]) == ("4", "M", QR_MASK)


class TestFonts:
    def test_the_bundled_font_prints_french_names(self) -> None:
        badges = _badges(4)
        data, _ = _pdf(PaperLayout.a6, badges, fonts=find_fonts((VERA,)))
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert "BitstreamVeraSans" in str(reader.pages[0]["/Resources"]["/Font"]["/F2"]["/BaseFont"])
        for badge, page in zip(badges, reader.pages, strict=True):
            assert badge.name in " ".join(page.extract_text().split()).replace("- ", "-")
        assert _codes_per_page(data) == [[badge.url] for badge in badges]

    def test_only_the_printed_characters_are_embedded(self) -> None:
        data, _ = _pdf(PaperLayout.a6, _badges(2))
        assert len(data) < 120_000  # two subsets, not two whole DejaVu fonts (~1.4 MB)
        assert badge_fonts()


class TestStreaming:
    def test_pages_leave_as_they_are_drawn(self) -> None:
        _, chunks = _pdf(PaperLayout.a6, _badges(9))
        # start, three slices of three pages, then fonts and the cross-reference table.
        assert len(chunks) == 5
        assert chunks[0].startswith(b"%PDF-")
        assert all(chunk.count(b"/Type /Page ") == 3 for chunk in chunks[1:4])
        assert chunks[-1].rstrip().endswith(b"%%EOF")

    def test_memory_does_not_grow_with_the_page_count(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # What is measured is the writer; the QR encoder's own work is left out to keep this quick.
        matrix = render.qr_matrix(_badges(1)[0].url)
        monkeypatch.setattr(render, "qr_matrix", lambda _url: matrix)

        def peak_for(count: int) -> tuple[int, int]:
            sheets = BadgeSheets(PaperLayout.a6)
            sheets.start()
            tracemalloc.start()
            for badge in _badges(count):
                sheets.add([badge])  # the bytes are dropped, as a sent HTTP chunk is
            # A full collection empties the interpreter's free lists of floats and tuples, which
            # tracemalloc counts as held: what is left is what the writer keeps.
            gc.collect()
            retained, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            sheets.finish()
            return retained, peak

        badge_fonts()
        small_retained, small_peak = peak_for(30)
        large_retained, large_peak = peak_for(300)
        # 270 more pages cost their offsets and ids (about a hundred bytes each), nothing more.
        assert large_retained - small_retained < 270 * 300
        assert large_peak - small_peak < 256 * 1024
