from django.db import models


class CaseState(models.TextChoices):
    """The lifecycle of docs/rules.md §4; stored values are the English words."""

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


# The lifecycle order the case list sorts 环节 by (the stored words would sort alphabetically);
# 重新整改 is rectification again, so it sorts beside 整改中.
CASE_STATE_ORDER = (
    CaseState.RECEIVED,
    CaseState.INVESTIGATING,
    CaseState.RECTIFYING,
    CaseState.REOPENED,
    CaseState.COMPLETED,
    CaseState.ACCEPTED,
    CaseState.REVIEWED,
    CaseState.PUBLICIZED,
    CaseState.CLOSED,
    CaseState.FILED,
)

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
    """验收分类 (docs/rules.md §4): decides the acceptance checklist."""

    NEARBY = "nearby", "身边问题"
    PUBLIC_INTEREST = "public_interest", "公共利益污染问题"
    PLANNING_POLICY = "planning_policy", "规划政策类问题"
    NIMBY = "nimby", "邻避问题"
    INTEREST_DISPUTE = "interest_dispute", "利益纠纷类问题"


class Channel(models.TextChoices):
    PHONE = "phone", "来电"
    LETTER = "letter", "来信"
    OTHER = "other", "其他"


class AttachmentKind(models.TextChoices):
    """附件类型: what an evidence file is; the archive catalogue (档案目录) is grouped by it."""

    ASSIGNMENT_NOTE = "assignment_note", "交办通知"
    SITE_RECORD = "site_record", "勘察笔录"
    PHOTO = "photo", "现场照片"
    HANDLING_MATERIAL = "handling_material", "办理材料"
    PENALTY_DOCUMENT = "penalty_document", "处罚文书"
    SATISFACTION = "satisfaction", "群众认可材料"
    OTHER = "other", "其他材料"


# Kinds that must be images, kinds that may be an image or a PDF.
IMAGE_KINDS = frozenset({AttachmentKind.PHOTO})


class PhotoStage(models.TextChoices):
    """整改前后: a photo's place in a before/after pair (整改前后对比)."""

    NONE = "none", "—"
    BEFORE = "before", "整改前"
    AFTER = "after", "整改后"


class RecheckResult(models.TextChoices):
    PENDING = "pending", "待回访"
    HOLDS = "holds", "整改成效巩固"
    REBOUNDED = "rebounded", "反弹"


class ImportState(models.TextChoices):
    PREVIEWED = "previewed", "待确认"
    CONFIRMED = "confirmed", "已导入"
    REJECTED = "rejected", "有错误未导入"


# 反弹分类的内置代码 (分类处置, 正文 三(一)2): code → (name, what the disposition requires).
REBOUND_CATEGORIES = {
    "incomplete": ("整改不到位", "整改措施未全部落实或未达到整改标准：完善措施，深入整改，重新验收销号"),
    "rebounded": ("问题反弹", "已整改的问题再次出现：查明原因，重新整改，重新销号"),
    "new_problem": ("新发问题", "同一点位出现新的环境问题：按新问题明确责任、标准和时限办理"),
    "other": ("其他", "其他情形：写明情况和处置措施"),
}
REBOUND_DEFAULT = "rebounded"  # what a re-check or look-back that found a rebound is filed as
