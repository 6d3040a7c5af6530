"""Helpers for the background-job tests: wait for a worker, follow a view to its job, read a file."""

import time

import pytest

from notifications.enums import BackgroundJobState
from notifications.models import BackgroundJob


def wait_for_job(job_id: int, seconds: float = 120) -> BackgroundJob:
    """Wait for the worker (a bounded wait, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = BackgroundJob.objects.get(pk=job_id)
        if job.state not in (BackgroundJobState.PENDING, BackgroundJobState.RUNNING):
            return job
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not finish: {BackgroundJob.objects.get(pk=job_id).state}")


def job_of(response) -> BackgroundJob:
    """The job a view answered with (a redirect to its page)."""
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith("/jobs/"), location
    return BackgroundJob.objects.get(pk=int(location.strip("/").split("/")[1]))


def download(client, job) -> bytes:
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def assert_only_owner_and_office(client, job, owner, other, office) -> None:
    """Another user gets 404 on every job URL; the owner and the office may download."""
    client.force_login(other)
    for url in ("", "status.json", "download/"):
        assert client.get(f"/jobs/{job.pk}/{url}").status_code == 404, url
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    for user in (owner, office):
        client.force_login(user)
        assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
