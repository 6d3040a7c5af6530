"""Dates that survive: every edit page with a date field, loaded in Chromium and saved unchanged,
keeps every date; every date input on the pages carries an ISO value the browser shows."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import PetitionCase
from rectification.enums import MeasureKind
from rectification.models import Measure, RectificationTask
from tests.factories import MeasureFactory, TaskFactory

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_INPUTS = (
    "() => Array.from(document.querySelectorAll('input[type=date]'))"
    ".map(e => [e.name, e.getAttribute('value'), e.value])"
)


def date_inputs(page) -> list:
    """[name, value attribute, value the browser shows] of every date input; asserts each shows."""
    rows = page.evaluate(DATE_INPUTS)
    for name, attr, shown in rows:
        if attr:  # a non-ISO value is dropped by the browser: shown would be ""
            assert ISO.match(attr) and shown == attr, (page.url, name, attr, shown)
    return rows


def shown(page, selector) -> str:
    return page.locator(selector).input_value()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_edit_page_saved_unchanged_keeps_its_dates(
    letter_unfilled, users, unit_a, browser_login, screenshot
):
    from .conftest import fill_review

    review = fill_review(letter_unfilled, users["office"])
    case = PetitionCase.objects.get(pk=review.step.case_id)
    today = timezone.localdate()
    task = TaskFactory(lead_unit=unit_a, deadline=date(2026, 11, 20))
    measure = MeasureFactory(
        task=task,
        kind=MeasureKind.ENGINEERING,
        works_finished_on=today - timedelta(days=5),
        acceptance_on=today - timedelta(days=2),
    )
    page = browser_login(users["office"].username)
    base = page.base_url

    # 复核责任书 (open, unsigned): the two dates show and survive a save.
    page.goto(f"{base}/acceptance/forms/{review.pk}/")
    assert shown(page, "#id_accepted_on") == "2024-09-30" and shown(page, "#id_reviewed_on") == "2024-10-09"
    date_inputs(page)
    screenshot("dates-review-letter")
    page.click("[data-testid=save]")
    page.wait_for_selector("text=表单已保存。")
    review.refresh_from_db()
    assert (review.accepted_on, review.reviewed_on) == (date(2024, 9, 30), date(2024, 10, 9))
    assert shown(page, "#id_reviewed_on") == "2024-10-09"

    # Case edit: 交办日期 and 整改时限.
    page.goto(f"{base}/cases/{case.pk}/edit/")
    rows = date_inputs(page)
    assert {name for name, _a, _s in rows} >= {"transferred_on", "deadline"}
    before = (case.transferred_on, case.deadline)
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda url: "/edit/" not in url)
    case.refresh_from_db()
    assert (case.transferred_on, case.deadline) == before

    # Task edit: 整改时限.
    page.goto(f"{base}/tasks/{task.pk}/edit/")
    assert shown(page, "#id_deadline") == "2026-11-20"
    date_inputs(page)
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda url: "/edit/" not in url)
    assert RectificationTask.objects.get(pk=task.pk).deadline == date(2026, 11, 20)

    # Measure completion: the stored evidence dates show and are saved as they were.
    page.goto(f"{base}/tasks/measures/{measure.pk}/complete/")
    assert shown(page, "#id_works_finished_on") == (today - timedelta(days=5)).isoformat()
    date_inputs(page)
    page.fill("#id_acceptance_document", "竣工验收报告")
    page.fill("#id_done_on", today.isoformat())
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda url: "/complete/" not in url)
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.works_finished_on, measure.acceptance_on, measure.done) == (
        today - timedelta(days=5),
        today - timedelta(days=2),
        True,
    )

    # The chain page's apply/decide forms, the case's progress form, supervision and scoring pages.
    for url in (
        f"/acceptance/cases/{case.pk}/",
        f"/cases/{case.pk}/",
        f"/supervision/letters/new/?case={case.pk}",
        f"/supervision/talks/new/?task={task.pk}",
        f"/supervision/referrals/new/?case={case.pk}",
        "/scoring/",
    ):
        page.goto(base + url)
        date_inputs(page)
    page.goto(f"{base}/supervision/talks/new/?task={task.pk}")
    assert shown(page, "#id_held_on") == today.isoformat()
