"""Upload checking for every app: the content decides what a file is, never its name or its claimed type.

- Images must decode with Pillow (only the common photo formats) and are re-encoded, which drops
  anything smuggled after the pixel data (an HTML file with a PNG header, a polyglot) and EXIF with
  its GPS position. The pixel count is read from the header and refused above ``MAX_PIXELS`` before
  any pixel is decoded (decompression bombs).
- PDFs must start with ``%PDF-``, end with ``%%EOF`` (a truncated upload is refused) and parse with
  pypdf to at least one page (HTML wrapped in ``%PDF-…%%EOF`` is refused); any parser error is a refusal.
- Office files must be the zip of a Word or Excel document (``[Content_Types].xml`` and ``word/`` or ``xl/``).
- An image's taken-at time and GPS position are read from the original EXIF first (``photo``,
  qianshan.common.exif) and stored beside the file by the caller; the stored bytes carry no EXIF.
- Every file is at most ``settings.ATTACHMENT_MAX_BYTES``; the SHA-256 is of the bytes that are stored,
  and the stored file name is that hash, never a name the user chose.

A refusal is a DomainError with a Chinese message naming the file. Callers may narrow ``allowed``
(rectification takes images and PDFs only; a case's photo takes images only).
"""

import hashlib
import io
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile

from .errors import DomainError
from .exif import NONE, PhotoFacts, photo_facts

IMAGE = "image"
PDF = "pdf"
OFFICE = "office"
ALL_KINDS = frozenset({IMAGE, PDF, OFFICE})

MAX_PIXELS = 60_000_000  # a 50 Mpx phone photo passes; decoding stays under ~250 MB of memory
MAX_NAME = 200

# What the refusal message asks for, in this order.
KIND_LABELS = {IMAGE: "图片（JPG/PNG）", PDF: "PDF 文件", OFFICE: "Word/Excel 文件"}
# Formats Pillow may use to read an upload: the ones phones and scanners produce, nothing exotic.
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP")
OFFICE_TYPES = {
    "word/": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass(frozen=True)
class CheckedFile:
    """A file as it will be stored: clean bytes, what it is, and their SHA-256."""

    name: str  # the name the user gave, for display only
    data: bytes
    kind: str  # IMAGE / PDF / OFFICE
    content_type: str
    extension: str
    sha256: str
    # When and where an image was taken (its EXIF, read before re-encoding drops it).
    photo: PhotoFacts = NONE

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def stored_name(self) -> str:
        return self.sha256 + self.extension

    def content(self) -> ContentFile:
        return ContentFile(self.data, name=self.stored_name)


def display_name(name: str | None) -> str:
    """The last path part of a client-sent file name (browsers may send a Windows path), at most 200 chars.

    NFC-normalised, with control and format characters removed: a right-to-left override
    (U+202E) would make "报告\u202efdp.exe" display as "报告exe.pdf".
    """
    import unicodedata

    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    return PurePosixPath(name.replace("\\", "/")).name.strip()[-MAX_NAME:] or "附件"


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} 字节"


def read_upload(upload, *, field: str = "file") -> tuple[str, bytes]:
    """(display name, bytes) of a Django UploadedFile; the size is checked before the file is read."""
    name = display_name(upload.name)
    if upload.size is not None and upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise _too_big(name, field)
    return name, upload.read()


def check_file(
    name: str, data: bytes, *, allowed: Iterable[str] = ALL_KINDS, field: str = "file"
) -> CheckedFile:
    """The file as it will be stored, or DomainError naming the file and what is wrong with it."""
    allowed = frozenset(allowed)
    name = display_name(name)
    if not data:
        raise DomainError(f"文件“{name}”是空文件。", field=field)
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        raise _too_big(name, field)
    kind = sniff(data)
    if kind is None and allowed == {IMAGE}:
        kind = IMAGE  # Pillow gets the last word on whether it is an image
    if kind not in allowed:
        if allowed == {IMAGE}:
            raise DomainError(f"文件“{name}”不是有效的图片。", field=field)
        labels = [KIND_LABELS[k] for k in KIND_LABELS if k in allowed]
        last = labels[-1] if len(labels) == 1 else ("或 " if labels[-1][0].isascii() else "或") + labels[-1]
        wanted = "、".join(labels[:-1]) + last
        raise DomainError(f"文件“{name}”的格式不受支持：请上传{wanted}。", field=field)
    photo = NONE
    if kind == IMAGE:
        original = data
        data, content_type, extension = _reencode_image(name, data, field)
        photo = photo_facts(original)
    elif kind == PDF:
        if b"%%EOF" not in data[-2048:]:
            raise DomainError(f"文件“{name}”不是完整的 PDF 文件。", field=field)
        _check_pdf(name, data, field)
        content_type, extension = "application/pdf", ".pdf"
    else:
        extension, content_type = _office_type(name, data, field)
    return CheckedFile(
        name, data, kind, content_type, extension, hashlib.sha256(data).hexdigest(), photo=photo
    )


def check_uploads(
    uploads, *, allowed: Iterable[str] = ALL_KINDS, max_files: int | None = None, field: str = "file"
) -> list[CheckedFile]:
    """Check several Django UploadedFiles; the first bad one refuses them all."""
    uploads = [u for u in uploads or () if u]
    if max_files is not None and len(uploads) > max_files:
        raise DomainError(f"一次最多上传 {max_files} 个文件。", field=field)
    return [check_file(*read_upload(u, field=field), allowed=allowed, field=field) for u in uploads]


def sniff(data: bytes) -> str | None:
    """What the leading bytes say the file is (to be confirmed by the full check), or None."""
    head = data[:12]
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")):
        return IMAGE
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return IMAGE
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return OFFICE
    return None


def _check_pdf(name: str, data: bytes, field: str) -> None:
    """The bytes must parse as a PDF with at least one page (lenient parser, page count only)."""
    import logging

    from pypdf import PdfReader

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)  # a lenient parse logs every oddity it repairs
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception:  # any parser failure (malformed, encrypted, recursion...) is a refusal
        pages = 0
    finally:
        pypdf_log.setLevel(level)
    if pages < 1:
        raise DomainError(f"文件“{name}”不是有效的 PDF 文件，无法读取，请上传可正常打开的 PDF。", field=field)


def _too_big(name: str, field: str) -> DomainError:
    limit = size_label(settings.ATTACHMENT_MAX_BYTES)
    return DomainError(f"文件“{name}”超过大小限制（{limit}），请压缩后再上传。", field=field)


def _reencode_image(name: str, data: bytes, field: str) -> tuple[bytes, str, str]:
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as probe:
                # The header gives the size; refuse before a single pixel is decoded.
                if probe.width * probe.height > MAX_PIXELS:
                    raise DomainError(
                        f"图片“{name}”像素过大（{probe.width}×{probe.height}），"
                        f"最多 {MAX_PIXELS // 1_000_000} 百万像素。",
                        field=field,
                    )
                probe.verify()
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if image.mode in ("RGBA", "LA", "P", "PA"):
                    image.convert("RGBA").save(out, format="PNG", optimize=True)
                    return out.getvalue(), "image/png", ".png"
                image.convert("RGB").save(out, format="JPEG", quality=88)
                return out.getvalue(), "image/jpeg", ".jpg"
    except DomainError:
        raise
    except (
        Exception
    ) as exc:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, bomb) for a non-image
        raise DomainError(f"文件“{name}”不是有效的图片。", field=field) from exc


def _office_type(name: str, data: bytes, field: str) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise DomainError(f"文件“{name}”已损坏，无法作为 Word 或 Excel 文件打开。", field=field) from exc
    if "[Content_Types].xml" in names:
        for prefix, (extension, content_type) in OFFICE_TYPES.items():
            if any(n.startswith(prefix) for n in names):
                return extension, content_type
    raise DomainError(f"文件“{name}”不是 Word 或 Excel 文件。", field=field)


def open_stored(file_field):
    """The stored file opened for reading, or Http404 with a clear message when it is gone from disk."""
    from django.http import Http404

    try:
        return file_field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件已不在服务器上（可能被移除或存储故障），请联系系统管理员。") from exc


def stored_file_response(file_field, *, content_type: str, name: str):
    """A checked stored file served safely: images and PDFs inline, anything else as a download,
    never sniffed into something else or run as a page (the case page and the API share this)."""
    from urllib.parse import quote

    from django.http import FileResponse

    response = FileResponse(open_stored(file_field), content_type=content_type)
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
