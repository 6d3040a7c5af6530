"""The to-do walk: for every demo user, every 待办 entry on the home page links to a list whose
total is the entry's count; and the home page reads the to-do list in a fixed number of queries."""

import html
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import TransferSheetImport
from org.demo import USERS
from org.enums import Role
from org.models import User
from qianshan.todo import todo_items
from supervision.enums import WarningLevel, WarningState
from supervision.models import EarlyWarning
from tests.factories import CaseFactory, InspectionFactory, TaskFactory, user_with_role

TODO_LINK = re.compile(r'<a href="([^"]*)" data-todo="([^"]*)" data-count="(\d+)"')
LIST_TOTAL = re.compile(r"共 (\d+) (?:件|项|条)")


def walk(client) -> tuple[list[str], list[str]]:
    page = client.get(reverse("home"))
    assert page.status_code == 200
    links = TODO_LINK.findall(page.content.decode())
    wrong = []
    for href, key, count in links:
        listed = client.get(html.unescape(href))
        assert listed.status_code == 200, href
        match = LIST_TOTAL.search(listed.content.decode())
        assert match, f"{key} {href}: no list total"
        if int(match.group(1)) != int(count):
            wrong.append(f"{key} {href}: to-do {count}, list {match.group(1)}")
    return [key for _, key, _ in links], wrong


# What each demo role must be offered (at least these entries).
EXPECTED = {
    Role.UNIT_STAFF: {"cases-open", "tasks-open", "tasks-progress-due", "letters-issued"},
    Role.UNIT_HEAD: {"cases-open", "tasks-open", "tasks-progress-due", "letters-issued"},
    Role.ACCEPTANCE_MEMBER: {"acceptance-sign", "acceptance-due"},
    Role.REVIEW_MEMBER: {"acceptance-sign", "acceptance-due"},
    Role.OFFICE: {"warnings-open", "acceptance-assign", "imports-confirm"},
    Role.ADMIN: {"warnings-open", "acceptance-assign", "imports-confirm"},
    Role.LEADERSHIP: {"cases-overdue", "tasks-overdue", "warnings-red", "letters-issued"},
    Role.DISCIPLINE: {"cases-overdue", "tasks-overdue", "warnings-red", "letters-issued"},
}


@pytest.mark.django_db
def test_every_demo_role_todo_counts_equal_the_lists_they_open(client):
    call_command("seed_demo", stdout=io.StringIO())
    nonzero = 0
    for username, _name, role, _unit in USERS:
        client.force_login(User.objects.get(username=username))
        keys, wrong = walk(client)
        assert EXPECTED[role] <= set(keys), (username, keys)
        assert wrong == [], (username, wrong)
        today = timezone.localdate()
        nonzero += sum(1 for i in todo_items(User.objects.get(username=username), today) if i["count"])
    # The demo gives the walk something to count, not only zeros.
    assert nonzero >= 8


@pytest.mark.django_db
def test_todo_counts_follow_the_status_definitions(client, users, unit_a, unit_b):
    today = timezone.localdate()
    CaseFactory(lead_unit=unit_a, deadline=today - timedelta(days=3))
    CaseFactory(lead_unit=unit_a, deadline=today + timedelta(days=30))
    CaseFactory(lead_unit=unit_b, deadline=today - timedelta(days=3))  # another unit's: not counted
    task = TaskFactory(lead_unit=unit_a, deadline=today - timedelta(days=1))
    EarlyWarning.objects.create(
        task=task,
        unit=unit_a,
        level=WarningLevel.RED,
        state=WarningState.OPEN,
        raised_on=today,
        deadline=task.deadline,
        reason="逾期",
    )
    staff = {i["key"]: i["count"] for i in todo_items(users["staff"], today)}
    assert staff["cases-open"] == 2
    assert staff["tasks-open"] == 1 and staff["tasks-progress-due"] == 1
    TransferSheetImport.objects.create(
        inspection=InspectionFactory(),
        file="imports/2026/11/x.xlsx",
        original_name="第5批交办单.xlsx",
        sha256="0" * 64,
        uploaded_by=users["office"],
    )
    assert {i["key"]: i["count"] for i in todo_items(users["office"], today)}["imports-confirm"] == 1
    leader = {i["key"]: i["count"] for i in todo_items(users["leader"], today)}
    assert leader["cases-overdue"] == 2 and leader["tasks-overdue"] == 1 and leader["warnings-red"] == 1
    for user in users.values():
        client.force_login(user)
        assert walk(client)[1] == []


@pytest.mark.django_db
def test_todo_is_read_in_a_fixed_number_of_queries(users, unit_a):
    today = timezone.localdate()

    def queries_for(user):
        user = User.objects.get(pk=user.pk)  # no cached access
        with CaptureQueriesContext(connection) as ctx:
            todo_items(user, today)
        return len(ctx)

    before = {name: queries_for(u) for name, u in users.items()}
    for n in range(12):
        CaseFactory(lead_unit=unit_a, deadline=today - timedelta(days=n))
        TaskFactory(lead_unit=unit_a, deadline=today + timedelta(days=n))
    after = {name: queries_for(u) for name, u in users.items()}
    assert before == after
    assert max(after.values()) <= 9, after


def test_unit_reviewer_gets_no_unit_entries(db):
    reviewer = user_with_role(Role.REVIEW_MEMBER, username="r_only")
    keys = {i["key"] for i in todo_items(reviewer, timezone.localdate())}
    assert keys == {"acceptance-sign", "acceptance-due"}
