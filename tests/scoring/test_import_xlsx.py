"""Sheets .xlsx import in the shape of the sheets export: a round trip changes nothing, an edited
依据 cell is imported, and every problem names the worksheet, row and column; all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from scoring.domain import services
from scoring.enums import SheetStatus
from scoring.models import ScoringSheet
from tests.factories import CaseFactory

from .helpers import case_in, make_sheet, post_of

FIELDS = ("data", "status", "prefilled", "provenance", "reasons", "total_num", "total_den", "updated_at")


@pytest.fixture
def sheets(users, unit_a, unit_b):
    """A submitted sheet, a prefilled draft with two territorial subjects and a changed item, and
    another unit's sheet the staff user does not export."""
    submitted = make_sheet(case_in(unit_a, 2025, receipt_no="A-1"), unit_a)
    case = CaseFactory(
        lead_unit=unit_a,
        cooperating_units=[unit_b],
        receipt_no="A-2",
        deadline=case_in(unit_a, 2025).deadline,
        case_leader="王镇长",
        case_leader_level="principal",
    )
    draft = services.start_sheet(case, locality=unit_a, actor=users["staff"])
    data = {
        **draft.data,
        "territorial": [
            {"case_leader": "deputy", "lead_unit_head": "principal", "handler": True},
            {"case_leader": "none", "lead_unit_head": "none", "handler": False},
        ],
        "bonus": {**draft.data["bonus"], "praise": "provincial", "media": ["city", "national"]},
    }
    draft = services.save_sheet(
        draft,
        actor=users["staff"],
        data=data,
        reasons={"territorial[0].case_leader": "包案领导实为分管副镇长"},
    )
    make_sheet(case_in(unit_b, 2025, receipt_no="B-1"), unit_b)
    return submitted, draft


def _state():
    return {s.pk: tuple(getattr(s, f) for f in FIELDS) for s in ScoringSheet.objects.order_by("pk")}


def _history_count():
    return ScoringSheet.history.count()


def _export(client) -> bytes:
    response = client.get("/scoring/2025/sheets.xlsx")
    assert response.status_code == 200
    return response.content


def _upload(client, content: bytes):
    return client.post("/scoring/import/", {"file": SimpleUploadedFile("sheets.xlsx", content)})


def _edit(content: bytes, change) -> bytes:
    book = load_workbook(io.BytesIO(content))
    change(book["评分表"], book["评分明细"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_of(detail, receipt: str, code: str) -> int:
    header = [c.value for c in detail[1]]
    for row in detail.iter_rows(min_row=2):
        if row[0].value == receipt and row[header.index("条目代码")].value == code:
            return row[0].row
    raise AssertionError(f"{receipt} {code} not exported")


def _set(detail, receipt: str, code: str, value) -> int:
    header = [c.value for c in detail[1]]
    row = _row_of(detail, receipt, code)
    detail.cell(row=row, column=header.index("依据") + 1, value=value)
    return row


@pytest.mark.django_db
def test_export_then_import_round_trip_changes_nothing(login, users, sheets):
    client = login(users["staff"])
    content = _export(client)
    book = load_workbook(io.BytesIO(content))
    detail = list(book["评分明细"].values)
    assert detail[0] == (
        "受理编号",
        "被考核单位",
        "版本",
        "部分",
        "条目",
        "条目代码",
        "评分标准",
        "依据",
        "得分",
        "满分",
    )
    assert ("属地责任·主体2·包案领导", "territorial[1].case_leader") in {r[4:6] for r in detail}
    before, history = _state(), _history_count()
    response = _upload(client, content)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert _state() == before
    assert _history_count() == history
    page = client.get(response.url).content.decode()
    assert "已导入 0 份自评评分表，2 份与系统中一致，未改动。" in page


@pytest.mark.django_db
def test_edited_cells_are_imported_and_the_rest_is_left_alone(login, users, sheets):
    submitted, draft = sheets
    client = login(users["staff"])

    def change(summary, detail):
        _set(detail, "A-2", "problems", "1/3")
        _set(detail, "A-2", "bonus.media", "国家级、市级")
        _set(detail, "A-2", "territorial[1].handler", "是")

    before = _state()
    response = _upload(client, _edit(_export(client), change))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["problems"] == {"solved": 1, "total": 3}
    assert draft.data["bonus"]["media"] == ["national", "city"]
    assert draft.data["territorial"][1]["handler"] is True
    assert draft.reasons["territorial[0].case_leader"] == "包案领导实为分管副镇长"
    assert draft.status == SheetStatus.DRAFT
    after = _state()
    assert after[submitted.pk] == before[submitted.pk]
    # the same as typing the values into the form
    assert services.stamp_score(draft).total == draft.total
    assert post_of(draft.data)["problems.total"] == "3"


@pytest.mark.django_db
def test_bad_cells_are_named_by_sheet_row_and_column_and_nothing_is_saved(login, users, sheets):
    client = login(users["staff"])
    rows = {}

    def change(summary, detail):
        rows["leader"] = _set(detail, "A-2", "territorial[0].case_leader", "大领导")
        rows["share"] = _set(detail, "A-2", "archive.site_records", "abc")
        rows["media"] = _set(detail, "A-1", "bonus.media", "国家级、电视台")
        rows["flag"] = _set(detail, "A-1", "plan.funding", "有")
        rows["code"] = _row_of(detail, "A-1", "plan.department")
        detail.cell(row=rows["code"], column=6, value="plan.boss")
        rows["version"] = _row_of(detail, "A-1", "plan.measures")
        detail.cell(row=rows["version"], column=3, value="复核")
        summary.cell(row=2, column=summary.max_column, value="也许")

    before, history = _state(), _history_count()
    response = _upload(client, _edit(_export(client), change))
    assert response.status_code == 200
    assert response.context["errors"] == [
        "“评分表”第2行“表面整改”列：应为“是”或“否”，实际为“也许”",
        f"“评分明细”第{rows['code']}行“条目代码”列：未知条目代码“plan.boss”",
        f"“评分明细”第{rows['version']}行“版本”列：只能导入自评，实际为“复核”",
        f"“评分明细”第{rows['flag']}行（资金落实）“依据”列：应为“是”或“否”，实际为“有”",
        f"“评分明细”第{rows['media']}行（典型案例报道）“依据”列："
        "每次报道应为“国家级”“省级”“市级”之一，用“、”分隔，实际有“电视台”",
        f"“评分明细”第{rows['leader']}行（属地责任·主体1·包案领导）“依据”列："
        "应为“主要领导”、“分管领导”、“无”之一，实际为“大领导”",
        f"“评分明细”第{rows['share']}行（勘察笔录及相关图片）“依据”列：应为“完成数/总数”，如 1/2，实际为“abc”",
    ]
    assert (_state(), _history_count()) == (before, history)


@pytest.mark.django_db
def test_rule_and_lookup_problems_point_at_the_row(login, users, sheets, unit_a):
    client = login(users["staff"])
    rows = {}

    def change(summary, detail):
        rows["problems"] = _set(detail, "A-2", "problems", "5/4")
        header = [c.value for c in summary[1]]
        for row in summary.iter_rows(min_row=2):
            if row[0].value == "A-1":
                rows["case"] = row[0].row
                row[0].value = "NO-SUCH"
        for row in detail.iter_rows(min_row=2):
            if row[0].value == "A-1":
                row[0].value = "NO-SUCH"
        assert header[0] == "受理编号"

    before = _state()
    response = _upload(client, _edit(_export(client), change))
    errors = response.context["errors"]
    assert errors[0] == "导入文件有 1 处问题，未导入任何评分表。"
    assert errors[1:] == [f"“评分明细”第{rows['problems']}行（A-2·问题解决）“依据”列：5 大于举报问题数 4"]
    # with the rule fixed, the unknown case is named at its 评分表 row
    response = _upload(
        client, _edit(_export(client), lambda s, d: change(s, d) or _set(d, "A-2", "problems", "1/4"))
    )
    assert response.context["errors"][1:] == [f"“评分表”第{rows['case']}行“受理编号”列：未找到案件 NO-SUCH"]
    assert _state() == before


@pytest.mark.django_db
def test_workbook_without_the_sheets_or_columns_is_refused_in_chinese(login, users, sheets):
    client = login(users["staff"])

    def drop(summary, detail):
        detail.parent.remove(detail)

    response = _upload(client, _edit(_export(client), drop))
    assert response.context["errors"] == ["工作簿中没有名为“评分明细”的工作表。"]

    def no_column(summary, detail):
        detail.cell(row=1, column=8, value="取值")

    response = _upload(client, _edit(_export(client), no_column))
    assert response.context["errors"] == ["“评分明细”工作表第1行（表头）缺少“依据”列"]
