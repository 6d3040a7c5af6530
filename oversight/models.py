"""领导责任与纪律监督 (docs/rules.md §11): the records of the plan's leadership and discipline duties.

- ``Meeting``: a 党工委 / 管委会 meeting that studied the work (正文五1, every two months at least) or
  approved an inspection's rectification task list (正文三（二）1), with its minutes;
- ``LeaderAssignment``: 分管副主任包部门 (正文六（二）) — which leader answers for which unit, from when to when;
- ``DisciplineInspection``: 纪工委's monthly on-site inspection (正文五6);
- ``SpecialInspection``: 专项督查 of one area or field (正文五6);
- ``FollowUpItem``: what an inspection of either kind found that must be followed up, linked to a
  task or case where there is one, with its state.
Every record keeps its history (who, when, what changed).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .enums import FollowUpState, MeetingKind


class Meeting(models.Model):
    """党工委/管委会会议: a study session or an approval, with who attended and what was decided."""

    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    studies_environment = models.BooleanField(
        "研究生态环境保护工作",
        default=False,
        help_text="党工委会议（或联席会议）研究了生态环境保护工作的，计入“每两个月至少研究一次”",
    )
    attendees = models.TextField("出席人员")
    decisions = models.TextField("研究决定事项")
    approved_inspections = models.ManyToManyField(
        "org.Inspection",
        verbose_name="审议通过的整改清单",
        blank=True,
        related_name="approval_meetings",
        help_text="本次会议审议通过了哪一轮督察的反馈问题整改清单",
    )
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name="涉及单位",
        blank=True,
        related_name="+",
        help_text="会议研究涉及的责任单位，这些单位的用户可以查看本记录",
    )
    minutes = models.FileField("会议纪要", upload_to="oversight/%Y/%m/", blank=True)
    minutes_name = models.CharField("纪要原文件名", max_length=200, blank=True)
    minutes_type = models.CharField("纪要文件类型", max_length=100, blank=True)
    minutes_sha256 = models.CharField("纪要 SHA-256", max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[approved_inspections, units])

    class Meta:
        verbose_name = "党工委/管委会会议"
        verbose_name_plural = "党工委/管委会会议"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on", "id"], name="oversight_meeting_date_idx")]

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()} {self.get_kind_display()}《{self.title}》"


class LeaderAssignment(models.Model):
    """分管副主任包部门: one leader answers for one unit (and the units below it) from a date."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="分管领导", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name="分管单位", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("终止日期", null=True, blank=True, help_text="空白表示至今仍分管")
    duty = models.CharField("分管职务", max_length=100, blank=True, help_text="例如：管委会分管副主任")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "领导分管单位"
        verbose_name_plural = "领导分管单位"
        ordering = ["leader_id", "unit__sort_order", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_dates_ordered",
            )
        ]
        indexes = [models.Index(fields=["unit", "starts_on"], name="oversight_assign_unit_idx")]

    def __str__(self) -> str:
        return f"{self.leader} 分管 {self.unit}"

    def active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class DisciplineInspection(models.Model):
    """纪工委现场督查: the monthly on-site inspection of the rectification and petition-case work."""

    inspected_on = models.DateField("督查日期")
    units = models.ManyToManyField("org.Unit", verbose_name="督查单位", related_name="+")
    inspectors = models.CharField("督查人员", max_length=200)
    findings = models.TextField("发现的问题")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = "纪工委现场督查"
        verbose_name_plural = "纪工委现场督查"
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["inspected_on", "id"], name="oversight_discinsp_date_idx")]

    def __str__(self) -> str:
        return f"纪工委现场督查 {self.inspected_on.isoformat()}"


class SpecialInspection(models.Model):
    """专项督查: an inspection of the outstanding problems of one area or one field."""

    title = models.CharField("督查名称", max_length=200)
    area = models.CharField("督查区域", max_length=100, blank=True)
    field = models.CharField("督查领域", max_length=100, blank=True)
    scope = models.TextField("督查范围")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    members = models.CharField(
        "督查组成员", max_length=300, help_text="以市督改办人员为主，可有专家和行业主管部门人员"
    )
    units = models.ManyToManyField("org.Unit", verbose_name="涉及单位", blank=True, related_name="+")
    findings = models.TextField("发现的问题", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = "专项督查"
        verbose_name_plural = "专项督查"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(area="", field=""), name="%(app_label)s_%(class)s_area_or_field"
            ),
        ]

    def __str__(self) -> str:
        return f"专项督查《{self.title}》"

    @property
    def subject(self) -> str:
        return "；".join(
            p for p in (self.area and f"区域：{self.area}", self.field and f"领域：{self.field}") if p
        )


class FollowUpItem(models.Model):
    """跟进事项: a problem an inspection found, answerable by a unit, linked to a task or case if any."""

    discipline_inspection = models.ForeignKey(
        DisciplineInspection,
        verbose_name="纪工委现场督查",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    special_inspection = models.ForeignKey(
        SpecialInspection,
        verbose_name="专项督查",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    description = models.TextField("跟进事项")
    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(
        "rectification.RectificationTask",
        verbose_name="关联整改任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.PetitionCase",
        verbose_name="关联信访案件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateField("整改时限", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN)
    resolved_on = models.DateField("整改完成日期", null=True, blank=True)
    resolution = models.TextField("整改情况", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督查跟进事项"
        verbose_name_plural = "督查跟进事项"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(discipline_inspection__isnull=False) & Q(special_inspection__isnull=True))
                | (Q(discipline_inspection__isnull=True) & Q(special_inspection__isnull=False)),
                name="%(app_label)s_%(class)s_one_inspection",
            ),
            models.CheckConstraint(
                condition=Q(task__isnull=True) | Q(case__isnull=True),
                name="%(app_label)s_%(class)s_task_or_case",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def parent(self):
        return self.discipline_inspection or self.special_inspection
