"""The one .xlsx writer of the project (openpyxl write_only), shared by every export and report.

An exporter hands over sheets of (title, Chinese header row, rows); this module writes them with
the house rules: aware datetimes become naive Asia/Shanghai, numbers stay numbers, and a text cell
starting with = + - @ is neutralised so a spreadsheet never runs it as a formula.

Neutralising keeps the text exactly as it is: such a cell is written as a string cell (never a
formula) with the "quote prefix" style, the flag Excel itself sets when one types '=…, so Excel
shows the text and keeps it text when the cell is edited; reading the workbook back gives the
original text (no added apostrophe), so an exported ledger re-imports unchanged.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@")


def cell_value(value):
    """One value as it should be stored in a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | date):
        return value
    return str(value)


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_STARTS)


def _row(sheet, values) -> list:
    """The cells of one row; formula-like text becomes a quote-prefixed string cell."""
    cells = []
    for value in values:
        value = cell_value(value)
        if is_formula_like(value):
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            cell.quotePrefix = True
            value = cell
        cells.append(value)
    return cells


def write_xlsx(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]], *, target=None) -> bytes:
    """Write (title, header, rows[, column widths]) sheets into one workbook and return its bytes.

    The header row is frozen and auto-filtered. With ``target`` (a path or binary file) the
    workbook is written there instead (large exports) and b"" is returned.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for title, header, rows, *widths in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths[0] if widths else (), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append(_row(sheet, header))
        last = 1
        for row in rows:
            sheet.append(_row(sheet, row))
            last += 1
        if header:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last}"
    if target is not None:
        book.save(target)
        return b""
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(filename: str, sheets) -> HttpResponse:
    """An attachment response; the Chinese file name is sent RFC 5987-encoded."""
    response = HttpResponse(write_xlsx(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def neutralise_formulas(book) -> int:
    """Turn every formula or formula-like text of a loaded workbook into plain text; returns how many.

    For workbooks written back from an upload (the import error workbook): a ``=HYPERLINK(…)`` or a
    DDE ``=cmd|…`` typed by someone else must reach the reader as text, never run.
    """
    count = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    text = str(cell.value)
                    cell.value = text
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    count += 1
    return count
