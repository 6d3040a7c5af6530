"""奖惩情形: what the data shows about a unit's year, listed as facts for the leadership to judge.

Nothing here decides: the reward suggestions (all measures complete and the year's targets
reached) and the accountability circumstances of the assessment method are shown with links.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from cases.enums import FINISHED_STATES, CaseState
from cases.models import CaseTransition, PetitionCase, ReboundEntry
from rectification.enums import TaskStatus
from rectification.models import RectificationTask, TaskStepRecord


@dataclass
class Fact:
    text: str
    url: str
    label: str


def consequences_for(unit, year: int, *, today: date | None = None) -> dict[str, list[Fact]]:
    """{"rewards": [...], "accountability": [...]} for ``unit`` in ``year``; a fixed number of queries.

    ``today`` decides whether an unfinished item's deadline has passed (default: today).
    """
    today = today or timezone.localdate()
    return {"rewards": _rewards(unit, year), "accountability": _accountability(unit, year, today)}


def _rewards(unit, year) -> list[Fact]:
    """奖励建议一: tasks the unit leads whose measures are all complete and whose target of the year is reached."""
    tasks = (
        RectificationTask.objects.filter(lead_unit=unit, annual_targets__year=year)
        .distinct()
        .prefetch_related("measures", "annual_targets")
        .order_by("number", "pk")
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


# Reopened before close-out: the completion the unit reported was contradicted by the acceptance
# chain's later check (问责建议四). A reopen straight from "completed" is the acceptance itself
# failing — the ordinary process, not a circumstance.
_REOPENED_BEFORE_CLOSE_OUT = (CaseState.ACCEPTED, CaseState.REVIEWED, CaseState.PUBLICIZED)
# Reopened after close-out: the problem came back or the re-check failed (问责建议五).
_REOPENED_AFTER_CLOSE_OUT = (CaseState.CLOSED, CaseState.FILED)


def _accountability(unit, year, today) -> list[Fact]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    unit_cases = PetitionCase.objects.filter(Q(lead_unit=unit) | Q(locality=unit))
    facts = _missed_after_letter(unit, unit_cases, start, end, today)
    rebounds = (
        ReboundEntry.objects.filter(case__in=unit_cases, found_on__range=(start, end))
        .select_related("case")
        .order_by("found_on", "pk")
    )
    for entry in rebounds:
        facts.append(
            Fact(
                f"销号后反弹（{entry.found_on:%Y-%m-%d}）：{entry.description[:40]}",
                reverse("cases:detail", args=[entry.case_id]),
                f"信访案件 {entry.case.receipt_no}",
            )
        )
    reopened = (
        CaseTransition.objects.filter(
            case__in=unit_cases,
            to_state=CaseState.REOPENED,
            from_state__in=[*_REOPENED_BEFORE_CLOSE_OUT, *_REOPENED_AFTER_CLOSE_OUT],
            at__date__range=(start, end),
        )
        .select_related("case")
        .order_by("at", "pk")
    )
    for t in reopened:
        when = timezone.localtime(t.at).date()
        if t.from_state in _REOPENED_AFTER_CLOSE_OUT:
            text = f"{t.get_from_state_display()}后重新整改（{when:%Y-%m-%d}）：{t.reason[:40]}"
        else:
            text = f"{t.get_from_state_display()}后经核查与报告不符，重新整改（{when:%Y-%m-%d}）：{t.reason[:40]}"
        facts.append(Fact(text, reverse("cases:detail", args=[t.case_id]), f"信访案件 {t.case.receipt_no}"))
    return facts


def _missed_after_letter(unit, unit_cases, start, end, today) -> list[Fact]:
    """问责建议三: a case or task that a letter of the year pressed while it was unfinished, and
    that then missed its deadline (finished after it, or still unfinished after it passed)."""
    from supervision.models import SupervisionLetter

    letters = (
        SupervisionLetter.objects.filter(issued_on__range=(start, end))
        .filter(Q(case__in=unit_cases) | Q(task__lead_unit=unit))
        .select_related("case", "task")
        .prefetch_related(
            Prefetch(
                "case__transitions",
                queryset=CaseTransition.objects.filter(to_state=CaseState.COMPLETED),
                to_attr="completions",
            ),
            Prefetch(
                "task__steps",
                queryset=TaskStepRecord.objects.filter(to_status=TaskStatus.COMPLETE),
                to_attr="completions",
            ),
        )
        .order_by("issued_on", "serial")
    )
    facts = []
    for letter in letters:
        item = _Item.of(letter)
        if item.deadline is None:
            continue
        finished_on = item.finished_on
        if item.finished and finished_on is None:  # finished without a record of when: cannot tell
            continue
        if finished_on is not None:
            missed_after_letter = finished_on > item.deadline and finished_on > letter.issued_on
            outcome = f"于 {finished_on:%Y-%m-%d} 才完成"
        else:
            missed_after_letter = today > item.deadline
            outcome = f"至 {today:%Y-%m-%d} 仍未完成"
        if missed_after_letter:
            facts.append(
                Fact(
                    f"{letter.number}（{letter.issued_on:%Y-%m-%d}）督办后，{outcome}，"
                    f"超过整改时限（{item.deadline:%Y-%m-%d}）",
                    item.url,
                    item.label,
                )
            )
    return facts


@dataclass
class _Item:
    """What a letter was about, reduced to what the deadline rule needs."""

    deadline: date | None
    finished: bool
    finished_on: date | None
    url: str
    label: str

    @classmethod
    def of(cls, letter) -> "_Item":
        if letter.case_id:
            case = letter.case
            finished = case.state in FINISHED_STATES
            done = [timezone.localtime(t.at).date() for t in case.completions]
            return cls(
                case.deadline,
                finished,
                min(done) if finished and done else None,
                reverse("cases:detail", args=[case.pk]),
                f"信访案件 {case.receipt_no}",
            )
        task = letter.task
        finished = task.status not in (TaskStatus.IN_PROGRESS, TaskStatus.REOPENED)
        done = [step.on_date for step in task.completions]
        return cls(
            task.deadline,
            finished,
            min(done) if finished and done else None,
            reverse("rectification:detail", args=[task.pk]),
            f"整改任务 {task.number}",
        )
