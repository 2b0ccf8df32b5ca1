"""Profile photos: what the server accepts, and the clean images it keeps.

The phone crops and shrinks the photo before sending it, but the server trusts none of
that: it decodes the upload with Pillow within bounds (bytes, pixels, formats), turns it
upright, crops it square and re-encodes it at each served size from fresh pixels, so no
metadata of the original (EXIF and its GPS position, ICC profile, XMP, comments) survives.
"""

from __future__ import annotations

import enum
import io
import secrets
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from starlette import status

from rencontre.errors import AppError, PayloadTooLarge, Unprocessable


class PhotoSize(enum.IntEnum):
    """Served sizes, in pixels a side: a list avatar, a card, the profile and badge page."""

    small = 96
    medium = 256
    large = 512


SIZES: dict[str, int] = {size.name: size.value for size in PhotoSize}
MEDIA_TYPE = "image/webp"
ACCEPTED_MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp")
_FORMATS = ("JPEG", "PNG", "WEBP")
_QUALITY = 82


class PhotoTooLarge(PayloadTooLarge):
    title = "Photo too large"


class NotAnImage(AppError):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    title = "Not an image"


class PhotoTooSmall(Unprocessable):
    title = "Photo too small"


class PhotoTooManyPixels(Unprocessable):
    """More pixels than any phone photo: a decompression bomb, refused before decoding."""

    title = "Photo has too many pixels"


@dataclass(frozen=True)
class PhotoLimits:
    max_bytes: int
    max_pixels: int
    min_side: int


@dataclass(frozen=True)
class CleanPhoto:
    """The photo at each served size, WebP, without any metadata."""

    small: bytes
    medium: bytes
    large: bytes


def new_key() -> str:
    return secrets.token_urlsafe(16)


def check_media_type(content_type: str) -> None:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in ACCEPTED_MEDIA_TYPES:
        accepted = ", ".join(ACCEPTED_MEDIA_TYPES)
        raise NotAnImage(f"Send the photo as {accepted} (Content-Type), not {media_type or 'nothing'}.")


def clean(data: bytes, limits: PhotoLimits) -> CleanPhoto:
    """``data`` re-encoded at every size; the refusals say which limit was crossed."""
    if len(data) > limits.max_bytes:
        raise PhotoTooLarge(f"The photo is {len(data)} bytes; at most {limits.max_bytes} are accepted.")
    if not data:
        raise NotAnImage("The request carries no photo.")
    image = _open(data, limits)
    width, height = image.size
    if min(width, height) < limits.min_side:
        raise PhotoTooSmall(
            f"The photo is {width}×{height} pixels; it needs at least {limits.min_side} on each side."
        )
    try:
        square = _upright_square(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise NotAnImage(f"The photo could not be read ({type(error).__name__}).") from None
    return CleanPhoto(**{name: _encode(square, side) for name, side in SIZES.items()})


def _open(data: bytes, limits: PhotoLimits) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(limits) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise NotAnImage("This is not a JPEG, PNG or WebP image.") from None
    width, height = image.size
    # Only the header has been read: the pixels are decoded after this check, never before.
    if width * height > limits.max_pixels:
        raise _too_many_pixels(limits, width, height)
    return image


def _too_many_pixels(limits: PhotoLimits, width: int = 0, height: int = 0) -> PhotoTooManyPixels:
    size = f" ({width}×{height})" if width else ""
    return PhotoTooManyPixels(
        f"The photo has too many pixels{size}; at most {limits.max_pixels} are accepted."
    )


def _upright_square(image: Image.Image) -> Image.Image:
    image.load()
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    else:
        upright = upright.convert("RGB")
    side = min(upright.size)
    left = (upright.width - side) // 2
    top = (upright.height - side) // 2
    return upright.crop((left, top, left + side, top + side))


def _encode(square: Image.Image, side: int) -> bytes:
    resized = square.resize((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    # Fresh pixels in a fresh image: nothing of the upload's info (EXIF, ICC, XMP) comes along.
    fresh = Image.frombytes("RGB", resized.size, resized.tobytes())
    out = io.BytesIO()
    fresh.save(out, format="WEBP", quality=_QUALITY, method=4)
    return out.getvalue()
