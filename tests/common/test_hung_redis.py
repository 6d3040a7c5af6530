"""A Redis that accepts connections and never answers: the job stays in the outbox, the page answers.

How long the page waits is measured by bench/hung_redis.py (no timed assertions in tests).
"""

import pytest

from notifications.domain.jobs import send_job
from notifications.enums import JobState
from notifications.models import OutboxJob

from .hung_redis import celery_app_for, hung_server

OPTIONS = {  # as qianshan.settings sets them when REDIS_URL is given
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "visibility_timeout": 1200,
}


@pytest.mark.django_db
def test_publish_to_a_hung_redis_gives_up_and_keeps_the_job_pending():
    job = OutboxJob.objects.create(task_name="qianshan.ping", kwargs={})
    with hung_server() as port:
        app = celery_app_for(port, OPTIONS)
        assert send_job(job.pk, app=app) is False
    job.refresh_from_db()
    assert job.state == JobState.PENDING and job.attempts == 1
    assert "timeout" in job.last_error.lower() or "timed out" in job.last_error.lower()
