from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qianshan.common.listing import rank_of

from .enums import WARNING_LEVEL_ORDER, ItemKind, LetterState, ReportKind, WarningLevel, WarningState

LETTER_PREFIX = "千山督改函"


class ItemLinked(models.Model):
    """What warnings and escalations share: the task or case they are about and its unit."""

    task = models.ForeignKey(
        "rectification.RectificationTask",
        verbose_name="整改任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.PetitionCase",
        verbose_name="信访案件",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The unit answerable when the record was made (the item's lead unit then).
    unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(Q(task__isnull=False) & Q(case__isnull=True))
                | (Q(task__isnull=True) & Q(case__isnull=False)),
                name="%(app_label)s_%(class)s_one_item",
            )
        ]

    @property
    def item(self):
        return self.task if self.task_id else self.case

    @property
    def item_kind(self) -> ItemKind:
        return ItemKind.TASK if self.task_id else ItemKind.CASE

    @property
    def item_label(self) -> str:
        if self.task_id:
            return f"整改任务 {self.task.number}"
        if self.case_id:
            return f"信访案件 {self.case.receipt_no}"
        return f"单位 {self.unit}"  # a unit-level 约谈 (AdmonitionTalk only)


class Report(models.Model):
    """调度与报告: the daily dispatch, weekly or monthly report of one period, kept as a dated record.

    ``data`` is the snapshot of figures and lists taken when the report was built; the page, the
    .xlsx and the PDF are all rendered from it, so a report re-opened later shows what was sent.
    """

    kind = models.CharField("类型", max_length=10, choices=ReportKind.choices)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    data = models.JSONField("数据", default=dict)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("最近发送时间", null=True, blank=True)
    sent_count = models.PositiveIntegerField("发送次数", default=0)

    class Meta:
        verbose_name = "调度报告"
        verbose_name_plural = "调度报告"
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start"], name="%(app_label)s_%(class)s_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="%(app_label)s_%(class)s_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return self.period_start.isoformat()
        return f"{self.period_start.isoformat()} 至 {self.period_end.isoformat()}"


class JobRun(models.Model):
    """作业运行记录: one scheduled job for one period; attempts count retries and re-runs."""

    name = models.CharField("作业", max_length=100)
    period = models.CharField("周期", max_length=30)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    started_at = models.DateTimeField("首次开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    result = models.CharField("结果", max_length=300, blank=True)

    class Meta:
        verbose_name = "作业运行记录"
        verbose_name_plural = "作业运行记录"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="%(app_label)s_%(class)s_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"


class EarlyWarning(ItemLinked):
    """预警: a blue, yellow or red warning on a task or case, raised by the daily sweep."""

    level = models.CharField("预警等级", max_length=10, choices=WarningLevel.choices)
    deadline = models.DateField("所涉时限")
    raised_on = models.DateField("预警日期")
    reason = models.CharField("预警原因", max_length=300)
    state = models.CharField(
        "处理状态", max_length=20, choices=WarningState.choices, default=WarningState.OPEN
    )
    resolved_on = models.DateField("解除日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-raised_on", "-id"]
        constraints = [
            *ItemLinked.Meta.constraints,
            # One warning per item, level and deadline: the sweep may run twice a day.
            models.UniqueConstraint(
                fields=["task", "level", "deadline"],
                condition=Q(task__isnull=False),
                name="%(app_label)s_%(class)s_once_per_task_level",
            ),
            models.UniqueConstraint(
                fields=["case", "level", "deadline"],
                condition=Q(case__isnull=False),
                name="%(app_label)s_%(class)s_once_per_case_level",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "level"], name="superv_earlywarn_state_idx"),
            # one per order the warning list offers (supervision/sorting.py)
            models.Index(fields=["raised_on", "id"], name="superv_warn_raised_sort_idx"),
            models.Index(fields=["deadline", "id"], name="superv_warn_deadline_sort_idx"),
            models.Index(
                rank_of("level", WARNING_LEVEL_ORDER), "raised_on", "id", name="superv_warn_level_sort_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.item_label}"


class LetterCounter(models.Model):
    """督办函编号计数: the last number given in a year; advanced by a conditional update."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    last_serial = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "督办函编号"
        verbose_name_plural = "督办函编号"

    def __str__(self) -> str:
        return f"{self.year}: {self.last_serial}"


class SupervisionLetter(ItemLinked):
    """督办函: a numbered letter from the office asking the unit to act and reply by a deadline."""

    warning = models.ForeignKey(
        EarlyWarning,
        verbose_name="所依据的预警",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    issued_on = models.DateField("发函日期")
    reply_deadline = models.DateField("回复时限")
    facts = models.TextField("督办事项")
    requirements = models.TextField("督办要求")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发函人", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("状态", max_length=10, choices=LetterState.choices, default=LetterState.ISSUED)
    reply = models.TextField("单位回复", blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督办函"
        verbose_name_plural = "督办函"
        ordering = ["-year", "-serial"]
        constraints = [
            *ItemLinked.Meta.constraints,
            models.UniqueConstraint(fields=["year", "serial"], name="%(app_label)s_%(class)s_number_unique"),
            models.CheckConstraint(
                condition=Q(reply_deadline__gte=models.F("issued_on")),
                name="%(app_label)s_%(class)s_reply_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{LETTER_PREFIX}〔{self.year}〕{self.serial}号"


class AdmonitionTalk(ItemLinked):
    """约谈: a talk with the unit's responsible people about a slow item; public for items at risk."""

    letter = models.ForeignKey(
        SupervisionLetter,
        verbose_name="关联督办函",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talks",
    )
    held_on = models.DateField("约谈日期")
    is_public = models.BooleanField("公开约谈", default=False)
    interviewees = models.CharField("被约谈人", max_length=200)
    interviewers = models.CharField("约谈人", max_length=200)
    summary = models.TextField("约谈内容及要求")
    # A unit-level talk (附件1 六: 考核结果不合格 → 约谈党政主要负责人，提出限期整改要求) has no
    # task or case: only the unit, the assessment year and the 限期整改 requirements and deadline.
    assessment_year = models.PositiveSmallIntegerField("考核年度", null=True, blank=True)
    rectify_requirements = models.TextField("限期整改要求", blank=True)
    rectify_deadline = models.DateField("整改期限", null=True, blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectified_note = models.TextField("整改完成情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈"
        ordering = ["-held_on", "-id"]
        constraints = [
            # One task, one case, or (a unit-level talk) neither but a unit.
            models.CheckConstraint(
                condition=(Q(task__isnull=False) & Q(case__isnull=True))
                | (Q(task__isnull=True) & Q(case__isnull=False))
                | (Q(task__isnull=True) & Q(case__isnull=True) & Q(unit__isnull=False)),
                name="%(app_label)s_%(class)s_one_item_or_unit",
            ),
            models.CheckConstraint(
                condition=Q(rectify_requirements="") | Q(rectify_deadline__isnull=False),
                name="%(app_label)s_%(class)s_requirements_have_deadline",
            ),
        ]
        indexes = [models.Index(fields=["unit", "rectify_deadline"], name="superv_talk_unit_deadline_idx")]

    def __str__(self) -> str:
        return f"约谈 {self.held_on} {self.item_label}"

    @property
    def is_unit_level(self) -> bool:
        return not (self.task_id or self.case_id)


class ClueReferral(ItemLinked):
    """移送问题线索: a clue of dereliction referred to the discipline commission."""

    letter = models.ForeignKey(
        SupervisionLetter,
        verbose_name="关联督办函",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    referred_on = models.DateField("移送日期")
    recipient = models.CharField("移送机关", max_length=100, default="千山风景区纪工委")
    facts = models.TextField("问题线索")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="移送人", on_delete=models.PROTECT, related_name="+"
    )
    # 处理结果 (oversight/domain/clues.py): what the receiving body did with the clue, when, and who.
    handling_body = models.CharField("承办机关", max_length=100, blank=True)
    outcome = models.TextField("处理结果", blank=True)
    outcome_on = models.DateField("办结日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "移送问题线索"
        verbose_name_plural = "移送问题线索"
        ordering = ["-referred_on", "-id"]
        constraints = [*ItemLinked.Meta.constraints]

    def __str__(self) -> str:
        return f"线索移送 {self.referred_on} {self.item_label}"


class ReportSection(models.Model):
    """报告分单位分节: one lead unit's own part of a weekly or monthly report.

    Built with the report (supervision.domain.report_units) and never changed: ``data`` holds the
    unit's figures and its overdue and behind-schedule items (at most SECTION_LIMIT of each, with
    the totals and the links to the unit's full filtered lists). A unit user reads only the
    sections of their own units; another unit's section is 404.
    """

    report = models.ForeignKey(Report, verbose_name="报告", on_delete=models.CASCADE, related_name="sections")
    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField("数据", default=dict)

    class Meta:
        verbose_name = "报告单位分节"
        verbose_name_plural = "报告单位分节"
        ordering = ["report_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "unit"], name="%(app_label)s_%(class)s_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.data.get('unit', self.unit_id)}"


def _delivery_path(instance, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path.
    return f"report-deliveries/{instance.sha256[:2]}/{instance.sha256}.pdf"


class ReportDelivery(models.Model):
    """报送记录: the monthly report as sent to 市委、市政府、市督改办 — to whom, when, by whom, and the
    exact PDF sent (kept as a file with its SHA-256, so anyone can check a copy against it)."""

    report = models.ForeignKey(
        Report, verbose_name="报告", on_delete=models.PROTECT, related_name="deliveries"
    )
    recipients = models.CharField("报送对象", max_length=300)
    delivered_on = models.DateField("报送日期")
    method = models.CharField("报送方式", max_length=50, blank=True)
    note = models.TextField("说明", blank=True)
    file = models.FileField("报送文件", upload_to=_delivery_path, max_length=200)
    file_source = models.CharField("文件来源", max_length=20)  # "generated" / "uploaded"
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["-delivered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.report} 报送{self.recipients}（{self.delivered_on}）"
