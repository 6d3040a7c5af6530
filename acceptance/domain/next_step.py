"""下一步 of a case in the acceptance chain (已办结, 已验收): registered with
cases.domain.next_step.on_chain_state in AppConfig.ready(). Names the open step, who acts, its
deadline (in working days when DEADLINES_IN_WORKING_DAYS) and the user's own control: a link to
申请验收 / 申请复核 for the case's units, to the form for its assigned signers; a link is offered
only to a user who may open its page."""

from datetime import date

from django.urls import reverse

from cases.enums import CaseState
from org.permissions import access_of, can_change_units
from qianshan.common.next_step import Action, NextStep

from ..enums import StepKind, StepOutcome
from ..models import Step
from .deadlines import Deadlines
from .queries import waiting_for_signature


def describe(case, user, today: date) -> NextStep | None:
    if case.state not in (CaseState.COMPLETED, CaseState.ACCEPTED):
        return None
    applies = can_change_units(user, case.unit_ids) or access_of(user).writes_all
    chain_url = reverse("acceptance:case", args=[case.pk])
    lead = f"牵头责任单位（{case.lead_unit}）" if case.lead_unit_id else "牵头责任单位"
    open_step = (
        Step.objects.filter(case=case, outcome=StepOutcome.PENDING)
        .select_related("form")
        .order_by("-round", "-pk")
        .first()
    )
    if open_step is None:
        if case.state == CaseState.COMPLETED:
            step = NextStep(what="申请验收：办结后向受理机关申请，受理后7日内组织验收", who=lead)
            label = "申请验收"
        else:
            step = NextStep(what="申请复核：验收后3日内向协调组办公室申请", who=lead)
            label = "申请复核"
        if applies:
            step.actions.append(Action(label=label, url=chain_url))
        return step
    deadlines = Deadlines(today=today)
    deadline = deadlines.of(open_step)
    if open_step.kind == StepKind.REVIEW_APPLICATION:
        step = NextStep(what="申请复核：验收后3日内向协调组办公室申请", who=lead)
        if applies:
            step.actions.append(Action(label="申请复核", url=chain_url))
    else:
        body = open_step.receiving_body or "受理机关"
        if open_step.kind == StepKind.ACCEPTANCE:
            step = NextStep(what="组织验收：验收组现场核查，填写并签署验收意见", who=f"验收组（{body}组织）")
        else:
            step = NextStep(what="组织复核：复核组复核，签署验收复核责任书", who="复核组（协调组办公室组织）")
        form = getattr(open_step, "form", None)
        mine = form is not None and waiting_for_signature(user).filter(form=form).exists()
        if mine:
            step.actions.append(Action(label="去签字", url=reverse("acceptance:form", args=[form.pk])))
        elif access_of(user).writes_all and form is not None:
            step.actions.append(
                Action(label="指定签字人", url=reverse("acceptance:form", args=[form.pk]), primary=False)
            )
    step.due, step.days_left, step.days_unit = deadline.due, deadline.days_left, deadline.unit
    if not step.actions:
        step.actions.append(Action(label="查看验收复核进度", url=chain_url, primary=False))
        step.note = f"此步由{step.who}办理。"
    return step
