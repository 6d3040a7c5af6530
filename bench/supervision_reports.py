"""Benchmark: dashboard figures and report builders on the current database (prints timings and
query counts; no assertion). Run: .venv/bin/python bench/supervision_reports.py (after seed_demo)."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianshan.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from org.models import User  # noqa: E402
from supervision.domain.dashboard import dashboard_data  # noqa: E402
from supervision.domain.reports import dispatch_data, period_of, report_data  # noqa: E402

today = timezone.localdate()
office = User.objects.get(username="office")
start, end = period_of("monthly", today)
for name, call in [
    ("dashboard", lambda: dashboard_data(office, today=today)),
    ("daily dispatch", lambda: dispatch_data(today)),
    ("monthly report", lambda: report_data(start, end, as_of=today)),
]:
    with CaptureQueriesContext(connection) as queries:
        t = time.perf_counter()
        call()
        elapsed = time.perf_counter() - t
    print(f"{name:<16} {elapsed * 1000:8.1f} ms  {len(queries)} queries")
