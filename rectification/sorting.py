"""The task list's sortable columns; each order has a matching index (migration 0004)."""

from qianshan.common.listing import Sorting, SortOption, rank_of

from .enums import TASK_STATUS_ORDER

TASK_SORTS = {
    # the default: as the feedback numbers them (督察, 序号, 编号)
    "inspection": SortOption("督察", ("inspection_id", "seq", "number")),
    "number": SortOption("编号", ("number",)),
    "deadline": SortOption("时限", ("deadline",)),
    # in lifecycle order, not by the stored words (expression index, migration 0007)
    "status": SortOption("状态", (rank_of("status", TASK_STATUS_ORDER), "deadline")),
}
TASK_DEFAULT_SORT = "inspection"


def task_sorting(query) -> Sorting:
    return Sorting(TASK_SORTS, TASK_DEFAULT_SORT, query)
