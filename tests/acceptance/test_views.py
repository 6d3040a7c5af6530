from datetime import date

import pytest
from django.urls import reverse

from acceptance.domain import services
from acceptance.enums import SlotRole
from acceptance.models import Signature
from tests.factories import PASSWORD, CaseFactory

from .conftest import APPLIED

pytestmark = pytest.mark.django_db


def test_form_page_shows_case_facts_to_assigned_member(acceptance_form, users, login):
    response = login(users["acceptor"]).get(reverse("acceptance:form", args=[acceptance_form.pk]))
    assert response.status_code == 200
    assert "D2LN202107160012" in response.content.decode()


@pytest.mark.parametrize("who", ["staff_b", "reviewer"])
def test_form_by_guessed_id_is_404_for_others(acceptance_form, users, login, who):
    client = login(users[who])
    assert client.get(reverse("acceptance:form", args=[acceptance_form.pk])).status_code == 404
    assert client.get(reverse("acceptance:form_pdf", args=[acceptance_form.pk])).status_code == 404
    assert client.get(reverse("acceptance:case", args=[acceptance_form.step.case_id])).status_code == 404


@pytest.mark.parametrize("who", ["office", "staff", "head", "discipline"])
def test_form_visible_to_office_unit_and_read_all(acceptance_form, users, login, who):
    assert login(users[who]).get(reverse("acceptance:form", args=[acceptance_form.pk])).status_code == 200


def test_sign_through_page_needs_password(acceptance_form, users, login):
    slot = acceptance_form.slots.get(role=SlotRole.LEADER)
    client = login(users["acceptor"])
    url = reverse("acceptance:sign", args=[acceptance_form.pk, slot.pk])
    response = client.post(url, {"password": "wrong"}, follow=True)
    assert "密码不正确，未签字。" in response.content.decode()
    assert Signature.objects.count() == 0
    client.post(url, {"password": PASSWORD})
    assert Signature.objects.get().signer == users["acceptor"]


def test_sign_someone_elses_slot_through_page_is_refused(acceptance_form, users, login, industry_member):
    slot = acceptance_form.slots.get(role=SlotRole.LEADER)
    response = login(industry_member).post(
        reverse("acceptance:sign", args=[acceptance_form.pk, slot.pk]), {"password": PASSWORD}, follow=True
    )
    assert "只有指定的签字人本人才能签署此栏。" in response.content.decode()
    assert Signature.objects.count() == 0


def test_index_lists_forms_waiting_oldest_first(acceptance_form, users, login, unit_a):
    from cases.enums import CaseState

    older = CaseFactory(lead_unit=unit_a, state=CaseState.COMPLETED, receipt_no="OLDER-1")
    step = services.apply_for_acceptance(older, actor=users["office"], applied_on=date(2024, 9, 1))
    services.assign_signer(step.form, actor=users["office"], user=users["acceptor"], role=SlotRole.LEADER)
    body = login(users["acceptor"]).get(reverse("acceptance:index")).content.decode()
    assert body.index("OLDER-1") < body.index("D2LN202107160012")


def _make_steps(n, users, unit_a):
    from cases.enums import CaseState

    for i in range(n):
        case = CaseFactory(lead_unit=unit_a, state=CaseState.COMPLETED, receipt_no=f"MANY-{i}")
        step = services.apply_for_acceptance(case, actor=users["office"], applied_on=APPLIED)
        services.assign_signer(step.form, actor=users["office"], user=users["acceptor"], role=SlotRole.LEADER)


@pytest.mark.parametrize("n", [1, 6])
def test_index_query_count_is_constant(users, login, unit_a, n, django_assert_num_queries):
    _make_steps(n, users, unit_a)
    client = login(users["acceptor"])
    client.get(reverse("acceptance:index"))  # warm the session
    with django_assert_num_queries(6):
        response = client.get(reverse("acceptance:index"))
    assert response.content.decode().count("MANY-") == 2 * n


def test_summary_page_and_pdf(acceptance_form, users, login):
    client = login(users["office"])
    case_id = acceptance_form.step.case_id
    assert "验收复核情况事项单" in client.get(reverse("acceptance:summary", args=[case_id])).content.decode()
    response = client.get(reverse("acceptance:summary_pdf", args=[case_id]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
