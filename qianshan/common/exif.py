"""When and where a photo was taken, read from its EXIF before the upload is re-encoded (which drops
EXIF, qianshan.common.uploads): DateTimeOriginal (with OffsetTimeOriginal when the camera wrote it,
else Asia/Shanghai time) and the GPS position. Anything missing, malformed or out of range is None —
a photo without EXIF is still a photo."""

import io
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
DATETIME = 0x0132  # IFD0's DateTime: when the file was last written; the fallback
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class PhotoFacts:
    taken_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


NONE = PhotoFacts()


def photo_facts(data: bytes) -> PhotoFacts:
    """The taken-at time and GPS position of an image's EXIF, or NONE."""
    from PIL import ExifTags, Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                exif = image.getexif()
                sub = exif.get_ifd(ExifTags.IFD.Exif)
                gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
                taken = sub.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
                offset = sub.get(OFFSET_TIME_ORIGINAL)
    except Exception:  # not an image Pillow reads, or a broken EXIF block: no facts, not an error
        return NONE
    latitude = _coordinate(gps.get(GPS_LAT), gps.get(GPS_LAT_REF), 90, "S")
    longitude = _coordinate(gps.get(GPS_LON), gps.get(GPS_LON_REF), 180, "W")
    if latitude is None or longitude is None:
        latitude = longitude = None
    return PhotoFacts(_taken_at(taken, offset), latitude, longitude)


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    return str(value or "").strip("\x00 ").strip()


def _taken_at(value, offset) -> datetime | None:
    try:
        naive = datetime.strptime(_text(value)[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    tz = timezone.get_current_timezone()
    text = _text(offset)
    if len(text) == 6 and text[0] in "+-" and text[3] == ":":
        try:
            hours, minutes = int(text[1:3]), int(text[4:6])
        except ValueError:
            pass
        else:
            sign = 1 if text[0] == "+" else -1
            tz = dt_timezone(sign * timedelta(hours=hours, minutes=minutes))
    return naive.replace(tzinfo=tz)


def _coordinate(value, ref, limit: int, negative: str) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if _text(ref).upper() == negative:
        result = -result
    if not -limit <= result <= limit or result != result:  # out of range or NaN
        return None
    return Decimal(str(result)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
