"""签字背书: binding, complete-before-signable, fitting signers, checklists, voiding only in writes."""

from datetime import date

import pytest
from django.urls import reverse

from acceptance.domain import rules, services
from acceptance.domain.signing import CHANGED, VALID, VOID, sign, verify_signatures
from acceptance.enums import SlotRole, StepOutcome
from acceptance.models import OpinionForm, Signature, SignatureSlot
from cases.domain.errors import DomainError
from cases.domain.evidence import add_progress
from cases.domain.services import update_case
from cases.enums import AcceptanceCategory, CaseState, Finding
from cases.models import PetitionCase
from tests.factories import PASSWORD

from .conftest import (
    ACCEPTANCE_TEXT,
    REVIEW_SIGNERS,
    REVIEW_TEXT,
    fill_acceptance,
    fill_review,
    member,
    sign_all,
)

pytestmark = pytest.mark.django_db


def _slot(form, role):
    return form.slots.get(role=role)


def _refused_to_sign(form, match):
    """Every assigned signer is refused with ``match`` in the message; no signature row is written."""
    before = Signature.objects.count()
    for slot in form.slots.select_related("user"):
        with pytest.raises(DomainError) as refused:
            sign(slot, actor=slot.user, password=PASSWORD)
        assert match in refused.value.message, refused.value.message
    assert Signature.objects.count() == before
    return refused.value.message


# --- binding --------------------------------------------------------------------------------------


def test_sign_by_assigned_user_binds_sha256_of_content_with_user_id_and_slot_unit(
    acceptance_form, users, city
):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    signature = sign(slot, actor=users["acceptor"], password=PASSWORD)
    check = verify_signatures(acceptance_form)
    assert signature.signer == users["acceptor"]
    assert signature.content_sha256 == check.sha256 and len(check.sha256) == 64
    assert signature.content["case"]["receipt_no"] == "D2LN202107160012"
    # Who signed is the user id and the slot's unit/post/phone — no display name anywhere.
    assert signature.content["slots"][0] == [
        SlotRole.LEADER,
        users["acceptor"].pk,
        city["locality"].pk,
        "科长",
        "0412-1234567",
    ]
    assert users["acceptor"].display_name not in str(signature.content)
    assert [c.status for c in check.slots] == [VALID, "unsigned"]


def test_sign_by_another_person_is_refused(acceptance_form, users):
    with pytest.raises(DomainError, match="只有指定的签字人本人"):
        sign(_slot(acceptance_form, SlotRole.LEADER), actor=users["office"], password=PASSWORD)
    assert Signature.objects.count() == 0


def test_sign_with_wrong_password_is_refused(acceptance_form, users):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    for wrong in ("wrong", ""):
        with pytest.raises(DomainError, match="密码不正确"):
            sign(slot, actor=users["acceptor"], password=wrong)
    assert Signature.objects.count() == 0


def test_sign_twice_is_refused(acceptance_form, users):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    with pytest.raises(DomainError, match="无需重复签字"):
        sign(slot, actor=users["acceptor"], password=PASSWORD)
    assert Signature.objects.filter(slot=slot).count() == 1


def test_signed_form_is_frozen(acceptance_form, users, city):
    sign(_slot(acceptance_form, SlotRole.LEADER), actor=users["acceptor"], password=PASSWORD)
    with pytest.raises(DomainError, match="已冻结"):
        services.update_form(acceptance_form, actor=users["office"], values={"opinion_penalty": "改"})
    with pytest.raises(DomainError, match="已冻结"):
        member(acceptance_form, users["office"], users["acceptor"], SlotRole.MEMBER, city["locality"])


def test_case_edit_voids_the_signature_in_that_write_with_its_actor_and_reason(
    acceptance_form, users, completed_case
):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    update_case(completed_case, actor=users["staff"], values={"finding": Finding.PARTLY_TRUE})
    signature = Signature.objects.get(slot=slot)
    assert signature.void is True
    assert signature.void_reason == "编辑案件信息：签字后内容已变更（案件“是否属实”），签字失效，须重新签字。"
    last = signature.history.latest("history_id")
    assert (last.void, last.history_user) == (True, users["staff"])
    assert last.history_change_reason.startswith("签字失效：编辑案件信息")
    check = verify_signatures(acceptance_form)
    assert [c.status for c in check.slots] == [VOID, "unsigned"]
    assert check.any_void and not check.frozen


def test_voided_slot_can_be_signed_again_on_the_new_content(acceptance_form, users, completed_case):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    update_case(completed_case, actor=users["staff"], values={"handling": "补充整改"})
    again = sign(slot, actor=users["acceptor"], password=PASSWORD)
    assert again.content["case"]["handling"] == "补充整改"
    assert list(Signature.objects.filter(slot=slot).values_list("void", flat=True)) == [True, False]


def test_unchanged_case_keeps_signatures_valid(acceptance_form, users, completed_case):
    sign(_slot(acceptance_form, SlotRole.LEADER), actor=users["acceptor"], password=PASSWORD)
    update_case(completed_case, actor=users["staff"], values={"remarks": "不在表单上的备注"})
    assert Signature.objects.filter(void=True).count() == 0
    assert verify_signatures(acceptance_form).slots[0].status == VALID


def _transfer_sheet(case, finding_label: str) -> bytes:
    from tests.cases.helpers import sheet_bytes

    headers = ["受理编号", "交办问题基本情况", "是否属实"]
    return sheet_bytes([[case.receipt_no, case.complaint, finding_label]], headers=headers, title_rows=())


def test_reimport_changing_the_case_finding_voids_the_signature_with_reason(
    acceptance_form, users, completed_case
):
    from cases.domain.importing import import_cases

    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    report = import_cases(
        _transfer_sheet(completed_case, "部分属实"), completed_case.inspection, actor=users["office"]
    )
    assert (report.count("update"), report.problems) == (1, [])
    signature = Signature.objects.get(slot=slot)
    assert (
        signature.void_reason
        == "导入交办单更新案件：签字后内容已变更（案件“是否属实”），签字失效，须重新签字。"
    )
    assert signature.history.latest("history_id").history_user == users["office"]


def test_reimport_of_the_same_facts_keeps_the_signature(acceptance_form, users, completed_case):
    from cases.domain.importing import import_cases

    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    report = import_cases(
        _transfer_sheet(completed_case, "属实"), completed_case.inspection, actor=users["office"]
    )
    assert (report.count("update"), report.count("unchanged"), report.problems) == (0, 1, [])
    assert Signature.objects.get(slot=slot).void is False


def _rows():
    return (
        Signature.objects.count(),
        Signature.history.count(),
        list(Signature.objects.order_by("pk").values_list("void", flat=True)),
    )


def test_a_page_view_never_writes_even_when_facts_changed_behind_the_form(acceptance_form, users, login):
    """A raw change (no domain write) leaves the signature as it was: the page says it no longer
    matches, writes nothing; the next write voids it with that write's actor and reason."""
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    case = acceptance_form.step.case
    PetitionCase.objects.filter(pk=case.pk).update(finding=Finding.PARTLY_TRUE)
    before = _rows()
    client = login(users["discipline"])
    assert client.get(reverse("acceptance:form", args=[acceptance_form.pk])).status_code == 200
    assert client.get(reverse("acceptance:form_pdf", args=[acceptance_form.pk])).status_code == 200
    assert _rows() == before
    assert verify_signatures(acceptance_form).slots[0].status == CHANGED
    update_case(PetitionCase.objects.get(pk=case.pk), actor=users["office"], values={"remarks": "复查"})
    signature = Signature.objects.get(slot=slot)
    assert signature.void and signature.void_reason.startswith(
        "编辑案件信息：签字后内容已变更（案件“是否属实”）"
    )
    assert signature.history.latest("history_id").history_user == users["office"]


@pytest.mark.django_db(transaction=True)
def test_renaming_signers_then_opening_every_form_page_keeps_every_signature_and_writes_nothing(
    review_form, users, login
):
    sign_all(review_form)
    opinion = OpinionForm.objects.get(step__case=review_form.step.case, kind="acceptance_opinion")
    before = _rows()
    for slot in SignatureSlot.objects.select_related("user"):
        slot.user.full_name = slot.user.full_name + "（改名）"
        slot.user.save()
    client = login(users["discipline"])
    case_id = review_form.step.case_id
    for url in (
        reverse("acceptance:form", args=[opinion.pk]),
        reverse("acceptance:form", args=[review_form.pk]),
        reverse("acceptance:form_pdf", args=[opinion.pk]),
        reverse("acceptance:form_pdf", args=[review_form.pk]),
        reverse("acceptance:case", args=[case_id]),
        reverse("acceptance:summary", args=[case_id]),
        reverse("acceptance:index"),
    ):
        assert client.get(url).status_code == 200, url
    assert _rows() == before
    assert verify_signatures(opinion).all_valid and verify_signatures(review_form).all_valid


# --- complete before signable: each required item missing alone ----------------------------------


@pytest.mark.parametrize("name,label", rules.ACCEPTANCE_REQUIRED)
def test_acceptance_opinion_missing_one_field_refuses_signing_with_its_name(
    acceptance_form, users, name, label
):
    services.update_form(
        acceptance_form, actor=users["office"], values={name: None if name == "form_date" else ""}
    )
    message = _refused_to_sign(acceptance_form, "表单尚未填写完整，不能签字。尚缺：")
    assert message == f"表单尚未填写完整，不能签字。尚缺：{label}。"


def test_acceptance_opinion_missing_a_checklist_point_refuses_signing(acceptance_form, users):
    OpinionForm.objects.filter(pk=acceptance_form.pk).update(
        checklist={**acceptance_form.checklist, "public_restored": {"met": None, "note": ""}}
    )
    assert _refused_to_sign(acceptance_form, "验收标准逐项核对：第2项未填写") == (
        "表单尚未填写完整，不能签字。尚缺：验收标准逐项核对：第2项未填写。"
    )


def test_acceptance_opinion_of_a_case_without_category_refuses_signing(
    acceptance_form, users, completed_case
):
    PetitionCase.objects.filter(pk=completed_case.pk).update(acceptance_category="")
    _refused_to_sign(acceptance_form, "案件的验收分类")


@pytest.mark.parametrize(
    "field,value,label",
    [("unit", None, "单位"), ("member_post", "", "职务（职称）"), ("member_phone", "", "联系电话")],
)
def test_acceptance_member_table_missing_one_column_refuses_signing(
    acceptance_form, users, field, value, label
):
    slot = _slot(acceptance_form, SlotRole.INDUSTRY_MEMBER)
    SignatureSlot.objects.filter(pk=slot.pk).update(**{field: value})
    message = _refused_to_sign(acceptance_form, f"验收组成员表：市级行业主管部门成员吴验收缺{label}")
    assert message == f"表单尚未填写完整，不能签字。尚缺：验收组成员表：市级行业主管部门成员吴验收缺{label}。"


def test_acceptance_member_without_a_name_refuses_signing(acceptance_form, users):
    users["acceptor"].full_name = ""
    users["acceptor"].save()
    _refused_to_sign(acceptance_form, f"验收组成员表：组长{users['acceptor'].username}缺姓名")


@pytest.mark.parametrize(
    "role,label",
    [
        (SlotRole.LEADER, "验收组组长"),
        (SlotRole.INDUSTRY_MEMBER, "市级行业主管部门成员（督导责任单位须参加验收并签字背书）"),
    ],
)
def test_acceptance_opinion_without_a_required_slot_refuses_signing(acceptance_form, role, label):
    acceptance_form.slots.filter(role=role).delete()
    assert _refused_to_sign(acceptance_form, label) == f"表单尚未填写完整，不能签字。尚缺：{label}。"


@pytest.mark.parametrize("name,label", rules.REVIEW_REQUIRED)
def test_review_letter_missing_one_field_refuses_signing_with_its_name(review_form, users, name, label):
    blank = None if name.endswith("_on") else ""
    services.update_form(review_form, actor=users["office"], values={name: blank})
    assert _refused_to_sign(review_form, label) == f"表单尚未填写完整，不能签字。尚缺：{label}。"


def test_review_letter_missing_a_principle_refuses_signing(review_form):
    OpinionForm.objects.filter(pk=review_form.pk).update(
        checklist={**review_form.checklist, "satisfied": {"met": None, "note": ""}}
    )
    _refused_to_sign(review_form, "复核原则（五个不放过）逐项核对：第5项未填写")


@pytest.mark.parametrize("role", [role for role, _field in rules.REVIEW_OPINIONS] + [SlotRole.LEADER])
def test_review_letter_without_signers_of_an_opinion_refuses_signing(review_form, role):
    review_form.slots.filter(role=role).delete()
    label = "复核组组长" if role == SlotRole.LEADER else f"{SlotRole(role).label}的签字人"
    assert _refused_to_sign(review_form, label) == f"表单尚未填写完整，不能签字。尚缺：{label}。"


REQUIRED_KINDS = [
    (role, key, kind)
    for role, keys in REVIEW_SIGNERS
    if role not in (SlotRole.LEADER, SlotRole.FINDING)
    for key, kind in zip(keys, rules.SLOT_RULES["review_letter"][role].required, strict=False)
]


@pytest.mark.parametrize("role,key,kind", REQUIRED_KINDS)
def test_review_letter_missing_one_required_body_refuses_signing_naming_it(
    review_form, reviewers, role, key, kind
):
    user, _unit = reviewers[key]
    review_form.slots.filter(role=role, user=user).delete()
    name = rules.tag_names()[kind]
    _refused_to_sign(review_form, f"{SlotRole(role).label}：尚缺{name}的签字人")


def test_a_complete_form_signs_and_the_chain_passes_to_publicity(review_form, users):
    sign_all(review_form)
    services.decide_review(review_form.step, actor=users["reviewer"], passed=True, done_on=date(2024, 10, 12))
    case = review_form.step.case
    case.refresh_from_db()
    assert case.state == CaseState.PUBLICIZED
    assert Signature.objects.filter(void=False).count() == 2 + review_form.slots.count()


# --- deciding needs every required slot validly signed --------------------------------------------


@pytest.mark.parametrize("passed", [True, False])
def test_deciding_the_review_with_one_unsigned_slot_is_refused(review_form, users, reviewers, passed):
    justice, _unit = reviewers["justice"]
    for slot in review_form.slots.exclude(user=justice).select_related("user"):
        sign(slot, actor=slot.user, password=PASSWORD)
    with pytest.raises(DomainError) as refused:
        services.decide_review(review_form.step, actor=users["reviewer"], passed=passed, reasons="x")
    assert f"行政处罚情况复核意见{justice.display_name}（未签字）" in refused.value.message
    assert "行政处罚情况复核意见：司法局尚未签字背书" in refused.value.message
    review_form.step.refresh_from_db()
    assert review_form.step.outcome == StepOutcome.PENDING


# --- the right signers ----------------------------------------------------------------------------

MISFITS = [
    (SlotRole.RECTIFICATION, "justice", "附件2 二（三）1"),
    (SlotRole.PENALTY, "discipline", "附件2 二（三）2"),
    (SlotRole.SATISFACTION, "justice", "附件2 二（三）3"),
    (SlotRole.ACCOUNTABILITY, "housing", "附件2 二（三）4"),
    (SlotRole.FINDING, "supervision", "附件2 二（三）5"),
    (SlotRole.LEADER, "locality", "附件2 二（二）"),
]


@pytest.mark.parametrize("role,key,source", MISFITS)
def test_review_slot_refuses_a_signer_of_a_non_fitting_unit_with_the_rules_words(
    letter_unfilled, users, reviewers, city, role, key, source
):
    user, _unit = reviewers["ecology"]
    before = letter_unfilled.slots.count()
    with pytest.raises(DomainError) as refused:
        member(letter_unfilled, users["office"], user, role, city[key])
    assert source in refused.value.message and f"“{city[key].name}”" in refused.value.message
    assert rules.SLOT_RULES["review_letter"][role].words in refused.value.message
    assert letter_unfilled.slots.count() == before


@pytest.mark.parametrize(
    "key,words",
    [("county_industry", "市级行业主管部门"), ("water", "本案的督导责任单位"), ("ecology", "行业主管部门")],
)
def test_industry_member_must_be_of_the_cases_city_industry_department(
    opinion_unfilled, users, industry_member, city, key, words
):
    opinion_unfilled.slots.filter(role=SlotRole.INDUSTRY_MEMBER).delete()
    with pytest.raises(DomainError, match=words) as refused:
        member(opinion_unfilled, users["office"], industry_member, SlotRole.INDUSTRY_MEMBER, city[key])
    assert "方案 四（三）3" in refused.value.message


# --- the acceptance standards as a checklist ------------------------------------------------------


@pytest.mark.parametrize("category", AcceptanceCategory.values)
def test_each_categorys_unmet_point_refuses_passing_and_failing_records_it(
    opinion_unfilled, users, completed_case, category
):
    PetitionCase.objects.filter(pk=completed_case.pk).update(acceptance_category=category)
    opinion_unfilled.step.case.refresh_from_db()
    points = rules.CATEGORY_POINTS[category]
    checklist = {code: {"met": True, "note": ""} for code, _ in points}
    last_code, last_text = points[-1]
    checklist[last_code] = {"met": False, "note": "回访三户仍有意见"}
    fill_acceptance(opinion_unfilled, users["office"], checklist=checklist)
    sign_all(opinion_unfilled)
    unmet = f"第{len(points)}项“{last_text}”未达到：回访三户仍有意见"
    with pytest.raises(DomainError, match="验收标准尚有未达到的项，不能通过") as refused:
        services.decide_acceptance(opinion_unfilled.step, actor=users["acceptor"], passed=True)
    assert unmet in refused.value.message
    step = services.decide_acceptance(opinion_unfilled.step, actor=users["acceptor"], passed=False)
    assert (step.outcome, step.reasons) == (StepOutcome.FAILED, unmet)


def test_not_met_point_needs_a_note(opinion_unfilled, users):
    checklist = {"public_clean": {"met": False, "note": ""}}
    with pytest.raises(DomainError, match="“不符合”的项须写明说明"):
        services.update_form(opinion_unfilled, actor=users["office"], values={"checklist": checklist})


def _temporary_case(case, users, category):
    PetitionCase.objects.filter(pk=case.pk).update(acceptance_category=category)
    case.refresh_from_db()
    add_progress(
        case,
        actor=users["staff"],
        happened_on=date(2024, 9, 20),
        text="临时围挡遮盖，暂停夜间作业",
        is_temporary=True,
        today=date(2024, 9, 30),
    )


def test_a_nearby_case_relying_on_a_temporary_measure_cannot_pass(opinion_unfilled, users, completed_case):
    _temporary_case(completed_case, users, AcceptanceCategory.NEARBY)
    fill_acceptance(opinion_unfilled, users["office"])
    sign_all(opinion_unfilled)
    with pytest.raises(DomainError) as refused:
        services.decide_acceptance(opinion_unfilled.step, actor=users["acceptor"], passed=True)
    assert "对于采取临时性应对措施暂时解决问题的，不得视为办结" in refused.value.message
    assert "2024-09-20" in refused.value.message
    add_progress(
        PetitionCase.objects.get(pk=completed_case.pk),
        actor=users["staff"],
        happened_on=date(2024, 9, 25),
        text="除尘设施建成运行，长效监管",
        today=date(2024, 9, 30),
    )
    step = services.decide_acceptance(opinion_unfilled.step, actor=users["acceptor"], passed=True)
    assert step.outcome == StepOutcome.PASSED


def test_the_temporary_measure_rule_is_for_nearby_problems_only(opinion_unfilled, users, completed_case):
    _temporary_case(completed_case, users, AcceptanceCategory.PUBLIC_INTEREST)
    fill_acceptance(opinion_unfilled, users["office"])
    sign_all(opinion_unfilled)
    assert (
        services.decide_acceptance(opinion_unfilled.step, actor=users["acceptor"], passed=True).outcome
        == "passed"
    )


def test_review_principle_not_met_refuses_passing(letter_unfilled, users):
    checklist = {code: {"met": True, "note": ""} for code, _ in rules.REVIEW_PRINCIPLES}
    checklist["penalised"] = {"met": False, "note": "罚款未缴清"}
    fill_review(letter_unfilled, users["office"], checklist=checklist)
    sign_all(letter_unfilled)
    with pytest.raises(DomainError, match="五个不放过") as refused:
        services.decide_review(letter_unfilled.step, actor=users["reviewer"], passed=True)
    assert "违法问题查处不到位不放过" in refused.value.message and "罚款未缴清" in refused.value.message


def test_texts_used_by_the_fixtures_are_the_required_ones():
    assert set(ACCEPTANCE_TEXT) | {"unit_name"} == {n for n, _ in rules.ACCEPTANCE_REQUIRED}
    assert set(REVIEW_TEXT) | {"unit_name", "accepted_on", "reviewed_on"} == {
        n for n, _ in rules.REVIEW_REQUIRED
    }
