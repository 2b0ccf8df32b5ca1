"""The server's photo rules, without a database: every picture a phone or a tool may send
comes out as clean square WebP at each size, or is refused with its own code."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from rencontre.errors import AppError
from rencontre.profile import photos
from tests.photo_support import metadata_left, photo_with_metadata, png_bomb

LIMITS = photos.PhotoLimits(max_bytes=2_000_000, max_pixels=50_000_000, min_side=128)


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _frames() -> list[Image.Image]:
    return [Image.new("RGB", (200, 200), (index * 60, 0, 0)) for index in range(3)]


def _palette_with_transparency() -> Image.Image:
    image = Image.new("P", (200, 200), 1)
    image.info["transparency"] = 1
    return image


PICTURES = {
    "16-bit grey PNG": lambda: _encoded(Image.new("I;16", (200, 300), 3000), "PNG"),
    "CMYK JPEG": lambda: _encoded(Image.new("CMYK", (300, 200), (0, 50, 50, 0)), "JPEG"),
    "grey JPEG": lambda: _encoded(Image.new("L", (200, 200), 100), "JPEG"),
    "black and white PNG": lambda: _encoded(Image.new("1", (200, 200), 1), "PNG"),
    "grey and alpha PNG": lambda: _encoded(Image.new("LA", (200, 200), (100, 0)), "PNG"),
    "RGBA WebP": lambda: _encoded(Image.new("RGBA", (200, 200), (100, 0, 0, 10)), "WEBP"),
    "palette PNG with transparency": lambda: _encoded(_palette_with_transparency(), "PNG"),
    "animated WebP": lambda: _encoded(_frames()[0], "WEBP", save_all=True, append_images=_frames()[1:]),
    "animated PNG": lambda: _encoded(_frames()[0], "PNG", save_all=True, append_images=_frames()[1:]),
    "phone JPEG with EXIF": lambda: photo_with_metadata(900, 600, orientation=8),
}


class TestCleanPhotos:
    @pytest.mark.parametrize("name", list(PICTURES))
    def test_every_kind_of_picture_comes_out_square_and_clean(self, name: str) -> None:
        clean = photos.clean(PICTURES[name](), LIMITS)
        for side, data in ((96, clean.small), (256, clean.medium), (512, clean.large)):
            image = Image.open(io.BytesIO(data))
            assert (image.format, image.mode, image.size) == ("WEBP", "RGB", (side, side))
            assert metadata_left(data) == []

    def test_each_upload_gets_its_own_key(self) -> None:
        assert len({photos.new_key() for _ in range(100)}) == 100


class TestRefusedPhotos:
    @pytest.mark.parametrize(
        ("data", "code"),
        [
            (b"", "not_an_image"),
            (b"%PDF-1.7 not a picture", "not_an_image"),
            (_encoded(Image.new("RGB", (200, 200)), "GIF"), "not_an_image"),
            (_encoded(Image.new("RGB", (200, 200)), "BMP"), "not_an_image"),
            (photo_with_metadata()[:300], "not_an_image"),
            (_encoded(Image.new("RGB", (127, 400)), "PNG"), "photo_too_small"),
            (png_bomb(), "photo_too_many_pixels"),
            (png_bomb(8000, 7000), "photo_too_many_pixels"),
            (b"\xff" * 2_000_001, "photo_too_large"),
        ],
        ids=["empty", "pdf", "gif", "bmp", "truncated", "narrow", "bomb", "56-megapixels", "heavy"],
    )
    def test_the_refusal_names_the_limit(self, data: bytes, code: str) -> None:
        with pytest.raises(AppError) as refused:
            photos.clean(data, LIMITS)
        assert refused.value.code == code

    @pytest.mark.parametrize("content_type", ["image/jpeg", "image/png", "image/webp", "IMAGE/JPEG; q=1"])
    def test_picture_media_types_are_accepted(self, content_type: str) -> None:
        photos.check_media_type(content_type)

    @pytest.mark.parametrize(
        "content_type", ["", "text/plain", "image/gif", "image/svg+xml", "application/json"]
    )
    def test_other_media_types_are_refused(self, content_type: str) -> None:
        with pytest.raises(photos.NotAnImage):
            photos.check_media_type(content_type)
