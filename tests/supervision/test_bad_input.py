"""Bad query strings and form input on the supervision pages: a 404 or a Chinese error, never a 500."""

import pytest
from django.urls import reverse

from supervision.models import SupervisionLetter
from tests.factories import CaseFactory, TaskFactory

pytestmark = pytest.mark.django_db

BIG = "9" * 25


@pytest.mark.parametrize("view", ["letter_new", "talk_new", "referral_new"])
@pytest.mark.parametrize(
    "query",
    ["task=abc", "warning=abc", "letter=1.5", "case=-3", "case=%EF%BC%91", f"task={BIG}", "task=", ""],
)
def test_escalation_form_with_bad_id_is_404(users, login, view, query):
    response = login(users["office"]).get(reverse(f"supervision:{view}") + "?" + query)
    assert response.status_code == 404


def test_escalation_post_with_bad_id_is_404_and_saves_nothing(users, login):
    response = login(users["office"]).post(
        reverse("supervision:letter_new") + "?task=abc", {"reply_deadline": "2026-07-20", "requirements": "x"}
    )
    assert response.status_code == 404
    assert SupervisionLetter.objects.count() == 0


def test_letter_with_bad_date_names_the_field_in_chinese(users, login, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    response = login(users["office"]).post(
        reverse("supervision:letter_new") + f"?task={task.pk}",
        {"reply_deadline": "2026-02-30", "requirements": "请加快整改"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="reply_deadline"' in body and "输入一个有效的日期。" in body
    assert "请加快整改" in body
    assert SupervisionLetter.objects.count() == 0


def test_talk_with_bad_date_names_the_field_in_chinese(users, login, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    response = login(users["office"]).post(
        reverse("supervision:talk_new") + f"?case={case.pk}",
        {"held_on": "昨天", "interviewees": "甲单位负责人", "interviewers": "办公室", "summary": "约谈要求"},
    )
    assert response.status_code == 400
    assert 'data-field="held_on"' in response.content.decode()


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/supervision/?unit=abc", "责任单位：选择一个有效的选项"),
        (f"/supervision/?inspection={BIG}", "督察：选择一个有效的选项"),
        ("/supervision/reports/?kind=yearly", "类型：选择一个有效的选项"),
        ("/supervision/warnings/?level=purple", "预警等级：选择一个有效的选项"),
        ("/supervision/warnings/?state=lost", "处理状态：选择一个有效的选项"),
    ],
)
def test_filter_with_bad_value_shows_a_chinese_error(users, login, url, text):
    response = login(users["office"]).get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "筛选条件有误，未按此筛选：" in body and text in body


@pytest.mark.parametrize("url", ["/supervision/reports/?page=abc", f"/supervision/warnings/?page={BIG}"])
def test_list_with_bad_page_shows_a_page(users, login, url):
    assert login(users["office"]).get(url).status_code == 200


@pytest.mark.parametrize(
    "name", ["supervision:report_detail", "supervision:letter_detail", "supervision:report_pdf"]
)
def test_detail_with_huge_id_is_404(users, login, name):
    assert login(users["office"]).get(reverse(name, args=[int(BIG)])).status_code == 404
