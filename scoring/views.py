"""考核评分 pages: the year's ranking and to-do, sheets (自评/复核), the unit assessment, exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.domain.errors import DomainError
from cases.domain.queries import cases_visible_to, visible_case_ids
from org.models import Unit
from qianshan.common.history import history_of
from qianshan.common.listing import paginate, query_without_page

from .domain import services
from .domain.queries import (
    CASE_SCORE_SORTS,
    assessment_or_new,
    candidate_localities,
    case_score_of,
    cases_to_score,
    sheet_result,
    sheets_visible_to,
    unit_case_scores,
    year_results,
)
from .domain.unit_result import RULE_TEXT
from .enums import SheetStatus, SheetVersion
from .forms import EventForm, ReferralForm, RevokeForm, TalkRectifiedForm, UnitTalkForm, sheet_from_post
from .models import ScoringSheet, UnitAssessment
from .params import default_year, id_param, year_param
from .permissions import (
    can_edit_sheet,
    can_import_sheets,
    can_review,
    can_self_assess,
    reads_every_unit,
)
from .rules import fmt2, score
from .sheet_json import parse_sheets
from .sheet_rows import build_parts, result_json, sheet_history
from .sorting import todo_sorting

TODO_PAGE_SIZE = 50
CASE_PAGE_SIZE = 50


def _year(request, user) -> tuple[int, list[int]]:
    """The year asked for (404 outside 2000–2100), else the default year, the same for every user."""
    raw = request.GET.get("year", "").strip()
    year = year_param(raw) if raw else default_year()
    # The first and last deadline (two index look-ups), not DISTINCT years over every case.
    span = cases_visible_to(user).aggregate(first=Min("deadline"), last=Max("deadline"))
    years = range(span["first"].year, span["last"].year + 1) if span["first"] else []
    return year, sorted({*years, year}, reverse=True)


@login_required
def index(request):
    """The year's ranking, the cases still to score and the sheets waiting for review."""
    user = request.user
    year, years = _year(request, user)
    results = year_results(user, year)
    # The to-do list is paged (one count, page numbers) and sorted (?sort=) by the database: a year
    # can hold 100 000 cases, the ranking above sums them all.
    sorting = todo_sorting(request.GET)
    page = paginate(request.GET, sorting.apply(cases_to_score(user, year)), TODO_PAGE_SIZE)
    cases = list(page.object_list)
    sheets = {
        (s.case_id, s.locality_id, s.version): s
        for s in sheets_visible_to(user)
        .filter(year=year, case__in=[c.pk for c in cases])
        .only("pk", "case_id", "locality_id", "version", "status")
    }
    todo = []
    for case in cases:
        for unit in candidate_localities(case):
            self_sheet = sheets.get((case.pk, unit.pk, SheetVersion.SELF))
            review = sheets.get((case.pk, unit.pk, SheetVersion.REVIEW))
            may_self = can_self_assess(user, unit.pk)
            if self_sheet or may_self:
                todo.append(
                    {
                        "case": case,
                        "unit": unit,
                        "self": self_sheet,
                        "review": review,
                        # Only who may fill a draft is sent to its form; everyone else reads its page.
                        "self_editable": may_self
                        and self_sheet is not None
                        and self_sheet.status == SheetStatus.DRAFT,
                    }
                )
    return render(
        request,
        "scoring/index.html",
        {
            "year": year,
            "years": years,
            "results": results,
            "todo": todo,
            "page": page,
            "sorting": sorting,
            "query": query_without_page(request.GET),
            "can_review": can_review(user),
            "can_import": can_import_sheets(user),
            "reads_all": reads_every_unit(user),
            "rule_text": RULE_TEXT,
            "visible_case_ids": visible_case_ids(user, [c.pk for c in cases]),
        },
    )


def _visible_sheet(request, pk) -> ScoringSheet:
    # Another unit's sheet by guessed id is a 404, never a 403 that confirms it exists.
    return get_object_or_404(
        sheets_visible_to(request.user).select_related("case", "locality", "created_by", "submitted_by"),
        pk=id_param(pk),
    )


def _self_of(sheet: ScoringSheet) -> ScoringSheet | None:
    if sheet.version == SheetVersion.SELF:
        return None
    return ScoringSheet.objects.filter(
        case=sheet.case_id, locality=sheet.locality_id, year=sheet.year, version=SheetVersion.SELF
    ).first()


@require_POST
@login_required
def start_sheet(request):
    case = get_object_or_404(
        cases_visible_to(request.user).prefetch_related("cooperating_units"),
        pk=id_param(request.POST.get("case")),
    )
    units = {u.pk: u for u in candidate_localities(case)}
    locality = units.get(id_param(request.POST.get("locality")))
    if locality is None:
        raise Http404
    try:
        sheet = services.start_sheet(case, locality=locality, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("scoring:index")
    return redirect("scoring:sheet_edit", pk=sheet.pk)


@login_required
def sheet_edit(request, pk):
    """The browser form of one sheet, with the running total and, in a review, the self-assessment beside it."""
    sheet = _visible_sheet(request, pk)
    if not can_edit_sheet(request.user, sheet):
        # Read-only roles (discipline, leadership, another unit's reader) read the sheet's page.
        raise PermissionDenied("您只能查看该评分表，不能填写或修改。")
    refusal = services.edit_refusal(sheet, request.user)
    self_sheet = _self_of(sheet)
    data, reasons, errors = sheet.data, sheet.reasons, {}
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
        return redirect("scoring:sheet_detail", pk=sheet.pk)
    if request.method == "POST":
        data, reasons = sheet_from_post(request.POST)
        action = request.POST.get("action", "save")
        if action.startswith(("add:", "remove:")):
            data = _change_subjects(data, action)
        else:
            try:
                services.save_sheet(
                    sheet, actor=request.user, data=data, reasons=reasons, submit=action == "submit"
                )
            except services.SheetInvalid as exc:
                errors = exc.errors
                messages.error(request, exc.message)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "评分表已提交。" if action == "submit" else "评分表已保存。")
                return (
                    redirect("scoring:sheet_detail", pk=sheet.pk)
                    if action == "submit"
                    else redirect("scoring:sheet_edit", pk=sheet.pk)
                )
    result = _try_score(sheet, data)
    return render(
        request,
        "scoring/sheet_edit.html",
        {
            "sheet": sheet,
            "self_sheet": self_sheet,
            "parts": build_parts(
                sheet, data=data, reasons=reasons, errors=errors, result=result, self_sheet=self_sheet
            ),
            "result": result,
            "total": fmt2(result.total) if result else "—",
            "editable": refusal is None,
            "refusal": refusal,
            "visible_case_ids": visible_case_ids(request.user, [sheet.case_id]),
        },
    )


def _change_subjects(data: dict, action: str) -> dict:
    """Add a subject to, or remove one from, the territorial or functional list (not saved yet)."""
    verb, _, target = action.partition(":")
    if verb == "add" and target in ("territorial", "functional"):
        blank = {"case_leader": "none", "handler": False}
        if target == "territorial":
            blank["lead_unit_head"] = "none"
        data[target] = [*data[target], blank]
    elif verb == "remove":
        key, _, index = target.partition(":")
        if key in ("territorial", "functional") and len(data[key]) > 1 and index.isdigit():
            data[key] = [s for i, s in enumerate(data[key]) if i != int(index)]
    return data


def _try_score(sheet, data):
    sheets, errors = parse_sheets({**data, "case": sheet.case.receipt_no, "locality": sheet.locality.name})
    return None if errors else score(sheets[0])


@require_POST
@login_required
def sheet_preview(request, pk):
    """The running total of the form as typed, computed by the one scoring module."""
    sheet = _visible_sheet(request, pk)
    if not can_edit_sheet(request.user, sheet):
        raise PermissionDenied("您只能查看该评分表。")
    data, _ = sheet_from_post(request.POST)
    sheets, errors = parse_sheets({**data, "case": sheet.case.receipt_no, "locality": sheet.locality.name})
    if errors:
        problems = {}
        for line in errors:
            _, _, rest = line.partition(": ")
            path, _, message = rest.partition(": ")
            problems[path] = message
        return JsonResponse({"ok": False, "errors": problems})
    return JsonResponse(result_json(score(sheets[0])))


@login_required
def sheet_detail(request, pk):
    """One sheet read-only; a review shows the record, the self-assessment and the review side by side."""
    sheet = _visible_sheet(request, pk)
    self_sheet = _self_of(sheet)
    review = None
    if sheet.version == SheetVersion.SELF:
        review = ScoringSheet.objects.filter(
            case=sheet.case_id, locality=sheet.locality_id, year=sheet.year, version=SheetVersion.REVIEW
        ).first()
    result = sheet_result(sheet.data)
    # Side by side: the review beside the self-assessment when there is one, else the record beside the sheet.
    if sheet.version == SheetVersion.SELF and review is not None:
        parts = build_parts(review, result=sheet_result(review.data), self_sheet=sheet)
    else:
        parts = build_parts(sheet, result=result, self_sheet=self_sheet)
    return render(
        request,
        "scoring/sheet_detail.html",
        {
            "sheet": sheet,
            "self_sheet": self_sheet,
            "review": review,
            "side_by_side": self_sheet is not None or review is not None,
            "parts": parts,
            "result": result,
            "breakdown": [(i, fmt2(i.contribution), fmt2(i.max_points)) for i in result.breakdown],
            "total": fmt2(result.total),
            "can_edit": services.edit_refusal(sheet, request.user) is None,
            "review_editable": review is not None
            and review.status == SheetStatus.DRAFT
            and can_edit_sheet(request.user, review),
            "can_review": can_review(request.user)
            and sheet.version == SheetVersion.SELF
            and sheet.status == SheetStatus.SUBMITTED,
            "history": sheet_history(sheet),
            "visible_case_ids": visible_case_ids(request.user, [sheet.case_id]),
        },
    )


@require_POST
@login_required
def start_review(request, pk):
    sheet = _visible_sheet(request, pk)
    try:
        review = services.start_review(sheet, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("scoring:sheet_detail", pk=sheet.pk)
    return redirect("scoring:sheet_edit", pk=review.pk)


@require_POST
@login_required
def return_sheet(request, pk):
    sheet = _visible_sheet(request, pk)
    try:
        services.return_sheet(sheet, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已退回单位重新自评。")
    return redirect("scoring:sheet_detail", pk=sheet.pk)


def _visible_unit(request, unit_id) -> Unit:
    unit = get_object_or_404(Unit, pk=id_param(unit_id))
    if not (reads_every_unit(request.user) or can_self_assess(request.user, unit.pk)):
        raise Http404
    return unit


@login_required
def assessment_detail(request, unit_id, year):
    """One unit's year: result and its reason, case scores, task grades, workflow, forcing events,
    约谈 and 问责 records, and the reward / accountability suggestions with their facts."""
    from .domain import records
    from .domain.consequences import consequences_for
    from .domain.queries import referrals_visible_to, unit_talks_visible_to
    from .domain.unit_result import RULE_TEXT
    from .models import AssessmentEvent

    year = year_param(year)
    unit = _visible_unit(request, unit_id)
    results = {r.unit.pk: r for r in year_results(request.user, year)}
    result = results.get(unit.pk)
    # The case scores are paged and sorted by the database: a unit's year can hold thousands of cases.
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") not in CASE_SCORE_SORTS:
        sort = ""
    page = Paginator(unit_case_scores(unit.pk, year, sort), CASE_PAGE_SIZE).get_page(request.GET.get("page"))
    scores = [case_score_of(row) for row in page.object_list]
    # The ranking read every assessment of the year: a unit with a result has its assessment there
    # (or none yet: an unsaved open one, as assessment_or_new gives).
    if result is not None:
        assessment = result.assessment or UnitAssessment(unit=unit, year=year)
    else:
        assessment = assessment_or_new(unit, year)
    today = timezone.localdate()
    events = list(AssessmentEvent.objects.filter(unit=unit, year=year).select_related("recorded_by"))
    talks = list(unit_talks_visible_to(request.user).filter(unit=unit, assessment_year=year))
    referrals = list(referrals_visible_to(request.user).filter(unit=unit, year=year))
    can_record = records.can_record_consequences(request.user)
    return render(
        request,
        "scoring/assessment.html",
        {
            "unit": unit,
            "year": year,
            "result": result,
            "average": fmt2(result.average) if result and result.average is not None else "—",
            "cases": [
                (
                    c,
                    fmt2(c.self_total),
                    fmt2(c.review_total) if c.review_total is not None else "—",
                    fmt2(c.total) if c.counted else "未提交（不计入）",
                )
                for c in scores
            ],
            "page": page,
            "visible_case_ids": visible_case_ids(request.user, [c.case_id for c in scores]),
            "sort": sort,
            "sort_links": {key: f"?sort={'-' if sort == key else ''}{key}" for key in CASE_SCORE_SORTS},
            "query": f"sort={sort}" if sort else "",
            "assessment": assessment,
            "steps": assessment.steps.select_related("actor") if assessment.pk else [],
            "allowed": [(s, services.STEPS[s][1]) for s in services.allowed_steps(assessment, request.user)],
            "consequences": consequences_for(unit, year, result=result),
            "events": events,
            "talks": talks,
            "referrals": referrals,
            "can_record": can_record,
            "may_rectify": can_record or can_self_assess(request.user, unit.pk),
            "today": today,
            "event_form": EventForm(initial={"occurred_on": today}),
            "revoke_form": RevokeForm(),
            "talk_form": UnitTalkForm(initial={"held_on": today}),
            "rectified_form": TalkRectifiedForm(initial={"done_on": today}),
            "referral_form": ReferralForm(initial={"referred_on": today}),
            "rule_text": RULE_TEXT,
            "history": history_of(assessment) if assessment.pk else [],
        },
    )


@require_POST
@login_required
def assessment_step(request, unit_id, year):
    year = year_param(year)
    unit = _visible_unit(request, unit_id)
    assessment = services.assessment_of(unit, year)
    try:
        services.advance_assessment(
            assessment,
            to_state=request.POST.get("to_state", ""),
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except (DomainError, ValueError, KeyError) as exc:
        messages.error(request, getattr(exc, "message", "无效的操作。"))
    else:
        messages.success(request, f"考核已转为“{assessment.get_state_display()}”。")
    return redirect("scoring:assessment", unit_id=unit.pk, year=year)
