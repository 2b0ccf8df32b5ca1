"""Photos as a phone would send them, and the checks on what the server serves back."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

# Words that must never come back out of the server once it has re-encoded a photo.
SECRET_COMMENT = b"secret-comment-5e1d"
SECRET_ICC = b"secret-icc-profile-8c2a"


def photo_with_metadata(width: int = 600, height: int = 400, *, orientation: int = 1) -> bytes:
    """A JPEG with a GPS position, a camera, a comment and an ICC profile, as a phone writes one.

    Its left half is red and its right half blue, so where they land after EXIF orientation
    tells whether the server turned it upright.
    """
    image = Image.new("RGB", (width, height), (220, 30, 30))
    image.paste((30, 30, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Secret-Model-X"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 45.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 50.0, 10.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, icc_profile=SECRET_ICC, comment=SECRET_COMMENT, quality=90)
    return out.getvalue()


def plain_photo(width: int = 512, height: int = 512, colour: tuple[int, int, int] = (40, 160, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=90)
    return out.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims a huge picture: decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


def metadata_left(served: bytes) -> list[str]:
    """What of the original's metadata is still in ``served`` (nothing, when all is well)."""
    image = Image.open(io.BytesIO(served))
    found = [key for key in ("exif", "icc_profile", "xmp", "comment") if image.info.get(key)]
    if len(image.getexif()):
        found.append("exif tags")
    for marker in (SECRET_COMMENT, SECRET_ICC, b"Secret-Model-X", b"PhoneMaker", b"GPS", b"Exif"):
        if marker in served:
            found.append(marker.decode())
    return found


def portrait(background: tuple[int, int, int], skin: tuple[int, int, int] = (224, 182, 150)) -> bytes:
    """A drawn head and shoulders, as a stand-in for someone's face in the screen tour."""
    from PIL import ImageDraw

    image = Image.new("RGB", (600, 600), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 420, 480, 780), fill=(40, 52, 70))
    draw.ellipse((200, 130, 400, 370), fill=skin)
    draw.chord((190, 100, 410, 300), 180, 360, fill=(60, 40, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
