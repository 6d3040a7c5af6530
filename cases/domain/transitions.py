"""The petition-case state machine (docs/rules.md §4): one table, one guarded write.

Every transition is a conditional UPDATE on (pk, state, version), so two people pressing the
same button at once give one transition and one refusal — on SQLite as on PostgreSQL, where
``select_for_update`` would not help SQLite. Each transition leaves a CaseTransition row and a
simple-history row.

Views and other apps call the verb-first functions at the end (``start_investigation``,
``complete_case`` …); each names its one edge, and ``transition()`` checks the table, the actor
and the case's record before any write.

An untrue case (是否属实 = 不属实) may go investigating → completed directly: there is nothing to
rectify, so no plan is needed; it still needs the investigation text, the points checked, the
complainant's acceptance of the explanation and evidence (the acceptance chain then gives the
untrue finding its focused review, docs/rules.md §5).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from org.enums import Role
from org.permissions import access_of, can_change_units

from ..enums import FINISHED_STATES, CaseState, CompletionStatus, Finding
from ..models import CaseTransition, PetitionCase
from .errors import DomainError
from .services import FIXED_THREE, check_fixed_three

S = CaseState


@dataclass(frozen=True)
class Rule:
    """Who may fire a transition: the case's own units (lead/cooperating) and/or these roles."""

    unit_users: bool
    roles: frozenset[str]
    # Only the acceptance chain (signed forms, docs/rules.md §5) may fire it: no button, no shortcut.
    chain_only: bool = False


_UNIT = Rule(unit_users=True, roles=frozenset({Role.OFFICE, Role.ADMIN}))
_ACCEPT = Rule(
    unit_users=False, roles=frozenset({Role.OFFICE, Role.ADMIN, Role.ACCEPTANCE_MEMBER}), chain_only=True
)
_REVIEW = Rule(
    unit_users=False, roles=frozenset({Role.OFFICE, Role.ADMIN, Role.REVIEW_MEMBER}), chain_only=True
)
_OFFICE = Rule(unit_users=False, roles=frozenset({Role.OFFICE, Role.ADMIN}))
_REOPEN = Rule(
    unit_users=False,
    roles=frozenset({Role.OFFICE, Role.ADMIN, Role.ACCEPTANCE_MEMBER, Role.REVIEW_MEMBER}),
)

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.RECEIVED, S.INVESTIGATING): _UNIT,
    (S.INVESTIGATING, S.RECTIFYING): _UNIT,
    (S.RECTIFYING, S.COMPLETED): _UNIT,
    (S.INVESTIGATING, S.COMPLETED): _UNIT,  # untrue cases only, see check_requirements
    (S.COMPLETED, S.ACCEPTED): _ACCEPT,
    (S.ACCEPTED, S.REVIEWED): _REVIEW,
    (S.REVIEWED, S.PUBLICIZED): _OFFICE,
    (S.PUBLICIZED, S.CLOSED): _OFFICE,
    (S.CLOSED, S.FILED): _OFFICE,
    (S.REOPENED, S.RECTIFYING): _UNIT,
    **{(state, S.REOPENED): _REOPEN for state in FINISHED_STATES},
}


# Checks other apps add to a target state (the acceptance chain: its signatures still hold).
# Registered once in an AppConfig.ready(); each raises DomainError to refuse.
_GUARDS: dict[str, list[Callable[[PetitionCase], None]]] = {}


def add_guard(to_state: str, check: Callable[[PetitionCase], None]) -> None:
    if check not in _GUARDS.setdefault(to_state, []):
        _GUARDS[to_state].append(check)


def allowed_targets(case: PetitionCase, user) -> list[str]:
    """The states this user may move the case to now (for the buttons on the case page)."""
    return [
        to
        for (frm, to), rule in TRANSITIONS.items()
        if frm == case.state and not rule.chain_only and _may_fire(rule, case, user)
    ]


def _may_fire(rule: Rule, case: PetitionCase, user) -> bool:
    if user is None:  # the system itself (a scheduled job) acts
        return True
    access = access_of(user)
    if access.has(*rule.roles):
        return True
    return rule.unit_users and access.is_unit_user and can_change_units(user, case.unit_ids)


FIVE_CONDITIONS = (
    "points_investigated",
    "points_resolved",
    "violations_penalised",
    "accountability_done",
    "complainant_accepted",
)
# An untrue case has nothing to resolve, penalise or hold to account.
UNTRUE_CONDITIONS = ("points_investigated", "complainant_accepted")


def _label(name: str) -> str:
    return str(PetitionCase._meta.get_field(name).verbose_name)


def check_requirements(case: PetitionCase, to_state: str, *, today=None) -> None:
    """What each target state needs recorded first; raises DomainError naming the field."""
    if to_state != S.RECEIVED:
        values = {name: getattr(case, name) for name in FIXED_THREE if name != "lead_unit"}
        problems = check_fixed_three({**values, "lead_unit": case.lead_unit_id}, to_state)
        if problems:
            raise DomainError(problems[0][1], field=problems[0][0])
        if case.is_key and not (case.key_leader.strip() and case.work_plan.strip()):
            raise DomainError("重点件须明确包保主要领导并制定工作方案。", field="work_plan")
    if to_state == S.RECTIFYING and case.state == S.INVESTIGATING:
        if not case.finding:
            raise DomainError("进入整改前须填写“是否属实”。", field="finding")
        if case.finding == Finding.UNTRUE:
            raise DomainError("不属实的案件无需整改，核实后可直接办结。", field="finding")
        if not case.investigation.strip():
            raise DomainError("进入整改前须填写“调查核实情况”。", field="investigation")
        if not case.plan.strip():
            raise DomainError("进入整改前须填写“整改方案”。", field="plan")
    if to_state == S.COMPLETED:
        _check_completion(case)
    if to_state == S.CLOSED:
        started = case.publicity_started_on
        days = settings.PUBLICITY_DAYS
        today = today or timezone.localdate()
        if started is None or (today - started).days < days:
            raise DomainError(f"公示期（{days}天）未满，不能销号。")


def _check_completion(case: PetitionCase) -> None:
    untrue = case.finding == Finding.UNTRUE
    if case.state == S.INVESTIGATING and not untrue:
        raise DomainError("只有核实为“不属实”的案件可以不经整改直接办结。", field="finding")
    if not case.investigation.strip():
        raise DomainError("办结须填写“调查核实情况”。", field="investigation")
    if not untrue and not case.handling.strip():
        raise DomainError("办结须填写“处理和整改情况”。", field="handling")
    conditions = UNTRUE_CONDITIONS if untrue else FIVE_CONDITIONS
    missing = [_label(name) for name in conditions if not getattr(case, name)]
    if missing:
        raise DomainError("办结须满足五项标准，尚缺：" + "、".join(missing) + "。")
    if not case.completion_evidence.strip():
        raise DomainError("办结须填写“办结依据”。", field="completion_evidence")
    open_points = case.points.filter(is_true=True, is_resolved=False).count() if not untrue else 0
    if open_points:
        raise DomainError(f"尚有 {open_points} 个属实的举报问题要点未解决，不能办结。")
    if not case.attachments.exists():
        raise DomainError("办结须上传证据材料（现场照片、勘察笔录或办理材料）。")


def requirement_problem(case: PetitionCase, to_state: str, *, today=None) -> str:
    """The Chinese reason a transition would be refused now, or "" (to grey out a button)."""
    try:
        check_requirements(case, to_state, today=today)
    except DomainError as exc:
        return exc.message
    return ""


def transition(
    case: PetitionCase, to_state: str, *, actor, reason: str = "", today=None, via_chain: bool = False
) -> PetitionCase:
    """Move the case to ``to_state`` if the table, the actor and the case's record allow it.

    ``via_chain`` is passed only by accept_case/review_case, which the acceptance chain calls once
    the forms are signed. Raises DomainError otherwise — also when someone else moved the case first.
    """
    rule = TRANSITIONS.get((case.state, to_state))
    if rule is None:
        raise DomainError(f"案件当前环节为“{S(case.state).label}”，不能转为“{S(to_state).label}”。")
    if rule.chain_only and not via_chain:
        raise DomainError("验收、复核须在“验收复核”中由验收组、复核组签字背书后完成，不能直接转换。")
    if not _may_fire(rule, case, actor):
        raise DomainError("您无权执行此操作。")
    if to_state == S.REOPENED and not reason.strip():
        raise DomainError("重新整改须说明原因。", field="reason")
    check_requirements(case, to_state, today=today)
    for check in _GUARDS.get(to_state, ()):
        check(case)
    with transaction.atomic():
        extra = _side_fields(to_state, today)
        updated = PetitionCase.objects.filter(pk=case.pk, state=case.state, version=case.version).update(
            state=to_state, version=F("version") + 1, **extra
        )
        if not updated:
            raise DomainError("案件已被他人更新，请刷新页面后重试。")
        CaseTransition.objects.create(
            case=case, from_state=case.state, to_state=to_state, actor=actor, reason=reason
        )
        fresh = PetitionCase.objects.get(pk=case.pk)
        _record_history(fresh, actor, f"{S(case.state).label} → {S(to_state).label}")
    return fresh


def _side_fields(to_state: str, today=None) -> dict:
    today = today or timezone.localdate()
    if to_state == S.COMPLETED:
        return {"completion_status": CompletionStatus.DONE}
    if to_state == S.PUBLICIZED:
        return {"publicity_started_on": today}
    if to_state == S.CLOSED:
        return {"closed_on": today}
    if to_state == S.REOPENED:
        return {
            "closed_on": None,
            "publicity_started_on": None,
            "completion_status": CompletionStatus.IN_PROGRESS,
        }
    return {}


def _record_history(case: PetitionCase, actor, reason: str) -> None:
    # QuerySet.update() bypasses simple-history; a save of the fresh row records it.
    case._history_user = actor
    case._change_reason = reason
    case.save(update_fields=["updated_at"])


# --- one verb per edge ---------------------------------------------------------------------------
def _from(case: PetitionCase, *states: str) -> None:
    if case.state not in states:
        raise DomainError(f"案件当前环节为“{S(case.state).label}”，不能执行此操作。")


def start_investigation(case: PetitionCase, *, actor, reason: str = "") -> PetitionCase:
    """已交办 → 调查核实: the units take the case (needs unit, person, standard, deadline)."""
    _from(case, S.RECEIVED)
    return transition(case, S.INVESTIGATING, actor=actor, reason=reason)


def start_rectification(case: PetitionCase, *, actor, reason: str = "") -> PetitionCase:
    """调查核实 → 整改中: needs the finding (not untrue), the investigation text and the plan."""
    _from(case, S.INVESTIGATING)
    return transition(case, S.RECTIFYING, actor=actor, reason=reason)


def complete_case(case: PetitionCase, *, actor, reason: str = "") -> PetitionCase:
    """整改中 → 已办结 (or 调查核实 → 已办结 for an untrue case): the five conditions with evidence."""
    _from(case, S.RECTIFYING, S.INVESTIGATING)
    return transition(case, S.COMPLETED, actor=actor, reason=reason)


def accept_case(case: PetitionCase, *, actor, reason: str = "") -> PetitionCase:
    """已办结 → 已验收 (the acceptance chain calls this once the 验收意见 is signed)."""
    _from(case, S.COMPLETED)
    return transition(case, S.ACCEPTED, actor=actor, reason=reason, via_chain=True)


def review_case(case: PetitionCase, *, actor, reason: str = "") -> PetitionCase:
    """已验收 → 已复核 (the acceptance chain calls this once the 复核责任书 is signed)."""
    _from(case, S.ACCEPTED)
    return transition(case, S.REVIEWED, actor=actor, reason=reason, via_chain=True)


def start_publicity(case: PetitionCase, *, actor, reason: str = "", today=None) -> PetitionCase:
    """已复核 → 公示中: records the publicity start date."""
    _from(case, S.REVIEWED)
    return transition(case, S.PUBLICIZED, actor=actor, reason=reason, today=today)


def close_case(case: PetitionCase, *, actor, reason: str = "", today=None) -> PetitionCase:
    """公示中 → 已销号: only once PUBLICITY_DAYS have passed since publicity started."""
    _from(case, S.PUBLICIZED)
    return transition(case, S.CLOSED, actor=actor, reason=reason, today=today)


def file_case(case: PetitionCase, *, actor, reason: str = "") -> PetitionCase:
    """已销号 → 已备案: the archive is filed."""
    _from(case, S.CLOSED)
    return transition(case, S.FILED, actor=actor, reason=reason)


def reopen_case(case: PetitionCase, *, actor, reason: str) -> PetitionCase:
    """Any state after completion → 重新整改 (rebound, failed acceptance, review or re-check)."""
    _from(case, *FINISHED_STATES)
    return transition(case, S.REOPENED, actor=actor, reason=reason)


def resume_rectification(case: PetitionCase, *, actor, reason: str = "") -> PetitionCase:
    """重新整改 → 整改中."""
    _from(case, S.REOPENED)
    return transition(case, S.RECTIFYING, actor=actor, reason=reason)


# The verb the case page's buttons call for each target state.
VERBS = {
    S.INVESTIGATING: start_investigation,
    S.COMPLETED: complete_case,
    S.PUBLICIZED: start_publicity,
    S.CLOSED: close_case,
    S.FILED: file_case,
    S.REOPENED: reopen_case,
}


def fire(case: PetitionCase, to_state: str, *, actor, reason: str = "") -> PetitionCase:
    """Press the case page's button for ``to_state``: the one verb for the case's edge."""
    if to_state == S.RECTIFYING:
        verb = resume_rectification if case.state == S.REOPENED else start_rectification
    else:
        verb = VERBS.get(to_state)
    if verb is None:
        raise DomainError("无效的目标环节。")
    return verb(case, actor=actor, reason=reason)
