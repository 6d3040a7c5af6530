"""Choices of the rectification app: ASCII stored values, Chinese labels."""

from django.db import models


class TaskGrade(models.TextChoices):
    """年度考核等次: the four-level annual grade of a task (考核办法 评分标准一)."""

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class ScheduleStatus(models.TextChoices):
    """序时进度状态: computed from milestones and deadlines, never stored."""

    ON_SCHEDULE = "on_schedule", "按序时推进"
    BEHIND = "behind", "滞后序时"
    OVERDUE = "overdue", "逾期"
    COMPLETE = "complete", "已完成"


# Not a ScheduleStatus: "due soon" depends on the warning horizon the caller chooses,
# but it shares the 三单预警 palette, so its colour lives here too.
DUE_SOON = "due_soon"

# 三单预警 colours (红黄蓝): red = overdue, yellow = behind, blue = due soon.
warning_colour = {
    ScheduleStatus.OVERDUE: "red",
    ScheduleStatus.BEHIND: "yellow",
    DUE_SOON: "blue",
    ScheduleStatus.ON_SCHEDULE: "green",
    ScheduleStatus.COMPLETE: "grey",
}


class MeasureKind(models.TextChoices):
    """整改措施类别 (docs/rules.md §6): decides the evidence needed to mark a measure complete."""

    POLICY = "policy", "政策措施"
    ENGINEERING = "engineering", "工程措施"
    CLOSURE = "closure", "关停搬迁"
    ENFORCEMENT = "enforcement", "案件查处"
    ACCOUNTABILITY = "accountability", "追责问责"


class TaskStatus(models.TextChoices):
    """整改任务状态: the close-out workflow (complete → accepted → publicized → closed → filed)."""

    IN_PROGRESS = "in_progress", "整改中"
    COMPLETE = "complete", "已完成"
    ACCEPTED = "accepted", "已验收"
    PUBLICIZED = "publicized", "公示中"
    CLOSED = "closed", "已销号"
    FILED = "filed", "已备案"
    REOPENED = "reopened", "重新整改"


# The lifecycle order the task list sorts 状态 by (重新整改 beside 整改中).
TASK_STATUS_ORDER = (
    TaskStatus.IN_PROGRESS,
    TaskStatus.REOPENED,
    TaskStatus.COMPLETE,
    TaskStatus.ACCEPTED,
    TaskStatus.PUBLICIZED,
    TaskStatus.CLOSED,
    TaskStatus.FILED,
)


class LookBackResult(models.TextChoices):
    """回头看现场检查结果."""

    HOLDS = "holds", "整改成果巩固"
    REBOUNDED = "rebounded", "问题反弹"


class TaskStep(models.TextChoices):
    """销号环节: one step of a task's close-out, each recorded with who and when."""

    COMPLETE = "complete", "整改完成"
    ACCEPT = "accept", "验收"
    PUBLICIZE = "publicize", "公示"
    CLOSE = "close", "销号"
    FILE = "file", "备案"
    REOPEN = "reopen", "重新整改"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "图片"
    PDF = "pdf", "PDF文件"
