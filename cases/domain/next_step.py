"""下一步: what a case needs now, who does it, by when, and what the user may do about it.

One NextStep per case page (templates/includes/next_step.html, shared with the task page). The
states of the acceptance chain (已办结 → 已验收 → 已复核) are described by the acceptance app, which
registers a describer here in its AppConfig.ready() (cases never imports acceptance, as with
transitions.add_guard and hooks.on_facts_changed).
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from qianshan.common.next_step import Action, NextStep

from ..enums import CaseState
from ..models import PetitionCase
from . import transitions

S = CaseState


Describer = Callable[[PetitionCase, object, date], "NextStep | None"]
_CHAIN: list[Describer] = []


def on_chain_state(describer: Describer) -> None:
    """Register a describer of the acceptance-chain states (called with case, user, today)."""
    if describer not in _CHAIN:
        _CHAIN.append(describer)


WHAT = {
    S.RECEIVED: "开始调查核实：查清举报问题，分列问题要点",
    S.INVESTIGATING: "填报调查核实情况：属实的制定整改方案、转入整改；不属实的核实后直接办结",
    S.RECTIFYING: "落实整改、记录进展、上传证据；满足办结五项标准后办结",
    S.REOPENED: "重新整改：针对未通过的原因整改后，转回“整改中”",
    S.COMPLETED: "申请验收（办结后向受理机关申请，7日内组织验收）",
    S.ACCEPTED: "申请复核（验收后3日内），复核组5日内复核",
    S.REVIEWED: "协调组办公室公示整改结果",
    S.PUBLICIZED: "公示期满后，协调组办公室销号",
    S.CLOSED: "协调组办公室备案",
    S.FILED: "已备案，本案办理流程结束",
}
UNIT_STATES = {S.RECEIVED, S.INVESTIGATING, S.RECTIFYING, S.REOPENED}
OFFICE_STATES = {S.REVIEWED, S.PUBLICIZED, S.CLOSED}


def _who(case: PetitionCase) -> str:
    if case.state in UNIT_STATES:
        return f"牵头责任单位（{case.lead_unit}）" if case.lead_unit_id else "牵头责任单位（尚未明确）"
    if case.state in OFFICE_STATES:
        return "协调组办公室"
    if case.state == S.COMPLETED:
        return "责任单位申请，受理机关组织验收组验收"
    if case.state == S.ACCEPTED:
        return "责任单位申请复核，复核组复核"
    return "—"


def next_step(case: PetitionCase, user, today: date) -> NextStep:
    """The panel of ``case`` for ``user`` on ``today``: only the moves the user's role may make are
    offered, each disabled with the reason when the case is not ready for it."""
    step = None
    if case.state in (S.COMPLETED, S.ACCEPTED):
        step = next((d for d in (f(case, user, today) for f in _CHAIN) if d is not None), None)
    step = step or NextStep(what=WHAT[S(case.state)], who=_who(case))
    if case.state in UNIT_STATES and case.deadline:
        step.due, step.days_left = case.deadline, (case.deadline - today).days
    if case.state == S.PUBLICIZED and case.publicity_started_on:
        step.due = case.publicity_started_on + timedelta(days=settings.PUBLICITY_DAYS)
        step.days_left = (step.due - today).days
    url = reverse("cases:transition", args=[case.pk])
    for target in transitions.allowed_targets(case, user):
        reopen = target == S.REOPENED
        step.actions.append(
            Action(
                label=f"转为“{S(target).label}”",
                url=url,
                kind="transition",
                target=target,
                problem=transitions.requirement_problem(case, target, today=today),
                needs_reason=reopen,
                primary=not reopen,
            )
        )
    mine = any(a.target != S.REOPENED for a in step.actions)
    if not mine and not step.note and case.state != S.FILED:
        step.note = f"此步由{step.who}办理，您可在此查看进展。"
    return step
