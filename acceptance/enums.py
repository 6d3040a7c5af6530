from django.db import models


class StepKind(models.TextChoices):
    """The steps of the chain (docs/rules.md §5); each counts its deadline from the previous one."""

    ACCEPTANCE = "acceptance", "组织验收"
    REVIEW_APPLICATION = "review_application", "申请复核"
    REVIEW = "review", "组织复核"


# Days allowed for each step, from the previous step's date (验收复核办法 三).
STEP_DAYS = {StepKind.ACCEPTANCE: 7, StepKind.REVIEW_APPLICATION: 3, StepKind.REVIEW: 5}


# The chain's order, which the overview sorts 环节 by (the stored words would sort alphabetically).
STEP_KIND_ORDER = (StepKind.ACCEPTANCE, StepKind.REVIEW_APPLICATION, StepKind.REVIEW)


class StepOutcome(models.TextChoices):
    PENDING = "pending", "办理中"
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


# 结果 sorts 办理中 → 通过 → 未通过.
STEP_OUTCOME_ORDER = (StepOutcome.PENDING, StepOutcome.PASSED, StepOutcome.FAILED)


class FormKind(models.TextChoices):
    """The signed forms of 附件1 and 附件2 (附件3, the summary sheet, is derived, never signed)."""

    ACCEPTANCE_OPINION = "acceptance_opinion", "验收意见"
    REVIEW_LETTER = "review_letter", "环境信访案件验收复核责任书"


class SlotRole(models.TextChoices):
    """What a signature slot answers for."""

    LEADER = "leader", "组长"
    MEMBER = "member", "验收组成员"
    INDUSTRY_MEMBER = "industry_member", "市级行业主管部门成员"
    FINDING = "finding", "案件定性情况复核意见"
    RECTIFICATION = "rectification", "群众举报问题整改情况复核意见"
    PENALTY = "penalty", "行政处罚情况复核意见"
    SATISFACTION = "satisfaction", "群众满意情况复核意见"
    ACCOUNTABILITY = "accountability", "责任追究情况复核意见"


ACCEPTANCE_SLOT_ROLES = (SlotRole.LEADER, SlotRole.MEMBER, SlotRole.INDUSTRY_MEMBER)
REVIEW_SLOT_ROLES = (
    SlotRole.LEADER,
    SlotRole.FINDING,
    SlotRole.RECTIFICATION,
    SlotRole.PENALTY,
    SlotRole.SATISFACTION,
    SlotRole.ACCOUNTABILITY,
)


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班"


class AlertKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
