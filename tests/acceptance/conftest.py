from datetime import date

import pytest

from acceptance.domain import services
from acceptance.domain.signing import sign
from acceptance.enums import SlotRole
from cases.enums import CaseState, Finding
from org.enums import Role
from tests.factories import PASSWORD, CaseFactory, user_with_role

APPLIED = date(2024, 9, 27)


@pytest.fixture
def completed_case(users, unit_a):
    return CaseFactory(
        lead_unit=unit_a,
        state=CaseState.COMPLETED,
        receipt_no="D2LN202107160012",
        finding=Finding.TRUE,
        handling="已责令整改并立案处罚",
        accountability="无",
        points_investigated=True,
        points_resolved=True,
        violations_penalised=True,
        accountability_done=True,
        complainant_accepted=True,
        completion_evidence="现场照片",
    )


@pytest.fixture
def industry_member(db):
    return user_with_role(Role.ACCEPTANCE_MEMBER, username="industry_u", full_name="吴验收")


@pytest.fixture
def acceptance_form(completed_case, users, industry_member):
    """An acceptance step applied on APPLIED with a leader (acceptor) and an industry member."""
    step = services.apply_for_acceptance(completed_case, actor=users["staff"], applied_on=APPLIED)
    form = step.form
    services.assign_signer(form, actor=users["office"], user=users["acceptor"], role=SlotRole.LEADER)
    services.assign_signer(form, actor=users["office"], user=industry_member, role=SlotRole.INDUSTRY_MEMBER)
    services.update_form(form, actor=users["office"], values={"opinion_rectification": "整改到位"})
    return form


def sign_all(form):
    for slot in form.slots.select_related("user"):
        sign(slot, actor=slot.user, password=PASSWORD)


@pytest.fixture
def review_form(acceptance_form, users):
    """The acceptance passed, the review applied; the letter has a leader and five opinion signers."""
    sign_all(acceptance_form)
    step = services.decide_acceptance(
        acceptance_form.step, actor=users["acceptor"], passed=True, done_on=date(2024, 9, 30)
    )
    application = step.case.acceptance_steps.get(kind="review_application")
    review = services.apply_for_review(application, actor=users["staff"], applied_on=date(2024, 10, 8))
    form = review.form
    for role in (
        SlotRole.LEADER,
        SlotRole.RECTIFICATION,
        SlotRole.PENALTY,
        SlotRole.SATISFACTION,
        SlotRole.ACCOUNTABILITY,
    ):
        services.assign_signer(form, actor=users["office"], user=users["reviewer"], role=role)
    return form
