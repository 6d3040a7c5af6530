"""The acceptance chain's fixtures: units tagged with their kinds, members of fitting units, complete
forms (and the helpers that fill them), so each test starts from a form that may be signed."""

from datetime import date

import pytest

from acceptance.domain import rules, services
from acceptance.domain.signing import sign
from acceptance.enums import SlotRole
from cases.enums import AcceptanceCategory, CaseState, Finding
from org.domain.units import unit_tags
from org.enums import Role, UnitKind
from org.enums import UnitTagCode as T
from org.models import Unit
from tests.factories import PASSWORD, CaseFactory, UnitFactory, user_with_role

APPLIED = date(2024, 9, 27)
FILLED_ON = date(2024, 9, 29)
REVIEWED_ON = date(2024, 10, 9)


def tagged_unit(name, *codes, kind=UnitKind.DEPARTMENT, parent=None) -> Unit:
    unit = Unit.objects.create(name=name, kind=kind, parent=parent)
    unit.tags.set(unit_tags(codes))
    return unit


@pytest.fixture
def locality(db):
    """The locality units A and B belong to: its 党委政府 receives their applications (附件2 三1)."""
    return tagged_unit("千山风景区（测试）", T.PARTY_GOVERNMENT, kind=UnitKind.REGION)


@pytest.fixture
def unit_a(locality):
    return UnitFactory(name="甲单位", parent=locality)


@pytest.fixture
def unit_b(locality):
    return UnitFactory(name="乙单位", parent=locality)


@pytest.fixture
def city(db, locality):
    """The city units of 附件2 二（二） and the locality (its 党委政府)."""
    return {
        "locality": locality,
        "ecology": tagged_unit("鞍山市生态环境局（测试）", T.ECOLOGY, T.CITY_DEPARTMENT),
        "housing": tagged_unit("鞍山市住建局（测试）", T.INDUSTRY, T.CITY_DEPARTMENT),
        "water": tagged_unit("鞍山市水利局（测试）", T.INDUSTRY, T.CITY_DEPARTMENT),
        "justice": tagged_unit("鞍山市司法局（测试）", T.JUSTICE, T.CITY_DEPARTMENT),
        "discipline": tagged_unit("鞍山市纪委监委（测试）", T.DISCIPLINE),
        "supervision": tagged_unit("鞍山市督查室（测试）", T.SUPERVISION_OFFICE),
        "office": tagged_unit("鞍山市督改办（测试）", T.RECTIFICATION_OFFICE),
        "county_industry": tagged_unit("千山风景区规划建设局（测试）", T.INDUSTRY, parent=locality),
    }


@pytest.fixture
def completed_case(users, unit_a, city):
    return CaseFactory(
        lead_unit=unit_a,
        state=CaseState.COMPLETED,
        receipt_no="D2LN202107160012",
        finding=Finding.TRUE,
        handling="已责令整改并立案处罚",
        accountability="无",
        acceptance_category=AcceptanceCategory.PUBLIC_INTEREST,
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


ACCEPTANCE_TEXT = {
    "form_date": FILLED_ON,
    "statement": "达到了整改验收标准",
    "opinion_rectification": "整改到位",
    "opinion_penalty": "已处罚到位",
    "opinion_satisfaction": "群众满意",
    "opinion_accountability": "不涉及责任追究",
}
REVIEW_TEXT = {
    "opinion_finding": "定性准确",
    "opinion_rectification": "整改到位",
    "opinion_penalty": "处罚到位",
    "opinion_satisfaction": "群众满意",
    "opinion_accountability": "不涉及问责",
}


def all_met(form) -> dict:
    return {code: {"met": True, "note": ""} for code, _ in rules.checklist_points(form, form.step.case)}


def member(form, office, user, role, unit):
    return services.assign_signer(
        form, actor=office, user=user, role=role, unit=unit, member_post="科长", member_phone="0412-1234567"
    )


@pytest.fixture
def opinion_unfilled(completed_case, users, industry_member, city):
    """An acceptance step applied on APPLIED with its two members assigned; nothing filled in yet."""
    step = services.apply_for_acceptance(
        completed_case, actor=users["staff"], applied_on=APPLIED, supervising_unit=city["housing"]
    )
    form = step.form
    member(form, users["office"], users["acceptor"], SlotRole.LEADER, city["locality"])
    member(form, users["office"], industry_member, SlotRole.INDUSTRY_MEMBER, city["housing"])
    return form


def fill_acceptance(form, office, **overrides):
    values = {**ACCEPTANCE_TEXT, "checklist": all_met(form), **overrides}
    return services.update_form(form, actor=office, values=values)


@pytest.fixture
def acceptance_form(opinion_unfilled, users):
    """The acceptance opinion complete: it may be signed."""
    return fill_acceptance(opinion_unfilled, users["office"])


def sign_all(form):
    for slot in form.slots.select_related("user"):
        sign(slot, actor=slot.user, password=PASSWORD)


@pytest.fixture
def reviewers(db, city, users):
    """One review member per kind of unit, with the unit they sign for; the users fixture's
    reviewer is the 督改办's (the team's leader)."""
    people = {"office": (users["reviewer"], city["office"])}
    for key in ("ecology", "housing", "justice", "discipline", "supervision", "locality"):
        people[key] = (
            user_with_role(Role.REVIEW_MEMBER, username=f"rev_{key}", full_name=f"复核{key}"),
            city[key],
        )
    return people


# 复核责任书: who signs which opinion (附件2 二（三）).
REVIEW_SIGNERS = [
    (SlotRole.LEADER, ["office"]),
    (SlotRole.FINDING, ["ecology", "housing"]),
    (SlotRole.RECTIFICATION, ["ecology", "housing"]),
    (SlotRole.PENALTY, ["justice", "ecology", "housing"]),
    (SlotRole.SATISFACTION, ["ecology", "housing", "locality"]),
    (SlotRole.ACCOUNTABILITY, ["discipline", "supervision", "office"]),
]


@pytest.fixture
def letter_unfilled(acceptance_form, users, reviewers):
    """The acceptance passed, the review applied; the letter's signers assigned, its opinions empty."""
    sign_all(acceptance_form)
    step = services.decide_acceptance(
        acceptance_form.step, actor=users["acceptor"], passed=True, done_on=date(2024, 9, 30)
    )
    application = step.case.acceptance_steps.get(kind="review_application")
    review = services.apply_for_review(application, actor=users["staff"], applied_on=date(2024, 10, 8))
    form = review.form
    for role, keys in REVIEW_SIGNERS:
        for key in keys:
            user, unit = reviewers[key]
            member(form, users["office"], user, role, unit)
    return form


def fill_review(form, office, **overrides):
    values = {**REVIEW_TEXT, "reviewed_on": REVIEWED_ON, "checklist": all_met(form), **overrides}
    return services.update_form(form, actor=office, values=values)


@pytest.fixture
def review_form(letter_unfilled, users):
    """The review letter complete: it may be signed."""
    return fill_review(letter_unfilled, users["office"])
