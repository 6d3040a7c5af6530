"""The warning list's sortable columns; each order has a matching index (migration)."""

from qianshan.common.listing import Sorting, SortOption, rank_of

from .enums import WARNING_LEVEL_ORDER

WARNING_SORTS = {
    "raised_on": SortOption("预警日期", ("raised_on",)),
    "deadline": SortOption("整改时限", ("deadline",)),
    # by severity (蓝 < 黄 < 红), an expression index on exactly this CASE
    "level": SortOption("等级", (rank_of("level", WARNING_LEVEL_ORDER), "raised_on")),
}
WARNING_DEFAULT_SORT = "-raised_on"  # newest first, as before


def warning_sorting(query) -> Sorting:
    return Sorting(WARNING_SORTS, WARNING_DEFAULT_SORT, query)
