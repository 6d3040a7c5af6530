"""Whole-table case counts for the office's figures: per (lead unit, state) and per pollution type.

On PostgreSQL they are read from CaseTally / PollutionTally, which database triggers keep in step
with every write to the cases and their pollution-type links (migration cases/0019_case_tallies):
a few hundred delta rows summed instead of 100 000 cases and 200 000 links counted, in the same
snapshot as the rest of the page. Elsewhere (the embedded SQLite) the same numbers are counted
from the rows. Only for figures over every case — no scope, no filter: a unit user's or a
filtered figure counts its rows (cases.domain.queries).

``compact_tallies`` folds the delta rows into one row per key; it deletes and re-inserts in one
transaction, so a reader sees either the old rows or their sum, and the deltas written meanwhile by
other transactions stay as they are.
"""

from django.db import connection, transaction
from django.db.models import Count, Sum

from ..models import CaseTally, PetitionCase, PollutionTally


def _tallied() -> bool:
    return connection.vendor == "postgresql"


def unit_state_counts() -> dict[tuple[int | None, str], int]:
    """{(lead unit id, state): number of cases} over every case (one query)."""
    if _tallied():
        rows = CaseTally.objects.order_by().values_list("lead_unit_id", "state").annotate(n=Sum("n"))
    else:
        rows = PetitionCase.objects.order_by().values_list("lead_unit_id", "state").annotate(n=Count("state"))
    return {(unit_id, state): n for unit_id, state, n in rows if n}


def state_counts() -> dict[str, int]:
    """{state: number of cases} over every case (one query)."""
    if _tallied():
        rows = CaseTally.objects.order_by().values_list("state").annotate(n=Sum("n"))
    else:
        rows = PetitionCase.objects.order_by().values_list("state").annotate(n=Count("state"))
    return {state: n for state, n in rows if n}


def pollution_counts() -> dict[int, int]:
    """{pollution type id: number of cases of that type} over every case (one query): a case has
    each type once, so its links of a type are its cases of that type."""
    if _tallied():
        rows = PollutionTally.objects.order_by().values_list("pollutiontype_id").annotate(n=Sum("n"))
    else:
        links = PetitionCase.pollution_types.through.objects.order_by()
        rows = links.values_list("pollutiontype_id").annotate(n=Count("*"))
    return {pk: n for pk, n in rows if n}


_KEYS = {CaseTally: "lead_unit_id, state", PollutionTally: "pollutiontype_id"}


def compact_tallies() -> tuple[int, int]:
    """Fold each tally's delta rows into one row per key (keys that sum to 0 disappear); returns
    (rows read, rows written). PostgreSQL only (nothing to do elsewhere)."""
    if not _tallied():
        return 0, 0
    read = written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model, keys in _KEYS.items():
            table = model._meta.db_table
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} RETURNING {keys}, n), "
                f"folded AS (INSERT INTO {table} ({keys}, n) SELECT {keys}, SUM(n) FROM gone "
                f"GROUP BY {keys} HAVING SUM(n) <> 0 RETURNING 1) "
                f"SELECT (SELECT COUNT(*) FROM gone), (SELECT COUNT(*) FROM folded)"
            )
            n_read, n_written = cursor.fetchone()
            read, written = read + n_read, written + n_written
    return read, written
