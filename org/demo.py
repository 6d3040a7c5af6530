"""Demo units, people and inspections (示例数据): the Qianshan situation the plan describes.

Every seed function creates what is missing and never updates what exists, so running
``seed_demo`` twice changes no row (and writes no history row).
"""

from dataclasses import dataclass, field
from datetime import date

from .enums import InspectionLevel, Role, UnitKind
from .models import Inspection, RoleAssignment, Unit, User

DEMO_PASSWORD = "Lianhua-Peak-2026"

ROOT = "千山风景区"
LOCALITIES = ["大孤山镇", "千山镇"]
DEPARTMENTS = [
    ("千山风景区督察整改工作协调组办公室", "协调组办公室", ""),
    ("千山风景区生态环境分局", "生态环境分局", "生态环境局千山分局,千山生态环境分局"),
    ("千山风景区自然资源分局", "自然资源分局", ""),
    ("千山风景区规划建设局", "规划建设局", "住建局"),
    ("千山风景区综合行政执法局", "综合执法局", "城管执法局,综合执法局"),
    ("千山风景区农业农村局", "农业农村局", ""),
    ("千山风景区文化旅游局", "文旅局", ""),
    ("千山风景区纪工委", "纪工委", ""),
    ("鞍山市生态环境局", "市生态环境局", ""),
]
ENTERPRISES = [("鞍山千山温泉度假村有限公司（示例）", "温泉度假村"), ("千山石材加工厂（示例）", "石材厂")]
BODIES = [("辽宁环科检测技术有限公司（示例）", "环科检测")]

# (username, full name, role, unit name or None)
USERS = [
    ("admin", "系统管理员", Role.ADMIN, None),
    ("office", "王协调", Role.OFFICE, None),
    ("staff", "李经办", Role.UNIT_STAFF, "千山风景区生态环境分局"),
    ("staff2", "赵经办", Role.UNIT_STAFF, "千山风景区综合行政执法局"),
    ("head", "张局长", Role.UNIT_HEAD, "千山风景区生态环境分局"),
    ("acceptor", "刘验收", Role.ACCEPTANCE_MEMBER, None),
    ("reviewer", "陈复核", Role.REVIEW_MEMBER, None),
    ("discipline", "周纪检", Role.DISCIPLINE, None),
    ("leader", "孙领导", Role.LEADERSHIP, None),
]

INSPECTIONS = [
    ("C1", "第一轮中央环保督察", InspectionLevel.CENTRAL, 1, False, None, date(2017, 8, 7), date(2017, 9, 7)),
    (
        "C1-LB",
        "第一轮中央环保督察“回头看”",
        InspectionLevel.CENTRAL,
        1,
        True,
        "C1",
        date(2018, 6, 5),
        date(2018, 7, 5),
    ),
    (
        "C2",
        "第二轮中央生态环境保护督察",
        InspectionLevel.CENTRAL,
        2,
        False,
        None,
        date(2021, 7, 10),
        date(2021, 8, 10),
    ),
    (
        "P2020",
        "2020年省级生态环境保护督察",
        InspectionLevel.PROVINCIAL,
        1,
        False,
        None,
        date(2020, 9, 1),
        date(2020, 10, 1),
    ),
]


@dataclass
class DemoContext:
    """What the org seed made, handed to the other apps' seed functions."""

    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    inspections: dict[str, Inspection] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, was_created: bool) -> None:
        if was_created:
            self.created[label] = self.created.get(label, 0) + 1


def seed(ctx: DemoContext) -> None:
    root, made = Unit.objects.get_or_create(
        name=ROOT, defaults={"kind": UnitKind.REGION, "short_name": "千山"}
    )
    ctx.count("单位", made)
    ctx.units[ROOT] = root
    order = 1
    for name in LOCALITIES:
        unit, made = Unit.objects.get_or_create(
            name=name, defaults={"kind": UnitKind.REGION, "parent": root, "sort_order": order}
        )
        ctx.count("单位", made)
        ctx.units[name] = unit
        order += 1
    for name, short, aliases in DEPARTMENTS:
        parent = None if name.startswith("鞍山市") else root
        unit, made = Unit.objects.get_or_create(
            name=name,
            defaults={
                "kind": UnitKind.DEPARTMENT,
                "short_name": short,
                "aliases": aliases,
                "parent": parent,
                "sort_order": order,
                "contact_phone": "0412-66%05d" % order,
            },
        )
        ctx.count("单位", made)
        ctx.units[name] = unit
        order += 1
    for name, short in ENTERPRISES:
        unit, made = Unit.objects.get_or_create(
            name=name,
            defaults={"kind": UnitKind.ENTERPRISE, "short_name": short, "parent": root, "sort_order": order},
        )
        ctx.count("单位", made)
        ctx.units[name] = unit
        order += 1
    for name, short in BODIES:
        unit, made = Unit.objects.get_or_create(
            name=name, defaults={"kind": UnitKind.BODY, "short_name": short, "sort_order": order}
        )
        ctx.count("单位", made)
        ctx.units[name] = unit
        order += 1
    for username, full_name, role, unit_name in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                email=f"{username}@qianshan.example",
                phone="1380412%04d" % (len(ctx.users) + 1),
                post="示例职务",
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            ctx.count("用户", True)
        ctx.users[username] = user
        unit = ctx.units.get(unit_name) if unit_name else None
        _, made = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
        ctx.count("角色", made)
    for code, name, level, rnd, look_back, parent, start, end in INSPECTIONS:
        inspection, made = Inspection.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "round": rnd,
                "is_look_back": look_back,
                "parent": ctx.inspections.get(parent),
                "start_date": start,
                "end_date": end,
            },
        )
        ctx.count("督察", made)
        ctx.inspections[code] = inspection
