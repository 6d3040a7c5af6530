"""The one .xlsx writer of the project (openpyxl write-only mode, constant memory).

Every export (the case ledger, the public disclosure table, reports) goes through ``write_xlsx``:
a Chinese header row, frozen and auto-filtered; aware datetimes become naive Asia/Shanghai;
dates become real Excel dates; numbers stay numbers; text that Excel would read as a formula
(starting with = + - @, also after a tab or CR) is neutralised with a leading apostrophe-like quote.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

SHANGHAI = ZoneInfo("Asia/Shanghai")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5EF")
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_CELL_CHARS = 32767  # Excel's own limit


@dataclass
class Sheet:
    """One worksheet: a title, the header labels, the rows, optional column widths (characters)."""

    title: str
    headers: list[str]
    rows: Iterable[Iterable]
    widths: list[float] = field(default_factory=list)
    title_line: str = ""  # an optional merged title above the header (like the published tables)


def safe_text(value: str) -> str:
    """Text Excel will never evaluate: a leading = + - @ (or tab/CR) is prefixed with a quote."""
    if value and value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value[:MAX_CELL_CHARS]


def cell_value(value):
    """A Python value as it should land in a cell (numbers stay numbers, dates stay dates)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(SHANGHAI).replace(tzinfo=None)
        return value
    if isinstance(value, date | int | float | Decimal):
        return value
    return safe_text(str(value))


def _cells(ws, values: Iterable) -> Iterator:
    for value in values:
        value = cell_value(value)
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, str) and len(value) > 30:
            cell.alignment = WRAP
        yield cell


def write_xlsx(target, sheets: Iterable[Sheet]) -> None:
    """Write the sheets to ``target`` (a path or a binary file object)."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31])
        ncols = len(sheet.headers)
        header_row = 2 if sheet.title_line else 1
        ws.freeze_panes = f"A{header_row + 1}"
        for index, width in enumerate(sheet.widths or [], start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        if sheet.title_line:
            title = WriteOnlyCell(ws, value=safe_text(sheet.title_line))
            title.font = Font(bold=True, size=14)
            ws.append([title])
            ws.merged_cells.ranges.add(f"A1:{get_column_letter(ncols)}1")
        header = []
        for label in sheet.headers:
            cell = WriteOnlyCell(ws, value=safe_text(label))
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            header.append(cell)
        ws.append(header)
        last = header_row
        for row in sheet.rows:
            ws.append(list(_cells(ws, row)))
            last += 1
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{last}"
    wb.save(target)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    buffer = BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
