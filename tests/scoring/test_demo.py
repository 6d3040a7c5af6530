"""The scoring demo: sheets in both versions for 2018, one overridden unit last, a 2026 draft."""

import pytest
from django.core.management import call_command

from scoring.domain.queries import year_results
from scoring.enums import SheetStatus, SheetVersion
from scoring.models import ScoringSheet


@pytest.mark.django_db
def test_seed_demo_scores_the_look_back_year(users):
    # --force: the test users are not demo users, and seed_demo refuses a database with real users
    call_command("seed_demo", "--force", verbosity=0)
    assert ScoringSheet.objects.filter(year=2018, version=SheetVersion.SELF).count() == 18
    assert (
        ScoringSheet.objects.filter(
            year=2018, version=SheetVersion.REVIEW, status=SheetStatus.SUBMITTED
        ).count()
        == 18
    )
    results = year_results(users["office"], 2018)
    assert results[-1].unit.name == "千山风景区自然资源分局"
    assert results[-1].verdict == "不合格"
    assert [r.rank for r in results] == sorted(r.rank for r in results)
    draft = ScoringSheet.objects.get(case__receipt_no="D2LN202107160012")
    assert draft.status == SheetStatus.DRAFT
    assert draft.provenance["territorial[0].case_leader"] == "案件记录：包案领导 示例包案领导（分管领导）"


@pytest.mark.django_db
def test_seed_demo_has_the_fail_unit_its_talk_referral_and_calendar(users):
    from datetime import timedelta

    from django.utils import timezone

    from scoring.enums import ReferralOutcome
    from scoring.models import AccountabilityReferral, AssessmentDate, AssessmentEvent
    from supervision.models import AdmonitionTalk

    call_command("seed_demo", "--force", verbosity=0)
    [event] = AssessmentEvent.objects.filter(year=2018)
    assert event.unit.name == "千山风景区自然资源分局" and event.kind == "criticised"
    [talk] = AdmonitionTalk.objects.filter(unit=event.unit, assessment_year=2018)
    assert talk.task_id is None and talk.case_id is None
    assert talk.rectify_deadline == timezone.localdate() + timedelta(days=20) and talk.rectified_on is None
    [referral] = AccountabilityReferral.objects.filter(unit=event.unit)
    assert referral.outcome == ReferralOutcome.HELD and referral.outcome_detail
    assert AssessmentDate.objects.filter(year=2018).count() == 5
    results = year_results(users["office"], 2018)
    assert results[-1].unit == event.unit and results[-1].forced
