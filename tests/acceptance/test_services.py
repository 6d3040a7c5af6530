from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from acceptance.domain import services
from acceptance.enums import SlotRole, StepKind, StepOutcome
from acceptance.models import Step
from cases.domain.errors import DomainError
from cases.domain.services import update_case
from cases.domain.transitions import close_case
from cases.enums import CaseState, Finding
from cases.models import CaseTransition
from notifications.models import Notification

from .conftest import APPLIED, sign_all

pytestmark = pytest.mark.django_db


def test_apply_for_acceptance_by_case_unit_opens_step_and_form(completed_case, users):
    step = services.apply_for_acceptance(completed_case, actor=users["staff"], applied_on=APPLIED)
    assert (step.kind, step.round, step.starts_on, step.outcome) == (
        StepKind.ACCEPTANCE,
        1,
        APPLIED,
        StepOutcome.PENDING,
    )
    assert step.form.unit_name == "甲单位"


@pytest.mark.parametrize("who", ["staff_b", "acceptor", "reviewer", "discipline", "leader"])
def test_apply_for_acceptance_by_others_is_refused(completed_case, users, who):
    with pytest.raises(DomainError, match="只有案件承办单位或协调组办公室可以申请"):
        services.apply_for_acceptance(completed_case, actor=users[who])
    assert Step.objects.count() == 0


def test_apply_for_acceptance_of_unfinished_case_is_refused(completed_case, users):
    completed_case.state = CaseState.RECTIFYING
    with pytest.raises(DomainError, match="办结后才能申请验收"):
        services.apply_for_acceptance(completed_case, actor=users["office"])


def test_apply_for_acceptance_twice_is_refused(acceptance_form, users, completed_case):
    with pytest.raises(DomainError, match="已有办理中的验收复核环节"):
        services.apply_for_acceptance(completed_case, actor=users["office"])


def test_assign_signer_only_by_office_and_only_members(acceptance_form, users):
    with pytest.raises(DomainError, match="只有协调组办公室可以指定签字人"):
        services.assign_signer(
            acceptance_form, actor=users["acceptor"], user=users["acceptor"], role=SlotRole.MEMBER
        )
    with pytest.raises(DomainError, match="不是验收组成员"):
        services.assign_signer(
            acceptance_form, actor=users["office"], user=users["reviewer"], role=SlotRole.MEMBER
        )


def test_update_form_by_unassigned_user_is_refused(acceptance_form, users):
    with pytest.raises(DomainError, match="无权修改此表单"):
        services.update_form(acceptance_form, actor=users["staff"], values={"opinion_penalty": "x"})


def test_decide_acceptance_unsigned_is_refused(acceptance_form, users):
    with pytest.raises(DomainError, match="尚有签字未完成或已失效"):
        services.decide_acceptance(acceptance_form.step, actor=users["acceptor"], passed=True)


def test_decide_acceptance_without_industry_member_is_refused(completed_case, users):
    step = services.apply_for_acceptance(completed_case, actor=users["office"], applied_on=APPLIED)
    services.assign_signer(step.form, actor=users["office"], user=users["acceptor"], role=SlotRole.LEADER)
    sign_all(step.form)
    with pytest.raises(DomainError, match="市级行业主管部门成员"):
        services.decide_acceptance(step, actor=users["acceptor"], passed=True)


@pytest.mark.parametrize("who", ["reviewer", "staff", "discipline"])
def test_decide_acceptance_by_non_member_is_refused(acceptance_form, users, who):
    sign_all(acceptance_form)
    with pytest.raises(DomainError, match="无权操作"):
        services.decide_acceptance(acceptance_form.step, actor=users[who], passed=True)


def test_decide_acceptance_passed_accepts_case_and_opens_review_application(acceptance_form, users):
    sign_all(acceptance_form)
    step = services.decide_acceptance(
        acceptance_form.step, actor=users["acceptor"], passed=True, done_on=date(2024, 9, 30)
    )
    step.case.refresh_from_db()
    assert step.case.state == CaseState.ACCEPTED
    nxt = Step.objects.get(case=step.case, kind=StepKind.REVIEW_APPLICATION)
    assert (nxt.starts_on, nxt.outcome) == (date(2024, 9, 30), StepOutcome.PENDING)


def test_decide_acceptance_twice_is_refused(acceptance_form, users):
    sign_all(acceptance_form)
    services.decide_acceptance(acceptance_form.step, actor=users["acceptor"], passed=True)
    with pytest.raises(DomainError):
        services.decide_acceptance(acceptance_form.step, actor=users["office"], passed=True)


def test_failed_acceptance_reopens_case_with_reasons_for_handlers(acceptance_form, users):
    step = services.decide_acceptance(
        acceptance_form.step, actor=users["acceptor"], passed=False, reasons="扬尘仍在"
    )
    step.case.refresh_from_db()
    assert step.case.state == CaseState.REOPENED
    assert step.outcome == StepOutcome.FAILED and step.reasons == "扬尘仍在"
    assert CaseTransition.objects.filter(case=step.case).last().reason == "验收未通过：扬尘仍在"
    note = Notification.objects.get(recipient=users["staff"], kind="case_reopened")
    assert note.body == "扬尘仍在"


def test_failed_acceptance_without_reasons_is_refused(acceptance_form, users):
    with pytest.raises(DomainError, match="未通过须填写原因"):
        services.decide_acceptance(acceptance_form.step, actor=users["acceptor"], passed=False, reasons=" ")


def test_apply_for_review_by_other_unit_is_refused(acceptance_form, users):
    sign_all(acceptance_form)
    services.decide_acceptance(acceptance_form.step, actor=users["acceptor"], passed=True)
    application = Step.objects.get(kind=StepKind.REVIEW_APPLICATION)
    with pytest.raises(DomainError, match="只有案件承办单位或协调组办公室可以申请"):
        services.apply_for_review(application, actor=users["staff_b"])


def test_review_passed_moves_case_to_publicity(review_form, users):
    sign_all(review_form)
    services.decide_review(review_form.step, actor=users["reviewer"], passed=True, done_on=date(2024, 10, 12))
    case = review_form.step.case
    case.refresh_from_db()
    assert case.state == CaseState.PUBLICIZED
    assert list(CaseTransition.objects.filter(case=case).values_list("to_state", flat=True)) == [
        CaseState.ACCEPTED,
        CaseState.REVIEWED,
        CaseState.PUBLICIZED,
    ]


def test_review_by_acceptance_member_is_refused(review_form, users):
    sign_all(review_form)
    with pytest.raises(DomainError, match="无权操作"):
        services.decide_review(review_form.step, actor=users["acceptor"], passed=True)


def test_review_of_partly_true_case_needs_finding_review(review_form, users):
    case = review_form.step.case
    # The finding changes after acceptance: the acceptance signatures are void too.
    update_case(case, actor=users["office"], values={"finding": Finding.PARTLY_TRUE})
    sign_all(review_form)
    with pytest.raises(DomainError, match="须对案件定性进行重点复核"):
        services.decide_review(review_form.step, actor=users["reviewer"], passed=True)


def test_review_refused_while_acceptance_signatures_are_void(review_form, users):
    update_case(review_form.step.case, actor=users["office"], values={"handling": "补充说明"})
    sign_all(review_form)
    with pytest.raises(DomainError, match="验收意见的签字已失效"):
        services.decide_review(review_form.step, actor=users["reviewer"], passed=True)


def test_failed_review_reopens_case_and_next_round_starts_at_acceptance(review_form, users):
    services.decide_review(review_form.step, actor=users["reviewer"], passed=False, reasons="处罚未执行")
    case = review_form.step.case
    case.refresh_from_db()
    assert case.state == CaseState.REOPENED


def test_close_out_refused_once_a_signed_form_is_void(review_form, users):
    sign_all(review_form)
    services.decide_review(review_form.step, actor=users["reviewer"], passed=True, done_on=date(2024, 10, 12))
    case = review_form.step.case
    case.refresh_from_db()
    update_case(case, actor=users["office"], values={"handling": "事后改写的整改情况"})
    case.refresh_from_db()
    with pytest.raises(DomainError, match="签字已因案件事实变更而失效"):
        close_case(case, actor=users["office"], today=case.publicity_started_on + timedelta(days=30))
    case.refresh_from_db()
    assert case.state == CaseState.PUBLICIZED


def test_close_out_allowed_while_signatures_hold(review_form, users):
    sign_all(review_form)
    services.decide_review(review_form.step, actor=users["reviewer"], passed=True, done_on=date(2024, 10, 12))
    case = review_form.step.case
    case.refresh_from_db()
    started = case.publicity_started_on
    closed = close_case(case, actor=users["office"], today=started + timedelta(days=30))
    assert closed.state == CaseState.CLOSED


def test_step_outcome_is_in_history_with_who_and_when(acceptance_form, users):
    sign_all(acceptance_form)
    with time_machine.travel("2024-09-30 16:40:00+08:00", tick=False):
        step = services.decide_acceptance(
            acceptance_form.step, actor=users["acceptor"], passed=True, done_on=date(2024, 9, 30)
        )
    rows = list(step.history.order_by("history_id").values_list("outcome", "done_on", "history_type"))
    assert rows == [("pending", None, "+"), ("passed", date(2024, 9, 30), "~")]
    last = step.history.latest("history_id")
    assert last.history_user == users["acceptor"]
    assert last.history_change_reason == "组织验收：通过"
    assert timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M") == "2024-09-30 16:40"


def test_failed_step_is_in_history_with_reasons_and_who(acceptance_form, users):
    step = services.decide_acceptance(
        acceptance_form.step,
        actor=users["office"],
        passed=False,
        reasons="噪声仍超标",
        done_on=date(2024, 10, 1),
    )
    last = step.history.latest("history_id")
    assert (last.outcome, last.reasons, last.history_user) == ("failed", "噪声仍超标", users["office"])
    assert last.history_change_reason == "组织验收：未通过"
