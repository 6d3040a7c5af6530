"""The job pages: progress (with a JSON twin the vendored script polls), download, retry.

A job is seen by its owner and the office; anyone else gets a 404, never a 403 that confirms it
exists. Without JavaScript the page reloads itself while the job runs (meta refresh).
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .domain.background import jobs_visible_to, retry_job, unit_of
from .enums import ACTIVE_JOB_STATES, BackgroundJobState
from .models import BackgroundJob


def _job(request, pk) -> BackgroundJob:
    return get_object_or_404(jobs_visible_to(request.user), pk=pk)


def job_status(job: BackgroundJob) -> dict:
    """What the page shows, as the script receives it."""
    left = job.seconds_left
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "processed": job.processed,
        "total": job.total,
        "percent": job.percent,
        "seconds_left": left,
        "eta": format_seconds(left),
        "message": job.message,
        "active": job.state in ACTIVE_JOB_STATES,
        "download": job.state == BackgroundJobState.DONE and bool(job.file),
        "result_link": job.result_link,
        "unit": unit_of(job.kind),
    }


def format_seconds(seconds: int | None) -> str:
    if seconds is None:
        return "正在估算"
    if seconds < 60:
        return f"约 {seconds} 秒"
    return f"约 {seconds // 60} 分 {seconds % 60} 秒"


@login_required
def job_list(request):
    page = Paginator(jobs_visible_to(request.user).filter(owner=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/job_list.html", {"page": page, "query": ""})


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    return render(request, "notifications/job_detail.html", {"job": job, "status": job_status(job)})


@login_required
def job_status_json(request, pk):
    return JsonResponse(job_status(_job(request, pk)))


@login_required
def job_download(request, pk):
    job = _job(request, pk)
    if job.state == BackgroundJobState.EXPIRED:
        return render(
            request,
            "notifications/job_detail.html",
            {"job": job, "status": job_status(job), "gone": True},
            status=410,
        )
    if job.state != BackgroundJobState.DONE or not job.file:
        raise Http404("文件尚未生成")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已删除") from None
    response = FileResponse(handle, content_type="application/octet-stream")
    if job.file.name.endswith(".xlsx"):
        response["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif job.file.name.endswith(".pdf"):
        response["Content-Type"] = "application/pdf"
    elif job.file.name.endswith(".zip"):
        response["Content-Type"] = "application/zip"
    elif job.file.name.endswith(".json"):
        response["Content-Type"] = "application/json; charset=utf-8"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename or job.title)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def job_retry(request, pk):
    job = retry_job(_job(request, pk), actor=request.user)
    messages.success(request, "已重新排队。")
    return redirect("jobs:detail", pk=job.pk)
