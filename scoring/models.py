from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .enums import (
    AssessmentState,
    CalendarKind,
    OverrideKind,
    ReferralBody,
    ReferralOutcome,
    SheetStatus,
    SheetVersion,
)


class ScoringSheet(models.Model):
    """评分表: one petition case scored in one assessed locality for one year, in one version.

    ``data`` holds the sheet in the exchange format of docs/rules.md §8.7 (checked by
    ``scoring.sheet_json.parse_sheets`` before every write); ``provenance`` maps an item's JSON
    path to where its prefilled value came from, ``prefilled`` keeps the value the record gave,
    and ``reasons`` maps each changed prefilled item to the assessor's reason.

    The exact score of ``data`` is stored beside it by every domain write
    (``scoring.domain.services.stamp_score``): the total as an integer fraction
    ``total_num``/``total_den`` (cheap for SQL to fetch and exact to sum), each part as a reduced
    fraction string ("17/2"), and when it was computed. Rankings read these instead of
    re-scoring every sheet on every page view.
    """

    case = models.ForeignKey(
        "cases.PetitionCase", verbose_name="案件", on_delete=models.PROTECT, related_name="scoring_sheets"
    )
    locality = models.ForeignKey(
        "org.Unit", verbose_name="被考核单位", on_delete=models.PROTECT, related_name="scoring_sheets"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    version = models.CharField("版本", max_length=10, choices=SheetVersion.choices)
    status = models.CharField("状态", max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    data = models.JSONField("评分内容")
    prefilled = models.JSONField("预填值", default=dict, blank=True)
    provenance = models.JSONField("预填来源", default=dict, blank=True)
    reasons = models.JSONField("修改理由", default=dict, blank=True)
    remarks = models.TextField("备注", blank=True)
    total_num = models.BigIntegerField("总分（分子）")
    total_den = models.PositiveBigIntegerField("总分（分母）")
    parts = models.JSONField("各部分得分", help_text="各部分的精确得分，既约分数字符串，如 17/2")
    scored_at = models.DateTimeField("计分时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填写人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"
        ordering = ["year", "locality_id", "case_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "locality", "year", "version"],
                name="%(app_label)s_%(class)s_one_per_case_locality_year_version",
            ),
            models.CheckConstraint(
                condition=Q(status=SheetStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="%(app_label)s_%(class)s_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(total_den__gte=1), name="%(app_label)s_%(class)s_total_den_positive"
            ),
        ]
        indexes = [
            # Covering indexes of the ranking's one aggregate query (queries.counted_sums): the
            # year's sheets by unit with their stored score, and "has a submitted review" per
            # case — so SQLite never reads the wide rows with their JSON. The sheet id rides
            # along (PostgreSQL INCLUDE; SQLite's indexes hold the rowid anyway) for the unit
            # page's case table (queries.unit_case_scores), which then reads the index alone too.
            models.Index(
                fields=["year", "locality", "version", "status", "case", "total_den", "total_num"],
                include=["id"],
                name="%(app_label)s_%(class)s_score",
            ),
            models.Index(
                fields=["case", "locality", "year", "version", "status"],
                name="%(app_label)s_%(class)s_counted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.locality} · {self.year}年{self.get_version_display()}"

    @property
    def total(self) -> Fraction:
        """The stored exact total (as ``rules.score(data).total`` gave when the sheet was written)."""
        return Fraction(self.total_num, self.total_den)

    @property
    def part_scores(self) -> dict[str, Fraction]:
        """The stored exact points of each part, by ``ScorePart`` value."""
        return {part: Fraction(value) for part, value in self.parts.items()}


class UnitAssessment(models.Model):
    """年度考核: one unit's assessment for one year and its workflow state (forcing events: AssessmentEvent)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="被考核单位", on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    state = models.CharField(
        "流程状态", max_length=20, choices=AssessmentState.choices, default=AssessmentState.OPEN
    )
    published_score = models.CharField("公布得分", max_length=12, blank=True)
    published_rank = models.PositiveIntegerField("公布名次", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位年度考核"
        verbose_name_plural = "单位年度考核"
        ordering = ["year", "unit__sort_order", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="%(app_label)s_%(class)s_one_per_unit_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度考核"


class AssessmentStep(models.Model):
    """考核流程记录: one step of a unit assessment (who, when, from → to, why)."""

    assessment = models.ForeignKey(
        UnitAssessment, verbose_name="年度考核", on_delete=models.CASCADE, related_name="steps"
    )
    from_state = models.CharField("原状态", max_length=20, choices=AssessmentState.choices)
    to_state = models.CharField("新状态", max_length=20, choices=AssessmentState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "考核流程记录"
        verbose_name_plural = "考核流程记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_state} → {self.to_state}"


class AssessmentEvent(models.Model):
    """一票否决事件: a 重大问题, 通报批评 or 媒体曝光 of a unit, with its evidence (附件1 评分标准末段).

    Every event of a year that is not revoked makes the unit 不合格 and ranks it last, whatever
    its score; the reason shown is the event itself. An event is never deleted: a wrong one is
    revoked with a reason, and the history keeps both.
    """

    unit = models.ForeignKey(
        "org.Unit", verbose_name="被考核单位", on_delete=models.PROTECT, related_name="assessment_events"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    kind = models.CharField("情形", max_length=20, choices=OverrideKind.choices)
    occurred_on = models.DateField("发生日期")
    description = models.TextField("情况说明")
    evidence = models.FileField("证明材料", upload_to="assessment_events/%Y/", blank=True)
    evidence_url = models.URLField("证明链接", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_reason = models.TextField("撤销理由", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "一票否决事件"
        verbose_name_plural = "一票否决事件"
        ordering = ["year", "occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="%(app_label)s_%(class)s_revoked_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["year", "unit"], name="scoring_event_year_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.occurred_on} {self.get_kind_display()}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class AssessmentDate(models.Model):
    """考核日程: one dated step of an assessment year (自评、复核、领导小组同意、通报) and when it was done."""

    year = models.PositiveSmallIntegerField("考核年度")
    kind = models.CharField("事项", max_length=20, choices=CalendarKind.choices)
    due_on = models.DateField("日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核日程"
        verbose_name_plural = "考核日程"
        ordering = ["year", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="%(app_label)s_%(class)s_one_per_year_kind")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.get_kind_display()} {self.due_on}"


class AccountabilityReferral(models.Model):
    """问责移送: a unit's case of 问责 referred to 纪检监察机关 or 组织部门 (附件1 六), and its outcome."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="accountability_referrals"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    referred_on = models.DateField("移送日期")
    body = models.CharField("移送机关", max_length=20, choices=ReferralBody.choices)
    persons = models.CharField("拟问责对象", max_length=200)
    facts = models.TextField("问责情形及事实")
    circumstances = models.JSONField("对应问责建议情形（序号）", default=list, blank=True)
    outcome = models.CharField(
        "办理结果", max_length=20, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    outcome_on = models.DateField("结果日期", null=True, blank=True)
    outcome_detail = models.TextField("结果说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问责移送"
        verbose_name_plural = "问责移送"
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ReferralOutcome.PENDING)
                | (Q(outcome_on__isnull=False) & ~Q(outcome_detail="")),
                name="%(app_label)s_%(class)s_outcome_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.referred_on} 移送{self.get_body_display()}"
