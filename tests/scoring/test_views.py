"""Scoring pages by role: unit users see their units only (guessed id → 404), the running total
endpoint, exports from the scoped rows, the PDF with an embedded CJK font."""

import io
import json
import re

import pytest
from openpyxl import load_workbook

from scoring.enums import SheetStatus, SheetVersion

from .helpers import case_in, make_sheet, post_of, sheet_data


@pytest.fixture
def sheets(unit_a, unit_b):
    own = make_sheet(case_in(unit_a, 2025, receipt_no="A-2025-1"), unit_a, status=SheetStatus.DRAFT)
    other = make_sheet(case_in(unit_b, 2025, receipt_no="B-2025-1"), unit_b)
    return own, other


@pytest.mark.django_db
def test_other_units_sheet_by_guessed_id_is_404(login, users, sheets, unit_b):
    own, other = sheets
    client = login(users["staff"])
    assert client.get(f"/scoring/sheets/{own.pk}/").status_code == 200
    for url in [
        f"/scoring/sheets/{other.pk}/",
        f"/scoring/sheets/{other.pk}/edit/",
        f"/scoring/units/{unit_b.pk}/2025/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/scoring/sheets/{other.pk}/preview/", {}).status_code == 404
    assert login(users["acceptor"]).get(f"/scoring/sheets/{own.pk}/").status_code == 404


@pytest.mark.django_db
def test_read_all_roles_and_reviewers_read_every_sheet(login, users, sheets):
    for role in ("office", "reviewer", "leader", "discipline"):
        client = login(users[role])
        assert client.get(f"/scoring/sheets/{sheets[1].pk}/").status_code == 200, role


@pytest.mark.django_db
def test_preview_returns_the_running_total_of_the_form(login, users, sheets, unit_a):
    own = sheets[0]
    data = sheet_data(own.case, unit_a)
    response = login(users["staff"]).post(f"/scoring/sheets/{own.pk}/preview/", post_of(data))
    body = response.json()
    assert body["total"] == "92.25"
    assert body["parts"] == {
        "territorial": "8.00",
        "functional": "2.00",
        "rectification": "20.00",
        "archive": "11.50",
        "result": "43.75",
        "bonus": "12.00",
        "deduction": "5.00",
    }
    assert body["items"]["problems.solved"] == "18.75"
    bad = post_of(data) | {"problems.solved": "9"}
    assert login(users["staff"]).post(f"/scoring/sheets/{own.pk}/preview/", bad).json() == {
        "ok": False,
        "errors": {"problems.solved": "9 > total 4"},
    }


@pytest.mark.django_db
def test_edit_form_saves_and_shows_reason_error(login, users, unit_a):
    case = case_in(unit_a, 2025, case_leader="王镇长", case_leader_level="principal")
    client = login(users["staff"])
    response = client.post("/scoring/sheets/start/", {"case": case.pk, "locality": unit_a.pk})
    sheet = case.scoring_sheets.get()
    assert response.url == f"/scoring/sheets/{sheet.pk}/edit/"
    post = post_of(sheet.data) | {"territorial[0].case_leader": "none", "action": "submit"}
    response = client.post(f"/scoring/sheets/{sheet.pk}/edit/", post)
    assert "已修改预填值，请填写修改理由" in response.content.decode()
    post["reason:territorial[0].case_leader"] = "无包案领导"
    response = client.post(f"/scoring/sheets/{sheet.pk}/edit/", post)
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.data["territorial"][0]["case_leader"]) == ("submitted", "none")


@pytest.mark.django_db
def test_staff_cannot_start_sheet_for_other_units_case(login, users, unit_b):
    case = case_in(unit_b, 2025)
    response = login(users["staff"]).post("/scoring/sheets/start/", {"case": case.pk, "locality": unit_b.pk})
    assert response.status_code == 404


@pytest.mark.django_db
def test_exports_hold_only_the_users_units(login, users, sheets):
    staff = login(users["staff"])
    data = json.loads(staff.get("/scoring/2025/sheets.json").content)
    assert [d["case"] for d in data] == ["A-2025-1"]
    book = load_workbook(io.BytesIO(staff.get("/scoring/2025/ranking.xlsx").content))
    rows = list(book["排名"].values)
    assert rows[0][:6] == ("名次", "单位", "平均得分", "案件数", "已复核", "未提交")
    assert [r[1] for r in rows[1:]] == ["甲单位"]
    # the unit's only sheet is a draft: no average, counted as not submitted
    assert rows[1][2:6] == (None, 0, 0, 1)
    office_book = load_workbook(io.BytesIO(login(users["office"]).get("/scoring/2025/sheets.xlsx").content))
    summary = list(office_book["评分表"].values)
    assert [r[0] for r in summary[1:]] == ["A-2025-1", "B-2025-1"]
    assert summary[1][-2] == 92.25


@pytest.mark.django_db
def test_ranking_pdf_embeds_a_cjk_font(login, users, sheets):
    from pypdf import PdfReader

    content = login(users["office"]).get("/scoring/2025/ranking.pdf").content
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "2025年度信访案件办理考核结果" in text
    assert "甲单位" in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Noto-Sans-CJK-SC" in f for f in fonts), fonts


@pytest.mark.django_db
def test_export_query_count_constant(login, users, unit_a, django_assert_max_num_queries):
    client = login(users["office"])
    make_sheet(case_in(unit_a, 2025), unit_a)
    client.get("/scoring/2025/sheets.xlsx")
    with django_assert_max_num_queries(12) as one:
        client.get("/scoring/2025/sheets.xlsx")
    for _ in range(10):
        make_sheet(case_in(unit_a, 2025), unit_a, version=SheetVersion.SELF)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/scoring/2025/sheets.xlsx")
    with django_assert_max_num_queries(20) as index:
        client.get("/scoring/?year=2025")
    make_sheet(case_in(unit_a, 2025), unit_a)
    with django_assert_max_num_queries(len(index.captured_queries)):
        client.get("/scoring/?year=2025")


@pytest.mark.django_db
def test_read_only_roles_get_403_on_the_edit_page_and_see_no_buttons(login, users, unit_a):
    case = case_in(unit_a, 2025, receipt_no="A-2025-9")
    draft = make_sheet(case, unit_a, status=SheetStatus.DRAFT)
    edit_url = f"/scoring/sheets/{draft.pk}/edit/"
    before = (draft.updated_at, draft.data)
    for role in ("discipline", "leader", "acceptor"):
        client = login(users[role])
        if role == "acceptor":  # sees no scoring sheet at all
            assert client.get(edit_url).status_code == 404
            continue
        assert client.get(edit_url).status_code == 403, role
        post = post_of(draft.data) | {"fake": "1", "action": "submit"}
        assert client.post(edit_url, post).status_code == 403, role
        assert client.post(f"/scoring/sheets/{draft.pk}/preview/", post).status_code == 403, role
        detail = client.get(f"/scoring/sheets/{draft.pk}/").content.decode()
        assert edit_url not in detail and "填写评分表" not in detail, role
        index = client.get("/scoring/?year=2025").content.decode()
        assert edit_url not in index and f"/scoring/sheets/{draft.pk}/" in index, role
        assert "开始自评" not in index, role
    draft.refresh_from_db()
    assert (draft.updated_at, draft.data, draft.status) == (*before, SheetStatus.DRAFT)
    # the unit's own staff gets the form with its buttons
    staff = login(users["staff"])
    page = staff.get(edit_url).content.decode()
    assert 'value="submit"' in page and ">保存</button>" in page
    assert edit_url in staff.get("/scoring/?year=2025").content.decode()
    # the unit's staff cannot fill the reviewers' version of their own sheet
    review = make_sheet(case, unit_a, version=SheetVersion.REVIEW, status=SheetStatus.DRAFT)
    assert staff.get(f"/scoring/sheets/{review.pk}/edit/").status_code == 403
    assert login(users["reviewer"]).get(f"/scoring/sheets/{review.pk}/edit/").status_code == 200


@pytest.mark.django_db
def test_submitted_sheet_edit_page_is_read_only_without_buttons(login, users, unit_a):
    sheet = make_sheet(case_in(unit_a, 2025), unit_a, status=SheetStatus.SUBMITTED)
    client = login(users["staff"])
    page = client.get(f"/scoring/sheets/{sheet.pk}/edit/").content.decode()
    assert "评分表已提交，不能再修改。（只读）" in page
    assert 'value="submit"' not in page and ">保存</button>" not in page
    response = client.post(f"/scoring/sheets/{sheet.pk}/edit/", post_of(sheet.data) | {"action": "save"})
    assert response.status_code == 302 and response.url == f"/scoring/sheets/{sheet.pk}/"


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_sheet_page_names_items_in_chinese_never_by_internal_key(login, users, unit_a):
    subjects = [
        {"case_leader": "principal", "lead_unit_head": "deputy", "handler": True},
        {"case_leader": "none", "lead_unit_head": "none", "handler": False},
    ]
    sheet = make_sheet(case_in(unit_a, 2025), unit_a, territorial=subjects)
    make_sheet(
        sheet.case, unit_a, version=SheetVersion.REVIEW, status=SheetStatus.DRAFT, territorial=subjects
    )
    html = login(users["office"]).get(f"/scoring/sheets/{sheet.pk}/").content.decode()
    text = _visible_text(html)
    assert re.findall(r"\w*\[\d+\]", text) == []
    assert re.findall(r"\b[a-z_]+\.[a-z_]+\b", text) == []
    for key in ("case_leader", "plan_reviewed", "funding", "praise", "satisfaction_signed", "problems"):
        assert key not in text, key
    table = _visible_text(html.split('data-testid="breakdown"', 1)[1].split("</table>", 1)[0])
    for label in (
        "属地责任·主体1·包案领导",
        "属地责任·主体2·牵头单位负责人",
        "属事责任·主体1·案件具体承办人",
        "资金落实",
        "办案单位材料",
        "问题解决",
        "上级评价",
        "典型案例报道",
        "有重复访",
    ):
        assert label in table, label


@pytest.mark.django_db
def test_unit_page_view_creates_no_assessment(login, users, unit_a):
    from scoring.models import UnitAssessment

    response = login(users["office"]).get(f"/scoring/units/{unit_a.pk}/2025/")
    assert response.status_code == 200
    assert not UnitAssessment.objects.filter(unit=unit_a, year=2025).exists()
