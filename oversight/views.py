"""领导责任与纪律监督 pages: thin views over domain/ (access in domain/access.py, rules in domain/records.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.domain.errors import DomainError
from org.models import Unit
from org.permissions import access_of
from qianshan.common.errors import show_refusal
from qianshan.common.history import history_of
from qianshan.common.listing import paginate, query_without_page
from qianshan.common.uploads import stored_file_response
from rectification.domain.queries import annotate_schedule_status

from .domain import records
from .domain.access import (
    assignments_visible_to,
    can_write_discipline_records,
    can_write_office_records,
    clues_visible_to,
    discipline_inspections_visible_to,
    follow_ups_visible_to,
    meetings_visible_to,
    special_inspections_visible_to,
)
from .domain.assignments import active_q, units_of_leader
from .domain.clues import record_outcome
from .domain.reminders import inspection_due, studies, study_status
from .domain.todo import LEADER_LISTS, leader_item_rows, pending_clues
from .enums import PARTY_KINDS
from .forms import (
    AssignmentForm,
    ClueOutcomeForm,
    DisciplineInspectionForm,
    FollowUpForm,
    FollowUpStateForm,
    ListFilterForm,
    MeetingForm,
    SpecialInspectionForm,
)
from .models import FollowUpItem

PER_PAGE = 50


def _unit_filter(request):
    form = ListFilterForm(request.GET or None)
    unit = form.cleaned_data["unit"] if form.is_valid() else None
    return form, unit


def _submit(request, form, do, success: str, redirect_to):
    """Run ``do(**cleaned_data)`` for a valid POSTed form; a refusal lands on its field."""
    if request.method == "POST" and form.is_valid():
        try:
            record = do(**form.cleaned_data)
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, success)
            target = redirect_to(record)
            return redirect(*target) if isinstance(target, tuple) else redirect(target)
    return None


def _form_page(request, form, title, back, status_ok=200):
    return render(
        request,
        "oversight/form.html",
        {"form": form, "title": title, "back": back},
        status=400 if form.is_bound else status_ok,
    )


# --- overview ------------------------------------------------------------------------------------


@login_required
def index(request):
    user, today = request.user, timezone.localdate()
    access = access_of(user)
    if not (access.reads_all or access.unit_ids):
        raise Http404
    context = {
        "today": today,
        "access": access,
        "study": study_status(today) if access.reads_all else None,
        "inspection_due": inspection_due(today) if access.reads_all else False,
        "month_inspections": discipline_inspections_visible_to(user)
        .filter(inspected_on__year=today.year, inspected_on__month=today.month)
        .count(),
        "counts": {
            "meetings": meetings_visible_to(user).count(),
            "assignments": assignments_visible_to(user).filter(active_q(today)).count(),
            "inspections": discipline_inspections_visible_to(user).count(),
            "special": special_inspections_visible_to(user).count(),
            "clues": clues_visible_to(user).count(),
            "pending_clues": pending_clues(user).count(),
        },
        "my_units": units_of_leader(user, today) if access.reads_all else set(),
        "can_office": can_write_office_records(user),
        "can_discipline": can_write_discipline_records(user),
    }
    return render(request, "oversight/index.html", context)


# --- meetings ------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    form, unit = _unit_filter(request)
    qs = meetings_visible_to(request.user).prefetch_related("approved_inspections", "units")
    study = request.GET.get("study") == "1"
    if study:
        qs = qs.filter(pk__in=studies().values("pk"))
    if unit is not None:
        qs = qs.filter(units=unit)
    page = paginate(request.GET, qs.order_by("-held_on", "-id"), PER_PAGE)
    return render(
        request,
        "oversight/meeting_list.html",
        {
            "page": page,
            "form": form,
            "study": study,
            "query": query_without_page(request.GET),
            "status": study_status(timezone.localdate()) if access_of(request.user).reads_all else None,
            "can_write": can_write_office_records(request.user),
        },
    )


def _office_only(request):
    if not can_write_office_records(request.user):
        raise Http404


@login_required
def meeting_form(request, pk=None):
    _office_only(request)
    meeting = get_object_or_404(meetings_visible_to(request.user), pk=pk) if pk else None
    initial = {}
    if meeting is not None:
        initial = {
            f: getattr(meeting, f)
            for f in ("kind", "title", "held_on", "studies_environment", "attendees", "decisions")
        }
        initial["approved_inspections"] = list(meeting.approved_inspections.all())
        initial["units"] = list(meeting.units.all())
    form = MeetingForm(request.POST or None, request.FILES or None, initial=initial)
    done = _submit(
        request,
        form,
        lambda **data: records.save_meeting(actor=request.user, meeting=meeting, **data),
        "会议记录已保存。",
        lambda m: ("oversight:meeting_detail", m.pk),
    )
    if done:
        return done
    return _form_page(
        request, form, "修改会议记录" if meeting else "记录党工委、管委会会议", "oversight:meetings"
    )


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(
        meetings_visible_to(request.user)
        .select_related("recorded_by")
        .prefetch_related("approved_inspections", "units"),
        pk=pk,
    )
    return render(
        request,
        "oversight/meeting_detail.html",
        {
            "meeting": meeting,
            "counts_as_study": meeting.studies_environment and meeting.kind in PARTY_KINDS,
            "history": history_of(meeting, page=request.GET.get("history_page")),
            "can_write": can_write_office_records(request.user),
        },
    )


@login_required
def meeting_minutes(request, pk):
    meeting = get_object_or_404(meetings_visible_to(request.user), pk=pk)
    if not meeting.minutes:
        raise Http404
    return stored_file_response(meeting.minutes, content_type=meeting.minutes_type, name=meeting.minutes_name)


# --- leader assignments --------------------------------------------------------------------------


@login_required
def assignment_list(request):
    form, unit = _unit_filter(request)
    today = timezone.localdate()
    qs = assignments_visible_to(request.user).select_related("leader", "unit")
    current = request.GET.get("all") != "1"
    if current:
        qs = qs.filter(active_q(today))
    if unit is not None:
        qs = qs.filter(unit=unit)
    page = paginate(request.GET, qs.order_by("leader_id", "unit__sort_order", "-starts_on", "id"), PER_PAGE)
    return render(
        request,
        "oversight/assignment_list.html",
        {
            "page": page,
            "form": form,
            "current": current,
            "today": today,
            "query": query_without_page(request.GET),
            "can_write": can_write_office_records(request.user),
        },
    )


@login_required
def assignment_form(request, pk=None):
    _office_only(request)
    row = get_object_or_404(assignments_visible_to(request.user), pk=pk) if pk else None
    initial = {}
    if row is not None:
        initial = {
            "leader": row.leader,
            "units": [row.unit],
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
            "duty": row.duty,
        }
    form = AssignmentForm(request.POST or None, initial=initial)
    done = _submit(
        request,
        form,
        lambda **data: records.save_assignments(actor=request.user, assignment=row, **data),
        "分管关系已保存。",
        lambda rows: "oversight:assignments",
    )
    if done:
        return done
    return _form_page(request, form, "修改分管关系" if row else "登记领导分管单位", "oversight:assignments")


# --- 纪工委 on-site inspections and 专项督查 --------------------------------------------------------


def _with_follow_ups(qs):
    return qs.prefetch_related(
        "units", Prefetch("follow_ups", queryset=FollowUpItem.objects.select_related("unit"))
    )


@login_required
def inspection_list(request):
    form, unit = _unit_filter(request)
    qs = _with_follow_ups(discipline_inspections_visible_to(request.user))
    if unit is not None:
        qs = qs.filter(units=unit)
    page = paginate(request.GET, qs.order_by("-inspected_on", "-id"), PER_PAGE)
    today = timezone.localdate()
    return render(
        request,
        "oversight/inspection_list.html",
        {
            "page": page,
            "form": form,
            "query": query_without_page(request.GET),
            "inspection_due": inspection_due(today) if access_of(request.user).reads_all else False,
            "can_write": can_write_discipline_records(request.user),
        },
    )


@login_required
def special_list(request):
    form, unit = _unit_filter(request)
    qs = _with_follow_ups(special_inspections_visible_to(request.user))
    if unit is not None:
        qs = qs.filter(units=unit)
    page = paginate(request.GET, qs.order_by("-starts_on", "-id"), PER_PAGE)
    return render(
        request,
        "oversight/special_list.html",
        {
            "page": page,
            "form": form,
            "query": query_without_page(request.GET),
            "can_write": can_write_discipline_records(request.user),
        },
    )


def _discipline_only(request):
    if not can_write_discipline_records(request.user):
        raise Http404


INSPECTION_FIELDS = {
    "discipline": ("inspected_on", "inspectors", "findings"),
    "special": ("title", "area", "field", "scope", "starts_on", "ends_on", "members", "findings"),
}


def _inspection_kind(kind):
    if kind == "discipline":
        return (
            discipline_inspections_visible_to,
            DisciplineInspectionForm,
            records.save_discipline_inspection,
            "纪工委现场督查",
        )
    if kind == "special":
        return (
            special_inspections_visible_to,
            SpecialInspectionForm,
            records.save_special_inspection,
            "专项督查",
        )
    raise Http404


@login_required
def inspection_form(request, kind, pk=None):
    _discipline_only(request)
    visible, form_class, save, label = _inspection_kind(kind)
    obj = get_object_or_404(visible(request.user), pk=pk) if pk else None
    initial = {}
    if obj is not None:
        initial = {f: getattr(obj, f) for f in INSPECTION_FIELDS[kind]}
        initial["units"] = list(obj.units.all())
    form = form_class(request.POST or None, initial=initial)
    done = _submit(
        request,
        form,
        lambda **data: save(actor=request.user, inspection=obj, **data),
        f"{label}已保存。",
        lambda rec: ("oversight:inspection_detail", kind, rec.pk),
    )
    if done:
        return done
    back = "oversight:inspections" if kind == "discipline" else "oversight:special"
    return _form_page(request, form, f"修改{label}" if obj else f"记录{label}", back)


@login_required
def inspection_detail(request, kind, pk):
    visible, _, _, label = _inspection_kind(kind)
    obj = get_object_or_404(visible(request.user).prefetch_related("units"), pk=pk)
    items = (
        follow_ups_visible_to(request.user) if not access_of(request.user).reads_all else FollowUpItem.objects
    )
    items = items.filter(**{f"{'discipline' if kind == 'discipline' else 'special'}_inspection": obj})
    items = list(items.select_related("unit", "task", "case").order_by("id"))
    can_write = can_write_discipline_records(request.user)
    form = FollowUpForm(request.POST or None, user=request.user) if can_write else None
    if form is not None:
        done = _submit(
            request,
            form,
            lambda **data: records.add_follow_up(actor=request.user, parent=obj, **data),
            "跟进事项已登记。",
            lambda item: ("oversight:inspection_detail", kind, obj.pk),
        )
        if done:
            return done
    return render(
        request,
        "oversight/inspection_detail.html",
        {
            "obj": obj,
            "kind": kind,
            "label": label,
            "items": items,
            "form": form,
            "state_form": FollowUpStateForm() if can_write else None,
            "can_write": can_write,
            "history": history_of(obj, page=request.GET.get("history_page")),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def follow_up_state(request, pk):
    _discipline_only(request)
    item = get_object_or_404(
        follow_ups_visible_to(request.user).select_related("discipline_inspection", "special_inspection"),
        pk=pk,
    )
    kind = "discipline" if item.discipline_inspection_id else "special"
    form = FollowUpStateForm(request.POST or None, initial={"state": item.state})
    done = _submit(
        request,
        form,
        lambda **data: records.update_follow_up(actor=request.user, item=item, **data),
        "跟进事项已更新。",
        lambda _: ("oversight:inspection_detail", kind, item.parent.pk),
    )
    if done:
        return done
    return render(
        request,
        "oversight/follow_up_form.html",
        {"form": form, "item": item, "kind": kind, "history": history_of(item)},
        status=400 if form.is_bound else 200,
    )


# --- referred clues ------------------------------------------------------------------------------


@login_required
def clue_list(request):
    pending = request.GET.get("pending") == "1"
    qs = pending_clues(request.user) if pending else clues_visible_to(request.user)
    qs = qs.select_related("task", "case", "unit", "referred_by").order_by("-referred_on", "-id")
    page = paginate(request.GET, qs, PER_PAGE)
    return render(
        request,
        "oversight/clue_list.html",
        {"page": page, "pending": pending, "query": query_without_page(request.GET)},
    )


@login_required
def clue_detail(request, pk):
    referral = get_object_or_404(
        clues_visible_to(request.user).select_related("task", "case", "unit", "referred_by", "letter"), pk=pk
    )
    can_write = can_write_discipline_records(request.user)
    form = None
    if can_write:
        initial = {"handling_body": referral.handling_body or "千山风景区纪工委"}
        if referral.outcome:
            initial |= {"outcome": referral.outcome, "outcome_on": referral.outcome_on}
        form = ClueOutcomeForm(request.POST or None, initial=initial)
        done = _submit(
            request,
            form,
            lambda **data: record_outcome(actor=request.user, referral=referral, **data),
            "线索处理结果已记录。",
            lambda r: ("oversight:clue_detail", r.pk),
        )
        if done:
            return done
    return render(
        request,
        "oversight/clue_detail.html",
        {
            "referral": referral,
            "form": form,
            "history": history_of(referral, page=request.GET.get("history_page")),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


# --- a leader's units ----------------------------------------------------------------------------


@login_required
def leader_items(request):
    """分管部门事项: one of the leader's to-do lists (its total is the to-do figure)."""
    today = timezone.localdate()
    key = request.GET.get("show", "overdue_tasks")
    if key not in LEADER_LISTS:
        key = "overdue_tasks"
    units = units_of_leader(request.user, today)
    label, row_kind = LEADER_LISTS[key]
    qs = leader_item_rows(request.user, key, today, units)
    if row_kind == "task":
        qs = annotate_schedule_status(qs.select_related("lead_unit"), today).order_by("deadline", "pk")
    elif row_kind == "case":
        qs = qs.select_related("lead_unit").order_by("deadline", "pk")
    elif row_kind == "warning":
        qs = qs.select_related("task", "case", "unit").order_by("-raised_on", "-id")
    else:
        qs = qs.select_related("task", "case", "unit").order_by("reply_deadline", "id")
    page = paginate(request.GET, qs, PER_PAGE)
    unit_names = list(
        Unit.objects.filter(pk__in=units).order_by("sort_order", "id").values_list("name", flat=True)
    )
    return render(
        request,
        "oversight/leader_items.html",
        {
            "page": page,
            "key": key,
            "label": label,
            "row_kind": row_kind,
            "lists": [(k, v[0]) for k, v in LEADER_LISTS.items()],
            "unit_names": unit_names,
            "today": today,
            "query": query_without_page(request.GET),
        },
    )
