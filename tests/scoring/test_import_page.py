"""The import page speaks Chinese: JSON syntax errors and sheet problems, never Python's English;
the score_sheet command keeps the exchange format's ``sheet N: path: message`` lines."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring.imports import describe
from scoring.management.commands.score_sheet import run
from scoring.models import ScoringSheet

from .helpers import EXAMPLE, case_in, sheet_data


def _upload(client, content: bytes, name="sheets.json"):
    return client.post("/scoring/import/", {"file": SimpleUploadedFile(name, content)})


def _errors(response) -> list[str]:
    return list(response.context["errors"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not json", "JSON 格式错误：第1行第1列，此处应为一个值（文件为空，或不是 JSON）。"),
        (b'{\n  "case": "a"\n  "x": 1}', "JSON 格式错误：第3行第3列，此处缺少英文逗号。"),
        (b"{", "JSON 格式错误：第1行第2列，此处应为用英文双引号括起的字段名。"),
        (b'{"case": "a", "case": "b"}', 'JSON 格式错误：字段 "case" 在同一对象中重复出现。'),
        ("[]".encode("utf-16"), "文件不是 UTF-8 编码的文本，请另存为 UTF-8 编码后再导入。"),
    ],
)
def test_bad_json_file_is_explained_in_chinese(login, users, content, expected):
    response = _upload(login(users["staff"]), content)
    assert response.status_code == 200
    assert _errors(response) == [expected]
    page = response.content.decode()
    assert "Expecting" not in page and "line 1 column" not in page


@pytest.mark.django_db
def test_empty_file_and_wrong_top_level_are_explained_in_chinese(login, users):
    client = login(users["staff"])
    assert "所提交的是空文件" in _upload(client, b"").content.decode()
    assert _errors(_upload(client, b"3")) == [
        "导入文件有 1 处问题，未导入任何评分表。",
        "文件内容：应为评分表对象或评分表列表，实际为 3",
    ]


@pytest.mark.django_db
def test_sheet_problems_name_the_sheet_and_item_in_chinese(login, users, unit_a, unit_b):
    own = case_in(unit_a, 2025)
    good = sheet_data(own, unit_a)
    bad = {**good, "fake": "no", "problems": {"solved": 9, "total": 4}}
    bad["territorial"] = [good["territorial"][0], {"case_leader": "boss", "lead_unit_head": "none"}]
    client = login(users["staff"])
    response = _upload(client, json.dumps([good, bad], ensure_ascii=False).encode())
    assert _errors(response) == [
        "导入文件有 4 处问题，未导入任何评分表。",
        '第2份评分表·属地责任·主体2·包案领导：未知取值 "boss"（可选 principal/deputy/none）',
        "第2份评分表·属地责任·主体2·有具体负责人：缺少必填字段",
        "第2份评分表·已解决问题数：9 大于举报问题数 4",
        '第2份评分表·表面、虚假、敷衍整改（全案0分）：应为布尔值 true/false，实际为 "no"',
    ]
    other = case_in(unit_b, 2025)
    response = _upload(client, json.dumps([good, sheet_data(other, unit_b)], ensure_ascii=False).encode())
    assert _errors(response)[1:] == [f"第2份评分表·受理编号：未找到案件 {other.receipt_no}"]
    assert "sheet 2" not in response.content.decode()
    assert ScoringSheet.objects.count() == 0


def test_command_keeps_the_exchange_format_lines():
    bad = {**EXAMPLE, "fake": "no"}
    out, err, code = run(json.dumps([EXAMPLE, bad]))
    assert (out, code) == ("", 2)
    assert err == ['sheet 2: fake: 应为布尔值 true/false，实际为 "no"']
    assert run("") == ("", ["input: 不是有效的 JSON：第 1 行第 1 列：Expecting value"], 2)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("sheet 1: case: 不能为空", "第1份评分表·受理编号：不能为空"),
        ("sheet 3: extra: 未知字段", "第3份评分表·字段“extra”：未知字段"),
        ("sheet 1: territorial[0].boss: 未知字段", "第1份评分表·属地责任·主体1·字段“boss”：未知字段"),
        ("sheet 2: bonus.media[1]: 未知取值", "第2份评分表·典型案例报道第2项：未知取值"),
        (
            "sheet 1: archive.unit_materials.complete: 4 > units 3",
            "第1份评分表·材料齐全的办案单位数：4 大于办案单位数 3",
        ),
        ("sheet 1: plan: 应为对象，实际为 []", "第1份评分表·整改方案：应为对象，实际为 []"),
        ("sheet 4: 应为对象，实际为 3", "第4份评分表：应为对象，实际为 3"),
        ("input: 列表为空，没有评分表", "文件内容：列表为空，没有评分表"),
    ],
)
def test_describe_puts_each_line_in_chinese(line, expected):
    assert describe(line) == expected
