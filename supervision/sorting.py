"""The warning list's sortable columns; each order has a matching index (migration)."""

from qianshan.common.listing import Sorting, SortOption

WARNING_SORTS = {
    "raised_on": SortOption("预警日期", ("raised_on",)),
    "deadline": SortOption("整改时限", ("deadline",)),
}
WARNING_DEFAULT_SORT = "-raised_on"  # newest first, as before


def warning_sorting(query) -> Sorting:
    return Sorting(WARNING_SORTS, WARNING_DEFAULT_SORT, query)
