"""Demo rectification tasks (示例): round 1's 25 feedback tasks and some of round 2's."""

from datetime import date, timedelta

from django.utils import timezone

from .enums import LookBackResult, MeasureKind, TaskStatus, TaskStep
from .models import (
    AnnualTarget,
    LookBackCheck,
    Measure,
    Milestone,
    ProgressReport,
    RectificationTask,
    TaskStepRecord,
)

ROUND1_PROBLEMS = [
    "风景区内部分违规建设项目未依法清理整治",
    "景区周边石材加工企业粉尘污染治理不到位",
    "部分农家乐餐饮油烟直排",
    "景区污水收集管网建设滞后",
    "大孤山镇生活垃圾转运不及时",
    "部分采石场生态修复进度缓慢",
    "温泉度假村污水处理设施运行不正常",
    "散乱污企业整治存在反弹",
    "林地违规占用问题整改不彻底",
    "秸秆露天焚烧管控不力",
    "建筑工地扬尘管控措施落实不到位",
    "畜禽养殖废弃物资源化利用率低",
    "饮用水水源保护区内存在违规建筑",
    "河道垃圾清理长效机制未建立",
    "燃煤小锅炉淘汰不彻底",
    "机动车尾气检测监管薄弱",
    "环境信访案件办理质量不高",
    "生态环境执法力度偏软",
    "部分企业环评手续不全",
    "危险废物规范化管理不到位",
    "景区旅游旺季噪声扰民",
    "农村黑臭水体治理进展缓慢",
    "自然保护地内违规开发活动未全面清理",
    "环境保护“党政同责、一岗双责”落实不到位",
    "生态环境保护责任追究不严",
]
KINDS = list(MeasureKind)
UNIT_CYCLE = [
    "千山风景区生态环境分局",
    "千山风景区自然资源分局",
    "千山风景区规划建设局",
    "千山风景区综合行政执法局",
    "千山风景区农业农村局",
]


def seed(ctx) -> None:
    c1 = ctx.inspections["C1"]
    for i, problem in enumerate(ROUND1_PROBLEMS, start=1):
        lead = ctx.units[UNIT_CYCLE[(i - 1) % len(UNIT_CYCLE)]]
        deadline = date(2018, 12, 31) if i % 3 else date(2019, 12, 31)
        task, made = RectificationTask.objects.get_or_create(
            inspection=c1,
            number=f"R1-{i:02d}",
            defaults={
                "seq": i,
                "problem": f"【示例】{problem}",
                "target": f"【示例】{problem.replace('不到位', '到位').replace('滞后', '按期完成')}，问题不反弹。",
                "lead_unit": lead,
                "supervising_unit": ctx.units["千山风景区督察整改工作协调组办公室"],
                "accepting_unit": ctx.units["鞍山市生态环境局"],
                "responsible_person": "示例责任人",
                "contact_phone": "0412-6600%03d" % i,
                "standard": "按照督察反馈意见和整改方案要求全部完成，经验收合格。",
                "deadline": deadline,
                "status": TaskStatus.FILED if i <= 20 else TaskStatus.CLOSED,
            },
        )
        ctx.count("整改任务", made)
        if made:
            _measures(task, lead, [KINDS[(i - 1) % 5], KINDS[i % 5]], done=True)
            AnnualTarget.objects.create(
                task=task, year=deadline.year, target=task.target, reached=True, evidence="示例：验收报告"
            )
    _round2(ctx)
    _close_out_steps(ctx)
    _look_back(ctx)
    _rebound(ctx)
    _progress(ctx)


def _round2(ctx) -> None:
    c2 = ctx.inspections["C2"]
    today = timezone.localdate()
    specs = [
        ("R2-01", "部分矿山生态修复未按期完成", "千山风景区自然资源分局", today + timedelta(days=5), False),
        ("R2-02", "景区污水处理厂提标改造滞后", "千山风景区生态环境分局", today - timedelta(days=10), False),
        ("R2-03", "餐饮油烟在线监控覆盖不足", "千山风景区综合行政执法局", today + timedelta(days=60), False),
        (
            "R2-04",
            "农村生活垃圾治理长效机制不健全",
            "千山风景区农业农村局",
            today + timedelta(days=120),
            False,
        ),
        ("R2-05", "违规建设项目清理整治不彻底", "千山风景区规划建设局", date(2022, 12, 31), True),
        ("R2-06", "生态环境执法监管能力不足", "千山风景区生态环境分局", today + timedelta(days=200), False),
    ]
    for seq, (number, problem, unit_name, deadline, done) in enumerate(specs, start=1):
        lead = ctx.units[unit_name]
        task, made = RectificationTask.objects.get_or_create(
            inspection=c2,
            number=number,
            defaults={
                "seq": seq,
                "problem": f"【示例】{problem}",
                "target": f"【示例】{problem}问题全面整改到位。",
                "lead_unit": lead,
                "supervising_unit": ctx.units["千山风景区督察整改工作协调组办公室"],
                "accepting_unit": ctx.units["鞍山市生态环境局"],
                "responsible_person": "示例责任人",
                "contact_phone": "0412-66010%02d" % seq,
                "standard": "整改目标全部实现，经验收合格并公示。",
                "deadline": deadline,
                "status": TaskStatus.COMPLETE if done else TaskStatus.IN_PROGRESS,
            },
        )
        ctx.count("整改任务", made)
        if made:
            if number == "R2-02":
                task.cooperating_units.add(ctx.units["千山风景区规划建设局"])
            kinds = [MeasureKind.ENGINEERING, MeasureKind.POLICY] if seq % 2 else [MeasureKind.ENFORCEMENT]
            _measures(task, lead, kinds, done=done)
            AnnualTarget.objects.create(task=task, year=deadline.year, target=task.target)


def _measures(task, unit, kinds, *, done: bool) -> None:
    for seq, kind in enumerate(kinds, start=1):
        deadline = task.deadline - timedelta(days=30 * (len(kinds) - seq))
        measure = Measure.objects.create(
            task=task,
            seq=seq,
            kind=kind,
            content=f"【示例】{kind.label}：{task.problem[4:20]}",
            responsible_unit=unit,
            responsible_person="示例责任人",
            deadline=deadline,
            done=done,
            done_on=deadline if done else None,
            evidence="示例：完成依据材料" if done else "",
            **(_evidence(kind, deadline) if done else {}),
        )
        for k, fraction in enumerate((3, 1), start=1):
            due = deadline - timedelta(days=30 * fraction)
            Milestone.objects.create(
                measure=measure,
                due=due,
                description=f"节点{k}",
                done_on=due if (done or due < timezone.localdate() - timedelta(days=40)) else None,
            )


def _evidence(kind, day) -> dict:
    """Demo completion evidence of a finished measure, as its kind requires (docs/rules.md §6)."""
    return {
        MeasureKind.POLICY: {
            "document": "【示例】千景管发〔2018〕12号",
            "document_issued_on": day,
            "document_in_force": True,
        },
        MeasureKind.ENGINEERING: {
            "works_finished_on": day - timedelta(days=10),
            "acceptance_on": day,
            "acceptance_document": "【示例】竣工验收报告",
        },
        MeasureKind.CLOSURE: {"closed_on": day},
        MeasureKind.ENFORCEMENT: {
            "case_filed_no": "【示例】千景执立〔2018〕3号",
            "penalty_decision_no": "【示例】千景执罚〔2018〕3号",
            "penalty_executed_on": day,
            "offender_complied": True,
            "violation_fixed": True,
        },
        MeasureKind.ACCOUNTABILITY: {"investigation_done_on": day, "persons_held": "【示例】2人诫勉谈话"},
    }[kind]


_STEPS_TO = {
    TaskStatus.COMPLETE: (TaskStep.COMPLETE,),
    TaskStatus.CLOSED: (TaskStep.COMPLETE, TaskStep.ACCEPT, TaskStep.PUBLICIZE, TaskStep.CLOSE),
    TaskStatus.FILED: (TaskStep.COMPLETE, TaskStep.ACCEPT, TaskStep.PUBLICIZE, TaskStep.CLOSE, TaskStep.FILE),
}
_STEP_STATES = {
    TaskStep.COMPLETE: (TaskStatus.IN_PROGRESS, TaskStatus.COMPLETE),
    TaskStep.ACCEPT: (TaskStatus.COMPLETE, TaskStatus.ACCEPTED),
    TaskStep.PUBLICIZE: (TaskStatus.ACCEPTED, TaskStatus.PUBLICIZED),
    TaskStep.CLOSE: (TaskStatus.PUBLICIZED, TaskStatus.CLOSED),
    TaskStep.FILE: (TaskStatus.CLOSED, TaskStatus.FILED),
}
_STEP_OFFSET = {
    TaskStep.COMPLETE: 0,
    TaskStep.ACCEPT: 5,
    TaskStep.PUBLICIZE: 7,
    TaskStep.CLOSE: 15,
    TaskStep.FILE: 20,
}


def _close_out_steps(ctx) -> None:
    """The recorded close-out steps of the demo tasks already past "in progress" (create-only)."""
    tasks = RectificationTask.objects.filter(status__in=list(_STEPS_TO), number__startswith="R")
    for task in tasks:
        for step in _STEPS_TO[task.status]:
            source, target = _STEP_STATES[step]
            day = task.deadline + timedelta(days=_STEP_OFFSET[step])
            _, made = TaskStepRecord.objects.get_or_create(
                task=task,
                step=step,
                defaults={
                    "from_status": source,
                    "to_status": target,
                    "at": timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10)),
                    "on_date": day,
                    "note": "【示例】",
                },
            )
            ctx.count("销号环节记录", made)


def _look_back(ctx) -> None:
    """Round-1 look-back: the measures of R1-01…R1-15 checked on site and holding; the rest not yet."""
    measures = Measure.objects.filter(task__inspection=ctx.inspections["C1"], task__seq__lte=15)
    for measure in measures.select_related("task"):
        _, made = LookBackCheck.objects.get_or_create(
            measure=measure,
            checked_on=date(2021, 9, 1) + timedelta(days=measure.task.seq),
            defaults={
                "inspector": "【示例】协调组检查组",
                "result": LookBackResult.HOLDS,
                "notes": "现场核查，整改成果巩固。",
            },
        )
        ctx.count("回头看检查", made)


def _rebound(ctx) -> None:
    """整改任务反弹台账: R1-24's look-back found the problem back (2021-10-12); classified 整改不到位,
    rectified again and re-closed by 2021-12-20 — the task keeps its closed status."""
    from cases.domain.rebounds import rebound_category

    from .models import TaskReboundEntry

    task = RectificationTask.objects.filter(inspection=ctx.inspections["C1"], number="R1-24").first()
    measure = task and task.measures.order_by("seq", "pk").first()
    if measure is None:
        return
    check, made = LookBackCheck.objects.get_or_create(
        measure=measure,
        checked_on=date(2021, 10, 12),
        defaults={
            "inspector": "【示例】协调组检查组",
            "result": LookBackResult.REBOUNDED,
            "notes": "【示例】现场发现部分点位问题复现，整改措施未完全落实。",
        },
    )
    ctx.count("回头看检查", made)
    _, made = TaskReboundEntry.objects.get_or_create(
        look_back_check=check,
        defaults={
            "task": task,
            "measure": measure,
            "found_on": check.checked_on,
            "category": rebound_category("incomplete"),
            "description": check.notes,
            "disposition": "【示例】完善整改措施，责任单位深入整改并重新组织验收、销号。",
            "resolved_on": date(2021, 12, 20),
            "recorded_by": ctx.users.get("office"),
        },
    )
    ctx.count("整改任务反弹", made)


def _progress(ctx) -> None:
    """Progress reports of round 2: R2-01 reported recently, R2-02 silent for more than 7 days."""
    today = timezone.localdate()
    specs = [
        ("R2-01", 2, 60, "【示例】生态修复工程主体完成，正在补植。"),
        ("R2-02", 12, 40, "【示例】提标改造设备已到场。"),
        ("R2-03", 5, 30, "【示例】在线监控已覆盖12家餐饮单位。"),
    ]
    for number, days_ago, percent, text in specs:
        task = RectificationTask.objects.filter(inspection=ctx.inspections["C2"], number=number).first()
        if task is None or task.progress_reports.exists():
            continue
        ProgressReport.objects.create(
            task=task, reported_on=today - timedelta(days=days_ago), text=text, percent=percent
        )
        ctx.count("整改进展", True)
