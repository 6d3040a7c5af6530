"""``manage.py score_sheet FILE.json``: score sheets in the exchange format (docs/rules.md §8.7)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from qianshan.common import jsonfile
from qianshan.common.jsonfile import DuplicateKey, JsonTooLarge
from scoring.rules import result_to_json, score
from scoring.sheet_json import parse_sheets

EXIT_INVALID = 2


def run(text: str) -> tuple[str, list[str], int]:
    """Score the sheets in ``text``: (stdout text, stderr lines, exit code).

    Either every sheet is valid and stdout holds the JSON list of results, or stdout is empty and
    stderr has one line per problem.
    """
    try:
        # Notepad and Excel on Windows write a UTF-8 BOM, which json refuses.
        data = jsonfile.loads(text.removeprefix("\ufeff"))
    except JsonTooLarge as error:
        return "", [f"input: {error}"], EXIT_INVALID
    except json.JSONDecodeError as error:
        return (
            "",
            [f"input: 不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列：{error.msg}"],
            EXIT_INVALID,
        )
    except DuplicateKey as error:
        return "", [f"input: 不是有效的评分表 JSON：键 {error} 重复出现"], EXIT_INVALID
    sheets, errors = parse_sheets(data)
    if errors:
        return "", errors, EXIT_INVALID
    results = [result_to_json(score(sheet)) for sheet in sheets]
    return json.dumps(results, ensure_ascii=False, indent=2), [], 0


class SourceError(Exception):
    """The input could not be read; the message is the line to show."""


def read_source(source: str) -> str:
    """The text of the file ``source``, or of stdin for "-"; SourceError when unreadable."""
    try:
        if source == "-":
            return sys.stdin.read()
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"input: 文件不存在：{source}") from None
    except UnicodeDecodeError:
        raise SourceError(f"input: {source} 不是 UTF-8 编码的文本") from None
    except OSError as error:
        raise SourceError(f"input: 无法读取 {source}：{error.strerror or error}") from None


class Command(BaseCommand):
    help = "给评分表 JSON 计分：FILE 为一个评分表或评分表列表，“-”表示从标准输入读取。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="评分表 JSON 文件，“-”表示标准输入")

    def handle(self, *args, **options):
        try:
            text = read_source(options["file"])
        except SourceError as error:
            self.stderr.write(str(error))
            sys.exit(EXIT_INVALID)
        out, err_lines, code = run(text)
        for line in err_lines:
            self.stderr.write(line)
        if code:
            sys.exit(code)
        self.stdout.write(out)
