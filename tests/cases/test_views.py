"""The case page and the handling form: scope, files per progress entry, query count, one atomic save."""

from datetime import date

import pytest

from cases.domain.errors import DomainError
from cases.domain.evidence import Upload, add_progress
from cases.domain.services import save_handling
from cases.enums import AttachmentKind
from cases.models import PetitionCase
from tests.factories import CaseFactory

from .helpers import png_bytes


def _progress(case, actor, n):
    for i in range(n):
        add_progress(
            case,
            actor=actor,
            happened_on=date(2021, 8, 1 + i),
            text=f"第{i + 1}次进展",
            uploads=[
                Upload(f"进展{i + 1}-{k}.png", png_bytes((10 * i, 20 * k, 30)), AttachmentKind.PHOTO)
                for k in range(2)
            ],
        )


@pytest.mark.django_db
def test_case_detail_shows_each_progress_entrys_own_files(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    _progress(case, users["staff"], 2)
    client.force_login(users["staff"])
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    shown = [(e.text, sorted(a.original_name for a in files)) for e, files in response.context["progress"]]
    assert sorted(shown) == [
        ("第1次进展", ["进展1-0.png", "进展1-1.png"]),
        ("第2次进展", ["进展2-0.png", "进展2-1.png"]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 5])
def test_case_detail_query_count_does_not_grow_with_progress(
    n, client, users, unit_a, django_assert_num_queries
):
    case = CaseFactory(lead_unit=unit_a, cooperating_units=[unit_a])
    _progress(case, users["staff"], n)
    client.force_login(users["staff"])
    # 17 on a first view (the case page is 16 once the choice cache of names is warm,
    # test_history_timeline.py): the history timeline no longer queries per history row
    with django_assert_num_queries(17):
        response = client.get(f"/cases/{case.pk}/")
    assert len(response.context["progress"]) == n


@pytest.mark.django_db
def test_case_detail_of_another_units_case_is_404_for_unit_staff(client, users, unit_b):
    case = CaseFactory(lead_unit=unit_b)
    client.force_login(users["staff"])
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    client.force_login(users["leader"])
    assert client.get(f"/cases/{case.pk}/").status_code == 200


@pytest.mark.django_db
def test_save_handling_refused_link_saves_nothing(users, unit_a):
    case = CaseFactory(lead_unit=unit_a, handling="原办理情况")
    with pytest.raises(DomainError, match="重复关联件不能是案件本身。"):
        save_handling(case, actor=users["staff"], values={"handling": "新办理情况"}, related=[case])
    stored = PetitionCase.objects.get(pk=case.pk)
    assert (stored.handling, stored.is_repeat, list(stored.related_cases.all())) == ("原办理情况", False, [])


@pytest.mark.django_db
def test_handling_form_saves_fields_and_repeat_links_together(client, users, unit_a):
    case = CaseFactory(lead_unit=unit_a)
    other = CaseFactory(lead_unit=unit_a)
    client.force_login(users["staff"])
    form = client.get(f"/cases/{case.pk}/handling/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data.update(handling="已责令整改", related_receipts=case.receipt_no)
    refused = client.post(f"/cases/{case.pk}/handling/", data)
    assert refused.status_code == 200 and "重复关联件不能是案件本身。" in refused.content.decode()
    assert PetitionCase.objects.get(pk=case.pk).handling == ""  # nothing half-saved
    data["related_receipts"] = other.receipt_no
    assert client.post(f"/cases/{case.pk}/handling/", data).status_code == 302
    stored = PetitionCase.objects.get(pk=case.pk)
    assert stored.handling == "已责令整改" and stored.is_repeat
    assert [c.receipt_no for c in stored.related_cases.all()] == [other.receipt_no]
