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
from django.db.models import Count, QuerySet, Sum

from ..models import CaseTally, PetitionCase, PollutionTally


def _tallied() -> bool:
    """Whether this database keeps the tallies (PostgreSQL: the triggers of the migration)."""
    return connection.vendor == "postgresql"


def _counted(rows: QuerySet, *keys: str, total) -> dict:
    """{key, or tuple of keys: number} from ``rows`` grouped by ``keys``; keys summing to 0 left out."""
    grouped = rows.order_by().values_list(*keys).annotate(n=total)
    return {(tuple(row[:-1]) if len(keys) > 1 else row[0]): row[-1] for row in grouped if row[-1]}


def unit_state_counts(cases: QuerySet) -> dict[tuple[int | None, str], int]:
    """{(lead unit id, state): number of cases} of ``cases`` (one query): from the tallies when
    ``cases`` is every case, else counted."""
    if _tallied() and not cases.query.where:  # no scope, no filter
        return _counted(CaseTally.objects, "lead_unit_id", "state", total=Sum("n"))
    return _counted(cases, "lead_unit_id", "state", total=Count("state"))


def state_counts(cases: QuerySet) -> dict[str, int]:
    """{state: number of cases} of ``cases`` (one query): from the tallies when ``cases`` is every
    case, else counted (COUNT(state): the state index answers it alone)."""
    if _tallied() and not cases.query.where:  # no scope, no filter
        return _counted(CaseTally.objects, "state", total=Sum("n"))
    return _counted(cases, "state", total=Count("state"))


def pollution_counts(case_ids: QuerySet | None) -> dict[int, int]:
    """{pollution type id: number of cases of that type} among ``case_ids`` (a subquery of case ids;
    None: every case), one query: a case has each type once, so its links of a type are its cases
    of that type. From the tallies for every case, else the links counted."""
    if _tallied() and case_ids is None:
        return _counted(PollutionTally.objects, "pollutiontype_id", total=Sum("n"))
    links = PetitionCase.pollution_types.through.objects
    if case_ids is not None:
        links = links.filter(petitioncase_id__in=case_ids)
    return _counted(links, "pollutiontype_id", total=Count("*"))


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
