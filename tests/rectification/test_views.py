import hashlib
import html
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from org.enums import Role
from rectification.enums import LookBackResult, MeasureKind, TaskStatus
from rectification.models import AnnualTarget, Attachment, LookBackCheck, ProgressReport
from tests.factories import (
    InspectionFactory,
    MeasureFactory,
    MilestoneFactory,
    TaskFactory,
    UnitFactory,
    user_with_role,
)
from tests.pdf import pdf_fonts, pdf_text

TODAY = timezone.localdate


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def make_tasks(unit, n, **kw):
    tasks = []
    for _ in range(n):
        task = TaskFactory(lead_unit=unit, **kw)
        measure = MeasureFactory(task=task)
        MilestoneFactory(measure=measure, due=TODAY() - timedelta(days=3))
        tasks.append(task)
    return tasks


@pytest.mark.parametrize("n", [1, 8])
def test_task_list_query_count_constant(n, users, unit_a, login, django_assert_num_queries):
    make_tasks(unit_a, n)
    client = login(users["office"])
    # session, user, roles, count, page, coop units, measures, milestones, annual targets,
    # unread notifications; the filter's inspection and unit choices come from the cache
    # (qianshan/common/choices.py), filled by the first view;
    # +1: the meetings that approved the task lists (oversight's approval line)
    client.get(reverse("rectification:list"))
    with django_assert_num_queries(11):
        response = client.get(reverse("rectification:list"))
    assert response.status_code == 200
    assert len(response.context["tasks"]) == n


def test_task_list_shows_schedule_colours(users, unit_a, login):
    behind = make_tasks(unit_a, 1)[0]
    overdue = TaskFactory(lead_unit=unit_a, deadline=TODAY() - timedelta(days=1))
    MeasureFactory(task=overdue, deadline=TODAY() - timedelta(days=1))
    soon = TaskFactory(lead_unit=unit_a, deadline=TODAY() + timedelta(days=3))
    MeasureFactory(task=soon)
    html = login(users["staff"]).get(reverse("rectification:list")).content.decode()
    assert f'<span class="tag tag-yellow" data-testid="schedule-{behind.number}">滞后序时</span>' in html
    assert f'<span class="tag tag-red" data-testid="schedule-{overdue.number}">逾期</span>' in html
    assert f'<span class="tag tag-blue" data-testid="schedule-{soon.number}">即将到期</span>' in html


def test_task_list_stale_filter_lists_tasks_without_recent_report(users, unit_a, login):
    fresh, old, never = make_tasks(unit_a, 3)
    ProgressReport.objects.create(task=fresh, reported_on=TODAY() - timedelta(days=7), text="x", percent=10)
    ProgressReport.objects.create(task=old, reported_on=TODAY() - timedelta(days=8), text="x", percent=10)
    response = login(users["office"]).get(reverse("rectification:list") + "?stale=1")
    assert [t.number for t in response.context["tasks"]] == sorted([old.number, never.number])


def test_task_list_unit_staff_sees_only_own_unit(users, unit_a, unit_b, login):
    make_tasks(unit_a, 1)
    other = make_tasks(unit_b, 1)[0]
    response = login(users["staff"]).get(reverse("rectification:list"))
    assert other.number not in response.content.decode()
    assert response.context["total"] == 1


def test_detail_of_other_unit_task_by_guessed_id_is_404(users, unit_b, login):
    other = make_tasks(unit_b, 1)[0]
    client = login(users["staff"])
    assert client.get(reverse("rectification:detail", args=[other.pk])).status_code == 404
    measure = other.measures.get()
    assert client.get(reverse("rectification:measure_complete", args=[measure.pk])).status_code == 404
    assert client.get(reverse("rectification:progress", args=[other.pk])).status_code == 404


def test_progress_report_with_photo_saved_reencoded(users, unit_a, login):
    task = make_tasks(unit_a, 1)[0]
    photo = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    response = login(users["staff"]).post(
        reverse("rectification:progress", args=[task.pk]),
        {"reported_on": TODAY().isoformat(), "percent": "40", "text": "主体完工", "files": [photo]},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.percent, report.text, report.reported_by) == (40, "主体完工", users["staff"])
    attachment = report.attachments.get()
    assert (attachment.kind, attachment.original_name) == ("image", "现场.png")
    with Image.open(attachment.file.path) as image:
        assert image.size == (40, 30)
    stored = attachment.file.open("rb").read()
    assert (attachment.sha256, attachment.size) == (hashlib.sha256(stored).hexdigest(), len(stored))


def test_progress_report_truncated_pdf_and_word_file_refused(users, unit_a, login):
    task = make_tasks(unit_a, 1)[0]
    client = login(users["staff"])
    url = reverse("rectification:progress", args=[task.pk])
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", "<x/>")
    for upload, message in (
        (SimpleUploadedFile("方案.pdf", b"%PDF-1.4 cut off"), "文件“方案.pdf”不是完整的 PDF 文件。"),
        (
            SimpleUploadedFile("方案.docx", docx.getvalue()),
            "文件“方案.docx”的格式不受支持：请上传图片（JPG/PNG）或 PDF 文件。",
        ),
    ):
        response = client.post(
            url, {"reported_on": TODAY().isoformat(), "percent": "5", "text": "x", "files": [upload]}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert ProgressReport.objects.count() == Attachment.objects.count() == 0


def test_progress_report_fake_image_refused(users, unit_a, login):
    task = make_tasks(unit_a, 1)[0]
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = login(users["staff"]).post(
        reverse("rectification:progress", args=[task.pk]),
        {"reported_on": TODAY().isoformat(), "percent": "40", "text": "x", "files": [fake]},
    )
    assert response.status_code == 200
    assert "文件“photo.jpg”的格式不受支持：请上传图片（JPG/PNG）或 PDF 文件。" in response.content.decode()
    assert ProgressReport.objects.count() == Attachment.objects.count() == 0


def test_attachment_of_other_unit_is_404(users, unit_a, unit_b, login):
    task = make_tasks(unit_b, 1)[0]
    login(users["staff_b"]).post(
        reverse("rectification:progress", args=[task.pk]),
        {
            "reported_on": TODAY().isoformat(),
            "percent": "1",
            "text": "x",
            "files": [SimpleUploadedFile("a.png", png_bytes())],
        },
    )
    attachment = Attachment.objects.get()
    assert (
        login(users["staff"]).get(reverse("rectification:attachment", args=[attachment.pk])).status_code
        == 404
    )
    assert (
        login(users["staff_b"]).get(reverse("rectification:attachment", args=[attachment.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("n", [1, 6])
def test_plan_page_query_count_constant(n, users, unit_a, login, django_assert_num_queries):
    make_tasks(unit_a, n)
    client = login(users["staff"])
    # session, user, roles with the units tree, unit, tasks, measures, milestones, annual targets,
    # notifications
    with django_assert_num_queries(9):
        response = client.get(reverse("rectification:plan") + f"?unit={unit_a.pk}")
    assert response.status_code == 200
    assert len(response.context["tasks"]) == n


def test_plan_of_other_unit_is_404_for_unit_staff(users, unit_b, login):
    assert login(users["staff"]).get(reverse("rectification:plan") + f"?unit={unit_b.pk}").status_code == 404


@pytest.mark.parametrize("role", ["acceptor", "reviewer"])
def test_plan_index_lists_no_unit_for_review_roles(role, users, unit_a, unit_b, login):
    make_tasks(unit_a, 1)
    make_tasks(unit_b, 1)
    client = login(users[role])
    response = client.get(reverse("rectification:plan"))
    assert response.status_code == 200
    assert list(response.context["units"]) == []
    assert "?unit=" not in response.content.decode()
    assert "没有您可查看的单位整改任务书" in response.content.decode()
    assert client.get(reverse("rectification:plan") + f"?unit={unit_a.pk}").status_code == 404


def test_plan_index_every_link_opens_for_leadership(users, unit_a, unit_b, login):
    make_tasks(unit_a, 1)
    make_tasks(unit_b, 1)
    client = login(users["leader"])
    response = client.get(reverse("rectification:plan"))
    assert [u.pk for u in response.context["units"]] == sorted([unit_a.pk, unit_b.pk])
    for unit in response.context["units"]:
        assert client.get(reverse("rectification:plan") + f"?unit={unit.pk}").status_code == 200


def test_plan_pdf_embeds_cjk_font_and_title(users, unit_a, login, tmp_path):
    make_tasks(unit_a, 2)
    response = login(users["staff"]).get(reverse("rectification:plan_pdf", args=[unit_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    fonts = pdf_fonts(path)
    cjk = [line.split() for line in fonts.splitlines()[2:] if "Noto-Sans-CJK-SC" in line]
    assert cjk
    assert all(columns[-5] == "yes" for columns in cjk)  # the "emb" column: really embedded
    text = pdf_text(path)
    assert "甲单位督察整改任务书" in text
    assert "时间表" in text


def test_public_task_page_without_login(client, unit_a):
    task = TaskFactory(
        lead_unit=unit_a, status=TaskStatus.PUBLICIZED, contact_phone="0412-6600001", target="水质达标"
    )
    MeasureFactory(task=task, content="建设污水管网", done=True, done_on=date(2021, 9, 1))
    html = client.get(reverse("public_tasks:public_task", args=[task.pk])).content.decode()
    for label in ("整改任务", "整改目标", "整改措施", "整改完成情况", "公示时间", "联系电话"):
        assert f"<th>{label}</th>" in html
    assert "0412-6600001" in html and "建设污水管网" in html and "已完成（2021年9月1日）" in html


def test_public_task_page_of_unpublicized_task_is_404(client, unit_a):
    task = TaskFactory(lead_unit=unit_a)
    assert client.get(reverse("public_tasks:public_task", args=[task.pk])).status_code == 404


def test_grades_page_lists_grade_per_unit(users, login):
    unit = UnitFactory(name="丙单位")
    task = TaskFactory(lead_unit=unit, number="R1-07")
    task.annual_targets.create(year=2021, target="t", reached=True)
    measure = MeasureFactory(task=task, kind=MeasureKind.POLICY, deadline=date(2022, 6, 30))
    MilestoneFactory(measure=measure, due=date(2021, 6, 30), done_on=date(2021, 7, 2))
    html = login(users["office"]).get(reverse("rectification:grades") + "?year=2021").content.decode()
    assert '<td data-testid="grade-R1-07"><strong>合格</strong></td>' in html
    assert "合格：措施" in html and "时间节点2021-06-30于2021-07-02完成" in html


# --- the accepting unit (验收单位): reads the task and takes the accept step, nothing else -------------


@pytest.fixture
def task_to_accept(unit_a, unit_b):
    """A complete task of unit A that unit B must accept."""
    task = TaskFactory(lead_unit=unit_a, accepting_unit=unit_b, status=TaskStatus.COMPLETE)
    MeasureFactory(task=task, done=True, done_on=TODAY())
    return task


def test_accepting_unit_staff_sees_and_accepts_a_complete_task(users, task_to_accept, login):
    client = login(users["staff_b"])
    listed = client.get(reverse("rectification:list"))
    assert [t.number for t in listed.context["tasks"]] == [task_to_accept.number]
    detail = client.get(reverse("rectification:detail", args=[task_to_accept.pk]))
    steps = [(a.target, a.label, a.problem) for a in detail.context["next"].actions if a.kind == "step"]
    assert (detail.context["can_edit"], steps) == (False, [("accept", "验收", "")])
    response = client.post(
        reverse("rectification:step", args=[task_to_accept.pk, "accept"]), {"note": "现场验收合格"}
    )
    assert response.status_code == 302
    task_to_accept.refresh_from_db()
    assert task_to_accept.status == TaskStatus.ACCEPTED
    step = task_to_accept.steps.get()
    assert (step.step, step.actor, step.note) == ("accept", users["staff_b"], "现场验收合格")


def test_accepting_unit_staff_cannot_edit_report_or_complete(users, task_to_accept, login):
    target = AnnualTarget.objects.create(task=task_to_accept, year=TODAY().year, target="达标")
    measure = task_to_accept.measures.get()
    client = login(users["staff_b"])
    for url in (
        reverse("rectification:edit", args=[task_to_accept.pk]),
        reverse("rectification:progress", args=[task_to_accept.pk]),
        reverse("rectification:measure_complete", args=[measure.pk]),
        reverse("rectification:target", args=[task_to_accept.pk, target.pk]),
    ):
        assert client.get(url).status_code == 403, url
    task_to_accept.status = TaskStatus.IN_PROGRESS
    task_to_accept.save()
    client.post(reverse("rectification:step", args=[task_to_accept.pk, "complete"]))
    task_to_accept.refresh_from_db()
    assert (task_to_accept.status, task_to_accept.steps.count()) == (TaskStatus.IN_PROGRESS, 0)


def test_other_units_staff_gets_404_for_a_task_to_accept(users, task_to_accept, login):
    outsider = user_with_role(Role.UNIT_STAFF, UnitFactory(name="丙单位"), username="staff_c_u")
    client = login(outsider)
    assert client.get(reverse("rectification:detail", args=[task_to_accept.pk])).status_code == 404
    response = client.post(reverse("rectification:step", args=[task_to_accept.pk, "accept"]))
    assert response.status_code == 404
    task_to_accept.refresh_from_db()
    assert (task_to_accept.status, task_to_accept.steps.count()) == (TaskStatus.COMPLETE, 0)
    assert client.get(reverse("rectification:list")).context["total"] == 0


# --- query-count guards: the same count for 1 and many tasks ------------------------------------------


def rich_tasks(unit, n, inspection=None, year=None):
    """n tasks with two cooperating units, supervising/accepting units, two measures with milestones,
    a look-back check each and (with ``year``) an assessed annual target."""
    helpers = [UnitFactory(), UnitFactory()]
    tasks = []
    for _ in range(n):
        kw = {"inspection": inspection} if inspection else {}
        task = TaskFactory(
            lead_unit=unit,
            supervising_unit=helpers[0],
            accepting_unit=helpers[1],
            cooperating_units=helpers,
            **kw,
        )
        for seq in (1, 2):
            measure = MeasureFactory(task=task, seq=seq, responsible_unit=helpers[0])
            MilestoneFactory(measure=measure, due=TODAY() - timedelta(days=3))
            MilestoneFactory(measure=measure, due=TODAY() + timedelta(days=30))
            LookBackCheck.objects.create(
                measure=measure, checked_on=TODAY(), inspector="张检查", result=LookBackResult.HOLDS
            )
        if year:
            AnnualTarget.objects.create(task=task, year=year, target="达标", reached=True, evidence="报告")
        tasks.append(task)
    return tasks


@pytest.mark.parametrize("n", [1, 7])
def test_task_export_query_count_constant(n, users, unit_a, login, django_assert_num_queries):
    rich_tasks(unit_a, n)
    client = login(users["staff"])
    # session, user, roles with the units tree, the count that decides direct download vs
    # background job, tasks (+ lead/supervising/accepting units), cooperating units, annual targets
    # (for the grade column), measures (+ responsible unit), milestones
    with django_assert_num_queries(9):
        response = client.get(reverse("rectification:export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 * n


@pytest.mark.parametrize("n", [1, 7])
def test_look_back_page_query_count_constant(n, users, unit_a, login, django_assert_num_queries):
    round1 = InspectionFactory(code="C1", round=1, is_look_back=False)
    rich_tasks(unit_a, n, inspection=round1)
    client = login(users["office"])
    # session, user, roles, inspection, tasks, measures, look-back checks, unread notifications
    with django_assert_num_queries(8):
        response = client.get(reverse("rectification:look_back"))
    assert (len(response.context["tasks"]), response.context["checked"]) == (n, 2 * n)


@pytest.mark.parametrize("n", [1, 7])
def test_grades_page_query_count_constant(n, users, unit_a, login, django_assert_num_queries):
    rich_tasks(unit_a, n, year=TODAY().year)
    client = login(users["staff"])
    # session, user, roles with the units tree, tasks (+ lead unit), measures, milestones, annual
    # targets, unread notifications
    with django_assert_num_queries(8):
        response = client.get(reverse("rectification:grades") + f"?year={TODAY().year}")
    [(unit, tasks)] = response.context["units"].items()
    assert (unit, len(tasks)) == (unit_a, n)


# --- stale-edit guard --------------------------------------------------------------------------------


def edit_form_data(client, task) -> dict:
    """What the edit page's form would post unchanged, including its hidden loaded_at as rendered."""
    response = client.get(reverse("rectification:edit", args=[task.pk]))
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if name != "loaded_at"}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    [loaded_at] = re.findall(r'name="loaded_at" value="([^"]+)"', response.content.decode())
    data["loaded_at"] = html.unescape(loaded_at)
    return data


def test_task_edit_second_save_of_a_stale_form_is_refused(users, unit_a, login, client):
    task = make_tasks(unit_a, 1)[0]
    first = edit_form_data(login(users["staff"]), task)
    second = edit_form_data(login(users["head"]), task)
    response = login(users["staff"]).post(
        reverse("rectification:edit", args=[task.pk]), {**first, "responsible_person": "张三"}
    )
    assert response.status_code == 302
    response = login(users["head"]).post(
        reverse("rectification:edit", args=[task.pk]), {**second, "responsible_person": "李四"}
    )
    assert response.status_code == 200
    assert "整改任务已被他人修改，请刷新页面查看最新内容后再保存。" in response.content.decode()
    task.refresh_from_db()
    assert task.responsible_person == "张三"
    assert [h.responsible_person for h in task.history.all()] == ["张三", "测试责任人"]
    # Reloading the form gives a fresh token and the save goes through.
    third = edit_form_data(login(users["head"]), task)
    response = login(users["head"]).post(
        reverse("rectification:edit", args=[task.pk]), {**third, "responsible_person": "李四"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.responsible_person == "李四"


def test_task_edit_form_disables_unit_fields_for_unit_staff_and_ignores_a_posted_unit(
    users, unit_a, unit_b, login
):
    task = make_tasks(unit_a, 1)[0]
    client = login(users["staff"])
    form = client.get(reverse("rectification:edit", args=[task.pk])).context["form"]
    names = ("lead_unit", "cooperating_units", "supervising_unit", "accepting_unit")
    assert [form.fields[n].disabled for n in names] == [True, True, True, True]
    data = edit_form_data(client, task)
    data.update(
        lead_unit=unit_b.pk,
        cooperating_units=[unit_b.pk],
        supervising_unit=unit_b.pk,
        accepting_unit=unit_b.pk,
        responsible_person="张三",
    )
    assert client.post(reverse("rectification:edit", args=[task.pk]), data).status_code == 302
    task.refresh_from_db()
    assert (task.lead_unit_id, task.supervising_unit_id, task.accepting_unit_id) == (unit_a.pk, None, None)
    assert (list(task.cooperating_units.all()), task.responsible_person) == ([], "张三")


def test_task_edit_form_lets_the_office_assign_units(users, unit_a, unit_b, login):
    task = make_tasks(unit_a, 1)[0]
    client = login(users["office"])
    data = edit_form_data(client, task)
    assert (
        not client.get(reverse("rectification:edit", args=[task.pk]))
        .context["form"]
        .fields["lead_unit"]
        .disabled
    )
    data.update(lead_unit=unit_b.pk, accepting_unit=unit_a.pk)
    assert client.post(reverse("rectification:edit", args=[task.pk]), data).status_code == 302
    task.refresh_from_db()
    assert (task.lead_unit_id, task.accepting_unit_id) == (unit_b.pk, unit_a.pk)


def test_progress_line_without_reporter_has_no_empty_separator(users, unit_a, login):
    task = make_tasks(unit_a, 1)[0]
    measure = task.measures.get()
    ProgressReport.objects.create(task=task, reported_on=date(2026, 11, 16), text="无人署名", percent=40)
    ProgressReport.objects.create(
        task=task,
        measure=measure,
        reported_on=date(2026, 11, 17),
        text="有人署名",
        percent=50,
        reported_by=users["staff"],
    )
    page = login(users["staff"]).get(reverse("rectification:detail", args=[task.pk])).content.decode()
    whens = [re.sub(r"\s+", " ", w).strip() for w in re.findall(r'<div class="when">(.*?)</div>', page, re.S)]
    assert "2026-11-16 · 完成 40%" in whens
    assert f"2026-11-17 · {users['staff']} · 措施{measure.seq} · 完成 50%" in whens
    assert "· ·" not in page
