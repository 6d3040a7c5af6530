"""Cases through the API: the page's scope, filters, validation, state machine and history."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from cases.enums import CaseState as S
from cases.models import CaseTransition, PetitionCase
from org.models import Inspection
from tests.factories import CaseFactory, InspectionFactory, UnitFactory

pytestmark = pytest.mark.django_db

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$")


@pytest.fixture
def inspection(db):
    return InspectionFactory(code="C1", name="第一轮中央环保督察")


def _row(receipt_no, **extra):
    return {"receipt_no": receipt_no, "complaint": f"{receipt_no} 举报内容", **extra}


def test_list_is_scoped_filtered_and_cursor_paginated(users, token_for, unit_a, unit_b, inspection):
    mine = [CaseFactory(lead_unit=unit_a, inspection=inspection, batch=1 + i % 2) for i in range(5)]
    CaseFactory(lead_unit=unit_b, inspection=inspection)
    tc = token_for(users["staff"])
    seen, url = [], "/api/v1/cases?page_size=2"
    while url:
        body = tc.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(c.pk for c in mine)
    batch_two = tc.get("/api/v1/cases?batch=2").json()["results"]
    assert [r["id"] for r in batch_two] == [c.pk for c in mine if c.batch == 2]
    first = tc.get("/api/v1/cases?page_size=1").json()["results"][0]
    assert ISO_WITH_OFFSET.match(first["created_at"]), first["created_at"]
    assert first["state"] == "investigating" and first["state_label"] == "调查核实"


def test_list_refuses_an_unknown_ordering_and_a_bad_filter_in_the_error_shape(users, token_for):
    tc = token_for(users["office"])
    response = tc.get("/api/v1/cases?ordering=complaint")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ordering"
    response = tc.get("/api/v1/cases?state=nonsense")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "state"


def test_list_runs_a_fixed_number_of_queries(users, token_for, unit_a, inspection, django_assert_num_queries):
    tc = token_for(users["office"])
    CaseFactory(lead_unit=unit_a, inspection=inspection)
    tc.get("/api/v1/cases")  # warm the throttle cache and the access cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        tc.get("/api/v1/cases")
    for _ in range(8):
        CaseFactory(lead_unit=unit_a, cooperating_units=[UnitFactory()], inspection=inspection)
    with django_assert_num_queries(len(one)):
        tc.get("/api/v1/cases")


def test_detail_by_id_and_by_receipt_no(users, token_for, unit_a, inspection):
    case = CaseFactory(lead_unit=unit_a, inspection=inspection, receipt_no="D2LN202107160001")
    tc = token_for(users["staff"])
    by_id = tc.get(f"/api/v1/cases/{case.pk}").json()
    by_no = tc.get("/api/v1/cases/by-receipt-no/D2LN202107160001").json()
    assert by_id == by_no
    assert by_id["receipt_no"] == "D2LN202107160001" and by_id["lead_unit"] == {
        "id": unit_a.pk,
        "name": "甲单位",
    }
    other = InspectionFactory(code="C2")
    CaseFactory(lead_unit=unit_a, inspection=other, receipt_no="D2LN202107160001")
    ambiguous = tc.get("/api/v1/cases/by-receipt-no/D2LN202107160001")
    assert ambiguous.status_code == 400 and ambiguous.json()["errors"][0]["field"] == "inspection"
    assert tc.get("/api/v1/cases/by-receipt-no/D2LN202107160001?inspection=C1").json()["id"] == case.pk
    assert tc.get("/api/v1/cases/abc").status_code == 404


def test_contact_shown_only_to_office_and_the_case_units(users, token_for, unit_a):
    case = CaseFactory(lead_unit=unit_a, complainant_contact="王先生 13800000000")
    assert token_for(users["staff"]).get(f"/api/v1/cases/{case.pk}").json()["complainant_contact"] == (
        "王先生 13800000000"
    )
    assert token_for(users["leader"]).get(f"/api/v1/cases/{case.pk}").json()["complainant_contact"] is None


def test_create_one_case_records_the_client_as_actor(users, token_for, inspection, unit_a, pollution_vocab):
    tc = token_for(users["office"])
    body = {
        "inspection": "C1",
        "batch": 3,
        "cases": [_row("X001", lead_unit="甲单位", deadline="2021-12-31", pollution_types=["大气", "噪音"])],
    }
    response = tc.post_json("/api/v1/cases", body)
    assert response.status_code == 201, response.json()
    [created] = response.json()
    case = PetitionCase.objects.get(pk=created["id"])
    assert (case.receipt_no, case.batch, case.state, case.lead_unit) == ("X001", 3, S.RECEIVED, unit_a)
    assert sorted(case.pollution_types.values_list("name", flat=True)) == ["噪声", "大气"]
    record = case.history.get(history_type="+")
    assert record.history_user == users["office"] and record.history_change_reason == "接口新建：新建"


def test_batch_with_one_bad_row_saves_nothing_and_names_row_and_field(users, token_for, inspection):
    tc = token_for(users["office"])
    rows = [
        _row("B001", lead_unit="甲单位"),
        _row("B002", deadline="明年"),
        _row("B003", lead_unit="不存在的单位"),
    ]
    response = tc.post_json("/api/v1/cases", {"inspection": "C1", "cases": rows})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(2, "deadline"), (3, "lead_unit")]
    assert errors[1]["message"] == "“不存在的单位”与系统中任何单位的名称或别名都不匹配"
    assert "无法识别的日期" in errors[0]["message"]
    assert not PetitionCase.objects.exists()


def test_batch_refuses_a_known_receipt_no_and_a_duplicate_row(users, token_for, inspection):
    CaseFactory(inspection=inspection, receipt_no="K001")
    tc = token_for(users["office"])
    rows = [_row("K001"), _row("K002"), _row("K002")]
    errors = tc.post_json("/api/v1/cases", {"inspection": "C1", "cases": rows}).json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "receipt_no"), (1, "receipt_no")]
    assert "已存在" in errors[1]["message"] and "重复" in errors[0]["message"]
    assert PetitionCase.objects.count() == 1


def test_missing_required_field_is_named(users, token_for, inspection):
    tc = token_for(users["office"])
    response = tc.post_json("/api/v1/cases", {"inspection": "C1", "cases": [{"receipt_no": "M1"}]})
    assert response.status_code == 400
    [item] = response.json()["errors"]
    assert (item["field"], item["code"]) == ("cases[0].complaint", "required")


def test_only_the_office_creates_cases(users, token_for, inspection):
    response = token_for(users["staff"]).post_json(
        "/api/v1/cases", {"inspection": "C1", "cases": [_row("S1")]}
    )
    assert response.status_code == 403
    assert not PetitionCase.objects.exists()


def test_retried_post_with_the_same_idempotency_key_creates_one_case(users, token_for, inspection):
    tc = token_for(users["office"])
    body = {"inspection": "C1", "cases": [_row("I001")]}
    first = tc.post_json("/api/v1/cases", body, HTTP_IDEMPOTENCY_KEY="key-1")
    second = tc.post_json("/api/v1/cases", body, HTTP_IDEMPOTENCY_KEY="key-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert PetitionCase.objects.filter(receipt_no="I001").count() == 1
    other_body = tc.post_json(
        "/api/v1/cases", {"inspection": "C1", "cases": [_row("I002")]}, HTTP_IDEMPOTENCY_KEY="key-1"
    )
    assert other_body.status_code == 422
    assert not PetitionCase.objects.filter(receipt_no="I002").exists()


def test_a_refused_create_does_not_burn_the_idempotency_key(users, token_for, inspection):
    tc = token_for(users["office"])
    bad = tc.post_json(
        "/api/v1/cases", {"inspection": "C1", "cases": [_row("R1", deadline="x")]}, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert bad.status_code == 400
    good = tc.post_json(
        "/api/v1/cases", {"inspection": "C1", "cases": [_row("R1")]}, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert good.status_code == 201


def test_transition_refused_on_the_page_is_refused_by_the_api_with_the_same_message(
    users, token_for, login, unit_a
):
    case = CaseFactory(lead_unit=unit_a)
    page = login(users["staff"]).post(
        f"/cases/{case.pk}/transition/", {"to_state": "rectifying", "version": case.version}
    )
    [page_message] = [str(m) for m in get_messages(page.wsgi_request)]
    response = token_for(users["staff"]).post_json(
        f"/api/v1/cases/{case.pk}/transitions", {"to_state": "rectifying"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "finding", "code": "refused", "message": page_message}]
    assert page_message == "进入整改前须填写“是否属实”。"
    assert PetitionCase.objects.get(pk=case.pk).state == S.INVESTIGATING


def test_transition_by_a_read_all_role_is_refused_like_the_page(users, token_for, unit_a):
    case = CaseFactory(lead_unit=unit_a, state=S.RECEIVED)
    response = token_for(users["leader"]).post_json(
        f"/api/v1/cases/{case.pk}/transitions", {"to_state": "investigating"}
    )
    assert response.json()["errors"][0]["message"] == "您无权执行此操作。"


def test_transition_through_the_api_is_logged_with_the_client_account(users, token_for, unit_a):
    case = CaseFactory(lead_unit=unit_a, state=S.RECEIVED)
    tc = token_for(users["staff"])
    response = tc.post_json(
        f"/api/v1/cases/{case.pk}/transitions",
        {"to_state": "investigating", "reason": "热线转办", "version": 0},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "investigating"
    log = CaseTransition.objects.get(case=case)
    assert (log.actor, log.from_state, log.to_state, log.reason) == (
        users["staff"],
        "received",
        "investigating",
        "热线转办",
    )
    assert case.history.latest().history_user == users["staff"]
    stale = tc.post_json(f"/api/v1/cases/{case.pk}/transitions", {"to_state": "rectifying", "version": 0})
    assert stale.status_code == 409


def test_progress_write_uses_the_page_rule(users, token_for, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    tc = token_for(users["staff"])
    future = tc.post_json(f"/api/v1/cases/{case.pk}/progress", {"happened_on": "2999-01-01", "text": "x"})
    assert future.json()["errors"] == [
        {"field": "happened_on", "code": "refused", "message": "进展日期不能晚于今天。"}
    ]
    ok = tc.post_json(
        f"/api/v1/cases/{case.pk}/progress", {"happened_on": "2021-08-01", "text": "已现场核查"}
    )
    assert ok.status_code == 201
    entry = case.progress_entries.get()
    assert (entry.text, entry.actor, entry.history.get().history_user) == (
        "已现场核查",
        users["staff"],
        users["staff"],
    )
    listed = tc.get(f"/api/v1/cases/{case.pk}/progress").json()
    assert [e["text"] for e in listed] == ["已现场核查"]


def test_unknown_inspection_is_a_field_error(users, token_for):
    response = token_for(users["office"]).post_json(
        "/api/v1/cases", {"inspection": "NOPE", "cases": [_row("N1")]}
    )
    assert response.json()["errors"][0]["field"] == "inspection"
    assert not Inspection.objects.filter(code="NOPE").exists()


def test_history_shows_the_client_account_and_hides_contact_from_readers(users, token_for, unit_a):
    case = CaseFactory(lead_unit=unit_a, state=S.RECEIVED)
    tc = token_for(users["staff"])
    tc.post_json(f"/api/v1/cases/{case.pk}/transitions", {"to_state": "investigating"})
    from cases.domain.services import update_case

    update_case(case, actor=users["office"], values={"complainant_contact": "13800000000"})
    mine = tc.get(f"/api/v1/cases/{case.pk}/history").json()
    assert mine[1]["who"] == users["staff"].display_name and mine[1]["reason"] == "已交办 → 调查核实"
    assert any(c["field"] == "举报人联系方式" for c in mine[0]["changes"])
    leader = token_for(users["leader"]).get(f"/api/v1/cases/{case.pk}/history").json()
    assert not any(c["field"] == "举报人联系方式" for e in leader for c in e["changes"])


def test_issue_api_token_command_prints_the_token_once(users, token_for):
    from io import StringIO

    from django.core.management import call_command

    tc = token_for(users["office"])
    out = StringIO()
    call_command("issue_api_token", tc.api_client.name, "--days", "7", stdout=out)
    raw = out.getvalue().split("：")[1].split()[0]
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/inspections").status_code == 200
