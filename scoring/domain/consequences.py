"""奖惩情形: what the data shows about a unit's year, as suggestions for the leadership to judge.

附件1 附件《奖励和问责建议》 lists two reward suggestions and nine accountability circumstances.
Each is derived from the record and shown with the facts that trigger it (links to the task or
case); nothing here is a finding — the page and docs/rules.md say so. A fixed number of queries
per unit page whatever the number of cases.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models import Case as DbCase
from django.db.models import F as models_F
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from cases.enums import FINISHED_STATES, CaseState, Finding
from cases.models import CaseTransition, PetitionCase, ReboundEntry
from rectification.enums import TaskStatus
from rectification.models import AnnualTarget, Milestone, RectificationTask, TaskStepRecord

_DAY = timedelta(days=1)
FACTS_SHOWN = 20  # per circumstance; the count says how many there are in all


@dataclass(slots=True)
class Fact:
    """One fact behind a suggestion. Its link is reversed only when read: a unit's year can hold
    hundreds of facts per circumstance, of which only FACTS_SHOWN are shown."""

    text: str
    viewname: str
    args: tuple
    label: str
    anchor: str = ""

    @property
    def url(self) -> str:
        return reverse(self.viewname, args=self.args) + self.anchor


@dataclass
class Suggestion:
    """One reward suggestion or accountability circumstance of the plan, with its triggering facts."""

    number: int
    title: str  # the plan's words (abridged where long)
    facts: list[Fact] = field(default_factory=list)
    total: int = 0  # facts in all (only FACTS_SHOWN are listed)
    advice: str = ""

    @property
    def triggered(self) -> bool:
        return bool(self.facts)

    @property
    def more(self) -> int:
        return max(self.total - len(self.facts), 0)


CIRCUMSTANCES = {
    1: "对交办的环境信访举报问题不认真调查核实，认定结论与事实不符",
    2: "对交办的突出环境问题，未按整改方案按期完成整改任务或未在规定时间节点内完成",
    3: "未完成整改任务或节点任务，下达督办通知后仍未取得明显进展",
    4: "交办问题整改情况报告与实际情况不符",
    5: "交办问题整改后经调查核实确认因工作不力导致反弹",
    6: "不整改或整改措施不到位，以“紧急停产”“一律关停”“先停再说”等“一刀切”方式应对检查",
    7: "工作责任落实不到位，交办转办问题整改不力、追责问责不到位",
    8: "表面整改、假装整改、敷衍整改，弄虚作假，上报虚假整改情况",
    9: "因突出环境问题整改不到位，被主要媒体曝光或造成群体性事件、产生不良社会影响",
}
REWARDS = {
    1: ("全部完成整改措施并达到年度整改目标", "建议给予全市通报表扬，在财政资金上给予激励"),
    2: ("督察整改工作成绩突出", "建议在干部考核时增加权重比"),
}
BLANKET_WORDS = ("紧急停产", "一律关停", "先停再说", "一刀切")


def _limited(number: int, title: str, facts: list[Fact], advice: str = "") -> Suggestion:
    return Suggestion(number, title, facts[:FACTS_SHOWN], len(facts), advice)


def consequences_for(unit, year: int, *, today: date | None = None, result=None) -> dict:
    """{"rewards": [Suggestion ×2], "circumstances": [Suggestion ×9], "accountability": [Fact…]}.

    ``result`` (the unit's UnitResult, if known) lets the reward suggestions cite the result.
    ``today`` decides whether an unfinished item's deadline has passed (default: today).
    """
    today = today or timezone.localdate()
    start, end = date(year, 1, 1), date(year, 12, 31)
    unit_cases = PetitionCase.objects.filter(Q(lead_unit=unit) | Q(locality=unit))
    late_cases, blanket_cases, owed_cases = _year_case_facts(unit_cases, start, end, today)
    reopened_before_close_out, reopened_after_close_out = _reopened(unit_cases, start, end)
    circumstances = [
        _limited(1, CIRCUMSTANCES[1], _finding_contradicted(unit_cases, start, end)),
        _limited(2, CIRCUMSTANCES[2], _missed_deadlines(unit, start, end, today) + late_cases),
        _limited(3, CIRCUMSTANCES[3], _missed_after_letter(unit, unit_cases, start, end, today)),
        _limited(4, CIRCUMSTANCES[4], reopened_before_close_out),
        _limited(5, CIRCUMSTANCES[5], _rebounds(unit_cases, start, end) + reopened_after_close_out),
        _limited(6, CIRCUMSTANCES[6], blanket_cases),
        _limited(7, CIRCUMSTANCES[7], owed_cases + _red_warnings(unit, start, end)),
        _limited(8, CIRCUMSTANCES[8], _fake_rectification(unit, year)),
        _limited(9, CIRCUMSTANCES[9], _exposed(unit, year, result)),
    ]
    return {
        "rewards": _reward_suggestions(unit, year, result),
        "circumstances": circumstances,
        "accountability": [f for c in circumstances for f in c.facts],
    }


def _reward_suggestions(unit, year, result) -> list[Suggestion]:
    from ..enums import ResultLevel

    forced = bool(result and result.forced)
    tasks = _rewards(unit, year)
    graded = sum(result.grades.values()) if result else None
    first = tasks if (not forced and tasks and (graded is None or len(tasks) == graded)) else []
    second = []
    if result is not None and not forced and result.level == ResultLevel.EXCELLENT:
        average = "—" if result.average is None else f"{float(result.average):.2f}"
        second.append(
            Fact(
                f"{year}年度考核结果优秀（{result.explanation}；案件平均得分 {average}，名次 {result.rank}）",
                "scoring:assessment",
                (unit.pk, year),
                f"{unit.name}",
            )
        )
    return [
        _limited(1, REWARDS[1][0], first, REWARDS[1][1]),
        _limited(2, REWARDS[2][0], second, REWARDS[2][1]),
    ]


def _rewards(unit, year) -> list[Fact]:
    """Tasks the unit leads whose measures are all complete and whose target of the year is reached
    (one grouped query: the measures counted per task, the target as an EXISTS)."""
    reached = AnnualTarget.objects.filter(task=OuterRef("pk"), year=year, reached=True)
    tasks = (
        RectificationTask.objects.filter(Exists(reached), lead_unit=unit)
        .annotate(
            measure_count=Count("measures"), done_count=Count("measures", filter=Q(measures__done=True))
        )
        .order_by("number", "pk")
        .values_list("pk", "number", "measure_count", "done_count")
    )
    return [
        Fact(
            f"全部{measure_count}项措施已完成，{year}年度目标已达到",
            "rectification:detail",
            (pk,),
            f"整改任务 {number}",
        )
        for pk, number, measure_count, done_count in tasks
        if measure_count and done_count == measure_count
    ]


def _display(model, field: str, value) -> str:
    """What ``get_<field>_display()`` gives, for a value read without its model instance."""
    return dict(model._meta.get_field(field).flatchoices).get(value, value)


def _case_fact(case_id, receipt_no, text) -> Fact:
    return Fact(text, "cases:detail", (case_id,), f"信访案件 {receipt_no}")


def _task_fact(task_id, number, text) -> Fact:
    return Fact(text, "rectification:detail", (task_id,), f"整改任务 {number}")


def _finding_contradicted(unit_cases, start, end) -> list[Fact]:
    """一: a case found 不属实/部分属实 whose city review (复核) failed in the year."""
    from acceptance.enums import StepKind, StepOutcome
    from acceptance.models import Step

    steps = (
        Step.objects.filter(
            case__in=unit_cases,
            kind=StepKind.REVIEW,
            outcome=StepOutcome.FAILED,
            done_on__range=(start, end),
            case__finding__in=[Finding.UNTRUE, Finding.PARTLY_TRUE],
        )
        .order_by("done_on", "pk")
        .values_list("case_id", "case__receipt_no", "case__finding", "done_on", "reasons")
    )
    return [
        _case_fact(
            case_id,
            receipt_no,
            f"认定为“{_display(PetitionCase, 'finding', finding)}”，{done_on:%Y-%m-%d} 复核未通过：{reasons[:40]}",
        )
        for case_id, receipt_no, finding, done_on, reasons in steps
    ]


def _missed_deadlines(unit, start, end, today) -> list[Fact]:
    """二: tasks and milestones due in the year (by today) not finished on time (the cases: _year_case_facts)."""
    facts = []
    tasks = (
        RectificationTask.objects.filter(lead_unit=unit, deadline__range=(start, min(end, today - _DAY)))
        .annotate(done=Min("steps__on_date", filter=Q(steps__to_status=TaskStatus.COMPLETE)))
        .filter(Q(done__isnull=True) | Q(done__gt=models_F("deadline")))
        .order_by("deadline", "pk")
        .values("pk", "number", "deadline", "done")
    )
    for t in tasks:
        outcome = f"于 {t['done']:%Y-%m-%d} 才完成" if t["done"] else f"至 {today:%Y-%m-%d} 仍未完成"
        facts.append(_task_fact(t["pk"], t["number"], f"整改时限 {t['deadline']:%Y-%m-%d}，{outcome}"))
    milestones = (
        Milestone.objects.filter(measure__task__lead_unit=unit, due__range=(start, min(end, today - _DAY)))
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=models_F("due")))
        .order_by("due", "pk")
        .values("measure__task_id", "measure__task__number", "due", "description", "done_on")
    )
    for m in milestones:
        outcome = f"{m['done_on']:%Y-%m-%d} 才完成" if m["done_on"] else "未完成"
        facts.append(
            _task_fact(
                m["measure__task_id"],
                m["measure__task__number"],
                f"时间节点“{m['description'][:20]}”（{m['due']:%Y-%m-%d}）{outcome}",
            )
        )
    return facts


def _rebounds(unit_cases, start, end) -> list[Fact]:
    rebounds = (
        ReboundEntry.objects.filter(case__in=unit_cases, found_on__range=(start, end))
        .order_by("found_on", "pk")
        .values_list("case_id", "case__receipt_no", "found_on", "description")
    )
    return [
        _case_fact(case_id, receipt_no, f"销号后反弹（{found_on:%Y-%m-%d}）：{description[:40]}")
        for case_id, receipt_no, found_on, description in rebounds
    ]


def _reopened(unit_cases, start, end) -> tuple[list[Fact], list[Fact]]:
    """The reopenings of the year in one query: (before close-out (四), after close-out (五))."""
    reopened = (
        CaseTransition.objects.filter(
            case__in=unit_cases,
            to_state=CaseState.REOPENED,
            from_state__in=_REOPENED_BEFORE_CLOSE_OUT + _REOPENED_AFTER_CLOSE_OUT,
            at__date__range=(start, end),
        )
        .order_by("at", "pk")
        .values_list("case_id", "case__receipt_no", "from_state", "at", "reason")
    )
    before, after = [], []
    for case_id, receipt_no, from_state, at, reason in reopened:
        when = timezone.localtime(at).date()
        state = _display(CaseTransition, "from_state", from_state)
        if from_state in _REOPENED_AFTER_CLOSE_OUT:
            text = f"{state}后重新整改（{when:%Y-%m-%d}）：{reason[:40]}"
            after.append(_case_fact(case_id, receipt_no, text))
        else:
            text = f"{state}后经核查与报告不符，重新整改（{when:%Y-%m-%d}）：{reason[:40]}"
            before.append(_case_fact(case_id, receipt_no, text))
    return before, after


def _year_case_facts(unit_cases, start, end, today) -> tuple[list[Fact], list[Fact], list[Fact]]:
    """The case facts of 二, 六 and 七 from one read of the unit's cases due in the year, in
    deadline order: (cases due by today not finished on time, cases whose record names a blanket
    measure, finished cases whose record states accountability is needed but not done).

    二: finished after the deadline (the first move to 已办结, local date) or still unfinished; a
    case finished without a record of when is left out (cannot tell).
    六: the handling, plan or investigation, as the unit wrote it, names a blanket measure (一刀切).
    七: finished, 问责情况 filled in and not marked 问责到位.
    """
    # The first completion per case as one correlated look-up (index cases_transition_case_to_idx),
    # not a join of every transition grouped back by case.
    first_completion = (
        CaseTransition.objects.filter(case=OuterRef("pk"), to_state=CaseState.COMPLETED)
        .order_by("at")
        .values("at")[:1]
    )
    words = {
        f"word{i}": ExpressionWrapper(
            Q(handling__contains=word) | Q(plan__contains=word) | Q(investigation__contains=word),
            output_field=BooleanField(),
        )
        for i, word in enumerate(BLANKET_WORDS)
    }
    owed = Q(state__in=FINISHED_STATES, accountability_done=False) & ~Q(accountability="")
    rows = (
        unit_cases.filter(deadline__range=(start, end))
        .annotate(
            done=TruncDate(Subquery(first_completion)),
            owed=DbCase(When(owed, then="accountability"), default=Value(""), output_field=TextField()),
            **words,
        )
        .order_by("deadline", "pk")
        .values_list("pk", "receipt_no", "deadline", "state", "done", "owed", *words)
    )
    due_by = min(end, today - _DAY)
    late, blanket, owed_facts = [], [], []
    for pk, receipt_no, deadline, state, done, accountability, *hits in rows:
        on_time = done is not None and done <= deadline
        unknown = done is None and state in FINISHED_STATES  # finished without a record of when
        if deadline <= due_by and not on_time and not unknown:
            outcome = f"于 {done:%Y-%m-%d} 才办结" if done else f"至 {today:%Y-%m-%d} 仍未办结"
            late.append(_case_fact(pk, receipt_no, f"整改时限 {deadline:%Y-%m-%d}，{outcome}"))
        if any(hits):
            found = "、".join(f"“{w}”" for w, hit in zip(BLANKET_WORDS, hits, strict=True) if hit)
            blanket.append(_case_fact(pk, receipt_no, f"办理情况或整改方案中写有{found}，请核实是否“一刀切”"))
        if accountability:
            owed_facts.append(
                _case_fact(pk, receipt_no, f"已办结，问责情况“{accountability[:30]}”未标记问责到位")
            )
    return late, blanket, owed_facts


def _red_warnings(unit, start, end) -> list[Fact]:
    """七 (continued): the unit's red warnings of the year."""
    from supervision.enums import WarningLevel
    from supervision.models import EarlyWarning

    facts = []
    warnings = (
        EarlyWarning.objects.filter(unit=unit, level=WarningLevel.RED, raised_on__range=(start, end))
        .order_by("raised_on", "pk")
        .values_list("task_id", "task__number", "case_id", "case__receipt_no", "raised_on", "reason")
    )
    for task_id, number, case_id, receipt_no, raised_on, reason in warnings:
        text = f"红色预警（{raised_on:%Y-%m-%d}）：{reason[:40]}"
        if task_id:
            facts.append(_task_fact(task_id, number, text))
        else:
            facts.append(_case_fact(case_id, receipt_no, text))
    return facts


def _fake_rectification(unit, year) -> list[Fact]:
    """八: a submitted sheet of the year marks the case 表面/虚假/敷衍整改 (the review when there is one)."""
    from ..enums import SheetStatus
    from ..models import ScoringSheet

    sheets = (
        ScoringSheet.objects.filter(locality=unit, year=year, status=SheetStatus.SUBMITTED, data__fake=True)
        .order_by("case__receipt_no", "version")
        .values_list("pk", "case__receipt_no", "version")
    )
    return [
        Fact(
            f"{_display(ScoringSheet, 'version', version)}评分表认定表面整改、虚假整改或敷衍整改（案件计 0 分）",
            "scoring:sheet_detail",
            (pk,),
            f"信访案件 {receipt_no}",
        )
        for pk, receipt_no, version in sheets
    ]


def _exposed(unit, year, result=None) -> list[Fact]:
    """九: a 媒体曝光 event of the year (一票否决事件); the result, when given, holds the unit's
    events of the year that are not revoked (in date order), so they are not read again."""
    from ..enums import OverrideKind
    from ..models import AssessmentEvent

    if result is not None:
        events = [e for e in result.events if e.kind == OverrideKind.EXPOSED]
    else:
        events = AssessmentEvent.objects.filter(
            unit=unit, year=year, kind=OverrideKind.EXPOSED, revoked_at__isnull=True
        ).order_by("occurred_on", "pk")
    return [
        Fact(
            f"{e.occurred_on:%Y-%m-%d} 被媒体曝光：{e.description[:40]}",
            "scoring:assessment",
            (unit.pk, year),
            "一票否决事件",
            f"#event-{e.pk}",
        )
        for e in events
    ]


# Reopened before close-out: the completion the unit reported was contradicted by the acceptance
# chain's later check (问责建议四). A reopen straight from "completed" is the acceptance itself
# failing — the ordinary process, not a circumstance.
_REOPENED_BEFORE_CLOSE_OUT = (CaseState.ACCEPTED, CaseState.REVIEWED, CaseState.PUBLICIZED)
# Reopened after close-out: the problem came back or the re-check failed (问责建议五).
_REOPENED_AFTER_CLOSE_OUT = (CaseState.CLOSED, CaseState.FILED)


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
                    item.viewname,
                    (item.pk,),
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
    viewname: str
    pk: int
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
                "cases:detail",
                case.pk,
                f"信访案件 {case.receipt_no}",
            )
        task = letter.task
        finished = task.status not in (TaskStatus.IN_PROGRESS, TaskStatus.REOPENED)
        done = [step.on_date for step in task.completions]
        return cls(
            task.deadline,
            finished,
            min(done) if finished and done else None,
            "rectification:detail",
            task.pk,
            f"整改任务 {task.number}",
        )
