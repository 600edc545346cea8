"""Photos from the field: opened by content (JPEG, PNG, HEIC from iPhones), turned upright, shrunk so the long
side is at most LONG_SIDE pixels, saved as JPEG; the time and place the camera recorded (EXIF) are read out and
kept in the file."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC/HEIF (iPhone photos); optional at import so a missing wheel does not take the site down
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover
    HEIC = False

LONG_SIDE = 1600
MAX_PIXELS = 80_000_000  # larger is no phone photo (a decompression bomb)
FORMATS = {"JPEG", "PNG", "HEIF", "MPO"}  # MPO: a JPEG from some Android cameras

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME = 36867, 306


class PhotoRefused(ValueError):
    """The file is not a photo we accept; the message says why, in Indonesian."""


@dataclass
class Photo:
    content: bytes  # JPEG
    width: int
    height: int
    taken_at: datetime.datetime | None  # naive: cameras record local time without a zone
    latitude: Decimal | None
    longitude: Decimal | None


def prepare(data: bytes) -> Photo:
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise PhotoRefused("Berkas bukan foto JPEG, PNG atau HEIC.")
        if image.width * image.height > MAX_PIXELS:
            raise PhotoRefused("Foto terlalu besar (resolusi); kirim foto dari kamera ponsel biasa.")
        exif = image.getexif()
        taken_at, latitude, longitude = _taken_at(exif), *_position(exif)
        image = ImageOps.exif_transpose(image)  # upright; the orientation tag is dropped with it
        image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, exif=image.getexif().tobytes() if exif else b"")
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRefused("Berkas bukan foto JPEG, PNG atau HEIC, atau rusak.") from None
    return Photo(out.getvalue(), image.width, image.height, taken_at, latitude, longitude)


def _taken_at(exif) -> datetime.datetime | None:
    raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    try:
        return datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if raw else None
    except ValueError:
        return None


def _position(exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(_GPS_IFD)
    try:
        latitude = _degrees(gps[2], gps.get(1, "N"), "S")
        longitude = _degrees(gps[4], gps.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def _degrees(value, reference, negative: str) -> Decimal:
    degrees, minutes, seconds = (float(part) for part in value)
    decimal = degrees + minutes / 60 + seconds / 3600
    if str(reference).strip("\x00 ").upper() == negative:
        decimal = -decimal
    return Decimal(f"{decimal:.6f}")
