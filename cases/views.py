from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from notifications.domain.background import JobError, start_job
from org.permissions import access_of, can_change_units
from org.templatetags.cards import CASE_NEXT
from qianshan.common.errors import show_refusal
from qianshan.common.excel import xlsx_response
from qianshan.common.history import history_of
from qianshan.common.listing import fast_selects, paginate, query_without_page
from qianshan.common.uploads import stored_file_response

from .domain import tallies, transitions
from .domain.archive import archive_catalogue, photo_pairs, points_summary
from .domain.errors import DomainError
from .domain.evidence import (
    Upload,
    add_attachments,
    add_progress,
    points_token,
    set_points,
)
from .domain.next_step import next_step
from .domain.queries import (
    PERSONAL_FIELDS,
    annotate_overdue,
    cases_for_list,
    cases_visible_to,
    for_detail,
    for_list,
    for_list_rows,
    progress_with_attachments,
)
from .domain.services import save_handling, update_case
from .enums import AttachmentKind, CaseState, PhotoStage
from .exporters import ledger_sheet
from .filters import CaseFilter
from .forms import AttachmentForm, CaseForm, HandlingForm, PointFormSet, ProgressForm, TransitionForm
from .jobs import ledger_queryset
from .models import Attachment, InvestigationPoint
from .sorting import case_sorting

PAGE_SIZE = 50


@dataclass(slots=True)
class _Row:
    """One row of the case table, its texts formatted once here: the template filters and
    ``{% url %}`` the row would otherwise run cost about 0.2 ms a row, a sixth of the list's time."""

    url: str
    receipt_no: str
    is_key: bool
    is_repeat: bool
    inspection: str
    batch: object
    complaint: str
    locality: str
    lead_unit: str
    deadline: str
    is_overdue: bool
    state: str
    state_label: str
    next_step: str


def _rows(page) -> list[_Row]:
    # the detail URL reversed once (tests/cases/test_list_rows.py compares with {% url %}); the
    # state's label from the choices, as get_state_display gives it
    detail = reverse("cases:detail", args=[0]).removesuffix("0/")
    labels = dict(CaseState.choices)
    return [
        _Row(
            url=f"{detail}{c.pk}/",
            receipt_no=c.receipt_no,
            is_key=c.is_key,
            is_repeat=c.is_repeat,
            inspection=c.inspection.name,
            batch=c.batch or "",
            complaint=Truncator(c.complaint).chars(40),
            locality=str(c.locality) if c.locality else "",
            lead_unit=str(c.lead_unit) if c.lead_unit else "",
            deadline=c.deadline.isoformat() if c.deadline else "",
            is_overdue=c.is_overdue,
            state=c.state,
            state_label=labels.get(c.state, c.state),
            next_step=CASE_NEXT.get(c.state, ""),
        )
        for c in page
    ]


@login_required
def case_list(request):
    # The user's scope written for the indexes (a unit user's cooperating cases as = ANY(ARRAY(…))):
    # PostgreSQL then counts and pages through indexes instead of testing EXISTS on every case.
    visible = cases_for_list(request.user)
    case_filter = CaseFilter(request.GET, queryset=visible)
    filtered = case_filter.qs
    sorting = case_sorting(request.GET)
    fast_selects(case_filter.form)
    # The per-state chips are the list's one count: the paginator takes their sum (from the
    # tallies when the list is every case, cases.domain.tallies).
    counts = tallies.state_counts(filtered)
    state_counts = [(s, counts.get(s.value, 0)) for s in CaseState]
    total = sum(counts.values())
    page = paginate(
        request.GET, sorting.apply(annotate_overdue(for_list_rows(filtered))), PAGE_SIZE, count=total
    )
    return render(
        request,
        "cases/list.html",
        {
            "filter": case_filter,
            "page": page,
            "rows": _rows(page),
            "sorting": sorting,
            "state_counts": state_counts,
            "total": total,
            "query": query_without_page(request.GET),
            "is_office": access_of(request.user).writes_all,
            "reads_all": access_of(request.user).reads_all,
        },
    )


def _visible_case(request, pk):
    # Another unit's case by guessed id is a 404, never a 403 that confirms it exists.
    return get_object_or_404(for_list(cases_visible_to(request.user)), pk=pk)


@login_required
def case_detail(request, pk, *, progress_form=None, attachment_form=None, points_formset=None, status=200):
    # From the user's scope like every read: another unit's case by guessed id is a 404.
    case = get_object_or_404(for_detail(cases_visible_to(request.user)), pk=pk)
    access = access_of(request.user)
    can_edit = can_change_units(request.user, case.unit_ids)
    show_contact = access.writes_all or can_edit
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "history": history_of(
                case,
                page=request.GET.get("history_page"),
                hidden=frozenset() if show_contact else PERSONAL_FIELDS,
            ),
            "transitions": case.transitions.select_related("actor"),
            "next": next_step(case, request.user, timezone.localdate()),
            "can_edit": can_edit,
            "show_contact": show_contact,
            "catalogue": archive_catalogue(case),
            "points": points_summary(case),
            "progress": progress_with_attachments(case),
            "pairs": photo_pairs(case),
            "progress_form": progress_form or ProgressForm(initial={"happened_on": timezone.localdate()}),
            "attachment_form": attachment_form or AttachmentForm(),
            "points_formset": points_formset or _points_formset(case),
            "points_token": request.POST.get("points_token")
            if points_formset
            else points_token(case.points.all()),
            "points_history": InvestigationPoint.history.filter(case_id=case.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:50],
        },
        status=status,
    )


def _points_formset(case, data=None):
    initial = [
        {
            "id": p.pk,
            "content": p.content,
            "is_true": "1" if p.is_true else "0",
            "is_resolved": p.is_resolved,
            "note": p.note,
        }
        for p in case.points.all()
    ]
    return PointFormSet(data, initial=initial, prefix="points")


@require_POST
@login_required
def case_points(request, pk):
    """Add, edit or delete the case's complaint points (举报问题要点); another unit's case: 404."""
    case = _visible_case(request, pk)
    if not can_change_units(request.user, case.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此案件，不能修改。"}, status=403)
    formset = _points_formset(case, request.POST)
    if formset.is_valid():
        try:
            set_points(
                case,
                formset.points(),
                actor=request.user,
                expected_token=request.POST.get("points_token", ""),
            )
        except DomainError as exc:
            formset.non_form_errors().append(exc.message)
        else:
            messages.success(request, "问题要点已保存。")
            return redirect(reverse("cases:detail", args=[case.pk]) + "#points")
    messages.error(request, "问题要点未保存，请查看表单中的提示。")
    return case_detail(request, pk, points_formset=formset, status=400)


@login_required
def case_handling(request, pk):
    case = _visible_case(request, pk)
    if not can_change_units(request.user, case.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此案件，不能修改。"}, status=403)
    visible = cases_visible_to(request.user)
    form = HandlingForm(request.POST or None, instance=case, visible_cases=visible)
    if request.method == "POST" and form.is_valid():
        values, related, loaded_at = form.split()
        try:
            save_handling(
                case, actor=request.user, values=values, related=related, expected_updated_at=loaded_at
            )
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, "调查与办理情况已保存。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/handling.html", {"case": case, "form": form})


def _uploads(request, field: str, form) -> list[Upload]:
    return [
        Upload(
            name=f.name,
            data=f.read(),
            kind=form.cleaned_data["kind"],
            photo_stage=form.cleaned_data["photo_stage"]
            if form.cleaned_data["kind"] == AttachmentKind.PHOTO
            else PhotoStage.NONE,
            pair_label=form.cleaned_data["pair_label"],
            title=form.cleaned_data.get("title", ""),
        )
        for f in request.FILES.getlist(field)
    ]


@require_POST
@login_required
def case_progress(request, pk):
    case = _visible_case(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_progress(
                case,
                actor=request.user,
                happened_on=form.cleaned_data["happened_on"],
                text=form.cleaned_data["text"],
                uploads=_uploads(request, "files", form),
                is_temporary=form.cleaned_data["is_temporary"],
            )
        except DomainError as exc:
            if exc.field == "file":  # a file's refusal belongs on the files input
                exc.field = "files"
            show_refusal(form, exc)
        else:
            messages.success(request, "进展已记录。")
            return redirect(reverse("cases:detail", args=[case.pk]) + "#progress")
    messages.error(request, "进展未保存，请查看表单中的提示。")
    return case_detail(request, pk, progress_form=form, status=400)


@require_POST
@login_required
def case_attachment(request, pk):
    case = _visible_case(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_attachments(case, _uploads(request, form.add_prefix("file"), form), actor=request.user)
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, "材料已上传。")
            return redirect(reverse("cases:detail", args=[case.pk]) + "#evidence")
    messages.error(request, "材料未上传，请查看表单中的提示。")
    return case_detail(request, pk, attachment_form=form, status=400)


@login_required
def attachment_file(request, pk):
    """Serve an evidence file only to someone who may see its case (another unit's: 404)."""
    attachment = get_object_or_404(Attachment.objects.filter(case__in=cases_visible_to(request.user)), pk=pk)
    return stored_file_response(
        attachment.file, content_type=attachment.content_type, name=attachment.original_name
    )


@login_required
def ledger_export(request):
    """Exactly the filtered rows of the list the user may see, in its sort, as the ledger workbook.

    Below JOB_DIRECT_MAX_ROWS the workbook streams in the request; a bigger one (or a POST from
    the 后台导出 button) becomes a background job and the user is sent to its progress page.
    """
    name = f"信访案件台账-{timezone.localdate():%Y%m%d}.xlsx"
    query = request.POST if request.method == "POST" else request.GET
    params = {"query": query_without_page(query)}
    try:
        qs, order = ledger_queryset(request.user, QueryDict(params["query"]))
    except JobError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("cases:list") + "?" + params["query"])
    if request.method != "POST" and qs.count() < settings.JOB_DIRECT_MAX_ROWS:
        return xlsx_response(name, [ledger_sheet(qs, order)])
    job, _created = start_job("case_ledger", owner=request.user, params=params, filename=name)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def case_edit(request, pk):
    case = _visible_case(request, pk)
    if not can_change_units(request.user, case.unit_ids):
        return render(request, "403.html", {"message": "您只能查看此案件，不能修改。"}, status=403)
    form = CaseForm(request.POST or None, instance=case, assigns_units=access_of(request.user).writes_all)
    if request.method == "POST" and form.is_valid():
        values, m2m = form.split()
        try:
            update_case(case, actor=request.user, values=values, m2m=m2m)
        except DomainError as exc:
            show_refusal(form, exc)
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
        transitions.fire(
            case, form.cleaned_data["to_state"], actor=request.user, reason=form.cleaned_data["reason"]
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "无效的目标环节。"))
    else:
        messages.success(request, f"案件已转为“{CaseState(form.cleaned_data['to_state']).label}”。")
    return redirect("cases:detail", pk=case.pk)
