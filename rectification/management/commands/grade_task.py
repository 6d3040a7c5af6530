"""``manage.py grade_task FILE.json``: print the four-level annual grade of tasks given as JSON.

A checking tool for the grading rules (rectification/grading.py) that needs no database:
FILE (or "-" for stdin) holds one task object or a list of them, see rectification/grade_json.py.
Prints ``[{"task": …, "grade": "优秀|良好|合格|不合格", "reason": …}]``; on bad input prints one
Chinese line per problem to stderr, nothing to stdout, and exits with status 2.
"""

import json
import sys
from typing import TextIO

from django.core.management.base import BaseCommand

from qianshan.common import jsonfile
from qianshan.common.jsonfile import DuplicateKey, JsonTooLarge
from rectification.grade_json import parse_grade_input
from rectification.grading import grade_task

EXIT_BAD_INPUT = 2


def run(text: str) -> tuple[str, list[str], int]:
    """Grade the tasks in JSON ``text``: (stdout text without trailing newline, stderr lines, exit code)."""
    try:
        data = jsonfile.loads(text)
    except JsonTooLarge as error:
        return "", [f"JSON 无效：{error}"], EXIT_BAD_INPUT
    except DuplicateKey as duplicate:
        return "", [f"JSON 无效：对象中重复的字段 {duplicate}"], EXIT_BAD_INPUT
    except json.JSONDecodeError as error:
        return "", [f"JSON 无效：第{error.lineno}行第{error.colno}列附近格式错误"], EXIT_BAD_INPUT
    except RecursionError:
        return "", ["JSON 无效：嵌套层数过多"], EXIT_BAD_INPUT
    facts, errors = parse_grade_input(data)
    if errors:
        return "", errors, EXIT_BAD_INPUT
    rows = []
    for task in facts:
        grade = grade_task(task)
        rows.append({"task": task.task, "grade": grade.label, "reason": grade.reason})
    return json.dumps(rows, ensure_ascii=False), [], 0


def read_input(path: str, stdin: TextIO) -> tuple[str | None, str | None]:
    """Read FILE, or stdin for "-": (text, None) or (None, one Chinese error line)."""
    if path == "-":
        return stdin.read(), None
    try:
        # utf-8-sig: files saved by Windows Notepad start with a BOM, which json.loads refuses.
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read(), None
    except FileNotFoundError:
        return None, f"找不到文件：{path}"
    except UnicodeDecodeError:
        return None, f"文件不是 UTF-8 编码：{path}"
    except OSError as error:
        return None, f"无法读取文件 {path}：{error.strerror or error}"


class Command(BaseCommand):
    help = "按评分标准一计算整改任务的年度考核等次（输入为 JSON 文件，“-” 表示标准输入）"
    # Pure computation: no models, so no system checks and no database are needed.
    requires_system_checks = []
    # Lets tests hand in their own stdin through call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="JSON 文件路径，“-” 表示从标准输入读取")

    def handle(self, *args, **options):
        text, error = read_input(options["file"], options.get("stdin") or sys.stdin)
        if error is not None:
            self._fail([error])
        out, errors, code = run(text)
        if code != 0:
            self._fail(errors)
        self.stdout.write(out)

    def _fail(self, lines: list[str]) -> None:
        for line in lines:
            self.stderr.write(line)
        raise SystemExit(EXIT_BAD_INPUT)
