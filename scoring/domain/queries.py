"""Reads of sheets and assessments; every one starts from the user's scope.

The year's results are computed in a fixed number of queries, whatever the number of cases,
from the exact totals stored on each sheet when it was written (``services.stamp_score``): the
ranking has the database add the counted sheets' integer numerators per denominator and unit,
and Python adds those few sums as Fractions; a unit's page and the exports fetch the case
scores as integer pairs. No page view re-scores a sheet; only a single sheet's page scores its
data, for the breakdown.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast, Coalesce

from cases.domain.queries import cases_visible_to
from org.models import Unit
from org.permissions import access_of

from ..enums import SheetStatus, SheetVersion
from ..models import ScoringSheet, UnitAssessment
from ..permissions import reads_every_unit
from ..rules import Result, score
from ..sheet_json import parse_sheets
from . import unit_result


def sheets_visible_to(user) -> QuerySet:
    """The sheets the user may see: all for read-all roles and reviewers, else their units' sheets."""
    qs = ScoringSheet.objects.all()
    if reads_every_unit(user):
        return qs
    unit_ids = access_of(user).unit_ids
    return qs.filter(locality_id__in=sorted(unit_ids)) if unit_ids else qs.none()


def assessments_visible_to(user) -> QuerySet:
    qs = UnitAssessment.objects.all()
    if reads_every_unit(user):
        return qs
    unit_ids = access_of(user).unit_ids
    return qs.filter(unit_id__in=sorted(unit_ids)) if unit_ids else qs.none()


def year_q(year: int, prefix: str = "") -> Q:
    """Cases whose deadline falls in ``year`` (the assessment counts only these)."""
    return Q(**{f"{prefix}deadline__gte": date(year, 1, 1), f"{prefix}deadline__lte": date(year, 12, 31)})


def cases_to_score(user, year: int) -> QuerySet:
    """The cases of ``year`` the user can see, with what the to-do list shows."""
    return (
        cases_visible_to(user)
        .filter(year_q(year))
        .select_related("lead_unit", "locality")
        .prefetch_related("cooperating_units")
        .order_by("deadline", "receipt_no")
    )


def candidate_localities(case) -> list:
    """The units a case can be assessed in: its locality, lead unit and cooperating units."""
    units = [case.locality, case.lead_unit, *case.cooperating_units.all()]
    seen, out = set(), []
    for unit in units:
        if unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            out.append(unit)
    return out


def sheet_result(data: dict) -> Result:
    """Score one stored sheet (the data was checked when it was saved)."""
    sheets, errors = parse_sheets(data)
    if errors:  # only a hand-edited database row can get here
        raise ValueError("；".join(errors))
    return score(sheets[0])


Pair = tuple[int, int]  # an exact score as (numerator, denominator), as stored on the sheet


@dataclass(slots=True)
class CaseScore:
    """The counted score of one case in one locality: the review when done, else the self-assessment.

    The scores are kept as the stored integer pairs; ``self_total`` / ``review_total`` / ``total``
    give them as Fractions when a page shows them.
    """

    sheet_id: int
    case_id: int
    receipt_no: str
    self_pair: Pair | None = None
    review_pair: Pair | None = None
    self_status: str = ""
    review_status: str = ""
    self_id: int | None = None
    review_id: int | None = None

    @property
    def self_total(self) -> Fraction | None:
        return None if self.self_pair is None else Fraction(*self.self_pair)

    @property
    def review_total(self) -> Fraction | None:
        return None if self.review_pair is None else Fraction(*self.review_pair)

    @property
    def counted(self) -> bool:
        """A submitted sheet exists: a draft self-assessment (perhaps only machine-prefilled) never counts."""
        return SheetStatus.SUBMITTED in (self.review_status, self.self_status)

    @property
    def counted_pair(self) -> Pair | None:
        if self.review_status == SheetStatus.SUBMITTED:
            return self.review_pair
        if self.self_status == SheetStatus.SUBMITTED:
            return self.self_pair
        return None

    @property
    def total(self) -> Fraction | None:
        """The counted score, or None while the self-assessment is not submitted (未提交)."""
        pair = self.counted_pair
        return None if pair is None else Fraction(*pair)

    @property
    def is_reviewed(self) -> bool:
        return self.review_status == SheetStatus.SUBMITTED


@dataclass
class UnitResult:
    """A unit's year: average case score, case count, task grades, forcing events, result and rank.

    ``count`` is the cases with a submitted sheet (the average is over these); ``pending`` the
    cases whose self-assessment is still a draft (未提交), which are left out of the average.
    ``sums`` maps each denominator of the counted case scores to the sum of their numerators
    (summed by the database as integers), so the exact average needs no per-case work.
    ``cases`` is filled only when asked for (a unit's page, the exports).
    """

    unit: Unit
    year: int
    count: int = 0
    reviewed: int = 0
    pending: int = 0
    sums: dict[int, int] = field(default_factory=dict)
    cases: list[CaseScore] = field(default_factory=list)
    grades: dict[str, int] = field(default_factory=dict)
    assessment: UnitAssessment | None = None
    events: list = field(default_factory=list)
    rank: int | None = None

    @cached_property
    def average(self) -> Fraction | None:
        """The exact mean of the counted case scores (the review when submitted, else the submitted self)."""
        if not self.count:
            return None
        total = sum((Fraction(num, den) for den, num in self.sums.items()), Fraction(0))
        return total / self.count

    @property
    def forced(self) -> bool:
        """A 重大问题 / 通报批评 / 媒体曝光 event of the year (not revoked): 不合格 and last."""
        return bool(self.events)

    @cached_property
    def task_level(self):
        return unit_result.task_level(self.grades)

    @cached_property
    def case_level(self):
        return unit_result.case_level(self.average)

    @cached_property
    def level(self):
        """The unit's result (ResultLevel) by the rule of docs/rules.md §8.5, or None (未评定)."""
        return unit_result.combine(self.task_level, self.case_level, forced=self.forced)

    @property
    def verdict(self) -> str:
        return self.level.label if self.level else "未评定"

    @cached_property
    def explanation(self) -> str:
        return unit_result.explain(self.task_level, self.case_level, self.level, self.events)


def _year_sheets(year: int) -> QuerySet:
    """The sheets of ``year`` whose case's deadline is in ``year`` (the others do not count)."""
    return ScoringSheet.objects.filter(year=year).filter(year_q(year, "case__"))


def counted_sums(year: int) -> dict[int, dict]:
    """{unit id: {"count", "reviewed", "pending", "sums": {denominator: sum of numerators}}} in two queries.

    Per case and locality the submitted review counts, else the submitted self-assessment; a
    self-assessment still in draft (never submitted, perhaps only prefilled) is counted apart as
    ``pending`` and left out of the sums. The database adds the stored integer numerators per
    denominator, which keeps the sum exact.
    """
    submitted_review = ScoringSheet.objects.filter(
        case_id=OuterRef("case_id"),
        locality_id=OuterRef("locality_id"),
        year=OuterRef("year"),
        version=SheetVersion.REVIEW,
        status=SheetStatus.SUBMITTED,
    )
    # Two grouped queries, not one with an OR: alone, the NOT EXISTS becomes a hash anti-join
    # (PostgreSQL runs the OR form as a correlated sub-plan per sheet: ~1 s at 25 000 sheets).
    reviews = _year_sheets(year).filter(version=SheetVersion.REVIEW, status=SheetStatus.SUBMITTED)
    selves = _year_sheets(year).filter(version=SheetVersion.SELF).exclude(Exists(submitted_review))
    # COUNT(*), not COUNT(id): every column read is in the covering index "score", so both
    # queries are index-only scans and never read the wide rows with their JSON.
    out: dict[int, dict] = {}
    for counted, is_review in ((reviews, True), (selves, False)):
        rows = (
            counted.values_list("locality_id", "status", "total_den")
            .annotate(n=Count("*"), num=Sum("total_num"))
            .order_by()
        )
        for unit_id, status, den, n, num in rows:
            unit = out.setdefault(unit_id, {"count": 0, "reviewed": 0, "pending": 0, "sums": {}})
            if status != SheetStatus.SUBMITTED:  # only a draft self-assessment gets here
                unit["pending"] += n
                continue
            unit["count"] += n
            if is_review:
                unit["reviewed"] += n
            unit["sums"][den] = unit["sums"].get(den, 0) + num
    return out


def score_year(year: int, *, unit_ids=None) -> dict[int, list[CaseScore]]:
    """Every case score of ``year`` by unit id, in one query (two versions per case and locality).

    Reads the stored exact totals; nothing is re-scored here.
    """
    qs = _year_sheets(year)
    if unit_ids is not None:
        qs = qs.filter(locality_id__in=sorted(unit_ids))
    rows = qs.order_by("locality_id", "case_id", "version").values_list(
        "pk", "case_id", "case__receipt_no", "locality_id", "version", "status", "total_num", "total_den"
    )
    by_key: dict[tuple[int, int], CaseScore] = {}
    for pk, case_id, receipt_no, unit_id, version, status, num, den in rows.iterator(chunk_size=5000):
        entry = by_key.get((unit_id, case_id))
        if entry is None:
            entry = by_key[unit_id, case_id] = CaseScore(pk, case_id, receipt_no)
        if version == SheetVersion.SELF:
            entry.self_pair, entry.self_status, entry.self_id = (num, den), status, pk
        else:
            entry.review_pair, entry.review_status, entry.review_id = (num, den), status, pk
    out: dict[int, list[CaseScore]] = defaultdict(list)
    for (unit_id, _), entry in by_key.items():
        if entry.self_pair is None:  # a review without a self-assessment cannot exist; be safe
            entry.self_pair = entry.review_pair
        out[unit_id].append(entry)
    return out


def year_results(user, year: int, *, all_units: bool = False, with_cases: bool = False) -> list[UnitResult]:
    """The ranking of ``year`` for the units the user may see; units with a forcing event last (docs/rules.md §8.5).

    The rank is among every unit of the year, also for a unit user who sees only their own rows.
    ``with_cases`` also loads every visible unit's case scores (for the exports).
    """
    results = _all_results(year)
    if not (all_units or reads_every_unit(user)):
        unit_ids = access_of(user).unit_ids
        results = [r for r in results if r.unit.pk in unit_ids]
    if with_cases:
        attach_cases(results, year)
    return results


def attach_cases(results: list[UnitResult], year: int) -> None:
    """Fill each result's ``cases`` from the stored scores, in one query."""
    scores = score_year(year, unit_ids=[r.unit.pk for r in results])
    for result in results:
        result.cases = scores.get(result.unit.pk, [])


def _all_results(year: int) -> list[UnitResult]:
    """Every unit of the year: with a sheet, an assessment, a graded task it leads or an event.

    A fixed number of queries whatever the number of cases and tasks: the sheet sums, the
    assessments, the events, the task grade counts (grouped SQL) and the units.
    """
    from rectification.models import RectificationTask

    from ..models import AssessmentEvent

    sums = counted_sums(year)
    assessments = {a.unit_id: a for a in UnitAssessment.objects.filter(year=year)}
    events: dict[int, list] = defaultdict(list)
    for event in AssessmentEvent.objects.filter(year=year, revoked_at__isnull=True).order_by(
        "occurred_on", "pk"
    ):
        events[event.unit_id].append(event)
    task_units = RectificationTask.objects.filter(annual_targets__year=year, lead_unit__isnull=False)
    grades = task_grade_counts(year, unit_ids=task_units.values("lead_unit_id"))
    unit_ids = set(sums) | set(assessments) | set(events) | set(grades)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=sorted(unit_ids))}
    results = [
        UnitResult(
            unit=units[pk],
            year=year,
            **sums.get(pk, {}),
            grades=grades.get(pk, {}),
            assessment=assessments.get(pk),
            events=events.get(pk, []),
        )
        for pk in unit_ids
    ]
    return rank(results)


def rank(results: list[UnitResult]) -> list[UnitResult]:
    """Order by result then average (docs/rules.md §8.5) with competition ranks (1, 2, 2, 4);
    units with a forcing event share the last rank; units with nothing to rate are unranked."""

    def key(r: UnitResult):
        return (*unit_result.rank_key(r.level, r.average, r.forced), r.unit.sort_order, r.unit.pk)

    ordered = sorted(results, key=key)
    previous, previous_rank = None, 0
    for position, result in enumerate(ordered, start=1):
        if result.level is None:
            result.rank = None
            continue
        marker = unit_result.rank_key(result.level, result.average, result.forced)
        result.rank = previous_rank if marker == previous else position
        previous, previous_rank = marker, result.rank
    return ordered


def task_grade_counts(year: int, *, unit_ids) -> dict[int, dict[str, int]]:
    """优秀/良好/合格/不合格 counts per lead unit, from the rectification grade of the year, in one
    grouped query over rectification's SQL grade (grade_expression: the rules of grade_of);
    tasks that cannot be graded yet (未评定) are left out."""
    from rectification.domain.queries import GRADE_NONE, grade_expression
    from rectification.models import AnnualTarget, RectificationTask

    has_target = AnnualTarget.objects.filter(task=OuterRef("pk"), year=year)
    unit_ids = unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids)
    rows = (
        RectificationTask.objects.filter(Exists(has_target), lead_unit__in=unit_ids)
        .annotate(grade=grade_expression(year))
        .exclude(grade=GRADE_NONE)
        .order_by()
        .values_list("lead_unit_id", "grade")
        .annotate(n=Count("pk"))
    )
    out: dict[int, dict[str, int]] = {}
    for unit_id, grade, n in rows:
        out.setdefault(unit_id, {})[grade] = n
    return out


# The unit page's case-score table: sortable columns (?sort=, "-" for descending) → SQL order.
CASE_SCORE_SORTS = {
    "receipt_no": ("case__receipt_no",),
    "self": ("self_value",),
    "review": ("review_value",),
    "total": ("counted_value",),
}


def unit_case_scores(unit_id: int, year: int, sort: str = "") -> QuerySet:
    """One row per case of the unit's year (its self-assessment sheet), with the review's id,
    status and exact score beside it and the score that counts — all in SQL, so the page is
    paged and sorted by the database (``sort``: a CASE_SCORE_SORTS key, "-" for descending;
    an unknown key falls back to the receipt number)."""
    review = ScoringSheet.objects.filter(
        case_id=OuterRef("case_id"),
        locality_id=OuterRef("locality_id"),
        year=year,
        version=SheetVersion.REVIEW,
    )

    def value(num, den):
        return ExpressionWrapper(Cast(num, FloatField()) / Cast(den, FloatField()), output_field=FloatField())

    def review_score(reviews):
        return Subquery(reviews.annotate(value=value("total_num", "total_den")).values("value")[:1])

    # The sort keys are computed for every sheet of the unit's year before the page is cut, so each
    # is one correlated look-up of the review (not one per column it reads); the four columns of
    # the review shown are looked up only for the page's rows.
    qs = (
        _year_sheets(year)
        .filter(locality_id=unit_id, version=SheetVersion.SELF)
        .annotate(
            review_id=Subquery(review.values("pk")[:1]),
            review_status=Subquery(review.values("status")[:1]),
            review_num=Subquery(review.values("total_num")[:1]),
            review_den=Subquery(review.values("total_den")[:1]),
        )
        .annotate(self_value=value("total_num", "total_den"), review_value=review_score(review))
        .annotate(
            # The submitted review's score, else the submitted self-assessment's, else none.
            counted_value=Coalesce(
                review_score(review.filter(status=SheetStatus.SUBMITTED)),
                DbCase(When(status=SheetStatus.SUBMITTED, then=F("self_value")), default=None),
                output_field=FloatField(),
            )
        )
        .values(
            "pk",
            "case_id",
            "case__receipt_no",
            "status",
            "total_num",
            "total_den",
            "review_id",
            "review_status",
            "review_num",
            "review_den",
        )
    )
    descending = sort.startswith("-")
    fields = CASE_SCORE_SORTS.get(sort.lstrip("-"), CASE_SCORE_SORTS["receipt_no"])
    order = [F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields]
    return qs.order_by(*order, "case__receipt_no", "pk")


def case_score_of(row: dict) -> CaseScore:
    """A unit_case_scores row as the CaseScore the pages show."""
    review = (row["review_num"], row["review_den"]) if row["review_id"] else None
    return CaseScore(
        sheet_id=row["pk"],
        case_id=row["case_id"],
        receipt_no=row["case__receipt_no"],
        self_pair=(row["total_num"], row["total_den"]),
        review_pair=review,
        self_status=row["status"],
        review_status=row["review_status"] or "",
        self_id=row["pk"],
        review_id=row["review_id"],
    )


def assessment_or_new(unit, year: int):
    """The unit's assessment for ``year`` if it exists, else an unsaved open one: a page view writes nothing."""
    from ..models import UnitAssessment

    return UnitAssessment.objects.filter(unit=unit, year=year).first() or UnitAssessment(unit=unit, year=year)


# ---------------------------------------------------------------- consequences (附件1 六)


def referrals_visible_to(user) -> QuerySet:
    """问责移送: every referral for the read-all roles, else the user's units' referrals."""
    from ..models import AccountabilityReferral

    qs = AccountabilityReferral.objects.select_related("unit", "recorded_by")
    if reads_every_unit(user):
        return qs
    unit_ids = access_of(user).unit_ids
    return qs.filter(unit_id__in=sorted(unit_ids)) if unit_ids else qs.none()


def unit_talks_visible_to(user) -> QuerySet:
    """Unit-level 约谈 (no task, no case): every one for the read-all roles, else the user's units'."""
    from supervision.models import AdmonitionTalk

    qs = AdmonitionTalk.objects.filter(task__isnull=True, case__isnull=True).select_related("unit")
    if reads_every_unit(user):
        return qs
    unit_ids = access_of(user).unit_ids
    return qs.filter(unit_id__in=sorted(unit_ids)) if unit_ids else qs.none()


TALK_STATES = {"open": "限期整改中", "overdue": "整改逾期", "done": "已整改"}


def unit_talks_in_state(qs: QuerySet, state: str, today: date) -> QuerySet:
    """``state``: open (requirements not yet met), overdue (open and past the deadline), done; else all."""
    if state == "open":
        return qs.filter(rectify_deadline__isnull=False, rectified_on__isnull=True)
    if state == "overdue":
        return qs.filter(rectify_deadline__lt=today, rectified_on__isnull=True)
    if state == "done":
        return qs.filter(rectified_on__isnull=False)
    return qs
