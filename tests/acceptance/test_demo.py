"""The demo's sign-off: every passed form complete and signed by signers of fitting units, one pending
opinion incomplete (the refusal can be seen), one review letter waiting for the 司法局 signer."""

import io

import pytest
from django.core.management import call_command

from acceptance.domain import rules
from acceptance.domain.services import unsigned_items
from acceptance.domain.signing import verify_signatures
from acceptance.enums import StepOutcome
from acceptance.models import OpinionForm


@pytest.mark.django_db
def test_demo_forms_are_complete_signed_by_fitting_signers_and_show_each_waiting_state():
    call_command("seed_demo", stdout=io.StringIO())
    forms = OpinionForm.objects.select_related("step__case")
    passed = [f for f in forms if f.step.outcome == StepOutcome.PASSED]
    assert len(passed) == 17  # 8 closed chains × 2 forms, and the accepted case's opinion
    for form in passed:
        assert rules.missing_for_signing(form) == [], form
        assert unsigned_items(form) == [], form
        assert verify_signatures(form).all_valid, form

    incomplete = forms.get(step__case__receipt_no="SJDC2020-0917")
    missing = rules.missing_for_signing(incomplete)
    assert "日期" in missing and "整改情况验收意见" in missing

    letter = forms.get(step__case__receipt_no="D2LN202107200047", kind="review_letter")
    assert rules.missing_for_signing(letter) == []
    assert unsigned_items(letter) == [
        "行政处罚情况复核意见冯司法（未签字）",
        "行政处罚情况复核意见：司法局尚未签字背书",
    ]

    waiting = forms.get(step__case__receipt_no="D2LN202107160012")
    assert rules.missing_for_signing(waiting) == []
    assert [c.status for c in verify_signatures(waiting).slots] == ["unsigned", "valid"]
