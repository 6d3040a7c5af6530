"""The browser import of sheets: an uploaded file → exchange-format sheets, problems in Chinese.

The exchange format's own messages (``sheet N: path: message``) are what the ``score_sheet``
command prints (docs/rules.md §8.7 fixes that form); a person in the browser reads them as
"第N份评分表·<item>：…", and a JSON syntax error as "JSON 格式错误：第L行第C列，…".
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from qianshan.common import jsonfile
from qianshan.common.errors import DomainError
from qianshan.common.jsonfile import DuplicateKey, JsonTooLarge

from .enums import LeaderLevel, MediaLevel, PraiseLevel
from .items import SPECS, path_label
from .rules import ITEM_NAMES, item_label
from .sheet_json import split_error


class FileRefused(Exception):
    """The uploaded file cannot be read as sheets; ``lines`` are the Chinese messages."""

    def __init__(self, lines: list[str]):
        super().__init__("；".join(lines))
        self.lines = lines


# json's English reasons, in the words a person fixing the file needs.
_JSON_REASONS = {
    "Expecting value": "此处应为一个值（文件为空，或不是 JSON）",
    "Expecting property name enclosed in double quotes": "此处应为用英文双引号括起的字段名",
    "Expecting ',' delimiter": "此处缺少英文逗号",
    "Expecting ':' delimiter": "此处缺少英文冒号",
    "Extra data": "JSON 内容结束后还有多余的内容",
    "Unterminated string starting at": "字符串缺少结尾的英文双引号",
    "Invalid control character at": "字符串中有不允许的控制字符（如换行）",
    "Invalid \\escape": "无效的反斜杠转义",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
}


def load_json(raw: bytes):
    """The decoded JSON of an uploaded file (a UTF-8 BOM is allowed); FileRefused in Chinese."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(["文件不是 UTF-8 编码的文本，请另存为 UTF-8 编码后再导入。"]) from None
    try:
        return jsonfile.loads(text)
    except JsonTooLarge as error:
        raise FileRefused([str(error)]) from None
    except json.JSONDecodeError as error:
        reason = _JSON_REASONS.get(error.msg, "无法解析")
        raise FileRefused([f"JSON 格式错误：第{error.lineno}行第{error.colno}列，{reason}。"]) from None
    except DuplicateKey as error:
        raise FileRefused([f"JSON 格式错误：字段 {error} 在同一对象中重复出现。"]) from None


_OVER = re.compile(r"^(-?\d+) > (\w+) (-?\d+)$")


def message_in_chinese(path: str, message: str) -> str:
    """The exchange format's message with its few English words put in Chinese ("3 > total 2")."""
    over = _OVER.match(message)
    if over:
        value, whole, limit = over.groups()
        parent = path.rsplit(".", 1)[0]
        whole_label = SPECS[f"{parent}.{whole}"].label if f"{parent}.{whole}" in SPECS else whole
        return f"{value} 大于{whole_label} {limit}"
    return message


def describe(line: str, where=None) -> str:
    """One problem line of the exchange format (``sheet N: path: message``) in Chinese.

    ``where(position, path)`` names the place of the problem in the uploaded file when that is
    not a JSON file (a workbook's sheet, row and column).
    """
    position, path, message = split_error(line)
    message = message_in_chinese(path, message)
    if position is None:
        return f"文件内容：{message}"
    if where is not None:
        return f"{where(position, path)}：{message}"
    label = path_label(path)
    return f"第{position}份评分表" + (f"·{label}" if label else "") + f"：{message}"


# ---------------------------------------------------------------- the .xlsx of sheets/<year>.xlsx

SUMMARY_SHEET, DETAIL_SHEET = "评分表", "评分明细"
SUMMARY_COLUMNS = ("受理编号", "被考核单位", "版本", "表面整改")
DETAIL_COLUMNS = ("受理编号", "被考核单位", "版本", "条目代码", "依据")
SELF_LABEL = "自评"

_CODE = re.compile(r"^(territorial|functional)\[(\d+)\]\.(\w+)$")
_SHARES = {"problems": ("solved", "total"), "archive.unit_materials": ("complete", "units")}
_SHARES["archive.site_records"] = ("complete", "units")
_BOOLS = {"是": True, "否": False}


@dataclass
class XlsxSheets:
    """The sheets read from a workbook, and where each came from (for messages by row and column)."""

    sheets: list[dict]
    rows: list[int]  # the 评分表 row of each sheet
    receipts: list[str]
    detail_rows: list[dict[str, int]]  # per sheet: item code → its 评分明细 row

    def where(self, position: int, path: str) -> str:
        """The place in the workbook a problem of sheet ``position`` at ``path`` points at."""
        index = position - 1
        receipt = self.receipts[index]
        code = _code_of(path)
        if path == "fake":
            return f"“{SUMMARY_SHEET}”第{self.rows[index]}行（{receipt}）“表面整改”列"
        if path in ("case", "locality"):
            column = "受理编号" if path == "case" else "被考核单位"
            return f"“{SUMMARY_SHEET}”第{self.rows[index]}行“{column}”列"
        row = self.detail_rows[index].get(code)
        if row is None:
            return f"“{SUMMARY_SHEET}”第{self.rows[index]}行（{receipt}）的评分明细·{path_label(path)}"
        return f"“{DETAIL_SHEET}”第{row}行（{receipt}·{item_label(code)}）“依据”列"


def _code_of(path: str) -> str:
    """The 条目代码 (breakdown key) that holds the value at ``path``."""
    for code in _SHARES:
        if path == code or path.startswith(code + "."):
            return code
    return path


def read_xlsx(raw: bytes) -> XlsxSheets:
    """The self-assessment sheets of a workbook shaped as the sheets export; FileRefused, in Chinese
    by sheet, row and column, when anything cannot be read (then nothing is imported)."""
    from qianshan.common.sheets import read_rows

    try:
        summary = read_rows(raw, title=SUMMARY_SHEET)
        detail = read_rows(raw, title=DETAIL_SHEET)
    except DomainError as exc:
        raise FileRefused([exc.message]) from None
    errors: list[str] = []
    s_cols = _columns(summary, SUMMARY_SHEET, SUMMARY_COLUMNS, errors)
    d_cols = _columns(detail, DETAIL_SHEET, DETAIL_COLUMNS, errors)
    if errors:
        raise FileRefused(errors)
    out = XlsxSheets([], [], [], [])
    index: dict[tuple[str, str], int] = {}
    for row_no, cells in summary[1:]:
        cell = _reader(cells, s_cols, SUMMARY_SHEET, row_no, errors)
        receipt, unit, version = cell("受理编号"), cell("被考核单位"), cell("版本")
        if version != SELF_LABEL:
            errors.append(f"“{SUMMARY_SHEET}”第{row_no}行“版本”列：只能导入自评，实际为“{version}”")
            continue
        fake = _bool(cell("表面整改"))
        if fake is None:
            errors.append(
                f"“{SUMMARY_SHEET}”第{row_no}行“表面整改”列：应为“是”或“否”，实际为“{cell('表面整改')}”"
            )
        if (receipt, unit) in index:
            first = out.rows[index[receipt, unit]]
            errors.append(f"“{SUMMARY_SHEET}”第{row_no}行：与第{first}行是同一份评分表（{receipt}·{unit}）")
            continue
        index[receipt, unit] = len(out.sheets)
        out.sheets.append({"case": receipt, "locality": unit, "fake": fake})
        out.rows.append(row_no)
        out.receipts.append(receipt)
        out.detail_rows.append({})
    values: list[dict[str, object]] = [{} for _ in out.sheets]
    for row_no, cells in detail[1:]:
        cell = _reader(cells, d_cols, DETAIL_SHEET, row_no, errors)
        receipt, unit, version, code = cell("受理编号"), cell("被考核单位"), cell("版本"), cell("条目代码")
        at = f"“{DETAIL_SHEET}”第{row_no}行"
        if version != SELF_LABEL:
            errors.append(f"{at}“版本”列：只能导入自评，实际为“{version}”")
            continue
        position = index.get((receipt, unit))
        if position is None:
            errors.append(f"{at}：“{SUMMARY_SHEET}”工作表中没有 {receipt}·{unit} 的评分表")
            continue
        if not _known(code):
            errors.append(f"{at}“条目代码”列：未知条目代码“{code}”")
            continue
        seen = out.detail_rows[position]
        if code in seen:
            errors.append(f"{at}“条目代码”列：{receipt}·{unit} 的“{code}”与第{seen[code]}行重复")
            continue
        seen[code] = row_no
        value = _value(code, cells[d_cols["依据"]] if d_cols["依据"] < len(cells) else None)
        if isinstance(value, _Bad):
            errors.append(f"{at}（{item_label(code)}）“依据”列：{value.message}")
            continue
        values[position][code] = value
    if errors:
        raise FileRefused(errors)
    for position, sheet in enumerate(out.sheets):
        sheet.update(_assemble(values[position]))
        sheet["fake"] = sheet.pop("fake")  # keep the exchange format's key order: fake last
    return out


def _columns(rows, title: str, wanted, errors) -> dict[str, int]:
    from qianshan.common.sheets import normalise

    header = [normalise(v) for v in rows[0][1]]
    cols = {}
    for name in wanted:
        if name in header:
            cols[name] = header.index(name)
        else:
            errors.append(f"“{title}”工作表第{rows[0][0]}行（表头）缺少“{name}”列")
    return cols


def _reader(cells, cols, title, row_no, errors):
    def cell(name: str) -> str:
        position = cols[name]
        value = cells[position] if position < len(cells) else None
        return "" if value is None else str(value).strip()

    return cell


class _Bad:
    def __init__(self, message: str):
        self.message = message


def _known(code: str) -> bool:
    subject = _CODE.match(code)
    if subject:
        return f"{subject.group(1)}.{subject.group(3)}" in ITEM_NAMES
    return code in ITEM_NAMES


def _bool(text: str) -> bool | None:
    return _BOOLS.get(text)


def _choice(enum, text: str):
    for member in enum:
        if text in (member.label, member.value):
            return member.value
    labels = "、".join(f"“{m.label}”" for m in enum)
    return _Bad(f"应为{labels}之一，实际为“{text}”")


def _value(code: str, raw):
    """The exchange-format value of one item from its 依据 cell (the words the export wrote)."""
    if isinstance(raw, datetime | date):  # Excel turned "1/2" into a date
        return _Bad("应为“完成数/总数”，如 1/2；Excel 把它变成了日期，请将单元格设为文本后重填")
    text = "" if raw is None else str(raw).strip()
    kind = _kind(code)
    if kind == "share":
        match = re.fullmatch(r"(\d+)\s*/\s*(\d+)", text)
        if not match:
            return _Bad(f"应为“完成数/总数”，如 1/2，实际为“{text}”")
        return int(match.group(1)), int(match.group(2))
    if kind == "leader":
        return _choice(LeaderLevel, text)
    if kind == "praise":
        return _choice(PraiseLevel, text)
    if kind == "media":
        if text in ("", "无"):
            return []
        levels = []
        for part in re.split(r"[、,，;；\s]+", text):
            level = _choice(MediaLevel, part)
            if isinstance(level, _Bad):
                return _Bad(f"每次报道应为“国家级”“省级”“市级”之一，用“、”分隔，实际有“{part}”")
            levels.append(level)
        return levels
    flag = _bool(text)
    return _Bad(f"应为“是”或“否”，实际为“{text}”") if flag is None else flag


def _kind(code: str) -> str:
    if code in _SHARES:
        return "share"
    if code.endswith(("case_leader", "lead_unit_head")):
        return "leader"
    return {"bonus.praise": "praise", "bonus.media": "media"}.get(code, "bool")


def _assemble(values: dict[str, object]) -> dict:
    """The exchange-format dict from item code → value; what is missing stays missing, so that
    parse_sheets names it (缺少必填字段) as it does for a JSON file."""
    data: dict = {}
    for key in ("territorial", "functional"):
        subjects: dict[int, dict] = {}
        for code, value in values.items():
            match = _CODE.match(code)
            if match and match.group(1) == key:
                subjects.setdefault(int(match.group(2)), {})[match.group(3)] = value
        if subjects:
            # Subjects are numbered from 1 without gaps in the sheet's own order.
            data[key] = [subjects[i] for i in sorted(subjects)]
    for code, value in values.items():
        if _CODE.match(code):
            continue
        if code in _SHARES:
            done, whole = _SHARES[code]
            value = {done: value[0], whole: value[1]}
        target, *path = code.split(".")
        if not path:
            data[code] = value
            continue
        node = data.setdefault(target, {})
        *parents, last = path
        for parent in parents:
            node = node.setdefault(parent, {})
        node[last] = value
    return data
