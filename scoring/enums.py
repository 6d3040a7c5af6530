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
    """一票否决情形: any of these makes the unit 不合格 and last, whatever its score."""

    MAJOR_PROBLEM = "major_problem", "存在重大问题"
    CRITICISED = "criticised", "被中央或省级通报批评"
    EXPOSED = "exposed", "被重要媒体曝光"
