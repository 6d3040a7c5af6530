"""The scoring-sheet JSON format (docs/rules.md §8.7): parsing, every error kind, export, the command."""

import copy
import io
import json
from fractions import Fraction

import pytest

from scoring.enums import LeaderLevel, MediaLevel, PraiseLevel
from scoring.management.commands.score_sheet import Command, SourceError, read_source, run
from scoring.rules import Bonus, Deductions, score
from scoring.sheet_json import parse_sheets, sheet_to_json

# The sheet of docs/rules.md §8.7, verbatim.
EXAMPLE_TEXT = """
{
  "case": "D2LN202107160012",
  "locality": "千山风景区",
  "territorial": [ {"case_leader": "principal", "lead_unit_head": "deputy", "handler": true} ],
  "functional":  [ {"case_leader": "none", "handler": true} ],
  "plan": {"department": true, "measures": true, "milestones": true, "funding": false},
  "plan_reviewed": true,
  "plan_implemented": true,
  "archive": {"catalogue": true, "assignment_note": true,
              "unit_materials": {"complete": 1, "units": 2},
              "site_records":   {"complete": 2, "units": 2}},
  "problems": {"solved": 3, "total": 4},
  "satisfaction_signed": true,
  "bonus": {"praise": "city_chief", "follow_up_visit": true, "source_governance": false,
            "inference": false, "media": ["city", "provincial"]},
  "deductions": {"penalty_missing": false, "deadline_missed": true, "repeat_complaint": false},
  "fake": false
}
"""

EXAMPLE_RESULT = {
    "case": "D2LN202107160012",
    "locality": "千山风景区",
    "total": "92.25",
    "fake": False,
    "parts": {
        "territorial": "8.00",
        "functional": "2.00",
        "rectification": "20.00",
        "archive": "11.50",
        "result": "43.75",
        "bonus": "12.00",
        "deduction": "5.00",
    },
}

DELETE = object()


def example() -> dict:
    return json.loads(EXAMPLE_TEXT)


def changed(path: tuple, value) -> dict:
    """The example sheet with the field at ``path`` set to ``value`` (or removed, for DELETE)."""
    data = example()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


# ---------------------------------------------------------------- valid input


def test_parse_sheets_example_builds_the_sheet():
    (sheet,), errors = parse_sheets(example())

    assert errors == []
    assert sheet.case == "D2LN202107160012"
    assert sheet.territorial[0].case_leader is LeaderLevel.PRINCIPAL
    assert sheet.territorial[0].lead_unit_head is LeaderLevel.DEPUTY
    assert sheet.functional[0].case_leader is LeaderLevel.NONE
    assert (sheet.archive.unit_materials.complete, sheet.archive.unit_materials.units) == (1, 2)
    assert (sheet.problems.solved, sheet.problems.total) == (3, 4)
    assert sheet.bonus == Bonus(
        praise=PraiseLevel.CITY_CHIEF,
        follow_up_visit=True,
        media=(MediaLevel.CITY, MediaLevel.PROVINCIAL),
    )
    assert sheet.deductions == Deductions(deadline_missed=True)
    assert score(sheet).total == Fraction("92.25")


def test_parse_sheets_list_keeps_input_order():
    second = changed(("case",), "D2LN202107160013")

    sheets, errors = parse_sheets([example(), second])

    assert errors == []
    assert [s.case for s in sheets] == ["D2LN202107160012", "D2LN202107160013"]


@pytest.mark.parametrize("omitted", ["bonus", "deductions"])
def test_parse_sheets_optional_part_omitted_defaults_to_nothing(omitted):
    (sheet,), errors = parse_sheets(changed((omitted,), DELETE))

    assert errors == []
    assert getattr(sheet, omitted) == {"bonus": Bonus(), "deductions": Deductions()}[omitted]


def test_parse_sheets_empty_media_list_is_valid():
    (sheet,), errors = parse_sheets(changed(("bonus", "media"), []))

    assert errors == []
    assert sheet.bonus.media == ()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("archive", "unit_materials"), {"complete": 0, "units": 1}),
        (("archive", "site_records"), {"complete": 3, "units": 3}),
        (("problems",), {"solved": 0, "total": 1}),
        (("problems",), {"solved": 1, "total": 1}),
    ],
)
def test_parse_sheets_range_boundaries_are_valid(path, value):
    sheets, errors = parse_sheets(changed(path, value))

    assert (len(sheets), errors) == (1, [])


def test_sheet_to_json_is_inverse_of_parse():
    (sheet,), _ = parse_sheets(example())

    assert sheet_to_json(sheet) == example()
    assert parse_sheets(sheet_to_json(sheet)) == ([sheet], [])


def test_sheet_to_json_writes_omitted_parts_in_full():
    (sheet,), _ = parse_sheets(changed(("bonus",), DELETE))

    assert sheet_to_json(sheet)["bonus"] == {
        "praise": "none",
        "follow_up_visit": False,
        "source_governance": False,
        "inference": False,
        "media": [],
    }


def test_sheet_to_json_output_is_plain_json():
    (sheet,), _ = parse_sheets(example())

    assert json.loads(json.dumps(sheet_to_json(sheet))) == example()


# ---------------------------------------------------------------- errors, one kind each


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # missing required field, top level and nested
        (("plan_reviewed",), DELETE, "sheet 1: plan_reviewed: 缺少必填字段"),
        (("plan", "funding"), DELETE, "sheet 1: plan.funding: 缺少必填字段"),
        (("bonus", "media"), DELETE, "sheet 1: bonus.media: 缺少必填字段"),
        # unknown keys
        (("extra",), 1, "sheet 1: extra: 未知字段"),
        (("territorial", 0, "boss"), "x", "sheet 1: territorial[0].boss: 未知字段"),
        (("deductions", "late"), True, "sheet 1: deductions.late: 未知字段"),
        # booleans must be JSON booleans
        (("plan_reviewed",), 1, "sheet 1: plan_reviewed: 应为布尔值 true/false，实际为 1"),
        (("fake",), "false", 'sheet 1: fake: 应为布尔值 true/false，实际为 "false"'),
        (("fake",), None, "sheet 1: fake: 应为布尔值 true/false，实际为 null"),
        (
            ("functional", 0, "handler"),
            0,
            "sheet 1: functional[0].handler: 应为布尔值 true/false，实际为 0",
        ),
        # integers must be JSON integers, not booleans, floats or strings
        (("problems", "solved"), True, "sheet 1: problems.solved: 应为整数，实际为 true"),
        (("problems", "total"), 4.0, "sheet 1: problems.total: 应为整数，实际为 4.0"),
        (
            ("archive", "site_records", "units"),
            "2",
            'sheet 1: archive.site_records.units: 应为整数，实际为 "2"',
        ),
        # strings
        (("case",), 12, "sheet 1: case: 应为字符串，实际为 12"),
        (("locality",), "  ", "sheet 1: locality: 不能为空"),
        # enums
        (
            ("territorial", 0, "case_leader"),
            "boss",
            'sheet 1: territorial[0].case_leader: 未知取值 "boss"（可选 principal/deputy/none）',
        ),
        (
            ("territorial", 0, "lead_unit_head"),
            3,
            "sheet 1: territorial[0].lead_unit_head: 应为字符串，实际为 3",
        ),
        (
            ("bonus", "praise"),
            "mayor",
            'sheet 1: bonus.praise: 未知取值 "mayor"（可选 none/city_deputy/city_chief/provincial/national）',
        ),
        (
            ("bonus", "media"),
            ["city", "tv"],
            'sheet 1: bonus.media[1]: 未知取值 "tv"（可选 national/provincial/city）',
        ),
        # containers
        (("bonus", "media"), "city", 'sheet 1: bonus.media: 应为列表，实际为 "city"'),
        (("functional",), {}, "sheet 1: functional: 应为列表，实际为 {}"),
        (("territorial",), [], "sheet 1: territorial: 至少需要一个属地责任主体"),
        (("functional",), [], "sheet 1: functional: 至少需要一个属事责任主体"),
        (("plan",), [], "sheet 1: plan: 应为对象，实际为 []"),
        (("territorial", 0), "principal", 'sheet 1: territorial[0]: 应为对象，实际为 "principal"'),
        (("bonus",), None, "sheet 1: bonus: 应为对象，实际为 null"),
        # ranges
        (
            ("archive", "unit_materials"),
            {"complete": 4, "units": 3},
            "sheet 1: archive.unit_materials.complete: 4 > units 3",
        ),
        (
            ("archive", "site_records"),
            {"complete": -1, "units": 3},
            "sheet 1: archive.site_records.complete: -1 < 0（不能为负）",
        ),
        (
            ("archive", "site_records"),
            {"complete": 0, "units": 0},
            "sheet 1: archive.site_records.units: 0 < 1（至少为 1）",
        ),
        (("problems",), {"solved": 5, "total": 4}, "sheet 1: problems.solved: 5 > total 4"),
        (("problems",), {"solved": 0, "total": 0}, "sheet 1: problems.total: 0 < 1（至少为 1）"),
        (("problems",), {"solved": -2, "total": 3}, "sheet 1: problems.solved: -2 < 0（不能为负）"),
        # long values are shortened so that the error stays one line
        (("case",), ["x" * 50], 'sheet 1: case: 应为字符串，实际为 ["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'),
    ],
)
def test_parse_sheets_error_names_sheet_path_and_problem(path, value, expected):
    sheets, errors = parse_sheets(changed(path, value))

    assert sheets == []
    assert errors == [expected]


def test_parse_sheets_error_counts_sheet_position_from_1():
    bad = changed(("archive", "unit_materials", "complete"), 4)
    bad["archive"]["unit_materials"]["units"] = 3

    sheets, errors = parse_sheets([example(), bad, example()])

    assert sheets == []
    assert errors == ["sheet 2: archive.unit_materials.complete: 4 > units 3"]


def test_parse_sheets_reports_all_errors_of_all_sheets():
    first = changed(("plan", "funding"), "yes")
    first["territorial"][0]["case_leader"] = "boss"
    del first["fake"]
    second = copy.deepcopy(first)
    second["surplus"] = 0

    _, errors = parse_sheets([first, second])

    expected = [
        'territorial[0].case_leader: 未知取值 "boss"（可选 principal/deputy/none）',
        'plan.funding: 应为布尔值 true/false，实际为 "yes"',
        "fake: 缺少必填字段",
    ]
    assert errors == [
        *(f"sheet 1: {line}" for line in expected),
        *(f"sheet 2: {line}" for line in expected),
        "sheet 2: surplus: 未知字段",
    ]


def test_parse_sheets_range_not_checked_when_a_count_is_invalid():
    _, errors = parse_sheets(changed(("problems",), {"solved": 9, "total": "4"}))

    assert errors == ['sheet 1: problems.total: 应为整数，实际为 "4"']


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (3, "input: 应为评分表对象或评分表列表，实际为 3"),
        ("sheet", 'input: 应为评分表对象或评分表列表，实际为 "sheet"'),
        (None, "input: 应为评分表对象或评分表列表，实际为 null"),
        ([], "input: 列表为空，没有评分表"),
    ],
)
def test_parse_sheets_top_level_error(data, expected):
    assert parse_sheets(data) == ([], [expected])


def test_parse_sheets_list_entry_not_an_object():
    assert parse_sheets([example(), "x"]) == ([], ['sheet 2: 应为对象，实际为 "x"'])


def test_parse_sheets_empty_object_lists_every_missing_field():
    _, errors = parse_sheets({})

    assert errors == [
        f"sheet 1: {name}: 缺少必填字段"
        for name in (
            "case",
            "locality",
            "territorial",
            "functional",
            "plan",
            "plan_reviewed",
            "plan_implemented",
            "archive",
            "problems",
            "satisfaction_signed",
            "fake",
        )
    ]


# ---------------------------------------------------------------- the command's core


def test_run_example_prints_results_and_exits_0():
    out, err, code = run(EXAMPLE_TEXT)

    assert (err, code) == ([], 0)
    assert json.loads(out) == [EXAMPLE_RESULT]
    assert "千山风景区" in out  # ensure_ascii=False


def test_run_list_prints_one_result_per_sheet_in_order():
    fake = changed(("fake",), True)
    fake["case"] = "D2LN202107160099"

    out, err, code = run(json.dumps([example(), fake]))

    assert (err, code) == ([], 0)
    assert json.loads(out) == [
        EXAMPLE_RESULT,
        {**EXAMPLE_RESULT, "case": "D2LN202107160099", "total": "0.00", "fake": True},
    ]


def test_run_schema_errors_print_nothing_on_stdout_and_exit_2():
    bad = changed(("problems",), {"solved": 5, "total": 4})

    out, err, code = run(json.dumps([example(), bad]))

    assert (out, err, code) == ("", ["sheet 2: problems.solved: 5 > total 4"], 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "input: 不是有效的 JSON：第 1 行第 2 列：Expecting property name enclosed in double quotes"),
        ("", "input: 不是有效的 JSON：第 1 行第 1 列：Expecting value"),
        ('{"case": "a", "case": "b"}', 'input: 不是有效的评分表 JSON：键 "case" 重复出现'),
    ],
)
def test_run_invalid_json_one_line_exit_2(text, expected):
    assert run(text) == ("", [expected], 2)


def test_run_accepts_utf8_byte_order_mark():
    out, err, code = run("\ufeff" + EXAMPLE_TEXT)

    assert (err, code) == ([], 0)
    assert json.loads(out) == [EXAMPLE_RESULT]


def test_read_source_missing_file_raises_one_line(tmp_path):
    missing = tmp_path / "nope.json"

    with pytest.raises(SourceError) as raised:
        read_source(str(missing))

    assert str(raised.value) == f"input: 文件不存在：{missing}"


def test_read_source_non_utf8_file_raises_one_line(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes("千山风景区".encode("gbk"))

    with pytest.raises(SourceError) as raised:
        read_source(str(path))

    assert str(raised.value) == f"input: {path} 不是 UTF-8 编码的文本"


def test_read_source_dash_reads_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(EXAMPLE_TEXT))

    assert read_source("-") == EXAMPLE_TEXT


def run_command(source: str) -> tuple[str, str, int]:
    """Call the command's handle() as manage.py would; (stdout, stderr, exit code)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        Command(stdout=out, stderr=err).handle(file=source)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return out.getvalue(), err.getvalue(), code


def test_command_file_prints_results(tmp_path):
    path = tmp_path / "sheets.json"
    path.write_text(EXAMPLE_TEXT, encoding="utf-8")

    out, err, code = run_command(str(path))

    assert (err, code) == ("", 0)
    assert json.loads(out) == [EXAMPLE_RESULT]


def test_command_schema_error_exits_2_with_lines_on_stderr(tmp_path):
    path = tmp_path / "sheets.json"
    path.write_text(json.dumps([changed(("fake",), DELETE), changed(("case",), "")]), encoding="utf-8")

    out, err, code = run_command(str(path))

    assert (out, code) == ("", 2)
    assert err.splitlines() == ["sheet 1: fake: 缺少必填字段", "sheet 2: case: 不能为空"]


def test_command_missing_file_exits_2(tmp_path):
    out, err, code = run_command(str(tmp_path / "nope.json"))

    assert (out, code) == ("", 2)
    assert err == f"input: 文件不存在：{tmp_path / 'nope.json'}\n"
