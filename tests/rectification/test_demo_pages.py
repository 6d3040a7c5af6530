import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from rectification.models import Measure, RectificationTask


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_look_back_page_lists_all_25_round1_tasks(demo, users, login):
    response = login(users["office"]).get(reverse("rectification:look_back"))
    assert len(response.context["tasks"]) == 25
    total = Measure.objects.filter(task__inspection__code="C1").count()
    # 30 checked in the look-back round, and R1-24's measure whose later check found a rebound
    assert (response.context["total"], response.context["checked"]) == (total, 31)
    assert response.context["unchecked"] == total - 31


def test_grade_tasks_command_grades_every_task(demo):
    out = io.StringIO()
    call_command("grade_tasks", "--year", "2018", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == RectificationTask.objects.count()
    graded = [r for r in rows if r["grade"]]
    assert len(graded) == RectificationTask.objects.filter(annual_targets__year=2018).count()
    assert {r["grade"] for r in graded} == {"优秀"}
    assert graded[0]["reason"] == "优秀：全部2项措施已完成，年度目标已达到"


def test_public_page_of_filed_demo_task_shows_publicity(demo, client):
    task = RectificationTask.objects.get(number="R1-01")
    html = client.get(reverse("public_tasks:public_task", args=[task.pk])).content.decode()
    assert "2019年1月7日 至 2019年1月13日" in html
    assert "0412-6600001" in html
