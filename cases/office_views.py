"""Office pages: the transfer-sheet import (upload → preview → confirm), re-check draws and
visits, and the rebound ledger."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from notifications.domain.background import start_job
from org.enums import Role
from org.permissions import access_of
from qianshan.common.errors import show_refusal
from qianshan.common.excel import XLSX_CONTENT_TYPE, xlsx_response

from .domain.errors import DomainError
from .domain.evidence import Upload
from .domain.importing import (
    Problem,
    confirm_import,
    error_workbook,
    plan_parsed,
    record_upload,
    stored_parse,
)
from .domain.queries import cases_visible_to, pending_import_q
from .domain.rechecks import draw_rechecks, record_rebound_disposition, record_visit
from .enums import AttachmentKind
from .exporters import rebound_sheet
from .forms import DispositionForm, DrawForm, ImportForm, VisitForm
from .jobs import import_rows
from .models import ReboundEntry, RecheckDraw, RecheckVisit, TransferSheetImport

MAX_SHEET_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 200


def _require_office(request):
    if not access_of(request.user).writes_all:
        raise Http404  # the office's tools do not exist for others


def _require_read_all(request):
    if not access_of(request.user).reads_all:
        raise Http404


# --- import ------------------------------------------------------------------------------------
@login_required
def import_upload(request):
    _require_office(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_SHEET_BYTES:
            form.add_error("file", "文件超过 20 MB，请拆分后上传。")
        else:
            record = record_upload(
                upload.read(),
                inspection=form.cleaned_data["inspection"],
                batch=form.cleaned_data["batch"],
                original_name=upload.name,
                actor=request.user,
            )
            return redirect("cases:import_preview", pk=record.pk)
    recent = TransferSheetImport.objects.select_related("inspection", "uploaded_by")
    pending = request.GET.get("todo") == "confirm"
    # The 待办 link: every import still waiting for confirmation (cases.domain.todo), else the last 10.
    recent = list(recent.filter(pending_import_q())) if pending else recent[:10]
    return render(request, "cases/import_upload.html", {"form": form, "recent": recent, "pending": pending})


def _import_record(request, pk) -> TransferSheetImport:
    _require_office(request)
    return get_object_or_404(TransferSheetImport.objects.select_related("inspection"), pk=pk)


@login_required
def import_preview(request, pk):
    record = _import_record(request, pk)
    report = plan_parsed(stored_parse(record), record.inspection, batch=record.batch)
    return render(
        request,
        "cases/import_preview.html",
        {
            "record": record,
            "report": report,
            "summary": report.as_dict(),
            "plans": report.plans[:PREVIEW_ROWS],
            "more": max(0, len(report.plans) - PREVIEW_ROWS),
        },
    )


@require_POST
@login_required
def import_confirm(request, pk):
    """确认导入. A sheet writing JOB_DIRECT_MAX_IMPORT_ROWS cases or more is confirmed by a worker
    (the job page shows the progress, then what was created or why nothing was); a small one here."""
    record = _import_record(request, pk)
    if import_rows(record) >= settings.JOB_DIRECT_MAX_IMPORT_ROWS:
        job, _created = start_job("case_import", owner=request.user, params={"import": record.pk})
        return redirect("jobs:detail", pk=job.pk)
    try:
        report = confirm_import(record, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("cases:import_preview", pk=record.pk)
    summary = report.as_dict()
    messages.success(
        request,
        f"导入完成：新建 {summary['created']} 件，更新 {summary['updated']} 件，未变 {summary['unchanged']} 件。",
    )
    return redirect(f"/cases/?inspection={record.inspection_id}")


@login_required
def import_errors(request, pk):
    record = _import_record(request, pk)
    report = plan_parsed(stored_parse(record), record.inspection, batch=record.batch)
    try:  # the uploaded workbook, to mark its cells; without it, the problem list alone
        with record.file.open("rb") as f:
            data = f.read()
    except OSError:
        data = b""
    problems = report.problems or [Problem(0, "", "", "没有发现问题。")]
    response = HttpResponse(error_workbook(data, problems), content_type=XLSX_CONTENT_TYPE)
    name = quote(f"导入问题-{record.original_name}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


# --- re-checks and rebounds ----------------------------------------------------------------------
@login_required
def recheck_list(request):
    _require_read_all(request)
    form = DrawForm(request.POST or None)
    if request.method == "POST":
        _require_office(request)
        if form.is_valid():
            draw = draw_rechecks(
                form.cleaned_data["month"], seed=form.cleaned_data["seed"], actor=request.user
            )
            messages.success(request, f"{draw} 抽取 {draw.sample_size} 件（种子 {draw.seed}）。")
            return redirect("cases:rechecks")
    draws = RecheckDraw.objects.prefetch_related("visits__case__inspection").select_related("drawn_by")[:24]
    return render(
        request,
        "cases/rechecks.html",
        {"draws": draws, "form": form, "can_draw": access_of(request.user).writes_all},
    )


@login_required
def recheck_visit(request, pk):
    _require_office(request)
    visit = get_object_or_404(RecheckVisit.objects.select_related("case", "draw"), pk=pk)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photo = form.cleaned_data["photo"]
        uploads = (
            [Upload(photo.name, photo.read(), AttachmentKind.PHOTO, title="复查回访照片")] if photo else []
        )
        try:
            record_visit(
                visit,
                actor=request.user,
                visited_on=form.cleaned_data["visited_on"],
                visitor=form.cleaned_data["visitor"],
                result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"],
                uploads=uploads,
            )
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, "回访已记录。")
            return redirect("cases:rechecks")
    return render(request, "cases/recheck_visit.html", {"visit": visit, "form": form})


@login_required
def rebound_list(request):
    """反弹台账: rebounds of the cases the user may see."""
    entries = ReboundEntry.objects.filter(case__in=cases_visible_to(request.user)).select_related(
        "case__inspection", "case__lead_unit", "visit__draw", "recorded_by", "category"
    )
    if request.GET.get("format") == "xlsx":  # 反弹台账导出: the same rows, dates as real dates
        return xlsx_response(f"信访案件反弹台账-{timezone.localdate():%Y%m%d}.xlsx", [rebound_sheet(entries)])
    return render(
        request,
        "cases/rebounds.html",
        {"entries": entries, "can_write": access_of(request.user).has(Role.OFFICE, Role.ADMIN)},
    )


@login_required
def rebound_disposition(request, pk):
    _require_office(request)
    entry = get_object_or_404(ReboundEntry.objects.select_related("case"), pk=pk)
    form = DispositionForm(
        request.POST or None,
        initial={
            "category": entry.category_id,
            "disposition": entry.disposition,
            "resolved_on": entry.resolved_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_rebound_disposition(entry, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "处置情况已保存。")
            return redirect("cases:rebounds")
    return render(request, "cases/rebound_edit.html", {"entry": entry, "form": form})
