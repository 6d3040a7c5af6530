"""Benchmark: list pages and the case page at the database's current size — server time, queries.

    DATABASE_URL=postgres://…/qianshan_bench .venv/bin/python manage.py generate_load_data --cases 100000
    DATABASE_URL=postgres://…/qianshan_bench .venv/bin/python bench/lists_scale.py [--repeat 7]

Runs in one process with Django's test client against the configured database (the data of
``generate_load_data``; its users gen_office / gen_staffNNN). Each page is requested once to warm
up, then ``--repeat`` times; the median and the worst are printed with the query count and the
ratio to the login page's median measured in the same rounds. Goals from issue 12 are printed beside the
figures, never asserted.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianshan.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

GOALS = {"case_list": (60, 8), "case_page": (40, 20)}  # ms, queries


def measure(client, url: str, repeat: int, baseline=None) -> tuple[float, float, int, int, float]:
    """(median ms, worst ms, queries, status, the login page's median ms in the same rounds).

    With ``baseline`` (an anonymous client) the login page is requested just before each request
    of ``url``: this machine's CPU speed drifts by half within minutes, and a baseline taken in
    the same rounds keeps the ratio honest where one taken at the start would not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: templates compiled, connection open
    times, logins, queries, status = [], [], 0, 0
    for _ in range(repeat):
        if baseline is not None:
            started = time.perf_counter()
            baseline.get("/login/")
            logins.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    login = statistics.median(logins) if logins else 0.0
    return statistics.median(times), max(times), queries, status, login


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from cases.models import PetitionCase
    from org.models import Unit, User

    office = User.objects.filter(username="gen_office").first()
    if office is None:
        sys.exit(
            "先运行 manage.py generate_load_data --cases N（需要其生成的用户 gen_office / gen_staffNNN）"
        )
    busiest_unit = (
        PetitionCase.objects.values("lead_unit").annotate(n=Count("pk")).order_by("-n").first()["lead_unit"]
    )
    staff = User.objects.filter(
        username__startswith="gen_staff", role_assignments__unit_id=busiest_unit
    ).first()
    n_cases = PetitionCase.objects.count()
    deep_page = max(1, n_cases // 50 // 2)
    most_history = PetitionCase.history.values("id").annotate(n=Count("history_id")).order_by("-n").first()
    staff_case = (
        PetitionCase.objects.filter(lead_unit=busiest_unit).order_by("-pk").values_list("pk", flat=True)[0]
    )
    word = "噪声"
    unit_word = (Unit.objects.filter(pk=busiest_unit).values_list("name", flat=True).first() or "局")[:4]
    print(f"database: {connection.vendor}, cases: {n_cases}, repeat: {args.repeat}")

    anonymous, as_office, as_staff = Client(), Client(), Client()
    as_office.force_login(office)
    as_staff.force_login(staff or office)
    anonymous.get("/login/")

    pages = [
        ("case_list", "office: default order", as_office, "/cases/"),
        ("case_list", "office: sort -deadline", as_office, "/cases/?sort=-deadline"),
        ("case_list", "office: sort receipt_no", as_office, "/cases/?sort=receipt_no"),
        ("case_list", "office: sort -batch", as_office, "/cases/?sort=-batch"),
        ("case_list", "office: state filter", as_office, "/cases/?state=rectifying"),
        ("case_list", "office: overdue filter", as_office, "/cases/?overdue=true&sort=deadline"),
        ("case_list", "office: sort state (lifecycle)", as_office, "/cases/?sort=-state"),
        ("case_list", f"office: keyword {word}", as_office, f"/cases/?q={word}"),
        ("case_list", "office: keyword unit name", as_office, f"/cases/?q={unit_word}&sort=deadline"),
        ("case_list", "office: keyword receipt no.", as_office, "/cases/?q=0000123"),
        ("case_list", f"office: page {deep_page}", as_office, f"/cases/?page={deep_page}"),
        ("case_list", "staff: default order", as_staff, "/cases/"),
        ("case_list", f"staff: keyword {word}", as_staff, f"/cases/?q={word}&sort=-deadline"),
        (
            "case_page",
            f"office: case with {most_history['n']} history rows",
            as_office,
            f"/cases/{most_history['id']}/",
        ),
        ("case_page", "staff: a case of their unit", as_staff, f"/cases/{staff_case}/"),
        ("task_list", "office: task list", as_office, "/tasks/"),
        ("task_list", "office: task list sort -deadline", as_office, "/tasks/?sort=-deadline"),
        ("task_list", "office: task list sort status", as_office, "/tasks/?sort=status"),
        ("other_list", "office: warnings sort -level", as_office, "/supervision/warnings/?sort=-level"),
        ("other_list", "office: acceptance overview", as_office, "/acceptance/?sort=kind"),
        ("other_list", "staff: scoring case list", as_staff, "/scoring/?sort=-receipt_no&page=3"),
        ("dashboard", "office: supervision dashboard", as_office, "/supervision/"),
        ("home", "office: home page", as_office, "/"),
    ]
    print("× login: the page's median over the login page's median, measured in the same rounds")
    print(f"{'page':44} {'median ms':>9} {'worst ms':>9} {'queries':>7} {'login ms':>8} {'× login':>8}  goal")
    for kind, name, client, url in pages:
        median, worst, queries, status, login_ms = measure(client, url, args.repeat, anonymous)
        goal = GOALS.get(kind)
        goal_text = f"≤ {goal[0]} ms, ≤ {goal[1]} queries" if goal else ""
        if kind == "case_list":
            goal_text += ", ≤ 25× login"
        flag = "" if status == 200 else f"  HTTP {status}!"
        print(
            f"{name:44} {median:9.1f} {worst:9.1f} {queries:7d} {login_ms:8.1f} {median / login_ms:8.1f}  "
            f"{goal_text}{flag}"
        )


if __name__ == "__main__":
    main()
