"""Demo oversight records (示例数据): the meetings that approved the round-1 and round-2 task lists,
a recent 党工委 study, the demo leader's assigned units, a 纪工委 on-site inspection with a follow-up
item, a 专项督查, and a referred clue with its outcome.

Dates count back from the day the demo is first seeded; once any meeting exists the demo's records
are there (one transaction) and a later run creates nothing.
"""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import PetitionCase
from rectification.models import RectificationTask
from supervision.domain.escalation import refer_clue
from supervision.models import ClueReferral, SupervisionLetter

from .domain.clues import record_outcome
from .domain.records import (
    add_follow_up,
    save_assignments,
    save_discipline_inspection,
    save_meeting,
    save_special_inspection,
)
from .enums import MeetingKind
from .models import Meeting

ECOLOGY = "千山风景区生态环境分局"
ENFORCEMENT = "千山风景区综合行政执法局"


def _minutes_pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for the scanned minutes."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile("会议纪要（示例）.pdf", out.getvalue(), content_type="application/pdf")


def seed(ctx) -> None:
    if Meeting.objects.exists():
        return
    office, discipline, leader = (ctx.users.get(k) for k in ("office", "discipline", "leader"))
    if office is None or discipline is None:
        return
    today = timezone.localdate()
    units = ctx.units
    for code, held_on in (("C1", date(2017, 11, 20)), ("C2", date(2021, 9, 15))):
        inspection = ctx.inspections.get(code)
        if inspection is None:
            continue
        save_meeting(
            actor=office,
            kind=MeetingKind.JOINT,
            title=f"审议{inspection.name}反馈问题整改清单（示例）",
            held_on=held_on,
            studies_environment=True,
            attendees="党工委书记、管委会主任、各位分管副主任，各责任单位主要负责人",
            decisions=f"审议通过{inspection.name}反馈问题整改清单，明确每项任务的责任单位、责任人、整改标准和时限，"
            "由协调组按日调度、按周上报。",
            approved_inspections=[inspection],
            units=[units[ECOLOGY], units[ENFORCEMENT]],
            minutes=_minutes_pdf(f"{inspection.name}整改清单审议"),
            today=today,
        )
        ctx.count("会议", True)
    save_meeting(
        actor=office,
        kind=MeetingKind.PARTY,
        title="党工委会议专题研究生态环境保护工作（示例）",
        held_on=today - timedelta(days=20),
        studies_environment=True,
        attendees="党工委书记、副书记、委员；协调组办公室主任列席",
        decisions="听取督察整改进展汇报；对逾期未完成的整改任务下发督办函；下次会议听取纪工委现场督查情况。",
        units=[units[ECOLOGY]],
        today=today,
    )
    ctx.count("会议", True)
    if leader is not None:
        rows = save_assignments(
            actor=office,
            leader=leader,
            units=[units[ECOLOGY], units[ENFORCEMENT]],
            starts_on=date(2021, 9, 15),
            ends_on=None,
            duty="管委会分管副主任",
        )
        for _ in rows:
            ctx.count("分管关系", True)

    task = (
        RectificationTask.objects.filter(inspection__code="C2", lead_unit=units[ECOLOGY])
        .order_by("pk")
        .first()
        or RectificationTask.objects.order_by("pk").first()
    )
    inspection = save_discipline_inspection(
        actor=discipline,
        inspected_on=today - timedelta(days=3),
        units=[units[ECOLOGY], units[ENFORCEMENT]],
        inspectors="纪工委周纪检等2人",
        findings="抽查整改任务和信访案件台账，个别任务整改进展报送不及时，现场整改资料不齐全。",
        today=today,
    )
    ctx.count("纪工委现场督查", True)
    if task is not None:
        add_follow_up(
            actor=discipline,
            parent=inspection,
            description="整改进展资料不齐全，须补齐现场照片和验收材料并按周报送进展。",
            task=task,
            deadline=today + timedelta(days=15),
        )
        ctx.count("督查跟进事项", True)

    special = save_special_inspection(
        actor=office,
        title="千山镇石材加工行业扬尘污染专项督查（示例）",
        area="千山镇",
        field="石材加工扬尘治理",
        scope="千山镇辖区内石材加工企业的扬尘治理设施、物料堆场苫盖和运输道路保洁情况。",
        starts_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=38),
        members="市督改办2人、市生态环境局专家1人、综合行政执法局1人",
        units=[units[ENFORCEMENT], units["千山镇"]],
        findings="2家企业物料堆场苫盖不全，1家企业运输道路未及时洒水保洁。",
        today=today,
    )
    ctx.count("专项督查", True)
    case = PetitionCase.objects.filter(lead_unit=units[ENFORCEMENT]).order_by("pk").first()
    add_follow_up(
        actor=office,
        parent=special,
        description="督促企业完成物料堆场全封闭苫盖，执法部门跟踪复查。",
        case=case,
        unit=None if case is not None else units[ENFORCEMENT],
        deadline=today - timedelta(days=10),
    )
    ctx.count("督查跟进事项", True)

    if not ClueReferral.objects.exists():
        letter = SupervisionLetter.objects.order_by("pk").first()
        target = {"letter": letter} if letter is not None else ({"task": task} if task is not None else None)
        if target is not None:
            referral = refer_clue(
                actor=office,
                **target,
                referred_on=today,
                facts="督办函下发后仍未按期回复、整改无实质进展，相关责任人涉嫌慢作为，移送纪工委。",
            )
            ctx.count("移送问题线索", True)
            record_outcome(
                actor=discipline,
                referral=referral,
                handling_body="千山风景区纪工委",
                outcome="经核实，对责任单位分管负责人进行诫勉谈话，责令限期完成整改。",
                outcome_on=today,
                today=today,
            )
