"""Prefill reads the one definition of each fact: signed satisfaction from the latest passed 验收意见
with every signature valid (acceptance.domain.signing), the archive from cases' archive_catalogue."""

from datetime import date

import pytest

from acceptance.domain import services as acceptance
from acceptance.domain.signing import sign
from acceptance.enums import SlotRole
from acceptance.models import OpinionForm
from cases.enums import AttachmentKind, CaseState, Finding
from cases.models import Attachment, PetitionCase
from org.enums import Role
from scoring.domain.prefill import MANUAL, prefill_sheet
from tests.factories import PASSWORD, CaseFactory, user_with_role

K = AttachmentKind


@pytest.fixture
def case(unit_a, unit_b):
    return CaseFactory(
        lead_unit=unit_a,
        cooperating_units=[unit_b],
        state=CaseState.COMPLETED,
        deadline=date(2025, 6, 30),
        finding=Finding.TRUE,
        handling="已责令整改",
        complainant_accepted=True,
        penalty_cases=0,
        acceptance_category="public_interest",
    )


@pytest.fixture
def opinion(case, users, unit_a):
    """An acceptance opinion with a leader and an industry member of fitting units assigned, complete
    but for the 群众满意情况 (each test states it or not), nobody signed yet."""
    from org.enums import UnitKind, UnitTagCode
    from tests.acceptance.conftest import ACCEPTANCE_TEXT, all_met, member, tagged_unit

    unit_a.parent = tagged_unit("测试地方", UnitTagCode.PARTY_GOVERNMENT, kind=UnitKind.REGION)
    unit_a.save()
    housing = tagged_unit("测试市住建局", UnitTagCode.INDUSTRY, UnitTagCode.CITY_DEPARTMENT)
    industry = user_with_role(Role.ACCEPTANCE_MEMBER, username="industry_u", full_name="吴验收")
    step = acceptance.apply_for_acceptance(case, actor=users["staff"], applied_on=date(2025, 7, 1))
    form = step.form
    member(form, users["office"], users["acceptor"], SlotRole.LEADER, unit_a.parent)
    member(form, users["office"], industry, SlotRole.INDUSTRY_MEMBER, housing)
    text = {k: v for k, v in ACCEPTANCE_TEXT.items() if k != "opinion_satisfaction"}
    acceptance.update_form(form, actor=users["office"], values={**text, "checklist": all_met(form)})
    return form


def _sign_all(form):
    for slot in form.slots.select_related("user"):
        sign(slot, actor=slot.user, password=PASSWORD)


def _pass(form, users):
    acceptance.decide_acceptance(form.step, actor=users["acceptor"], passed=True, done_on=date(2025, 7, 3))


def _satisfaction(case, unit):
    data, source = prefill_sheet(PetitionCase.objects.get(pk=case.pk), unit)
    return data["satisfaction_signed"], source["satisfaction_signed"]


@pytest.mark.django_db
def test_satisfaction_signed_when_passed_opinion_states_it_and_every_signature_is_valid(
    case, opinion, users, unit_a
):
    acceptance.update_form(opinion, actor=users["office"], values={"opinion_satisfaction": "群众表示满意"})
    _sign_all(opinion)
    _pass(opinion, users)
    assert _satisfaction(case, unit_a) == (
        True,
        "验收意见（第1轮，已通过）：群众满意情况意见“群众表示满意”，签字齐全有效",
    )


@pytest.mark.django_db
def test_satisfaction_not_signed_when_one_signature_is_void_though_another_is_valid(
    case, opinion, users, unit_a
):
    acceptance.update_form(opinion, actor=users["office"], values={"opinion_satisfaction": "群众表示满意"})
    _sign_all(opinion)
    _pass(opinion, users)
    # the case changes after signing: both signatures are void; the leader signs again, the member does not
    PetitionCase.objects.filter(pk=case.pk).update(handling="改写后的处理情况")
    leader = opinion.slots.get(role=SlotRole.LEADER)
    sign(leader, actor=users["acceptor"], password=PASSWORD)
    assert opinion.slots.filter(signatures__void=False).count() == 1  # "any one slot signed" would say yes
    assert _satisfaction(case, unit_a) == (
        False,
        "验收意见（第1轮，已通过）：群众满意情况意见“群众表示满意”，有签字已失效",
    )


@pytest.mark.django_db
def test_satisfaction_not_signed_when_the_passed_opinion_leaves_satisfaction_empty(
    case, opinion, users, unit_a
):
    acceptance.update_form(opinion, actor=users["office"], values={"opinion_satisfaction": "群众表示满意"})
    _sign_all(opinion)
    _pass(opinion, users)
    # A complete opinion states it; one passed before forms had to be complete (or changed behind the
    # domain) may not: the case record says the complainant accepted, the signed opinion does not.
    OpinionForm.objects.filter(pk=opinion.pk).update(opinion_satisfaction="")
    assert _satisfaction(case, unit_a) == (False, "验收意见（第1轮，已通过）：未填写群众满意情况意见")


@pytest.mark.django_db
def test_satisfaction_from_the_record_until_an_acceptance_has_passed(case, opinion, users, unit_a):
    acceptance.update_form(opinion, actor=users["office"], values={"opinion_satisfaction": "群众表示满意"})
    _sign_all(opinion)  # signed but not yet decided
    assert _satisfaction(case, unit_a) == (True, "案件记录：举报人或周边群众认可 是（尚无通过的验收意见）")


def _attach(case, unit, kind):
    return Attachment.objects.create(
        case=case,
        unit=unit,
        kind=kind,
        file=f"x/{kind}.pdf",
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=10,
        sha256="0" * 64,
    )


@pytest.mark.django_db
def test_archive_prefill_is_archive_catalogue(case, unit_a, unit_b):
    from cases.domain.archive import archive_catalogue

    # Unit A: site record and photo, and a 处罚文书 as its handling material; unit B: a site record only.
    for kind in (K.ASSIGNMENT_NOTE, K.SITE_RECORD, K.PHOTO, K.PENALTY_DOCUMENT):
        _attach(case, unit_a, kind)
    _attach(case, unit_b, K.SITE_RECORD)
    data, source = prefill_sheet(case, unit_a)
    catalogue = archive_catalogue(case)
    assert catalogue.missing == ["办理材料", "群众认可材料"]
    assert data["archive"] == {
        "catalogue": False,  # required sections are missing, though files exist
        "assignment_note": True,
        "unit_materials": {"complete": 1, "units": 2},  # 处罚文书 counts as handling material
        "site_records": {"complete": 1, "units": 2},  # B has no photo
    }
    assert source["archive.catalogue"] == "档案目录：缺办理材料、群众认可材料"
    assert source["archive.unit_materials.complete"] == (
        f"档案目录：1/2家办案单位有办理材料或处罚文书（缺：{unit_b.name}）"
    )
    assert source["archive.site_records.complete"] == (
        f"档案目录：1/2家办案单位有勘察笔录及现场照片（缺：{unit_b.name}）"
    )
    _attach(case, unit_b, K.PHOTO)
    _attach(case, unit_b, K.HANDLING_MATERIAL)
    _attach(case, unit_a, K.SATISFACTION)
    _attach(case, unit_a, K.HANDLING_MATERIAL)
    data, source = prefill_sheet(case, unit_a)
    assert data["archive"] == {
        "catalogue": True,
        "assignment_note": True,
        "unit_materials": {"complete": 2, "units": 2},
        "site_records": {"complete": 2, "units": 2},
    }
    assert source["archive.catalogue"] == "档案目录：必备材料齐全（是否清楚、准确、规范请核对）"


@pytest.mark.django_db
def test_archive_without_any_file_is_left_to_the_assessor(case, unit_a):
    data, source = prefill_sheet(case, unit_a)
    assert data["archive"]["catalogue"] is False
    assert data["archive"]["unit_materials"] == {"complete": 0, "units": 2}
    assert source["archive.catalogue"] == f"{MANUAL}（案件尚无附件目录）"
