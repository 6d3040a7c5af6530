"""The state machine: each transition allowed and refused per role, requirements, concurrency."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from cases.domain import transitions as t
from cases.domain.errors import DomainError
from cases.enums import CaseState as S
from cases.enums import CompletionStatus, Finding
from cases.models import CaseTransition, PetitionCase
from tests.factories import CaseFactory

from .helpers import in_state, make_completable

# (verb, from state, roles that may, roles refused)
EDGES = [
    (
        t.start_investigation,
        S.RECEIVED,
        ["staff", "head", "office", "admin"],
        ["staff_b", "acceptor", "leader"],
    ),
    (t.start_rectification, S.INVESTIGATING, ["staff", "office"], ["staff_b", "reviewer", "discipline"]),
    (t.complete_case, S.RECTIFYING, ["staff", "head", "office"], ["staff_b", "acceptor", "leader"]),
    (t.accept_case, S.COMPLETED, ["acceptor", "office"], ["staff", "reviewer", "leader"]),
    (t.review_case, S.ACCEPTED, ["reviewer", "office"], ["staff", "acceptor", "discipline"]),
    (t.start_publicity, S.REVIEWED, ["office", "admin"], ["staff", "reviewer", "leader"]),
    (t.file_case, S.CLOSED, ["office", "admin"], ["staff", "head", "discipline"]),
    (t.resume_rectification, S.REOPENED, ["staff", "office"], ["staff_b", "acceptor"]),
]
TARGET = {
    t.start_investigation: S.INVESTIGATING,
    t.start_rectification: S.RECTIFYING,
    t.complete_case: S.COMPLETED,
    t.accept_case: S.ACCEPTED,
    t.review_case: S.REVIEWED,
    t.start_publicity: S.PUBLICIZED,
    t.file_case: S.FILED,
    t.resume_rectification: S.RECTIFYING,
}


def _case(state, unit, users):
    case = CaseFactory(lead_unit=unit)
    make_completable(case, users["office"])
    return PetitionCase.objects.get(pk=in_state(case, state).pk)


@pytest.mark.django_db
@pytest.mark.parametrize("verb,from_state,allowed,refused", EDGES, ids=[e[0].__name__ for e in EDGES])
def test_transition_allowed_and_refused_per_role(verb, from_state, allowed, refused, users, unit_a):
    for role in allowed:
        case = _case(from_state, unit_a, users)
        moved = verb(case, actor=users[role], reason="测试")
        assert moved.state == TARGET[verb]
        log = CaseTransition.objects.get(case=case)
        assert (log.from_state, log.to_state, log.actor, log.reason) == (
            from_state,
            TARGET[verb],
            users[role],
            "测试",
        )
    for role in refused:
        case = _case(from_state, unit_a, users)
        with pytest.raises(DomainError, match="您无权执行此操作"):
            verb(case, actor=users[role])
        assert PetitionCase.objects.get(pk=case.pk).state == from_state


@pytest.mark.django_db
def test_transition_from_wrong_state_refused(users, unit_a):
    case = _case(S.RECEIVED, unit_a, users)
    with pytest.raises(DomainError, match="当前环节为“已交办”"):
        t.complete_case(case, actor=users["office"])
    with pytest.raises(DomainError, match="不能转为“已验收”"):
        t.transition(case, S.ACCEPTED, actor=users["office"])


@pytest.mark.django_db
def test_rectifying_needs_finding_investigation_and_plan(users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    with pytest.raises(DomainError, match="是否属实"):
        t.start_rectification(case, actor=users["staff"])
    case.finding = Finding.TRUE
    with pytest.raises(DomainError, match="调查核实情况"):
        t.start_rectification(case, actor=users["staff"])
    case.investigation = "属实"
    with pytest.raises(DomainError, match="整改方案"):
        t.start_rectification(case, actor=users["staff"])
    case.plan = "方案"
    case.save()
    assert t.start_rectification(case, actor=users["staff"]).state == S.RECTIFYING


@pytest.mark.django_db
def test_completed_needs_five_conditions_and_evidence(users, unit_a):
    case = CaseFactory(
        lead_unit=unit_a, state=S.RECTIFYING, finding=Finding.TRUE, investigation="x", handling="y"
    )
    with pytest.raises(DomainError, match="尚缺：举报问题全部查清、举报问题全部解决、违法行为依法处罚"):
        t.complete_case(case, actor=users["staff"])
    case.points_investigated = case.points_resolved = case.violations_penalised = True
    case.accountability_done = case.complainant_accepted = True
    with pytest.raises(DomainError, match="办结依据"):
        t.complete_case(case, actor=users["staff"])
    case.completion_evidence = "照片"
    case.save()
    with pytest.raises(DomainError, match="须上传证据材料"):
        t.complete_case(case, actor=users["staff"])
    make_completable(case, users["staff"])
    done = t.complete_case(case, actor=users["staff"])
    assert (done.state, done.completion_status) == (S.COMPLETED, CompletionStatus.DONE)


@pytest.mark.django_db
def test_completed_refused_while_a_true_point_is_unresolved(users, unit_a):
    from cases.domain.evidence import set_points

    case = make_completable(CaseFactory(lead_unit=unit_a, state=S.RECTIFYING), users["staff"])
    set_points(case, [{"content": "噪声", "is_resolved": True}, {"content": "粉尘"}], actor=users["staff"])
    with pytest.raises(DomainError, match="尚有 1 个属实的举报问题要点未解决"):
        t.complete_case(case, actor=users["staff"])


@pytest.mark.django_db
def test_untrue_case_goes_from_investigating_to_completed(users, unit_a):
    case = CaseFactory(lead_unit=unit_a, finding=Finding.UNTRUE, investigation="经核查不属实")
    case.points_investigated = case.complainant_accepted = True
    case.completion_evidence = "核查笔录"
    case.save()
    make_completable(case, users["staff"], finding=Finding.UNTRUE)
    with pytest.raises(DomainError, match="不属实的案件无需整改"):
        t.start_rectification(case, actor=users["staff"])
    assert t.complete_case(case, actor=users["staff"]).state == S.COMPLETED


@pytest.mark.django_db
def test_true_case_cannot_skip_rectification(users, unit_a):
    case = make_completable(CaseFactory(lead_unit=unit_a), users["staff"])
    with pytest.raises(DomainError, match="只有核实为“不属实”的案件"):
        t.complete_case(case, actor=users["staff"])


@pytest.mark.django_db
def test_key_case_needs_leader_and_work_plan(users, unit_a):
    case = CaseFactory(lead_unit=unit_a, state=S.RECEIVED, is_key=True)
    with pytest.raises(DomainError, match="重点件须明确包保主要领导"):
        t.start_investigation(case, actor=users["staff"])
    case.key_leader, case.work_plan = "孙领导", "每周调度"
    case.save()
    assert t.start_investigation(case, actor=users["staff"]).state == S.INVESTIGATING


@pytest.mark.django_db
@pytest.mark.parametrize("days,ok", [(4, False), (5, True)])
def test_close_only_after_publicity_period(days, ok, users, unit_a, settings):
    settings.PUBLICITY_DAYS = 5
    case = _case(S.REVIEWED, unit_a, users)
    case = t.start_publicity(case, actor=users["office"], today=date(2021, 9, 1))
    assert case.publicity_started_on == date(2021, 9, 1)
    today = date(2021, 9, 1) + timedelta(days=days)
    if ok:
        closed = t.close_case(case, actor=users["office"], today=today)
        assert (closed.state, closed.closed_on) == (S.CLOSED, today)
    else:
        with pytest.raises(DomainError, match="公示期（5天）未满"):
            t.close_case(case, actor=users["office"], today=today)


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.COMPLETED, S.ACCEPTED, S.REVIEWED, S.PUBLICIZED, S.CLOSED, S.FILED])
def test_reopen_from_every_state_after_completed(state, users, unit_a):
    case = _case(state, unit_a, users)
    with pytest.raises(DomainError, match="重新整改须说明原因"):
        t.reopen_case(case, actor=users["office"], reason=" ")
    with pytest.raises(DomainError, match="您无权"):
        t.reopen_case(case, actor=users["staff"], reason="反弹")
    reopened = t.reopen_case(case, actor=users["acceptor"], reason="验收不通过")
    assert (reopened.state, reopened.completion_status, reopened.closed_on) == (
        S.REOPENED,
        CompletionStatus.IN_PROGRESS,
        None,
    )


@pytest.mark.django_db
def test_reopen_refused_before_completed(users, unit_a):
    case = _case(S.RECTIFYING, unit_a, users)
    with pytest.raises(DomainError, match="不能执行此操作"):
        t.reopen_case(case, actor=users["office"], reason="x")


@pytest.mark.django_db
def test_concurrent_presses_with_stale_copies_give_one_transition(users, unit_a):
    case = _case(S.RECTIFYING, unit_a, users)
    first, second = PetitionCase.objects.get(pk=case.pk), PetitionCase.objects.get(pk=case.pk)
    t.complete_case(first, actor=users["staff"])
    with pytest.raises(DomainError, match="案件已被他人更新"):
        t.complete_case(second, actor=users["head"])
    assert CaseTransition.objects.filter(case=case).count() == 1
    assert PetitionCase.objects.get(pk=case.pk).version == case.version + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_presses_in_two_threads_give_one_transition_and_one_refusal(users, unit_a):
    case = _case(S.RECTIFYING, unit_a, users)
    copies = [PetitionCase.objects.get(pk=case.pk) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def press(copy, user):
        try:
            barrier.wait()
            t.complete_case(copy, actor=user)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(c, u))
        for c, u in zip(copies, (users["staff"], users["head"]), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "案件已被他人更新，请刷新页面后重试。"]
    assert CaseTransition.objects.filter(case=case, to_state=S.COMPLETED).count() == 1


@pytest.mark.django_db
def test_transition_view_shows_refusal_and_keeps_state(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    client.force_login(users["staff"])
    response = client.post(
        f"/cases/{case.pk}/transition/", {"to_state": "rectifying", "version": case.version}, follow=True
    )
    assert "进入整改前须填写“是否属实”。" in response.content.decode()
    assert PetitionCase.objects.get(pk=case.pk).state == S.INVESTIGATING


@pytest.mark.django_db
def test_case_page_shows_only_buttons_the_user_may_press(client, users, unit_a):
    case = _case(S.COMPLETED, unit_a, users)
    client.force_login(users["staff"])
    assert 'data-target="accepted"' not in client.get(f"/cases/{case.pk}/").content.decode()
    client.force_login(users["office"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    # acceptance happens only through the signed chain, never from a button on the case page
    assert 'data-target="accepted"' not in page and 'data-target="reopened"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "target"), [(S.COMPLETED, S.ACCEPTED), (S.ACCEPTED, S.REVIEWED)])
def test_accept_and_review_refused_outside_the_signed_chain(state, target, client, users, unit_a):
    case = _case(state, unit_a, users)
    with pytest.raises(DomainError, match="签字背书"):
        t.transition(case, target, actor=users["office"], reason="绕过签字")
    client.force_login(users["office"])
    client.post(f"/cases/{case.pk}/transition/", {"to_state": target, "version": case.version})
    assert PetitionCase.objects.get(pk=case.pk).state == state
