from django.db import models


class CaseState(models.TextChoices):
    """The lifecycle of domain.md §4; stored values are the English words."""

    RECEIVED = "received", "已交办"
    INVESTIGATING = "investigating", "调查核实"
    RECTIFYING = "rectifying", "整改中"
    COMPLETED = "completed", "已办结"
    ACCEPTED = "accepted", "已验收"
    REVIEWED = "reviewed", "已复核"
    PUBLICIZED = "publicized", "公示中"
    CLOSED = "closed", "已销号"
    FILED = "filed", "已备案"
    REOPENED = "reopened", "重新整改"


# States after "received": the 131 loop's three fixed things are required from here on.
STATES_PAST_RECEIVED = frozenset(CaseState) - {CaseState.RECEIVED}
# States in which the case counts as finished for deadlines and the to-do list.
FINISHED_STATES = frozenset(
    {
        CaseState.COMPLETED,
        CaseState.ACCEPTED,
        CaseState.REVIEWED,
        CaseState.PUBLICIZED,
        CaseState.CLOSED,
        CaseState.FILED,
    }
)


class Finding(models.TextChoices):
    TRUE = "true", "属实"
    BASICALLY_TRUE = "basically_true", "基本属实"
    PARTLY_TRUE = "partly_true", "部分属实"
    UNTRUE = "untrue", "不属实"


class CompletionStatus(models.TextChoices):
    """办结状态 as published with every batch."""

    IN_PROGRESS = "in_progress", "正在办理"
    STAGED = "staged", "阶段性办结"
    DONE = "done", "已办结"


class AcceptanceCategory(models.TextChoices):
    """验收分类 (domain.md §4): decides the acceptance checklist."""

    NEARBY = "nearby", "身边问题"
    PUBLIC_INTEREST = "public_interest", "公共利益污染问题"
    PLANNING_POLICY = "planning_policy", "规划政策类问题"
    NIMBY = "nimby", "邻避问题"
    INTEREST_DISPUTE = "interest_dispute", "利益纠纷类问题"


class Channel(models.TextChoices):
    PHONE = "phone", "来电"
    LETTER = "letter", "来信"
    OTHER = "other", "其他"
