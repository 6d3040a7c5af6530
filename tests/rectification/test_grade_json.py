"""JSON input of ``grade_task``: parsing, every kind of validation error, and the command itself."""

import copy
import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from rectification.grade_json import parse_grade_input
from rectification.grading import MeasureFacts, MilestoneFacts, TaskFacts
from rectification.management.commands.grade_task import Command, read_input, run

ISSUE_EXAMPLE = {
    "task": "R1-07",
    "year": 2021,
    "as_of": "2021-12-31",
    "target_reached": True,
    "measures": [
        {
            "complete": False,
            "milestones": [{"due": "2021-06-30", "done": "2021-07-02"}, {"due": "2022-03-31", "done": None}],
        }
    ],
}

ISSUE_FACTS = TaskFacts(
    task="R1-07",
    year=2021,
    as_of=date(2021, 12, 31),
    target_reached=True,
    measures=(
        MeasureFacts(
            complete=False,
            milestones=(
                MilestoneFacts(due=date(2021, 6, 30), done=date(2021, 7, 2)),
                MilestoneFacts(due=date(2022, 3, 31), done=None),
            ),
        ),
    ),
)


# Marks a key to delete in example().
_REMOVE = object()


def example(**changes):
    """A deep copy of the issue example; each key is a path with ``__`` between parts, _REMOVE deletes."""
    data = copy.deepcopy(ISSUE_EXAMPLE)
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _REMOVE:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return data


# --- valid input ---------------------------------------------------------------------


def test_parse_grade_input_one_object():
    assert parse_grade_input(ISSUE_EXAMPLE) == ([ISSUE_FACTS], [])


def test_parse_grade_input_list():
    second = example(task="R2-01", year=2022)
    facts, errors = parse_grade_input([ISSUE_EXAMPLE, second])
    assert errors == []
    assert [(f.task, f.year) for f in facts] == [("R1-07", 2021), ("R2-01", 2022)]


def test_parse_grade_input_empty_list_is_nothing_to_grade():
    assert parse_grade_input([]) == ([], [])


def test_parse_grade_input_measure_without_milestones():
    facts, errors = parse_grade_input(example(measures__0__milestones=[]))
    assert errors == []
    assert facts[0].measures == (MeasureFacts(complete=False, milestones=()),)


# --- every kind of error -------------------------------------------------------------

P = "第1项（R1-07）："

ERROR_CASES = [
    pytest.param(example(year=_REMOVE), [P + "year：缺少字段"], id="missing_field"),
    pytest.param(
        example(measures__0__milestones__1__done=_REMOVE),
        [P + "measures[0].milestones[1].done：缺少字段"],
        id="missing_nested_field",
    ),
    pytest.param(
        example(grade="优秀"),
        [P + "grade：未知字段，允许的字段为 task、year、as_of、target_reached、measures"],
        id="unknown_field",
    ),
    pytest.param(
        example(measures__0__label="拆除"),
        [P + "measures[0].label：未知字段，允许的字段为 complete、milestones"],
        id="unknown_nested_field",
    ),
    pytest.param(example(task=7), ["第1项：task：应为字符串，实际为整数 7"], id="task_not_string"),
    pytest.param(example(task="  "), ["第1项：task：不能为空"], id="task_blank"),
    pytest.param(example(year="2021"), [P + 'year：应为整数年份，实际为字符串 "2021"'], id="year_string"),
    pytest.param(example(year=2021.0), [P + "year：应为整数年份，实际为小数 2021.0"], id="year_float"),
    pytest.param(example(year=True), [P + "year：应为整数年份，实际为布尔值 true"], id="year_bool"),
    pytest.param(
        example(year=20211), [P + "year：年份 20211 超出范围，应在 2000–2100 之间"], id="year_range"
    ),
    pytest.param(
        example(as_of="2021-13-01"),
        [P + 'as_of：日期格式无效 "2021-13-01"，应为 YYYY-MM-DD'],
        id="date_impossible",
    ),
    pytest.param(
        example(as_of="20211231"),
        [P + 'as_of：日期格式无效 "20211231"，应为 YYYY-MM-DD'],
        id="date_not_dashed",
    ),
    pytest.param(
        example(as_of="2021/12/31"),
        [P + 'as_of：日期格式无效 "2021/12/31"，应为 YYYY-MM-DD'],
        id="date_slashes",
    ),
    pytest.param(
        example(as_of=None), [P + "as_of：应为日期字符串 YYYY-MM-DD，实际为 null"], id="required_date_null"
    ),
    pytest.param(
        example(measures__0__milestones__1__due="2021-13-01"),
        [P + 'measures[0].milestones[1].due：日期格式无效 "2021-13-01"，应为 YYYY-MM-DD'],
        id="nested_date_invalid",
    ),
    pytest.param(
        example(measures__0__milestones__0__done=20210702),
        [P + "measures[0].milestones[0].done：应为日期字符串 YYYY-MM-DD 或 null，实际为整数 20210702"],
        id="optional_date_wrong_type",
    ),
    pytest.param(
        example(target_reached="true"),
        [P + 'target_reached：应为 true 或 false，实际为字符串 "true"'],
        id="bool_as_string",
    ),
    pytest.param(
        example(measures__0__complete=0),
        [P + "measures[0].complete：应为 true 或 false，实际为整数 0"],
        id="bool_as_int",
    ),
    pytest.param(example(measures={}), [P + "measures：应为列表，实际为对象"], id="list_wrong_type"),
    pytest.param(example(measures=[]), [P + "measures：至少需要一项"], id="measures_empty"),
    pytest.param(
        example(measures__0__milestones="2021-06-30"),
        [P + 'measures[0].milestones：应为列表，实际为字符串 "2021-06-30"'],
        id="milestones_wrong_type",
    ),
    pytest.param(
        example(measures__0="措施"),
        [P + 'measures[0]：应为对象，实际为字符串 "措施"'],
        id="measure_not_object",
    ),
    pytest.param(
        example(measures__0__milestones__0=["2021-06-30"]),
        [P + "measures[0].milestones[0]：应为对象，实际为列表"],
        id="milestone_not_object",
    ),
    pytest.param([3], ["第1项：应为对象，实际为整数 3"], id="item_not_object"),
    pytest.param("R1-07", ['输入：应为对象或对象列表，实际为字符串 "R1-07"'], id="top_level_wrong_type"),
    pytest.param(
        example(as_of="x" * 50),
        [P + 'as_of：日期格式无效 "' + "x" * 36 + "…，应为 YYYY-MM-DD"],
        id="long_value_cut_short",
    ),
]


@pytest.mark.parametrize(("data", "errors"), ERROR_CASES)
def test_parse_grade_input_errors(data, errors):
    assert parse_grade_input(data) == ([], errors)


def test_parse_grade_input_reports_all_errors_of_all_items():
    bad = example(year="2021", as_of="2021-02-30", measures__0__milestones__1__due=None)
    data = [ISSUE_EXAMPLE, bad, {"task": "R1-09", "year": 2021}]
    assert parse_grade_input(data) == (
        [],
        [
            '第2项（R1-07）：year：应为整数年份，实际为字符串 "2021"',
            '第2项（R1-07）：as_of：日期格式无效 "2021-02-30"，应为 YYYY-MM-DD',
            "第2项（R1-07）：measures[0].milestones[1].due：应为日期字符串 YYYY-MM-DD，实际为 null",
            "第3项（R1-09）：as_of：缺少字段",
            "第3项（R1-09）：target_reached：缺少字段",
            "第3项（R1-09）：measures：缺少字段",
        ],
    )


# --- run(): the command's logic without Django ----------------------------------------

ISSUE_OUTPUT = [
    {"task": "R1-07", "grade": "合格", "reason": "合格：措施1滞后序时（时间节点2021-06-30于2021-07-02完成）"}
]


def test_run_issue_example():
    out, errors, code = run(json.dumps(ISSUE_EXAMPLE))
    assert (json.loads(out), errors, code) == (ISSUE_OUTPUT, [], 0)
    assert "合格" in out  # ensure_ascii=False: Chinese stays readable


def test_run_list_keeps_order():
    excellent = example(task="R1-01", measures__0__complete=True)
    failed = example(task="R1-02", target_reached=False)
    out, errors, code = run(json.dumps([excellent, failed]))
    assert (errors, code) == ([], 0)
    assert json.loads(out) == [
        {"task": "R1-01", "grade": "优秀", "reason": "优秀：全部1项措施已完成，年度目标已达到"},
        {"task": "R1-02", "grade": "不合格", "reason": "不合格：年度目标未达到"},
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("", "JSON 无效：第1行第1列附近格式错误", id="empty"),
        pytest.param('{"task": "R1-07",\n  "year": }', "JSON 无效：第2行第11列附近格式错误", id="syntax"),
        pytest.param(
            '{"task": "R1-07", "task": "R1-08"}', 'JSON 无效：对象中重复的字段 "task"', id="duplicate_key"
        ),
        pytest.param("[" * 100_000, "JSON 无效：JSON 嵌套超过 20 层的上限。", id="too_deep"),
    ],
)
def test_run_invalid_json_is_one_line(text, line):
    assert run(text) == ("", [line], 2)


def test_run_validation_errors_leave_stdout_empty():
    assert run(json.dumps(example(year="2021"))) == (
        "",
        ['第1项（R1-07）：year：应为整数年份，实际为字符串 "2021"'],
        2,
    )


# --- reading FILE and the Django command ----------------------------------------------


def test_read_input_missing_file(tmp_path):
    missing = tmp_path / "nope.json"
    assert read_input(str(missing), io.StringIO()) == (None, f"找不到文件：{missing}")


def test_read_input_not_utf8(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes('{"task": "整改"}'.encode("gbk"))
    assert read_input(str(path), io.StringIO()) == (None, f"文件不是 UTF-8 编码：{path}")


def test_read_input_accepts_bom(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf[]")
    assert read_input(str(path), io.StringIO()) == ("[]", None)


def test_read_input_dash_reads_stdin():
    assert read_input("-", io.StringIO("[]")) == ("[]", None)


def call(*args, **options):
    """Run the command; (stdout, stderr, exit code). No settings needed: it skips system checks."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(Command(), *args, stdout=out, stderr=err, **options)
    except SystemExit as exit_:
        return out.getvalue(), err.getvalue(), exit_.code
    return out.getvalue(), err.getvalue(), 0


def test_command_grades_file(tmp_path):
    path = tmp_path / "task.json"
    path.write_text(json.dumps(ISSUE_EXAMPLE, ensure_ascii=False), encoding="utf-8")
    out, err, code = call(str(path))
    assert (json.loads(out), err, code) == (ISSUE_OUTPUT, "", 0)


def test_command_reads_stdin():
    out, err, code = call("-", stdin=io.StringIO(json.dumps([ISSUE_EXAMPLE])))
    assert (json.loads(out), err, code) == (ISSUE_OUTPUT, "", 0)


def test_command_bad_input_prints_lines_to_stderr_only():
    data = [example(year="2021"), 3]
    out, err, code = call("-", stdin=io.StringIO(json.dumps(data)))
    assert (out, code) == ("", 2)
    assert err.splitlines() == [
        '第1项（R1-07）：year：应为整数年份，实际为字符串 "2021"',
        "第2项：应为对象，实际为整数 3",
    ]


def test_command_missing_file(tmp_path):
    missing = tmp_path / "nope.json"
    assert call(str(missing)) == ("", f"找不到文件：{missing}\n", 2)
