"""Reading the offices' .xlsx tables: the one place for workbook loading, header text and dates.

Both importers (transfer sheets in cases/, the task list in rectification/) read tables that
people type by hand: title rows above the header, headers with stray spaces or asterisks,
dates written five ways. These helpers settle each of those once.
"""

import io
import re
from datetime import date, datetime

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


def read_rows(source, *, title: str | None = None) -> list[tuple[int, tuple]]:
    """(Excel row number, cell values) of the first worksheet's non-empty rows.

    ``source`` is bytes, a path or a binary file; ``title`` names another worksheet to read. A
    file that is not an .xlsx workbook, a missing or an empty sheet, is one DomainError with a
    message a user can act on.
    """
    from openpyxl import load_workbook

    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, InvalidFileException, KeyError… all mean "not an xlsx"
        raise DomainError("文件不是有效的 Excel 工作簿（.xlsx），请用 Excel 另存为 .xlsx 后再上传。") from exc
    try:
        if title is not None and title not in book.sheetnames:
            raise DomainError(f"工作簿中没有名为“{title}”的工作表。")
        sheet = book[title] if title is not None else book.worksheets[0]
        rows = [(n, tuple(r)) for n, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    rows = [(n, r) for n, r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        raise DomainError("工作表是空的，没有任何数据。")
    return rows
