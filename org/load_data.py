"""生成压力测试数据: a realistic, province-scale data set for benchmarks and load tests.

``generate(cases=N, tasks=M, seed=S)`` writes, with ``bulk_create`` only (no per-row save, no
signal), units with their staff, generated inspections, N petition cases with states spread
like a real year (most closed or filed, some open and some of those overdue), cooperating units,
pollution types, investigation points, transitions, a creation history row, progress entries,
evidence rows, scoring sheets (self-assessed, some reviewed) and unit assessments for last year,
M rectification tasks with measures, milestones, annual targets and progress reports, and the
warnings (some escalated to a supervision letter) the daily sweep would have raised.

Generated rows are told apart from real ones by their inspections (code ``GEN-…``); the demo's
by the ``【示例】`` prefix. ``real_data_counts()`` counts what is neither, and the command refuses
to run while it is not zero unless forced. A second run adds N more cases to the same
inspections (receipt numbers continue), so a benchmark can grow 1 k → 10 k → 100 k.
"""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cases.enums import (
    AcceptanceCategory,
    AttachmentKind,
    CaseState,
    Channel,
    CompletionStatus,
    Finding,
    PhotoStage,
)
from cases.models import (
    Attachment,
    CaseTransition,
    InvestigationPoint,
    PetitionCase,
    PollutionType,
    ProgressEntry,
)
from org.enums import InspectionLevel, LeaderLevel, Role, UnitKind
from org.models import Inspection, RoleAssignment, Unit, User
from rectification.enums import MeasureKind, TaskStatus
from rectification.models import AnnualTarget, Measure, Milestone, ProgressReport, RectificationTask
from scoring.enums import AssessmentState, SheetStatus, SheetVersion
from scoring.models import ScoringSheet, UnitAssessment
from supervision.enums import LetterState, WarningLevel, WarningState
from supervision.models import EarlyWarning, LetterCounter, SupervisionLetter

GENERATED_PREFIX = "GEN-"
DEMO_MARK = "【示例】"
BATCH = 2000
PASSWORD = "Qianshan-Load-2026"

# (code, name, level, round, receipt prefix) — the generated inspections.
INSPECTIONS = [
    ("GEN-C3", "第三轮中央生态环境保护督察（生成数据）", InspectionLevel.CENTRAL, 3, "D3LN"),
    ("GEN-P2025", "2025年省级生态环境保护督察（生成数据）", InspectionLevel.PROVINCIAL, 2, "SJDC"),
]
CITIES = [
    ("沈阳市", ["浑南区", "于洪区", "苏家屯区", "新民市"]),
    ("大连市", ["金州区", "旅顺口区", "庄河市", "瓦房店市"]),
    ("鞍山市", ["千山区", "铁东区", "海城市", "岫岩满族自治县"]),
    ("抚顺市", ["顺城区", "新宾满族自治县", "清原满族自治县"]),
    ("本溪市", ["明山区", "桓仁满族自治县"]),
    ("丹东市", ["振兴区", "东港市", "凤城市"]),
    ("锦州市", ["太和区", "凌海市", "北镇市"]),
    ("营口市", ["鲅鱼圈区", "盖州市", "大石桥市"]),
    ("阜新市", ["细河区", "彰武县"]),
    ("辽阳市", ["太子河区", "灯塔市"]),
    ("盘锦市", ["兴隆台区", "大洼区"]),
    ("铁岭市", ["银州区", "开原市", "昌图县"]),
    ("朝阳市", ["双塔区", "北票市", "凌源市"]),
    ("葫芦岛市", ["龙港区", "兴城市", "绥中县"]),
]
DEPARTMENTS = [
    "生态环境厅",
    "自然资源厅",
    "住房和城乡建设厅",
    "水利厅",
    "农业农村厅",
    "工业和信息化厅",
    "交通运输厅",
    "林业和草原局",
    "文化和旅游厅",
    "应急管理厅",
]
ENTERPRISES = ["鞍钢集团矿业有限公司", "辽宁华锦化工有限公司", "抚顺石化分公司", "本溪钢铁集团有限公司"]
VILLAGES = ["东山", "西岭", "南沟", "北台", "李家堡", "王家屯", "石门", "大营子", "河口", "黄花甸", "柳树屯"]
SUBJECTS = [
    ("某石材加工厂", ["dust", "noise"], "夜间违规生产，粉尘和噪声扰民"),
    ("某农家乐", ["cooking_fume"], "油烟未经处理直排，影响周边居民"),
    ("某温泉度假村", ["water"], "生活污水直排河道，水体发黑发臭"),
    ("某养殖场", ["water", "odor"], "畜禽粪污随意堆放，异味严重，雨天流入河道"),
    ("某采石场", ["ecology", "dust"], "开采后未落实生态修复，山体裸露"),
    ("某混凝土搅拌站", ["dust", "noise"], "露天堆放砂石料，运输车辆扬尘严重"),
    ("某化工企业", ["air", "odor"], "夜间偷排废气，刺鼻气味影响居民休息"),
    ("某村", ["solid_waste", "odor"], "生活垃圾长期堆放无人清运"),
    ("某洗砂场", ["water", "ecology"], "非法取砂洗砂，破坏河道，泥浆直排"),
    ("某烧烤店", ["cooking_fume", "noise"], "露天烧烤油烟扰民，深夜噪声大"),
    ("某建筑工地", ["dust", "noise"], "未落实围挡苫盖，夜间施工噪声扰民"),
    ("某小区", ["water"], "雨污管网混接，污水溢流"),
    ("某铸造厂", ["air", "solid_waste"], "废砂和炉渣随意倾倒，烟尘无组织排放"),
    ("某加油站", ["soil", "odor"], "地下油罐渗漏，周边土壤和井水有油味"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰德成海波宇"
PROGRESS = [
    "已组织现场核查，问题基本属实，已下达责令整改通知书。",
    "企业已停产整改，正在安装治理设施，预计月底前完成。",
    "已立案调查，处罚决定书已送达，罚款已缴纳。",
    "治理设施已建成并试运行，监测数据达标。",
    "已回访周边群众，对整改结果表示认可。",
    "已约谈企业负责人，制定整改方案并明确时间节点。",
    "垃圾已全部清运，建立长效保洁机制，每日巡查。",
    "已完成生态修复复绿面积约12亩，正在养护。",
]
TASK_PROBLEMS = [
    "部分地区大气污染防治工作推进不力，重点行业超标排放问题突出",
    "城镇污水处理设施建设滞后，管网配套不到位，污水直排问题仍然存在",
    "自然保护区内违规开发建设问题整改不到位",
    "矿山生态修复工作滞后，历史遗留矿山治理进度缓慢",
    "畜禽养殖污染治理不到位，禁养区内养殖场未按期关停",
    "垃圾填埋场渗滤液处理不规范，环境风险隐患突出",
    "黑臭水体整治不彻底，部分水体返黑返臭",
    "工业园区环境基础设施建设滞后，集中式污水处理厂超标排放",
    "秸秆焚烧管控不严，秋冬季大气污染问题反复出现",
    "饮用水水源地保护区内违法建设项目清理整治不到位",
]
MEASURE_TEXT = {
    MeasureKind.POLICY: "制定印发专项整治方案，明确责任分工和时间节点",
    MeasureKind.ENGINEERING: "建设污水处理及配套管网工程，完成竣工验收",
    MeasureKind.CLOSURE: "依法关停取缔违法企业，拆除生产设施并清理场地",
    MeasureKind.ENFORCEMENT: "对违法行为立案查处，督促当事人履行处罚决定",
    MeasureKind.ACCOUNTABILITY: "对履职不力的相关责任人开展调查并严肃问责",
}
# State shares of a province's cases a year into the campaign (weights add to 100).
STATE_WEIGHTS = [
    (CaseState.RECEIVED, 2),
    (CaseState.INVESTIGATING, 4),
    (CaseState.RECTIFYING, 15),
    (CaseState.REOPENED, 1),
    (CaseState.COMPLETED, 8),
    (CaseState.ACCEPTED, 5),
    (CaseState.REVIEWED, 4),
    (CaseState.PUBLICIZED, 2),
    (CaseState.CLOSED, 29),
    (CaseState.FILED, 30),
]
FINISHED = {
    CaseState.COMPLETED,
    CaseState.ACCEPTED,
    CaseState.REVIEWED,
    CaseState.PUBLICIZED,
    CaseState.CLOSED,
    CaseState.FILED,
}
TASK_STATUS_WEIGHTS = [
    (TaskStatus.IN_PROGRESS, 45),
    (TaskStatus.REOPENED, 2),
    (TaskStatus.COMPLETE, 13),
    (TaskStatus.ACCEPTED, 8),
    (TaskStatus.PUBLICIZED, 2),
    (TaskStatus.CLOSED, 15),
    (TaskStatus.FILED, 15),
]
FINISHED_TASK = {
    TaskStatus.COMPLETE,
    TaskStatus.ACCEPTED,
    TaskStatus.PUBLICIZED,
    TaskStatus.CLOSED,
    TaskStatus.FILED,
}


class RealDataPresent(Exception):
    """The database holds data that is neither demo nor generated."""


def real_data_counts() -> dict[str, int]:
    """Cases and tasks that are neither demo (【示例】) nor generated (a GEN- inspection)."""
    generated = Q(inspection__code__startswith=GENERATED_PREFIX)
    return {
        "信访案件": PetitionCase.objects.exclude(generated | Q(complaint__startswith=DEMO_MARK)).count(),
        "整改任务": RectificationTask.objects.exclude(generated | Q(problem__startswith=DEMO_MARK)).count(),
    }


@dataclass
class Summary:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, rows: list) -> list:
        self.created[label] = self.created.get(label, 0) + len(rows)
        return rows


def _field(model, name):
    return model._meta.get_field(name)


class Row(dict):
    """A row to insert, read like a model instance (``row.state``, ``row.pk``)."""

    __getattr__ = dict.__getitem__

    @property
    def pk(self):
        return self["id"]


class Rows:
    """Insert plain rows of ``model`` fast: COPY on PostgreSQL, executemany elsewhere.

    Model instances and Django's bulk_create cost ~1 ms a row of Python here; 100 000 cases with
    their history, transitions, points, progress and evidence are over a million rows.
    Missing columns take the field's default; the primary key is left to the database unless
    the rows carry one (``reserve_ids``).
    """

    def __init__(self, model):
        self.table = model._meta.db_table
        self.fields = {f.attname: f for f in model._meta.concrete_fields}
        self.defaults = {a: f.get_default() for a, f in self.fields.items() if not f.primary_key}

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        cols = [a for a, f in self.fields.items() if not f.primary_key or a in rows[0]]
        values = [tuple(r.get(c, self.defaults.get(c)) for c in cols) for r in rows]
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in cols)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                fields = [self.fields[c] for c in cols]
                prepared = [
                    tuple(f.get_db_prep_save(x, connection) for f, x in zip(fields, v, strict=True))
                    for v in values
                ]
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})", prepared)


def reserve_ids(model, n: int) -> list[int]:
    """``n`` fresh primary keys of ``model`` (taken from its sequence on PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + n))


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class Generator:
    def __init__(self, *, cases: int, tasks: int, seed: int, today: date | None = None):
        self.n_cases, self.n_tasks = cases, tasks
        self.rnd = random.Random(seed)
        self.today = today or timezone.localdate()
        self.summary = Summary()

    # --- people and places ----------------------------------------------------------------
    def person(self) -> str:
        return self.rnd.choice(SURNAMES) + "".join(self.rnd.choices(GIVEN, k=self.rnd.choice((1, 2))))

    def phone(self) -> str:
        return "1%d%09d" % (self.rnd.choice((3, 5, 8)), self.rnd.randrange(10**9))

    def units(self) -> None:
        wanted = []
        order = 1000
        for city, districts in CITIES:
            for district in districts:
                order += 1
                wanted.append((f"{city}{district}人民政府", f"{city[:-1]}{district}", UnitKind.REGION, order))
        for name in DEPARTMENTS:
            order += 1
            wanted.append((f"辽宁省{name}", name, UnitKind.DEPARTMENT, order))
        for name in ENTERPRISES:
            order += 1
            wanted.append((f"{name}（生成数据）", name[:6], UnitKind.ENTERPRISE, order))
        existing = {u.name: u for u in Unit.objects.filter(name__in=[w[0] for w in wanted])}
        missing = [
            Unit(name=name, short_name=short, kind=kind, sort_order=order, contact_phone="024-2%07d" % order)
            for name, short, kind, order in wanted
            if name not in existing
        ]
        Unit.objects.bulk_create(self.summary.add("单位", missing))
        self.all_units = list(Unit.objects.filter(name__in=[w[0] for w in wanted]).order_by("sort_order"))
        self.unit_names = {u.pk: u.name for u in self.all_units}
        self.regions = [u for u in self.all_units if u.kind == UnitKind.REGION]
        self.departments = [u for u in self.all_units if u.kind != UnitKind.REGION]
        # A few regions carry most cases, as the big cities do.
        self.region_weights = [8 if i % 7 == 0 else 3 if i % 3 == 0 else 1 for i in range(len(self.regions))]
        self._users()

    def _users(self) -> None:
        hashed = User(username="x")
        hashed.set_password(PASSWORD)
        wanted = {"gen_office": (Role.OFFICE, None)}
        for i, unit in enumerate(self.all_units, start=1):
            wanted[f"gen_staff{i:03d}"] = (Role.UNIT_STAFF, unit)
        existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        users = [
            User(username=name, full_name=self.person(), password=hashed.password, phone=self.phone())
            for name in wanted
            if name not in existing
        ]
        User.objects.bulk_create(self.summary.add("用户", users))
        by_name = {u.username: u for u in User.objects.filter(username__in=wanted)}
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=by_name[name], role=role, unit=unit)
                for name, (role, unit) in wanted.items()
                if name not in existing
            ]
        )
        self.office = by_name["gen_office"]
        self.staff_of = {unit.pk: by_name[f"gen_staff{i:03d}"] for i, unit in enumerate(self.all_units, 1)}

    def inspections(self) -> None:
        self.inspection_list = []
        for code, name, level, rnd, prefix in INSPECTIONS:
            inspection, _ = Inspection.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "level": level,
                    "round": rnd,
                    "start_date": self.today - timedelta(days=420),
                    "end_date": self.today - timedelta(days=390),
                },
            )
            used = PetitionCase.objects.filter(inspection=inspection).count()
            self.inspection_list.append((inspection, prefix, used))

    # --- cases ----------------------------------------------------------------------------
    def cases(self) -> None:
        types = {t.code: t for t in PollutionType.objects.all()}
        states = [s for s, _ in STATE_WEIGHTS]
        weights = [w for _, w in STATE_WEIGHTS]
        files = self._evidence_files()
        self.sheet_candidates = []
        done = 0
        while done < self.n_cases:
            size = min(BATCH, self.n_cases - done)
            plans = [self._plan_case(states, weights) for _ in range(size)]
            ids = reserve_ids(PetitionCase, size)
            for i, plan in enumerate(plans):
                slot = (done + i) % len(self.inspection_list)
                inspection, prefix, used = self.inspection_list[slot]
                self.inspection_list[slot] = (inspection, prefix, used + 1)
                case = plan["case"]
                case.update(id=ids[i], inspection_id=inspection.pk)
                case["receipt_no"] = f"{prefix}{case.transferred_on:%Y%m}{used + 1:07d}"
            Rows(PetitionCase).write(self.summary.add("信访案件", [p["case"] for p in plans]))
            self._case_rows(plans, types, files)
            done += size

    def _plan_case(self, states, weights) -> dict:
        rnd = self.rnd
        state = rnd.choices(states, weights)[0]
        finished = state in FINISHED
        region = rnd.choices(self.regions, self.region_weights)[0]
        lead = region if rnd.random() < 0.7 else rnd.choice(self.departments)
        transferred = self.today - timedelta(days=rnd.randrange(5, 560))
        span = rnd.choice((15, 30, 30, 60, 90, 90, 180, 365))
        deadline = transferred + timedelta(days=span)
        if not finished and state != CaseState.RECEIVED and rnd.random() < 0.6:
            # Open cases keep deadlines across the coming year; some are already past.
            deadline = self.today + timedelta(days=rnd.randrange(-90, 300))
        finished_on = None
        if finished:
            late = rnd.random() < 0.15
            lo = transferred + timedelta(days=3)
            hi = deadline + timedelta(days=rnd.randrange(1, 40)) if late else deadline
            hi = min(hi, self.today - timedelta(days=1))
            finished_on = lo + timedelta(days=rnd.randrange(max((hi - lo).days, 1)))
            finished_on = min(finished_on, self.today)
        subject, type_codes, problem = rnd.choice(SUBJECTS)
        place = f"{region.short_name or region.name}{rnd.choice(VILLAGES)}村"
        past_received = state != CaseState.RECEIVED
        key = rnd.random() < 0.04
        closed = state in {CaseState.CLOSED, CaseState.FILED}
        case = Row(
            batch=1 + (transferred.toordinal() % 40),
            transferred_on=transferred,
            channel=rnd.choice((Channel.PHONE, Channel.LETTER, Channel.PHONE, Channel.OTHER)),
            complaint=f"群众反映{place}{subject}{problem}。{rnd.choice(('多次向有关部门反映未果。', '希望尽快解决。', '严重影响周边群众生活。', ''))}",
            locality_id=region.pk,
            lead_unit_id=lead.pk if past_received else None,
            handler=self.person() if past_received else "",
            handler_phone=self.phone(),
            case_leader=self.person(),
            case_leader_level=rnd.choice((LeaderLevel.PRINCIPAL, LeaderLevel.DEPUTY, LeaderLevel.DEPUTY)),
            standard="举报问题查清、解决，违法行为依法处罚，群众认可。" if past_received else "",
            deadline=deadline if past_received else None,
            is_key=key,
            key_leader=self.person() if key else "",
            work_plan="包保领导牵头，每周现场调度，限期完成整改。" if key else "",
            state=state,
            finding=rnd.choice((Finding.TRUE, Finding.TRUE, Finding.PARTLY_TRUE, Finding.UNTRUE))
            if state not in {CaseState.RECEIVED, CaseState.INVESTIGATING}
            else "",
            investigation=f"经现场核查，{place}{subject}{problem.split('，')[0]}问题属实。"
            if finished
            else "",
            plan="责令停产整改，限期完成治理设施建设，加强日常监管。" if state != CaseState.RECEIVED else "",
            handling=rnd.choice(PROGRESS) if finished else "",
            completion_status=CompletionStatus.DONE if finished else CompletionStatus.IN_PROGRESS,
            acceptance_category=rnd.choice(AcceptanceCategory.values),
            accountability="无" if finished else "",
            points_investigated=finished,
            points_resolved=finished,
            violations_penalised=finished,
            accountability_done=finished,
            complainant_accepted=finished,
            completion_evidence="现场复核照片、处罚决定书、群众满意度签字" if finished else "",
            ordered_rectify=rnd.randrange(0, 3) if finished else 0,
            penalty_cases=int(rnd.random() < 0.3) if finished else 0,
            fine_amount=rnd.choice((0, 0, 1, 2, 5, 10)) if finished else 0,
            interviews=int(rnd.random() < 0.1),
            is_repeat=rnd.random() < 0.05,
            complainant_contact="1%02d****%04d" % (rnd.randrange(30, 90), rnd.randrange(10000)),
            publicity_started_on=finished_on + timedelta(days=20) if closed else None,
            closed_on=finished_on + timedelta(days=26) if closed else None,
            created_at=_aware(transferred),
            updated_at=_aware(finished_on or transferred),
        )
        # Publicity and close-out dates never lie in the future.
        for name in ("publicity_started_on", "closed_on"):
            if case[name] and case[name] > self.today:
                case[name] = self.today
        return {"case": case, "types": type_codes, "finished_on": finished_on}

    def _case_rows(self, plans, types, files) -> None:
        rnd = self.rnd
        through_types = PetitionCase.pollution_types.through
        through_units = PetitionCase.cooperating_units.through
        type_rows, unit_rows, transitions, points, progress, attachments, history = [], [], [], [], [], [], []
        History = PetitionCase.history.model
        for plan in plans:
            case = plan["case"]
            for code in plan["types"]:
                if code in types:
                    type_rows.append({"petitioncase_id": case.pk, "pollutiontype_id": types[code].pk})
            if case.lead_unit_id and rnd.random() < 0.3:
                partner = rnd.choice(self.departments)
                if partner.pk != case.lead_unit_id:
                    unit_rows.append({"petitioncase_id": case.pk, "unit_id": partner.pk})
            history.append(self._history_row(History, case))
            transitions.extend(self._transitions(case, plan["finished_on"]))
            if case.state == CaseState.RECEIVED:
                continue
            for seq in range(1, rnd.choice((2, 2, 3)) + 1):
                points.append(
                    dict(
                        case_id=case.pk,
                        seq=seq,
                        content=f"举报问题{seq}：{case.complaint[:30]}",
                        is_true=case.finding != Finding.UNTRUE,
                        is_resolved=case.state in FINISHED or rnd.random() < 0.3,
                    )
                )
            staff = self.staff_of.get(case.lead_unit_id)
            last = plan["finished_on"] or min(self.today, case.deadline)
            for _ in range(rnd.choice((0, 1, 1, 2, 3))):
                day = case.transferred_on + timedelta(
                    days=rnd.randrange(max((last - case.transferred_on).days, 1))
                )
                progress.append(
                    dict(
                        case_id=case.pk,
                        happened_on=day,
                        text=rnd.choice(PROGRESS),
                        actor_id=staff.pk if staff else None,
                        created_at=_aware(day, 16),
                    )
                )
            if case.state in FINISHED:
                for kind, stage, (sha, ext, ctype, size) in files:
                    attachments.append(
                        dict(
                            case_id=case.pk,
                            unit_id=case.lead_unit_id,
                            kind=kind,
                            photo_stage=stage,
                            pair_label="点位1" if kind == AttachmentKind.PHOTO else "",
                            title=AttachmentKind(kind).label,
                            file=f"evidence/{sha[:2]}/{sha}{ext}",
                            original_name=f"{AttachmentKind(kind).label}{ext}",
                            content_type=ctype,
                            extension=ext,
                            size=size,
                            sha256=sha,
                            uploaded_by_id=staff.pk if staff else None,
                            uploaded_at=_aware(plan["finished_on"], 15),
                        )
                    )
                if case.deadline.year == self.today.year - 1:
                    self.sheet_candidates.append((case.pk, case.receipt_no, case.lead_unit_id, plan))
        Rows(through_types).write(type_rows)
        Rows(through_units).write(unit_rows)
        Rows(History).write(self.summary.add("历史记录", history))
        Rows(CaseTransition).write(self.summary.add("状态流转", transitions))
        Rows(InvestigationPoint).write(self.summary.add("举报问题要点", points))
        Rows(ProgressEntry).write(self.summary.add("办理进展", progress))
        Rows(Attachment).write(self.summary.add("证据材料", attachments))

    def _history_row(self, History, case):
        return {
            **case,
            "history_date": case.created_at,
            "history_type": "+",
            "history_change_reason": "生成数据",
            "history_user_id": self.office.pk,
        }

    def _transitions(self, case, finished_on) -> list:
        """received → investigating → rectifying (→ completed → …): the workflow's rows with dates."""
        state = case.state
        if state == CaseState.RECEIVED:
            return []
        day = case.transferred_on
        steps = [(CaseState.RECEIVED, CaseState.INVESTIGATING, day + timedelta(days=1))]
        if state != CaseState.INVESTIGATING:
            steps.append((CaseState.INVESTIGATING, CaseState.RECTIFYING, day + timedelta(days=3)))
        if state == CaseState.REOPENED:
            steps.append(
                (CaseState.RECTIFYING, CaseState.REOPENED, min(self.today, day + timedelta(days=10)))
            )
        if finished_on:
            steps.append((CaseState.RECTIFYING, CaseState.COMPLETED, finished_on))
            if state != CaseState.COMPLETED:
                steps.append((CaseState.COMPLETED, state, min(self.today, finished_on + timedelta(days=7))))
        actor = self.staff_of.get(case.lead_unit_id)
        actor_id = actor.pk if actor else None
        return [
            {
                "case_id": case.pk,
                "from_state": a,
                "to_state": b,
                "actor_id": actor_id,
                "at": _aware(max(d, day)),
            }
            for a, b, d in steps
        ]

    def _evidence_files(self):
        """Two small real files (a photo and a PDF) that every generated evidence row points to."""
        png = (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
            b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00"
            b"\x00\x00\x00IEND\xaeB`\x82"
        )
        pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        out = []
        for content, ext, ctype, kind, stage in [
            (png, ".png", "image/png", AttachmentKind.PHOTO, PhotoStage.AFTER),
            (pdf, ".pdf", "application/pdf", AttachmentKind.HANDLING_MATERIAL, PhotoStage.NONE),
        ]:
            sha = hashlib.sha256(content).hexdigest()
            path = Path(settings.MEDIA_ROOT) / "evidence" / sha[:2] / f"{sha}{ext}"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            out.append((kind, stage, (sha, ext, ctype, len(content))))
        return out

    # --- scoring --------------------------------------------------------------------------
    def scoring(self) -> None:
        """Last year's finished cases scored by their lead unit (submitted), every third reviewed."""
        from scoring.domain.services import stamp_score

        year = self.today.year - 1
        now = timezone.now()
        scored = {}
        sheets = []
        units = set()
        for pk, receipt_no, unit_id, plan in self.sheet_candidates:
            variant = (plan["case"].case_leader_level, self.rnd.randrange(4), self.rnd.randrange(3))
            for version in (SheetVersion.SELF, SheetVersion.REVIEW):
                if version == SheetVersion.REVIEW and pk % 3:
                    continue
                key = (*variant, version)
                if key not in scored:
                    probe = ScoringSheet(data=_sheet_data(*key))
                    stamp_score(probe, now=now)
                    scored[key] = probe
                probe = scored[key]
                data = {**probe.data, "case": receipt_no, "locality": self.unit_names[unit_id]}
                sheets.append(
                    ScoringSheet(
                        case_id=pk,
                        locality_id=unit_id,
                        year=year,
                        version=version,
                        status=SheetStatus.SUBMITTED,
                        data=data,
                        total_num=probe.total_num,
                        total_den=probe.total_den,
                        parts=probe.parts,
                        scored_at=now,
                        created_by=self.staff_of.get(unit_id),
                        submitted_by=self.staff_of.get(unit_id),
                        submitted_at=now,
                    )
                )
            units.add(unit_id)
        ScoringSheet.objects.bulk_create(self.summary.add("评分表", sheets), batch_size=BATCH)
        have = set(UnitAssessment.objects.filter(year=year).values_list("unit_id", flat=True))
        assessments = [
            UnitAssessment(unit_id=u, year=year, state=AssessmentState.SUBMITTED)
            for u in sorted(units - have)
        ]
        UnitAssessment.objects.bulk_create(self.summary.add("单位年度考核", assessments))

    # --- tasks ----------------------------------------------------------------------------
    def tasks(self) -> None:
        if not self.n_tasks:
            return
        rnd = self.rnd
        inspection = self.inspection_list[0][0]
        start = RectificationTask.objects.filter(inspection=inspection).count()
        statuses = [s for s, _ in TASK_STATUS_WEIGHTS]
        weights = [w for _, w in TASK_STATUS_WEIGHTS]
        tasks = []
        for i in range(start + 1, start + self.n_tasks + 1):
            status = rnd.choices(statuses, weights)[0]
            deadline = self.today + timedelta(days=rnd.randrange(-150, 330))
            problem = rnd.choice(TASK_PROBLEMS)
            tasks.append(
                RectificationTask(
                    inspection=inspection,
                    number=f"G{i:05d}",
                    seq=i,
                    problem=f"{rnd.choice(self.regions).short_name}{problem}",
                    target=f"{problem.split('，')[0]}问题全面整改到位，不反弹。",
                    lead_unit=rnd.choice(self.all_units),
                    responsible_person=self.person(),
                    contact_phone=self.phone(),
                    standard="整改措施全部完成，整改目标达到，经验收合格。",
                    deadline=deadline,
                    status=status,
                )
            )
        RectificationTask.objects.bulk_create(self.summary.add("整改任务", tasks), batch_size=BATCH)
        measures, targets, reports = [], [], []
        for task in tasks:
            finished = task.status in FINISHED_TASK
            targets.append(
                AnnualTarget(
                    task=task, year=task.deadline.year, target=task.target, reached=True if finished else None
                )
            )
            for seq in range(1, rnd.choice((2, 3, 4)) + 1):
                kind = rnd.choice(MeasureKind.values)
                due = task.deadline - timedelta(days=rnd.randrange(0, 60))
                done = finished or rnd.random() < 0.3
                measures.append(
                    Measure(
                        task=task,
                        seq=seq,
                        kind=kind,
                        content=MEASURE_TEXT[kind],
                        responsible_unit=task.lead_unit,
                        responsible_person=task.responsible_person,
                        deadline=due,
                        done=done,
                        done_on=min(due, self.today) if done else None,
                        evidence="已完成，见验收材料" if done else "",
                    )
                )
            staff = self.staff_of.get(task.lead_unit_id)
            for k in range(rnd.choice((1, 2, 3))):
                day = self.today - timedelta(days=rnd.randrange(1, 120))
                reports.append(
                    ProgressReport(
                        task=task,
                        reported_on=day,
                        text=rnd.choice(PROGRESS),
                        percent=100 if finished else min(95, 20 * (k + 1) + rnd.randrange(10)),
                        reported_by=staff,
                    )
                )
        AnnualTarget.objects.bulk_create(self.summary.add("年度目标", targets), batch_size=BATCH)
        Measure.objects.bulk_create(self.summary.add("整改措施", measures), batch_size=BATCH)
        ProgressReport.objects.bulk_create(self.summary.add("整改进展", reports), batch_size=BATCH)
        milestones = []
        for measure in measures:
            for k in range(rnd.choice((1, 2, 3))):
                due = measure.deadline - timedelta(days=30 * k)
                behind = not measure.done and rnd.random() < 0.3
                done_on = None if behind or (not measure.done and due > self.today) else min(due, self.today)
                milestones.append(
                    Milestone(measure=measure, due=due, description=f"第{k + 1}阶段目标完成", done_on=done_on)
                )
        Milestone.objects.bulk_create(self.summary.add("时间节点", milestones), batch_size=5000)

    # --- warnings -------------------------------------------------------------------------
    def warnings(self) -> None:
        """Red warnings on open cases 30+ days overdue (a fifth escalated to a letter), blue on due soon."""
        from supervision.domain.warnings import warning_for

        open_states = [s for s, _ in STATE_WEIGHTS if s not in FINISHED and s != CaseState.RECEIVED]
        rows = (
            PetitionCase.objects.filter(inspection__code__startswith=GENERATED_PREFIX, state__in=open_states)
            .exclude(pk__in=EarlyWarning.objects.filter(case__isnull=False).values("case_id"))
            .values_list("pk", "deadline", "lead_unit_id")
        )
        warnings = []
        for pk, deadline, unit_id in rows.iterator(chunk_size=5000):
            verdict = warning_for(deadline, self.today)
            if verdict is None:
                continue
            warnings.append(
                EarlyWarning(
                    case_id=pk,
                    unit_id=unit_id,
                    level=verdict.level,
                    deadline=deadline,
                    raised_on=self.today,
                    reason=verdict.reason,
                    state=WarningState.OPEN,
                )
            )
        reds = [w for w in warnings if w.level == WarningLevel.RED]
        for w in reds[::5]:
            w.state = WarningState.ESCALATED
        EarlyWarning.objects.bulk_create(self.summary.add("预警", warnings), batch_size=5000)
        self._letters([w for w in reds[::5]])

    def _letters(self, escalated) -> None:
        if not escalated:
            return
        year = self.today.year
        counter, _ = LetterCounter.objects.select_for_update().get_or_create(year=year)
        first = counter.last_serial
        letters = [
            SupervisionLetter(
                case_id=w.case_id,
                unit_id=w.unit_id,
                warning=w,
                year=year,
                serial=first + i,
                issued_on=self.today,
                reply_deadline=self.today + timedelta(days=7),
                facts=f"该案件{w.reason}。",
                requirements="请于7日内完成整改并书面回复。",
                issued_by=self.office,
                state=LetterState.ISSUED,
            )
            for i, w in enumerate(escalated, start=1)
        ]
        SupervisionLetter.objects.bulk_create(self.summary.add("督办函", letters), batch_size=BATCH)
        counter.last_serial = first + len(letters)
        counter.save(update_fields=["last_serial"])

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.units()
            self.inspections()
            self.cases()
            self.scoring()
            self.tasks()
            self.warnings()
        return self.summary.created


def _sheet_data(leader_level, solved, extra, version) -> dict:
    """One of a few realistic scoring sheets (the review is stricter on the plan)."""
    return {
        "case": "X",
        "locality": "X",
        "territorial": [
            {
                "case_leader": leader_level,
                "lead_unit_head": "deputy" if extra else "principal",
                "handler": True,
            }
        ],
        "functional": [{"case_leader": "none" if extra == 2 else "deputy", "handler": True}],
        "plan": {"department": True, "measures": True, "milestones": extra != 1, "funding": extra == 0},
        "plan_reviewed": version == SheetVersion.SELF or extra != 1,
        "plan_implemented": solved != 0,
        "archive": {
            "catalogue": True,
            "assignment_note": True,
            "unit_materials": {"complete": 1 + (solved > 1), "units": 2},
            "site_records": {"complete": 2, "units": 2},
        },
        "problems": {"solved": min(solved + 1, 3), "total": 3},
        "satisfaction_signed": solved != 0,
        "bonus": {
            "praise": "city_chief" if extra == 0 else "none",
            "follow_up_visit": extra != 2,
            "source_governance": solved == 3,
            "inference": False,
            "media": ["city"] if extra == 0 else [],
        },
        "deductions": {"penalty_missing": False, "deadline_missed": solved == 0, "repeat_complaint": False},
        "fake": False,
    }


def generate(*, cases: int, tasks: int, seed: int, force: bool = False, today: date | None = None):
    """Write the data set; refuses (RealDataPresent) on a database with real data unless ``force``."""
    real = real_data_counts()
    if any(real.values()) and not force:
        found = "、".join(f"{label} {n} 条" for label, n in real.items() if n)
        raise RealDataPresent(
            f"数据库中已有真实数据（{found}），为防止混入生成数据已拒绝执行；确需执行请加 --force。"
        )
    return Generator(cases=cases, tasks=tasks, seed=seed, today=today).run()
