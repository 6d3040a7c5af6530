"""奖惩情形: what the data shows about a unit's year, listed as facts for the leadership to judge.

Nothing here decides: the reward suggestions (all measures complete and the year's targets
reached) and the accountability circumstances of the assessment method are shown with links.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse

from cases.enums import CaseState
from cases.models import CaseTransition, PetitionCase, ReboundEntry
from rectification.models import RectificationTask


@dataclass
class Fact:
    text: str
    url: str
    label: str


def consequences_for(unit, year: int) -> dict[str, list[Fact]]:
    """{"rewards": [...], "accountability": [...]} for ``unit`` in ``year``; a fixed number of queries."""
    return {"rewards": _rewards(unit, year), "accountability": _accountability(unit, year)}


def _rewards(unit, year) -> list[Fact]:
    tasks = (
        RectificationTask.objects.filter(lead_unit=unit, annual_targets__year=year)
        .distinct()
        .prefetch_related("measures", "annual_targets")
    )
    facts = []
    for task in tasks:
        measures = list(task.measures.all())
        target = next((t for t in task.annual_targets.all() if t.year == year), None)
        if measures and all(m.done for m in measures) and target and target.reached:
            facts.append(
                Fact(
                    f"全部{len(measures)}项措施已完成，{year}年度目标已达到",
                    reverse("rectification:detail", args=[task.pk]),
                    f"整改任务 {task.number}",
                )
            )
    return facts


def _accountability(unit, year) -> list[Fact]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    unit_cases = PetitionCase.objects.filter(Q(lead_unit=unit) | Q(locality=unit))
    facts = []
    facts.extend(_missed_after_letter(unit, unit_cases, start, end))
    for entry in ReboundEntry.objects.filter(
        case__in=unit_cases, found_on__range=(start, end)
    ).select_related("case"):
        facts.append(
            Fact(
                f"销号后反弹（{entry.found_on:%Y-%m-%d}）：{entry.description[:40]}",
                reverse("cases:detail", args=[entry.case_id]),
                f"信访案件 {entry.case.receipt_no}",
            )
        )
    reopened = CaseTransition.objects.filter(
        case__in=unit_cases,
        to_state=CaseState.REOPENED,
        from_state__in=[
            CaseState.ACCEPTED,
            CaseState.REVIEWED,
            CaseState.PUBLICIZED,
            CaseState.CLOSED,
            CaseState.FILED,
        ],
        at__date__range=(start, end),
    ).select_related("case")
    for t in reopened:
        facts.append(
            Fact(
                f"{t.get_from_state_display()}后经复查重新整改：{t.reason[:40]}",
                reverse("cases:detail", args=[t.case_id]),
                f"信访案件 {t.case.receipt_no}",
            )
        )
    return facts


def _missed_after_letter(unit, unit_cases, start, end) -> list[Fact]:
    """Cases of the year still missing their deadline after a supervision letter about them."""
    from supervision.models import SupervisionLetter

    letters = SupervisionLetter.objects.filter(
        case__in=unit_cases, issued_on__range=(start, end)
    ).select_related("case")
    facts = []
    for letter in letters:
        case = letter.case
        done = case.state not in (
            CaseState.RECEIVED,
            CaseState.INVESTIGATING,
            CaseState.RECTIFYING,
            CaseState.REOPENED,
        )
        if case.deadline and case.deadline <= end and not done:
            facts.append(
                Fact(
                    f"{letter.number}（{letter.issued_on:%Y-%m-%d}）督办后仍未按时限（{case.deadline:%Y-%m-%d}）完成",
                    reverse("cases:detail", args=[case.pk]),
                    f"信访案件 {case.receipt_no}",
                )
            )
    return facts
