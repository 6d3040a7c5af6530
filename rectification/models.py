from django.db import models
from simple_history.models import HistoricalRecords

from .enums import MeasureKind, TaskStatus


class RectificationTask(models.Model):
    """整改任务: a problem in the inspection's feedback that must be rectified (domain.md §3)."""

    inspection = models.ForeignKey(
        "org.Inspection", verbose_name="督察", on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.CharField("任务编号", max_length=30)
    seq = models.PositiveIntegerField("序号", default=0)
    problem = models.TextField("反馈问题")
    target = models.TextField("整改目标", blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_tasks"
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit", verbose_name="配合单位", blank=True, related_name="cooperating_tasks"
    )
    supervising_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="督导单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_tasks",
    )
    accepting_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="验收单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accepted_tasks",
    )
    responsible_person = models.CharField("责任人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    standard = models.TextField("整改标准")
    deadline = models.DateField("整改时限")
    status = models.CharField(
        "任务状态", max_length=20, choices=TaskStatus.choices, default=TaskStatus.IN_PROGRESS
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(m2m_fields=[cooperating_units])

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["inspection_id", "seq", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"],
                name="%(app_label)s_%(class)s_number_unique_per_inspection",
            ),
        ]
        indexes = [models.Index(fields=["deadline"], name="rect_task_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.problem[:30]}"

    @property
    def unit_ids(self) -> list[int]:
        return [self.lead_unit_id, *(u.pk for u in self.cooperating_units.all())]


class AnnualTarget(models.Model):
    """年度目标: what the task must reach in one assessment year."""

    task = models.ForeignKey(
        RectificationTask, verbose_name="整改任务", on_delete=models.CASCADE, related_name="annual_targets"
    )
    year = models.PositiveSmallIntegerField("年度")
    target = models.TextField("年度目标")
    reached = models.BooleanField("是否达到", null=True, blank=True)
    evidence = models.TextField("达到依据", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["task_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["task", "year"], name="%(app_label)s_%(class)s_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} {self.year}"


class Measure(models.Model):
    """整改措施: one action of a task, of one of the five kinds (domain.md §3)."""

    task = models.ForeignKey(
        RectificationTask, verbose_name="整改任务", on_delete=models.CASCADE, related_name="measures"
    )
    seq = models.PositiveSmallIntegerField("序号", default=1)
    kind = models.CharField("措施类别", max_length=20, choices=MeasureKind.choices)
    content = models.TextField("措施内容")
    responsible_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    deadline = models.DateField("完成时限")
    done = models.BooleanField("已完成", default=False)
    done_on = models.DateField("完成日期", null=True, blank=True)
    evidence = models.TextField("完成依据", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        ordering = ["task_id", "seq", "id"]

    def __str__(self) -> str:
        return f"{self.task.number}-措施{self.seq}"


class Milestone(models.Model):
    """时间节点: one dated step of a measure; "on schedule" = every milestone due by today done."""

    measure = models.ForeignKey(
        Measure, verbose_name="整改措施", on_delete=models.CASCADE, related_name="milestones"
    )
    due = models.DateField("节点日期")
    description = models.CharField("节点内容", max_length=200)
    done_on = models.DateField("完成日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["measure_id", "due", "id"]

    def __str__(self) -> str:
        return f"{self.due} {self.description}"
