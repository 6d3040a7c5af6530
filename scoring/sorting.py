"""The scoring page's case list (年度案件评分): sortable columns, each with a matching index."""

from qianshan.common.listing import Sorting, SortOption

TODO_SORTS = {
    # the default: the earliest deadline first (cases_case_deadline_recpt_idx)
    "deadline": SortOption("整改时限", ("deadline", "receipt_no")),
    "receipt_no": SortOption("受理编号", ("receipt_no",)),  # cases_case_receipt_sort_idx
}
TODO_DEFAULT_SORT = "deadline"


def todo_sorting(query) -> Sorting:
    return Sorting(TODO_SORTS, TODO_DEFAULT_SORT, query)
