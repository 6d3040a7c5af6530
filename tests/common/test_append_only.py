"""The admin cannot rewrite the record: append-only models, no revert, no state edits, withdrawals."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse

from acceptance.models import OpinionForm, Signature, SignatureSlot, Step
from cases.enums import CaseState
from cases.models import CaseTransition, PetitionCase
from org.models import User, Withdrawal
from qianshan.common.admin import HistoryAdmin
from rectification.models import RectificationTask, TaskStepRecord
from scoring.models import AssessmentStep, ScoringSheet, UnitAssessment
from supervision.models import Report, SupervisionLetter

# Every model the law wants append-only (issue 15, item 2).
PROTECTED = [
    Signature,
    SignatureSlot,
    OpinionForm,
    Step,
    CaseTransition,
    TaskStepRecord,
    AssessmentStep,
    Report,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        call_command("flush", "--noinput", verbosity=0)


@pytest.fixture
def admin_client(demo):
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


def url(obj, view, *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


def fields_of(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROTECTED, ids=lambda m: m.__name__)
def test_admin_cannot_add_change_or_delete_protected_model(model, admin_client):
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"the demo has no {model.__name__}"
    before = fields_of(obj)
    count = model.objects.count()
    model_admin = admin.site._registry[model]
    request = admin_client.get(url(obj, "change")).wsgi_request
    assert request.user.is_superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, obj)
    assert not model_admin.has_delete_permission(request, obj)

    page = admin_client.get(url(obj, "change"))
    assert page.status_code == 200  # shown …
    assert 'name="_save"' not in page.content.decode()  # … read-only
    # A forged POST changes nothing: every field posted with another value.
    forged = {k: "x" for k in before}
    assert admin_client.post(url(obj, "change"), forged).status_code == 403
    assert admin_client.post(url(obj, "delete"), {"post": "yes"}).status_code == 403
    changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    bulk = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    obj.refresh_from_db()
    assert fields_of(obj) == before
    assert model.objects.count() == count


@pytest.mark.django_db
def test_signature_slots_cannot_be_edited_through_the_form_inline(admin_client):
    form = OpinionForm.objects.filter(slots__signatures__isnull=False).first()
    inline = admin.site._registry[OpinionForm].get_inline_instances(admin_client.get("/").wsgi_request, form)
    for instance in inline:
        assert not instance.has_add_permission(None, form)
        assert not instance.has_change_permission(None, form)
        assert not instance.has_delete_permission(None, form)


@pytest.mark.django_db
def test_every_history_admin_has_revert_removed():
    history_admins = [a for a in admin.site._registry.values() if hasattr(a, "history_form_view")]
    assert len(history_admins) > 15
    assert [type(a).__name__ for a in history_admins if not isinstance(a, HistoryAdmin)] == []
    assert all(a.revert_disabled(None) for a in history_admins)


@pytest.mark.django_db
def test_reverting_a_case_through_history_is_refused(admin_client):
    case = PetitionCase.objects.filter(state=CaseState.FILED).order_by("pk").first()
    # an older version in another state, as a reopened case would have
    PetitionCase.objects.filter(pk=case.pk).update(state=CaseState.ACCEPTED)
    case.refresh_from_db()
    case.save()
    oldest = case.history.latest()
    PetitionCase.objects.filter(pk=case.pk).update(state=CaseState.FILED)
    case.refresh_from_db()
    assert oldest.state != case.state
    revert = url(case, "simple_history", oldest.history_id)
    page = admin_client.get(revert)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.post(revert, {"receipt_no": case.receipt_no}).status_code == 403
    state, transitions = case.state, case.transitions.count()
    case.refresh_from_db()
    assert (case.state, case.transitions.count()) == (state, transitions)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field"), [(PetitionCase, "state"), (RectificationTask, "status")])
def test_admin_form_cannot_change_state(model, field, admin_client):
    obj = model.objects.order_by("pk").first()
    request = admin_client.get(url(obj, "change")).wsgi_request
    form_class = admin.site._registry[model].get_form(request, obj)
    assert field not in form_class.base_fields
    assert not admin.site._registry[model].has_delete_permission(request, obj)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ScoringSheet, UnitAssessment, SupervisionLetter], ids=lambda m: m.__name__)
def test_sheets_assessments_letters_are_withdrawn_with_a_reason_not_deleted(model, admin_client):
    if model is UnitAssessment:
        obj = model.objects.filter(steps__isnull=True).order_by("pk").first() or model.objects.create(
            unit=ScoringSheet.objects.first().locality, year=2001
        )
    else:
        obj = model.objects.order_by("pk").first()
    changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    request = admin_client.get(changelist).wsgi_request
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(request, obj)
    assert "delete_selected" not in model_admin.get_actions(request)
    action = {"action": "withdraw_reason_action", "_selected_action": [obj.pk]}

    asked = admin_client.post(changelist, action)
    assert asked.status_code == 200 and "撤回理由" in asked.content.decode()
    empty = admin_client.post(changelist, {**action, "confirm_withdrawal": "1", "reason": ""})
    assert empty.status_code == 200 and model.objects.filter(pk=obj.pk).exists()

    done = admin_client.post(
        changelist, {**action, "confirm_withdrawal": "1", "reason": "重复录入，以另一份为准"}
    )
    assert done.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()
    withdrawal = Withdrawal.objects.get(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    assert (withdrawal.reason, withdrawal.actor.username) == ("重复录入，以另一份为准", "admin")
    assert withdrawal.snapshot["id"] == obj.pk
    assert obj.history.latest().history_change_reason == "撤回：重复录入，以另一份为准"


@pytest.mark.django_db
def test_an_assessment_with_workflow_steps_is_not_withdrawn(admin_client):
    assessment = UnitAssessment.objects.filter(steps__isnull=False).first()
    changelist = reverse("admin:scoring_unitassessment_changelist")
    admin_client.post(
        changelist,
        {
            "action": "withdraw_reason_action",
            "_selected_action": [assessment.pk],
            "confirm_withdrawal": "1",
            "reason": "试图撤回",
        },
    )
    assert UnitAssessment.objects.filter(pk=assessment.pk).exists()
    assert not Withdrawal.objects.filter(reason="试图撤回").exists()


@pytest.mark.django_db
def test_case_transitions_keep_history(demo):
    transition = CaseTransition.objects.first()
    assert transition.history.count() == 1  # the demo's creation, recorded like every other change


def refused_by_database(write) -> bool:
    """True when the database refuses the write; an allowed write is rolled back either way."""
    try:
        with transaction.atomic():
            write()
            raise _Rollback
    except DatabaseError:
        return True
    except _Rollback:
        return False


class _Rollback(Exception):
    pass


@pytest.mark.django_db
def test_database_refuses_to_rewrite_logs_on_postgresql(demo):
    """PostgreSQL's triggers refuse; on SQLite (the local demo) the admin and domain are the only guard."""
    refused = []
    for model in (CaseTransition, TaskStepRecord, AssessmentStep):
        rows = model.objects.filter(pk=model.objects.first().pk)
        refused.append(refused_by_database(lambda rows=rows: rows.update(at=rows[0].at)))
        refused.append(refused_by_database(rows.delete))
    signatures = Signature.objects.filter(pk=Signature.objects.filter(void=False).first().pk)
    refused.append(refused_by_database(signatures.delete))
    refused.append(refused_by_database(lambda: signatures.update(signer=User.objects.get(username="admin"))))
    voided = lambda: signatures.update(void=True, void_reason="测试", voided_at=signatures[0].signed_at)  # noqa: E731
    refused.append(refused_by_database(voided))
    on_postgresql = connection.vendor == "postgresql"
    assert refused == [on_postgresql] * 8 + [False]
