"""Demo petition cases (示例): round 1's 5 and its look-back's 18 (all closed, for re-checks),
round 2's 5 (one key case), provincial 2020's 1 completed case."""

from datetime import date, timedelta

from django.utils import timezone

from org.enums import LeaderLevel

from .enums import AcceptanceCategory, CaseState, CompletionStatus, Finding
from .models import CaseTransition, PetitionCase, PollutionType

COMPLAINTS = [
    ("大孤山镇某石材加工厂夜间生产，粉尘和噪声扰民", ["dust", "noise"], "千山风景区综合行政执法局"),
    ("千山镇某农家乐油烟直排，影响周边居民", ["cooking_fume"], "千山风景区综合行政执法局"),
    ("景区内某温泉度假村污水直排河道", ["water"], "千山风景区生态环境分局"),
    ("某村垃圾长期堆放无人清运，异味严重", ["solid_waste", "odor"], "千山风景区农业农村局"),
    ("景区内违规建设别墅，破坏林地", ["ecology"], "千山风景区自然资源分局"),
    ("某采石场未落实生态修复", ["ecology", "dust"], "千山风景区自然资源分局"),
]


def seed(ctx) -> None:
    for i in range(1, 6):
        _case(
            ctx,
            "C1",
            f"X21000020170{8 if i < 4 else 9}{i:02d}00{i}",
            i,
            state=CaseState.FILED,
            year=2017,
            batch=(i + 1) // 2,
        )
    for i in range(1, 19):
        _case(
            ctx,
            "C1-LB",
            f"LN-HTK-2018{i:04d}",
            i,
            state=CaseState.CLOSED if i % 3 else CaseState.FILED,
            year=2018,
            batch=(i + 2) // 3,
        )
    today = timezone.localdate()
    round2 = [
        ("D2LN202107160012", CaseState.COMPLETED, False, today - timedelta(days=20)),
        ("D2LN202107160025", CaseState.RECTIFYING, True, today + timedelta(days=4)),
        ("D2LN202107180031", CaseState.INVESTIGATING, False, today - timedelta(days=3)),
        ("D2LN202107200047", CaseState.ACCEPTED, False, today - timedelta(days=30)),
        ("D2LN202107220058", CaseState.RECEIVED, False, None),
    ]
    for i, (receipt_no, state, key, deadline) in enumerate(round2, start=1):
        _case(ctx, "C2", receipt_no, i, state=state, year=2021, batch=i, key=key, deadline=deadline)
    _case(ctx, "P2020", "SJDC2020-0917", 3, state=CaseState.COMPLETED, year=2020, batch=5)
    seed_extras(ctx)


def _case(ctx, inspection_code, receipt_no, index, *, state, year, batch, key=False, deadline=None):
    inspection = ctx.inspections[inspection_code]
    if PetitionCase.objects.filter(inspection=inspection, receipt_no=receipt_no).exists():
        return
    complaint, types, unit_name = COMPLAINTS[index % len(COMPLAINTS)]
    transferred = (inspection.start_date or date(year, 7, 1)) + timedelta(days=batch)
    finished = state in {
        CaseState.COMPLETED,
        CaseState.ACCEPTED,
        CaseState.REVIEWED,
        CaseState.PUBLICIZED,
        CaseState.CLOSED,
        CaseState.FILED,
    }
    past_received = state != CaseState.RECEIVED
    locality = ctx.units["大孤山镇" if index % 2 else "千山镇"]
    case = PetitionCase.objects.create(
        inspection=inspection,
        receipt_no=receipt_no,
        batch=batch,
        transferred_on=transferred,
        complaint=f"【示例】{complaint}",
        locality=locality,
        lead_unit=ctx.units[unit_name] if past_received else None,
        handler="李经办" if unit_name.endswith("生态环境分局") else "示例负责人" if past_received else "",
        handler_phone="13804120000",
        case_leader="示例包案领导",
        case_leader_level=LeaderLevel.DEPUTY,
        standard="举报问题查清、解决，违法行为依法处罚，群众认可。" if past_received else "",
        deadline=deadline or (transferred + timedelta(days=60) if past_received else None),
        is_key=key,
        key_leader="孙领导" if key else "",
        work_plan="【示例】包保领导牵头，每周现场调度，限期完成整改。" if key else "",
        state=state,
        finding=Finding.TRUE if past_received and state != CaseState.INVESTIGATING else "",
        investigation="【示例】经现场核查，反映问题属实。"
        if finished or state == CaseState.RECTIFYING
        else "",
        plan="【示例】责令停产整改，限期完成治理设施建设。"
        if finished or state == CaseState.RECTIFYING
        else "",
        handling="【示例】已责令整改并立案处罚，治理设施已建成运行。" if finished else "",
        completion_status=CompletionStatus.DONE if finished else CompletionStatus.IN_PROGRESS,
        acceptance_category=AcceptanceCategory.NEARBY if index % 2 else AcceptanceCategory.PUBLIC_INTEREST,
        accountability="无" if finished else "",
        points_investigated=finished,
        points_resolved=finished,
        violations_penalised=finished,
        accountability_done=finished,
        complainant_accepted=finished,
        completion_evidence="【示例】现场复核照片、处罚决定书、群众满意度签字" if finished else "",
        ordered_rectify=1 if finished else 0,
        penalty_cases=1 if finished and index % 2 else 0,
        fine_amount=2 if finished and index % 2 else 0,
        complainant_contact="138****%04d" % index,
        publicity_started_on=transferred + timedelta(days=70)
        if state in {CaseState.CLOSED, CaseState.FILED}
        else None,
        closed_on=transferred + timedelta(days=80) if state in {CaseState.CLOSED, CaseState.FILED} else None,
    )
    case.pollution_types.set(PollutionType.objects.filter(code__in=types))
    if state != CaseState.RECEIVED:
        CaseTransition.objects.create(
            case=case,
            from_state=CaseState.RECEIVED,
            to_state=state,
            actor=None,
            reason="示例数据：导入时的环节",
        )
    ctx.count("信访案件", True)


def seed_extras(ctx) -> None:
    """Around the fixed counts: a progress log on the round-2 cases and the 2021-08 re-check draw."""
    from .domain.rechecks import draw_rechecks
    from .models import ProgressEntry

    for case in PetitionCase.objects.filter(
        inspection=ctx.inspections["C2"], state__in=[CaseState.RECTIFYING, CaseState.COMPLETED]
    ):
        if not case.progress_entries.exists():
            ProgressEntry.objects.create(
                case=case,
                happened_on=(case.transferred_on or date(2021, 7, 20)) + timedelta(days=5),
                text="【示例】已现场核查并下达整改通知，企业正在安装治理设施。",
                actor=ctx.users.get("staff"),
            )
    draw_rechecks(date(2021, 8, 1), seed=20210801, actor=ctx.users.get("office"))
    _rebound(ctx)


def _rebound(ctx) -> None:
    """反弹台账: one round-1 case found rebounded by a complaint (2021-08-18), classified 问题反弹,
    rectified again and re-closed by 2021-09-30."""
    from .domain.rebounds import rebound_category
    from .models import ReboundEntry

    case = (
        PetitionCase.objects.filter(inspection=ctx.inspections["C1"], state=CaseState.FILED)
        .order_by("receipt_no")
        .first()
    )
    if case is None:
        return
    _, made = ReboundEntry.objects.get_or_create(
        case=case,
        found_on=date(2021, 8, 18),
        defaults={
            "category": rebound_category("rebounded"),
            "description": "【示例】群众再次反映夜间噪声扰民，现场核实问题复现。",
            "disposition": "【示例】责令加装隔音设施并限定作业时间，重新整改后重新验收销号。",
            "resolved_on": date(2021, 9, 30),
            "recorded_by": ctx.users.get("office"),
        },
    )
    ctx.count("反弹台账", made)
