"""Import of transfer sheets: header finding, date forms, every bad-row kind, idempotence, round-trip."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cases.domain.errors import DomainError
from cases.domain.importing import confirm_import, error_workbook, import_cases, record_upload
from cases.enums import CaseState, CompletionStatus, Finding, ImportState
from cases.exporters import ledger_sheet
from cases.models import PetitionCase, TransferSheetImport
from org.models import Unit
from qianshan.common.excel import write_xlsx
from qianshan.common.sheets import parse_date
from tests.factories import InspectionFactory, UnitFactory

from .helpers import HEADERS, sheet_bytes


@pytest.fixture
def world(db):
    UnitFactory(name="大孤山镇", kind="region")
    UnitFactory(name="千山风景区生态环境分局", aliases="生态环境局千山分局,千山生态环境分局")
    return InspectionFactory(code="C2", name="第二轮中央生态环境保护督察")


ROW = [
    1,
    "D2LN202107160012",
    "某石材厂夜间生产噪声扰民",
    "大孤山镇",
    "噪声、扬尘",
    "否",
    "2021-07-16",
    "千山风景区生态环境分局",
    "",
]


def test_import_creates_cases_below_title_rows_with_batch_from_title(world):
    report = import_cases(sheet_bytes([ROW]), world, actor=None)
    assert report.as_dict() == {"created": 1, "updated": 0, "unchanged": 0, "errors": []}
    case = PetitionCase.objects.get(inspection=world, receipt_no="D2LN202107160012")
    assert (case.state, case.batch, case.transferred_on) == (CaseState.RECEIVED, 3, date(2021, 7, 16))
    assert case.locality.name == "大孤山镇" and case.lead_unit.name == "千山风景区生态环境分局"
    assert sorted(p.name for p in case.pollution_types.all()) == ["噪声", "扬尘"]
    assert case.history.first().history_change_reason == "导入交办单：新建"


def test_import_finds_columns_in_any_order_and_by_alias(world):
    headers = ["牵头责任单位", "受理编号", "是否属实", "交办问题基本情况", "污染类型", "办结状态"]
    rows = [["生态环境局千山分局", "X1", "部分属实", "内容", "大气/固废 油烟", "阶段性办结"]]
    report = import_cases(
        sheet_bytes(rows, headers, title_rows=("标题", "副标题")), world, actor=None, batch=7
    )
    assert report.problems == []
    case = PetitionCase.objects.get(receipt_no="X1")
    assert (case.lead_unit.name, case.finding, case.completion_status, case.batch) == (
        "千山风景区生态环境分局",
        Finding.PARTLY_TRUE,
        CompletionStatus.STAGED,
        7,
    )
    assert sorted(p.name for p in case.pollution_types.all()) == ["固废", "大气", "油烟"]


@pytest.mark.parametrize(
    "value",
    ["2021-07-16", "2021/7/16", "2021.7.16", "2021年7月16日", date(2021, 7, 16), 44393],
    ids=["iso", "slash", "dot", "chinese", "excel-date", "excel-serial"],
)
def test_import_reads_each_date_form(value, world):
    row = list(ROW)
    row[6] = value
    assert import_cases(sheet_bytes([row]), world, actor=None).problems == []
    assert PetitionCase.objects.get(receipt_no=ROW[1]).transferred_on == date(2021, 7, 16)


def test_parse_date_refuses_nonsense():
    with pytest.raises(ValueError, match="无法识别的日期"):
        parse_date("2021-13-45")


def _bad(world, row, headers=HEADERS):
    report = import_cases(sheet_bytes([ROW, row], headers), world, actor=None)
    assert PetitionCase.objects.count() == 0  # nothing saved, not even the good row
    return [p.as_dict() for p in report.problems]


@pytest.mark.parametrize(
    "index,value,column,message",
    [
        (1, "", "受理编号", "缺少受理编号"),
        (1, ROW[1], "受理编号", "受理编号与第 3 行重复"),
        (4, "核辐射", "污染类型", "污染类型“核辐射”不在词表中"),
        (5, "也许", "是否重点件", "“也许”应为“是”或“否”"),
        (6, "七月十六", "交办日期", "无法识别的日期"),
        (3, "火星镇", "行政区域", "“火星镇”与系统中任何单位的名称或别名都不匹配"),
        (7, "某某局", "牵头责任单位", "“某某局”与系统中任何单位的名称或别名都不匹配"),
    ],
    ids=["no-receipt", "duplicate", "vocabulary", "yes-no", "date", "locality", "unit"],
)
def test_import_bad_row_saves_nothing_and_names_row_column_value(index, value, column, message, world):
    row = list(ROW)
    row[1] = "D2LN-OTHER"
    row[index] = value
    errors = _bad(world, row)
    assert len(errors) == 1
    assert errors[0]["row"] == 4 and errors[0]["column"] == column and errors[0]["value"] == value
    assert message in errors[0]["message"]


def test_import_reports_every_problem_of_the_file(world):
    row = list(ROW)
    row[1], row[3], row[6] = "D2LN-2", "火星镇", "昨天"
    errors = _bad(world, row)
    assert [(e["row"], e["column"]) for e in errors] == [(4, "行政区域"), (4, "交办日期")]


@pytest.mark.parametrize(
    "data,message",
    [
        (b"not a workbook at all", "文件不是有效的 Excel 工作簿"),
        ("empty", "工作表是空的"),
        ("no-headers", "未找到表头"),
    ],
)
def test_import_file_level_problem_is_one_clear_message(data, message, world):
    if data == "empty":
        data = sheet_bytes([], headers=[], title_rows=())
    elif data == "no-headers":
        data = sheet_bytes([["a", "b"]], headers=["编号", "内容"])
    report = import_cases(data, world, actor=None)
    assert len(report.problems) == 1 and message in report.problems[0].message
    assert report.problems[0].row == 0


def test_import_same_file_twice_changes_nothing(world):
    data = sheet_bytes([ROW])
    import_cases(data, world, actor=None)
    history_rows = PetitionCase.history.count()
    report = import_cases(data, world, actor=None)
    assert report.as_dict() == {"created": 0, "updated": 0, "unchanged": 1, "errors": []}
    assert PetitionCase.history.count() == history_rows


def test_import_changed_row_updates_with_history_and_empty_cells_keep_values(world):
    import_cases(sheet_bytes([ROW]), world, actor=None)
    case = PetitionCase.objects.get()
    case.investigation = "单位填写的核查情况"
    case.save()
    row = list(ROW)
    row[2] = "更正后的举报内容"
    report = import_cases(sheet_bytes([row], [*HEADERS, "调查核实情况"]), world, actor=None)
    assert report.as_dict()["updated"] == 1
    case.refresh_from_db()
    assert (case.complaint, case.investigation) == ("更正后的举报内容", "单位填写的核查情况")
    assert case.history.first().history_change_reason == "导入交办单：交办问题基本情况"


def test_import_dry_run_saves_nothing(world):
    report = import_cases(sheet_bytes([ROW]), world, actor=None, dry_run=True)
    assert report.as_dict()["created"] == 1 and PetitionCase.objects.count() == 0


def test_ledger_round_trip_export_edit_reimport(world):
    import_cases(
        sheet_bytes(
            [ROW, [2, "D2LN-2", "第二件", "大孤山镇", "水", "否", "2021-07-16", "千山生态环境分局", ""]]
        ),
        world,
        actor=None,
    )
    PetitionCase.objects.filter(receipt_no="D2LN-2").update(fine_amount=2, penalty_cases=1)
    formula_like = {
        "D2LN-3": ('=HYPERLINK("http://x","点此")', "-油烟扰民"),
        "D2LN-4": ("+86 举报人来电", "@某公司"),
    }
    for receipt_no, (complaint, remarks) in formula_like.items():
        PetitionCase.objects.create(
            inspection=world, receipt_no=receipt_no, complaint=complaint, remarks=remarks
        )
    ledger = write_xlsx([ledger_sheet(PetitionCase.objects.all())])
    # re-importing the untouched export changes nothing
    assert import_cases(ledger, world, actor=None).as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "errors": [],
    }
    book = load_workbook(io.BytesIO(ledger))
    ws = book.active
    headers = [c.value for c in ws[1]]
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[1].value == "D2LN-2")
    ws.cell(row=row, column=headers.index("处理和整改情况") + 1, value="已责令停产整改")
    ws.cell(row=row, column=headers.index("罚款金额（万元）") + 1, value=3.5)
    ws.cell(row=row, column=headers.index("是否属实") + 1, value="属实")
    edited = io.BytesIO()
    book.save(edited)
    report = import_cases(edited.getvalue(), world, actor=None)
    assert report.as_dict() == {"created": 0, "updated": 1, "unchanged": 3, "errors": []}
    case = PetitionCase.objects.get(receipt_no="D2LN-2")
    assert (case.handling, str(case.fine_amount), case.finding) == ("已责令停产整改", "3.50", Finding.TRUE)
    for receipt_no, texts in formula_like.items():
        case = PetitionCase.objects.get(receipt_no=receipt_no)
        assert (case.complaint, case.remarks) == texts


def test_import_refuses_rows_of_another_inspection(world):
    other = InspectionFactory(code="P2020", name="省级督察")
    data = sheet_bytes([["D9", "内容", other.name]], ["受理编号", "交办问题基本情况", "督察"])
    report = import_cases(data, world, actor=None)
    assert report.problems[0].message == "督察“省级督察”与所选督察“第二轮中央生态环境保护督察”不符"


def test_import_links_repeat_cases_by_receipt_number(world):
    headers = ["受理编号", "交办问题基本情况", "重复关联件编号"]
    import_cases(sheet_bytes([["A1", "油烟", ""], ["A2", "油烟又来了", "A1"]], headers), world, actor=None)
    a2 = PetitionCase.objects.get(receipt_no="A2")
    assert a2.is_repeat and [c.receipt_no for c in a2.related_cases.all()] == ["A1"]
    bad = import_cases(sheet_bytes([["A3", "x", "NOPE"]], headers), world, actor=None)
    assert bad.problems[0].message == "重复关联件“NOPE”在本督察中不存在"


def test_error_workbook_marks_bad_cells(world):
    row = list(ROW)
    row[3] = "火星镇"
    data = sheet_bytes([row])
    report = import_cases(data, world, actor=None)
    book = load_workbook(io.BytesIO(error_workbook(data, report.problems)))
    listing = book["问题清单"]
    assert [c.value for c in listing[2]] == [3, "行政区域", "火星镇", report.problems[0].message]
    marked = book.worksheets[1].cell(row=3, column=4)
    assert marked.fill.fgColor.rgb.endswith("FFC7CE") and "火星镇" in marked.comment.text


def test_import_command_json_and_exit_code(world, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(sheet_bytes([ROW]))
    call_command("import_petitions", str(good), "--inspection", "C2", "--json")
    assert json.loads(capsys.readouterr().out) == {"created": 1, "updated": 0, "unchanged": 0, "errors": []}
    bad = tmp_path / "bad.xlsx"
    row = list(ROW)
    row[6] = "明天"
    bad.write_bytes(sheet_bytes([row]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_petitions", str(bad), "--inspection", "C2", "--json")
    assert exit_info.value.code == 2
    out = json.loads(capsys.readouterr().out)
    assert out["errors"][0]["row"] == 3 and out["errors"][0]["column"] == "交办日期"
    assert out["errors"][0]["value"] == "明天"


def test_import_page_preview_then_confirm_office_only(client, users, world):
    client.force_login(users["staff"])
    assert client.get("/cases/import/").status_code == 404
    client.force_login(users["office"])
    upload = io.BytesIO(sheet_bytes([ROW]))
    upload.name = "第3批.xlsx"
    response = client.post("/cases/import/", {"inspection": world.pk, "file": upload}, follow=True)
    assert "确认导入" in response.content.decode() and PetitionCase.objects.count() == 0
    record = response.context["record"]
    client.post(f"/cases/import/{record.pk}/confirm/")
    assert PetitionCase.objects.count() == 1
    again = client.post(f"/cases/import/{record.pk}/confirm/", follow=True)
    assert "此文件已导入或有错误，不能再次确认。" in again.content.decode()
    assert Unit.objects.count() == 2 + 2  # no unit invented by the import


def test_import_reads_starred_headers_and_unit_short_name(world):
    UnitFactory(name="千山区住房和城乡建设局", short_name="区住建局")
    headers = ["*受理编号", "交办问题基本情况＊", "牵头责任单位 (必填)"]
    report = import_cases(sheet_bytes([["S1", "工地扬尘", "区住建局"]], headers), world, actor=None)
    assert report.problems == []
    assert PetitionCase.objects.get(receipt_no="S1").lead_unit.name == "千山区住房和城乡建设局"


@pytest.mark.parametrize("n", [1, 6])
def test_reimport_updates_without_a_query_per_row(n, world):
    headers = ["受理编号", "交办问题基本情况", "配合单位", "重复关联件编号"]
    rows = [[f"N{i}", f"内容{i}", "", ""] for i in range(n)]
    import_cases(sheet_bytes(rows, headers), world, actor=None)
    edited = [[f"N{i}", f"新内容{i}", "大孤山镇", "N0" if i else ""] for i in range(n)]
    with CaptureQueriesContext(connection) as ctx:
        report = import_cases(sheet_bytes(edited, headers), world, actor=None)
    assert report.as_dict() == {"created": 0, "updated": n, "unchanged": 0, "errors": []}
    full_rows = 'SELECT "cases_petitioncase"."id", "cases_petitioncase"."inspection_id"'
    case_loads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(full_rows)]
    assert len(case_loads) == 1  # the plan's one load of the inspection's cases, reused to write
    case = PetitionCase.objects.get(receipt_no=f"N{n - 1}")
    assert case.complaint == f"新内容{n - 1}" and [u.name for u in case.cooperating_units.all()] == [
        "大孤山镇"
    ]
    assert [c.receipt_no for c in case.related_cases.all()] == (["N0"] if n > 1 else [])
    assert case.history.first().history_change_reason == "导入交办单：交办问题基本情况、配合单位" + (
        "、重复关联件" if n > 1 else ""
    )


def test_confirm_import_claims_once_and_stores_the_summary(world, users):
    record = record_upload(
        sheet_bytes([ROW]), inspection=world, batch=None, original_name="第3批.xlsx", actor=users["office"]
    )
    assert record.state == ImportState.PREVIEWED
    report = confirm_import(record, actor=users["office"])
    assert report.as_dict()["created"] == 1
    stored = TransferSheetImport.objects.get(pk=record.pk)
    assert stored.state == ImportState.CONFIRMED and stored.confirmed_at is not None
    assert stored.summary == {"created": 1, "updated": 0, "unchanged": 0, "errors": []}
    with pytest.raises(DomainError, match="此文件已导入或有错误，不能再次确认。"):
        confirm_import(stored, actor=users["office"])
    assert PetitionCase.objects.count() == 1


def test_confirm_import_refuses_a_file_with_problems_and_saves_nothing(world, users):
    row = list(ROW)
    row[3] = "火星镇"
    rejected = record_upload(
        sheet_bytes([row]), inspection=world, batch=None, original_name="坏.xlsx", actor=users["office"]
    )
    assert rejected.state == ImportState.REJECTED and rejected.summary["errors"][0]["column"] == "行政区域"
    with pytest.raises(DomainError, match="此文件已导入或有错误，不能再次确认。"):
        confirm_import(rejected, actor=users["office"])
    # a problem that appears after the preview (the unit was retired) also rolls the claim back
    previewed = record_upload(
        sheet_bytes([ROW]), inspection=world, batch=None, original_name="第3批.xlsx", actor=users["office"]
    )
    Unit.objects.filter(name="大孤山镇").update(is_active=False)
    with pytest.raises(DomainError, match="文件有错误，未导入任何内容"):
        confirm_import(previewed, actor=users["office"])
    previewed.refresh_from_db()
    assert previewed.state == ImportState.PREVIEWED and PetitionCase.objects.count() == 0


def test_error_workbook_for_an_unreadable_upload_has_only_the_problem_list(world):
    data = b"not a workbook"
    report = import_cases(data, world, actor=None)
    [problem] = report.problems
    book = load_workbook(io.BytesIO(error_workbook(data, report.problems)))
    assert book.sheetnames == ["问题清单"]
    assert [c.value for c in book["问题清单"][2]][3] == problem.message
    assert book["问题清单"].max_row == 2


def test_error_workbook_keeps_the_uploaded_sheets_and_adds_no_empty_one(world):
    row = list(ROW)
    row[3] = "火星镇"
    wb = load_workbook(io.BytesIO(sheet_bytes([row])))
    wb.active.title = "交办表"
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    report = import_cases(data, world, actor=None)
    assert load_workbook(io.BytesIO(error_workbook(data, report.problems))).sheetnames == [
        "问题清单",
        "交办表",
    ]


def test_import_record_history_has_upload_and_confirmation_with_who(world, users):
    record = record_upload(
        sheet_bytes([ROW]), inspection=world, batch=None, original_name="第3批.xlsx", actor=users["office"]
    )
    confirm_import(record, actor=users["admin"])
    rows = list(TransferSheetImport.objects.get(pk=record.pk).history.order_by("history_date", "history_id"))
    assert [(h.state, h.history_user, h.history_change_reason) for h in rows] == [
        (ImportState.PREVIEWED, users["office"], "上传交办单"),
        (ImportState.CONFIRMED, users["admin"], "确认导入"),
    ]
    assert rows[-1].summary == {"created": 1, "updated": 0, "unchanged": 0, "errors": []}


def test_refused_confirmation_leaves_no_history_row(world, users):
    row = list(ROW)
    row[3] = "火星镇"
    rejected = record_upload(
        sheet_bytes([row]), inspection=world, batch=None, original_name="坏.xlsx", actor=users["office"]
    )
    with pytest.raises(DomainError):
        confirm_import(rejected, actor=users["office"])
    assert [h.state for h in rejected.history.all()] == [ImportState.REJECTED]


def test_preview_and_confirm_read_the_stored_parse_not_the_workbook(client, users, world, monkeypatch):
    """The workbook is read once, at upload; the preview survives the file being replaced or deleted."""
    from qianshan.common import sheets

    calls = []
    real_read_rows = sheets.read_rows

    def counting_read_rows(*args, **kwargs):  # counts only; the real reader does the work
        calls.append(1)
        return real_read_rows(*args, **kwargs)

    monkeypatch.setattr(sheets, "read_rows", counting_read_rows)
    row2 = list(ROW)
    row2[1], row2[6] = "D2LN202107170001", date(2021, 7, 17)  # a real date cell survives the stored parse
    client.force_login(users["office"])
    upload = io.BytesIO(sheet_bytes([ROW, row2]))
    upload.name = "第3批.xlsx"
    response = client.post("/cases/import/", {"inspection": world.pk, "file": upload}, follow=True)
    record = response.context["record"]
    first = [(p.row, p.receipt_no, p.action) for p in response.context["plans"]]
    assert [(r, a) for _, r, a in first] == [("D2LN202107160012", "create"), ("D2LN202107170001", "create")]

    record.refresh_from_db()
    record.file.storage.delete(record.file.name)  # the stored workbook is gone
    for _ in range(3):
        page = client.get(f"/cases/import/{record.pk}/")
        assert page.status_code == 200
        assert [(p.row, p.receipt_no, p.action) for p in page.context["plans"]] == first
        assert "D2LN202107170001" in page.content.decode()
    client.post(f"/cases/import/{record.pk}/confirm/")
    assert sorted(PetitionCase.objects.values_list("receipt_no", "transferred_on")) == [
        ("D2LN202107160012", date(2021, 7, 16)),
        ("D2LN202107170001", date(2021, 7, 17)),
    ]
    assert len(calls) == 1
    # the stored parse is not copied into the record's history
    assert "parsed" not in [f.name for f in record.history.model._meta.fields]
