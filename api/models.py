from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ApiClient(models.Model):
    """接口客户端: an integration account (the provincial platform, a hotline, a city system).

    The client acts as its own User, with roles and unit scope assigned like a person's, so every
    read is scoped and every write is checked by the same rules as the pages. ``scopes`` narrows
    further: which resources it may read or write through the API (api.scopes).
    """

    name = models.CharField("客户端名称", max_length=100, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="接口账号",
        on_delete=models.PROTECT,
        related_name="api_client",
        help_text="接口以此账号的角色和单位范围访问数据，如同一个人",
    )
    scopes = models.JSONField("接口权限范围", default=list, blank=True)
    throttle_rate = models.CharField(
        "调用频率上限",
        max_length=20,
        default="600/min",
        help_text="如 600/min、10000/hour、100000/day",
    )
    is_active = models.BooleanField("启用", default=True)
    notes = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "接口客户端"
        verbose_name_plural = "接口客户端"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """接口令牌: a bearer token of a client; only its SHA-256 is stored, the token is shown once."""

    client = models.ForeignKey(
        ApiClient, verbose_name="客户端", on_delete=models.CASCADE, related_name="tokens"
    )
    prefix = models.CharField("令牌前缀", max_length=16, help_text="用于识别令牌，不能用于访问")
    token_sha256 = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField("失效时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吊销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client} {self.prefix}…"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ApiCall(models.Model):
    """接口调用记录: one call (client, endpoint, status, time), kept for audit."""

    client = models.ForeignKey(
        ApiClient,
        verbose_name="客户端",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.CharField("方法", max_length=10)
    path = models.CharField("接口路径", max_length=300)
    status = models.PositiveSmallIntegerField("状态码")
    at = models.DateTimeField("调用时间", default=timezone.now, db_index=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", default=0)

    class Meta:
        verbose_name = "接口调用记录"
        verbose_name_plural = "接口调用记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "at"], name="api_call_client_at_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class IdempotencyKey(models.Model):
    """幂等键: a creating POST's Idempotency-Key and its answer, so a retry gets the same answer
    and never creates twice. Unique per account: two clients may use the same key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField("幂等键", max_length=100)
    method = models.CharField("方法", max_length=10)
    path = models.CharField("接口路径", max_length=300)
    request_sha256 = models.CharField("请求摘要（SHA-256）", max_length=64)
    response_status = models.PositiveSmallIntegerField("响应状态码")
    response_body = models.JSONField("响应内容")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="%(app_label)s_%(class)s_unique_per_user"),
            models.CheckConstraint(condition=~Q(key=""), name="%(app_label)s_%(class)s_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.key
