"""Writes to petition cases other than state transitions."""

import re

from django.db import transaction
from django.utils import timezone

from org.permissions import access_of

from ..enums import CaseState
from ..models import PetitionCase
from .errors import DomainError
from .evidence import link_repeat_cases
from .hooks import facts_changed

# The 131 loop (docs/rules.md §2): fixed for every case once it leaves "received".
FIXED_THREE = ("lead_unit", "handler", "standard", "deadline")


def check_fixed_three(values: dict, state: str) -> list[tuple[str, str]]:
    """(field, message) for each missing responsibility/standard/deadline field."""
    if state == CaseState.RECEIVED:
        return []
    problems = []
    for name in FIXED_THREE:
        value = values.get(name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            label = PetitionCase._meta.get_field(name).verbose_name
            problems.append(
                (name, f"“{label}”必填：案件已交办之后必须明确责任单位、责任人、整改标准和整改时限。")
            )
    return problems


# 负责人电话: digits, +, -, spaces and parentheses, 7–20 characters, at least 7 of them digits.
PHONE_RE = re.compile(r"[0-9+\-() ]{7,20}")
PHONE_MESSAGE = "“{label}”格式不正确：只能填写数字、+、-、空格和括号，共 7–20 位（例如 0412-1234567）。"


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not a phone number, or None (an empty value is allowed)."""
    value = (value or "").strip()
    if not value:
        return None
    if not PHONE_RE.fullmatch(value) or sum(c.isdigit() for c in value) < 7:
        return PHONE_MESSAGE.format(label=PetitionCase._meta.get_field("handler_phone").verbose_name)
    return None


def check_case_facts(values: dict, case: PetitionCase | None = None) -> list[tuple[str, str]]:
    """(field, message) for facts that cannot be right: a deadline before the transfer date, a
    负责人电话 that is not a phone number. Only the fields in ``values`` are judged; the other
    date of the pair comes from ``case``."""
    problems = []
    if "deadline" in values or "transferred_on" in values:
        deadline = values.get("deadline", getattr(case, "deadline", None))
        transferred = values.get("transferred_on", getattr(case, "transferred_on", None))
        if deadline and transferred and deadline < transferred:
            problems.append(
                (
                    "deadline" if "deadline" in values else "transferred_on",
                    f"整改时限（{deadline:%Y-%m-%d}）不能早于交办日期（{transferred:%Y-%m-%d}）。",
                )
            )
    if "handler_phone" in values:
        message = phone_problem(values["handler_phone"])
        if message:
            problems.append(("handler_phone", message))
    return problems


ASSIGNMENT_FIELDS = ("lead_unit", "cooperating_units")


def _check_unit_assignment(case: PetitionCase, actor, values: dict, m2m: dict) -> None:
    """Only the coordination office assigns a case to units; a unit cannot hand it to another."""
    if actor is None or access_of(actor).writes_all:
        return
    if "lead_unit" in values and getattr(values["lead_unit"], "pk", values["lead_unit"]) != case.lead_unit_id:
        raise DomainError("只有协调组办公室可以指定或调整牵头责任单位。", field="lead_unit")
    if "cooperating_units" in m2m:
        wanted = {getattr(u, "pk", u) for u in m2m["cooperating_units"]}
        if wanted != {u.pk for u in case.cooperating_units.all()}:
            raise DomainError("只有协调组办公室可以指定或调整配合单位。", field="cooperating_units")


def update_case(
    case: PetitionCase,
    *,
    actor,
    values: dict,
    m2m: dict | None = None,
    reason: str = "",
    expected_updated_at=None,
) -> PetitionCase:
    """Save edited fields of a case (not its state) with history; refuses a missing fixed-three field.

    With ``expected_updated_at`` (when the form was loaded) the save is refused if someone else
    saved the case in between, so two editors never silently overwrite each other.
    """
    if "state" in values or "version" in values:
        raise DomainError("案件环节只能通过流转操作改变。")
    _check_unit_assignment(case, actor, values, m2m or {})
    facts = check_case_facts(values, case)
    if facts:
        raise DomainError(facts[0][1], field=facts[0][0])
    merged = {name: values.get(name, getattr(case, name)) for name in FIXED_THREE}
    problems = check_fixed_three(merged, case.state)
    if problems:
        raise DomainError(problems[0][1], field=problems[0][0])
    with transaction.atomic():
        if expected_updated_at is not None:
            # A conditional update claims the row: 0 rows means another save got there first.
            claimed = PetitionCase.objects.filter(pk=case.pk, updated_at=expected_updated_at).update(
                updated_at=timezone.now()
            )
            if not claimed:
                raise DomainError("案件已被他人修改，请刷新页面查看最新内容后再保存。")
        for name, value in values.items():
            setattr(case, name, value)
        case._history_user = actor
        case._change_reason = reason or "编辑案件信息"
        case.save()
        for name, items in (m2m or {}).items():
            getattr(case, name).set(items)
        # Signatures bound to facts this edit changed are voided now, by this write (docs/rules.md §5).
        facts_changed([case], actor=actor, reason=reason or "编辑案件信息")
    return case


def save_handling(
    case: PetitionCase,
    *,
    actor,
    values: dict,
    related: list[PetitionCase],
    expected_updated_at=None,
) -> PetitionCase:
    """调查与办理: the form's fields and its repeat-case links, saved together or not at all."""
    with transaction.atomic():
        update_case(
            case,
            actor=actor,
            values=values,
            reason="填报调查与办理情况",
            expected_updated_at=expected_updated_at,
        )
        if related or case.related_cases.exists():
            link_repeat_cases(case, related, actor=actor)
    return case
