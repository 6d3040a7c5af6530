"""Parse the JSON input of ``manage.py grade_task`` into ``TaskFacts``, reporting every problem.

Input is one object or a list of objects shaped like::

    {"task": "R1-07", "year": 2021, "as_of": "2021-12-31", "target_reached": true,
     "measures": [{"complete": false,
                   "milestones": [{"due": "2021-06-30", "done": "2021-07-02"}]}]}

Every field is required and unknown keys are refused, so a typo cannot silently change a grade.
Each problem is one Chinese line naming the item (position and task code) and the field path.
"""

import json
import re
from datetime import date

from rectification.grading import MeasureFacts, MilestoneFacts, TaskFacts

__all__ = ["parse_grade_input"]

# The earliest inspection round is 2016; the upper bound only catches typos such as 20211.
YEAR_MIN, YEAR_MAX = 2000, 2100

# date.fromisoformat also takes "20211231" and week dates; the contract is YYYY-MM-DD only.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_TASK_KEYS = ("task", "year", "as_of", "target_reached", "measures")
_MEASURE_KEYS = ("complete", "milestones")
_MILESTONE_KEYS = ("due", "done")


class _Invalid(Exception):
    """A field failed validation; the message is the Chinese reason."""


def parse_grade_input(data: object) -> tuple[list[TaskFacts], list[str]]:
    """Turn parsed JSON into TaskFacts; returns (facts, errors) and facts is empty when errors are not."""
    if not isinstance(data, list | dict):
        return [], [f"输入：应为对象或对象列表，实际为{_describe(data)}"]
    items = data if isinstance(data, list) else [data]
    facts, errors = [], []
    for position, item in enumerate(items, start=1):
        problems: list[str] = []
        task = _task_facts(item, problems)
        prefix = _item_prefix(position, item)
        errors.extend(f"{prefix}：{problem}" for problem in problems)
        if task is not None:
            facts.append(task)
    return ([] if errors else facts), errors


def _item_prefix(position: int, item: object) -> str:
    """第2项（R1-07）, or 第2项 when the task code is unusable."""
    code = item.get("task") if isinstance(item, dict) else None
    if isinstance(code, str) and code.strip():
        return f"第{position}项（{code.strip()}）"
    return f"第{position}项"


def _task_facts(item: object, problems: list[str]) -> TaskFacts | None:
    """Validate one task object; append "path：reason" lines to ``problems``."""
    if not _check_object(item, "", _TASK_KEYS, problems):
        return None
    task = _field(item, "task", "task", _task_code, problems)
    year = _field(item, "year", "year", _year, problems)
    as_of = _field(item, "as_of", "as_of", _date, problems)
    reached = _field(item, "target_reached", "target_reached", _bool, problems)
    measures = _list_of(item, "measures", "measures", _measure_facts, problems, non_empty=True)
    if problems:
        return None
    return TaskFacts(task=task, year=year, as_of=as_of, target_reached=reached, measures=measures)


def _measure_facts(item: object, path: str, problems: list[str]) -> MeasureFacts | None:
    if not _check_object(item, path, _MEASURE_KEYS, problems):
        return None
    complete = _field(item, "complete", f"{path}.complete", _bool, problems)
    milestones = _list_of(
        item, "milestones", f"{path}.milestones", _milestone_facts, problems, non_empty=False
    )
    if complete is None or milestones is None:
        return None
    return MeasureFacts(complete=complete, milestones=milestones)


def _milestone_facts(item: object, path: str, problems: list[str]) -> MilestoneFacts | None:
    if not _check_object(item, path, _MILESTONE_KEYS, problems):
        return None
    due = _field(item, "due", f"{path}.due", _date, problems)
    # `done` may be null, so a failure is told apart from "not done" by the problem count.
    before = len(problems)
    done = _field(item, "done", f"{path}.done", _optional_date, problems)
    if due is None or len(problems) > before:
        return None
    return MilestoneFacts(due=due, done=done)


# --- structure -----------------------------------------------------------------------


def _check_object(item: object, path: str, keys: tuple[str, ...], problems: list[str]) -> bool:
    """Report a non-object, missing keys and unknown keys; True when ``item`` is an object."""
    where = f"{path}：" if path else ""
    if not isinstance(item, dict):
        problems.append(f"{where}应为对象，实际为{_describe(item)}")
        return False
    for key in keys:
        if key not in item:
            problems.append(f"{_join(path, key)}：缺少字段")
    for key in item:
        if key not in keys:
            problems.append(f"{_join(path, key)}：未知字段，允许的字段为 {'、'.join(keys)}")
    return True


def _field(item: dict, key: str, path: str, convert, problems: list[str]):
    """Convert ``item[key]``; None (and a problem line) when it fails. Missing keys are already reported."""
    if key not in item:
        return None
    try:
        return convert(item[key])
    except _Invalid as invalid:
        problems.append(f"{path}：{invalid}")
        return None


def _list_of(item: dict, key: str, path: str, parse_one, problems: list[str], *, non_empty: bool):
    """Parse a list field element by element, reporting every bad element; a tuple or None."""
    if key not in item:
        return None
    value = item[key]
    if not isinstance(value, list):
        problems.append(f"{path}：应为列表，实际为{_describe(value)}")
        return None
    if non_empty and not value:
        problems.append(f"{path}：至少需要一项")
        return None
    parsed = [parse_one(element, f"{path}[{index}]", problems) for index, element in enumerate(value)]
    return None if None in parsed else tuple(parsed)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --- scalar fields -------------------------------------------------------------------


def _task_code(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"应为字符串，实际为{_describe(value)}")
    if not value.strip():
        raise _Invalid("不能为空")
    return value.strip()


def _year(value: object) -> int:
    # bool is an int subclass in Python; true is not a year.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"应为整数年份，实际为{_describe(value)}")
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise _Invalid(f"年份 {value} 超出范围，应在 {YEAR_MIN}–{YEAR_MAX} 之间")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"应为 true 或 false，实际为{_describe(value)}")
    return value


def _date(value: object) -> date:
    if not isinstance(value, str):
        raise _Invalid(f"应为日期字符串 YYYY-MM-DD，实际为{_describe(value)}")
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"日期格式无效 {_show(value)}，应为 YYYY-MM-DD") from None


def _optional_date(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"应为日期字符串 YYYY-MM-DD 或 null，实际为{_describe(value)}")
    return _date(value)


# --- wording -------------------------------------------------------------------------

_TYPE_NAMES = (
    (bool, "布尔值"),
    (int, "整数"),
    (float, "小数"),
    (str, "字符串"),
    (list, "列表"),
    (dict, "对象"),
)


def _describe(value: object) -> str:
    """Chinese type name plus the value, e.g. 字符串 "2021"; objects and lists by type only."""
    if value is None:
        return " null"
    name = next((label for kind, label in _TYPE_NAMES if isinstance(value, kind)), type(value).__name__)
    if isinstance(value, list | dict):
        return name
    return f"{name} {_show(value)}"


def _show(value: object) -> str:
    """The value as JSON, cut short so one bad field cannot flood the terminal."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"
