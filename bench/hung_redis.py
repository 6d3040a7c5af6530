"""Benchmark: how long queueing a job waits on a Redis that accepts and never answers (target ≤ 1 s).

Run: .venv/bin/python bench/hung_redis.py   (no Redis needed: the hung server is local)
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["REDIS_URL"] = "redis://127.0.0.1:1/0"  # production's Redis options, not the test broker

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tests.common.hung_redis import celery_app_for, hung_server  # noqa: E402

setup_test_environment()
with hung_server() as port:
    app = celery_app_for(port, settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    for n in range(3):
        t = time.perf_counter()
        try:
            with app.connection_for_write() as conn:
                app.send_task("qianshan.ping", connection=conn, retry=False, ignore_result=True)
            outcome = "queued?!"
        except Exception as exc:  # the hung broker: what send_job catches
            outcome = type(exc).__name__
        print(f"publish to hung Redis #{n + 1}: {time.perf_counter() - t:.3f} s ({outcome})")
