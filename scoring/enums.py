"""Choices of the petition-case scoring sheet (评分标准二): stored values ASCII, labels Chinese."""

from django.db import models


class LeaderLevel(models.TextChoices):
    """包案领导 / 牵头单位负责人的级别."""

    PRINCIPAL = "principal", "主要领导"
    DEPUTY = "deputy", "分管领导"
    NONE = "none", "无"


class PraiseLevel(models.TextChoices):
    """上级评价: the highest level of praise the case received."""

    NONE = "none", "无"
    CITY_DEPUTY = "city_deputy", "市级副职"
    CITY_CHIEF = "city_chief", "市级正职"
    PROVINCIAL = "provincial", "省部级"
    NATIONAL = "national", "国家级"


class MediaLevel(models.TextChoices):
    """典型案例报道: the level of the outlet that reported the case."""

    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"


class ScorePart(models.TextChoices):
    """The parts of a case's score, in the order of the rules."""

    TERRITORIAL = "territorial", "属地责任"
    FUNCTIONAL = "functional", "属事责任"
    RECTIFICATION = "rectification", "整改情况"
    ARCHIVE = "archive", "档案情况"
    RESULT = "result", "办理结果"
    BONUS = "bonus", "加分项"
    DEDUCTION = "deduction", "扣分项"


class SheetVersion(models.TextChoices):
    """评分表版本: the unit's own scoring and the reviewers' scoring of the same case."""

    SELF = "self", "自评"
    REVIEW = "review", "复核"


class SheetStatus(models.TextChoices):
    """评分表状态."""

    DRAFT = "draft", "填写中"
    SUBMITTED = "submitted", "已提交"


class AssessmentState(models.TextChoices):
    """年度考核流程: self-assessment open → submitted → reviewed → approved → published."""

    OPEN = "open", "自评中"
    SUBMITTED = "submitted", "已提交自评"
    REVIEWED = "reviewed", "已复核"
    APPROVED = "approved", "领导小组已审定"
    PUBLISHED = "published", "已公布"


class OverrideKind(models.TextChoices):
    """一票否决情形 (附件1 评分标准末段): any recorded event of these kinds makes the unit 不合格 and
    last, whatever its score (``AssessmentEvent``)."""

    MAJOR_PROBLEM = "major_problem", "存在重大问题"
    CRITICISED = "criticised", "被中央或省级通报批评"
    EXPOSED = "exposed", "被重要媒体曝光"


class ResultLevel(models.TextChoices):
    """单位年度考核结果（等次）, best first; the order is the ranking's first key."""

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class CalendarKind(models.TextChoices):
    """考核日程 (附件1 考核工作组织实施及方式): the dated steps of one assessment year, in order."""

    SELF_START = "self_start", "自评开始"
    SELF_END = "self_end", "自评截止（报领导小组办公室）"
    REVIEW_END = "review_end", "行业主管部门复核完成"
    APPROVAL = "approval", "领导小组同意"
    PUBLICATION = "publication", "通报反馈考核结果"


class ReferralBody(models.TextChoices):
    """问责移送的接收机关 (附件1 六)."""

    DISCIPLINE = "discipline", "纪检监察机关"
    ORGANIZATION = "organization", "组织部门"


class ReferralOutcome(models.TextChoices):
    """问责移送的办理结果."""

    PENDING = "pending", "办理中"
    HELD = "held", "已问责"
    NOT_HELD = "not_held", "不予问责"
