"""签字表单批量下载: a zip of the signed forms of a selection, built by a job on a real worker;
a form whose signatures are not all valid is listed in 清单.txt, not included; owner only; one job
per double press; a unit user's selection holds their own cases only."""

import io
import zipfile

import pytest

from acceptance.domain.signing import sign
from notifications.domain.background import run_job
from notifications.enums import BackgroundJobState
from notifications.models import BackgroundJob
from tests.factories import PASSWORD
from tests.jobs import assert_only_owner_and_office, download, job_of, wait_for_job
from tests.pdf import pdf_text

RECEIPT = "D2LN202107160012"


def _half_signed(review_form):
    slot = review_form.slots.select_related("user").first()
    sign(slot, actor=slot.user, password=PASSWORD)


@pytest.mark.worker
def test_bundle_of_signed_forms_is_built_by_a_real_worker(
    celery_worker_live, client, users, review_form, tmp_path
):
    _half_signed(review_form)  # the acceptance opinion is fully signed, the review letter is not
    inspection = review_form.step.case.inspection_id
    client.force_login(users["office"])
    page = client.get(f"/acceptance/bundle/?inspection={inspection}").content.decode()
    assert 'data-testid="bundle-count"' in page and "<b>2</b> 份" in page
    job = job_of(client.post("/acceptance/bundle/", {"inspection": inspection, "batch": "", "kind": ""}))
    job = wait_for_job(job.pk)
    assert (job.state, job.total, job.processed) == (BackgroundJobState.DONE, 2, 2)
    assert job.filename.endswith(".zip")

    bundle = zipfile.ZipFile(io.BytesIO(download(client, job)))
    pdf_name = f"{RECEIPT}-第1轮-验收意见.pdf"
    assert sorted(bundle.namelist()) == sorted([pdf_name, "清单.txt"])
    listing = bundle.read("清单.txt").decode()
    assert "共 2 份表单，收入签字完整的 1 份。" in listing
    assert f"未收入  {RECEIPT}-第1轮-环境信访案件验收复核责任书.pdf：签字未全或已失效" in listing
    out = tmp_path / "form.pdf"
    out.write_bytes(bundle.read(pdf_name))
    text = pdf_text(out)
    assert "验收意见" in text and RECEIPT in text and "草稿" not in text

    assert_only_owner_and_office(client, job, users["office"], users["staff_b"], users["office"])


@pytest.mark.django_db
def test_bundle_scope_double_press_and_nothing_to_bundle(client, users, acceptance_form):
    from .conftest import sign_all

    sign_all(acceptance_form)
    client.force_login(users["staff_b"])  # another unit: nothing of theirs is signed
    response = client.post("/acceptance/bundle/", {"kind": ""})
    assert response.status_code == 200 and "所选范围内没有已签字的表单" in response.content.decode()
    assert not BackgroundJob.objects.exists()

    client.force_login(users["staff"])  # the case's own unit
    first = job_of(client.post("/acceptance/bundle/", {"kind": "acceptance_opinion"}))
    second = job_of(client.post("/acceptance/bundle/", {"kind": "acceptance_opinion"}))
    assert first.pk == second.pk and BackgroundJob.objects.count() == 1
    assert run_job(first.pk) == BackgroundJobState.DONE
    first.refresh_from_db()
    with zipfile.ZipFile(first.file.path) as bundle:
        assert f"{RECEIPT}-第1轮-验收意见.pdf" in bundle.namelist()
