from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.domain.errors import DomainError
from cases.domain.queries import cases_visible_to
from cases.enums import CaseState
from notifications.domain.background import start_job
from org.permissions import access_of, can_change_units
from qianshan.common.errors import show_refusal
from qianshan.common.listing import paginate, query_without_page
from qianshan.common.pdf import pdf_response

from .domain import queries, rules, services, todo
from .domain.deadlines import Deadlines
from .domain.signing import VALID, sign
from .enums import StepKind, StepOutcome
from .forms import ApplyForm, AssignForm, DecideForm, SignForm, opinion_form_class
from .jobs import BundleForm, bundle_forms
from .presentation import form_context, summary_context
from .sorting import step_sorting


@login_required
def index(request):
    """验收复核: the forms waiting for my signature (oldest first) and the chain overview."""
    user = request.user
    waiting = list(queries.waiting_for_signature(user))
    deadlines = Deadlines()
    for slot in waiting:
        slot.form.step.deadline = deadlines.of(slot.form.step)
    todo_key = request.GET.get("todo", "")
    page = sorting = None
    if todo_key in (todo.DUE, todo.ASSIGN) and (todo_key == todo.DUE or access_of(user).writes_all):
        # A 待办 link: exactly the rows its count counted (acceptance.domain.todo), all of them.
        steps = todo.todo_rows(user, todo_key, deadlines.today)
    else:
        todo_key = todo.SIGN if todo_key == todo.SIGN else ""
        # The overview is sorted (?sort=) and paged by the database with one count, whatever its length.
        sorting = step_sorting(request.GET)
        page = paginate(
            request.GET, sorting.apply(queries.chain_overview(queries.steps_visible_to(user))), 50
        )
        steps = deadlines.annotate(page.object_list)
    to_apply = (
        cases_visible_to(user)
        .filter(state=CaseState.COMPLETED)
        .exclude(acceptance_steps__outcome=StepOutcome.PENDING)
        .select_related("inspection", "lead_unit")
        .order_by("inspection_id", "receipt_no")
    )
    return render(
        request,
        "acceptance/index.html",
        {
            "waiting": waiting,
            "steps": steps,
            "page": page,
            "sorting": sorting,
            "query": query_without_page(request.GET),
            "to_apply": list(to_apply[:100]),
            "todo": todo_key,
        },
    )


def _chain_case(request, pk):
    # A case outside the user's scope (and not assigned to them) is a 404, as in cases/.
    return get_object_or_404(
        queries.chain_cases_visible_to(request.user).select_related("inspection", "lead_unit"), pk=pk
    )


@login_required
def case_chain(request, pk):
    return _case_chain_page(request, _chain_case(request, pk))


def _case_chain_page(request, case, *, decide_form=None, decide_step=None, status=200):
    """The chain page; a refused decision comes back with its bound form on its own step."""
    deadlines = Deadlines()
    steps = deadlines.annotate(
        queries.steps_visible_to(request.user)
        .filter(case=case)
        .select_related("form", "unit", "entrusted_body", "supervising_unit", "organiser")
    )
    is_office = access_of(request.user).writes_all
    can_apply = can_change_units(request.user, case.unit_ids)
    for step in steps:
        # 通过 is refused while a checklist point is not met: 未通过 with those points is offered instead.
        form = getattr(step, "form", None)
        step.unmet = rules.unmet_points(form, case) if step.is_open and form is not None else []
        if step.unmet and (decide_step is None or decide_step.pk != step.pk):
            step.decide_form = DecideForm(initial={"passed": "0", "reasons": "；".join(step.unmet)})
        elif decide_step is not None and decide_step.pk == step.pk:
            step.decide_form = decide_form
        else:
            step.decide_form = DecideForm()
    return render(
        request,
        "acceptance/case_chain.html",
        {
            "case": case,
            "steps": steps,
            "can_apply": can_apply,
            "is_office": is_office,
            "apply_form": ApplyForm(),
            "decide_form": decide_form,
            "decide_errors": _error_lines(decide_form) if decide_form is not None else [],
            "decide_step_id": decide_step.pk if decide_step else None,
            "blank_decide": DecideForm(),
            "pending_acceptance": any(s.is_open for s in steps),
            "working_days": deadlines.working_days,
        },
        status=status,
    )


def _visible_form(request, pk):
    return get_object_or_404(
        queries.forms_visible_to(request.user).select_related(
            "step__case__inspection", "step__case__lead_unit"
        ),
        pk=pk,
    )


@login_required
def form_detail(request, pk):
    return _form_page(request, _visible_form(request, pk))


def _edit_form(form, data=None, instance=None):
    points = rules.checklist_points(form, form.step.case)
    return opinion_form_class(form.kind)(data, instance=instance or form, points=points)


def _form_page(request, form, *, edit_form=None, assign_form=None, status=200):
    """The form page: the fields first, then the 签字 panel (what will be signed, its SHA-256, and
    what is still missing). A refused edit comes back with the bound form, so nothing typed is lost.
    Read-only: opening the page writes nothing."""
    ctx = form_context(form)
    user = request.user
    is_office = access_of(user).writes_all
    assigned = any(c.slot.user_id == user.pk for c in ctx["check"].slots)
    editable = form.step.is_open and not ctx["check"].frozen and (is_office or assigned)
    if edit_form is None and editable:
        edit_form = _edit_form(form)
    ctx.update(
        {
            "edit_form": edit_form,
            "assign_form": (
                assign_form or AssignForm(form_kind=form.kind, member_role=services.MEMBER_ROLE[form.kind])
            )
            if is_office and editable
            else None,
            "sign_form": SignForm(),
            "my_slots": [c for c in ctx["check"].slots if c.slot.user_id == user.pk and c.status != VALID],
            "signable": not ctx["missing"],
        }
    )
    return render(request, "acceptance/form_detail.html", ctx, status=status)


def _error_lines(bound) -> list[str]:
    """“字段：错误” lines of a bound form, non-field errors as they are."""
    return [
        message if name == "__all__" else f"{bound.fields[name].label}：{message}"
        for name, messages_ in bound.errors.items()
        for message in messages_
    ]


@require_POST
@login_required
def form_edit(request, pk):
    form = _visible_form(request, pk)
    # The bound ModelForm works on a copy: the domain decides what is saved on the real row.
    bound = _edit_form(form, request.POST, instance=_visible_form(request, pk))
    if bound.is_valid():
        try:
            services.update_form(form, actor=request.user, values=bound.values())
        except DomainError as exc:
            show_refusal(bound, exc)
        else:
            messages.success(request, "表单已保存。")
            return redirect("acceptance:form", pk=form.pk)
    return _form_page(request, form, edit_form=bound, status=400)


@require_POST
@login_required
def form_assign(request, pk):
    form = _visible_form(request, pk)
    bound = AssignForm(request.POST, form_kind=form.kind, member_role=services.MEMBER_ROLE[form.kind])
    if bound.is_valid():
        try:
            services.assign_signer(form, actor=request.user, **bound.cleaned_data)
        except DomainError as exc:
            show_refusal(bound, exc)
        else:
            messages.success(request, "已指定签字人。")
            return redirect("acceptance:form", pk=form.pk)
    messages.error(request, "未指定签字人：" + "；".join(_error_lines(bound)))
    return _form_page(request, form, assign_form=bound, status=400)


@require_POST
@login_required
def slot_sign(request, pk, slot_pk):
    form = _visible_form(request, pk)
    slot = get_object_or_404(form.slots.all(), pk=slot_pk)
    bound = SignForm(request.POST)
    password = bound.data.get("password", "")
    try:
        sign(slot, actor=request.user, password=password, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已签字。签字已与表单内容绑定（SHA-256）。")
    return redirect("acceptance:form", pk=form.pk)


@login_required
def form_pdf(request, pk):
    form = _visible_form(request, pk)
    ctx = form_context(form, for_pdf=True)
    return pdf_response(
        f"{form.get_kind_display()}-{form.step.case.receipt_no}.pdf", "pdf/acceptance_form.html", ctx
    )


@login_required
def summary(request, pk):
    case = _chain_case(request, pk)
    return render(request, "acceptance/summary.html", summary_context(case))


@login_required
def summary_pdf(request, pk):
    case = _chain_case(request, pk)
    return pdf_response(
        f"验收复核情况事项单-{case.receipt_no}.pdf", "pdf/acceptance_summary.html", summary_context(case)
    )


def _visible_step(request, pk):
    return get_object_or_404(queries.steps_visible_to(request.user).select_related("case"), pk=pk)


@require_POST
@login_required
def apply_acceptance(request, pk):
    case = get_object_or_404(cases_visible_to(request.user), pk=pk)
    bound = ApplyForm(request.POST)
    if not bound.is_valid():
        messages.error(request, "申请日期格式不正确。")
        return redirect("acceptance:case", pk=case.pk)
    try:
        step = services.apply_for_acceptance(
            case,
            actor=request.user,
            applied_on=bound.cleaned_data["applied_on"],
            entrusted_body=bound.cleaned_data["entrusted_body"],
            supervising_unit=bound.cleaned_data["supervising_unit"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("acceptance:case", pk=case.pk)
    messages.success(request, "已申请验收，验收应于7日内完成。")
    return redirect("acceptance:form", pk=step.form.pk)


@require_POST
@login_required
def apply_review(request, pk):
    step = _visible_step(request, pk)
    bound = ApplyForm(request.POST)
    applied_on = bound.cleaned_data["applied_on"] if bound.is_valid() else None
    try:
        services.apply_for_review(step, actor=request.user, applied_on=applied_on)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已申请复核，复核应于5日内完成。")
    return redirect("acceptance:case", pk=step.case_id)


@require_POST
@login_required
def decide(request, pk):
    step = _visible_step(request, pk)
    bound = DecideForm(request.POST)
    if bound.is_valid():
        decide_fn = services.decide_acceptance if step.kind == StepKind.ACCEPTANCE else services.decide_review
        try:
            decide_fn(step, actor=request.user, **bound.cleaned_data)
        except DomainError as exc:
            show_refusal(bound, exc)
        else:
            messages.success(request, f"{step.get_kind_display()}结论已记录。")
            return redirect("acceptance:case", pk=step.case_id)
    case = _chain_case(request, step.case_id)
    return _case_chain_page(request, case, decide_form=bound, decide_step=step, status=400)


@login_required
def bundle(request):
    """签字表单批量下载: choose a selection; the zip is built by a background job."""
    form = BundleForm(request.POST or request.GET or None)
    count = None
    if form.is_bound and form.is_valid():
        count = bundle_forms(request.user, form.params()).count()
        if request.method == "POST":
            if not count:
                form.add_error(None, "所选范围内没有已签字的表单，请修改筛选条件。")
            else:
                name = f"签字表单-{timezone.localdate():%Y%m%d}.zip"
                job, _created = start_job(
                    "signed_forms_zip", owner=request.user, params=form.params(), filename=name
                )
                return redirect("jobs:detail", pk=job.pk)
    return render(
        request,
        "acceptance/bundle.html",
        {"form": form, "count": count, "ttl_hours": settings.JOB_FILE_TTL_HOURS},
    )
