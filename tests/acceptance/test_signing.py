import pytest

from acceptance.domain import services
from acceptance.domain.signing import VALID, VOID, sign, verify_signatures
from acceptance.enums import SlotRole
from acceptance.models import Signature
from cases.domain.errors import DomainError
from cases.domain.services import update_case
from cases.enums import Finding
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _slot(form, role):
    return form.slots.get(role=role)


def test_sign_by_assigned_user_binds_sha256_of_content(acceptance_form, users):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    signature = sign(slot, actor=users["acceptor"], password=PASSWORD)
    check = verify_signatures(acceptance_form)
    assert signature.signer == users["acceptor"]
    assert signature.content_sha256 == check.sha256
    assert len(signature.content_sha256) == 64
    assert signature.content["case"]["receipt_no"] == "D2LN202107160012"
    assert [c.status for c in check.slots] == [VALID, "unsigned"]


def test_sign_by_another_person_is_refused(acceptance_form, users):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    with pytest.raises(DomainError, match="只有指定的签字人本人"):
        sign(slot, actor=users["office"], password=PASSWORD)
    assert Signature.objects.count() == 0


def test_sign_with_wrong_password_is_refused(acceptance_form, users):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    with pytest.raises(DomainError, match="密码不正确"):
        sign(slot, actor=users["acceptor"], password="wrong")
    with pytest.raises(DomainError, match="密码不正确"):
        sign(slot, actor=users["acceptor"], password="")
    assert Signature.objects.count() == 0


def test_sign_twice_is_refused(acceptance_form, users):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    with pytest.raises(DomainError, match="无需重复签字"):
        sign(slot, actor=users["acceptor"], password=PASSWORD)
    assert Signature.objects.filter(slot=slot).count() == 1


def test_signed_form_is_frozen(acceptance_form, users):
    sign(_slot(acceptance_form, SlotRole.LEADER), actor=users["acceptor"], password=PASSWORD)
    with pytest.raises(DomainError, match="已冻结"):
        services.update_form(acceptance_form, actor=users["office"], values={"opinion_penalty": "改"})
    with pytest.raises(DomainError, match="已冻结"):
        services.assign_signer(
            acceptance_form, actor=users["office"], user=users["acceptor"], role=SlotRole.MEMBER
        )


def test_changing_the_case_finding_voids_the_signature_with_reason(acceptance_form, users, completed_case):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    update_case(completed_case, actor=users["staff"], values={"finding": Finding.PARTLY_TRUE})
    acceptance_form.step.case.refresh_from_db()
    check = verify_signatures(acceptance_form)
    signature = Signature.objects.get(slot=slot)
    assert signature.void is True
    assert signature.void_reason == "签字后内容已变更：案件“是否属实”，签字失效，须重新签字。"
    assert [c.status for c in check.slots] == [VOID, "unsigned"]
    assert check.any_void and not check.frozen


def test_voided_slot_can_be_signed_again_on_the_new_content(acceptance_form, users, completed_case):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    update_case(completed_case, actor=users["staff"], values={"handling": "补充整改"})
    acceptance_form.step.case.refresh_from_db()
    again = sign(slot, actor=users["acceptor"], password=PASSWORD)
    assert again.content["case"]["handling"] == "补充整改"
    assert list(Signature.objects.filter(slot=slot).values_list("void", flat=True)) == [True, False]


def test_unchanged_case_keeps_signatures_valid(acceptance_form, users, completed_case):
    sign(_slot(acceptance_form, SlotRole.LEADER), actor=users["acceptor"], password=PASSWORD)
    update_case(completed_case, actor=users["staff"], values={"remarks": "不在表单上的备注"})
    acceptance_form.step.case.refresh_from_db()
    assert Signature.objects.filter(void=True).count() == 0
    assert verify_signatures(acceptance_form).slots[0].status == VALID
