"""A real Celery worker on the configured broker (Redis in CI, the filesystem transport otherwise)."""

import pytest

from notifications.domain import jobs
from notifications.enums import JobState
from notifications.models import OutboxJob
from qianshan.celery import ping


@pytest.mark.worker
def test_celery_worker_runs_task_and_returns_result(celery_worker_live):
    result = ping.delay("你好")
    assert result.get(timeout=30) == "你好"


@pytest.mark.worker
def test_outbox_job_is_queued_after_commit_and_run_by_worker(celery_worker_live):
    job = jobs.enqueue("qianshan.ping", value="outbox")  # autocommit: on_commit fires at once
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 1


@pytest.mark.django_db
def test_outbox_keeps_job_when_broker_is_down():
    """With the broker unreachable the job stays pending for the next flush; nothing raises."""
    from celery import Celery

    from qianshan.celery import app as project_app

    down = Celery("down", broker="redis://127.0.0.1:1/0")  # nothing listens on port 1
    down.conf.update(
        {k: v for k, v in project_app.conf.items() if k.startswith(("broker_connection", "task_publish"))}
    )
    job = OutboxJob.objects.create(task_name="qianshan.ping", kwargs={"value": "x"})
    assert jobs.send_job(job.pk, app=down) is False
    job.refresh_from_db()
    assert job.state == JobState.PENDING
    assert job.attempts == 1 and job.last_error
    # the next flush, with the broker back, sends it
    assert jobs.send_job(job.pk) is True
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
