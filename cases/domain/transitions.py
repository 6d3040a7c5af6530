"""The petition-case state machine (domain.md §4): one table, one guarded write.

Every transition is a conditional UPDATE on (pk, state, version), so two people pressing the
same button at once give one transition and one refusal — on SQLite as on PostgreSQL, where
``select_for_update`` would not help SQLite. Each transition leaves a CaseTransition row and a
simple-history row.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from org.enums import Role
from org.permissions import access_of, can_change_units

from ..enums import FINISHED_STATES, CaseState
from ..models import CaseTransition, PetitionCase
from .errors import DomainError

S = CaseState


@dataclass(frozen=True)
class Rule:
    """Who may fire a transition: the case's own units (lead/cooperating) and/or these roles."""

    unit_users: bool
    roles: frozenset[str]


_UNIT = Rule(unit_users=True, roles=frozenset({Role.OFFICE, Role.ADMIN}))
_ACCEPT = Rule(unit_users=False, roles=frozenset({Role.OFFICE, Role.ADMIN, Role.ACCEPTANCE_MEMBER}))
_REVIEW = Rule(unit_users=False, roles=frozenset({Role.OFFICE, Role.ADMIN, Role.REVIEW_MEMBER}))
_OFFICE = Rule(unit_users=False, roles=frozenset({Role.OFFICE, Role.ADMIN}))
_REOPEN = Rule(
    unit_users=False,
    roles=frozenset({Role.OFFICE, Role.ADMIN, Role.ACCEPTANCE_MEMBER, Role.REVIEW_MEMBER}),
)

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.RECEIVED, S.INVESTIGATING): _UNIT,
    (S.INVESTIGATING, S.RECTIFYING): _UNIT,
    (S.RECTIFYING, S.COMPLETED): _UNIT,
    (S.COMPLETED, S.ACCEPTED): _ACCEPT,
    (S.ACCEPTED, S.REVIEWED): _REVIEW,
    (S.REVIEWED, S.PUBLICIZED): _OFFICE,
    (S.PUBLICIZED, S.CLOSED): _OFFICE,
    (S.CLOSED, S.FILED): _OFFICE,
    (S.REOPENED, S.RECTIFYING): _UNIT,
    **{(state, S.REOPENED): _REOPEN for state in FINISHED_STATES},
}


def allowed_targets(case: PetitionCase, user) -> list[str]:
    """The states this user may move the case to now (for the buttons on the case page)."""
    return [
        to for (frm, to), rule in TRANSITIONS.items() if frm == case.state and _may_fire(rule, case, user)
    ]


def _may_fire(rule: Rule, case: PetitionCase, user) -> bool:
    if user is None:  # the system itself (a scheduled job) acts
        return True
    access = access_of(user)
    if access.has(*rule.roles):
        return True
    return rule.unit_users and access.is_unit_user and can_change_units(user, case.unit_ids)


def check_requirements(case: PetitionCase, to_state: str) -> None:
    """What each target state needs recorded first; raises DomainError naming the field."""
    if to_state == S.RECTIFYING and case.state == S.INVESTIGATING:
        if not case.finding:
            raise DomainError("进入整改前须填写“是否属实”。", field="finding")
        if not case.plan.strip():
            raise DomainError("进入整改前须填写“整改方案”。", field="plan")
    if to_state == S.COMPLETED:
        missing = [
            PetitionCase._meta.get_field(name).verbose_name
            for name in (
                "points_investigated",
                "points_resolved",
                "violations_penalised",
                "accountability_done",
                "complainant_accepted",
            )
            if not getattr(case, name)
        ]
        if missing:
            raise DomainError("办结须满足五项标准，尚缺：" + "、".join(missing) + "。")
        if not case.completion_evidence.strip():
            raise DomainError("办结须填写“办结依据”。", field="completion_evidence")
    if to_state == S.CLOSED:
        started = case.publicity_started_on
        days = settings.PUBLICITY_DAYS
        if started is None or (timezone.localdate() - started).days < days:
            raise DomainError(f"公示期（{days}天）未满，不能销号。")
    if to_state != S.RECEIVED:
        for name in ("lead_unit", "handler", "standard", "deadline"):
            if not getattr(case, name if name != "lead_unit" else "lead_unit_id"):
                label = PetitionCase._meta.get_field(name).verbose_name
                raise DomainError(f"已交办之后的案件必须有“{label}”。", field=name)


def transition(case: PetitionCase, to_state: str, *, actor, reason: str = "") -> PetitionCase:
    """Move the case to ``to_state`` if the table, the actor and the case's record allow it.

    Raises DomainError otherwise — also when someone else moved the case first.
    """
    rule = TRANSITIONS.get((case.state, to_state))
    if rule is None:
        raise DomainError(f"案件当前环节为“{S(case.state).label}”，不能转为“{S(to_state).label}”。")
    if not _may_fire(rule, case, actor):
        raise DomainError("您无权执行此操作。")
    if to_state == S.REOPENED and not reason.strip():
        raise DomainError("重新整改须说明原因。", field="reason")
    check_requirements(case, to_state)
    with transaction.atomic():
        extra = _side_fields(to_state)
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


def _side_fields(to_state: str) -> dict:
    today = timezone.localdate()
    if to_state == S.PUBLICIZED:
        return {"publicity_started_on": today}
    if to_state == S.CLOSED:
        return {"closed_on": today}
    if to_state == S.REOPENED:
        return {"closed_on": None, "publicity_started_on": None}
    return {}


def _record_history(case: PetitionCase, actor, reason: str) -> None:
    # QuerySet.update() bypasses simple-history; a save of the fresh row records it.
    case._history_user = actor
    case._change_reason = reason
    case.save(update_fields=["updated_at"])
