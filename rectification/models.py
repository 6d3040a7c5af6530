from django.db import models
from simple_history.models import HistoricalRecords

from qianshan.common.listing import rank_of

from .enums import TASK_STATUS_ORDER, AttachmentKind, LookBackResult, MeasureKind, TaskStatus, TaskStep


class RectificationTask(models.Model):
    """整改任务: a problem in the inspection's feedback that must be rectified (docs/rules.md §6)."""

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
        indexes = [
            models.Index(fields=["deadline"], name="rect_task_deadline_idx"),
            # one per order the task list offers (rectification/sorting.py)
            models.Index(fields=["inspection", "seq", "number", "id"], name="rect_task_list_order_idx"),
            models.Index(fields=["number", "id"], name="rect_task_number_sort_idx"),
            models.Index(fields=["deadline", "id"], name="rect_task_deadline_sort_idx"),
            models.Index(fields=["status", "deadline", "id"], name="rect_task_status_sort_idx"),
            models.Index(
                rank_of("status", TASK_STATUS_ORDER), "deadline", "id", name="rect_task_status_rank_idx"
            ),
        ]

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
    """整改措施: one action of a task, of one of the five kinds (docs/rules.md §6)."""

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
    evidence = models.TextField("完成情况说明", blank=True)
    # 附件2 一（三）1 注: a temporary measure never counts as done (complete_measure refuses it).
    is_temporary = models.BooleanField(
        "临时性应对措施", default=False, help_text="仅以临时性应对措施暂时解决问题，不得视为完成"
    )
    # Evidence by kind (docs/rules.md §6); which of these a kind requires lives in rectification/evidence.py.
    document = models.CharField("文件名称及文号", max_length=200, blank=True)
    document_issued_on = models.DateField("印发日期", null=True, blank=True)
    document_in_force = models.BooleanField("文件已施行", default=False)
    works_finished_on = models.DateField("完工日期", null=True, blank=True)
    acceptance_on = models.DateField("竣工验收日期", null=True, blank=True)
    acceptance_document = models.CharField("竣工验收文件", max_length=200, blank=True)
    closed_on = models.DateField("关停搬迁日期", null=True, blank=True)
    clearance_required = models.BooleanField("需拆除清理建筑设施", default=False)
    cleared_on = models.DateField("拆除清理完成日期", null=True, blank=True)
    case_filed_no = models.CharField("立案编号", max_length=100, blank=True)
    penalty_decision_no = models.CharField("处罚决定书文号", max_length=100, blank=True)
    penalty_executed_on = models.DateField("处罚执行日期", null=True, blank=True)
    offender_complied = models.BooleanField("当事人已履行", default=False)
    violation_fixed = models.BooleanField("违法行为已纠正", default=False)
    investigation_done_on = models.DateField("调查完成日期", null=True, blank=True)
    persons_held = models.TextField("被问责人员及处理结果", blank=True)
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


class ProgressReport(models.Model):
    """整改进展: a dated report of a task (or one of its measures) by the unit, with attachments."""

    task = models.ForeignKey(
        RectificationTask, verbose_name="整改任务", on_delete=models.CASCADE, related_name="progress_reports"
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name="整改措施",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    reported_on = models.DateField("报告日期")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成比例（%）")
    reported_by = models.ForeignKey(
        "org.User", verbose_name="报告人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="%(app_label)s_%(class)s_percent_at_most_100"
            ),
        ]
        indexes = [models.Index(fields=["task", "reported_on"], name="rect_progress_task_date_idx")]

    def __str__(self) -> str:
        return f"{self.task.number} {self.reported_on} {self.percent}%"


class LookBackCheck(models.Model):
    """回头看检查: an on-site check of one measure in the round-1 look-back; a rebound reopens it."""

    measure = models.ForeignKey(
        Measure, verbose_name="整改措施", on_delete=models.CASCADE, related_name="look_back_checks"
    )
    checked_on = models.DateField("检查日期")
    inspector = models.CharField("检查人", max_length=100)
    result = models.CharField("检查结果", max_length=20, choices=LookBackResult.choices)
    notes = models.TextField("检查情况", blank=True)
    recorded_by = models.ForeignKey(
        "org.User", verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "回头看检查"
        verbose_name_plural = "回头看检查"
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.measure} {self.checked_on} {self.get_result_display()}"


class Attachment(models.Model):
    """附件: a checked image (re-encoded) or PDF of a progress report, look-back check or measure evidence,
    with the SHA-256 of the stored bytes."""

    progress_report = models.ForeignKey(
        ProgressReport,
        verbose_name="整改进展",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    look_back_check = models.ForeignKey(
        LookBackCheck,
        verbose_name="回头看检查",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name="措施完成依据",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    file = models.FileField("文件", upload_to="rectification/%Y/%m/")
    kind = models.CharField("类型", max_length=10, choices=AttachmentKind.choices)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        "org.User", verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # When and where a photo was taken, from its EXIF (qianshan.common.exif); empty when it had none.
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField("拍摄位置纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("拍摄位置经度", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        progress_report__isnull=False, look_back_check__isnull=True, measure__isnull=True
                    )
                    | models.Q(
                        progress_report__isnull=True, look_back_check__isnull=False, measure__isnull=True
                    )
                    | models.Q(
                        progress_report__isnull=True, look_back_check__isnull=True, measure__isnull=False
                    )
                ),
                name="%(app_label)s_%(class)s_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class TaskStepRecord(models.Model):
    """销号环节记录: who took which close-out step of a task and when (complete → … → filed)."""

    task = models.ForeignKey(
        RectificationTask, verbose_name="整改任务", on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField("环节", max_length=20, choices=TaskStep.choices)
    from_status = models.CharField("原状态", max_length=20, choices=TaskStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=TaskStatus.choices)
    actor = models.ForeignKey(
        "org.User", verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间")
    on_date = models.DateField("日期")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "销号环节记录"
        verbose_name_plural = "销号环节记录"
        ordering = ["task_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.get_step_display()}"


class TaskReboundEntry(models.Model):
    """整改任务反弹台账: a task whose rectification did not hold (回头看 found a rebound, or the office
    recorded one), classified and handled like the case rebound ledger (分类处置、台账式管理)."""

    task = models.ForeignKey(
        RectificationTask, verbose_name="整改任务", on_delete=models.PROTECT, related_name="rebounds"
    )
    measure = models.ForeignKey(
        Measure, verbose_name="整改措施", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    look_back_check = models.OneToOneField(
        LookBackCheck,
        verbose_name="回头看检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rebound",
    )
    found_on = models.DateField("发现日期")
    category = models.ForeignKey(
        "cases.ReboundCategory",
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_entries",
    )
    description = models.TextField("反弹情况")
    disposition = models.TextField("处置措施", blank=True)
    resolved_on = models.DateField("处置完成日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        "org.User", verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改任务反弹台账"
        verbose_name_plural = "整改任务反弹台账"
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.found_on}"
