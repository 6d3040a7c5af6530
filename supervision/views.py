from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.domain.errors import DomainError
from cases.domain.queries import cases_visible_to
from cases.enums import CaseState
from notifications.domain.background import start_job
from org.permissions import access_of, can_change_units
from qianshan.common.errors import show_refusal
from qianshan.common.excel import xlsx_response
from qianshan.common.listing import paginate, query_without_page
from qianshan.common.pdf import pdf_response
from qianshan.common.uploads import stored_file_response
from rectification.domain.queries import tasks_visible_to

from . import charts, ledger131
from .domain import escalation
from .domain.dashboard import dashboard_data
from .domain.delivery import STANDARD_RECIPIENTS, record_delivery
from .domain.queries import (
    escalation_history,
    letters_visible_to,
    open_warning_q,
    reports_visible_to,
    warnings_visible_to,
)
from .domain.report_units import sections_visible_to
from .domain.reports import send_report
from .enums import ReportKind
from .exporters import report_sheets
from .forms import (
    UNRESOLVED,
    DashboardFilterForm,
    DeliveryForm,
    LetterFilterForm,
    LetterForm,
    ReferralForm,
    ReplyForm,
    ReportFilterForm,
    TalkForm,
    WarningFilterForm,
)
from .jobs import report_filename, report_for, report_row_count
from .models import Report, ReportDelivery
from .sorting import warning_sorting

STATE_COLOURS = {
    "received": "#8fb8de",
    "investigating": "#1f6fb2",
    "rectifying": "#e0a800",
    "reopened": "#c0392b",
    "completed": "#5fb878",
    "accepted": "#2e8b57",
    "reviewed": "#1e7145",
    "publicized": "#16a2b8",
    "closed": "#7f8c8d",
    "filed": "#4a5561",
}


def _office_only(request):
    if not access_of(request.user).writes_all:
        raise Http404


def _pk_param(value: str) -> int:
    """An id from the query string: digits only, else 404 (never a ValueError → 500)."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404
    return int(value)


def _filter_errors(form) -> list[str]:
    """“字段：错误” lines of an invalid filter form, shown above the list (the filter is not applied)."""
    if not form.is_bound or form.is_valid():
        return []
    return [f"{form.fields[name].label}：{message}" for name, errs in form.errors.items() for message in errs]


# --- dashboard ---------------------------------------------------------------------------------


@login_required
def index(request):
    """调度督办 dashboard: totals, rates and charts; every figure links to the list behind it."""
    form = DashboardFilterForm(request.GET or None)
    inspection = unit = None
    if form.is_valid():
        inspection, unit = form.cleaned_data["inspection"], form.cleaned_data["unit"]
    today = timezone.localdate()
    data = dashboard_data(request.user, today=today, inspection=inspection, unit=unit)
    base = {k: v.pk for k, v in (("inspection", inspection), ("unit", unit)) if v is not None}

    def case_url(**extra):
        return reverse("cases:list") + "?" + urlencode(base | extra)

    def task_url(**extra):
        return reverse("rectification:list") + "?" + urlencode(base | extra)

    c, t = data["cases"], data["tasks"]
    week_ranges = [(w.isoformat(), (w + timedelta(days=6)).isoformat()) for w in data["week_starts"]]
    unit_rows = []
    for (unit_id, unit_name), counts in c["by_unit_state"][:12]:
        # Grouped by lead unit, so the segment opens ?lead_unit= (the list's ?unit= also matches
        # cooperating units); a case without a lead unit has no list of its own to open.
        segs = [
            charts.Bar(
                s.label,
                counts[s.value],
                case_url(lead_unit=unit_id, state=s.value) if unit_id else "",
                STATE_COLOURS[s.value],
            )
            for s in CaseState
        ]
        unit_rows.append((unit_name, segs))
    chart = {
        "unit_state": charts.stacked_hbar_chart(unit_rows, label_width=150),
        "pollution": charts.hbar_chart(
            [
                charts.Bar(name, n, case_url(pollution_type=pk), charts.PALETTE[i % len(charts.PALETTE)])
                for i, (pk, name, n) in enumerate(c["pollution"])
            ]
        ),
        "new_closed": charts.column_chart(
            data["weeks"],
            [
                charts.Series(
                    "新交办",
                    data["new_per_week"],
                    "#1f6fb2",
                    [case_url(transferred_from=a, transferred_to=b) for a, b in week_ranges],
                ),
                charts.Series(
                    "销号",
                    data["closed_per_week"],
                    "#2e8b57",
                    [case_url(closed_from=a, closed_to=b) for a, b in week_ranges],
                ),
            ],
        ),
        # Each point: the cases overdue at the end of that week's Sunday (this week: today).
        "overdue_trend": charts.column_chart(
            data["weeks"],
            [
                charts.Series(
                    "逾期案件",
                    data["overdue_trend"],
                    "#c0392b",
                    [case_url(overdue_on=day.isoformat()) for day in data["trend_days"]],
                )
            ],
            line=True,
        ),
        "grades": charts.hbar_chart(
            [
                charts.Bar(label, n, task_url(grade=value), colour)
                for (value, label, n), colour in zip(
                    t["grades"], ["#2e8b57", "#1f6fb2", "#e0a800", "#c0392b", "#9aa5b1"], strict=True
                )
            ],
            label_width=70,
        ),
    }
    state_legend = [
        (s, STATE_COLOURS[s.value], case_url(state=s.value), c["by_state"][s.value]) for s in CaseState
    ]
    status_colours = {"complete": "grey", "on_schedule": "green", "behind": "yellow", "overdue": "red"}
    task_statuses = [
        (value, label, n, status_colours[value], task_url(schedule=value))
        for value, label, n in t["statuses"]
    ]
    warning_cards = [
        (
            level,
            n,
            reverse("supervision:warnings") + "?" + urlencode({"level": level.value, "state": UNRESOLVED}),
        )
        for level, n in data["warnings"]
    ]
    filter_errors = _filter_errors(form)
    return render(
        request,
        "supervision/index.html",
        {
            "form": form,
            "filter_errors": filter_errors,
            "data": data,
            "chart": chart,
            "state_legend": state_legend,
            "today": today,
            "task_statuses": task_statuses,
            "due_soon_days": settings.DUE_SOON_DAYS,
            "warning_cards": warning_cards,
            "links": {
                "cases": case_url(),
                "cases_finished": case_url(finished="true"),
                "cases_on_time": case_url(overdue="false"),
                "cases_overdue": case_url(overdue="true"),
                "cases_due_soon": case_url(due_soon="true"),
                "cases_closed": case_url(state="closed"),
                "tasks": task_url(),
                "tasks_complete": task_url(schedule="complete"),
                "tasks_on_time": task_url(schedule="on_time"),
                "tasks_overdue": task_url(overdue="true"),
                "tasks_due_soon": task_url(due_soon="true"),
                "warnings_escalated": reverse("supervision:warnings") + "?state=escalated",
                "letters_open": reverse("supervision:letters") + "?state=issued",
            },
            "access": access_of(request.user),
        },
        status=400 if filter_errors else 200,
    )


# --- reports -----------------------------------------------------------------------------------


@login_required
def report_list(request):
    form = ReportFilterForm(request.GET or None)
    reports = reports_visible_to(request.user).defer("data")
    if form.is_valid() and form.cleaned_data["kind"]:
        reports = reports.filter(kind=form.cleaned_data["kind"])
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    filter_errors = _filter_errors(form)
    return render(
        request,
        "supervision/report_list.html",
        {"form": form, "page": page, "filter_errors": filter_errors},
        status=400 if filter_errors else 200,
    )


def _visible_report(request, pk):
    return report_for(request.user, pk)


def _report_job(request, report, kind: str, filename: str, *, limit: int):
    """The job page when the report is too big to answer in the request (or 后台生成 was pressed)."""
    if request.method != "POST" and report_row_count(report.data) < limit:
        return None
    job, _created = start_job(kind, owner=request.user, params={"report": report.pk}, filename=filename)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def report_detail(request, pk):
    access = access_of(request.user)
    if not access.reads_all:
        report = get_object_or_404(reports_visible_to(request.user).defer("data"), pk=pk)
        if report.kind != ReportKind.DAILY:
            return report_units_page(request, report, access)
    report = _visible_report(request, pk)
    return render(
        request,
        "supervision/report_detail.html",
        {
            "report": report,
            "access": access,
            "deliveries": report.deliveries.select_related("delivered_by"),
            "can_deliver": access.writes_all and report.kind != ReportKind.DAILY,
        },
    )


def report_units_page(request, report, access):
    """A unit user's view of a weekly or monthly report: their own units' sections only."""
    sections = list(sections_visible_to(report, access).order_by("id"))
    if len(sections) == 1:
        return redirect("supervision:report_unit", pk=report.pk, unit_id=sections[0].unit_id)
    return render(request, "supervision/report_units.html", {"report": report, "sections": sections})


@login_required
def report_unit(request, pk, unit_id):
    """One unit's section of a weekly or monthly report; another unit's section is 404."""
    access = access_of(request.user)
    report = get_object_or_404(reports_visible_to(request.user).defer("data"), pk=pk)
    section = get_object_or_404(sections_visible_to(report, access), unit_id=unit_id)
    return render(
        request,
        "supervision/report_unit.html",
        {"report": report, "section": section, "s": section.data, "access": access},
    )


@login_required
def report_deliver(request, pk):
    """报送登记 (office): record that the report went to 市委、市政府、市督改办, with the PDF sent."""
    _office_only(request)
    report = get_object_or_404(Report.objects.defer("data"), pk=pk)
    if report.kind == ReportKind.DAILY:
        raise Http404
    initial = {"recipients": list(STANDARD_RECIPIENTS), "delivered_on": timezone.localdate()}
    form = DeliveryForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        report = Report.objects.get(pk=pk)  # the PDF is made from the stored data
        try:
            delivery = record_delivery(
                report,
                actor=request.user,
                recipients=form.recipient_list(),
                delivered_on=form.cleaned_data["delivered_on"],
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"已登记报送{delivery.recipients}，文件 SHA-256：{delivery.sha256}")
            return redirect(reverse("supervision:report_detail", args=[report.pk]) + "#deliveries")
    return render(
        request,
        "supervision/report_deliver.html",
        {"report": report, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def delivery_file(request, pk):
    """The exact PDF of a delivery (read-all roles only, like the full report)."""
    if not access_of(request.user).reads_all:
        raise Http404
    delivery = get_object_or_404(ReportDelivery.objects.select_related("report"), pk=pk)
    return stored_file_response(delivery.file, content_type="application/pdf", name=delivery.original_name)


@login_required
def report_xlsx(request, pk):
    report = _visible_report(request, pk)
    name = report_filename(report, "xlsx")
    job = _report_job(request, report, "report_xlsx", name, limit=settings.JOB_DIRECT_MAX_ROWS)
    return job or xlsx_response(name, report_sheets(report))


@login_required
def report_pdf(request, pk):
    report = _visible_report(request, pk)
    name = report_filename(report, "pdf")
    job = _report_job(request, report, "report_pdf", name, limit=settings.JOB_DIRECT_MAX_PDF_ROWS)
    return job or pdf_response(name, "pdf/supervision_report.html", {"report": report, "data": report.data})


@require_POST
@login_required
def report_resend(request, pk):
    _office_only(request)
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    sent = send_report(report, resend=True)
    messages.success(request, f"已重新发送，共通知 {sent} 人。")
    return redirect("supervision:report_detail", pk=report.pk)


# --- warnings and escalation -------------------------------------------------------------------


@login_required
def warning_list(request):
    form = WarningFilterForm(request.GET or None)
    warnings = warnings_visible_to(request.user).select_related("task", "case", "unit")
    if form.is_valid():
        if form.cleaned_data["level"]:
            warnings = warnings.filter(level=form.cleaned_data["level"])
        if form.cleaned_data["state"] == UNRESOLVED:
            warnings = warnings.filter(open_warning_q())
        elif form.cleaned_data["state"]:
            warnings = warnings.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["raised_from"]:
            warnings = warnings.filter(raised_on__gte=form.cleaned_data["raised_from"])
        if form.cleaned_data["raised_to"]:
            warnings = warnings.filter(raised_on__lte=form.cleaned_data["raised_to"])
    sorting = warning_sorting(request.GET)
    page = paginate(request.GET, sorting.apply(warnings), 50)
    filter_errors = _filter_errors(form)
    return render(
        request,
        "supervision/warning_list.html",
        {
            "form": form,
            "page": page,
            "sorting": sorting,
            "query": query_without_page(request.GET),
            "access": access_of(request.user),
            "filter_errors": filter_errors,
        },
        status=400 if filter_errors else 200,
    )


def _item_from_request(request, source):
    """The task or case named by ?task= / ?case= (or a warning / letter), within the user's scope."""
    if source.get("warning"):
        warning = get_object_or_404(warnings_visible_to(request.user), pk=_pk_param(source["warning"]))
        return {"warning": warning}, warning.task or warning.case
    if source.get("letter"):
        letter = get_object_or_404(letters_visible_to(request.user), pk=_pk_param(source["letter"]))
        return {"letter": letter}, letter.item
    if source.get("task"):
        task = get_object_or_404(tasks_visible_to(request.user), pk=_pk_param(source["task"]))
        return {"task": task}, task
    if source.get("case"):
        case = get_object_or_404(cases_visible_to(request.user), pk=_pk_param(source["case"]))
        return {"case": case}, case
    raise Http404


def _escalation_form(request, form_class, initial, do, template_title, success):
    _office_only(request)
    target, item = _item_from_request(request, request.GET)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = do(actor=request.user, **target, **form.cleaned_data)
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, success(record))
            return redirect(_item_page(record))
    return render(
        request,
        "supervision/escalation_form.html",
        {"form": form, "item": item, "title": template_title, "target": target},
        status=400 if form.is_bound else 200,
    )


def _item_page(record):
    if record.task_id:
        return reverse("supervision:item", args=["task", record.task_id])
    return reverse("supervision:item", args=["case", record.case_id])


@login_required
def letter_new(request):
    today = timezone.localdate()
    return _escalation_form(
        request,
        LetterForm,
        {"reply_deadline": today + timedelta(days=settings.LETTER_REPLY_DAYS)},
        escalation.issue_letter,
        "下发督办函",
        lambda letter: f"督办函 {letter.number} 已下发。",
    )


@login_required
def talk_new(request):
    return _escalation_form(
        request,
        TalkForm,
        {"held_on": timezone.localdate()},
        escalation.record_talk,
        "记录约谈",
        lambda talk: "约谈已记录。",
    )


@login_required
def referral_new(request):
    return _escalation_form(
        request,
        ReferralForm,
        {"referred_on": timezone.localdate()},
        escalation.refer_clue,
        "移送问题线索",
        lambda ref: f"问题线索已移送{ref.recipient}。",
    )


@login_required
def letter_list(request):
    """督办函 list (the dashboard's 督办函待回复 figure opens ?state=issued), scoped to the user."""
    form = LetterFilterForm(request.GET or None)
    letters = (
        letters_visible_to(request.user).select_related("task", "case", "unit").order_by("-issued_on", "-id")
    )
    if form.is_valid() and form.cleaned_data["state"]:
        letters = letters.filter(state=form.cleaned_data["state"])
    page = Paginator(letters, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filter_errors = _filter_errors(form)
    return render(
        request,
        "supervision/letter_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "filter_errors": filter_errors},
        status=400 if filter_errors else 200,
    )


@login_required
def letter_detail(request, pk):
    letter = get_object_or_404(
        letters_visible_to(request.user).select_related("task", "case", "unit", "issued_by"), pk=pk
    )
    item = letter.item
    can_reply = letter.state == "issued" and can_change_units(request.user, item.unit_ids)
    form = ReplyForm(request.POST or None) if can_reply else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            escalation.reply_letter(letter, actor=request.user, reply=form.cleaned_data["reply"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "回复已提交，督办函办结。")
            return redirect("supervision:letter_detail", pk=letter.pk)
    return render(
        request,
        "supervision/letter_detail.html",
        {"letter": letter, "item": item, "form": form, "item_page": _item_page(letter)},
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def letter_pdf(request, pk):
    letter = get_object_or_404(letters_visible_to(request.user).select_related("task", "case", "unit"), pk=pk)
    return pdf_response(f"{letter.number}.pdf", "pdf/supervision_letter.html", {"letter": letter})


@login_required
def item_escalation(request, kind, pk):
    """督办记录 of one task or case: its warnings, letters, talks and referrals in order."""
    if kind not in ("task", "case"):
        raise Http404
    if kind == "task":
        item = get_object_or_404(tasks_visible_to(request.user), pk=pk)
        events = escalation_history(task=item)
        detail = reverse("rectification:detail", args=[pk])
    else:
        item = get_object_or_404(cases_visible_to(request.user), pk=pk)
        events = escalation_history(case=item)
        detail = reverse("cases:detail", args=[pk])
    return render(
        request,
        "supervision/item.html",
        {
            "item": item,
            "kind": kind,
            "events": events,
            "detail": detail,
            "query": urlencode({kind: pk}),
            "access": access_of(request.user),
        },
    )


@login_required
def ledger_131(request):
    """“131”总台账: every task and case the user may see in one workbook. Below JOB_DIRECT_MAX_ROWS
    it streams in the request; a bigger one (or 后台导出, a POST) becomes a background job."""
    name = f"131总台账-{timezone.localdate():%Y%m%d}.xlsx"
    if request.method != "POST" and ledger131.ledger_size(request.user) < settings.JOB_DIRECT_MAX_ROWS:
        return xlsx_response(name, [ledger131.ledger_sheet(request.user)])
    job, _created = start_job("ledger_131", owner=request.user, params={}, filename=name)
    return redirect("jobs:detail", pk=job.pk)
