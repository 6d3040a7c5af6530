"""The data migration that restores signatures voided by a page view after a rename and re-binds the
old content to user ids (acceptance/migrations/0004_rebind_signatures.py), run on data written the
way the earlier version wrote it."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from acceptance.domain.signing import VALID, content_sha256, verify_signatures
from acceptance.enums import SlotRole
from acceptance.models import OpinionForm, Signature, SignatureSlot
from cases.models import PetitionCase
from tests.factories import PASSWORD

from .conftest import sign_all

# The old shape is written over signatures that the triggers would keep (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rewritable_logs")]

migration = importlib.import_module("acceptance.migrations.0004_rebind_signatures")


def _old_content(form, names):
    """The content as the earlier version signed it: slots named by display name and unit text."""
    facts = (
        PetitionCase.objects.filter(pk=form.step.case_id)
        .values(*migration.OLD_CASE_FACTS_BY_KIND[form.kind])
        .get()
    )
    return {
        "form": form.kind,
        "case": {k: migration._text(v) for k, v in facts.items()},
        "fields": {k: migration._text(getattr(form, k)) for k in migration.FORM_FIELDS},
        "slots": [
            [
                s.role,
                s.user_id,
                names.get(s.user_id, s.user.display_name),
                s.member_unit,
                s.member_post,
                s.member_phone,
            ]
            for s in SignatureSlot.objects.filter(form=form).select_related("user").order_by("order", "id")
        ],
    }


def _make_old(form, *, rename_voided: bool):
    """Rewrite the form's signatures as the earlier version stored them; with ``rename_voided``, as a
    page view voided them after the signers were renamed."""
    SignatureSlot.objects.filter(form=form).update(member_unit="鞍山市住建局（测试）", unit=None)
    old_names = {s.user_id: s.user.display_name + "（旧名）" for s in form.slots.select_related("user")}
    content = _old_content(form, old_names)
    for signature in Signature.objects.filter(slot__form=form):
        fields = {"content": content, "content_sha256": content_sha256(content)}
        if rename_voided:
            fields.update(void=True, void_reason=migration.VIEW_VOID_REASON)
        Signature.objects.filter(pk=signature.pk).update(**fields)


def test_signatures_voided_by_a_view_after_a_rename_are_restored_and_rebound(review_form, users, city):
    sign_all(review_form)
    from acceptance.domain import services

    services.decide_review(review_form.step, actor=users["reviewer"], passed=True, done_on=date(2024, 10, 12))
    opinion = OpinionForm.objects.get(step__case=review_form.step.case, kind="acceptance_opinion")
    _make_old(opinion, rename_voided=True)
    assert Signature.objects.filter(slot__form=opinion, void=True).count() == 2

    migration.forwards(apps, None)

    # Slots got the unit their text names; signatures restored, re-bound, recorded in history.
    assert set(SignatureSlot.objects.filter(form=opinion).values_list("unit", flat=True)) == {
        city["housing"].pk
    }
    check = verify_signatures(opinion)
    assert [c.status for c in check.slots] == [VALID, VALID]
    for c in check.slots:
        signature = c.signature
        assert (signature.void, signature.void_reason, signature.content["v"]) == (False, "", 2)
        # (Run here on the live models, whose saves add history rows of their own without a reason.)
        rows = list(signature.history.exclude(history_change_reason=None).order_by("history_id"))
        assert [r.history_change_reason for r in rows] == [migration.RESTORED[:100], migration.REBOUND[:100]]
        # What was signed stays in the history: the restored row holds the content as signed.
        assert "v" not in rows[0].content and rows[1].content["v"] == 2


def test_a_signature_voided_because_a_fact_changed_stays_void(acceptance_form, users):
    sign_all(acceptance_form)
    from acceptance.domain import services

    services.decide_acceptance(
        acceptance_form.step, actor=users["acceptor"], passed=True, done_on=date(2024, 9, 30)
    )
    _make_old(acceptance_form, rename_voided=True)
    # The fact the signers answered for is no longer the case's.
    PetitionCase.objects.filter(pk=acceptance_form.step.case_id).update(handling="事后改写")
    migration.forwards(apps, None)
    assert set(Signature.objects.filter(slot__form=acceptance_form).values_list("void", flat=True)) == {True}


def test_valid_old_signatures_on_an_open_step_are_voided_with_the_reason(acceptance_form, users):
    leader = acceptance_form.slots.get(role=SlotRole.LEADER)
    from acceptance.domain.signing import sign

    sign(leader, actor=users["acceptor"], password=PASSWORD)
    _make_old(acceptance_form, rename_voided=False)
    migration.forwards(apps, None)
    signature = Signature.objects.get(slot=leader)
    assert (signature.void, signature.void_reason) == (True, migration.OPEN_STEP)
    assert signature.history.latest("history_id").history_change_reason == migration.OPEN_STEP[:100]
    assert not verify_signatures(acceptance_form).frozen  # the form can be completed again
