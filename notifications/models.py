from django.conf import settings
from django.db import models

from .enums import BackgroundJobState, JobState, NotificationKind


class Notification(models.Model):
    """通知: one message to one user, in the app and (optionally) by email.

    ``dedupe_key`` makes a sender idempotent: the same key for the same user is stored once,
    so a scheduled scan that runs twice the same day notifies nobody twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=30, choices=NotificationKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    reason = models.CharField("收到原因", max_length=200, blank=True)
    dedupe_key = models.CharField("去重键", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    # Mail is marked sent only after the SMTP server accepted it. A sender first claims the row
    # until this time; a worker killed mid-send leaves emailed_at empty and the claim expires, so
    # the mail sweep (notifications.tasks.resend_pending_emails) sends it later.
    email_wanted = models.BooleanField("需发邮件", default=False)
    email_claimed_until = models.DateTimeField("邮件发送占用至", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="%(app_label)s_%(class)s_dedupe",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx")]

    def __str__(self) -> str:
        return self.title


class OutboxJob(models.Model):
    """后台作业: a Celery task recorded in the database before it is sent to the broker.

    When the broker is down the row stays pending and the beat's flush picks it up, so a job
    is never lost and a web page never waits on the broker for more than about a second.
    """

    task_name = models.CharField("任务", max_length=200)
    kwargs = models.JSONField("参数", default=dict)
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.PENDING)
    attempts = models.PositiveIntegerField("投递次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    queued_at = models.DateTimeField("投递时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台作业"
        verbose_name_plural = "后台作业"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "created_at"], name="notif_outbox_state_idx")]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.get_state_display()})"


class BackgroundJob(models.Model):
    """后台任务: a long export or import a worker runs for one user, with progress and a result file.

    Started through the outbox (``notifications.domain.jobs.enqueue``), so a job is never lost when
    the broker is down. ``dedupe_key`` (kind + parameters) with the partial unique constraint makes
    pressing the button twice give one job while it is pending or running. The file lives under
    MEDIA_ROOT until ``expires_at``; an hourly beat job deletes it then.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.CASCADE,
        related_name="background_jobs",
    )
    kind = models.CharField("任务类型", max_length=40)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict)
    dedupe_key = models.CharField("去重键", max_length=64)
    state = models.CharField(
        "状态", max_length=10, choices=BackgroundJobState.choices, default=BackgroundJobState.PENDING
    )
    total = models.PositiveIntegerField("总行数", null=True, blank=True)
    processed = models.PositiveIntegerField("已处理行数", default=0)
    message = models.TextField("说明", blank=True)
    file = models.FileField("结果文件", upload_to="jobs/", max_length=300, blank=True)
    filename = models.CharField("下载文件名", max_length=200, blank=True)
    result_link = models.CharField("结果链接", max_length=300, blank=True)
    attempts = models.PositiveIntegerField("运行次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("文件过期时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "dedupe_key"],
                condition=models.Q(state__in=["pending", "running"]),
                name="%(app_label)s_%(class)s_one_active",
            )
        ]
        indexes = [
            models.Index(fields=["owner", "created_at"], name="notif_bgjob_owner_idx"),
            models.Index(fields=["state", "expires_at"], name="notif_bgjob_state_exp_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def percent(self) -> int:
        if self.state in (BackgroundJobState.DONE, BackgroundJobState.EXPIRED):
            return 100
        if not self.total:
            return 0
        return min(100, self.processed * 100 // self.total)

    @property
    def seconds_left(self) -> int | None:
        """A straight-line estimate from the rate so far; None until there is a rate."""
        from django.utils import timezone

        if self.state != BackgroundJobState.RUNNING or not self.started_at or not self.total:
            return None
        if not self.processed:
            return None
        elapsed = (timezone.now() - self.started_at).total_seconds()
        return max(0, round(elapsed / self.processed * (self.total - self.processed)))
