"""The browser import of sheets: an uploaded file → exchange-format sheets, problems in Chinese.

The exchange format's own messages (``sheet N: path: message``) are what the ``score_sheet``
command prints (scoring-sheet.md fixes that form); a person in the browser reads them as
"第N份评分表·<item>：…", and a JSON syntax error as "JSON 格式错误：第L行第C列，…".
"""

import json
import re

from .items import SPECS, path_label
from .sheet_json import DuplicateKey, no_duplicate_keys, split_error


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
        return json.loads(text, object_pairs_hook=no_duplicate_keys)
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


def describe(line: str) -> str:
    """One problem line of the exchange format (``sheet N: path: message``) in Chinese."""
    position, path, message = split_error(line)
    message = message_in_chinese(path, message)
    if position is None:
        return f"文件内容：{message}"
    label = path_label(path)
    return f"第{position}份评分表" + (f"·{label}" if label else "") + f"：{message}"
