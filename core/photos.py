"""Photos from the field: opened by content (JPEG, PNG, HEIC from iPhones), turned upright, shrunk so the long
side is at most LONG_SIDE pixels, saved as JPEG; the time and place the camera recorded (EXIF) are read out.

The saved file carries no other metadata: no camera make, model or serial number, no maker notes, comments, XMP or
embedded thumbnail (they can say whose phone took it, or hide content). A monitoring photo keeps the time and the
place in the file, as evidence that travels with it (`keep_place`); a citizen's photo keeps neither (where it was
taken may be where the citizen lives)."""

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
# Larger is no phone photo (a 50-megapixel camera gives 8160 × 6120): refused from the header, before the pixels are
# decoded — a 64-megapixel PNG took 1.5 s of a worker to open.
MAX_PIXELS = 52_000_000
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


def prepare(data: bytes, *, keep_place: bool = True) -> Photo:
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise PhotoRefused("Berkas bukan foto JPEG, PNG atau HEIC.")
        if image.width * image.height > MAX_PIXELS:
            raise PhotoRefused("Foto terlalu besar (resolusi); kirim foto dari kamera ponsel biasa.")
        exif = image.getexif()
        taken_at, latitude, longitude = _taken_at(exif), *_position(exif)
        kept = _evidence(taken_at, exif) if keep_place else None  # before exif_transpose, which rewrites the EXIF
        image = ImageOps.exif_transpose(image)  # upright; the orientation tag is dropped with it
        image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.info = {}  # comments, XMP, ICC profile and the original EXIF: none is written again
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, exif=kept.tobytes() if kept is not None else b"")
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRefused("Berkas bukan foto JPEG, PNG atau HEIC, atau rusak.") from None
    return Photo(out.getvalue(), image.width, image.height, taken_at, latitude, longitude)


def _evidence(taken_at, exif) -> Image.Exif | None:
    """A new EXIF block with only the time taken and the position (latitude and longitude), when known."""
    if taken_at is None and not exif.get_ifd(_GPS_IFD):
        return None
    kept = Image.Exif()
    if taken_at is not None:
        kept.get_ifd(_EXIF_IFD)[_DATETIME_ORIGINAL] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(_GPS_IFD)
    position = {tag: gps[tag] for tag in (1, 2, 3, 4) if tag in gps}
    if len(position) == 4:
        kept.get_ifd(_GPS_IFD).update(position)
    return kept


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
