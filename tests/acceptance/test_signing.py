import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

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


def _change_finding_behind_the_form(case):
    from cases.models import PetitionCase

    PetitionCase.objects.filter(pk=case.pk).update(finding=Finding.PARTLY_TRUE)


def test_voided_signature_leaves_a_history_row_with_who_when_and_why(acceptance_form, users, completed_case):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    _change_finding_behind_the_form(completed_case)
    with time_machine.travel("2024-10-02 09:15:00+08:00", tick=False):
        verify_signatures(acceptance_form, actor=users["office"])
    signature = Signature.objects.get(slot=slot)
    rows = list(signature.history.order_by("history_id").values_list("void", "history_type"))
    assert rows == [(False, "+"), (True, "~")]
    last = signature.history.latest("history_id")
    assert last.history_user == users["office"]
    assert timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M") == "2024-10-02 09:15"
    assert last.history_change_reason == "签字失效：签字后内容已变更：案件“是否属实”，签字失效，须重新签字。"
    assert last.voided_at == last.history_date


def test_voided_signature_found_by_a_page_load_is_recorded_for_that_user(
    acceptance_form, users, completed_case, login
):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    _change_finding_behind_the_form(completed_case)
    response = login(users["office"]).get(reverse("acceptance:form", args=[acceptance_form.pk]))
    assert response.status_code == 200
    last = Signature.objects.get(slot=slot).history.latest("history_id")
    assert (last.void, last.history_user) == (True, users["office"])


def test_signature_voided_twice_records_one_history_row(acceptance_form, users, completed_case):
    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    _change_finding_behind_the_form(completed_case)
    verify_signatures(acceptance_form, actor=users["office"])
    verify_signatures(acceptance_form, actor=users["office"])
    assert Signature.objects.get(slot=slot).history.filter(void=True).count() == 1


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
    assert signature.void is True
    assert signature.void_reason == "签字后内容已变更：案件“是否属实”，签字失效，须重新签字。"
    assert [c.status for c in verify_signatures(acceptance_form).slots] == [VOID, "unsigned"]


def test_reimport_of_the_same_facts_keeps_the_signature(acceptance_form, users, completed_case):
    from cases.domain.importing import import_cases

    slot = _slot(acceptance_form, SlotRole.LEADER)
    sign(slot, actor=users["acceptor"], password=PASSWORD)
    report = import_cases(
        _transfer_sheet(completed_case, "属实"), completed_case.inspection, actor=users["office"]
    )
    assert (report.count("update"), report.count("unchanged"), report.problems) == (0, 1, [])
    assert Signature.objects.get(slot=slot).void is False
