"""Complaint points (举报问题要点): the domain function set_points() and the form on the case page."""

import pytest

from cases.domain.errors import DomainError
from cases.domain.evidence import points_token, set_points
from cases.models import InvestigationPoint
from tests.factories import CaseFactory


def _rows(case):
    return [
        (p.seq, p.content, p.is_true, p.is_resolved, p.note)
        for p in InvestigationPoint.objects.filter(case=case).order_by("seq")
    ]


def _token(case):
    return points_token(InvestigationPoint.objects.filter(case=case))


# --- domain ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_set_points_adds_edits_deletes_and_renumbers_with_history(users, unit_a):
    staff = users["staff"]
    case = CaseFactory(lead_unit=unit_a)
    noise, dust, water = set_points(
        case, [{"content": "噪声"}, {"content": "粉尘"}, {"content": "废水"}], actor=staff
    )
    set_points(
        case,
        [
            {"id": dust.pk, "content": "粉尘", "is_true": True, "is_resolved": True, "note": "已覆盖"},
            {"id": water.pk, "content": "废水", "is_true": False},
            {"content": "异味"},
        ],
        actor=staff,
        expected_token=points_token([noise, dust, water]),
    )
    assert _rows(case) == [
        (1, "粉尘", True, True, "已覆盖"),
        (2, "废水", False, False, ""),
        (3, "异味", True, False, ""),
    ]
    assert InvestigationPoint.objects.get(seq=1, case=case).pk == dust.pk  # identity kept, not retyped
    history = InvestigationPoint.history.filter(case_id=case.pk)
    assert sorted((h.history_type, h.content) for h in history) == [
        ("+", "噪声"),
        ("+", "废水"),
        ("+", "异味"),
        ("+", "粉尘"),
        ("-", "噪声"),
        ("~", "废水"),
        ("~", "粉尘"),
    ]
    assert {h.history_user_id for h in history} == {staff.pk}
    assert {h.history_change_reason for h in history} == {"填报举报问题要点"}


@pytest.mark.django_db
def test_set_points_leaves_an_unchanged_point_without_new_history(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    (point,) = set_points(case, [{"content": "噪声"}], actor=users["staff"])
    set_points(case, [{"id": point.pk, "content": "噪声", "is_true": True}], actor=users["staff"])
    assert InvestigationPoint.history.filter(case_id=case.pk).count() == 1


@pytest.mark.django_db
def test_set_points_refuses_a_stale_form_and_saves_nothing(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    set_points(case, [{"content": "噪声"}], actor=users["staff"])
    loaded = _token(case)
    set_points(case, [{"content": "粉尘"}], actor=users["head"])  # someone else saves first
    with pytest.raises(DomainError) as refused:
        set_points(case, [{"content": "废水"}], actor=users["staff"], expected_token=loaded)
    assert refused.value.message == "问题要点已被他人修改，请刷新页面查看最新内容后再保存。"
    assert _rows(case) == [(1, "粉尘", True, False, "")]


@pytest.mark.django_db
def test_set_points_refuses_another_cases_point_id(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    other = CaseFactory(lead_unit=unit_a)
    set_points(case, [{"content": "噪声"}], actor=users["staff"])
    (foreign,) = set_points(other, [{"content": "别的案件"}], actor=users["staff"])
    with pytest.raises(DomainError) as refused:
        set_points(case, [{"id": foreign.pk, "content": "改写"}], actor=users["staff"])
    assert refused.value.message == "问题要点不存在或已被删除，请刷新页面后重新填写。"
    assert _rows(case) == [(1, "噪声", True, False, "")]
    assert _rows(other) == [(1, "别的案件", True, False, "")]


@pytest.mark.django_db
def test_set_points_refuses_an_empty_point_naming_it(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    with pytest.raises(DomainError) as refused:
        set_points(case, [{"content": "噪声"}, {"content": "  "}], actor=users["staff"])
    assert refused.value.message == "第 2 个问题要点没有内容。"
    assert _rows(case) == []


@pytest.mark.django_db
def test_set_points_refuses_another_units_staff(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    with pytest.raises(DomainError):
        set_points(case, [{"content": "噪声"}], actor=users["staff_b"])
    assert _rows(case) == []


# --- the form on the case page --------------------------------------------------------------------
def _form_data(token, rows, *, initial=0):
    """rows: dicts with id/content/is_true/is_resolved/note/DELETE as the browser posts them."""
    data = {
        "points_token": token,
        "points-TOTAL_FORMS": str(len(rows)),
        "points-INITIAL_FORMS": str(initial),
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "50",
    }
    for i, row in enumerate(rows):
        data[f"points-{i}-id"] = row.get("id", "")
        data[f"points-{i}-content"] = row.get("content", "")
        data[f"points-{i}-is_true"] = row.get("is_true", "1")
        data[f"points-{i}-note"] = row.get("note", "")
        if row.get("is_resolved"):
            data[f"points-{i}-is_resolved"] = "on"
        if row.get("DELETE"):
            data[f"points-{i}-DELETE"] = "on"
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "head", "office"])
def test_points_form_adds_a_point_from_the_case_page(role, client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users[role])
    page = client.get(f"/cases/{case.pk}/")
    assert 'data-testid="points-form"' in page.content.decode()
    token = page.context["points_token"]
    response = client.post(
        f"/cases/{case.pk}/points/",
        _form_data(token, [{"content": "夜间噪声扰民", "is_resolved": True, "note": "已加装隔音罩"}]),
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/#points"
    assert _rows(case) == [(1, "夜间噪声扰民", True, True, "已加装隔音罩")]
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "夜间噪声扰民" in body and "属实问题已解决 1 / 1" in body
    assert InvestigationPoint.history.get(case_id=case.pk).history_user == users[role]


@pytest.mark.django_db
def test_points_form_edits_deletes_and_ignores_the_blank_new_row(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    noise, dust = set_points(case, [{"content": "噪声"}, {"content": "粉尘"}], actor=users["staff"])
    client.force_login(users["staff"])
    token = client.get(f"/cases/{case.pk}/").context["points_token"]
    rows = [
        {"id": noise.pk, "content": "噪声", "DELETE": True},
        {"id": dust.pk, "content": "粉尘（料场）", "is_true": "0"},
        {},  # the empty "新增" row left blank
    ]
    response = client.post(f"/cases/{case.pk}/points/", _form_data(token, rows, initial=2))
    assert response.status_code == 302
    assert _rows(case) == [(1, "粉尘（料场）", False, False, "")]


@pytest.mark.django_db
def test_points_form_refusal_keeps_what_was_typed_and_saves_nothing(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["staff"])
    token = client.get(f"/cases/{case.pk}/").context["points_token"]
    rows = [{"content": "废水直排"}, {"content": "", "note": "只写了说明"}]
    response = client.post(f"/cases/{case.pk}/points/", _form_data(token, rows))
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写问题要点的内容。" in body and "废水直排" in body and "只写了说明" in body
    assert _rows(case) == []


@pytest.mark.django_db
def test_points_form_stale_token_is_refused_with_a_message(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["staff"])
    token = client.get(f"/cases/{case.pk}/").context["points_token"]
    set_points(case, [{"content": "他人先填的要点"}], actor=users["head"])
    response = client.post(f"/cases/{case.pk}/points/", _form_data(token, [{"content": "我的要点"}]))
    assert response.status_code == 400
    assert "问题要点已被他人修改" in response.content.decode()
    assert _rows(case) == [(1, "他人先填的要点", True, False, "")]


@pytest.mark.django_db
def test_points_form_another_units_case_is_404(client, users, unit_b):
    case = CaseFactory(lead_unit=unit_b)
    client.force_login(users["staff"])  # unit_a
    response = client.post(f"/cases/{case.pk}/points/", _form_data("x", [{"content": "猜编号写入"}]))
    assert response.status_code == 404
    assert _rows(case) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "discipline"])
def test_points_form_read_only_roles_get_403_and_no_form(role, client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users[role])
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and 'data-testid="points-form"' not in page.content.decode()
    response = client.post(f"/cases/{case.pk}/points/", _form_data("x", [{"content": "只读写入"}]))
    assert response.status_code == 403
    assert _rows(case) == []


@pytest.mark.django_db
def test_points_history_is_shown_on_the_case_page(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    (point,) = set_points(case, [{"content": "噪声"}], actor=users["staff"])
    set_points(case, [{"id": point.pk, "content": "噪声", "is_resolved": True}], actor=users["staff"])
    client.force_login(users["office"])
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "要点变更记录（2）" in body
    assert (
        body.count("第 1 项：噪声 · 属实 · 已解决") == 1 and body.count("第 1 项：噪声 · 属实 · 未解决") == 1
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_points_form_in_the_browser(page, browser_login, screenshot, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    set_points(case, [{"content": "夜间生产噪声扰民"}], actor=users["office"])
    browser_login("staff_u")
    page.goto(f"{page.base_url}/cases/{case.pk}/")
    page.click("#points summary")
    form = page.locator('[data-testid="points-form"]')
    form.locator('input[name="points-0-is_resolved"]').check()
    form.locator('textarea[name="points-1-content"]').fill("料场扬尘未覆盖")
    form.locator('select[name="points-1-is_true"]').select_option("1")
    form.locator('input[name="points-1-note"]').fill("待覆盖防尘网")
    screenshot("cases-points-form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/#points")
    table = page.locator('[data-testid="points"]')
    assert table.locator("tbody tr").count() == 2
    assert "属实问题已解决 1 / 2" in page.locator("#points h2").inner_text()
    screenshot("cases-points-saved")
    assert _rows(case) == [
        (1, "夜间生产噪声扰民", True, True, ""),
        (2, "料场扬尘未覆盖", True, False, "待覆盖防尘网"),
    ]
