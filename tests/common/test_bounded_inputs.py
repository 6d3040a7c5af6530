"""Oversized, malicious and mis-dimensioned workbooks and JSON: a message naming the limit, exit 2, nothing saved."""

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import PetitionCase
from qianshan.common.errors import DomainError
from qianshan.common.jsonfile import JsonTooLarge, loads
from qianshan.common.sheets import read_rows
from scoring.models import ScoringSheet
from tests.cases.helpers import sheet_bytes
from tests.factories import InspectionFactory, UnitFactory

ROOT = Path(__file__).resolve().parents[2]
ROW = [
    1,
    "D2LN202107160012",
    "某石材厂夜间生产噪声扰民",
    "大孤山镇",
    "噪声",
    "否",
    "2021-07-16",
    "生态环境分局",
    "",
]


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with xl/worksheets/sheet1.xml passed through ``change`` (bytes → bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            dst.writestr(item.filename, body)
    return out.getvalue()


def ten_rows() -> bytes:
    return sheet_bytes(
        [
            [n, f"D2LN2021071600{n:02d}", "问题", "大孤山镇", "噪声", "否", "2021-07-16", "生态环境分局", ""]
            for n in range(1, 11)
        ]
    )


XXE = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>"""
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def with_doctype(doctype: bytes):
    return lambda body: doctype + re.sub(rb"^<\?xml[^>]*\?>", b"", body)


@pytest.fixture
def world(db):
    UnitFactory(name="大孤山镇", kind="region")
    UnitFactory(name="千山风景区生态环境分局", short_name="生态环境分局")
    return InspectionFactory(code="C2", name="第二轮中央生态环境保护督察")


def test_misdimensioned_sheet_reads_every_row():
    data = rewrite_sheet(
        ten_rows(), lambda b: re.sub(rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:D2"/>', b)
    )
    assert b'ref="A1:D2"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    rows = read_rows(data)
    assert [n for n, _ in rows] == list(range(1, 13))  # title, header and all ten rows


def test_misdimensioned_sheet_imports_all_ten_cases(world):
    from cases.domain.importing import import_cases
    from cases.models import PollutionType

    PollutionType.objects.get_or_create(name="噪声", defaults={"code": "noise"})

    data = rewrite_sheet(
        ten_rows(), lambda b: re.sub(rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:D2"/>', b)
    )
    report = import_cases(data, world, actor=None)
    assert report.problems == []
    assert PetitionCase.objects.count() == 10


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (with_doctype(XXE), "不安全的 XML"),
        (with_doctype(LAUGHS), "不安全的 XML"),
    ],
    ids=["xxe", "billion-laughs"],
)
def test_malicious_xml_is_refused_with_a_message(change, message):
    with pytest.raises(DomainError, match=message):
        read_rows(rewrite_sheet(sheet_bytes([ROW]), change))


def test_workbook_inflating_past_the_limit_is_refused_before_parsing(settings):
    settings.SHEET_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    padded = rewrite_sheet(
        sheet_bytes([ROW]), lambda b: b.replace(b"<sheetData>", b"<sheetData>" + b" " * 6_000_000)
    )
    assert len(padded) < 100_000  # small on disk …
    with pytest.raises(DomainError, match=r"解压后为 5\.\d+ MB，超过上限 5 MB"):
        read_rows(padded)


def test_file_over_the_size_limit_is_refused(settings):
    data = sheet_bytes([ROW])
    settings.SHEET_MAX_BYTES = len(data) - 1
    with pytest.raises(DomainError, match="文件超过大小上限"):
        read_rows(data)


@pytest.mark.parametrize(
    ("setting", "value", "rows", "message"),
    [
        ("SHEET_MAX_ROWS", 5, [ROW] * 5, "超过 5 行的上限"),
        ("SHEET_MAX_COLUMNS", 9, [[*ROW, "多", "列"]], "第 3 行超过 9 列的上限"),
        (
            "SHEET_MAX_CELL_CHARS",
            100,
            [[1, "D2", "很" * 101, *ROW[3:]]],
            "第 3 行第 3 列的内容超过 100 字的上限",
        ),
    ],
)
def test_rows_columns_and_cell_length_are_bounded(settings, setting, value, rows, message):
    setattr(settings, setting, value)
    with pytest.raises(DomainError, match=message):
        read_rows(sheet_bytes(rows))


def test_import_command_exits_2_with_the_message_and_saves_nothing(world, tmp_path, settings, capsys):
    settings.SHEET_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(
        rewrite_sheet(
            sheet_bytes([ROW]), lambda b: b.replace(b"<sheetData>", b"<sheetData>" + b" " * 6_000_000)
        )
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_petitions", str(bomb), "--inspection", "C2")
    assert exit_info.value.code == 2
    assert "超过上限 5 MB" in capsys.readouterr().out
    assert PetitionCase.objects.count() == 0


def test_task_import_command_refuses_xxe_with_exit_2(world, tmp_path, capsys):
    from rectification.models import RectificationTask

    bad = tmp_path / "xxe.xlsx"
    bad.write_bytes(rewrite_sheet(sheet_bytes([ROW]), with_doctype(XXE)))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_tasks", str(bad), "--inspection", "C2")
    assert exit_info.value.code == 2
    assert "不安全的 XML" in capsys.readouterr().err
    assert RectificationTask.objects.count() == 0


# --- JSON ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 50 + "]" * 50, "嵌套超过 20 层的上限"),
        ('{"a": ' + "9" * 5000 + "}", "超过 30 位的上限"),
        ('{"a": NaN}', "不允许 NaN"),
    ],
)
def test_json_limits(text, message):
    with pytest.raises(JsonTooLarge, match=message):
        loads(text)


def test_json_size_limit(settings):
    settings.JSON_MAX_BYTES = 1024
    with pytest.raises(JsonTooLarge, match="超过 1 KB 的上限"):
        loads("[" + ",".join(["{}"] * 600) + "]")
    assert loads('["[{{", 1]') == ["[{{", 1]  # brackets inside strings do not count


@pytest.mark.parametrize("command", ["score_sheet", "grade_task"])
@pytest.mark.parametrize(
    "text", ["[" * 100000 + "]" * 100000, '{"a": ' + "1" * 5000 + "}"], ids=["deep", "digits"]
)
def test_json_commands_exit_2_without_traceback(command, text, tmp_path):
    path = tmp_path / "in.json"
    path.write_text(text)
    result = subprocess.run(
        [sys.executable, "manage.py", command, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "上限" in result.stderr
    assert result.stdout == ""


@pytest.mark.django_db
def test_scoring_import_page_only_for_roles_that_import(users, login):
    url = reverse("scoring:import")
    for role in ("discipline", "leader", "acceptor", "reviewer"):
        assert login(users[role]).get(url).status_code == 403, role
    for role in ("staff", "office"):
        assert login(users[role]).get(url).status_code == 200, role


@pytest.mark.django_db
def test_scoring_import_page_refuses_deep_json_with_a_message(users, login):
    client = login(users["office"])
    upload = io.BytesIO(("[" * 100 + "]" * 100).encode())
    upload.name = "sheets.json"
    page = client.post(reverse("scoring:import"), {"file": upload})
    assert page.status_code == 200 and "嵌套超过 20 层的上限" in page.content.decode()
    assert ScoringSheet.objects.count() == 0
