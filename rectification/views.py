from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.domain.errors import DomainError
from notifications.domain.background import start_job
from org.models import Inspection, Unit
from org.permissions import access_of, can_change_units
from qianshan.common.errors import show_refusal
from qianshan.common.excel import xlsx_response
from qianshan.common.history import history_of
from qianshan.common.listing import fast_selects, paginate, query_without_page
from qianshan.common.pdf import pdf_response
from qianshan.common.uploads import open_stored

from .domain import queries
from .domain.imports import ImportErrors, import_task_list, read_task_rows
from .domain.next_step import next_step
from .domain.queries import for_list, tasks_visible_to
from .domain.services import (
    advance_task,
    complete_measure,
    mark_annual_target,
    publicity_ends_on,
    publicity_started_on,
    record_look_back,
    report_progress,
    update_task,
)
from .enums import TaskStatus, TaskStep
from .exporters import task_list_sheet
from .filters import TaskFilter
from .forms import (
    AnnualTargetForm,
    ImportForm,
    LookBackForm,
    MeasureCompleteForm,
    ProgressForm,
    StepForm,
    TaskForm,
)
from .jobs import store_upload, task_export_queryset
from .models import Attachment, LookBackCheck, Measure, RectificationTask
from .sorting import task_sorting

STALE_DAYS = settings.NO_PROGRESS_DAYS  # the daily dispatch's 无进展 links to ?stale=1
PUBLIC_STATES = (TaskStatus.PUBLICIZED, TaskStatus.CLOSED, TaskStatus.FILED)


@login_required
def task_list(request):
    today = timezone.localdate()
    task_filter = TaskFilter(request.GET, queryset=tasks_visible_to(request.user))
    qs = queries.with_latest_progress(for_list(task_filter.qs))
    stale = request.GET.get("stale") == "1"
    if stale:
        qs = queries.tasks_without_progress_since(qs, today - timedelta(days=STALE_DAYS))
    sorting = task_sorting(request.GET)
    fast_selects(task_filter.form)
    page = paginate(request.GET, sorting.apply(qs), 50)
    tasks = [queries.annotate_task(task, today) for task in page.object_list]
    return render(
        request,
        "rectification/list.html",
        {
            "filter": task_filter,
            "page": page,
            "sorting": sorting,
            "tasks": tasks,
            "total": page.paginator.count,
            "query": query_without_page(request.GET),
            "stale": stale,
            "stale_since": today - timedelta(days=STALE_DAYS),
            "is_office": access_of(request.user).writes_all,
        },
    )


@login_required
def task_export(request):
    """The filtered task list as a workbook; a big one (or 后台导出) becomes a background job."""
    query = request.POST if request.method == "POST" else request.GET
    params = {"query": query_without_page(query)}
    qs = task_export_queryset(request.user, QueryDict(params["query"]))
    if request.method != "POST" and qs.count() < settings.JOB_DIRECT_MAX_ROWS:
        return xlsx_response("整改清单.xlsx", [task_list_sheet(qs)])
    job, _created = start_job("task_list", owner=request.user, params=params, filename="整改清单.xlsx")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def task_import(request):
    if not access_of(request.user).writes_all:
        return render(request, "403.html", {"message": "只有协调组办公室可以导入整改清单。"}, status=403)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = errors = None
    if request.method == "POST" and form.is_valid():
        inspection, upload = form.cleaned_data["inspection"], form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = read_task_rows(data)
            if len(rows) >= settings.JOB_DIRECT_MAX_IMPORT_ROWS:  # a big file: saved by a worker
                params = {
                    "inspection": inspection.pk,
                    "upload": store_upload(data, owner=request.user),
                    "original_name": upload.name[-100:],
                }
                job, _created = start_job("task_import", owner=request.user, params=params)
                return redirect("jobs:detail", pk=job.pk)
            result = import_task_list(data, inspection=inspection, actor=request.user, rows=rows)
        except ImportErrors as refused:
            errors = refused.errors
    return render(request, "rectification/import.html", {"form": form, "result": result, "errors": errors})


def _visible_task(request, pk):
    return get_object_or_404(for_list(tasks_visible_to(request.user)), pk=pk)


def _visible_measure(request, pk):
    return get_object_or_404(
        Measure.objects.select_related("task").filter(task__in=tasks_visible_to(request.user)), pk=pk
    )


@login_required
def task_detail(request, pk):
    today = timezone.localdate()
    task = _visible_task(request, pk)
    queries.annotate_task(task, today)
    measures = list(
        task.measures.select_related("responsible_unit").prefetch_related(
            "milestones",
            "evidence_files",
            Prefetch("look_back_checks", queryset=LookBackCheck.objects.order_by("-checked_on", "-id")),
        )
    )
    for measure in measures:
        measure.schedule_status = queries.schedule_of_measure(measure, today)
        measure.warning, measure.warning_colour = queries.warning_of(
            measure.schedule_status, measure.deadline, today
        )
    reports = task.progress_reports.select_related("measure", "reported_by").prefetch_related("attachments")
    years = sorted({t.year for t in task.annual_targets.all()})
    grades = [(year, queries.grade_of(task, year, today=today)) for year in years]
    steps = list(task.steps.select_related("actor"))
    access = access_of(request.user)
    return render(
        request,
        "rectification/detail.html",
        {
            "task": task,
            "measures": measures,
            "reports": reports,
            "grades": grades,
            "steps": steps,
            "targets": task.annual_targets.all(),
            "history": history_of(task, page=request.GET.get("history_page")),
            "can_edit": can_change_units(request.user, task.unit_ids),
            "is_office": access.writes_all,
            "next": next_step(task, request.user, today),
            "publicity_ends": publicity_ends_on(task),
            "step_form": StepForm(),
        },
    )


@login_required
def task_edit(request, pk):
    task = _visible_task(request, pk)
    if not can_change_units(request.user, task.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此任务，不能修改。"}, status=403)
    form = TaskForm(request.POST or None, instance=task, assigns_units=access_of(request.user).writes_all)
    if request.method == "POST" and form.is_valid():
        values, m2m, loaded_at = form.split()
        try:
            update_task(task, actor=request.user, values=values, m2m=m2m, expected_updated_at=loaded_at)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "整改任务已保存。")
            return redirect("rectification:detail", pk=task.pk)
    return render(request, "rectification/edit.html", {"task": task, "form": form})


def _form_error(form, exc: DomainError):
    show_refusal(form, exc)


@login_required
def measure_complete(request, pk):
    measure = _visible_measure(request, pk)
    task = measure.task
    if not can_change_units(request.user, task.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此措施，不能修改。"}, status=403)
    form = MeasureCompleteForm(request.POST or None, request.FILES or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            complete_measure(
                measure,
                actor=request.user,
                evidence=form.evidence(),
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
                is_temporary=form.cleaned_data["is_temporary"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"措施{measure.seq}已标记完成。")
            return redirect("rectification:detail", pk=task.pk)
    return render(
        request, "rectification/measure_complete.html", {"measure": measure, "task": task, "form": form}
    )


@login_required
def progress_new(request, pk):
    task = _visible_task(request, pk)
    if not can_change_units(request.user, task.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此任务，不能填报进展。"}, status=403)
    form = ProgressForm(
        request.POST or None, request.FILES or None, task=task, initial={"reported_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report_progress(
                task,
                actor=request.user,
                reported_on=data["reported_on"],
                text=data["text"],
                percent=data["percent"],
                measure=data["measure"],
                files=data["files"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "整改进展已填报。")
            return redirect("rectification:detail", pk=task.pk)
    return render(request, "rectification/progress_form.html", {"task": task, "form": form})


@login_required
@require_POST
def task_step(request, pk, step):
    task = _visible_task(request, pk)
    form = StepForm(request.POST)
    form.is_valid()
    try:
        advance_task(task, step, actor=request.user, note=form.cleaned_data.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已完成“{TaskStep(step).label}”。")
    return redirect("rectification:detail", pk=task.pk)


@login_required
def annual_target(request, pk, target_pk):
    task = _visible_task(request, pk)
    if not can_change_units(request.user, task.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此任务，不能评定年度目标。"}, status=403)
    target = get_object_or_404(task.annual_targets, pk=target_pk)
    form = AnnualTargetForm(
        request.POST or None, initial={"reached": "1" if target.reached else "0", "evidence": target.evidence}
    )
    if request.method == "POST" and form.is_valid():
        try:
            mark_annual_target(
                target,
                actor=request.user,
                reached=form.cleaned_data["reached"],
                evidence=form.cleaned_data["evidence"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{target.year}年度目标已更新。")
            return redirect("rectification:detail", pk=task.pk)
    return render(request, "rectification/target_form.html", {"task": task, "target": target, "form": form})


@login_required
def attachment(request, pk):
    visible = tasks_visible_to(request.user)
    # Scoped through the owner's task: another unit's file by guessed id is a 404.
    owned = (
        Q(progress_report__task__in=visible)
        | Q(look_back_check__measure__task__in=visible)
        | Q(measure__task__in=visible)
    )
    item = get_object_or_404(Attachment.objects.filter(owned), pk=pk)
    return FileResponse(open_stored(item.file), filename=item.original_name, as_attachment=item.kind == "pdf")


# --- look-back (回头看) ------------------------------------------------------------------------


def _round1(request):
    code = request.GET.get("inspection")
    qs = Inspection.objects.filter(is_look_back=False, round=1).order_by("start_date", "id")
    return (qs.filter(code=code).first() if code else None) or qs.filter(level="central").first()


@login_required
def look_back(request):
    inspection = _round1(request)
    tasks = (
        tasks_visible_to(request.user)
        .filter(inspection=inspection)
        .order_by("seq", "number")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("seq", "id").prefetch_related(
                    Prefetch(
                        "look_back_checks", queryset=LookBackCheck.objects.order_by("-checked_on", "-id")
                    )
                ),
            )
        )
    )
    tasks = list(tasks)
    measures = [m for t in tasks for m in t.measures.all()]
    checked = sum(1 for m in measures if m.look_back_checks.all())
    rebounded = sum(
        1 for m in measures if m.look_back_checks.all() and m.look_back_checks.all()[0].result == "rebounded"
    )
    return render(
        request,
        "rectification/look_back.html",
        {
            "inspection": inspection,
            "tasks": tasks,
            "total": len(measures),
            "checked": checked,
            "unchecked": len(measures) - checked,
            "rebounded": rebounded,
            "is_office": access_of(request.user).writes_all,
        },
    )


@login_required
def look_back_new(request, pk):
    measure = _visible_measure(request, pk)
    if not access_of(request.user).writes_all:
        return render(request, "403.html", {"message": "只有协调组办公室可以记录回头看检查。"}, status=403)
    form = LookBackForm(
        request.POST or None, request.FILES or None, initial={"checked_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_look_back(
                measure,
                actor=request.user,
                checked_on=data["checked_on"],
                inspector=data["inspector"],
                result=data["result"],
                notes=data["notes"],
                files=data["files"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "回头看检查已记录。")
            return redirect("rectification:look_back")
    return render(
        request, "rectification/look_back_form.html", {"measure": measure, "task": measure.task, "form": form}
    )


# --- department plan (时间表、路线图、任务书) ---------------------------------------------------


def _plan_context(request, unit_pk):
    unit = get_object_or_404(Unit, pk=unit_pk)
    access = access_of(request.user)
    if not (access.reads_all or unit.pk in access.unit_ids):
        raise Http404
    today = timezone.localdate()
    tasks = queries.tasks_with_status(
        tasks_visible_to(request.user)
        .filter(lead_unit=unit)
        .select_related("inspection", "lead_unit")
        .order_by("inspection_id", "seq", "number"),
        today,
    )
    timetable = []
    for task in tasks:
        for measure in task.measures.all():
            measure.schedule_status = queries.schedule_of_measure(measure, today)
            measure.warning, measure.warning_colour = queries.warning_of(
                measure.schedule_status, measure.deadline, today
            )
            for milestone in measure.milestones.all():
                timetable.append((milestone.due, task, measure, milestone.description, milestone.done_on))
            timetable.append((measure.deadline, task, measure, "措施完成时限", measure.done_on))
    timetable.sort(key=lambda row: (row[0], row[1].seq, row[2].seq))
    return {"unit": unit, "tasks": tasks, "timetable": timetable, "today": today}


@login_required
def plan(request):
    access = access_of(request.user)
    unit_pk = request.GET.get("unit")
    if not unit_pk:
        own = sorted(access.own_unit_ids)
        if own:
            return redirect(f"{request.path}?unit={own[0]}")
        # Only units whose plan the user may open (_plan_context's rule): every unit for the
        # read-all roles, none for the acceptance and review members (no unit, no task scope).
        units = Unit.objects.filter(led_tasks__isnull=False)
        if not access.reads_all:
            units = units.filter(pk__in=sorted(access.unit_ids))
        units = units.distinct().order_by("sort_order", "id")
        return render(request, "rectification/plan_index.html", {"units": units})
    if not unit_pk.isdigit():
        raise Http404
    return render(request, "rectification/plan.html", _plan_context(request, int(unit_pk)))


@login_required
def plan_pdf(request, unit_pk):
    context = _plan_context(request, unit_pk)
    return pdf_response(f"{context['unit'].name}整改任务书.pdf", "pdf/rectification_plan.html", context)


# --- grades --------------------------------------------------------------------------------------


@login_required
def grades(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    tasks = queries.graded_tasks(
        tasks_visible_to(request.user)
        .filter(annual_targets__year=year)
        .distinct()
        .order_by("lead_unit_id", "seq"),
        year,
        today=today,
    )
    units: dict = {}
    for task in tasks:
        units.setdefault(task.lead_unit, []).append(task)
    return render(
        request,
        "rectification/grades.html",
        {"year": year, "units": units, "years": range(2018, today.year + 2)},
    )


# --- public result page (no login) ------------------------------------------------------------


def public_list(request):
    tasks = (
        RectificationTask.objects.filter(status__in=PUBLIC_STATES)
        .select_related("inspection")
        .order_by("inspection_id", "seq")
    )
    return render(request, "rectification/public_list.html", {"tasks": tasks})


def public_task(request, pk):
    task = get_object_or_404(
        RectificationTask.objects.filter(status__in=PUBLIC_STATES)
        .select_related("inspection", "lead_unit")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("seq", "id")), "steps"),
        pk=pk,
    )
    return render(
        request,
        "rectification/public_task.html",
        {
            "task": task,
            "publicized_on": publicity_started_on(task),
            "publicity_ends": publicity_ends_on(task),
        },
    )
