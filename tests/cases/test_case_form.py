"""The 131 loop: past "received", a case keeps its unit, person, standard and deadline."""

import pytest
from django.urls import reverse

from cases.domain.errors import DomainError
from cases.domain.services import update_case
from cases.models import PetitionCase
from tests.factories import CaseFactory


def form_data(case, **overrides):
    data = {
        "batch": case.batch,
        "transferred_on": "2021-07-16",
        "channel": "phone",
        "complaint": case.complaint,
        "lead_unit": case.lead_unit_id,
        "handler": case.handler,
        "case_leader_level": "none",
        "standard": case.standard,
        "deadline": case.deadline.isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("lead_unit", "牵头责任单位"),
        ("handler", "具体负责人"),
        ("standard", "整改标准"),
        ("deadline", "整改时限"),
    ],
)
def test_case_edit_missing_fixed_field_refused_with_chinese_message(field, label, users, unit_a, client):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["office"])  # the office may edit every field, units included
    data = form_data(case, complaint="改过的内容", **{field: ""})
    response = client.post(reverse("cases:edit", args=[case.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert f"“{label}”必填" in errors[0]
    # nothing half-saved: the other changed field did not land either
    assert PetitionCase.objects.get(pk=case.pk).complaint == case.complaint
    # what was typed is kept in the refused form
    assert "改过的内容" in response.content.decode()


@pytest.mark.django_db
def test_case_edit_received_case_may_lack_fixed_fields(users, unit_a, client):
    case = CaseFactory(lead_unit=unit_a, state="received")
    client.force_login(users["staff"])
    response = client.post(reverse("cases:edit", args=[case.pk]), form_data(case, handler="", standard=""))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.handler == ""


@pytest.mark.django_db
def test_case_edit_recorded_in_history_with_who(users, unit_a, client):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["staff"])
    client.post(reverse("cases:edit", args=[case.pk]), form_data(case, handler="新负责人"))
    latest = case.history.order_by("-history_date").first()
    assert latest.handler == "新负责人"
    assert latest.history_user == users["staff"]
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "新负责人" in detail and users["staff"].display_name in detail


@pytest.mark.django_db
def test_case_edit_key_case_needs_leader_and_plan(users, unit_a, client):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["office"])
    response = client.post(reverse("cases:edit", args=[case.pk]), form_data(case, is_key="on"))
    errors = response.context["form"].errors
    assert "重点件必须明确包保主要领导。" in errors["key_leader"]
    assert "重点件必须有工作方案。" in errors["work_plan"]


@pytest.mark.django_db
def test_case_history_hides_complainant_contact_from_read_only_roles(users, unit_a, client):
    case = CaseFactory(lead_unit=unit_a)
    update_case(case, actor=users["office"], values={"complainant_contact": "13912345678"})
    client.force_login(users["leader"])
    assert "13912345678" not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.force_login(users["staff"])
    assert "13912345678" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


@pytest.mark.django_db
def test_case_history_names_units_not_ids(users, unit_a, unit_b, client):
    case = CaseFactory(lead_unit=unit_a)
    update_case(case, actor=users["office"], values={"lead_unit": unit_b})
    client.force_login(users["office"])
    changes = client.get(reverse("cases:detail", args=[case.pk])).context["history"][0].changes
    assert ("牵头责任单位", "甲单位", "乙单位") in changes


@pytest.mark.django_db
def test_unit_staff_cannot_hand_a_case_to_another_unit(users, unit_a, unit_b, client):
    case = CaseFactory(lead_unit=unit_a)
    with pytest.raises(DomainError, match="只有协调组办公室可以指定或调整牵头责任单位"):
        update_case(case, actor=users["staff"], values={"lead_unit": unit_b})
    client.force_login(users["staff"])
    response = client.post(reverse("cases:edit", args=[case.pk]), form_data(case, lead_unit=unit_b.pk))
    assert response.status_code == 302  # the disabled field keeps the case's own unit
    case.refresh_from_db()
    assert case.lead_unit == unit_a


@pytest.mark.django_db
def test_office_assigns_the_lead_unit(users, unit_a, unit_b, client):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["office"])
    client.post(reverse("cases:edit", args=[case.pk]), form_data(case, lead_unit=unit_b.pk))
    case.refresh_from_db()
    assert case.lead_unit == unit_b


@pytest.mark.django_db
def test_case_edit_deadline_before_transfer_date_refused(users, unit_a, client):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["staff"])
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        form_data(case, transferred_on="2021-07-16", deadline="2021-07-15", handler="新负责人"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"] == [
        "整改时限（2021-07-15）不能早于交办日期（2021-07-16）。"
    ]
    fresh = PetitionCase.objects.get(pk=case.pk)
    assert (fresh.deadline, fresh.handler) == (case.deadline, case.handler)
    # the same day is allowed
    response = client.post(reverse("cases:edit", args=[case.pk]), form_data(case, deadline="2021-07-16"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_update_case_deadline_before_transfer_date_refused(users, unit_a):
    from datetime import date

    case = CaseFactory(lead_unit=unit_a)  # transferred 2021-07-16
    with pytest.raises(DomainError) as refused:
        update_case(case, actor=users["office"], values={"deadline": date(2021, 7, 1)})
    assert (refused.value.message, refused.value.field) == (
        "整改时限（2021-07-01）不能早于交办日期（2021-07-16）。",
        "deadline",
    )
    with pytest.raises(DomainError) as refused:
        update_case(case, actor=users["office"], values={"transferred_on": date(2099, 1, 1)})
    assert refused.value.field == "transferred_on"
    assert PetitionCase.objects.get(pk=case.pk).history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("0412-1234567", True),
        ("+86 (412) 123 4567", True),
        ("13804120000", True),
        ("", True),
        ("abcdefg", False),
        ("123456", False),  # 6 characters
        ("123-45-6", False),  # 6 digits
        ("1" * 21, False),
        ("0412-123456 转8", False),
    ],
)
def test_case_edit_handler_phone_must_look_like_a_phone(phone, ok, users, unit_a, client):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["staff"])
    response = client.post(reverse("cases:edit", args=[case.pk]), form_data(case, handler_phone=phone))
    if ok:
        assert response.status_code == 302
        assert PetitionCase.objects.get(pk=case.pk).handler_phone == phone
    else:
        assert response.context["form"].errors["handler_phone"] == [
            "“负责人电话”格式不正确：只能填写数字、+、-、空格和括号，共 7–20 位（例如 0412-1234567）。"
        ]
        with pytest.raises(DomainError) as refused:
            update_case(case, actor=users["staff"], values={"handler_phone": phone})
        assert refused.value.field == "handler_phone"
        assert PetitionCase.objects.get(pk=case.pk).handler_phone == case.handler_phone
