from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from org.permissions import access_of, can_change_units
from qianshan.common.history import history_of

from .domain import transitions
from .domain.errors import DomainError
from .domain.queries import annotate_overdue, cases_visible_to, for_list
from .domain.services import update_case
from .enums import CaseState
from .filters import CaseFilter
from .forms import CaseForm, TransitionForm

PAGE_SIZE = 50


@login_required
def case_list(request):
    visible = cases_visible_to(request.user)
    case_filter = CaseFilter(request.GET, queryset=visible)
    filtered = case_filter.qs
    counts = dict(filtered.order_by().values_list("state").annotate(n=Count("pk")))
    state_counts = [(s, counts.get(s.value, 0)) for s in CaseState]
    page = Paginator(annotate_overdue(for_list(filtered)), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "filter": case_filter,
            "page": page,
            "state_counts": state_counts,
            "total": sum(counts.values()),
            "query": query.urlencode(),
        },
    )


def _visible_case(request, pk):
    # Another unit's case by guessed id is a 404, never a 403 that confirms it exists.
    return get_object_or_404(for_list(cases_visible_to(request.user)), pk=pk)


@login_required
def case_detail(request, pk):
    case = _visible_case(request, pk)
    access = access_of(request.user)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "history": history_of(case),
            "transitions": case.transitions.select_related("actor"),
            "targets": [CaseState(t) for t in transitions.allowed_targets(case, request.user)],
            "can_edit": can_change_units(request.user, case.unit_ids),
            "show_contact": access.writes_all or can_change_units(request.user, case.unit_ids),
        },
    )


@login_required
def case_edit(request, pk):
    case = _visible_case(request, pk)
    if not can_change_units(request.user, case.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此案件，不能修改。"}, status=403)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        values, m2m = form.split()
        try:
            update_case(case, actor=request.user, values=values, m2m=m2m)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, "案件信息已保存。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/edit.html", {"case": case, "form": form})


@require_POST
@login_required
def case_transition(request, pk):
    case = _visible_case(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整，请刷新页面后重试。")
        return redirect("cases:detail", pk=case.pk)
    if form.cleaned_data["version"] != case.version:
        messages.error(request, "案件已被他人更新，请查看最新情况后再操作。")
        return redirect("cases:detail", pk=case.pk)
    try:
        transitions.transition(
            case, form.cleaned_data["to_state"], actor=request.user, reason=form.cleaned_data["reason"]
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "无效的目标环节。"))
    else:
        messages.success(request, f"案件已转为“{CaseState(form.cleaned_data['to_state']).label}”。")
    return redirect("cases:detail", pk=case.pk)
