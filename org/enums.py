from django.db import models


class UnitKind(models.TextChoices):
    REGION = "region", "属地政府/区域"
    DEPARTMENT = "department", "部门"
    ENTERPRISE = "enterprise", "企业"
    BODY = "body", "专业机构"


class UnitTagCode(models.TextChoices):
    """The unit kinds the sign-off rules name (附件2 二（三）, 三1; plan 四（三）3), by stable code.

    Each is a row of org.UnitTag (seeded by a migration, editable by the admin); a rule refers to
    the code, the page shows the row's name.
    """

    ECOLOGY = "ecology", "生态环境部门"
    JUSTICE = "justice", "司法局"
    DISCIPLINE = "discipline", "纪委监委"
    SUPERVISION_OFFICE = "supervision_office", "督查室"
    RECTIFICATION_OFFICE = "rectification_office", "督改办"
    INDUSTRY = "industry", "行业主管部门"
    PARTY_GOVERNMENT = "party_government", "党委政府"
    CITY_DEPARTMENT = "city_department", "市直部门"
    PROFESSIONAL_BODY = "professional_body", "专业机构"


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    OFFICE = "office", "协调组办公室"
    UNIT_STAFF = "unit_staff", "责任单位经办人"
    UNIT_HEAD = "unit_head", "责任单位负责人"
    ACCEPTANCE_MEMBER = "acceptance_member", "验收组成员"
    REVIEW_MEMBER = "review_member", "复核组成员"
    DISCIPLINE = "discipline", "纪工委"
    LEADERSHIP = "leadership", "领导"


# Roles that only make sense for one unit: the access rule scopes them to it.
UNIT_BOUND_ROLES = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})
# Roles that read every unit's items.
READ_ALL_ROLES = frozenset({Role.ADMIN, Role.OFFICE, Role.DISCIPLINE, Role.LEADERSHIP})
# Roles that change every unit's items.
WRITE_ALL_ROLES = frozenset({Role.ADMIN, Role.OFFICE})


class InspectionLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCIAL = "provincial", "省级"


class LeaderLevel(models.TextChoices):
    PRINCIPAL = "principal", "主要领导"
    DEPUTY = "deputy", "分管领导"
    NONE = "none", "无"
