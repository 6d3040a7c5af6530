"""整改任务反弹台账 pages: the list (scoped to the user's tasks), its export and the office's 分类处置."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.domain.errors import DomainError
from cases.forms import DispositionForm
from org.permissions import access_of
from qianshan.common.errors import show_refusal
from qianshan.common.excel import xlsx_response

from .domain.queries import tasks_visible_to
from .domain.rebounds import record_task_rebound_disposition
from .exporters import task_rebound_sheet
from .models import TaskReboundEntry


def rebounds_visible_to(user):
    return TaskReboundEntry.objects.filter(task__in=tasks_visible_to(user).values("pk"))


@login_required
def rebound_list(request):
    entries = rebounds_visible_to(request.user).select_related(
        "task__inspection", "task__lead_unit", "measure", "category", "look_back_check", "recorded_by"
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"整改任务反弹台账-{timezone.localdate():%Y%m%d}.xlsx", [task_rebound_sheet(entries)]
        )
    return render(
        request,
        "rectification/rebounds.html",
        {"entries": entries, "can_write": access_of(request.user).writes_all},
    )


@login_required
def rebound_edit(request, pk):
    if not access_of(request.user).writes_all:
        raise Http404
    entry = get_object_or_404(TaskReboundEntry.objects.select_related("task"), pk=pk)
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
            record_task_rebound_disposition(entry, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, "分类处置情况已保存。")
            return redirect("rectification:rebounds")
    return render(
        request,
        "rectification/rebound_edit.html",
        {"entry": entry, "form": form},
        status=400 if form.is_bound else 200,
    )
