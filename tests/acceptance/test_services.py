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
    # 附件2 三1: unit A belongs to a locality; its 党委政府 receives the application and organises.
    assert (step.receiving_body, step.organiser.name) == (
        "千山风景区（测试）党委、政府",
        "千山风景区（测试）",
    )


def test_apply_for_acceptance_of_a_city_departments_case_goes_to_its_party_group(users, city):
    from tests.factories import CaseFactory

    case = CaseFactory(lead_unit=city["housing"], state=CaseState.COMPLETED)
    step = services.apply_for_acceptance(case, actor=users["office"], applied_on=APPLIED)
    assert (step.receiving_body, step.organiser) == ("鞍山市住建局（测试）党组", city["housing"])


def test_apply_for_acceptance_without_a_receiving_body_is_refused_with_the_rule(users):
    from tests.factories import CaseFactory, UnitFactory

    case = CaseFactory(lead_unit=UnitFactory(name="无类别单位"), state=CaseState.COMPLETED)
    with pytest.raises(DomainError, match="市直部门向本部门党组申请验收（附件2 三1）"):
        services.apply_for_acceptance(case, actor=users["office"], applied_on=APPLIED)
    assert Step.objects.count() == 0


def test_supervising_unit_must_be_a_city_industry_department(completed_case, users, city):
    with pytest.raises(DomainError, match="督导责任单位须为市级行业主管部门"):
        services.apply_for_acceptance(
            completed_case,
            actor=users["office"],
            applied_on=APPLIED,
            supervising_unit=city["county_industry"],
        )


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
    with pytest.raises(DomainError, match="须选定所在单位"):
        services.assign_signer(
            acceptance_form, actor=users["office"], user=users["acceptor"], role=SlotRole.MEMBER
        )


def test_update_form_by_unassigned_user_is_refused(acceptance_form, users):
    with pytest.raises(DomainError, match="无权修改此表单"):
        services.update_form(acceptance_form, actor=users["staff"], values={"opinion_penalty": "x"})


@pytest.mark.parametrize("passed", [True, False])
def test_decide_acceptance_unsigned_is_refused(acceptance_form, users, passed):
    with pytest.raises(DomainError, match="签字未齐，不能记录结论") as refused:
        services.decide_acceptance(acceptance_form.step, actor=users["acceptor"], passed=passed, reasons="x")
    assert f"组长{users['acceptor'].display_name}（未签字）" in refused.value.message
    acceptance_form.step.refresh_from_db()
    assert acceptance_form.step.outcome == StepOutcome.PENDING


def test_decide_acceptance_without_industry_member_is_refused(completed_case, users, city):
    from .conftest import fill_acceptance, member

    step = services.apply_for_acceptance(completed_case, actor=users["office"], applied_on=APPLIED)
    member(step.form, users["office"], users["acceptor"], SlotRole.LEADER, city["locality"])
    fill_acceptance(step.form, users["office"])
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
    sign_all(acceptance_form)
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
    sign_all(acceptance_form)
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


def test_review_of_partly_true_case_needs_the_focused_finding_review(letter_unfilled, users):
    """附件2 二（三）5: for a 部分属实 case both 生态环境局 and a 行业主管部门 sign the finding."""
    from .conftest import fill_review

    case = letter_unfilled.step.case
    update_case(case, actor=users["office"], values={"finding": Finding.PARTLY_TRUE})
    letter_unfilled.slots.filter(role=SlotRole.FINDING, unit__name__contains="住建").delete()
    fill_review(letter_unfilled, users["office"])
    with pytest.raises(DomainError, match="案件定性情况复核意见：尚缺行业主管部门的签字人"):
        sign_all(letter_unfilled)


def test_review_refused_while_acceptance_signatures_are_void(review_form, users):
    update_case(review_form.step.case, actor=users["office"], values={"handling": "补充说明"})
    sign_all(review_form)
    with pytest.raises(DomainError, match="验收意见的签字已失效"):
        services.decide_review(review_form.step, actor=users["reviewer"], passed=True)


def test_failed_review_reopens_case_and_next_round_starts_at_acceptance(review_form, users):
    sign_all(review_form)
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
    sign_all(acceptance_form)
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
