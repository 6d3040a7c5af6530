from django.db import models


class NotificationKind(models.TextChoices):
    DEADLINE_ALERT = "deadline_alert", "时限提醒"
    DAILY_DISPATCH = "daily_dispatch", "按日调度"
    REPORT = "report", "周报/月报"
    WARNING = "warning", "预警"
    SUPERVISION_LETTER = "supervision_letter", "督办函"
    SIGNATURE_REQUEST = "signature_request", "待签字"
    CASE_REOPENED = "case_reopened", "重新整改"
    OTHER = "other", "其他"


class JobState(models.TextChoices):
    PENDING = "pending", "待投递"
    QUEUED = "queued", "已投递"
