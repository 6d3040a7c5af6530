"""考核结果的运用 pages: forcing events, unit-level 约谈, 问责 referrals, the assessment calendar.

Every object is read through the user's scope: another unit's record by guessed id is a 404.
Writes go through ``scoring.domain.records``; a refusal is shown as a Chinese message naming the field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.domain.errors import DomainError
from qianshan.common.history import history_of

from .domain import records
from .domain.queries import (
    TALK_STATES,
    referrals_visible_to,
    unit_talks_in_state,
    unit_talks_visible_to,
)
from .enums import ReferralOutcome
from .forms import (
    CalendarDateForm,
    EventForm,
    ReferralForm,
    ReferralOutcomeForm,
    RevokeForm,
    TalkRectifiedForm,
    UnitTalkForm,
    form_errors,
)
from .models import AssessmentDate, AssessmentEvent
from .params import default_year, id_param, year_param
from .permissions import reads_every_unit

PAGE_SIZE = 50


def _back(unit_id, year, anchor=""):
    return redirect(f"/scoring/units/{unit_id}/{year}/{anchor}")


def _unit(request, unit_id):
    from .views import _visible_unit

    return _visible_unit(request, unit_id)


def _run(request, form, action, success: str) -> bool:
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return False
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


@require_POST
@login_required
def event_new(request, unit_id, year):
    year = year_param(year)
    unit = _unit(request, unit_id)
    form = EventForm(request.POST, request.FILES)
    _run(
        request,
        form,
        lambda d: records.record_event(
            unit=unit,
            year=year,
            kind=d["kind"],
            occurred_on=d["occurred_on"],
            description=d["description"],
            evidence=d.get("evidence"),
            evidence_url=d.get("evidence_url", ""),
            actor=request.user,
        ),
        "一票否决事件已记录：该单位本年度考核不合格，排名最后。",
    )
    return _back(unit.pk, year, "#events")


def _visible_event(request, pk) -> AssessmentEvent:
    event = get_object_or_404(AssessmentEvent.objects.select_related("unit"), pk=id_param(pk))
    _unit(request, event.unit_id)  # 404 outside the user's units
    return event


@require_POST
@login_required
def event_revoke(request, pk):
    event = _visible_event(request, pk)
    form = RevokeForm(request.POST)
    _run(
        request,
        form,
        lambda d: records.revoke_event(event, reason=d["reason"], actor=request.user),
        "事件已撤销。",
    )
    return _back(event.unit_id, event.year, "#events")


@login_required
def event_evidence(request, pk):
    from django.http import FileResponse

    from qianshan.common.uploads import open_stored

    event = _visible_event(request, pk)
    if not event.evidence:
        from django.http import Http404

        raise Http404
    return FileResponse(open_stored(event.evidence), filename=event.evidence.name.rsplit("/", 1)[-1])


@require_POST
@login_required
def talk_new(request, unit_id, year):
    year = year_param(year)
    unit = _unit(request, unit_id)
    form = UnitTalkForm(request.POST)
    _run(
        request,
        form,
        lambda d: records.record_unit_talk(
            unit=unit,
            year=year,
            held_on=d["held_on"],
            interviewees=d["interviewees"],
            interviewers=d["interviewers"],
            summary=d["summary"],
            requirements=d["requirements"],
            deadline=d["deadline"],
            is_public=d["is_public"],
            actor=request.user,
        ),
        "约谈已记录，整改期限已列入该单位的待办。",
    )
    return _back(unit.pk, year, "#talks")


@require_POST
@login_required
def talk_rectified(request, pk):
    talk = get_object_or_404(unit_talks_visible_to(request.user), pk=id_param(pk))
    form = TalkRectifiedForm(request.POST)
    _run(
        request,
        form,
        lambda d: records.record_talk_rectified(
            talk, done_on=d["done_on"], note=d["note"], actor=request.user
        ),
        "整改完成情况已填报。",
    )
    return (
        redirect(request.POST.get("next") or "scoring:talks") if _safe(request) else redirect("scoring:talks")
    )


def _safe(request) -> bool:
    nxt = request.POST.get("next", "")
    return nxt.startswith("/scoring/") and "//" not in nxt


@login_required
def talks(request):
    """单位约谈及限期整改: the unit-level talks the user may see, filtered by state."""
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state not in TALK_STATES:
        state = ""
    qs = unit_talks_in_state(unit_talks_visible_to(request.user), state, today).order_by(
        "rectify_deadline", "pk"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scoring/talks.html",
        {
            "page": page,
            "talks": page.object_list,
            "state": state,
            "state_label": TALK_STATES.get(state, ""),
            "states": TALK_STATES,
            "today": today,
            "query": f"state={state}" if state else "",
            "rectified_form": TalkRectifiedForm(initial={"done_on": today}),
        },
    )


@login_required
def referrals(request):
    """问责移送 list (the user's scope), filtered by outcome."""
    outcome = request.GET.get("outcome", "")
    qs = referrals_visible_to(request.user)
    if outcome in ReferralOutcome.values:
        qs = qs.filter(outcome=outcome)
    else:
        outcome = ""
    page = Paginator(qs.order_by("-referred_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scoring/referrals.html",
        {
            "page": page,
            "referrals": page.object_list,
            "outcome": outcome,
            "outcomes": ReferralOutcome.choices,
            "query": f"outcome={outcome}" if outcome else "",
        },
    )


@require_POST
@login_required
def referral_new(request, unit_id, year):
    year = year_param(year)
    unit = _unit(request, unit_id)
    form = ReferralForm(request.POST)
    _run(
        request,
        form,
        lambda d: records.record_referral(
            unit=unit,
            year=year,
            referred_on=d["referred_on"],
            body=d["body"],
            persons=d["persons"],
            facts=d["facts"],
            circumstances=d["circumstances"],
            actor=request.user,
        ),
        "问责移送已记录。",
    )
    return _back(unit.pk, year, "#referrals")


@login_required
def referral_detail(request, pk):
    referral = get_object_or_404(referrals_visible_to(request.user), pk=id_param(pk))
    if request.method == "POST":
        form = ReferralOutcomeForm(request.POST)
        if _run(
            request,
            form,
            lambda d: records.record_referral_outcome(
                referral,
                outcome=d["outcome"],
                outcome_on=d["outcome_on"],
                detail=d["detail"],
                actor=request.user,
            ),
            "办理结果已记录。",
        ):
            return redirect("scoring:referral", pk=referral.pk)
    return render(
        request,
        "scoring/referral.html",
        {
            "referral": referral,
            "form": ReferralOutcomeForm(initial={"outcome_on": timezone.localdate()}),
            "can_outcome": records.can_record_outcome(request.user)
            and referral.outcome == ReferralOutcome.PENDING,
            "history": history_of(referral),
        },
    )


@login_required
def calendar(request):
    """考核日程 of a year (created with the default first-quarter dates on first view by the office)."""
    raw = request.GET.get("year", "").strip()
    year = year_param(raw) if raw else default_year()
    can_edit = records.can_record_consequences(request.user)
    if can_edit:
        entries = records.ensure_calendar(year)
    else:
        entries = list(AssessmentDate.objects.filter(year=year).order_by("due_on", "pk"))
    from .domain.calendar import stage_of

    today = timezone.localdate()
    return render(
        request,
        "scoring/calendar.html",
        {
            "year": year,
            "entries": [
                (
                    e,
                    stage_of(e, today),
                    CalendarDateForm(
                        initial={"due_on": e.due_on, "done_on": e.done_on, "note": e.note}, prefix=f"d{e.pk}"
                    ),
                )
                for e in entries
            ],
            "can_edit": can_edit,
            "reads_all": reads_every_unit(request.user),
        },
    )


@require_POST
@login_required
def calendar_edit(request, pk):
    entry = get_object_or_404(AssessmentDate, pk=id_param(pk))
    form = CalendarDateForm(request.POST, prefix=f"d{entry.pk}")
    _run(
        request,
        form,
        lambda d: records.set_calendar_date(
            entry, due_on=d["due_on"], done_on=d["done_on"], note=d["note"], actor=request.user
        ),
        "考核日程已更新。",
    )
    return redirect(f"/scoring/calendar/?year={entry.year}")
