"""The ledger export and the public disclosure table: columns, scope, query counts, no personal data."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from cases.enums import CaseState
from cases.exporters import LEDGER_HEADERS, PUBLIC_HEADERS, mask_personal
from tests.cases.helpers import bulk_cases
from tests.factories import CaseFactory, InspectionFactory, UnitFactory


def _read(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    return ws, [list(r) for r in ws.iter_rows(values_only=True)]


def _cases(n, unit, **kw):
    other = UnitFactory()
    cases = [CaseFactory(lead_unit=unit, cooperating_units=[other], **kw) for _ in range(n)]
    for c in cases:
        c.related_cases.set(cases[:1])
    return cases


@pytest.mark.django_db
def test_ledger_export_columns_values_and_sheet_setup(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a, complaint='=HYPERLINK("http://x")', fine_amount=2.5, batch=3)
    client.force_login(users["office"])
    response = client.get("/cases/export.xlsx")
    ws, rows = _read(response.content)
    assert rows[0] == LEDGER_HEADERS
    row = dict(zip(LEDGER_HEADERS, rows[1], strict=True))
    assert row["受理编号"] == case.receipt_no and row["交办批次"] == 3
    # the text as stored, in a quote-prefixed string cell: shown as text, never run as a formula
    assert row["交办问题基本情况"] == '=HYPERLINK("http://x")'
    cell = ws.cell(row=2, column=LEDGER_HEADERS.index("交办问题基本情况") + 1)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    receipt = ws.cell(row=2, column=LEDGER_HEADERS.index("受理编号") + 1)
    assert receipt.quotePrefix is False
    assert row["交办日期"].date() == date(2021, 7, 16) and row["罚款金额（万元）"] == 2.5
    assert row["当前环节"] == "调查核实" and row["牵头责任单位"] == "甲单位"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:AG2"


@pytest.mark.django_db
def test_ledger_export_is_the_filtered_rows_the_user_may_see(client, users, unit_a, unit_b):
    mine = CaseFactory(lead_unit=unit_a, state=CaseState.RECTIFYING)
    CaseFactory(lead_unit=unit_a, state=CaseState.INVESTIGATING)
    CaseFactory(lead_unit=unit_b, state=CaseState.RECTIFYING)
    client.force_login(users["staff"])
    _, rows = _read(client.get("/cases/export.xlsx?state=rectifying").content)
    assert [r[1] for r in rows[1:]] == [mine.receipt_no]


# 2 500 rows is more than one fetch chunk (2 000) of the streaming query.
@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 2500])
@pytest.mark.parametrize("role, queries", [("staff", 8), ("office", 8)])
def test_ledger_export_query_count_does_not_grow(
    n, role, queries, client, users, unit_a, django_assert_num_queries, settings
):
    settings.JOB_DIRECT_MAX_ROWS = 10_000  # streamed in the request here; bigger ones: tests/notifications
    bulk_cases(n, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=UnitFactory())
    client.force_login(users[role])
    # session, user, role assignments with the unit tree (one query), the count that
    # decides direct download vs background job, then the exporter's 3 many-to-many lookups
    # and 1 streamed case query
    with django_assert_num_queries(queries):
        response = client.get("/cases/export.xlsx")
    assert len(_read(response.content)[1]) == n + 1


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 2500])
def test_ledger_rows_query_count_is_four(n, unit_a, django_assert_num_queries):
    from cases.exporters import ledger_rows
    from cases.models import PetitionCase

    bulk_cases(n, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=UnitFactory())
    with django_assert_num_queries(4):
        rows = sum(1 for _ in ledger_rows(PetitionCase.objects.all()))
    assert rows == n


@pytest.mark.django_db
def test_ledger_export_joins_many_to_many_names_per_case(client, users, unit_a):
    partner = UnitFactory(name="丙单位")
    bulk_cases(3, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=partner)
    client.force_login(users["office"])
    _, rows = _read(client.get("/cases/export.xlsx").content)
    got = [
        {
            k: r[LEDGER_HEADERS.index(k)]
            for k in ("受理编号", "污染类型", "配合单位", "是否重复", "重复关联件编号")
        }
        for r in rows[1:]
    ]
    assert got == [
        {
            "受理编号": "Q0000000",
            "污染类型": "水、大气",
            "配合单位": "丙单位",
            "是否重复": "是",
            "重复关联件编号": "Q0000001",
        },
        {
            "受理编号": "Q0000001",
            "污染类型": "水、大气",
            "配合单位": "丙单位",
            "是否重复": "是",
            "重复关联件编号": "Q0000000",
        },
        {
            "受理编号": "Q0000002",
            "污染类型": "水、大气",
            "配合单位": "丙单位",
            "是否重复": "否",
            "重复关联件编号": None,
        },
    ]


@pytest.mark.django_db
def test_ledger_export_many_to_many_columns_only_for_filtered_cases(client, users, unit_a, unit_b):
    mine = CaseFactory(lead_unit=unit_a, cooperating_units=[UnitFactory(name="丁单位")])
    other = CaseFactory(lead_unit=unit_b, cooperating_units=[UnitFactory(name="戊单位")])
    mine.related_cases.set([other])
    client.force_login(users["staff"])
    _, rows = _read(client.get("/cases/export.xlsx").content)
    assert len(rows) == 2
    row = dict(zip(LEDGER_HEADERS, rows[1], strict=True))
    assert (row["受理编号"], row["配合单位"], row["重复关联件编号"]) == (
        mine.receipt_no,
        "丁单位",
        other.receipt_no,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 12, 60])
def test_case_list_query_count_does_not_grow(n, client, users, unit_a, django_assert_num_queries):
    bulk_cases(n, inspection=InspectionFactory(), lead_unit=unit_a, cooperating=UnitFactory())
    client.force_login(users["staff"])
    # one count (the per-state chips; the paginator reuses their sum); the filter's choices come
    # from the cache (qianshan/common/choices.py)
    with django_assert_num_queries(10):
        response = client.get("/cases/")
    assert len(response.context["page"]) == min(n, 50)
    assert response.context["total"] == n


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 2500])
def test_public_export_query_count_does_not_grow(n, client, unit_a, django_assert_num_queries):
    inspection = InspectionFactory(code="C2")
    bulk_cases(
        n, inspection=inspection, lead_unit=unit_a, cooperating=UnitFactory(), state=CaseState.PUBLICIZED
    )
    # the inspection, the pollution types of the whole set, the people's names to mask, the rows
    with django_assert_num_queries(4):
        response = client.get("/public/cases/C2/export.xlsx")
    _, rows = _read(response.content)
    assert len(rows) == n + 1
    assert rows[1][:2] == [1, "Q0000000"] and rows[1][4] == "水、大气"


@pytest.mark.django_db
def test_export_ledger_command(tmp_path, unit_a):
    CaseFactory(lead_unit=unit_a, state=CaseState.RECTIFYING, inspection=InspectionFactory(code="C2"))
    CaseFactory(lead_unit=unit_a, state=CaseState.RECEIVED)
    from django.core.management import call_command

    out = tmp_path / "ledger.xlsx"
    call_command("export_ledger", str(out), "--inspection", "C2", "--state", "rectifying")
    _, rows = _read(out.read_bytes())
    assert len(rows) == 2 and rows[1][20] == "整改中"


@pytest.mark.django_db
def test_public_table_needs_no_login_and_shows_no_personal_data(client, unit_a):
    inspection = InspectionFactory(code="C2", name="第二轮中央生态环境保护督察")
    public = CaseFactory(
        inspection=inspection,
        lead_unit=unit_a,
        state=CaseState.PUBLICIZED,
        batch=3,
        complaint="某厂噪声扰民，举报人电话13812345678",
        complainant_contact="张三 13900001111",
        handler="李经办",
        handler_phone="13700002222",
        investigation="属实",
        remarks="联系 0412-6612345",
    )
    hidden = CaseFactory(inspection=inspection, lead_unit=unit_a, state=CaseState.RECTIFYING, batch=3)
    index = client.get("/public/cases/").content.decode()
    assert "第 3 批" in index
    body = client.get("/public/cases/C2/?batch=3").content.decode()
    assert public.receipt_no in body and hidden.receipt_no not in body
    for secret in ("13812345678", "13900001111", "张三", "李经办", "13700002222", "0412-6612345"):
        assert secret not in body
    response = client.get("/public/cases/C2/export.xlsx?batch=3")
    _, rows = _read(response.content)
    assert rows[0] == PUBLIC_HEADERS
    assert rows[1][:3] == [1, public.receipt_no, "某厂噪声扰民，举报人电话＊＊＊"]
    flat = " ".join(str(v) for r in rows for v in r)
    for secret in ("13812345678", "13900001111", "张三", "李经办"):
        assert secret not in flat


def test_mask_personal_keeps_other_numbers():
    assert (
        mask_personal("罚款2万元，身份证210302199001011234，电话138-1234-5678")
        == "罚款2万元，身份证＊＊＊，电话＊＊＊"
    )


@pytest.mark.django_db
def test_contact_shown_to_office_and_handlers_only(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a, complainant_contact="13900001111")
    for role, shown in [("office", True), ("staff", True), ("leader", False), ("discipline", False)]:
        client.force_login(users[role])
        assert ("13900001111" in client.get(f"/cases/{case.pk}/").content.decode()) is shown, role


@pytest.mark.django_db
def test_other_units_case_by_guessed_id_is_404(client, users, unit_b):
    case = CaseFactory(lead_unit=unit_b)
    client.force_login(users["staff"])
    for url in (f"/cases/{case.pk}/", f"/cases/{case.pk}/handling/", f"/cases/{case.pk}/edit/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/cases/{case.pk}/progress/", {"text": "x"}).status_code == 404


@pytest.mark.django_db
def test_case_list_unit_filter_counts_each_case_once(client, users, unit_a, unit_b):
    both = CaseFactory(lead_unit=unit_a, cooperating_units=[unit_a], state=CaseState.RECTIFYING)
    many = CaseFactory(
        lead_unit=unit_a, cooperating_units=[unit_b, UnitFactory()], state=CaseState.INVESTIGATING
    )
    partner = CaseFactory(lead_unit=unit_b, cooperating_units=[unit_a], state=CaseState.RECTIFYING)
    CaseFactory(lead_unit=unit_b, state=CaseState.RECTIFYING)
    client.force_login(users["office"])
    response = client.get(f"/cases/?unit={unit_a.pk}")
    assert response.status_code == 200, response
    counts = {state.value: n for state, n in response.context["state_counts"]}
    assert counts[CaseState.RECTIFYING] == 2
    assert counts[CaseState.INVESTIGATING] == 1
    assert response.context["total"] == 3
    assert sorted(c.pk for c in response.context["page"]) == sorted([both.pk, many.pk, partner.pk])
    export = client.get(f"/cases/export.xlsx?unit={unit_a.pk}")
    _, rows = _read(export.content)
    assert len(rows) == 1 + 3
