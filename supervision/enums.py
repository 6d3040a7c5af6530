"""Choices of the supervision app: ASCII stored values, Chinese labels."""

from django.db import models


class WarningLevel(models.TextChoices):
    """预警等级 (三色预警): blue before a deadline, yellow at it, red well past it."""

    BLUE = "blue", "蓝色预警"
    YELLOW = "yellow", "黄色预警"
    RED = "red", "红色预警"


# 等级 sorts by severity (蓝 < 黄 < 红), not by the stored words.
WARNING_LEVEL_ORDER = (WarningLevel.BLUE, WarningLevel.YELLOW, WarningLevel.RED)


# Least to most serious: an item's current warning is the most serious open one.
LEVEL_ORDER = (WarningLevel.BLUE, WarningLevel.YELLOW, WarningLevel.RED)


class WarningState(models.TextChoices):
    OPEN = "open", "未处理"
    ESCALATED = "escalated", "已发督办函"
    RESOLVED = "resolved", "已解除"


class ReportKind(models.TextChoices):
    """调度与报告: the three dated records the office keeps."""

    DAILY = "daily", "按日调度"
    WEEKLY = "weekly", "周报"
    MONTHLY = "monthly", "月报"


class LetterState(models.TextChoices):
    ISSUED = "issued", "待回复"
    REPLIED = "replied", "已回复办结"


class ItemKind(models.TextChoices):
    """What a warning or an escalation is about."""

    TASK = "task", "整改任务"
    CASE = "case", "信访案件"
