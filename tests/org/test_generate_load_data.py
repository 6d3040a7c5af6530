"""manage.py generate_load_data: writes what it says, looks like real data, refuses real databases."""

from datetime import date
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from cases.enums import FINISHED_STATES, CaseState
from cases.models import Attachment, CaseTransition, InvestigationPoint, PetitionCase, ProgressEntry
from org.load_data import generate, real_data_counts
from org.models import User
from rectification.models import Measure, Milestone, RectificationTask
from scoring.domain.queries import sheet_result
from scoring.models import ScoringSheet
from supervision.models import EarlyWarning, SupervisionLetter
from tests.factories import CaseFactory

TODAY = date(2026, 6, 15)


@pytest.mark.django_db
def test_generate_load_data_writes_the_counts_it_reports(capsys):
    call_command("generate_load_data", cases=300, tasks=12, seed=7)
    out = capsys.readouterr().out
    assert "信访案件 300" in out and "整改任务 12" in out
    cases = PetitionCase.objects.filter(inspection__code__startswith="GEN-")
    assert cases.count() == 300
    assert RectificationTask.objects.filter(inspection__code__startswith="GEN-").count() == 12
    assert f"状态流转 {CaseTransition.objects.count()}" in out
    assert f"办理进展 {ProgressEntry.objects.count()}" in out
    assert f"证据材料 {Attachment.objects.count()}" in out
    assert f"评分表 {ScoringSheet.objects.count()}" in out
    # One creation history row per case, with who and why.
    history = PetitionCase.history.filter(history_type="+")
    assert history.count() == 300
    assert not history.filter(history_user__isnull=True).exists()
    # A second run adds to the same inspections; receipt numbers stay unique.
    call_command("generate_load_data", cases=50, tasks=0, seed=8)
    assert cases.count() == 350
    assert cases.values("inspection", "receipt_no").distinct().count() == 350


@pytest.mark.django_db
def test_generate_load_data_spreads_states_units_and_deadlines_like_real_data():
    generate(cases=1000, tasks=40, seed=3, today=TODAY)
    cases = PetitionCase.objects.all()
    by_state = dict(cases.values_list("state").annotate(n=Count("id")))
    assert set(by_state) == set(CaseState.values)  # every state occurs
    finished = sum(n for s, n in by_state.items() if s in FINISHED_STATES)
    assert 0.7 < finished / 1000 < 0.9  # most cases of a year-old campaign are finished
    open_cases = cases.exclude(state__in=sorted(FINISHED_STATES)).exclude(state=CaseState.RECEIVED)
    assert open_cases.filter(deadline__lt=TODAY).exists()  # some open cases are overdue
    assert open_cases.filter(deadline__gt=TODAY).exists()
    assert cases.values("lead_unit").distinct().count() > 30
    assert len({d.month for d in cases.exclude(deadline=None).values_list("deadline", flat=True)}) == 12
    # The 131 loop holds past 已交办: unit, person, standard and deadline.
    past = cases.exclude(state=CaseState.RECEIVED)
    assert not past.filter(lead_unit=None).exists() and not past.filter(handler="").exists()
    assert not past.filter(deadline=None).exists() and not past.filter(standard="").exists()
    # Realistic Chinese texts, no placeholders.
    complaint = cases.first().complaint
    assert complaint.startswith("群众反映") and "【示例】" not in complaint
    # Finished cases carry a completion transition dated no later than today, and evidence.
    done = cases.filter(state=CaseState.COMPLETED).first()
    into_completed = done.transitions.get(to_state=CaseState.COMPLETED)
    assert into_completed.at.date() <= TODAY
    assert done.attachments.count() == 2
    assert InvestigationPoint.objects.filter(case=done).exists()
    # Tasks have measures with milestones.
    assert Measure.objects.count() >= 80 and Milestone.objects.count() >= 80
    # Scoring sheets: submitted, last year's deadlines, the stored score equals the rules' score.
    sheets = ScoringSheet.objects.all()
    assert sheets.exists()
    assert set(sheets.values_list("year", flat=True)) == {TODAY.year - 1}
    for sheet in sheets[:20]:
        assert sheet.total == sheet_result(sheet.data).total
        assert sheet.case.deadline.year == TODAY.year - 1
        assert sheet.total > Fraction(0)
    # The sweep's warnings on open overdue cases, some escalated to a letter.
    assert EarlyWarning.objects.filter(level="red").exists()
    assert SupervisionLetter.objects.count() == EarlyWarning.objects.filter(state="escalated").count() > 0
    # Unit staff who can sign in (one per unit) and an office user.
    assert User.objects.filter(username="gen_office", role_assignments__role="office").exists()
    assert User.objects.filter(username__startswith="gen_staff").count() > 50


@pytest.mark.django_db
def test_generate_load_data_refuses_a_database_with_real_data():
    CaseFactory(complaint="真实的群众举报")
    assert real_data_counts()["信访案件"] == 1
    with pytest.raises(CommandError, match="已有真实数据（信访案件 1 条）"):
        call_command("generate_load_data", cases=10)
    assert PetitionCase.objects.count() == 1  # nothing written
    call_command("generate_load_data", cases=10, tasks=0, force=True)
    assert PetitionCase.objects.count() == 11


@pytest.mark.django_db
def test_generate_load_data_accepts_the_demo_data():
    call_command("seed_demo")
    demo = PetitionCase.objects.count()
    call_command("generate_load_data", cases=20, tasks=2)
    assert PetitionCase.objects.count() == demo + 20


@pytest.mark.django_db
def test_generate_load_data_refuses_bad_sizes():
    with pytest.raises(CommandError, match="--cases"):
        call_command("generate_load_data", cases=-1)
