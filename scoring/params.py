"""Reading the year and ids a scoring URL or form carries: bad input is a 404, never a 500.

The assessment year is checked against the same bounds as ``rectification.grade_json``
(2000–2100): ``date(0, 1, 1)`` or a five-digit year would otherwise fail deep in a query.
"""

from django.http import Http404
from django.utils import timezone

YEAR_MIN, YEAR_MAX = 2000, 2100
ID_MAX = 2**63 - 1  # the largest primary key the database can hold


def year_param(value) -> int:
    """The assessment year in ``value`` (an int or digits), or Http404 outside 2000–2100."""
    year = value if isinstance(value, int) else _digits(value)
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404(f"考核年度须在 {YEAR_MIN}–{YEAR_MAX} 之间。")
    return year


def id_param(value) -> int:
    """A primary key from a URL or form field, or Http404 for anything but a positive integer."""
    pk = value if isinstance(value, int) else _digits(value)
    if pk is None or not 1 <= pk <= ID_MAX:
        raise Http404("编号无效。")
    return pk


def default_year(today=None) -> int:
    """The year the 考核评分 page opens on, the same for every user.

    The assessment of a year is done in the first quarter of the next: January to March open on
    the previous calendar year, April to December on the current one.
    """
    today = today or timezone.localdate()
    return today.year - 1 if today.month <= 3 else today.year


def _digits(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else None
