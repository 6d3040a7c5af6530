from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from qianshan.common.listing import rank_of

from .enums import (
    STEP_KIND_ORDER,
    STEP_OUTCOME_ORDER,
    FormKind,
    HolidayKind,
    SlotRole,
    StepKind,
    StepOutcome,
)


class Holiday(models.Model):
    """节假日: one official day off on a weekday, or a weekend day made a working day (调休).

    Only used when settings.DEADLINES_IN_WORKING_DAYS is on. Pre-filled from the
    chinesecalendar package for the years it covers; the admin adds later years by hand.
    """

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=HolidayKind.choices)
    name = models.CharField("名称", max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class Step(models.Model):
    """验收复核环节: one step of a case's acceptance and review chain (docs/rules.md §5).

    ``starts_on`` is the date the step's deadline counts from (the application, or the previous
    step's completion); the due date is computed on read so a holiday the admin enters later, or
    a switch to working days, moves it. ``round`` counts the chains of one case: a failed
    acceptance or review reopens the case and its next completion starts round + 1.
    """

    case = models.ForeignKey(
        "cases.PetitionCase", verbose_name="案件", on_delete=models.PROTECT, related_name="acceptance_steps"
    )
    kind = models.CharField("环节", max_length=20, choices=StepKind.choices)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    starts_on = models.DateField("起算日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    outcome = models.CharField(
        "结果", max_length=10, choices=StepOutcome.choices, default=StepOutcome.PENDING
    )
    reasons = models.TextField("未通过原因", blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entrusted_body = models.ForeignKey(
        "org.Unit",
        verbose_name="委托专业机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 附件2 三1: a locality's case applies to its 党委政府, a city department's case to its 党组;
    # named by the unit's kind when the acceptance is applied for (acceptance.domain.rules).
    receiving_body = models.CharField("验收申请受理机关", max_length=120, blank=True)
    organiser = models.ForeignKey(
        "org.Unit",
        verbose_name="组织验收单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Plan 四（三）3: the city industry department supervising the case takes part and signs.
    supervising_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="督导责任单位（市级行业主管部门）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "验收复核环节"
        verbose_name_plural = "验收复核环节"
        ordering = ["case_id", "round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "round", "kind"], name="%(app_label)s_%(class)s_one_kind_per_round"
            ),
            models.CheckConstraint(
                condition=Q(outcome=StepOutcome.PENDING) | Q(done_on__isnull=False),
                name="%(app_label)s_%(class)s_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=StepOutcome.FAILED) | ~Q(reasons=""),
                name="%(app_label)s_%(class)s_failure_has_reasons",
            ),
        ]
        indexes = [
            models.Index(fields=["done_on"], name="acceptance_step_open_idx"),
            # one per order the overview offers (acceptance/sorting.py), ending in id like the order
            models.Index(fields=["starts_on", "id"], name="acceptance_step_starts_idx"),
            models.Index(fields=["done_on", "id"], name="acceptance_step_done_sort_idx"),
            models.Index(
                rank_of("kind", STEP_KIND_ORDER), "starts_on", "id", name="acceptance_step_kind_sort_idx"
            ),
            models.Index(
                rank_of("outcome", STEP_OUTCOME_ORDER), "starts_on", "id", name="acceptance_step_outcome_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}（第{self.round}轮）"

    @property
    def is_open(self) -> bool:
        return self.outcome == StepOutcome.PENDING


class OpinionForm(models.Model):
    """验收意见 / 复核责任书: the form a step produces, filled from the case, signed online.

    Editable until its first valid signature; the case facts it states are not copied here but
    read from the case, so that changing the case changes the form's canonical content and
    voids the signatures (acceptance.domain.signing).
    """

    step = models.OneToOneField(Step, verbose_name="环节", on_delete=models.PROTECT, related_name="form")
    kind = models.CharField("表单", max_length=30, choices=FormKind.choices)
    form_date = models.DateField("日期", null=True, blank=True)
    unit_name = models.CharField("承办单位（委托专业机构）/验收单位", max_length=100, blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    reviewed_on = models.DateField("复核日期", null=True, blank=True)
    statement = models.TextField("验收结论", blank=True)
    opinion_finding = models.TextField("案件定性情况意见", blank=True)
    opinion_rectification = models.TextField("整改情况意见", blank=True)
    opinion_penalty = models.TextField("行政处罚情况意见", blank=True)
    opinion_satisfaction = models.TextField("群众满意情况意见", blank=True)
    opinion_accountability = models.TextField("责任追究情况意见", blank=True)
    # Point code → {"met": bool, "note": str}: the acceptance standards of the case's category
    # (附件2 一（三）) on a 验收意见, the five 复核原则 (二（一）) on a 复核责任书 (acceptance.domain.rules).
    checklist = models.JSONField("逐项核对", default=dict, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "验收复核表单"
        verbose_name_plural = "验收复核表单"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.step.case}）"


class SignatureSlot(models.Model):
    """签字栏: one place on a form that one assigned person signs (组长, a member, an opinion).

    The signer is a person of a real unit (``unit``), whose kinds (org.UnitTag) decide which slots
    they fit (acceptance.domain.rules). ``member_unit`` is the free text slots had before units
    were chosen from the list; kept as it was written, shown only where ``unit`` is empty.
    """

    form = models.ForeignKey(OpinionForm, verbose_name="表单", on_delete=models.CASCADE, related_name="slots")
    role = models.CharField("签字栏", max_length=20, choices=SlotRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签字人",
        on_delete=models.PROTECT,
        related_name="signature_slots",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    member_unit = models.CharField("单位（原填写）", max_length=100, blank=True)
    member_post = models.CharField("职务（职称）", max_length=60, blank=True)
    member_phone = models.CharField("联系电话", max_length=40, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    created_at = models.DateTimeField("指定时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "签字栏"
        verbose_name_plural = "签字栏"
        ordering = ["form_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "role", "user"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.user}"

    @property
    def unit_label(self) -> str:
        return self.unit.name if self.unit_id else self.member_unit


class Signature(models.Model):
    """签字背书: a signer bound to the exact content of a form by its SHA-256.

    A slot has at most one valid (not void) signature, by the database's own rule, so two
    submissions of the same signature give one row. A void signature stays, with its reason.
    """

    slot = models.ForeignKey(
        SignatureSlot, verbose_name="签字栏", on_delete=models.CASCADE, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签字人", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("签字时间")
    content_sha256 = models.CharField("内容摘要（SHA-256）", max_length=64)
    content = models.JSONField("签字时的内容")
    void = models.BooleanField("已失效", default=False)
    void_reason = models.TextField("失效原因", blank=True)
    voided_at = models.DateTimeField("失效时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "签字"
        verbose_name_plural = "签字"
        ordering = ["slot_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=Q(void=False), name="%(app_label)s_%(class)s_one_valid_per_slot"
            ),
            models.CheckConstraint(
                condition=Q(void=False) | ~Q(void_reason=""), name="%(app_label)s_%(class)s_void_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer} {self.signed_at:%Y-%m-%d %H:%M}"
