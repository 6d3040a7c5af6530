"""Demo supervision records (示例数据): a warning sweep, one letter, a talk, and the reports of
the current day, previous week and month (each unit's sections; the monthly one delivered to
市委、市政府、市督改办 with its PDF).

The sweep and the reports depend on the day they run, so the demo is pinned to the day it was
first seeded: once any report or warning exists, the demo's records are there (they are all made
in one transaction) and a later run — the same day or any other — creates, updates and resolves
nothing."""

from django.utils import timezone

from .domain.delivery import STANDARD_RECIPIENTS, record_delivery
from .domain.escalation import issue_letter, record_talk
from .domain.reports import build_report
from .domain.warnings import sweep_warnings
from .enums import ReportKind, WarningLevel
from .models import AdmonitionTalk, EarlyWarning, Report, SupervisionLetter


def seed(ctx) -> None:
    if Report.objects.exists() or EarlyWarning.objects.exists():
        return  # seeded on an earlier run: its day's sweep and reports stand as they are
    today = timezone.localdate()
    raised = sweep_warnings(today=today)
    for _ in raised:
        ctx.count("预警", True)
    office = ctx.users.get("office")
    red = EarlyWarning.objects.filter(level=WarningLevel.RED).order_by("pk").first()
    if office is not None and red is not None and not SupervisionLetter.objects.exists():
        letter = issue_letter(
            actor=office,
            warning=red,
            requirements="请你单位高度重视，分析滞后原因，倒排工期，并于回复时限前书面报送整改进展。",
            today=today,
        )
        ctx.count("督办函", True)
        # scoring's demo adds a unit-level talk (no letter) first: look only for the letter's talk
        if not AdmonitionTalk.objects.filter(letter__isnull=False).exists():
            record_talk(
                actor=office,
                letter=letter,
                held_on=today,  # held the day the letter went out: nothing dated after the seed day
                is_public=False,
                interviewees=f"{letter.unit.name}主要负责人",
                interviewers="协调组办公室主任",
                summary="通报整改滞后情况，要求十日内拿出整改方案并明确完成时限。",
            )
            ctx.count("约谈", True)
    for kind in (ReportKind.DAILY, ReportKind.WEEKLY, ReportKind.MONTHLY):
        report, made = build_report(kind, day=today)
        ctx.count("调度报告", made)
        if kind == ReportKind.MONTHLY and office is not None and not report.deliveries.exists():
            # 报送: the monthly report sent to 市委、市政府、市督改办 the day it was built, its PDF kept
            record_delivery(
                report,
                actor=office,
                recipients=list(STANDARD_RECIPIENTS),
                delivered_on=today,
                method="机要交换",
                note="【示例】月度整改情况报告。",
                today=today,
            )
            ctx.count("报送记录", True)
