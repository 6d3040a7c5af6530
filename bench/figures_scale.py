"""Benchmark: the figures pages and the stored reports at 1 k, 10 k and 100 k cases (issue 11's goals).

Grow a throw-away database to each size in turn and measure at each size:

    DATABASE_URL=postgres://…/qianshan_x .venv/bin/python bench/figures_scale.py [1000 10000 100000]

Measure a database that already holds the data of ``generate_load_data`` (e.g. a copy of a
100 k-case database), at its current size, without generating anything:

    createdb -h 127.0.0.1 -U postgres -T qianshan_bench qianshan_bench_copy
    DATABASE_URL=postgres://…/qianshan_bench_copy .venv/bin/python bench/figures_scale.py --existing

Without ``--existing`` a throw-away database ``<name>_figbench`` is created beside DATABASE_URL's,
grown with ``generate_load_data`` to each size (tasks = cases / 50), vacuumed and analysed as
autovacuum would, and dropped at the end
(``BENCH_KEEPDB=1`` reuses and keeps it: a second run only generates what is missing). With
``--existing`` everything the benchmark writes (sessions, rebuilt stored reports) is made inside
one transaction that is rolled back at the end, so the database is left as it was; still, point
it at a copy, never at a database other people measure.

For every page and job it prints the server time (best of 3 in this process, through Django's
test client: no network), the number of queries, and the ratio to the login page's server time
measured the same way in the same process (the bare page), with the goal and "ok"/"OVER" beside
it. Stored report sizes are the JSON of ``Report.data``; PDF times render the stored report with
``render_pdf``. A summary table at the end puts the sizes side by side (time, queries, ratio) so a
query count that grows with the data shows at a glance. Goals are printed, never asserted.
"""

import argparse
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

import logging

import django

django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)  # not a line per forced login

from django.conf import settings  # noqa: E402

# Served pages need no collectstatic here: plain static URLs instead of the production manifest.
settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
KEEPDB = os.environ.get("BENCH_KEEPDB") == "1"  # reuse (and keep) the throw-away database

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEAT = 3
PAGE_GOAL_MS, RATIO_GOAL, BUILD_GOAL_S, SIZE_GOAL_KB, PDF_GOAL_S = 150, 60, 2, 300, 5
PAGE_GOAL = f"≤ {PAGE_GOAL_MS} ms, ≤ {RATIO_GOAL}×, queries constant"


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


def _ok(good: bool) -> str:
    return "ok" if good else "OVER"


def measure(today, year) -> dict:
    """Measure every page and job at the database's current size; print each line as it comes.
    Returns {label: (ms, queries or None, ratio or None, goal text)}."""
    from org.models import User
    from qianshan.common.pdf import render_pdf
    from supervision.domain.reports import build_report
    from supervision.models import Report

    results = {}
    office = User.objects.get(username="gen_office")
    staff = _busiest_staff()
    unit_id = staff.role_assignments.get().unit_id
    anonymous = Client()
    office_client, staff_client = Client(), Client()
    office_client.force_login(office)
    staff_client.force_login(staff)
    anonymous.get("/login/")  # warm
    bare, _, response = timed(lambda: anonymous.get("/login/"), repeat=5)
    assert response.status_code == 200
    results["login page (bare)"] = (bare * 1000, None, 1.0, "")
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
        ms = seconds * 1000
        good = ms <= PAGE_GOAL_MS and ratio <= RATIO_GOAL
        results[label] = (ms, queries, ratio, f"≤ {PAGE_GOAL_MS} ms, ≤ {RATIO_GOAL}×")
        print(
            f"{label:<34}{ms:>10.1f}{queries:>9}{ratio:>8.1f}   "
            f"≤ {PAGE_GOAL_MS} ms, ≤ {RATIO_GOAL}× {_ok(good)}"
        )
    for kind in ("daily", "weekly", "monthly"):
        Report.objects.filter(kind=kind).delete()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report, _ = build_report(kind, day=today)
            seconds = time.perf_counter() - started
        size_kb = len(json.dumps(report.data, ensure_ascii=False).encode()) / 1024
        results[f"build_report {kind}"] = (seconds * 1000, len(queries), None, f"≤ {BUILD_GOAL_S} s")
        results[f"  stored {kind} (KB)"] = (size_kb, None, None, f"≤ {SIZE_GOAL_KB} KB")
        print(
            f"{'build_report ' + kind:<34}{seconds * 1000:>10.1f}{len(queries):>9}{'':>8}   "
            f"≤ {BUILD_GOAL_S} s {_ok(seconds <= BUILD_GOAL_S)}; "
            f"stored {size_kb:.1f} KB (≤ {SIZE_GOAL_KB} KB {_ok(size_kb <= SIZE_GOAL_KB)})"
        )
        seconds, queries, response = timed(
            lambda report=report, c=office_client: c.get(f"/supervision/reports/{report.pk}/")
        )
        results[f"  report page {kind}"] = (seconds * 1000, queries, seconds / bare, "")
        print(f"{'  report page ' + kind:<34}{seconds * 1000:>10.1f}{queries:>9}{seconds / bare:>8.1f}")
        seconds, _, pdf = timed(
            lambda report=report: render_pdf(
                "pdf/supervision_report.html", {"report": report, "data": report.data}
            ),
            repeat=1,
        )
        results[f"  report PDF {kind}"] = (seconds * 1000, None, None, f"≤ {PDF_GOAL_S} s")
        print(
            f"{'  report PDF ' + kind:<34}{seconds * 1000:>10.1f}{'':>9}{'':>8}   "
            f"≤ {PDF_GOAL_S} s {_ok(seconds <= PDF_GOAL_S)}; {len(pdf) / 1024:.0f} KB"
        )
    return results


def summary(by_size: dict) -> None:
    """The sizes side by side: ms / queries / × bare per size, then the goal."""
    sizes = list(by_size)
    labels = list(by_size[sizes[0]])
    head = "".join(f"{f'{s:,} cases: ms / q / ×':>30}" for s in sizes)
    print(f"\n=== summary ===\n{'page / job':<30}{head}   goal")
    for label in labels:
        cells = []
        for s in sizes:
            ms, queries, ratio, goal = by_size[s].get(label, (None, None, None, ""))
            unit = "KB" if label.endswith("(KB)") else ""
            cell = "—" if ms is None else f"{ms:.0f}{unit}"
            cell += f" / {queries}" if queries is not None else " / –"
            cell += f" / {ratio:.0f}" if ratio is not None else " / –"
            cells.append(f"{cell:>30}")
        goal = next((by_size[s][label][3] for s in sizes if label in by_size[s]), "")
        print(f"{label:<30}{''.join(cells)}   {goal}")


def main() -> None:
    from django.core.management import call_command

    from cases.models import PetitionCase

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sizes", nargs="*", type=int, help="case counts to grow to (default 1000 10000 100000)"
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure DATABASE_URL's database at its current size (no generation; writes rolled back)",
    )
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if connection.vendor != "postgresql":
        print("注意：DATABASE_URL 未指向 PostgreSQL，以下数字不代表目标环境")
    today = timezone.localdate()
    year = today.year - 1
    by_size = {}
    if args.existing:
        size = PetitionCase.objects.count()
        print(f"\n=== existing database {connection.settings_dict['NAME']}: {size} cases ===")
        with transaction.atomic():
            by_size[size] = measure(today, year)
            transaction.set_rollback(True)
        summary(by_size)
        return

    sizes = args.sizes or ([1000, 10_000, 100_000] if connection.vendor == "postgresql" else [1000])
    creation = connection.creation
    original_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        # Not test_<name>: that is the test database pytest-django makes from the same URL.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{original_name}_figbench"
    started = time.perf_counter()
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=KEEPDB)
    print(
        f"throw-away database {connection.settings_dict['NAME']} migrated in {time.perf_counter() - started:.1f} s"
    )
    have = PetitionCase.objects.filter(inspection__code__startswith="GEN-").count()
    try:
        for size in sizes:
            started = time.perf_counter()
            if size > have:
                call_command(
                    "generate_load_data",
                    cases=size - have,
                    tasks=(size - have) // 50,
                    seed=size,
                    stdout=io.StringIO(),
                )
                have = size
                if connection.vendor == "postgresql":
                    # What autovacuum does to a table that grew: planner statistics and the
                    # visibility map (index-only scans). Without them the first plans are guesses.
                    with connection.cursor() as cursor:
                        cursor.execute("VACUUM ANALYZE")
            print(
                f"\n=== {have} cases, {have // 50} tasks (generated +{time.perf_counter() - started:.1f} s) ==="
            )
            by_size[have] = measure(today, year)
        summary(by_size)
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
