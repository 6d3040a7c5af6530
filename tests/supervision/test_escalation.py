"""Supervision letters (numbering, PDF, reply), talks and referrals, and who may do them."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from cases.domain.errors import DomainError
from qianshan.common.pdf import render_pdf
from supervision.domain.escalation import issue_letter, record_talk, refer_clue, reply_letter
from supervision.domain.warnings import sweep_warnings
from supervision.enums import LetterState, WarningState
from supervision.models import EarlyWarning, LetterCounter, SupervisionLetter
from tests.factories import CaseFactory, TaskFactory
from tests.pdf import pdf_fonts, pdf_text

TODAY = date(2026, 7, 8)


@pytest.mark.django_db
def test_letters_are_numbered_per_year_without_gaps(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    office = users["office"]
    numbers = [
        issue_letter(actor=office, case=case, requirements="加快整改", today=TODAY).number,
        issue_letter(actor=office, case=case, requirements="加快整改", today=TODAY).number,
        issue_letter(actor=office, case=case, requirements="加快整改", today=date(2027, 1, 2)).number,
    ]
    assert numbers == ["千山督改函〔2026〕1号", "千山督改函〔2026〕2号", "千山督改函〔2027〕1号"]


@pytest.mark.django_db
def test_refused_letter_gives_its_number_back(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    issue_letter(actor=users["office"], case=case, requirements="加快整改", today=TODAY)
    with pytest.raises(DomainError, match="回复时限不能早于发函日期"):
        issue_letter(
            actor=users["office"], case=case, requirements="x", today=TODAY, reply_deadline=date(2026, 7, 1)
        )
    letter = issue_letter(actor=users["office"], case=case, requirements="加快整改", today=TODAY)
    assert letter.serial == 2
    assert LetterCounter.objects.get(year=2026).last_serial == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_get_consecutive_numbers(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    errors = []

    def issue():
        try:
            issue_letter(actor=users["office"], case=case, requirements="加快整改", today=TODAY)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(SupervisionLetter.objects.values_list("serial", flat=True)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_unit_staff_cannot_issue_letter(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    with pytest.raises(DomainError, match="只有协调组办公室"):
        issue_letter(actor=users["staff"], case=case, requirements="x", today=TODAY)


@pytest.mark.django_db
def test_letter_from_warning_escalates_it_and_unit_reply_closes_letter(users, unit_a, unit_b):
    task = TaskFactory(lead_unit=unit_a, deadline=date(2026, 6, 30), number="R2-07")
    [warning] = sweep_warnings(today=TODAY)
    letter = issue_letter(actor=users["office"], warning=warning, requirements="请加快整改", today=TODAY)
    warning.refresh_from_db()
    assert warning.state == WarningState.ESCALATED
    latest = warning.history.order_by("-history_date", "-history_id").first()
    assert (latest.state, latest.history_user, latest.history_change_reason) == (
        WarningState.ESCALATED,
        users["office"],
        f"发出督办函 {letter.number}",
    )
    assert letter.task_id == task.pk and letter.unit_id == unit_a.pk
    assert "整改任务：R2-07" in letter.facts
    assert "预警情况：红色预警，已超过整改时限8天仍未完成（2026-07-08）" in letter.facts
    with pytest.raises(DomainError, match="只有被督办事项的责任单位"):
        reply_letter(letter, actor=users["staff_b"], reply="已整改")
    reply_letter(letter, actor=users["staff"], reply="已制定整改方案，正在推进")
    letter.refresh_from_db()
    assert (letter.state, letter.reply, letter.replied_by) == (
        LetterState.REPLIED,
        "已制定整改方案，正在推进",
        users["staff"],
    )
    with pytest.raises(DomainError, match="已回复办结"):
        reply_letter(letter, actor=users["staff"], reply="再次回复")


@pytest.mark.django_db
def test_letter_pdf_embeds_cjk_font_and_extractable_text(users, unit_a, tmp_path):
    case = CaseFactory(lead_unit=unit_a, receipt_no="D2LN2021071600099")
    letter = issue_letter(actor=users["office"], case=case, requirements="请限期整改到位", today=TODAY)
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_pdf("pdf/supervision_letter.html", {"letter": letter}))
    text = pdf_text(path)
    assert "督 办 函" in text
    assert "千山督改函〔2026〕1号" in text
    assert "受理编号 D2LN2021071600099" in text
    assert "请于 2026年7月15日 前" in text
    fonts = pdf_fonts(path)
    assert "Noto-Sans-CJK-SC" in fonts and " yes yes yes " in fonts


def _letter_talk_referral(office, case, *, public: bool, summary: str, facts: str):
    """A letter on ``case``, then an admonition talk and a clue referral after it."""
    letter = issue_letter(actor=office, case=case, requirements="加快整改", today=TODAY)
    record_talk(
        actor=office,
        letter=letter,
        held_on=date(2026, 7, 20),
        is_public=public,
        interviewees="甲单位主要负责人",
        interviewers="协调组组长",
        summary=summary,
    )
    refer_clue(actor=office, letter=letter, referred_on=date(2026, 8, 1), facts=facts)
    return letter


@pytest.mark.django_db
def test_case_page_with_every_escalation_step_stays_within_the_query_goal(
    users, unit_a, login, django_assert_num_queries
):
    """The escalation card reads which of the four steps a case has in one query, then each step it
    has: a case without any is 16 queries (tests/cases/test_history_timeline.py), one with all four
    is 20 — issue 12's goal for the case page, whatever the case holds."""
    case = CaseFactory(lead_unit=unit_a)
    EarlyWarning.objects.create(
        case=case, unit=unit_a, level="red", deadline=date(2026, 7, 1), raised_on=TODAY, reason="逾期未办结"
    )
    _letter_talk_referral(users["office"], case, public=False, summary="限期整改", facts="整改不力")
    client = login(users["staff"])
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)  # the first view fills the cache of unit and type names
    with django_assert_num_queries(20):
        page = client.get(url).content.decode()
    for shown in ("红色预警", "千山督改函〔2026〕1号", "甲单位主要负责人", "整改不力"):
        assert shown in page


@pytest.mark.django_db
def test_talk_and_referral_appear_in_item_escalation_history(users, unit_a, login):
    case = CaseFactory(lead_unit=unit_a)
    _letter_talk_referral(
        users["office"], case, public=True, summary="限期十日整改到位", facts="整改不力，敷衍整改"
    )
    page = login(users["staff"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "千山督改函〔2026〕1号" in page
    assert "公开约谈" in page and "甲单位主要负责人" in page
    assert "移送问题线索" in page and "千山风景区纪工委" in page


@pytest.mark.django_db
def test_item_escalation_page_of_other_units_case_is_404(users, unit_b, login):
    case = CaseFactory(lead_unit=unit_b)
    response = login(users["staff"]).get(reverse("supervision:item", args=["case", case.pk]))
    assert response.status_code == 404
    letter = issue_letter(actor=users["office"], case=case, requirements="加快整改", today=TODAY)
    assert (
        login(users["staff"]).get(reverse("supervision:letter_detail", args=[letter.pk])).status_code == 404
    )
    assert login(users["staff"]).get(reverse("supervision:letter_pdf", args=[letter.pk])).status_code == 404


@pytest.mark.django_db
def test_letter_form_issues_letter_and_unit_user_cannot_open_it(users, unit_a, login):
    case = CaseFactory(lead_unit=unit_a)
    url = reverse("supervision:letter_new") + f"?case={case.pk}"
    assert login(users["staff"]).get(url).status_code == 404
    client = login(users["office"])
    response = client.post(url, {"reply_deadline": "2000-01-01", "requirements": "加快"})
    assert "回复时限不能早于发函日期" in response.content.decode()
    assert SupervisionLetter.objects.count() == 0
    response = client.post(url, {"reply_deadline": "2099-01-01", "requirements": "加快"})
    assert response.status_code == 302
    assert SupervisionLetter.objects.get().requirements == "加快"
