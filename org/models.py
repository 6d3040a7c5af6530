from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .enums import UNIT_BOUND_ROLES, InspectionLevel, Role, UnitKind


class UnitTag(models.Model):
    """单位类别: what a unit is for the sign-off rules (生态环境部门, 司法局, 纪委监委, 行业主管部门 …).

    An admin-editable list. The rules of 附件2 name a kind by its stable ``code`` (org.enums.UnitTagCode);
    the admin may rename a kind's label or add kinds of its own, which no rule names.
    """

    code = models.SlugField(
        "代码", max_length=40, unique=True, help_text="规则按代码识别类别，请勿修改内置代码"
    )
    name = models.CharField("名称", max_length=40, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位类别"
        verbose_name_plural = "单位类别"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """单位: a government, department, enterprise or professional body, in one tree."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Other names an inspection team's sheet may use for this unit (one per line or comma).
    aliases = models.TextField("别名", blank=True, help_text="导入交办单时可匹配的其他名称，逗号或换行分隔")
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    tags = models.ManyToManyField(
        UnitTag,
        verbose_name="单位类别",
        blank=True,
        related_name="units",
        help_text="签字背书按单位类别核对签字人（附件2 二（三））",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords(m2m_fields=[tags])

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def tag_codes(self) -> set[str]:
        """The codes of the unit's kinds (from a prefetch of ``tags`` when there is one)."""
        return {tag.code for tag in self.tags.all()}

    def alias_list(self) -> list[str]:
        raw = self.aliases.replace("，", ",").replace("\n", ",")
        return [a.strip() for a in raw.split(",") if a.strip()]


class User(AbstractUser):
    """用户: a person who signs in; roles come from RoleAssignment."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)
    post = models.CharField("职务/职称", max_length=60, blank=True)
    signature_image = models.ImageField("签名图片", upload_to="signatures/", blank=True)
    # Password hashes never go into history, and a login is not a change worth a history row.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """角色分配: one role of a user; unit-bound roles name their unit."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="%(app_label)s_%(class)s_unique"),
            # NULLs are distinct in a unique index: a role without a unit needs its own rule.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True),
                name="%(app_label)s_%(class)s_unique_without_unit",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(UNIT_BOUND_ROLES)) | Q(unit__isnull=False),
                name="%(app_label)s_%(class)s_unit_bound_role_has_unit",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"{label}（{self.unit}）" if self.unit_id else label


class Inspection(models.Model):
    """督察轮次: one inspection campaign (central round 1, its look-back, round 2, provincial)."""

    code = models.CharField("编号", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=20, choices=InspectionLevel.choices)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    is_look_back = models.BooleanField("回头看", default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属轮次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="look_backs",
    )
    start_date = models.DateField("开始日期", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督察"
        verbose_name_plural = "督察"
        ordering = ["start_date", "id"]

    def __str__(self) -> str:
        return self.name


class Withdrawal(models.Model):
    """撤回记录: a sheet, assessment or letter the admin withdrew, with who, when, why and its content.

    The admin has no delete for these records; withdrawing one keeps this row (and simple-history's
    deletion row carries the reason), so a withdrawal can always be traced and read back.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="记录类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("记录编号", max_length=40)
    object_repr = models.CharField("记录", max_length=200)
    reason = models.TextField("撤回理由")
    snapshot = models.JSONField("撤回时的内容", default=dict)
    actor = models.ForeignKey("org.User", verbose_name="撤回人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("撤回时间", auto_now_add=True)

    class Meta:
        verbose_name = "撤回记录"
        verbose_name_plural = "撤回记录"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="%(app_label)s_%(class)s_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr}（{self.at:%Y-%m-%d}）"

    @classmethod
    def record(cls, obj, *, actor, reason: str, snapshot: dict) -> "Withdrawal":
        from django.contrib.contenttypes.models import ContentType

        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            reason=reason,
            snapshot=snapshot,
            actor=actor,
        )
