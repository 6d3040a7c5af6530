"""The scoring sheet's JSON exchange format (docs/rules.md §8.7): strict parsing and export.

Parsing reports every problem, one line each, as ``sheet N: json.path: message``; a sheet with
any problem is not built. The readers below each take ``(value, path, errors)``, append what is
wrong and return the parsed value or ``INVALID``.
"""

import json
import re
from collections.abc import Callable
from enum import Enum
from typing import Any

from scoring.enums import LeaderLevel, MediaLevel, PraiseLevel
from scoring.rules import (
    Archive,
    Bonus,
    Deductions,
    FunctionalSubject,
    Plan,
    Problems,
    Sheet,
    TerritorialSubject,
    UnitCompletion,
)


class _Invalid:
    """Marks a value that failed to parse (its errors are already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()

Reader = Callable[[Any, str, list[str]], Any]


def parse_sheets(data: Any) -> tuple[list[Sheet], list[str]]:
    """Parse decoded JSON holding one sheet or a list of sheets.

    Returns the sheets and the error lines; when there is any error the sheet list is empty,
    because a file is imported whole or not at all.
    """
    if isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        return [], [f"input: 应为评分表对象或评分表列表，实际为 {_show(data)}"]
    if not items:
        return [], ["input: 列表为空，没有评分表"]
    sheets, errors = [], []
    for position, item in enumerate(items, start=1):
        sheet_errors: list[str] = []
        sheet = _sheet(item, "", sheet_errors)
        errors.extend(f"sheet {position}: {line}" for line in sheet_errors)
        sheets.append(sheet)
    return ([] if errors else sheets), errors


def sheet_to_json(sheet: Sheet) -> dict:
    """The sheet in the exchange format, with every optional part written out."""
    return {
        "case": sheet.case,
        "locality": sheet.locality,
        "territorial": [_fields(s) for s in sheet.territorial],
        "functional": [_fields(s) for s in sheet.functional],
        "plan": _fields(sheet.plan),
        "plan_reviewed": sheet.plan_reviewed,
        "plan_implemented": sheet.plan_implemented,
        "archive": {
            "catalogue": sheet.archive.catalogue,
            "assignment_note": sheet.archive.assignment_note,
            "unit_materials": _fields(sheet.archive.unit_materials),
            "site_records": _fields(sheet.archive.site_records),
        },
        "problems": _fields(sheet.problems),
        "satisfaction_signed": sheet.satisfaction_signed,
        "bonus": {
            **_fields(sheet.bonus),
            "media": [_plain(level) for level in sheet.bonus.media],
        },
        "deductions": _fields(sheet.deductions),
        "fake": sheet.fake,
    }


def _fields(obj: Any) -> dict:
    """A flat dataclass as a dict of plain JSON values (enums as their stored value)."""
    return {name: _plain(value) for name, value in vars(obj).items()}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


_LINE = re.compile(r"^sheet (\d+): (?:([A-Za-z_][\w.\[\]]*): )?(.*)$", re.S)


def split_error(line: str) -> tuple[int | None, str, str]:
    """(sheet position or None for the whole input, JSON path or "", message) of an error line."""
    if line.startswith("input: "):
        return None, "", line[len("input: ") :]
    match = _LINE.match(line)
    if match is None:
        return None, "", line
    return int(match.group(1)), match.group(2) or "", match.group(3)


# ---------------------------------------------------------------- scalar readers


def _show(value: Any) -> str:
    """The offending value as JSON, shortened so that one error stays one readable line."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:37] + "…"


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _error(errors: list[str], path: str, message: str) -> _Invalid:
    errors.append(f"{path}: {message}" if path else message)
    return INVALID


def _bool(value: Any, path: str, errors: list[str]) -> bool | _Invalid:
    if isinstance(value, bool):
        return value
    return _error(errors, path, f"应为布尔值 true/false，实际为 {_show(value)}")


def _int(value: Any, path: str, errors: list[str]) -> int | _Invalid:
    # bool is a subclass of int in Python, but `true` is not a count.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return _error(errors, path, f"应为整数，实际为 {_show(value)}")


def _text(value: Any, path: str, errors: list[str]) -> str | _Invalid:
    if not isinstance(value, str):
        return _error(errors, path, f"应为字符串，实际为 {_show(value)}")
    if not value.strip():
        return _error(errors, path, "不能为空")
    return value


def _choice(enum: type[Enum]) -> Reader:
    """A reader for one stored value of ``enum``."""
    allowed = [member.value for member in enum]

    def read(value: Any, path: str, errors: list[str]) -> Enum | _Invalid:
        if not isinstance(value, str):
            return _error(errors, path, f"应为字符串，实际为 {_show(value)}")
        if value not in allowed:
            options = "/".join(allowed)
            return _error(errors, path, f"未知取值 {_show(value)}（可选 {options}）")
        return enum(value)

    return read


def _list(item: Reader, *, non_empty: bool, what: str = "") -> Reader:
    """A reader for a JSON list whose entries are read by ``item``."""

    def read(value: Any, path: str, errors: list[str]) -> tuple | _Invalid:
        if not isinstance(value, list):
            return _error(errors, path, f"应为列表，实际为 {_show(value)}")
        if non_empty and not value:
            return _error(errors, path, f"至少需要一个{what}")
        parsed = tuple(item(entry, _at(path, i), errors) for i, entry in enumerate(value))
        return INVALID if any(p is INVALID for p in parsed) else parsed

    return read


# ---------------------------------------------------------------- object readers


def _object(
    build: Callable[..., Any],
    fields: dict[str, Reader],
    *,
    optional: frozenset[str] = frozenset(),
    check: Callable[[dict, str, list[str]], None] | None = None,
) -> Reader:
    """A reader for a JSON object with exactly ``fields`` (those in ``optional`` may be left out).

    ``check`` sees the fields once each parsed alone, for rules across fields.
    """

    def read(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, dict):
            return _error(errors, path, f"应为对象，实际为 {_show(value)}")
        parsed, before = {}, len(errors)
        for name, reader in fields.items():
            if name in value:
                parsed[name] = reader(value[name], _at(path, name), errors)
            elif name not in optional:
                _error(errors, _at(path, name), "缺少必填字段")
        for name in value:
            if name not in fields:
                _error(errors, _at(path, name), "未知字段")
        if check is not None and all(v is not INVALID for v in parsed.values()):
            check(parsed, path, errors)
        return build(**parsed) if len(errors) == before else INVALID

    return read


def _bounded_pair(part: str, whole: str) -> Callable[[dict, str, list[str]], None]:
    """Check 0 ≤ part ≤ whole and whole ≥ 1, for the fields that were given."""

    def check(parsed: dict, path: str, errors: list[str]) -> None:
        done, total = parsed.get(part), parsed.get(whole)
        if done is not None and done < 0:
            _error(errors, _at(path, part), f"{done} < 0（不能为负）")
        elif done is not None and total is not None and done > total >= 1:
            _error(errors, _at(path, part), f"{done} > {whole} {total}")
        if total is not None and total < 1:
            _error(errors, _at(path, whole), f"{total} < 1（至少为 1）")

    return check


_leader = _choice(LeaderLevel)

_unit_completion = _object(
    UnitCompletion,
    {"complete": _int, "units": _int},
    check=_bounded_pair("complete", "units"),
)

_bonus = _object(
    Bonus,
    {
        "praise": _choice(PraiseLevel),
        "follow_up_visit": _bool,
        "source_governance": _bool,
        "inference": _bool,
        "media": _list(_choice(MediaLevel), non_empty=False),
    },
)

_deductions = _object(
    Deductions,
    {"penalty_missing": _bool, "deadline_missed": _bool, "repeat_complaint": _bool},
)

_sheet = _object(
    Sheet,
    {
        "case": _text,
        "locality": _text,
        "territorial": _list(
            _object(
                TerritorialSubject,
                {"case_leader": _leader, "lead_unit_head": _leader, "handler": _bool},
            ),
            non_empty=True,
            what="属地责任主体",
        ),
        "functional": _list(
            _object(FunctionalSubject, {"case_leader": _leader, "handler": _bool}),
            non_empty=True,
            what="属事责任主体",
        ),
        "plan": _object(
            Plan,
            {
                "department": _bool,
                "measures": _bool,
                "milestones": _bool,
                "funding": _bool,
            },
        ),
        "plan_reviewed": _bool,
        "plan_implemented": _bool,
        "archive": _object(
            Archive,
            {
                "catalogue": _bool,
                "assignment_note": _bool,
                "unit_materials": _unit_completion,
                "site_records": _unit_completion,
            },
        ),
        "problems": _object(
            Problems,
            {"solved": _int, "total": _int},
            check=_bounded_pair("solved", "total"),
        ),
        "satisfaction_signed": _bool,
        "bonus": _bonus,
        "deductions": _deductions,
        "fake": _bool,
    },
    optional=frozenset({"bonus", "deductions"}),
)
