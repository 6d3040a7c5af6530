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


def test_reviewer_assigned_to_the_review_reads_the_acceptance_opinion_read_only(review_form, users, login):
    opinion = review_form.step.case.acceptance_steps.get(kind="acceptance").form
    client = login(users["reviewer"])
    chain = client.get(reverse("acceptance:case", args=[review_form.step.case_id])).content.decode()
    summary = client.get(reverse("acceptance:summary", args=[review_form.step.case_id])).content.decode()
    for url in (
        reverse("acceptance:form", args=[opinion.pk]),
        reverse("acceptance:form_pdf", args=[opinion.pk]),
    ):
        assert url in chain
        assert client.get(url).status_code == 200
    assert "整改到位" in summary
    page = client.get(reverse("acceptance:form", args=[opinion.pk]))
    assert page.status_code == 200
    assert page.context["edit_form"] is None and page.context["assign_form"] is None
    assert page.context["my_slots"] == []
    refused = client.post(
        reverse("acceptance:form_edit", args=[opinion.pk]),
        {"unit_name": "甲单位", "statement": "改后的结论", "opinion_rectification": "改后的意见"},
    )
    assert refused.status_code == 400 and "您无权修改此表单。" in refused.content.decode()
    opinion.refresh_from_db()
    assert opinion.opinion_rectification == "整改到位"


def test_review_member_not_assigned_to_the_case_still_gets_404(review_form, users, login):
    from org.enums import Role
    from tests.factories import user_with_role

    other = user_with_role(Role.REVIEW_MEMBER, username="reviewer_other")
    opinion = review_form.step.case.acceptance_steps.get(kind="acceptance").form
    client = login(other)
    assert client.get(reverse("acceptance:form", args=[opinion.pk])).status_code == 404
    assert client.get(reverse("acceptance:form_pdf", args=[opinion.pk])).status_code == 404
    assert client.get(reverse("acceptance:form", args=[review_form.pk])).status_code == 404


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
    services.assign_signer(
        step.form, actor=users["office"], user=users["acceptor"], role=SlotRole.LEADER, unit=unit_a
    )
    body = login(users["acceptor"]).get(reverse("acceptance:index")).content.decode()
    assert body.index("OLDER-1") < body.index("D2LN202107160012")


def _make_steps(n, users, unit_a):
    from cases.enums import CaseState

    for i in range(n):
        case = CaseFactory(lead_unit=unit_a, state=CaseState.COMPLETED, receipt_no=f"MANY-{i}")
        step = services.apply_for_acceptance(case, actor=users["office"], applied_on=APPLIED)
        services.assign_signer(
            step.form, actor=users["office"], user=users["acceptor"], role=SlotRole.LEADER, unit=unit_a
        )


@pytest.mark.parametrize("n", [1, 6])
def test_index_query_count_is_constant(users, login, unit_a, n, django_assert_num_queries):
    _make_steps(n, users, unit_a)
    client = login(users["acceptor"])
    client.get(reverse("acceptance:index"))  # warm the session
    # +1: the overview is paged, with one count
    with django_assert_num_queries(7):
        response = client.get(reverse("acceptance:index"))
    assert response.content.decode().count("MANY-") == 2 * n


def test_summary_page_and_pdf(acceptance_form, users, login):
    client = login(users["office"])
    case_id = acceptance_form.step.case_id
    assert "验收复核情况事项单" in client.get(reverse("acceptance:summary", args=[case_id])).content.decode()
    response = client.get(reverse("acceptance:summary_pdf", args=[case_id]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_form_edit_with_bad_date_keeps_the_typed_text_and_says_why(acceptance_form, users, login):
    from acceptance.models import OpinionForm

    response = login(users["office"]).post(
        reverse("acceptance:form_edit", args=[acceptance_form.pk]),
        {
            "form_date": "2024-13-45",
            "unit_name": "甲单位",
            "statement": "达到了整改验收标准",
            "opinion_rectification": "噪声源已拆除，夜间复测达标",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "噪声源已拆除，夜间复测达标" in body
    assert 'data-field="form_date"' in body and "输入一个有效的日期。" in body
    assert OpinionForm.objects.get(pk=acceptance_form.pk).opinion_rectification == "整改到位"


def test_form_edit_refused_on_a_signed_form_keeps_the_typed_text(acceptance_form, users, login):
    from .conftest import sign_all

    sign_all(acceptance_form)
    response = login(users["office"]).post(
        reverse("acceptance:form_edit", args=[acceptance_form.pk]),
        {"unit_name": "甲单位", "statement": "改后的结论", "opinion_rectification": "改后的意见"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "改后的意见" in body and "表单已有有效签字，已冻结，不能修改。" in body


def test_form_edit_valid_saves_and_redirects(acceptance_form, users, login):
    response = login(users["office"]).post(
        reverse("acceptance:form_edit", args=[acceptance_form.pk]),
        {"unit_name": "甲单位", "statement": "达到了整改验收标准", "opinion_rectification": "已整改"},
    )
    assert response.status_code == 302
    acceptance_form.refresh_from_db()
    assert acceptance_form.opinion_rectification == "已整改"


def test_decide_refused_keeps_the_typed_reasons_on_the_page(acceptance_form, users, login):
    """Deciding an unsigned acceptance is refused; the chain page comes back with what was typed."""
    step = acceptance_form.step
    response = login(users["office"]).post(
        reverse("acceptance:decide", args=[step.pk]),
        {"passed": "1", "done_on": "2024-10-01", "reasons": "现场复核意见：噪声达标"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="现场复核意见：噪声达标"' in body and 'value="2024-10-01"' in body
    assert "签字未齐，不能记录结论" in body and f"组长{users['acceptor'].display_name}（未签字）" in body
    step.refresh_from_db()
    assert step.outcome == "pending"


def test_decide_with_bad_date_names_the_field_and_keeps_the_reasons(acceptance_form, users, login):
    step = acceptance_form.step
    response = login(users["office"]).post(
        reverse("acceptance:decide", args=[step.pk]),
        {"passed": "0", "done_on": "2024-02-30", "reasons": "整改不到位，异味仍存在"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "整改不到位，异味仍存在" in body and "完成日期：输入一个有效的日期。" in body
    step.refresh_from_db()
    assert step.outcome == "pending"


def test_decide_failed_without_reasons_names_the_reasons_field(acceptance_form, users, login):
    from .conftest import sign_all

    sign_all(acceptance_form)
    response = login(users["office"]).post(
        reverse("acceptance:decide", args=[acceptance_form.step.pk]), {"passed": "0", "done_on": "2024-10-01"}
    )
    assert response.status_code == 400
    assert "未通过原因：验收未通过须填写原因。" in response.content.decode()
