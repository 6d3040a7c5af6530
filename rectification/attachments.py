"""Upload checking for attachments: the content decides what a file is, never its name.

Images must decode with Pillow and are re-encoded (which drops anything smuggled after the
pixel data, and EXIF with its GPS position); PDFs must start with the PDF signature. Anything
else is refused with a Chinese message naming the file.
"""

import io
from pathlib import PurePath

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from cases.domain.errors import DomainError

from .enums import AttachmentKind

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_FILES = 10


def check_upload(upload) -> tuple[ContentFile, str, str]:
    """(clean file content, AttachmentKind, original name) for one uploaded file, or DomainError."""
    name = PurePath(upload.name or "附件").name[:200]
    if upload.size > MAX_BYTES:
        raise DomainError(f"附件“{name}”超过 {MAX_BYTES // 1024 // 1024} MB，请压缩后再上传。", field="files")
    data = upload.read()
    if data.startswith(b"%PDF-"):
        return ContentFile(data, name=_stem(name) + ".pdf"), AttachmentKind.PDF, name
    return _reencoded_image(data, name), AttachmentKind.IMAGE, name


def check_uploads(uploads) -> list[tuple[ContentFile, str, str]]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise DomainError(f"一次最多上传 {MAX_FILES} 个附件。", field="files")
    return [check_upload(upload) for upload in uploads]


def _reencoded_image(data: bytes, name: str) -> ContentFile:
    refusal = DomainError(f"附件“{name}”不是可识别的图片或 PDF 文件。", field="files")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError(f"图片“{name}”尺寸过大。", field="files")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refusal from None
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        ext = ".png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=88)
        ext = ".jpg"
    return ContentFile(out.getvalue(), name=_stem(name) + ext)


def _stem(name: str) -> str:
    # Stored names are ASCII-safe by Django's storage; keep the original for display only.
    return "file"
