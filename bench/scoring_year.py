"""Benchmark: score every case of a 100 000-case year (docs/rules.md §8), and count the queries.

Builds a throwaway SQLite database (the test settings' private file), bulk-creates 100 000 cases
over 20 units with a self-assessed sheet each and a review for every other one, then times

- the write path, bulk: ``rescore_sheets`` scores every sheet's data once with ``rules.score``
  and stores the exact total and parts (what the domain writes do one sheet at a time);
- the read path: ``score_year`` and ``year_results`` (the ranking), which sum the stored exact
  totals and score nothing, and the ranking page and one unit's page as a browser gets them.

Run: .venv/bin/python bench/scoring_year.py [N]
"""

import os
import sys
import time
from datetime import date
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
YEAR = 2025


def build(n: int) -> None:
    from cases.enums import CaseState
    from cases.models import PetitionCase
    from org.enums import InspectionLevel, Role, UnitKind
    from org.models import Inspection, RoleAssignment, Unit, User
    from scoring.enums import SheetStatus, SheetVersion
    from scoring.models import ScoringSheet
    from tests.scoring.helpers import EXAMPLE

    inspection = Inspection.objects.create(code="BENCH", name="基准督察", level=InspectionLevel.CENTRAL)
    units = Unit.objects.bulk_create(Unit(name=f"基准单位{i}", kind=UnitKind.REGION) for i in range(20))
    office = User.objects.create(username="bench_office")
    RoleAssignment.objects.create(user=office, role=Role.OFFICE)
    cases = PetitionCase.objects.bulk_create(
        (
            PetitionCase(
                inspection=inspection,
                receipt_no=f"B{i:07d}",
                complaint="基准案件",
                lead_unit=units[i % 20],
                handler="负责人",
                standard="标准",
                deadline=date(YEAR, 1 + i % 12, 1 + i % 28),
                state=CaseState.COMPLETED,
            )
            for i in range(n)
        ),
        batch_size=5000,
    )
    now = django.utils.timezone.now()
    # A placeholder score, replaced by the timed write path below (rescore_sheets).
    unscored = {"total_num": 0, "total_den": 1, "parts": {}, "scored_at": now}

    def sheets():
        for i, case in enumerate(cases):
            unit = units[i % 20]
            data = {**EXAMPLE, "case": case.receipt_no, "locality": unit.name}
            data["problems"] = {"solved": i % 4, "total": 3 + i % 2}
            yield ScoringSheet(
                case=case,
                locality=unit,
                year=YEAR,
                version=SheetVersion.SELF,
                status=SheetStatus.SUBMITTED,
                submitted_at=now,
                data=data,
                **unscored,
            )
            if i % 2 == 0:
                yield ScoringSheet(
                    case=case,
                    locality=unit,
                    year=YEAR,
                    version=SheetVersion.REVIEW,
                    status=SheetStatus.SUBMITTED,
                    submitted_at=now,
                    data={**data, "fake": i % 10 == 0},
                    **unscored,
                )

    ScoringSheet.objects.bulk_create(sheets(), batch_size=5000)
    return office


def timed(label: str, run, count_of=None, repeat: int = 1):
    """Run ``repeat`` times; print the best time (other processes share the machine) and queries."""
    times = []
    for _ in range(repeat):
        connection.queries_log.clear()  # the build filled the log; a full log counts nothing
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            out = run()
            times.append(time.perf_counter() - t)
    elapsed = min(times)
    best = f" (best of {repeat}, worst {max(times):.2f} s)" if repeat > 1 else ""
    line = f"{label}: {elapsed:.2f} s{best}, {len(queries)} queries"
    if count_of is not None:
        count = count_of(out)
        line += f", {count} rows, {elapsed / max(count, 1) * 1e6:.1f} µs per row"
    print(line)
    return out


def main() -> None:
    from django.test import Client

    from scoring.domain.queries import score_year, sheet_result, year_results
    from scoring.domain.services import rescore_sheets
    from scoring.models import ScoringSheet

    creation = connection.creation
    t = time.perf_counter()
    creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"throwaway database migrated in {time.perf_counter() - t:.1f} s")
    try:
        t = time.perf_counter()
        office = build(N)
        print(f"built {N} cases and {N + (N + 1) // 2} sheets in {time.perf_counter() - t:.1f} s")
        print("-- write path (bulk): score every sheet once and store the exact score")
        timed(
            "rescore_sheets (every sheet scored and stored)", lambda: rescore_sheets(YEAR, actor=office), int
        )
        sample = ScoringSheet.objects.order_by("?")[:200]
        assert all(s.total == sheet_result(s.data).total for s in sample), "stored total differs from score()"
        print("-- read path: sum the stored exact totals, score nothing")
        results = timed(
            "year_results (ranking of 20 units)",
            lambda: year_results(office, YEAR),
            lambda o: sum(r.count for r in o),
            repeat=3,
        )
        timed(
            "score_year (every case score, for a unit's page and the exports)",
            lambda: score_year(YEAR),
            lambda o: sum(map(len, o.values())),
            repeat=3,
        )
        checked = year_results(office, YEAR, with_cases=True)
        assert all(
            r.average == sum((c.total for c in r.cases if c.counted), Fraction(0)) / r.count for r in checked
        ), "the ranking's average differs from the mean of the case scores"
        print(
            "   top:", ", ".join(f"{r.unit.name} {r.average and float(r.average):.4f}" for r in results[:3])
        )
        client = Client()
        client.force_login(office)
        for label, url in [
            ("GET ranking page", f"/scoring/?year={YEAR}"),
            ("GET one unit's page", f"/scoring/units/{results[0].unit.pk}/{YEAR}/"),
        ]:
            client.get(url)  # the first visit creates the unit's assessment row; time the second
            response = timed(label, lambda url=url: client.get(url), repeat=3)
            assert response.status_code == 200, response.status_code
    finally:
        creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
