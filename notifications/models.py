from django.conf import settings
from django.db import models

from .enums import JobState, NotificationKind


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
