from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from cases.domain.errors import DomainError
from org.permissions import can_change_units
from qianshan.common.history import history_of

from .domain.queries import for_list, tasks_visible_to
from .domain.services import update_task
from .filters import TaskFilter
from .forms import TaskForm


@login_required
def task_list(request):
    task_filter = TaskFilter(request.GET, queryset=tasks_visible_to(request.user))
    page = Paginator(for_list(task_filter.qs), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rectification/list.html",
        {"filter": task_filter, "page": page, "total": page.paginator.count, "query": query.urlencode()},
    )


def _visible_task(request, pk):
    return get_object_or_404(for_list(tasks_visible_to(request.user)), pk=pk)


@login_required
def task_detail(request, pk):
    task = _visible_task(request, pk)
    measures = task.measures.select_related("responsible_unit").prefetch_related("milestones")
    return render(
        request,
        "rectification/detail.html",
        {
            "task": task,
            "measures": measures,
            "history": history_of(task),
            "can_edit": can_change_units(request.user, task.unit_ids),
        },
    )


@login_required
def task_edit(request, pk):
    task = _visible_task(request, pk)
    if not can_change_units(request.user, task.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此任务，不能修改。"}, status=403)
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        values, m2m = form.split()
        try:
            update_task(task, actor=request.user, values=values, m2m=m2m)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, "整改任务已保存。")
            return redirect("rectification:detail", pk=task.pk)
    return render(request, "rectification/edit.html", {"task": task, "form": form})
