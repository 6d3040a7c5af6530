"""The task list's sortable columns; each order has a matching index (migration 0004)."""

from qianshan.common.listing import Sorting, SortOption

TASK_SORTS = {
    # the default: as the feedback numbers them (督察, 序号, 编号)
    "inspection": SortOption("督察", ("inspection_id", "seq", "number")),
    "number": SortOption("编号", ("number",)),
    "deadline": SortOption("时限", ("deadline",)),
    "status": SortOption("状态", ("status", "deadline")),
}
TASK_DEFAULT_SORT = "inspection"


def task_sorting(query) -> Sorting:
    return Sorting(TASK_SORTS, TASK_DEFAULT_SORT, query)
