"""Test photos: JPEGs with EXIF taken-at time and GPS position, and noisy photos of a given size."""

import io
import os

from PIL import ExifTags, Image


def jpeg_with_exif(
    *, taken="2026:11:28 14:03:05", offset=None, lat=(41, 5, 30), lon=(122, 58, 12), size=(400, 300)
) -> bytes:
    image = Image.new("RGB", size, (40, 120, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 1
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
        if offset:
            exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = offset
    if lat:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", tuple(float(x) for x in lat)
        gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", tuple(float(x) for x in lon)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def noisy_png(width: int, height: int) -> bytes:
    """A photo that compresses badly (random pixels): big even after scaling down."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()
