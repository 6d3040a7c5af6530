"""The acceptance overview's sortable columns; each order has a matching index (Step's Meta)."""

from qianshan.common.listing import Sorting, SortOption, rank_of

from .enums import STEP_KIND_ORDER, STEP_OUTCOME_ORDER

STEP_SORTS = {
    # the default: the newest steps first, as before (then case, round)
    "starts_on": SortOption("起算日期", ("starts_on",)),
    "receipt_no": SortOption("受理编号", ("case__receipt_no", "round")),
    # 环节 and 结果 in the chain's order (组织验收 → 申请复核 → 组织复核; 办理中 → 通过 → 未通过),
    # not by the stored words: a CASE with an expression index on exactly it
    "kind": SortOption("环节", (rank_of("kind", STEP_KIND_ORDER), "starts_on")),
    "outcome": SortOption("结果", (rank_of("outcome", STEP_OUTCOME_ORDER), "starts_on")),
    "done_on": SortOption("完成日期", ("done_on",)),
}
STEP_DEFAULT_SORT = "-starts_on"


def step_sorting(query) -> Sorting:
    return Sorting(STEP_SORTS, STEP_DEFAULT_SORT, query)
