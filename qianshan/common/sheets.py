"""Reading the offices' .xlsx tables: the one place for workbook loading, header text and dates.

Both importers (transfer sheets in cases/, the task list in rectification/) read tables that
people type by hand: title rows above the header, headers with stray spaces or asterisks,
dates written five ways. These helpers settle each of those once.

Every workbook is bounded before and while it is read (settings ``SHEET_MAX_*``): the file size
and the total uncompressed size of its zip members are checked before any XML is parsed (a 15 MB
file can inflate to gigabytes), then rows, columns and cell length while reading, stopping at the
first excess. defusedxml (installed) makes openpyxl refuse external entities and entity bombs.
The stored ``<dimension>`` of a sheet is ignored (``reset_dimensions``): a sheet that claims
``A1:D2`` but holds ten rows gives ten rows, never silently one.
"""

import io
import re
import zipfile
from datetime import date, datetime

from django.conf import settings

from .errors import DomainError

DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
DATE_HINT = "请写成 2021-07-16、2021/7/16、2021.7.16 或 2021年7月16日"


def parse_date(value) -> date:
    """A date from an Excel date, an Excel serial number or text; ValueError (Chinese) otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        from openpyxl.utils.datetime import from_excel  # an Excel serial day number

        return from_excel(value).date()
    match = DATE_RE.match(str(value))
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValueError(f"无法识别的日期，{DATE_HINT}")


def normalise(text) -> str:
    """Header or name text as compared: no whitespace, no required-field asterisks, full-width brackets."""
    text = re.sub(r"[\s*＊]", "", str(text or ""))
    return text.replace("(", "（").replace(")", "）")


def _limit(name: str) -> int:
    return int(getattr(settings, name))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def check_workbook_size(data: bytes) -> None:
    """Refuse, before any parsing, a file or an unpacked workbook above the limits (DomainError)."""
    if len(data) > _limit("SHEET_MAX_BYTES"):
        raise DomainError(f"文件超过大小上限 {_mb(_limit('SHEET_MAX_BYTES'))}，请拆分后再上传。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DomainError("文件不是有效的 Excel 工作簿（.xlsx），请用 Excel 另存为 .xlsx 后再上传。") from exc
    if unpacked > _limit("SHEET_MAX_UNCOMPRESSED_BYTES"):
        raise DomainError(
            f"工作簿解压后为 {_mb(unpacked)}，超过上限 {_mb(_limit('SHEET_MAX_UNCOMPRESSED_BYTES'))}，"
            "请删除多余的工作表、图片或空白行后再上传。"
        )


def _bounded_rows(sheet):
    """(row number, values) of every row, refusing too many rows, columns or too long a cell."""
    max_rows, max_cols, max_chars = (
        _limit("SHEET_MAX_ROWS"),
        _limit("SHEET_MAX_COLUMNS"),
        _limit("SHEET_MAX_CELL_CHARS"),
    )
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise DomainError(f"工作表超过 {max_rows} 行的上限，请拆分后再上传。")
        row = tuple(row)
        # trailing empty cells do not count as columns
        while row and row[-1] is None:
            row = row[:-1]
        if len(row) > max_cols:
            raise DomainError(f"第 {number} 行超过 {max_cols} 列的上限，请删除多余的列后再上传。")
        for col, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > max_chars:
                raise DomainError(f"第 {number} 行第 {col} 列的内容超过 {max_chars} 字的上限。")
        yield number, row


def read_rows(source, *, title: str | None = None) -> list[tuple[int, tuple]]:
    """(Excel row number, cell values) of the first worksheet's non-empty rows.

    ``source`` is bytes, a path or a binary file; ``title`` names another worksheet to read. A
    file that is not an .xlsx workbook, a missing or an empty sheet, a workbook above the limits
    or with unsafe XML, is one DomainError with a message a user can act on.
    """
    from openpyxl import load_workbook

    if isinstance(source, str) or hasattr(source, "__fspath__"):
        with open(source, "rb") as f:
            source = f.read()
    elif not isinstance(source, bytes | bytearray):
        source = source.read()
    check_workbook_size(bytes(source))
    try:
        book = load_workbook(io.BytesIO(source), read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, InvalidFileException, KeyError… all mean "not an xlsx"
        if _unsafe_xml(exc):
            raise DomainError(UNSAFE_XML) from exc
        raise DomainError("文件不是有效的 Excel 工作簿（.xlsx），请用 Excel 另存为 .xlsx 后再上传。") from exc
    try:
        if title is not None and title not in book.sheetnames:
            raise DomainError(f"工作簿中没有名为“{title}”的工作表。")
        sheet = book[title] if title is not None else book.worksheets[0]
        sheet.reset_dimensions()  # never trust the stored <dimension>: it may hide rows
        try:
            rows = list(_bounded_rows(sheet))
        except DomainError:
            raise
        except Exception as exc:  # a sheet's XML that does not parse
            if _unsafe_xml(exc):
                raise DomainError(UNSAFE_XML) from exc
            raise DomainError("工作表内容已损坏，无法读取，请用 Excel 另存为 .xlsx 后再上传。") from exc
    finally:
        book.close()
    rows = [(n, r) for n, r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        raise DomainError("工作表是空的，没有任何数据。")
    return rows


def _unsafe_xml(exc: BaseException | None) -> bool:
    """defusedxml refused an entity somewhere down the chain (openpyxl wraps it in a ValueError)."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


UNSAFE_XML = "工作簿含有不安全的 XML 内容（外部实体或实体展开），已拒绝；请用 Excel 另存为 .xlsx 后再上传。"
