"""Benchmark: the figures pages and the stored reports at 1 k, 10 k and 100 k cases (issue 11's goals).

    DATABASE_URL=postgres://…/qianshan_x .venv/bin/python bench/figures_scale.py [1000 10000 100000]

Creates a throw-away database beside DATABASE_URL's (Django's test database, ``test_<name>``),
grows it with ``generate_load_data`` to each size in turn (tasks = cases / 50), and at each size
prints, for every page and job: the server time (best of 3 in this process, through Django's
test client: no network), the number of queries, and the ratio to the login page's server time
measured the same way in the same process (the bare page). Stored report sizes are the JSON of
``Report.data``; PDF times render the stored report with ``render_pdf``. Goals are printed
beside the figures, never asserted. The database is dropped at the end.
"""

import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianshan.settings")
# The test client speaks plain HTTP on loopback: no HTTPS redirect, cookies without the secure flag.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")

import django

django.setup()

from django.conf import settings  # noqa: E402

# Served pages need no collectstatic here: plain static URLs instead of the production manifest.
settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
KEEPDB = os.environ.get("BENCH_KEEPDB") == "1"  # reuse (and keep) the throw-away database

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = [int(a) for a in sys.argv[1:]] or (
    [1000, 10_000, 100_000] if "postgres" in os.environ.get("DATABASE_URL", "") else [1000]
)
REPEAT = 3
PAGE_GOAL_MS, RATIO_GOAL, BUILD_GOAL_S, SIZE_GOAL_KB, PDF_GOAL_S = 150, 60, 2, 300, 5


def timed(run, repeat=REPEAT):
    """(best seconds, queries of the last run, result); a run over 2 s is not repeated."""
    best, out, count = None, None, 0
    for _ in range(repeat):
        if best is not None and best > 2:
            break
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            out = run()
            elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        count = len(queries)
    return best, count, out


def main() -> None:
    from django.core.management import call_command

    from org.models import User
    from qianshan.common.pdf import render_pdf
    from supervision.domain.reports import build_report
    from supervision.models import Report

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if connection.vendor != "postgresql":
        print("注意：DATABASE_URL 未指向 PostgreSQL，以下数字不代表目标环境")
    creation = connection.creation
    original_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=KEEPDB)
    print(
        f"throw-away database {connection.settings_dict['NAME']} migrated in {time.perf_counter() - started:.1f} s"
    )
    today = timezone.localdate()
    year = today.year - 1
    from cases.models import PetitionCase

    have = PetitionCase.objects.filter(inspection__code__startswith="GEN-").count()
    try:
        for size in SIZES:
            started = time.perf_counter()
            call_command(
                "generate_load_data",
                cases=size - have,
                tasks=max(size - have, 0) // 50,
                seed=size,
                stdout=io.StringIO(),
            )
            have = size
            print(
                f"\n=== {size} cases, {size // 50} tasks (generated +{time.perf_counter() - started:.1f} s) ==="
            )
            office = User.objects.get(username="gen_office")
            staff = _busiest_staff()
            unit_id = staff.role_assignments.get().unit_id
            anonymous = Client()
            office_client, staff_client = Client(), Client()
            office_client.force_login(office)
            staff_client.force_login(staff)
            bare, _, response = timed(lambda anonymous=anonymous: anonymous.get("/login/"), repeat=5)
            assert response.status_code == 200
            print(f"{'page / job':<34}{'server ms':>10}{'queries':>9}{'× bare':>8}   goal")
            print(f"{'login page (bare)':<34}{bare * 1000:>10.1f}{'':>9}{1:>8.1f}")
            pages = [
                ("dashboard (office)", office_client, "/supervision/"),
                ("dashboard (unit staff)", staff_client, "/supervision/"),
                ("home page (office)", office_client, "/"),
                ("home page (unit staff)", staff_client, "/"),
                ("ranking", office_client, f"/scoring/?year={year}"),
                ("scoring unit page", office_client, f"/scoring/units/{unit_id}/{year}/"),
                ("scoring unit page, sorted", office_client, f"/scoring/units/{unit_id}/{year}/?sort=-total"),
            ]
            for label, client, url in pages:
                client.get(url)  # warm: sessions, first-visit rows
                seconds, queries, response = timed(lambda client=client, url=url: client.get(url))
                assert response.status_code == 200, (url, response.status_code)
                ratio = seconds / bare
                print(
                    f"{label:<34}{seconds * 1000:>10.1f}{queries:>9}{ratio:>8.1f}   "
                    f"≤ {PAGE_GOAL_MS} ms, ≤ {RATIO_GOAL}× {'ok' if seconds * 1000 <= PAGE_GOAL_MS else 'OVER'}"
                )
            for kind in ("daily", "weekly", "monthly"):
                Report.objects.filter(kind=kind).delete()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    report, _ = build_report(kind, day=today)
                    seconds = time.perf_counter() - started
                size_kb = len(json.dumps(report.data, ensure_ascii=False).encode()) / 1024
                print(
                    f"{'build_report ' + kind:<34}{seconds * 1000:>10.1f}{len(queries):>9}{'':>8}   "
                    f"≤ {BUILD_GOAL_S} s {'ok' if seconds <= BUILD_GOAL_S else 'OVER'}; "
                    f"stored {size_kb:.1f} KB (≤ {SIZE_GOAL_KB} KB {'ok' if size_kb <= SIZE_GOAL_KB else 'OVER'})"
                )
                seconds, queries, response = timed(
                    lambda report=report, c=office_client: c.get(f"/supervision/reports/{report.pk}/")
                )
                print(
                    f"{'  report page ' + kind:<34}{seconds * 1000:>10.1f}{queries:>9}{seconds / bare:>8.1f}"
                )
                seconds, _, pdf = timed(
                    lambda report=report: render_pdf(
                        "pdf/supervision_report.html", {"report": report, "data": report.data}
                    ),
                    repeat=1,
                )
                print(
                    f"{'  report PDF ' + kind:<34}{seconds * 1000:>10.1f}{'':>9}{'':>8}   "
                    f"≤ {PDF_GOAL_S} s {'ok' if seconds <= PDF_GOAL_S else 'OVER'}; {len(pdf) / 1024:.0f} KB"
                )
    finally:
        if not KEEPDB:
            creation.destroy_test_db(original_name, verbosity=0)


def _busiest_staff():
    """The unit staff member of the unit that leads the most generated cases."""
    from django.db.models import Count

    from cases.models import PetitionCase
    from org.models import User

    unit_id = (
        PetitionCase.objects.values("lead_unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["lead_unit_id"]
    )
    return User.objects.get(username__startswith="gen_staff", role_assignments__unit_id=unit_id)


if __name__ == "__main__":
    main()
