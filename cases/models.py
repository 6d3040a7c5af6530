from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from org.enums import LeaderLevel
from qianshan.common.listing import rank_of

from .enums import (
    CASE_STATE_ORDER,
    FINISHED_STATES,
    AcceptanceCategory,
    AttachmentKind,
    CaseState,
    Channel,
    CompletionStatus,
    Finding,
    ImportState,
    PhotoStage,
    RecheckResult,
)


class PollutionType(models.Model):
    """污染类型: the vocabulary of the transfer sheets (水、大气、… and the local 油烟、扬尘…)."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "污染类型"
        verbose_name_plural = "污染类型"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class PetitionCase(models.Model):
    """信访举报案件: a citizen complaint transferred by an inspection team (docs/rules.md §4).

    State changes go through cases.domain.transitions only; ``version`` is bumped by every
    transition so two people pressing the same button give one transition (a conditional
    update, which works on SQLite as well as PostgreSQL).
    """

    inspection = models.ForeignKey(
        "org.Inspection", verbose_name="督察", on_delete=models.PROTECT, related_name="cases"
    )
    receipt_no = models.CharField("受理编号", max_length=40)
    batch = models.PositiveIntegerField("交办批次", null=True, blank=True)
    transferred_on = models.DateField("交办日期", null=True, blank=True)
    channel = models.CharField("举报方式", max_length=10, choices=Channel.choices, default=Channel.OTHER)
    complaint = models.TextField("交办问题基本情况")
    locality = models.ForeignKey(
        "org.Unit",
        verbose_name="行政区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_in_locality",
    )
    pollution_types = models.ManyToManyField(PollutionType, verbose_name="污染类型", blank=True)
    # --- the 131 loop: responsibility, standard, deadline ---
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="牵头责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit", verbose_name="配合单位", blank=True, related_name="cooperating_cases"
    )
    handler = models.CharField("具体负责人", max_length=50, blank=True)
    handler_phone = models.CharField("负责人电话", max_length=40, blank=True)
    case_leader = models.CharField("包案领导", max_length=50, blank=True)
    case_leader_level = models.CharField(
        "包案领导级别", max_length=20, choices=LeaderLevel.choices, default=LeaderLevel.NONE
    )
    standard = models.TextField("整改标准", blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    # --- key case (重点案件) ---
    is_key = models.BooleanField("是否重点件", default=False)
    key_leader = models.CharField("包保主要领导", max_length=50, blank=True)
    work_plan = models.TextField("工作方案", blank=True)
    # --- state and handling ---
    state = models.CharField("当前环节", max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED)
    version = models.PositiveIntegerField("版本", default=0)
    finding = models.CharField("是否属实", max_length=20, choices=Finding.choices, blank=True)
    investigation = models.TextField("调查核实情况", blank=True)
    handling = models.TextField("处理和整改情况", blank=True)
    plan = models.TextField("整改方案", blank=True)
    completion_status = models.CharField(
        "办结状态",
        max_length=20,
        choices=CompletionStatus.choices,
        default=CompletionStatus.IN_PROGRESS,
    )
    acceptance_category = models.CharField(
        "验收分类", max_length=20, choices=AcceptanceCategory.choices, blank=True
    )
    accountability = models.TextField("问责情况", blank=True)
    # --- the five completion conditions (信访举报问题整改标准) ---
    points_investigated = models.BooleanField("举报问题全部查清", default=False)
    points_resolved = models.BooleanField("举报问题全部解决", default=False)
    violations_penalised = models.BooleanField("违法行为依法处罚", default=False)
    accountability_done = models.BooleanField("需问责的已问责", default=False)
    complainant_accepted = models.BooleanField("举报人或周边群众认可", default=False)
    completion_evidence = models.TextField("办结依据", blank=True)
    # --- enforcement counters published with every batch ---
    ordered_rectify = models.PositiveIntegerField("责令整改（家次）", default=0)
    penalty_cases = models.PositiveIntegerField("立案处罚（家次）", default=0)
    fine_amount = models.DecimalField("罚款金额（万元）", max_digits=12, decimal_places=2, default=0)
    criminal_investigations = models.PositiveIntegerField("立案侦查（件次）", default=0)
    administrative_detentions = models.PositiveIntegerField("行政拘留（人次）", default=0)
    criminal_detentions = models.PositiveIntegerField("刑事拘留（人次）", default=0)
    interviews = models.PositiveIntegerField("约谈（人次）", default=0)
    persons_held_accountable = models.PositiveIntegerField("问责（人次）", default=0)
    # --- repeat cases ---
    is_repeat = models.BooleanField("是否重复", default=False)
    related_cases = models.ManyToManyField("self", verbose_name="重复关联件", blank=True, symmetrical=True)
    merge_no = models.CharField("合并编号", max_length=40, blank=True)
    # The earlier case this one complains about again (重复访): the repeat-complaint deduction goes
    # to that original, never to this record (docs/rules.md §8.3). Set from the repeat links.
    repeat_of = models.ForeignKey(
        "self",
        verbose_name="重复投诉的原案件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    # Personal: shown to the office and the case's handlers only, never exported publicly.
    complainant_contact = models.CharField("举报人联系方式", max_length=100, blank=True)
    remarks = models.TextField("备注", blank=True)
    publicity_started_on = models.DateField("公示开始日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(m2m_fields=[pollution_types, cooperating_units], excluded_fields=["version"])

    class Meta:
        verbose_name = "信访举报案件"
        verbose_name_plural = "信访举报案件"
        ordering = ["inspection_id", "batch", "receipt_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "receipt_no"],
                name="%(app_label)s_%(class)s_receipt_no_unique_per_inspection",
            ),
            models.CheckConstraint(
                condition=Q(state="received")
                | (Q(lead_unit__isnull=False) & Q(deadline__isnull=False) & ~Q(standard="") & ~Q(handler="")),
                name="%(app_label)s_%(class)s_fixed_three_past_received",
            ),
        ]
        indexes = [
            models.Index(fields=["state"], name="cases_case_state_idx"),
            models.Index(fields=["deadline"], name="cases_case_deadline_idx"),
            models.Index(fields=["lead_unit", "state"], name="cases_case_unit_state_idx"),
            # one per order the case list offers (cases/sorting.py), ending in id like the order
            models.Index(
                fields=["inspection", "batch", "receipt_no", "id"], name="cases_case_list_order_idx"
            ),
            models.Index(fields=["receipt_no", "id"], name="cases_case_receipt_sort_idx"),
            models.Index(fields=["batch", "receipt_no", "id"], name="cases_case_batch_sort_idx"),
            models.Index(fields=["deadline", "id"], name="cases_case_deadline_sort_idx"),
            # the scoring page's case list: a year's deadlines, then 受理编号 (scoring/sorting.py)
            models.Index(fields=["deadline", "receipt_no", "id"], name="cases_case_deadline_recpt_idx"),
            models.Index(rank_of("state", CASE_STATE_ORDER), "id", name="cases_case_state_sort_idx"),
            # The figures of the dashboard, the home page and the reports (docs/reports-and-scale.md):
            # the open cases (the condition is cases.domain.queries.open_case_q, a test keeps them
            # equal) by deadline — 逾期, N日内到期, the overdue trend — overall and per lead unit,
            # with the state so the counts are read from the index alone; and the dates of the
            # dashboard's weekly columns.
            models.Index(
                fields=["deadline", "state"],
                condition=~Q(state__in=sorted(FINISHED_STATES)),
                name="cases_case_open_deadline_idx",
            ),
            models.Index(
                fields=["lead_unit", "deadline", "state"],
                condition=~Q(state__in=sorted(FINISHED_STATES)),
                name="cases_case_open_unit_idx",
            ),
            # The finished cases by deadline, joined by id to their moves into 已办结 (the
            # finished-late part of the overdue trend); the condition is finished_case_q.
            models.Index(
                fields=["id", "deadline"],
                condition=Q(state__in=sorted(FINISHED_STATES)),
                name="cases_case_finished_idx",
            ),
            # A unit's case ids from the index alone (org.permissions.scope_ids).
            models.Index(fields=["lead_unit", "id"], name="cases_case_unit_id_idx"),
            models.Index(fields=["transferred_on"], name="cases_case_transferred_idx"),
            models.Index(fields=["closed_on"], name="cases_case_closed_idx"),
        ]

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def unit_ids(self) -> list[int]:
        """The units answerable for the case (lead + cooperating), for the access rule."""
        return [self.lead_unit_id, *(u.pk for u in self.cooperating_units.all())]


class CaseTransition(models.Model):
    """状态流转记录: one transition of a case (who, when, from → to, why)."""

    case = models.ForeignKey(
        PetitionCase, verbose_name="案件", on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField("原环节", max_length=20, choices=CaseState.choices)
    to_state = models.CharField("新环节", max_length=20, choices=CaseState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因/说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "状态流转记录"
        verbose_name_plural = "状态流转记录"
        ordering = ["at", "id"]
        indexes = [
            # The moves into a state since a time (the finished-late part of the overdue trend,
            # cases.domain.queries.finished_late_counts), read from the index alone.
            models.Index(fields=["to_state", "at", "case", "from_state"], name="cases_transition_to_at_idx"),
            # The moves of one day (cases.domain.queries.changed_on_q, the dispatch's 昨日变化).
            models.Index(fields=["at", "case"], name="cases_transition_at_idx"),
            # A case's first move into a state (the first completion of each of a unit's cases,
            # scoring.domain.consequences._missed_deadlines), read from the index alone.
            models.Index(fields=["case", "to_state", "at"], name="cases_transition_case_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_state} → {self.to_state}"


class InvestigationPoint(models.Model):
    """举报问题要点: one point of a complaint; "problems solved / problems" of the scoring reads these."""

    case = models.ForeignKey(
        PetitionCase, verbose_name="案件", on_delete=models.CASCADE, related_name="points"
    )
    seq = models.PositiveSmallIntegerField("序号")
    content = models.TextField("问题要点")
    is_true = models.BooleanField("是否属实", default=True)
    is_resolved = models.BooleanField("是否已解决", default=False)
    note = models.TextField("说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "举报问题要点"
        verbose_name_plural = "举报问题要点"
        ordering = ["case_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="%(app_label)s_%(class)s_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case}-{self.seq}"


class ProgressEntry(models.Model):
    """最新进展: one dated entry of a case's progress log; the newest one is published as "latest"."""

    case = models.ForeignKey(
        PetitionCase, verbose_name="案件", on_delete=models.CASCADE, related_name="progress_entries"
    )
    happened_on = models.DateField("进展日期")
    text = models.TextField("进展情况")
    # 附件2 一（三）1 注: a problem solved for now by a temporary measure is never 办结 (acceptance checks it).
    is_temporary = models.BooleanField(
        "临时性应对措施", default=False, help_text="本次进展仅以临时性应对措施暂时解决问题"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "办理进展"
        verbose_name_plural = "办理进展"
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.happened_on}"


class RecheckDraw(models.Model):
    """复查回访抽样: the month's recorded 10 % draw (docs/rules.md §4), reproducible from its seed."""

    month = models.DateField("月份", unique=True, help_text="当月第一天")
    seed = models.BigIntegerField("随机种子")
    population_size = models.PositiveIntegerField("可抽案件数")
    sample_size = models.PositiveIntegerField("抽取数")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", null=True, blank=True, on_delete=models.PROTECT
    )
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "复查回访抽样"
        verbose_name_plural = "复查回访抽样"
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")


class RecheckVisit(models.Model):
    """复查回访: one drawn case's visit (date, visitor, holds / rebounded, notes, photos)."""

    draw = models.ForeignKey(
        RecheckDraw, verbose_name="抽样", on_delete=models.PROTECT, related_name="visits"
    )
    case = models.ForeignKey(
        PetitionCase, verbose_name="案件", on_delete=models.PROTECT, related_name="recheck_visits"
    )
    order = models.PositiveSmallIntegerField("抽取顺序")
    cycle = models.PositiveIntegerField("轮次", help_text="全部案件回访一遍为一轮，之后重新开始")
    visited_on = models.DateField("回访日期", null=True, blank=True)
    visitor = models.CharField("回访人", max_length=50, blank=True)
    result = models.CharField(
        "回访结果", max_length=20, choices=RecheckResult.choices, default=RecheckResult.PENDING
    )
    notes = models.TextField("回访情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "复查回访"
        verbose_name_plural = "复查回访"
        ordering = ["draw_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "case"], name="%(app_label)s_%(class)s_case_once_per_draw"
            ),
            models.CheckConstraint(
                condition=Q(result="pending") | Q(visited_on__isnull=False),
                name="%(app_label)s_%(class)s_visited_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draw} {self.case}"


class ReboundEntry(models.Model):
    """反弹台账: a closed problem that came back; the case was reopened (分类处置、台账式管理)."""

    case = models.ForeignKey(
        PetitionCase, verbose_name="案件", on_delete=models.PROTECT, related_name="rebounds"
    )
    visit = models.OneToOneField(
        RecheckVisit,
        verbose_name="复查回访",
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
        related_name="case_entries",
    )
    description = models.TextField("反弹情况")
    disposition = models.TextField("处置措施", blank=True)
    resolved_on = models.DateField("处置完成日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "反弹台账"
        verbose_name_plural = "反弹台账"
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.found_on}"


def _attachment_path(instance, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path, and a file is found by its hash.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """附件/证据材料: a checked evidence file of a case (photo, 勘察笔录, document), served only after an
    access check; listed in the case's archive catalogue (档案目录)."""

    case = models.ForeignKey(
        PetitionCase, verbose_name="案件", on_delete=models.CASCADE, related_name="attachments"
    )
    progress = models.ForeignKey(
        ProgressEntry,
        verbose_name="办理进展",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    visit = models.ForeignKey(
        RecheckVisit,
        verbose_name="复查回访",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="提交单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_attachments",
    )
    kind = models.CharField("材料类型", max_length=30, choices=AttachmentKind.choices)
    photo_stage = models.CharField(
        "整改前后", max_length=10, choices=PhotoStage.choices, default=PhotoStage.NONE
    )
    pair_label = models.CharField(
        "对比点位", max_length=50, blank=True, help_text="同一点位的整改前后照片成对显示"
    )
    title = models.CharField("说明", max_length=200, blank=True)
    file = models.FileField("文件", upload_to=_attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=60)
    extension = models.CharField("扩展名", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # When and where a photo was taken, from its EXIF (qianshan.common.exif); empty when it had none.
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField("拍摄位置纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("拍摄位置经度", max_digits=9, decimal_places=6, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "证据材料"
        verbose_name_plural = "证据材料"
        ordering = ["case_id", "kind", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo_stage="none") | Q(kind="photo"),
                name="%(app_label)s_%(class)s_stage_only_for_photos",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class TransferSheetImport(models.Model):
    """交办单导入: one uploaded transfer sheet, previewed and then confirmed (or refused)."""

    inspection = models.ForeignKey(
        "org.Inspection", verbose_name="督察", on_delete=models.PROTECT, related_name="case_imports"
    )
    batch = models.PositiveIntegerField("交办批次", null=True, blank=True)
    file = models.FileField("文件", upload_to="imports/%Y/%m/", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    state = models.CharField(
        "状态", max_length=20, choices=ImportState.choices, default=ImportState.PREVIEWED
    )
    summary = models.JSONField("导入结果", default=dict)
    # The workbook parsed once at upload (cases.domain.importing.parse_to_json): the preview and the
    # confirmation plan from it and never read the file again. Not copied into the history.
    parsed = models.JSONField("解析结果", null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["parsed"])

    class Meta:
        verbose_name = "交办单导入"
        verbose_name_plural = "交办单导入"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ReboundCategory(models.Model):
    """反弹分类 (分类处置): why a closed problem is back — 整改不到位、问题反弹、新发问题 … — for the case
    and the task rebound ledgers. The built-in codes (REBOUND_CATEGORIES) are seeded by a migration
    and cannot be deleted; the office may rename them and add its own in the admin."""

    code = models.CharField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    description = models.CharField("处置要求", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_builtin = models.BooleanField("内置", default=False, editable=False)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "反弹分类"
        verbose_name_plural = "反弹分类"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class CaseTally(models.Model):
    """案件计数（PostgreSQL）: the number of cases per (lead unit, state), kept by database triggers
    on every insert, update and delete of a case (migration cases/0019_case_tallies), so the
    office's whole-table figures read a few hundred rows instead of counting 100 000 cases.

    Rows are deltas (+n / -n): a write adds rows and never updates one, so writers do not wait on
    each other; ``compact_tallies`` (beat, every 10 minutes) folds them into one row per key in a
    single transaction. The count of a key is the SUM of its rows. Never written by the
    application; on SQLite there are no triggers and the figures count the cases directly
    (cases.domain.tallies)."""

    lead_unit_id = models.BigIntegerField("牵头单位编号", null=True)
    state = models.CharField("环节", max_length=20)
    n = models.IntegerField("增减数")

    class Meta:
        verbose_name = verbose_name_plural = "案件计数"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.lead_unit_id}/{self.state}: {self.n:+d}"


class PollutionTally(models.Model):
    """污染类型计数（PostgreSQL）: the number of cases per pollution type, kept by triggers on the
    case ↔ pollution type link table, as CaseTally (delta rows, compacted)."""

    pollutiontype_id = models.BigIntegerField("污染类型编号")
    n = models.IntegerField("增减数")

    class Meta:
        verbose_name = verbose_name_plural = "污染类型计数"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.pollutiontype_id}: {self.n:+d}"
