from django.db import models


class NotificationKind(models.TextChoices):
    DEADLINE_ALERT = "deadline_alert", "时限提醒"
    DAILY_DISPATCH = "daily_dispatch", "按日调度"
    REPORT = "report", "周报/月报"
    WARNING = "warning", "预警"
    SUPERVISION_LETTER = "supervision_letter", "督办函"
    SIGNATURE_REQUEST = "signature_request", "待签字"
    CASE_REOPENED = "case_reopened", "重新整改"
    CLUE_REFERRAL = "clue_referral", "移送问题线索"
    DUTY_REMINDER = "duty_reminder", "履职提醒"
    JOB_DONE = "job_done", "后台任务完成"
    JOB_FAILED = "job_failed", "后台任务失败"
    OUTBOX_STUCK = "outbox_stuck", "作业滞留"
    OTHER = "other", "其他"


class JobState(models.TextChoices):
    PENDING = "pending", "待投递"
    QUEUED = "queued", "已投递"


class BackgroundJobState(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    EXPIRED = "expired", "文件已过期"


ACTIVE_JOB_STATES = (BackgroundJobState.PENDING, BackgroundJobState.RUNNING)
